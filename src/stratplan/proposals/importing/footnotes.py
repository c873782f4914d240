"""Footnotes: a footnote's text edited (tracked inside the footnote, or in an untracked copy)
is a `Modify` of the plan's footnote; a footnote added is a new footnote the changed
paragraph refers to (the contribution's `footnotes`); a footnote removed is the paragraph
changed, and the footnote suppressed when nothing else refers to it.
"""

from __future__ import annotations

from stratplan.diagnostics import shorten
from stratplan.model.address import AddressError, join, resolve
from stratplan.proposals.importing.base import BaseParagraph
from stratplan.proposals.importing.changes import Modify, Suppress
from stratplan.proposals.importing.state import Reading
from stratplan.proposals.importing.texts import plain
from stratplan.proposals.importing.units import MARKER, authors_of, beneath
from stratplan.proposals.review import by_authors, reject_all

FOOTNOTES = "footnotes"  # the plan's field of footnote texts by id


def place(r: Reading, ident: str) -> str:
    """A footnote as the document names it: its number, and its first words."""
    order = [note.id for note in r.document.footnotes]
    number = order.index(ident) + 1 if ident in order else "?"
    return f"footnote {number} (“{shorten(r.notes.text_of.get(ident, ''), 40)}”)"


def _edit(r: Reading, ident: str, text: str, author: str, date: str) -> None:
    key = (ident, author)
    if key in r.footnote_edits or plain(text) == r.notes.text_of.get(ident):
        return
    r.footnote_edits.add(key)
    r.add(Modify(author=author, date=date, place=place(r, ident),
                 target=join(FOOTNOTES, ident), value=" ".join(text.split())))


def tracked_edits(r: Reading) -> None:
    """Revisions inside the base's footnotes: each reviewer's text of the footnote."""
    for note in r.review.footnotes.values():
        revisions = note.revisions
        if not revisions:
            continue
        before = plain(note.text(reject_all))
        known = r.notes.by_text.get(before)
        if not before or not known:
            continue  # a new footnote: the paragraph that refers to it carries it
        spans = [s for p in note.paragraphs for s in p.spans]
        for author, date in authors_of(revisions):
            text = note.text(by_authors(frozenset({author, *beneath(author, spans)})))
            if text.strip():
                _edit(r, known[0], text, author, date)


def edited_in_place(r: Reading, b: BaseParagraph, new: str, author: str, date: str) -> str:
    """`new` (a paragraph's text as a reviewer left it) with each footnote whose text was
    edited without Track Changes (a new footnote where the base had one, at the same place)
    read as an edit of the base's footnote: that footnote's `Modify`, and its marker kept."""
    olds = MARKER.findall(b.text)
    news = MARKER.findall(new)
    if len(olds) != len(news):
        return new
    fresh = r.notes.new_ids()
    for old, found in zip(olds, news, strict=True):
        if old != found and found in fresh and old in r.notes.text_of:
            if fresh[found].strip():
                _edit(r, old, fresh[found], author, date)
                r.notes.edited[found] = old
            new = new.replace(f"[^{found}]", f"[^{old}]", 1)
    return new


def kept(r: Reading) -> None:
    """SP815: the footnotes that came back empty, kept as the plan has them."""
    if not r.notes.kept:
        return
    which = ", ".join(place(r, ident) for ident in r.notes.kept)
    r.notice(f"{which}: empty in the file, kept as the plan has it (a program may have lost "
             "its text; to take a footnote out, delete its reference)")


def removed(r: Reading) -> None:
    """A footnote whose one reference a change takes out: suppressed with it (a footnote
    nothing refers to is an error of the plan, SP105)."""
    references: dict[str, int] = {}
    for leaf in r.index.leaves:
        for ident in MARKER.findall(leaf.value):
            references[ident] = references.get(ident, 0) + 1
    gone: set[str] = set()
    for change in list(r.changes):
        if not isinstance(change, Modify) or not isinstance(change.value, str):
            continue
        address = join(change.target, change.field) if change.field else change.target
        try:
            old = resolve(r.data, address).value
        except AddressError:
            continue
        if not isinstance(old, str):
            continue
        for ident in set(MARKER.findall(old)) - set(MARKER.findall(change.value)):
            if references.get(ident) == 1 and ident not in gone and ident in \
                    r.plan.footnotes:
                gone.add(ident)
                r.add(Suppress(author=change.author, date=change.date,
                               place=place(r, ident), target=join(FOOTNOTES, ident)))
