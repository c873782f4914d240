"""What the file holds that is not a change of the plan's text, each reported by name: text a
reader of the document cannot see (hidden, white, too small: not a change, whatever it says),
text in markup the import does not read, content brought in from another part, text boxes,
equations, symbols, endnotes and pictures the plan cannot hold, and formatting-only revisions
(the plan's text holds no formatting).
"""

from __future__ import annotations

import re

from stratplan.diagnostics import shorten
from stratplan.proposals.importing import footnotes
from stratplan.proposals.importing.base import BaseParagraph
from stratplan.proposals.importing.state import Reading
from stratplan.proposals.importing.texts import plain
from stratplan.proposals.importing.units import Unit
from stratplan.proposals.review import Margin, Paragraph, reject_all

WHY = {
    "hidden text": "Word does not show it, so it is not a change",
    "text in white": "white on the page, a reader does not see it, so it is not a change",
    "text too small to read": "a reader cannot read it, so it is not a change",
    "text the import does not read": "it is held in Word markup the plan's text has no place "
                                     "for (type it as plain text)",
    "content brought in from another part": "Word shows another part or file in its place; "
                                            "the import reads no other file",
    "a text box": "the plan holds no text boxes (type the text in a paragraph)",
    "an equation": "the plan's text holds no equations (write it in words)",
    "a symbol": "a character of a symbol font the import cannot name",
    "an endnote": "the plan holds footnotes, not endnotes",
    "a picture or drawing": "the plan holds no pictures",
}

Pair = tuple[BaseParagraph | None, Unit | None]


def places(r: Reading, pairs: list[Pair]) -> dict[int, str]:
    """Each file paragraph's place, as the document names it."""
    out: dict[int, str] = {}
    previous = "the start"
    for b, u in pairs:
        if b is not None:
            previous = b.place
        if u is None:
            continue
        pieces = [*u.before, *([u.piece] if u.piece else []), *u.after]
        for piece in pieces:
            for source in piece.sources:
                out.setdefault(source.index, b.place if b is not None and piece is u.piece
                               else f"after {previous}, a new paragraph “{shorten(piece.accept)}”")
        for source in u.sources:
            out.setdefault(source.index, b.place if b is not None else f"after {previous}")
    return out


def report(r: Reading, pairs: list[Pair]) -> None:
    where = places(r, pairs)
    previous = "the start"
    for paragraph in r.review.paragraphs:
        place = where.get(paragraph.index)
        if place is None:
            place = f"after {previous}"
        else:
            previous = place
        _report(r, paragraph, place)
    for note in r.review.footnotes.values():
        known = r.notes.by_text.get(plain(note.text(reject_all)))
        place = footnotes.place(r, known[0]) if known else \
            f"a new footnote (“{shorten(note.text(reject_all) or '', 40)}”)"
        for paragraph in note.paragraphs:
            _report(r, paragraph, place)


    for margin in r.review.margins:
        _margin(r, margin)
    for comment in r.review.comments.values():
        for unseen in comment.unseen:
            place = f"the comment by {comment.author} (“{shorten(comment.text, 40)}”)"
            r.left_out(place, f"{unseen.what}, not imported: {WHY[unseen.what]}", unseen.text)


def _margin(r: Reading, margin: Margin) -> None:
    """A page header or footer, or the endnotes: the plan has no text there. Its revisions
    are reported by author; so is text the render did not write (in an untracked copy), when
    the render wrote the footer itself (a house style's header and footer are its own)."""
    why = ("the plan holds no text there" if margin.kind == "endnotes" else
           "the renderer writes the page's header and footer, the plan holds no text there")
    expected = {_pattern(f"{r.document.footer}\t1 {r.document.page_of} 1")} \
        if margin.kind == "footer" else {""}
    for paragraph in margin.paragraphs:
        _report(r, paragraph, margin.where)
        by_author: dict[str, list[str]] = {}
        for span in paragraph.spans:
            revision = span.revision
            if revision is not None and span.text.strip():
                verb = "inserted" if revision.kind == "ins" else "deleted"
                by_author.setdefault(revision.author, []).append(
                    f"{verb} “{shorten(span.text.strip())}”")
        for author, edits in by_author.items():
            r.left_out(margin.where, f"a change by {author}, not imported ({why}): "
                       + "; ".join(edits))
        original = paragraph.text(reject_all)
        if r.own_margins and margin.kind != "endnotes" and \
                _pattern(original) not in expected | {""}:
            r.left_out(margin.where, f"text the render does not have, by {r.editor[0]}, not "
                       f"imported: {why}", original)


def _pattern(text: str) -> str:
    """A header's or footer's text with its page numbers (fields Word updates) as #."""
    return re.sub(r"\d+", "#", " ".join(text.split()))


def _report(r: Reading, paragraph: Paragraph, place: str) -> None:
    for unseen in paragraph.unseen:
        author = unseen.revision.author if unseen.revision is not None else r.editor[0]
        r.left_out(place, f"{unseen.what} by {author}, not imported: {WHY[unseen.what]}",
                   unseen.text)
    for change in paragraph.formatting:
        r.left_out(place, f"a formatting change by {change.author} ({change.what}), not "
                   "carried: the plan's text holds no formatting")
