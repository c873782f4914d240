"""IR runs to w:r elements, grouped into w:ins / w:del by their revision."""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from stratplan import ir

from .revisions import Revisions, mark_deleted
from .styles import Script, word_language
from .xml import SPACE, clean_text, el, sub

FOOTNOTE_REFERENCE_STYLE = "FootnoteReference"
COMMENT_REFERENCE_STYLE = "CommentReference"

_BREAKS = re.compile(r"(\t|\n)")
_PARTS = re.compile(r"\d+|[^\W\d_]+|.", re.S)


def number_change(old: str, new: str) -> list[tuple[str, str | None]]:
    """A changed display number as pieces with their revisions: the parts the two share at the
    start and the end kept, the rest of the old deleted and of the new inserted, so that
    "1.5:" -> "1.4:" reads "1.[-5-]{+4+}:" and stays within the number's tab stop (the old
    number and the new one side by side pushed the text to the next tab: "1.5:1.4:")."""
    a, b = _PARTS.findall(old), _PARTS.findall(new)
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    pieces: list[tuple[str, str | None]] = [
        ("".join(a[:head]), None),
        ("".join(a[head : len(a) - tail]), "del"),
        ("".join(b[head : len(b) - tail]), "ins"),
        ("".join(a[len(a) - tail :]), None),
    ]
    return [(text, change) for text, change in pieces if text]


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


UNTRANSLATED_HIGHLIGHT = "lightGray"  # an edition's text left in English


def mark_language(rpr: etree._Element, script: Script | None, lang: str = "") -> None:
    """End a run's properties with its language: in an edition, every run says its language
    (w:lang), right-to-left text says so (w:rtl), and text left in English (`lang` "en") is
    on a grey ground a reader sees."""
    if lang:
        sub(rpr, "highlight", {"val": UNTRANSLATED_HIGHLIGHT})
        sub(rpr, "lang", {"val": word_language(lang)})
        return
    if script is None:
        return
    if script.rtl:
        sub(rpr, "rtl")
    sub(rpr, "lang", script.lang_attributes())


def run_element(
    run: ir.Run,
    footnote_number: int = 0,
    footnote_style: str = "FootnoteReference",
    script: Script | None = None,
) -> etree._Element:
    """One w:r for an IR run (the reference to footnote `footnote_number`, in the character
    style `footnote_style`, when `run.footnote` is set); `script`: a language edition's."""
    r = el("r")
    if run.footnote is not None:
        if footnote_number < 1:
            raise ValueError(f"footnote reference {run.footnote!r} where none is allowed")
        rpr = sub(r, "rPr")
        sub(rpr, "rStyle", {"val": footnote_style})
        mark_language(rpr, script)
        sub(r, "footnoteReference", {"id": str(footnote_number)})
        return r
    if run.bold or run.italic or script is not None or run.lang:
        rpr = sub(r, "rPr")
        if run.bold:
            sub(rpr, "b")
            sub(rpr, "bCs")
        if run.italic:
            sub(rpr, "i")
            sub(rpr, "iCs")
        mark_language(rpr, script, run.lang)
        if not len(rpr):
            r.remove(rpr)
    append_text(r, run.text)
    return r


def append_runs(
    parent: etree._Element,
    items: Iterable[tuple[etree._Element, str | None]],
    revisions: Revisions,
) -> None:
    """Append w:r elements to `parent`; consecutive runs with the same revision ("ins", "del",
    "moveFrom", "moveTo") share one wrapper, and deleted runs get w:delText."""
    wrapper: etree._Element | None = None
    current: str | None = None
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
