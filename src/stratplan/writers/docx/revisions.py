"""Tracked changes: w:ins / w:del around runs, on paragraph marks and on table rows.

One `Revisions` object per document hands out the ids, so every w:ins / w:del carries a unique,
deterministic w:id, the document's revision author and a midnight-UTC date. Wrappers only ever
hold w:r elements (never a w:p, never another w:ins / w:del).
"""

from __future__ import annotations

from lxml import etree

from .xml import el, sub, w

_T = w("t")
_INSTR = w("instrText")
_DEL_TEXT = w("delText")
_DEL_INSTR = w("delInstrText")

CHANGES = ("ins", "del")


class Revisions:
    """Revision id counter plus the attributes every revision element carries."""

    def __init__(self, author: str, date: str, first_id: int = 0) -> None:
        self._attrs = {"author": author, "date": date}
        self.default_author = author
        self.default_date = date
        self._next = first_id

    def use_author(self, author: str | None, date: str | None = None) -> None:
        """The author and date (a W3C date-time) of the revisions that follow (None: the
        document's)."""
        self._attrs["author"] = author or self.default_author
        self._attrs["date"] = date or self.default_date

    def _attributes(self) -> dict[str, str]:
        attrs = {"id": str(self._next), **self._attrs}
        self._next += 1
        return attrs

    def wrapper(self, change: str) -> etree._Element:
        """A new, empty w:ins or w:del to hold runs."""
        _check(change)
        return el(change, self._attributes())

    def mark(self, props: etree._Element, change: str) -> etree._Element:
        """Add the w:ins / w:del revision mark to `props` (a paragraph mark's w:rPr or a
        w:trPr), where the schema wants it, and return it."""
        _check(change)
        mark = el(change, self._attributes())
        if props.tag == w("rPr"):
            props.insert(0, mark)  # CT_ParaRPr: ins/del come first
        else:
            props.append(mark)  # CT_TrPr: ins/del come after tblHeader and the rest
        return mark


def mark_deleted(run: etree._Element) -> etree._Element:
    """Turn a run's w:t / w:instrText into w:delText / w:delInstrText, as inside w:del."""
    for child in run:
        if child.tag == _T:
            child.tag = _DEL_TEXT
        elif child.tag == _INSTR:
            child.tag = _DEL_INSTR
    return run


def paragraph_mark_props(ppr: etree._Element) -> etree._Element:
    """The paragraph mark's w:rPr inside `ppr` (created last, where CT_PPr wants it)."""
    rpr = ppr.find(w("rPr"))
    if rpr is None:
        rpr = sub(ppr, "rPr")
    return rpr


def _check(change: str) -> None:
    if change not in CHANGES:
        raise ValueError(f"unknown revision {change!r}: expected 'ins' or 'del'")
