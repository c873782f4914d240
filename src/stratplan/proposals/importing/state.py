"""The interpretation's state: what the interpreters of each kind of edit share while the
import walks the aligned document (the changes found so far, what was reported, what the
document has shown before the current paragraph, the items added).

Each interpreter (`modify`, `paragraphs`, `items`, `rows`, `moves`, `footnotes`, `comments`,
`unseen`) is a module of functions over a `Reading`; a test builds one from a plan and a few
units, and calls one interpreter alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stratplan import ir, keys
from stratplan.diagnostics import Diagnostic, Location, Severity, display_path, shorten
from stratplan.model.address import canonical_of, ids_in, join
from stratplan.model.facts import DataPath, collections
from stratplan.model.finance import ResourceTable, compute_resources
from stratplan.model.plan import Plan
from stratplan.proposals.importing.base import BaseParagraph
from stratplan.proposals.importing.changes import AnyChange
from stratplan.proposals.importing.index import Leaf, PlanIndex, item_key
from stratplan.proposals.importing.units import Notes, Piece, Unit, authors_of
from stratplan.proposals.review import Review, by_authors

UNTRACKED = "Reviewer"  # the author of an edited copy that says nothing of its editor
LEFT_OUT = "SP806"
KEPT = "SP815"


@dataclass
class Pending:
    """A field of a mapping the plan may not have yet (the cover's): written once all are
    found (`items.flush_singletons`)."""

    name: str
    is_list: bool
    value: str
    author: str
    date: str
    place: str


@dataclass
class Reading:
    """What the interpreters share (see the module's docstring)."""

    review: Review
    index: PlanIndex
    document: ir.Document
    base: list[BaseParagraph]
    notes: Notes
    contributor: str | None = None
    editor: tuple[str, str] = (UNTRACKED, "")  # who made the untracked edits, and when
    own_margins: bool = True  # the render wrote the footer (no house style's header, footer)
    changes: list[AnyChange] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    before: dict[int, str] = field(default_factory=dict)  # a unit (id) -> its base's text
    base_of: dict[int, BaseParagraph] = field(default_factory=dict)  # a unit (id) -> its base
    reported: set[int] = field(default_factory=set)  # file paragraphs reported as left out
    kept: set[str] = field(default_factory=set)  # base texts a report keeps as they are
    suppressed: list[DataPath] = field(default_factory=list)  # what suppressions take out
    kept_bases: set[int] = field(default_factory=set)  # base paragraphs the file still has
    rows_deleted: set[str] = field(default_factory=set)  # base rows the file has none of
    renders: dict[DataPath, list[BaseParagraph]] = field(default_factory=dict)
    leaves_of: dict[int, list[DataPath]] = field(default_factory=dict)
    seen: list[tuple[str, str]] = field(default_factory=list)  # (list, item) shown so far
    rows: dict[tuple[int, int], str] = field(default_factory=dict)  # a file row -> its item
    group_source: str | None = None  # the source whose group of rows this is
    added: dict[str, str] = field(default_factory=dict)  # new item key -> its address
    added_by_text: dict[tuple[str, str, str], Any] = field(default_factory=dict)
    # The value a label prints for several items' field, as the file has it, by the fields it
    # shows ("Targets for Goal 1 ... – by 2031:": the deadline of the goal's targets): a new
    # item among them takes it too.
    shown: dict[tuple[str, ...], str] = field(default_factory=dict)
    pending: dict[str, list[Pending]] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)
    moved: set[str] = field(default_factory=set)  # the items moved (their keys)
    shadowed: dict[int, list[AnyChange]] = field(default_factory=dict)  # by a Suppress (id)
    holders: dict[int, DataPath | None] = field(default_factory=dict)  # comments' holders
    found_in: dict[int, AnyChange] = field(default_factory=dict)  # a file paragraph's change
    matched_comments: set[str] = field(default_factory=set)  # the base's, unchanged
    footnote_edits: set[tuple[str, str]] = field(default_factory=set)  # (footnote, author)
    resources: ResourceTable | None = None

    @classmethod
    def of(cls, review: Review, plan: Plan, data: dict[str, Any], document: ir.Document,
           base: list[BaseParagraph], notes: Notes, contributor: str | None = None,
           editor: tuple[str, str] = (UNTRACKED, "")) -> Reading:
        return cls(review, PlanIndex(plan, data), document, base, notes, contributor, editor,
                   ids=ids_in(data), resources=compute_resources(plan))

    @property
    def plan(self) -> Plan:
        return self.index.plan

    @property
    def data(self) -> dict[str, Any]:
        return self.index.data

    # -- what comes out --

    def left_out(self, place: str, message: str, text: str = "", hint: str = "",
                 unit: Unit | None = None, pieces: list[Piece] | None = None,
                 size: int = 160) -> None:
        """SP806: an edit the plan cannot carry, by its place, quoting its words."""
        if unit is not None:
            self.reported.update(p.index for p in unit.sources)
            if unit.piece is not None:
                self.reported.update(p.index for p in unit.piece.sources)
            if id(unit) in self.before:  # its text stays as the plan has it
                self.kept.add(self.before[id(unit)])
        for piece in pieces or []:
            self.reported.update(p.index for p in piece.sources)
        quote = f": “{shorten(text, size)}”" if text.strip() else ""
        self.problems.append(Diagnostic(
            LEFT_OUT, Severity.WARNING, f"{place}: {message}{quote}",
            Location(display_path(self.review.path)), hint,
        ))

    def notice(self, message: str) -> None:
        """SP815 (information): text the file lost, kept as the plan has it."""
        self.problems.append(Diagnostic(KEPT, Severity.INFO, message,
                                        Location(display_path(self.review.path))))

    def add(self, change: AnyChange, source: Unit | Piece | None = None) -> AnyChange:
        """A change found (its author the contributor given, if one was), from the file's
        paragraphs `source`; several after one place are applied in the order found."""
        if self.contributor:
            change.author = self.contributor
        self.changes.append(change)
        if source is not None:
            for paragraph in source.sources:
                self.found_in.setdefault(paragraph.index, change)
            if isinstance(source, Unit) and source.piece is not None:
                for paragraph in source.piece.sources:
                    self.found_in.setdefault(paragraph.index, change)
        return change

    # -- who --

    def authors_of(self, unit: Unit | Piece) -> list[tuple[str, str]]:
        """(author, date) of each reviewer who changed it; an untracked edit's is the
        editor's (the contributor given, else the file's last editor, else "Reviewer")."""
        return authors_of(unit.revisions) or [self.editor]

    def piece_text(self, piece: Piece, author: str) -> str:
        """A new paragraph as `author` typed it (every revision made, in an untracked
        copy)."""
        if not self.review.tracked:
            return piece.accept
        return piece.view(by_authors(frozenset({author})))

    def text_by(self, unit: Unit, author: str) -> str:
        """Its own paragraph as `author` left it (every revision made, in a copy without
        tracked changes)."""
        return unit.view(author) if self.review.tracked else unit.accept

    @staticmethod
    def place_of_new(piece: Piece) -> str:
        return f"a new paragraph “{shorten(piece.accept)}”"

    # -- what the document has shown so far, for new items' references and places --

    def see(self, b: BaseParagraph, u: Unit | None) -> None:
        """Remember the items a paragraph renders (in document order) and, in a table, the
        item of its row."""
        for _, _, leaf in self.index.occurrences_of(b):
            self.see_leaf(leaf)
        if u is not None and u.source.table is not None:
            item = self.index.item_paths.get(item_key(b.row or "") or "")
            if item is not None:
                self.rows[(u.source.table, u.source.row or 0)] = self.index.address(item)

    def see_leaf(self, leaf: Leaf) -> None:
        path = leaf.path
        for depth in range(len(path)):
            if isinstance(path[depth], int):
                element = path[: depth + 1]
                self.seen.append((self.index.address(element[:-1]),
                                  canonical_of(self.data, element)[-1]))

    def last_seen(self, listing: str) -> str | None:
        return next((label for seen, label in reversed(self.seen) if seen == listing), None)

    def model_of(self, address: str) -> Any:
        key = self.index.item_addresses.get(address)
        if key is not None:
            return self.index.kind_models.get(keys.parse(key).kind)
        for item, added in self.added.items():
            if added == address:
                return self.index.kind_models.get(keys.parse(item).kind)
        return None

    def list_of_kind(self, address: str, kind: str) -> str | None:
        """The list for items of `kind` in the item at `address`, if its model has one."""
        model = self.model_of(address)
        if model is None:
            return None
        for name, inner in collections(model).items():
            if vars(inner).get("kind") == kind:
                return join(address, name)
        return None
