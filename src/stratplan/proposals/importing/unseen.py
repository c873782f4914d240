"""What the file holds that is not a change of the plan's text, each reported by name: text a
reader of the document cannot see (hidden text is not a change, whatever it says), text boxes,
equations, symbols, endnotes and pictures the plan cannot hold, and formatting-only revisions
(the plan's text holds no formatting).
"""

from __future__ import annotations

from stratplan.diagnostics import shorten
from stratplan.proposals.importing import footnotes
from stratplan.proposals.importing.base import BaseParagraph
from stratplan.proposals.importing.state import Reading
from stratplan.proposals.importing.texts import plain
from stratplan.proposals.importing.units import Unit
from stratplan.proposals.review import Paragraph, reject_all

WHY = {
    "hidden text": "Word does not show it, so it is not a change",
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


def _report(r: Reading, paragraph: Paragraph, place: str) -> None:
    for unseen in paragraph.unseen:
        author = unseen.revision.author if unseen.revision is not None else r.editor[0]
        r.left_out(place, f"{unseen.what} by {author}, not imported: {WHY[unseen.what]}",
                   unseen.text)
    for change in paragraph.formatting:
        r.left_out(place, f"a formatting change by {change.author} ({change.what}), not "
                   "carried: the plan's text holds no formatting")
