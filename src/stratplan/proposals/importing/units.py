"""The review's units: the reviewed file's paragraphs as they were before the revisions (each
one a paragraph of the base, or a new one), and what each became.

A revised paragraph mark joins paragraphs: a deleted mark (two paragraphs merged) joins them
in the text as it is now, an inserted one (a paragraph split in two, or a new paragraph typed
after it) in the text as it was. So a unit is a paragraph as it was (`reject`), and the
paragraphs it became (`pieces`): none (deleted, or merged into the one before), one (its own,
maybe edited), or several (split, or new paragraphs typed at it), one of which is its own
(`piece`). The file's paragraphs the pieces are made of keep their spans, so each reviewer's
view of a piece can be read (`view`).

Footnote references read as `[^id]` markers: the base plan's footnote with that text, else a
new footnote (`Notes`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from stratplan import ir
from stratplan.diff.align import dice
from stratplan.proposals.importing.base import BaseParagraph
from stratplan.proposals.importing.texts import bag, plain
from stratplan.proposals.review import (
    Footnote,
    Review,
    Revision,
    Span,
    Taken,
    accept_all,
    by_authors,
    reject_all,
)
from stratplan.proposals.review import Paragraph as ReviewParagraph

MARKER = re.compile(r"\[\^([^\]]+)\]")
_REFERENCE = re.compile("\x00([^\x00]*)\x00")
_GENERATED_NUMBER = re.compile(r"^[\w.()–-]{1,12}:?\t")


class Notes:
    """Footnote references as markers: `[^id]` of the base plan's footnote with that text, or
    a new id. Several footnotes of one text (two "As defined in Article 7 ...") are told apart
    by the paragraph they are in (`like`)."""

    def __init__(self, document: ir.Document, footnotes: dict[str, Footnote]) -> None:
        self.by_text: dict[str, list[str]] = {}
        for note in document.footnotes:
            text = plain("".join(r.text for r in note.runs))
            self.by_text.setdefault(text, []).append(note.id)
        self.text_of = {i: t for t, ids in self.by_text.items() for i in ids}
        self.footnotes = footnotes
        self.new: dict[str, str] = {}  # text -> new id
        self.kept: dict[str, None] = {}  # base footnotes the file has empty, in order
        self.edited: dict[str, str] = {}  # a new id read as an edit of a base footnote

    def marker(self, text: str) -> str:
        text = plain(text)
        known = self.by_text.get(text)
        if known is not None:
            return f"[^{known[0]}]"
        if text not in self.new:
            n = len(self.new) + 1
            while f"note-{n}" in self.text_of:
                n += 1
            self.new[text] = f"note-{n}"
        return f"[^{self.new[text]}]"

    def of(self, ident: str, taken: Taken) -> str:
        """The marker of the file's footnote `ident` in a view: the base footnote it was
        before its revisions when there is one (an edit of its text is a change of the
        footnote, not of the paragraph), else one for its text in the view."""
        note = self.footnotes.get(ident)
        if note is None:
            return self.marker("")
        before = note.text(reject_all)
        if before and plain(before) in self.by_text:
            return self.marker(before)
        return self.marker(note.text(taken) or before)

    def resolve(self, value: str, taken: Taken) -> str:
        return _REFERENCE.sub(lambda m: self.of(m.group(1), taken), value)

    def like(self, old: str, new: str) -> str:
        """`new` with each footnote marker that has the same text as the one at its place in
        `old` written as in `old` (and an empty footnote, which a program lost the text of,
        as the one it was)."""
        olds = MARKER.findall(old)
        count = iter(range(len(MARKER.findall(new))))
        empty = self.new.get("")

        def keep(match: re.Match[str]) -> str:
            n = next(count)
            ident = match.group(1)
            if n < len(olds) and olds[n] != ident and (ident == empty or self.edited.get(
                    ident) == olds[n] or (ident in self.text_of and self.text_of.get(
                        olds[n]) == self.text_of[ident])):
                if ident == empty:
                    self.kept.setdefault(olds[n], None)
                return f"[^{olds[n]}]"
            return match.group(0)

        return MARKER.sub(keep, new)

    def new_ids(self) -> dict[str, str]:
        """The footnotes the reviewers added: new id -> text."""
        return {key: text for text, key in self.new.items()}


@dataclass(eq=False)
class Piece:
    """A paragraph as the reviewers left it: the file paragraphs it is made of (several when
    paragraph marks between them were deleted), and its text with every revision made."""

    sources: tuple[ReviewParagraph, ...]
    accept: str
    notes: Notes
    key: str | None = None  # what its bookmark claims (a new item's, in a redline)
    split: list[Revision] = field(default_factory=list)  # the inserted marks that made it

    def view(self, taken: Taken) -> str:
        parts: list[str] = []
        for source in self.sources:
            text = self.notes.resolve(source.text(taken), taken)
            # Two paragraphs merged: the second's number, which the templates computed, goes.
            parts.append(_GENERATED_NUMBER.sub("", text, count=1) if "".join(parts).strip()
                         else text)
        return "".join(parts)

    @property
    def first(self) -> ReviewParagraph:
        return self.sources[0]

    @property
    def spans(self) -> list[Span]:
        return [s for p in self.sources for s in p.spans]

    @property
    def revisions(self) -> list[Revision]:
        return [r for p in self.sources for r in p.revisions] + self.split


@dataclass(eq=False)
class Unit:
    """A paragraph of the reviewed file as it was before the revisions, its key (what its
    bookmark claims: checked by the alignment), and the paragraphs it became."""

    sources: tuple[ReviewParagraph, ...]
    key: str | None
    reject: str
    piece: Piece | None = None  # its own paragraph now; None: deleted or merged away
    before: list[Piece] = field(default_factory=list)  # new paragraphs before its own
    after: list[Piece] = field(default_factory=list)  # and after it (a split's second half)
    merged: list[Revision] = field(default_factory=list)  # the deleted marks that merged it

    @property
    def accept(self) -> str:
        return self.piece.accept if self.piece is not None else ""

    @property
    def source(self) -> ReviewParagraph:
        """The file paragraph it starts with (its place: table, row, cell, style)."""
        return self.sources[0]

    @property
    def index(self) -> int:
        return self.sources[0].index

    @property
    def revisions(self) -> list[Revision]:
        found = [r for p in self.sources for r in p.revisions] + self.merged
        if self.piece is not None:
            found += [r for p in self.piece.sources if p not in self.sources
                      for r in p.revisions]
        return found

    def view(self, author: str) -> str:
        """Its own paragraph as `author` made it: their revisions made, everyone else's
        undone, but for the revisions theirs are made inside (a reviewer who edits inside
        another's insertion edits that text)."""
        if self.piece is None:
            return ""
        return self.piece.view(by_authors(frozenset({author, *beneath(author,
                                                                       self.piece.spans)})))

    def authors(self) -> list[tuple[str, str]]:
        """(author, latest date) of each reviewer who changed it, in order of appearance."""
        return authors_of(self.revisions)


def authors_of(revisions: Iterable[Revision]) -> list[tuple[str, str]]:
    found: dict[str, str] = {}
    for revision in revisions:
        found[revision.author] = max(found.get(revision.author, ""), revision.date)
    return list(found.items())


def beneath(author: str, spans: list[Span]) -> set[str]:
    """The reviewers whose insertions `author` edited inside: a deletion of theirs inside
    another's insertion, or an insertion of theirs between two pieces of another's."""
    out: set[str] = set()
    for n, span in enumerate(spans):
        mine = [r for r in span.revisions if r.author == author]
        if not mine:
            continue
        for revision in span.revisions:
            if revision.kind == "ins" and revision.author != author:
                out.add(revision.author)
        if span.revisions and span.revisions[-1].kind == "ins":
            before = _inserters(spans[n - 1]) if n else set()
            after = _inserters(spans[n + 1]) if n + 1 < len(spans) else set()
            out |= (before & after) - {author}
    return out


def _inserters(span: Span) -> set[str]:
    return {r.author for r in span.revisions if r.kind == "ins"}


def without_the_documents_own_revisions(review: Review, names: dict[str, str],
                                        base: list[BaseParagraph]) -> None:
    """The render's own revisions are not the reviewer's: an alternative that is an edit of
    its base is shown as tracked changes by its source. In those paragraphs, that source's
    insertions become text and its deletions go, where that gives the base's text: what is
    left is what the reviewers did. (A reviewer of the same name elsewhere stays one.)"""
    own = {b.key: (b.paragraph.author, b.text) for b in base
           if b.paragraph.tracked and b.paragraph.author}
    if not own:
        return
    for paragraph in review.paragraphs:
        key = next((names[n] for n in paragraph.names if n in names), None)
        author, text = own.get(key or "", (None, ""))
        if author is None:
            continue
        spans = []
        for span in paragraph.spans:
            theirs = [r for r in span.revisions if r.author == author]
            if any(r.kind == "del" for r in theirs):
                continue
            spans.append(Span(span.text, tuple(r for r in span.revisions if r.author != author),
                              span.footnote, span.hidden))
        was = "".join(s.text for s in spans if s.footnote is None and not any(
            r.kind == "ins" for r in s.revisions))
        if plain(was) == plain(MARKER.sub("", text)):
            paragraph.spans = spans


def _container(paragraph: ReviewParagraph) -> tuple[int | None, int | None, int | None]:
    return paragraph.table, paragraph.row, paragraph.cell


def _groups(paragraphs: list[ReviewParagraph]) -> list[list[ReviewParagraph]]:
    """Runs of consecutive paragraphs of one container joined by revised paragraph marks."""
    groups: list[list[ReviewParagraph]] = []
    joined = False
    for n, paragraph in enumerate(paragraphs):
        if joined and groups and _container(groups[-1][-1]) == _container(paragraph):
            groups[-1].append(paragraph)
        else:
            groups.append([paragraph])
        nxt = paragraphs[n + 1] if n + 1 < len(paragraphs) else None
        joined = paragraph.mark is not None and nxt is not None and \
            _container(nxt) == _container(paragraph)
    return groups


def _split(group: list[ReviewParagraph], joins: str) -> list[list[ReviewParagraph]]:
    """The group cut into paragraphs where the marks are not of kind `joins` (an inserted
    mark did not exist before; a deleted one does not now)."""
    out: list[list[ReviewParagraph]] = [[]]
    for n, paragraph in enumerate(group):
        out[-1].append(paragraph)
        last = n == len(group) - 1
        if not last and (paragraph.mark is None or paragraph.mark.kind != joins):
            out.append([])
    return out


def build_units(review: Review, names: dict[str, str], notes: Notes) -> list[Unit]:
    """The file's paragraphs as units (see the module's docstring), in document order; a
    paragraph with no text before and none now is none."""
    units: list[Unit] = []
    for group in _groups(review.paragraphs):
        befores = _split(group, "ins")
        afters = _split(group, "del")
        group_units = []
        owner: dict[int, Unit] = {}
        for sources in befores:
            text = "".join(notes.resolve(p.text(reject_all), reject_all) for p in sources)
            key = next((names[n] for p in sources for n in p.names if n in names), None)
            unit = Unit(tuple(sources), key, text)
            group_units.append(unit)
            for p in sources:
                owner[p.index] = unit
        pieces: dict[int, list[Piece]] = {id(u): [] for u in group_units}
        for sources in afters:
            key = next((names[n] for p in sources for n in p.names if n in names), None)
            piece = Piece(tuple(sources), "", notes, key)
            piece.accept = piece.view(accept_all)
            if not piece.accept.strip():
                continue
            contributors = [p for p in sources if p.text(accept_all).strip()]
            unit = owner[(contributors or sources)[0].index]
            pieces[id(unit)].append(piece)
        merged_into = {p.index: piece for found in pieces.values() for piece in found
                       for p in piece.sources}
        for unit in group_units:
            found = pieces[id(unit)]
            into = next((merged_into[p.index] for p in unit.sources if p.index in
                         merged_into), None)
            if not found and into is not None:  # merged into the paragraph before it
                unit.merged = [p.mark for p in into.sources if p.mark is not None]
            if found:
                own = max(range(len(found)), key=lambda n: (
                    _similarity(unit.reject, found[n].accept), -n))
                unit.piece = found[own]
                unit.before, unit.after = found[:own], found[own + 1:]
                marks = [p.mark for p in unit.sources if p.mark is not None and
                         p.mark.kind == "ins"]
                for piece in [*unit.before, *unit.after]:
                    if not piece.revisions:  # a split's half: the split is its revision
                        piece.split = marks
            if unit.reject.strip() or unit.piece is not None:
                units.append(unit)
    return units


def _similarity(a: str, b: str) -> float:
    return dice(bag(a), bag(b)) if a.strip() else 0.0
