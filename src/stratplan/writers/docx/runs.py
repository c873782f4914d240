"""IR runs to w:r elements, grouped into w:ins / w:del by their revision."""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from stratplan import ir

from .revisions import Revisions, mark_deleted
from .xml import SPACE, clean_text, el, sub

FOOTNOTE_REFERENCE_STYLE = "FootnoteReference"
COMMENT_REFERENCE_STYLE = "CommentReference"

_BREAKS = re.compile(r"(\t|\n)")


def append_text(run: etree._Element, text: str) -> None:
    """Text as w:t pieces, with tabs as w:tab and line feeds as w:br."""
    text = clean_text(text)
    if "\t" not in text and "\n" not in text:
        if text:
            sub(run, "t").text = text
            run[-1].set(SPACE, "preserve")
        return
    for piece in _BREAKS.split(text):
        if piece == "\t":
            sub(run, "tab")
        elif piece == "\n":
            sub(run, "br")
        elif piece:
            t = sub(run, "t")
            t.text = piece
            t.set(SPACE, "preserve")


def run_element(run: ir.Run, footnote_number: int = 0) -> etree._Element:
    """One w:r for an IR run (the reference to footnote `footnote_number` when `run.footnote`
    is set)."""
    r = el("r")
    if run.footnote is not None:
        if footnote_number < 1:
            raise ValueError(f"footnote reference {run.footnote!r} where none is allowed")
        rpr = sub(r, "rPr")
        sub(rpr, "rStyle", {"val": FOOTNOTE_REFERENCE_STYLE})
        sub(r, "footnoteReference", {"id": str(footnote_number)})
        return r
    if run.bold or run.italic:
        rpr = sub(r, "rPr")
        if run.bold:
            sub(rpr, "b")
            sub(rpr, "bCs")
        if run.italic:
            sub(rpr, "i")
            sub(rpr, "iCs")
    append_text(r, run.text)
    return r


def append_runs(
    parent: etree._Element,
    items: Iterable[tuple[etree._Element, ir.Change]],
    revisions: Revisions,
) -> None:
    """Append w:r elements to `parent`; consecutive runs with the same revision share one
    w:ins / w:del wrapper, and deleted runs get w:delText."""
    wrapper: etree._Element | None = None
    current: ir.Change = None
    for r, change in items:
        if change is None:
            parent.append(r)
            wrapper, current = None, None
            continue
        if wrapper is None or change != current:
            wrapper = revisions.wrapper(change)
            parent.append(wrapper)
            current = change
        wrapper.append(mark_deleted(r) if change == "del" else r)
