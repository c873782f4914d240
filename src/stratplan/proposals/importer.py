"""A reviewed Word file back into contributions, addressed by the plan's ids.

The reviewed file's paragraphs (`review`) are aligned with the base plan's document: first by
the key each paragraph's hidden bookmark carries, then, between those anchors, by their text
as it was before the reviewer's changes (the redline's own aligner), so a paragraph whose key
was lost still finds its place. Each difference then becomes a change of the plan's data:

- a changed paragraph: `modify` of the field whose text it renders (found by the field's
  text in the paragraph; text the templates generate around it, such as numbers, is not in
  the plan, and a change there is reported);
- an inserted paragraph or table row: `add` of an item like its neighbour's, in the same list
  (a new line in a goal's target list is a target of that goal; a new row of the outcomes
  table an outcome of that priority; a new paragraph of a section a section paragraph), with
  an id made from its text;
- a deleted paragraph or row: `suppress` of what it renders;
- an edited Appendix A amount: the row's `amounts`;
- a comment: the reasons of the change it is anchored on, or a drafting comment of the item.

Several reviewers in one file give one contribution each. Nothing is dropped in silence: what
the plan cannot express is a diagnostic (SP806) that names the place and quotes the text.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from stratplan import ir, keys
from stratplan.changes.amend import amend
from stratplan.diagnostics import (
    Diagnostic,
    Location,
    Severity,
    StratplanError,
    display_path,
    shorten,
)
from stratplan.diff.align import Aligner, dice
from stratplan.model.address import (
    AddressError,
    canonical_of,
    format_path,
    ids_in,
    join,
    resolve,
)
from stratplan.model.address import parent as address_parent
from stratplan.model.contribution import Contribution
from stratplan.model.facts import (
    DataPath,
    collections,
    field_facts,
    members,
    models_in,
    prose,
)
from stratplan.model.finance import compute_resources
from stratplan.model.plan import Para, Plan
from stratplan.model.walk import all_models, model_for_path
from stratplan.proposals.review import Paragraph as ReviewParagraph
from stratplan.proposals.review import Review
from stratplan.render.document import plan_document
from stratplan.source.reader import SourceMap
from stratplan.workspace import LoadedContribution, Workspace
from stratplan.writers.docx.bookmarks import bookmark_name

_WORDS = re.compile(r"\w+", re.UNICODE)
_TYPED_NUMBER = re.compile(r"^\s*((\d+(\.\d+)*|[a-z])[:.)]?|[–•-])\t?\s*(?=\S)")
_SOURCED = re.compile(r"^\[([^\]]+)\]\s+(.+)$", re.S)  # "[TSAG] text": a named source's
RESOURCE_ROW = "resource"  # the kind of Appendix A's rows in the templates' keys
FREE = ""  # the aligner's name for a paragraph whose key is no identity: paired by text
UNTRACKED = "Reviewer"  # the author of an edited copy without tracked changes
MIN_SHARE = 0.5  # of the base document's paragraphs the file must still have
MIN_SAME_TEXT = 0.9  # of them, word for word, in a file made from another plan (a redline)


# --- the base document ------------------------------------------------------------------------


@dataclass
class Base:
    """A paragraph of the base plan's document, as the writer puts it in the file."""

    paragraph: ir.Paragraph
    text: str  # number, tab, text; footnote references as [^id]
    place: str  # where it is, page-independently: "2.5 Targets ..., paragraph 17"
    table: str | None = None  # the table key, row key and cell index, in a table
    row: str | None = None
    cell: int | None = None

    @property
    def key(self) -> str:
        return self.paragraph.key


def _text(paragraph: ir.Paragraph) -> str:
    """The paragraph as a reader sees it with its own revisions (a tracked alternative's)
    accepted."""
    body = "".join(f"[^{r.footnote}]" if r.footnote else r.text for r in paragraph.runs
                   if r.change != "del")
    return f"{paragraph.number}\t{body}" if paragraph.number else body


def _value_spans(paragraph: ir.Paragraph) -> list[tuple[int, int, tuple[str, ...]]]:
    """Where `_text(paragraph)` prints plan fields' values a template derived (start, end,
    the fields' addresses)."""
    offset = len(paragraph.number) + 1 if paragraph.number else 0
    out = []
    for run in paragraph.runs:
        size = len(f"[^{run.footnote}]") if run.footnote else len(run.text)
        if run.shows:
            out.append((offset, offset + size, run.shows))
        offset += size
    return out


def base_paragraphs(document: ir.Document) -> list[Base]:
    """The document's paragraphs with content, in the order the writer writes them."""
    out: list[Base] = []
    heading = "the front matter"
    for block in document.blocks:
        if isinstance(block, ir.Paragraph):
            if block.style.startswith("heading"):
                heading = f"{block.number} {block.text}".strip()
            if block.number or block.runs:
                where = f"paragraph {block.number}" if block.number and block.style == \
                    "numbered" else f"“{shorten(block.text)}”"
                out.append(Base(block, _text(block), f"{heading}, {where}"))
            continue
        for r, row in enumerate(block.rows, start=1):
            for c, cell in enumerate(row.cells):
                for paragraph in cell.blocks:
                    if paragraph.number or paragraph.runs:
                        out.append(Base(paragraph, _text(paragraph),
                                        f"{heading}, table {block.key}, row {r}",
                                        block.key, row.key, c))
    return out


# --- the reviewed file, as units -------------------------------------------------------------


@dataclass
class Unit:
    """A paragraph of the reviewed file with content, its key and its texts."""

    source: ReviewParagraph
    key: str | None
    accept: str
    reject: str

    def view(self, author: str) -> str:
        """The text with only `author`'s revisions accepted, everyone else's rejected."""
        out = []
        for span in self.source.spans:
            revision = span.revision
            mine = revision is not None and revision.author == author
            keep = revision is None or (revision.kind == "ins") == mine
            if keep:
                out.append(span.footnote if span.footnote is not None else span.text)
        return "".join(out)

    @property
    def authors(self) -> list[str]:
        return list(dict.fromkeys(r.author for r in self.source.revisions))


@dataclass
class FoundChange:
    """One change found, before it is written as a contribution's change."""

    author: str
    date: str
    data: dict[str, Any]  # the contribution change, as it is written
    place: str
    comments: list[str] = field(default_factory=list)


@dataclass
class Imported:
    base: Plan
    changes: list[FoundChange]
    diagnostics: list[Diagnostic]
    footnotes: dict[str, str]  # new footnotes the changes' texts refer to
    tracked: bool


class _Footnotes:
    """Footnote references: [^id] of the base plan's footnote with that text, or a new id.
    Several footnotes of one text (two "As defined in Article 7 ...") are told apart by the
    paragraph they are in (`like`)."""

    def __init__(self, document: ir.Document) -> None:
        self.by_text: dict[str, list[str]] = {}
        for note in document.footnotes:
            text = " ".join("".join(r.text for r in note.runs).split())
            self.by_text.setdefault(text, []).append(note.id)
        self.text_of = {i: t for t, ids in self.by_text.items() for i in ids}
        self.new: dict[str, str] = {}

    def marker(self, text: str) -> str:
        text = " ".join(text.split())
        known = self.by_text.get(text)
        if known is None:
            return f"[^{self.new.setdefault(text, f'note-{len(self.new) + 1}')}]"
        return f"[^{known[0]}]"

    def resolve(self, value: str) -> str:
        return re.sub("\x00([^\x00]*)\x00", lambda m: self.marker(m.group(1)), value)

    def like(self, old: str, new: str) -> str:
        """`new` with each footnote marker that has the same text as the one at its place in
        `old` written as in `old`."""
        olds = _MARKER.findall(old)
        count = iter(range(len(_MARKER.findall(new))))

        def keep(match: re.Match[str]) -> str:
            n = next(count)
            ident = match.group(1)
            if n < len(olds) and olds[n] != ident and ident in self.text_of and \
                    self.text_of.get(olds[n]) == self.text_of[ident]:
                return f"[^{olds[n]}]"
            return match.group(0)

        return _MARKER.sub(keep, new)

    def new_ids(self) -> dict[str, str]:
        """The footnotes the reviewer added: new id -> text."""
        return {key: text for text, key in self.new.items()}


_MARKER = re.compile(r"\[\^([^\]]+)\]")


def _without_the_documents_own_revisions(review: Review, names: dict[str, str],
                                        document: ir.Document) -> None:
    """The render's own revisions are not the reviewer's: an alternative that is an edit of
    its base is shown as tracked changes by its source. In those paragraphs, that source's
    insertions become text and its deletions go; what is left is what the reviewers did."""
    own = {p.key: p.author for p in ir.iter_paragraphs(document.blocks)
           if p.tracked and p.author}
    if not own:
        return
    for paragraph in review.paragraphs:
        key = next((names[n] for n in paragraph.names if n in names), None)
        author = own.get(key or "")
        if author is None:
            continue
        spans = []
        for span in paragraph.spans:
            if span.revision is not None and span.revision.author == author:
                if span.revision.kind == "del":
                    continue
                span = replace(span, revision=None)
            spans.append(span)
        paragraph.spans = spans
    review.tracked = any(p.revisions for p in review.paragraphs)


def _units(review: Review, names: dict[str, str], notes: _Footnotes) -> list[Unit]:
    out = []
    for paragraph in review.paragraphs:
        accept = notes.resolve(paragraph.text("accept"))
        reject = notes.resolve(paragraph.text("reject"))
        if not accept.strip() and not reject.strip():
            continue
        key = next((names[n] for n in paragraph.names if n in names), None)
        out.append(Unit(paragraph, key, accept, reject))
    for unit in out:  # the per-author views resolve footnotes the same way
        for span in unit.source.spans:
            if span.footnote is not None and not span.footnote.startswith("[^"):
                span.footnote = notes.marker(span.footnote)
    return out


# --- alignment --------------------------------------------------------------------------------


def _bag(text: str) -> Counter[str]:
    return Counter(_WORDS.findall(text))


def align(
    base: list[Base], units: list[Unit], tracked: bool, positional: bool = True,
    counted: Callable[[str], bool] = keys.is_positional,
) -> list[tuple[Base | None, Unit | None]]:
    """Pairs (base paragraph, unit): by key where the key is one of the base's, then by text
    between those anchors; (base, None) a paragraph gone, (None, unit) one added. Keys that
    count places (`counted`) are identities only when `positional`."""
    once = Counter(b.key for b in base if positional or not counted(b.key))

    # A key the file's bookmark carries is an identity, a prose paragraph's positional one
    # ("#s:overview/p3") included, as long as both sides number their paragraphs the same
    # (`positional`): "=" makes the aligner anchor on it.
    def key_of_base(b: Base) -> str:
        return b.key if once[b.key] == 1 else FREE

    known = {b.key: b for b in base if once[b.key] == 1}

    def before(u: Unit) -> str:
        return u.reject if tracked else u.accept

    def key_of_unit(u: Unit) -> str:
        # In a file with tracked changes, a paragraph as it was before them is the base's: a
        # key on other text is damaged (another tool's comparison carries the keys of the
        # document it compared against), and the text decides.
        b = known.get(u.key or "")
        if b is None or (tracked and dice(_bag(b.text), _bag(before(u))) < 0.5):
            return FREE
        return u.key or FREE

    pairs: list[tuple[Base | None, Unit | None]] = []
    first = Aligner[Any](
        key=lambda x: key_of_base(x) if isinstance(x, Base) else key_of_unit(x),
        free=lambda k: k == FREE,
        bag=lambda x: _bag(x.text if isinstance(x, Base) else before(x)),
    )
    raw = first(list(base), list(units))
    # Between the anchors, pair by text alone (a paragraph whose key was lost or damaged).
    gap_old: list[Any] = []
    gap_new: list[Any] = []
    second = Aligner[Any](key=lambda _: FREE, free=lambda k: k == FREE,
                          bag=lambda x: _bag(x.text if isinstance(x, Base) else before(x)))

    def flush() -> None:
        if gap_old or gap_new:
            pairs.extend(second(list(gap_old), list(gap_new)))
            gap_old.clear()
            gap_new.clear()

    for old, new in raw:
        if old is not None and new is not None:
            flush()
            pairs.append((old, new))
        elif old is not None:
            gap_old.append(old)
        else:
            gap_new.append(new)
    flush()
    return pairs


# --- from the plan's data -------------------------------------------------------------------


@dataclass
class Leaf:
    path: DataPath
    value: str


class _Plan:
    """The base plan's data and prose, to find which field a paragraph's text comes from."""

    def __init__(self, plan: Plan, data: dict[str, Any]) -> None:
        self.plan = plan
        self.data = data
        self.leaves = [Leaf(p, v) for p, v in prose(plan) if v.strip()]
        self.kinds = {
            kind: (name, model)
            for name, model in collections(Plan).items()
            if isinstance(kind := vars(model).get("kind"), str)
        }
        self.kind_models = {
            str(vars(m)["kind"]): m for m in all_models(Plan) if "kind" in vars(m)
        }
        self.item_paths: dict[str, DataPath] = {}
        for path, value in self._items(plan, ()):
            kind = vars(type(value)).get("kind")
            if isinstance(kind, str):
                self.item_paths.setdefault(keys.key(kind, value.id), path)

    def _items(self, node: Any, path: DataPath) -> Iterator[tuple[DataPath, Any]]:
        from pydantic import BaseModel

        if isinstance(node, BaseModel):
            if getattr(node, "id", None):
                yield path, node
            for name in type(node).model_fields:
                value = getattr(node, name)
                if isinstance(value, BaseModel | list):
                    yield from self._items(value, (*path, name))
        elif isinstance(node, list):
            for index, item in enumerate(node):
                yield from self._items(item, (*path, index))

    def model_at(self, path: DataPath) -> Any:
        """The model class of the node at `path` (Para for a paragraph written as text)."""
        try:
            return resolve(self.data, self.address(path)).model
        except AddressError:
            return None

    def address(self, path: DataPath) -> str:
        return format_path(self.data, path)

    def owner(self, path: DataPath) -> str | None:
        """The innermost item (by key) that holds the data at `path`."""
        best: tuple[int, str | None] = (-1, None)
        for item, at in self.item_paths.items():
            if len(at) > best[0] and path[: len(at)] == at:
                best = (len(at), item)
        return best[1]

    def counted(self, key: str) -> bool:
        """A key that counts places rather than naming an item: a prose paragraph's
        ("#s:overview/p3"), or one of an item without an id ("value:2")."""
        if keys.is_positional(key):
            return True
        read = keys.parse(key)
        kind, name = read.kind, read.name
        if name.isdigit():
            return True  # a template's loop.index ("value:2", "term:4")
        model = self.kind_models.get(kind)
        return model is not None and "id" not in model.model_fields

    def scope_key(self, b: Base) -> str:
        """The key that says whose text `b` is: its own, or, for a cell whose key only counts
        places, its row's (a matrix row names its output)."""
        if self.counted(b.key) and b.row and _item_key(b.row) in self.item_paths:
            return b.row
        return b.key

    def occurrences_of(self, b: Base) -> list[tuple[int, int, Leaf]]:
        return self.occurrences(b.text, self.scope_key(b))

    def occurrences(self, text: str, key: str) -> list[tuple[int, int, Leaf]]:
        """Where the plan's prose occurs in `text` (start, end, leaf), preferring the item
        the key names; the longest leaves first."""
        item = _item_key(key)
        within = self.item_paths.get(item) if item else None
        section = keys.section_of(key) if keys.is_positional(key) else None
        section_path = self.item_paths.get(section) if section else None
        top = keys.parse(key).kind
        singleton = (top,) if top in Plan.model_fields and not within else None
        scope = within or section_path or singleton
        candidates = [
            leaf for leaf in self.leaves
            if leaf.value in text and (scope is None or leaf.path[: len(scope)] == scope)
        ]
        if not candidates and scope is not None:
            candidates = [leaf for leaf in self.leaves if leaf.value in text]
        out: list[tuple[int, int, Leaf]] = []
        for leaf in sorted(candidates, key=lambda leaf: -len(leaf.value)):
            start = text.find(leaf.value)
            while start >= 0:
                end = start + len(leaf.value)
                if not any(s <= start and end <= e for s, e, _ in out):
                    out.append((start, end, leaf))
                start = text.find(leaf.value, start + 1)
        return sorted(out, key=lambda o: o[0])


def _item_key(key: str) -> str | None:
    """What a key names by kind (its head: `#s:x/p3` -> `s:x`), if anything."""
    read = keys.parse(key)
    return read.head if read.kind else None


def _element(paths: list[DataPath]) -> DataPath:
    """The innermost list element (or top-level field) that holds all these paths."""
    if not paths:
        return ()
    common = list(paths[0])
    for path in paths[1:]:
        n = 0
        while n < min(len(common), len(path)) and common[n] == path[n]:
            n += 1
        del common[n:]
    while common and not isinstance(common[-1], int) and len(common) > 1:
        common.pop()
    return tuple(common)


def _slug(text: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-") or "item"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def _parse_amount(text: str) -> int | None:
    digits = re.sub(r"[\s\u00a0\u202f]", "", text).replace("−", "-")
    return int(digits) if re.fullmatch(r"-?\d+", digits) else None


# --- the import ----------------------------------------------------------------------------------


class _Importer:
    def __init__(self, review: Review, plan: Plan, data: dict[str, Any],
                 document: ir.Document, contributor: str | None) -> None:
        self.review = review
        self.plan = _Plan(plan, data)
        self.document = document
        self.contributor = contributor
        self.notes = _Footnotes(document)
        self.base = base_paragraphs(document)
        self.changes: list[FoundChange] = []
        self.problems: list[Diagnostic] = []
        self.units: list[Unit] = []
        self.before: dict[int, str] = {}  # a paragraph of the file -> the base text it aligns with
        self.reported: set[int] = set()  # review paragraphs already reported as left out
        self.kept: set[str] = set()  # texts of deletions already reported as left out
        self.suppressed: list[DataPath] = []  # what the suppressions found so far remove
        self.kept_bases: set[int] = set()  # base paragraphs the file still has (ids)
        self.rows_deleted: set[str] = set()  # base table rows the file has none of
        self.renders: dict[DataPath, list[Base]] = {}  # the base paragraphs showing each text
        self.leaves_of: dict[int, list[DataPath]] = {}
        self.seen: list[tuple[str, str]] = []  # (list address, item label) in document order
        self.rows: dict[tuple[int, int], str] = {}  # a table row of the file -> its item
        self.group_source: str | None = None  # the source whose group of rows this is
        self.added: dict[str, str] = {}  # new item key -> its address
        # The value a label prints for several items' field, as the file has it, by the
        # fields it shows ("Targets for Goal 1 ... – by 2031:": the deadline of the goal's
        # targets): a new item among them takes it too.
        self.shown: dict[tuple[str, ...], str] = {}
        self.pending_singletons: dict[str, list[tuple[str, bool, str, str, str, str]]] = {}
        self.ids = ids_in(data)
        self.resources = compute_resources(plan)

    # -- diagnostics --

    def left_out(self, place: str, message: str, text: str, hint: str = "",
                 unit: Unit | None = None, size: int = 120) -> None:
        if unit is not None:
            self.reported.add(unit.source.index)
            if unit.source.index in self.before:  # its text stays as the plan has it
                self.kept.add(self.before[unit.source.index])
        quote = f": “{shorten(text, size)}”" if text.strip() else ""
        self.problems.append(Diagnostic(
            "SP806", Severity.WARNING, f"{place}: {message}{quote}",
            Location(display_path(self.review.path)), hint,
        ))

    def add(self, author: str, date: str, data: dict[str, Any], place: str) -> FoundChange:
        change = FoundChange(self.contributor or author, date, data, place)
        self.changes.append(change)  # several after one place are applied in the order written
        return change

    # -- the walk --

    def run(self) -> None:
        names = dict(self.review.keys)
        taken: set[str] = set()
        for paragraph in self.base:  # the names the writer gave, for a file without its table
            name = bookmark_name(paragraph.key, taken)
            taken.add(name)
            names.setdefault(name, paragraph.key)
        _without_the_documents_own_revisions(self.review, names, self.document)
        units = self.units = _units(self.review, names, self.notes)
        # A prose paragraph's positional key ("#s:overview/p3") counts the paragraphs of the
        # document the file renders: an identity here only when that is the base plan itself
        # (not a redline of it towards another plan).
        same = self.review.plan in ("", self.plan.plan.plan.period)
        pairs = align(self.base, units, self.review.tracked, positional=same)
        self.before = {u.source.index: b.text for b, u in pairs if b is not None and u is not None}
        self.kept_bases = {id(b) for b, u in pairs
                           if b is not None and u is not None and u.accept.strip()}
        by_row: dict[str, list[Base]] = {}
        for paragraph in self.base:
            if paragraph.row is not None:
                by_row.setdefault(paragraph.row, []).append(paragraph)
        self.rows_deleted = {row for row, cells in by_row.items()
                             if not any(id(c) in self.kept_bases for c in cells)}
        matched = sum(1 for b, u in pairs if b is not None and u is not None
                      and dice(_bag(b.text), _bag(u.reject if self.review.tracked
                                                  else u.accept)) >= 0.5)
        share = matched / max(len(self.base), 1)
        if not same and share >= MIN_SHARE:
            # A file of another plan (its key table says so) is this plan's only when it is a
            # redline towards that plan: then, before its revisions, it is this plan's text.
            texts = {" ".join(b.text.split()) for b in self.base}
            before = [" ".join((u.reject if self.review.tracked else u.accept).split())
                      for u in units]
            exact = sum(1 for t in before if t in texts) / max(len(self.base), 1)
            if exact < MIN_SAME_TEXT:
                share = exact
        if share < MIN_SHARE or (not same and share < MIN_SAME_TEXT):
            said = f" (its key table names plan {self.review.plan})" if self.review.plan else ""
            raise StratplanError([Diagnostic(
                "SP807", Severity.ERROR,
                f"{display_path(self.review.path)} is not a render of this plan{said}: only "
                f"{share:.0%} of the plan's paragraphs are in it",
                Location(display_path(self.review.path)),
                "import a file made by `stratplan render` (or `diff`) of the plan given with "
                "--base, edited in Word or LibreOffice",
            )])
        # Inserted rows that render a new item (its key names it): read paragraph by
        # paragraph, as the item and its parts; other inserted rows as rows.
        item_rows = {(u.source.table, u.source.row or 0) for u in units
                     if u.source.table is not None and self.new_item_key(u)}
        rows: dict[tuple[int, int], list[Unit]] = {}
        previous: Base | None = None
        pending: list[tuple[Base | None, Unit]] = []
        moved_out: list[tuple[Base, Unit]] = []
        moved_in: list[tuple[Unit, list[tuple[str, str]]]] = []
        for b, u in pairs:
            if u is not None and _moved(u):
                # A move: its two ends are matched once the whole file is read.
                if b is not None and not u.accept.strip():
                    moved_out.append((b, u))
                    previous = b
                    continue
                if b is None and u.accept.strip():
                    moved_in.append((u, list(self.seen)))
                    continue
            if u is not None and u.source.table is not None and (
                    u.source.table, u.source.row or 0) in item_rows and not self.new_item_key(u) \
                    and u.source.cell == 0 and self.group_label(u):
                continue  # the label over a new item's row
            if u is not None and u.source.row_revision is not None and u.source.row_revision.kind \
                    == "ins" and u.source.table is not None and (
                        u.source.table, u.source.row or 0) not in item_rows:
                rows.setdefault((u.source.table, u.source.row or 0), []).append(u)
                if len(rows[(u.source.table, u.source.row or 0)]) == 1:
                    pending.append((previous, u))
                continue
            if b is not None and u is not None:
                self.group_source = None  # a row of the plan: its own group
                self.paired(b, u)
                if u.accept.strip():
                    self.see(b, u)
                previous = b
            elif b is not None:
                self.deleted(b, None)
                previous = b
            elif u is not None and u.accept.strip() and not self.inserted_item(u):
                self.inserted(previous, u)
        for anchor, first in pending:
            key = (first.source.table or 0, first.source.row or 0)
            self.inserted_row(anchor, rows[key])
        self.moves(moved_out, moved_in)
        self.flush_singletons()
        self.drop_changes_of_suppressed()
        self.attach_comments(units, pairs)

    def drop_changes_of_suppressed(self) -> None:
        """A field change of an item the same reviewer deletes (a label's year, shared by
        a goal's targets, one of which is deleted) is no change: the item is gone."""
        gone = {(c.author, str(c.data["suppress"])) for c in self.changes if "suppress" in c.data}
        self.changes = [
            c for c in self.changes
            if "modify" not in c.data or not any(
                author == c.author and (str(c.data["modify"]) + "/").startswith(address + "/")
                for author, address in gone)
        ]

    # -- what the document has shown so far, for new items' references and places --

    def see(self, b: Base, u: Unit | None) -> None:
        """Remember the items a paragraph renders (in document order) and, in a table, the
        item of its row."""
        for _, _, leaf in self.plan.occurrences_of(b):
            self.see_leaf(leaf)
        if u is not None and u.source.table is not None:
            item = self.plan.item_paths.get(_item_key(b.row or "") or "")
            if item is not None:
                self.rows[(u.source.table, u.source.row or 0)] = self.plan.address(item)

    def see_leaf(self, leaf: Leaf) -> None:
        path = leaf.path
        for depth in range(len(path)):
            if isinstance(path[depth], int):
                element = path[: depth + 1]
                self.seen.append((self.plan.address(element[:-1]),
                                  canonical_of(self.plan.data, element)[-1]))

    def last_seen(self, listing: str) -> str | None:
        return next((label for seen, label in reversed(self.seen) if seen == listing), None)

    def new_item_key(self, u: Unit) -> str | None:
        """The item a new paragraph's key names, when the base plan does not have it (a
        redline's added target)."""
        item = _item_key(u.key or "")
        if item is None or item in self.plan.item_paths:
            return None
        kind = keys.parse(item).kind
        return item if kind in self.plan.kind_models else None

    def inserted_item(self, u: Unit) -> bool:
        """A new paragraph whose key names a new item: that item, added to the list its kind
        belongs to, with its id, its references (goal, priority) from what the document shows
        before it, and its text. False when the paragraph is not that."""
        item = self.new_item_key(u)
        if item is None:
            return self.new_sub_item(u)
        rest = keys.parse(u.key or "").parts
        if rest not in ((), ("text",), ("title",), ("row",), ("row", "text")):
            # Another part of the new item's rendering: its group label (which follows the
            # plan, and says which group the rows after it are in), or a sub-item of it.
            self.group_label(u)
            return self.new_sub_item(u) or True
        if item in self.added:
            # Another rendering of an item already added (its table row): what follows it
            # (its indicators' rows) belongs to it.
            holder, name = address_parent(self.added[item])
            self.seen.append((holder, name))
            if u.source.table is not None:
                self.rows[(u.source.table, u.source.row or 0)] = self.added[item]
            return True
        kind, ident = keys.parse(item).kind, keys.parse(item).name
        model = self.plan.kind_models[kind]
        listing = self.plan.kinds[kind][0] if kind in self.plan.kinds else self.parent_list(
            u, kind)
        if listing is None:
            return False
        author, date = self.authors_of(u)[0]
        text = _untyped(u.view(author) if self.review.tracked else u.accept)
        data: dict[str, Any] = {"id": ident}
        for name, facts in field_facts(model).items():
            if facts.ref is not None and model.model_fields[name].is_required():
                found = self.last_seen(facts.ref.collection)
                if found is None:
                    return False
                data[name] = found
        prose_fields = [n for n, f in field_facts(model).items()
                        if f.prose and model.model_fields[n].is_required()]
        if not prose_fields:
            return False
        data[prose_fields[0]] = text
        if self.group_source is not None and "proposed_by" in model.model_fields:
            data["proposed_by"] = self.group_source
        refs = {name: data[name] for name, facts in field_facts(model).items()
                if facts.ref is not None and name in data}
        data.update(self.label_values(listing, refs))
        if any(info.is_required() and name not in data
               for name, info in model.model_fields.items()):
            return False
        change: dict[str, Any] = {"add": listing}
        after = self.last_seen(listing)
        change["after"] = _selector(after) if after is not None else 0
        change["item"] = data
        self.add(author, date, change, f"{self.place_before(u)}")
        self.added[item] = join(listing, ident)
        self.seen.append((listing, ident))
        if u.source.table is not None:
            self.rows[(u.source.table, u.source.row or 0)] = join(listing, ident)
        return True

    def label_values(self, listing: str, refs: dict[str, Any]) -> dict[str, Any]:
        """The fields a label prints for every item of the new item's group (the deadline
        "– by 2031" over a goal's targets): the new item, in that group (same references),
        states them too, typed as the plan has them."""
        out: dict[str, Any] = {}
        for addresses, text in self.shown.items():
            parts = [address_parent(a) for a in addresses]
            names = {name for _, name in parts}
            items = [item for item, _ in parts]
            if len(names) != 1 or not all(address_parent(i)[0] == listing for i in items):
                continue
            try:
                found = [resolve(self.plan.data, i).value for i in items]
                current = resolve(self.plan.data, addresses[0]).value
            except AddressError:
                continue
            same_group = bool(refs) and all(
                isinstance(f, dict) and all(f.get(k) == v for k, v in refs.items())
                for f in found)
            value: Any = text.strip()
            if isinstance(current, int) and not isinstance(current, bool):
                value = int(value) if value.isdigit() else None
            if same_group and value:
                out[names.pop()] = value
        return out

    def group_label(self, u: Unit) -> bool:
        """A table's group label (a goal's, a priority's title over its rows): it says which
        group the new rows after it are in. "[TSAG] Global ICT Interoperability" is a named
        source's group (its alternative for the item above): the new rows under it are its
        own. False when the text is no label."""
        text = u.accept.strip()
        label = next((leaf for leaf in self.plan.leaves if leaf.value == text), None)
        if label is not None:
            self.see_leaf(label)
            self.group_source = None
            return True
        sourced = _SOURCED.match(text)
        if sourced is not None:
            self.group_source = sourced.group(1)
            return True
        return False

    def new_sub_item(self, u: Unit) -> bool:
        """A new `<item>/item<N>` paragraph: an entry of that item's `items` list."""
        read = keys.parse(u.key or "")
        if not read.parts or re.fullmatch(r"item\d+", read.parts[-1]) is None:
            return False
        item = keys.sub(read.head, *read.parts[:-1]) if read.parts[:-1] else read.head
        address = self.added.get(item)
        if address is None and item in self.plan.item_paths:
            address = self.plan.address(self.plan.item_paths[item])
        if address is None:
            return False
        author, date = self.authors_of(u)[0]
        text = _untyped(u.view(author) if self.review.tracked else u.accept)
        self.add(author, date, {"add": join(address, "items"), "item": text},
                 self.place_before(u))
        return True

    def parent_list(self, u: Unit, kind: str) -> str | None:
        """Where a new nested item (an indicator) goes: the list for its kind in the item of
        its table row, else in the last item shown that has one."""
        owner = self.rows.get((u.source.table or -1, u.source.row or 0))
        candidates = [owner] if owner else []
        candidates += [join(listing, label) for listing, label in reversed(self.seen)]
        for address in candidates:
            model = self.model_of(address)
            if model is None:
                continue
            for name, inner in collections(model).items():
                if vars(inner).get("kind") == kind:
                    return join(address, name)
        return None

    def model_of(self, address: str) -> Any:
        for item, path in self.plan.item_paths.items():
            if self.plan.address(path) == address:
                return self.plan.kind_models.get(keys.parse(item).kind)
        for item, added in self.added.items():
            if added == address:
                return self.plan.kind_models.get(keys.parse(item).kind)
        return None

    def place_before(self, u: Unit) -> str:
        return f"a new paragraph “{shorten(u.accept)}”"

    def moves(self, out: list[tuple[Base, Unit]],
              into: list[tuple[Unit, list[tuple[str, str]]]]) -> None:
        """Each moved item: suppressed where it was and added, with the same id and data,
        where it went (its references, such as its goal, taken from its new place)."""
        for b, u in out:
            match = next(((v, seen) for v, seen in into
                          if " ".join(v.accept.split()) == " ".join(b.text.split())), None)
            if match is None:
                self.deleted(b, self.authors_of(u)[0])
                continue
            into.remove(match)
            target, seen = match
            occurrences = self.plan.occurrences_of(b)
            element = _element([leaf.path for _, _, leaf in occurrences])
            if not element or not isinstance(element[-1], int):
                self.deleted(b, self.authors_of(u)[0])
                self.inserted(None, target)
                continue
            author, date = self.authors_of(target)[0]
            data = _plain(_at(self.plan.data, element))
            model = model_for_path(self.plan.data, element)
            listing = self.plan.address(element[:-1])
            saved, self.seen = self.seen, seen
            if isinstance(data, dict) and model is not None:
                for name, facts in field_facts(model).items():
                    if facts.ref is not None and name in data:
                        data[name] = self.last_seen(facts.ref.collection) or data[name]
            after = self.last_seen(listing)
            self.seen = saved
            address = self.plan.address(element)
            self.add(author, date, {"suppress": address}, b.place)
            self.add(author, date, {"add": listing, "after": _selector(after) if after else 0,
                                    "item": data}, f"moved from {b.place}")
        for target, _ in into:
            self.inserted(None, target)

    def authors_of(self, unit: Unit) -> list[tuple[str, str]]:
        """(author, date) of each reviewer who changed the unit; an untracked edit's
        reviewer is the contributor given, else "Reviewer"."""
        found: dict[str, str] = {}
        for revision in unit.source.revisions:
            found[revision.author] = max(found.get(revision.author, ""), revision.date)
        return list(found.items()) or [(UNTRACKED, "")]

    # -- a paragraph in both --

    def paired(self, b: Base, u: Unit) -> None:
        for start, end, addresses in _value_spans(b.paragraph):
            if len(addresses) > 1:
                self.shown[addresses] = b.text[start:end]
        if not u.accept.strip() and b.text.strip():
            authors = self.authors_of(u)
            self.deleted(b, authors[0])
            return
        # Space around a paragraph's text is no change: the templates trim it, and editors add
        # it (LibreOffice writes a page break after the cover as a line break in its text).
        if self.notes.like(b.text, u.accept).strip() == b.text:
            return
        for author, date in self.authors_of(u):
            new = self.notes.like(b.text, u.view(author) if self.review.tracked else u.accept)
            new = new.strip()
            if new != b.text:
                self.modified(b, new, author, date, u)

    def modified(self, b: Base, new: str, author: str, date: str, unit: Unit) -> None:
        if b.row and keys.parse(b.row).kind == RESOURCE_ROW and b.cell is not None:
            self.amount(b, new, author, date, unit)
            return
        old = b.text
        occurrences = self.plan.occurrences(old, self.plan.scope_key(b))
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        edits = [op for op in matcher.get_opcodes() if op[0] != "equal"]
        by_leaf: dict[int, list[tuple[str, int, int, int, int]]] = {}
        values = _value_spans(b.paragraph)
        shown: set[int] = set()
        for op in edits:
            _, i1, i2, _, _ = op
            owner = next((n for n, (s, e, _) in enumerate(occurrences)
                          if s <= i1 and i2 <= e), None)
            if owner is not None:
                by_leaf.setdefault(owner, []).append(op)
                continue
            shows = next((n for n, (s, e, _) in enumerate(values) if s <= i1 and i2 <= e),
                         None)
            if shows is not None:
                shown.add(shows)
            # Otherwise text the templates generate (a number, a label): a consequence of
            # other changes (renumbering), or left out; the check of the result tells which.
        for index in sorted(shown):
            start, end, addresses = values[index]
            self.shown_value(_map(matcher, start, end, new), addresses, author, date, b.place)
        for owner in by_leaf:
            start, end, leaf = occurrences[owner]
            value = _map(matcher, start, end, new)
            parent, name = leaf.path[:-1], leaf.path[-1]
            if isinstance(name, int):  # a list of texts (an indicator's sub-items)
                data = {"modify": self.plan.address(leaf.path), "value": value}
            else:
                data = {"modify": self.plan.address(parent), "field": name, "value": value}
            self.add(author, date, data, b.place)

    def shown_value(self, text: str, addresses: tuple[str, ...], author: str, date: str,
                    place: str) -> None:
        """A new value where a template printed plan fields' value (the deadline in a goal's
        targets label): each of those fields takes it, typed as the plan has it."""
        if len(addresses) > 1:
            self.shown[addresses] = text
        for address in addresses:
            item, name = address_parent(address)
            try:
                current = resolve(self.plan.data, address).value
            except AddressError:
                continue
            value: Any = text.strip()
            if isinstance(current, int) and not isinstance(current, bool):
                if not value.isdigit():
                    continue  # not a number where the plan has one: the check reports it
                value = int(value)
            if value == current:
                continue
            self.add(author, date, {"modify": item, "field": name, "value": value}, place)

    def amount(self, b: Base, new: str, author: str, date: str, unit: Unit) -> None:
        table = self.resources
        assert b.row is not None and b.cell is not None
        if table is None or self.plan.plan.resources is None:
            return
        headers = table.headers
        column = b.cell - 1
        year = headers[column] if 0 <= column < len(headers) else "In %"
        if not year.isdigit():
            self.left_out(b.place, f"a computed figure (column “{year}”: a biennium's sum, a "
                          "total or a share), not in the plan", new, "change the yearly amounts",
                          unit)
            return
        amount = _parse_amount(new)
        if amount is None:
            self.left_out(b.place, "not an amount", new, unit=unit)
            return
        index = table.years.index(int(year))
        ident = keys.parse(b.row).name
        resources = self.plan.plan.resources
        row = next((r for r in resources.rows if r.priority == ident), None)
        if row is not None:
            address, amounts = join("resources", "rows", ident), list(row.amounts)
        else:
            adjustment = next((a for a in resources.adjustments if a.id == ident), None)
            if adjustment is None:
                self.left_out(b.place, "a computed row (subtotal or total)", new,
                              "change the rows of the priorities", unit)
                return
            address = join("resources", "adjustments", adjustment.id)
            amounts = list(adjustment.amounts)
        existing = next((c for c in self.changes if c.data.get("modify") == address
                         and c.author == (self.contributor or author)), None)
        if existing is not None:
            existing.data["value"][index] = amount
            return
        amounts[index] = amount
        self.add(author, date, {"modify": address, "field": "amounts", "value": amounts},
                 b.place)

    # -- a paragraph gone --

    def deleted(self, b: Base, by: tuple[str, str] | None) -> None:
        author, date = by or (UNTRACKED, "")
        occurrences = self.plan.occurrences_of(b)
        if not occurrences or (b.row and keys.parse(b.row).kind == RESOURCE_ROW):
            self.left_out(b.place, "a deletion of text the templates generate, not in the plan",
                          b.text)
            self.kept.add(b.text)
            return
        leaves = [leaf.path for _, _, leaf in occurrences if not self.repeated(b, leaf.path)]
        if not leaves:
            # Another item's text repeated here (a group label, an objective's title in a
            # table): it follows the plan; the check of the result tells if it stays.
            return
        element = _element(leaves)
        if b.row is not None and b.row in self.rows_deleted:
            element = self.whole(element)  # a row deleted: the item it is, not its cells
        if any(element[: len(gone)] == gone for gone in self.suppressed):
            return  # inside an item already suppressed, or the same item rendered twice
        address = self.plan.address(element)
        if not element or (model_for_path(self.plan.data, element[:-1]) is None and not isinstance(
                element[-1], int) and len(element) > 1):
            self.left_out(b.place, "a deletion the plan cannot express", b.text)
            self.kept.add(b.text)
            return
        scope = _item_key(self.plan.scope_key(b))
        staying = [other for other in self.base if id(other) in self.kept_bases
                   and other is not b and self.plan.counted(other.key)
                   and _item_key(self.plan.scope_key(other)) == scope
                   and any(path[: len(element)] == element for path in self.leaf_paths(other))]
        if staying:
            # A paragraph whose own list (2.1's 2.1.1 ... 2.1.15) the reviewer kept: deleting
            # it would delete them.
            self.left_out(b.place, f"a deletion of a paragraph whose {len(staying)} "
                          "sub-paragraph(s) stay: the plan holds them inside it", b.text,
                          "delete them too, or change its text instead")
            self.kept.add(b.text)
            return
        self.suppressed.append(element)
        self.add(author, date, {"suppress": address}, b.place)

    def leaf_paths(self, b: Base) -> list[DataPath]:
        found = self.leaves_of.get(id(b))
        if found is None:
            found = self.leaves_of[id(b)] = [
                leaf.path for _, _, leaf in self.plan.occurrences_of(b)]
        return found

    def repeated(self, b: Base, path: DataPath) -> bool:
        """Whether the text at `path` is in `b` only as a repeat: another paragraph, whose key
        names the item that text belongs to, shows it too (an objective's title over its row
        of indicators, a priority's title as a group label)."""
        named = self.plan.item_paths.get(_item_key(b.key) or "")
        if named is not None and path[: len(named)] == named:
            return False
        if named is not None and not self.plan.counted(b.key):
            return True  # a paragraph of one item showing another's text (a group label)
        if not self.renders:
            for other in self.base:
                for shown in self.leaf_paths(other):
                    self.renders.setdefault(shown, []).append(other)
        for other in self.renders.get(path, []):
            if other is b:
                continue
            # the item whose paragraph it is: its key's, or its row's (a matrix row's cells)
            key = other.row if self.plan.counted(other.key) and other.row else other.key
            own = self.plan.item_paths.get(_item_key(key) or "")
            if not self.plan.counted(key) and own is not None and path[: len(own)] == own:
                return True
        return False

    def whole(self, element: DataPath) -> DataPath:
        """The largest list item holding `element` whose every paragraph is deleted."""
        best = element
        for depth in range(len(element) - 1, 0, -1):
            candidate = element[:depth]
            if not isinstance(candidate[-1], int):
                continue
            if any(id(other) in self.kept_bases and any(
                    p[: len(candidate)] == candidate and not self.repeated(other, p)
                    for p in self.leaf_paths(other)) for other in self.base):
                break
            best = candidate
        return best

    # -- a paragraph or row added --

    def inserted(self, anchor: Base | None, u: Unit) -> None:
        authors = self.authors_of(u)
        author, date = authors[0]
        text = u.view(author) if self.review.tracked else u.accept
        label = next((leaf for leaf in self.plan.leaves if leaf.value == text.strip()), None)
        if label is not None and u.source.table is not None:
            # An item's text repeated in a table (a group label): it follows the plan, and
            # says which group the rows after it are in.
            self.see_leaf(label)
            return
        if self.alternative(anchor, u, text, author, date) or self.singleton(u, text, author,
                                                                             date):
            return
        neighbour = anchor or (self.base[0] if self.base else None)
        if neighbour is None:
            self.left_out("the start", "a paragraph with no neighbour in the plan", text, unit=u)
            return
        occurrences = self.plan.occurrences_of(neighbour)
        if not occurrences:
            self.left_out(neighbour.place, "a new paragraph after text the templates generate, "
                          "where the plan has no list to add it to", text, unit=u)
            return
        leaf = occurrences[-1][2]
        style = _ir_style(u.source.style)
        if neighbour.paragraph.style.startswith("heading") and not style.startswith("heading"):
            inside = self.first_paragraphs(leaf.path)
            if inside is not None:  # the first paragraph under an item's heading
                self.add(author, date, {"add": self.plan.address(inside), "after": 0,
                                        "item": _untyped(text)}, f"after {neighbour.place}")
                return
        element = _element([leaf.path])
        # A numbered paragraph after a list item of a paragraph is the next paragraph, not a
        # list item: climb to the list whose items take its style.
        if style != neighbour.paragraph.style:
            outer = [n for n in range(len(element) - 1) if isinstance(element[n], int)]
            if outer and neighbour.paragraph.style == "list":
                element = element[: outer[-1] + 1]
        if not element or not isinstance(element[-1], int):
            self.left_out(neighbour.place, "a new paragraph where the plan has no list", text,
                          unit=u)
            return
        listing, position = element[:-1], element[-1]
        item = self.new_item(listing, position, leaf.path[len(element):], _untyped(text))
        if item is None:
            self.left_out(neighbour.place, "a new paragraph the plan cannot hold here", text,
                          unit=u)
            return
        after = canonical_of(self.plan.data, element)[-1]
        data = {"add": self.plan.address(listing), "after": _selector(after), "item": item}
        self.add(author, date, data, f"after {neighbour.place}")

    def first_paragraphs(self, path: DataPath) -> DataPath | None:
        """The list of paragraphs of the item a heading's text is in (a priority's
        `paragraphs`, a section's `content`), when it has one."""
        element = list(_element([path]))
        while element:
            model = model_for_path(self.plan.data, tuple(element))
            if model is not None:
                for name, info in model.model_fields.items():
                    if Para in models_in(info.annotation) and any(
                        getattr(m, "__origin__", None) is list for m in members(info.annotation)
                    ):
                        return (*element, name)
            element.pop()
        return None

    def singleton(self, u: Unit, text: str, author: str, date: str) -> bool:
        """A new paragraph keyed `<field>:<subfield>[/<n>]` where the plan's `<field>` is a
        mapping (the cover, Appendix A): its `<subfield>` (an item of it, for a list)."""
        read = keys.parse(u.key or "")
        top = read.kind
        if not top or top not in Plan.model_fields:
            return False
        models = models_in(Plan.model_fields[top].annotation)
        if not models:
            return False
        name, position = read.name, read.parts[0] if read.parts else ""
        info = models[0].model_fields.get(name)
        if info is None:
            return True  # a line the template prints with the mapping (the cover's rule)
        is_list = any(getattr(m, "__origin__", None) is list for m in members(info.annotation))
        if is_list and not position:
            return True  # the heading the template prints over the list ("Purpose")
        value = _untyped(text) if position else text.strip()
        self.pending_singletons.setdefault(top, []).append(
            (name, is_list, value, author, date, f"a new paragraph “{shorten(text)}”"))
        return True

    def flush_singletons(self) -> None:
        """The singletons' new fields: added to the mapping the plan has, or the mapping
        written whole where it has none (a cover for a plan without one)."""
        for top, entries in self.pending_singletons.items():
            exists = isinstance(self.plan.data.get(top), dict)
            if exists:
                for name, is_list, value, author, date, place in entries:
                    if is_list:
                        self.add(author, date, {"add": join(top, name), "item": value}, place)
                    else:
                        self.add(author, date,
                                 {"modify": top, "field": name, "value": value}, place)
                continue
            whole: dict[str, Any] = {}
            for name, is_list, value, _, _, _ in entries:
                if is_list:
                    whole.setdefault(name, []).append(value)
                else:
                    whole[name] = value
            author, date, place = entries[0][3], entries[0][4], entries[0][5]
            self.add(author, date, {"modify": top, "value": whole}, place)

    def alternative(self, anchor: Base | None, u: Unit, text: str, author: str,
                    date: str) -> bool:
        """A new "[Source] text" paragraph after an item: an alternative wording of it, by
        that source."""
        match = _SOURCED.match(text.strip())
        if match is None or anchor is None:
            return False
        found = self.plan.occurrences_of(anchor)
        own = [leaf for _, _, leaf in found]
        if not own:
            return False
        path = list(_element([leaf.path for leaf in own]))
        if not isinstance(path[-1] if path else None, int):
            path = list(own[0].path[:-1])  # a singleton (the vision): its own mapping
        while path:
            model = self.plan.model_at(tuple(path))
            if model is not None and "alternatives" in model.model_fields:
                break
            path.pop()
        else:
            return False
        address = self.plan.address(tuple(path))
        inner = models_in(model.model_fields["alternatives"].annotation) if model else []
        fields = [n for n in (inner[0].model_fields if inner else {}) if n != "source"]
        wording = fields[0] if fields else "text"
        entry = {"source": match.group(1), wording: match.group(2).strip()}
        self.add(author, date, {"add": join(address, "alternatives"), "item": entry},
                 f"after {anchor.place}")
        return True

    def new_item(self, listing: DataPath, position: int, field_path: DataPath,
                 text: str) -> Any:
        """An item like the list's item at `position`, with `text` in the field the
        neighbour's text is in; its references (goal, priority) copied from the neighbour."""
        items = _at(self.plan.data, listing)
        if not isinstance(items, list) or not 0 <= position < len(items):
            return None
        neighbour = items[position]
        model = model_for_path(self.plan.data, (*listing, position))
        if model is None or model is Para or isinstance(neighbour, str):
            return text  # a paragraph (written as text, or a mapping with its comments)
        item: dict[str, Any] = {}
        if "id" in model.model_fields:
            item["id"] = _slug(text, self.ids)
        for name, facts in field_facts(model).items():
            if facts.ref is not None and isinstance(neighbour, dict) and name in neighbour \
                    and isinstance(neighbour[name], str):
                item[name] = neighbour[name]
        if len(field_path) != 1 or not isinstance(field_path[0], str):
            return None
        item[field_path[0]] = text
        refs = {name: item[name] for name, facts in field_facts(model).items()
                if facts.ref is not None and name in item}
        for name, value in self.label_values(self.plan.address(listing), refs).items():
            item.setdefault(name, value)
        for name, info in model.model_fields.items():
            if info.is_required() and name not in item:
                return None
        return item

    def inserted_row(self, anchor: Base | None, cells: list[Unit]) -> None:
        author, date = self.authors_of(cells[0])[0]
        texts = [(u.source.cell or 0, u.view(author) if self.review.tracked else u.accept)
                 for u in cells]
        place = f"after {anchor.place}" if anchor else "a table"
        if anchor is None or anchor.row is None:
            self.left_out(place, "a new table row with no row of the plan before it",
                          " | ".join(t for _, t in texts), size=600)
            self.reported.update(u.source.index for u in cells)
            return
        row_cells = [b for b in self.base if b.row == anchor.row]
        if self.plain_row(anchor, row_cells, texts, author, date, place):
            return
        element: DataPath | None = None
        fields: dict[int, DataPath] = {}
        for b in row_cells:
            found = self.plan.occurrences_of(b)
            for _, _, leaf in found:
                item = self.plan.item_paths.get(_item_key(anchor.row) or "")
                if item is not None and leaf.path[: len(item)] == item:
                    element = item
                    fields.setdefault(b.cell or 0, leaf.path[len(item):])
        if element is None or not isinstance(element[-1], int):
            self.left_out(place, "a new table row the plan cannot hold",
                          " | ".join(t for _, t in texts), size=600)
            self.reported.update(u.source.index for u in cells)
            return
        listing, position = element[:-1], element[-1]
        first_field = next((fields[c] for c, _ in texts if c in fields and len(fields[c]) == 1),
                           None)
        main = next((t for c, t in texts if fields.get(c) == first_field and t.strip()), "")
        if first_field is None or not main:
            self.left_out(place, "a new table row the plan cannot hold",
                          " | ".join(t for _, t in texts), size=600)
            self.reported.update(u.source.index for u in cells)
            return
        item = self.new_item(listing, position, first_field, _untyped(main))
        if not isinstance(item, dict):
            self.left_out(place, "a new table row the plan cannot hold", main)
            self.reported.update(u.source.index for u in cells)
            return
        for cell, text in texts:
            inner = fields.get(cell)
            if inner is None or inner == first_field or not text.strip():
                continue
            if len(inner) == 3 and isinstance(inner[1], int):  # a list of sub-items
                entry: dict[str, Any] = {str(inner[2]): _untyped(text)}
                sub_model = model_for_path(self.plan.data, (*element, inner[0], inner[1]))
                if sub_model is not None and "id" in sub_model.model_fields:
                    entry = {"id": _slug(text, self.ids), **entry}
                item.setdefault(inner[0], []).append(entry)
            elif len(inner) == 1:
                item[str(inner[0])] = _untyped(text)
        after = canonical_of(self.plan.data, element)[-1]
        self.add(author, date, {"add": self.plan.address(listing), "after": _selector(after),
                                "item": item}, place)

    def plain_row(self, anchor: Base, row_cells: list[Base], texts: list[tuple[int, str]],
                  author: str, date: str, place: str) -> bool:
        """A new row after a row of a plain table (`tables/<id>/rows`, a list of cells): a
        new list of cells in the same shape. False when the row before it is not that."""
        paths = [leaf.path for b in row_cells for _, _, leaf in self.plan.occurrences_of(b)]
        common = _element(paths)
        row = _at(self.plan.data, common) if common else None
        if not common or not isinstance(common[-1], int) or not isinstance(row, list) \
                or not all(len(p) > len(common) and isinstance(p[len(common)], int)
                           for p in paths):
            return False
        cells: list[Any] = [""] * max(len(row), max((c + 1 for c, _ in texts), default=0))
        for cell, text in texts:
            cells[cell] = _untyped(text)
        after = canonical_of(self.plan.data, common)[-1]
        self.add(author, date, {"add": self.plan.address(common[:-1]), "after": _selector(after),
                                "item": cells}, place)
        return True

    # -- comments --

    def attach_comments(self, units: list[Unit], pairs: list[tuple[Base | None,
                                                                     Unit | None]]) -> None:
        known = {(c.author, " ".join(c.text.split()))
                 for p in ir.iter_paragraphs(self.document.blocks) for c in p.comments}
        where: dict[int, Base | None] = {}
        for b, u in pairs:
            if u is not None:
                where[u.source.index] = b
        places = {c.place: c for c in self.changes}
        for comment in self.review.comments.values():
            if (comment.author, " ".join(comment.text.split())) in known or not comment.text:
                continue
            paragraphs = [u for u in units if comment.id in u.source.comments]
            bases = [where.get(u.source.index) for u in paragraphs]
            # A reviewer's comment on their own change is its reasons; anyone else's is a
            # drafting comment on the item.
            target = next((places[b.place] for b in bases if b is not None and b.place in
                           places and places[b.place].author == (self.contributor or
                                                                 comment.author)), None)
            if target is not None:
                target.comments.append(comment.text)
                continue
            base = next((b for b in bases if b is not None), None)
            holder = self.comment_holder(base) if base is not None else None
            if holder is None:
                # On a paragraph the base document does not have, or of no item's text (the
                # line under a table that holds the table's comments): the item its key names.
                holder = next((path for u in paragraphs
                               if (path := self.keyed_holder(u.key or "")) is not None), None)
                place = base.place if base is not None else f"“{shorten(paragraphs[0].accept)}”" \
                    if paragraphs and paragraphs[0].accept.strip() else "a comment"
                if holder is not None:
                    self.add_comment(comment, holder, place)
                    continue
            if base is None:
                self.left_out("a comment", "on text the plan does not have", comment.text)
                continue
            if holder is None:
                self.left_out(base.place, "a comment on text of no item that takes comments",
                              comment.text)
                continue
            self.add_comment(comment, holder, base.place)

    def add_comment(self, comment: Any, holder: DataPath, place: str) -> None:
        entry = {"author": comment.author or UNTRACKED, "text": comment.text}
        if comment.date:
            entry["date"] = comment.date
        self.add(comment.author or UNTRACKED, comment.date,
                 {"add": join(self.plan.address(holder), "comments"), "item": entry}, place)

    def keyed_holder(self, key: str) -> DataPath | None:
        """The item a paragraph's key names, when it takes comments."""
        path = self.plan.item_paths.get(_item_key(key) or "")
        model = model_for_path(self.plan.data, path) if path is not None else None
        return path if model is not None and "comments" in model.model_fields else None

    def comment_holder(self, b: Base) -> DataPath | None:
        occurrences = self.plan.occurrences_of(b)
        if not occurrences:
            return None
        path = list(_element([leaf.path for _, _, leaf in occurrences]))
        while path:
            model = model_for_path(self.plan.data, tuple(path))
            if model is not None and "comments" in model.model_fields:
                return tuple(path)
            path.pop()
        return None


def _moved(unit: Unit) -> bool:
    return any(r.move for r in unit.source.revisions)


def _plain(value: Any) -> Any:
    """A copy of loaded data, for an item written again elsewhere (numbers keep their text)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _ir_style(word_style: str) -> str:
    """The IR style of a Word paragraph style id ("NumberedParagraph" -> "numbered")."""
    from stratplan.writers.docx.styles import PARAGRAPH_STYLES

    inverse = {word: style for style, word in PARAGRAPH_STYLES.items()}
    return inverse.get(word_style or "Normal", "body")


def _at(data: Any, path: DataPath) -> Any:
    node = data
    for part in path:
        node = node[part]
    return node


def _selector(label: str) -> str | int:
    return int(label) if label.isdigit() else label


def _untyped(text: str) -> str:
    """The text without a number the reviewer typed before it ("1.7: ..."): numbers are
    computed."""
    return _TYPED_NUMBER.sub("", text, count=1).strip()


def _map(matcher: difflib.SequenceMatcher[str], start: int, end: int, new: str) -> str:
    """The part of `new` that the span [start, end) of the old text became; an insertion at
    either edge belongs to the span."""
    codes = matcher.get_opcodes()
    first = 0
    for tag, i1, i2, j1, _ in codes:
        if (tag == "equal" and i1 <= start < i2) or (tag != "equal" and i1 <= start <= i2):
            first = j1 + (start - i1 if tag == "equal" else 0)
            break
    last = len(new)
    for tag, i1, i2, j1, j2 in reversed(codes):
        if (tag == "equal" and i1 < end <= i2) or (tag != "equal" and i1 <= end <= i2):
            last = j1 + (end - i1) if tag == "equal" else j2
            break
    return new[first:last]


def import_review(
    workspace: Workspace, review: Review, base: Path, contributor: str | None = None,
    template_dir: Path | None = None,
) -> Imported:
    """The changes of `review` against the plan at `base`, checked: the plan with them applied
    is rendered and compared with the file as the reviewers left it, and every difference
    that remains (what the changes cannot carry) is a diagnostic."""
    loaded = workspace.plan(base)
    if loaded.plan is None or loaded.sources is None:
        raise StratplanError(loaded.diagnostics)
    plan = loaded.plan
    document = plan_document(plan, template_dir)
    importer = _Importer(review, plan, loaded.sources.data, document, contributor)
    importer.run()
    imported = Imported(plan, importer.changes, importer.problems, importer.notes.new_ids(),
                        review.tracked)
    imported.diagnostics += _check(workspace, review, base, imported, importer, template_dir)
    return imported


def _check(
    workspace: Workspace, review: Review, base: Path, imported: Imported, importer: _Importer,
    template_dir: Path | None,
) -> list[Diagnostic]:
    """What the changes cannot carry: the render of the plan with them applied, against the
    file as its reviewers left it (every revision accepted)."""
    where = Location(display_path(review.path))
    out: list[Diagnostic] = []
    # The contributions written must apply and leave a valid plan: a change that does not
    # (a reading of the file that contradicts another) is left out, and said so. Dropping one
    # can expose the next; a few rounds settle it.
    for _ in range(_ROUNDS):
        contribution = Contribution.model_validate({
            "contribution": {"base": imported.base.plan.period, "contributor": "import",
                             "title": "import"},
            "changes": [c.data for c in imported.changes],
            "footnotes": imported.footnotes,
        })
        loaded = LoadedContribution(review.path, contribution, SourceMap())
        amendment = amend(workspace, [loaded], base)
        applied, amended = amendment.applied, amendment.loaded
        failing = {i: [d.message.partition(": ")[2] for d in applied.problems
                       if d.message.startswith(f"change {i + 1} ")] or ["it does not apply"]
                   for i in set(range(len(imported.changes))) - {r.index for r in
                                                                  applied.changes}}
        if not failing and amended.plan is not None:
            errors = amendment.errors
            failing = amendment.causing_changes()
            if errors and not failing:
                problems = "; ".join(d.message for d in errors[:3])
                return [*out, Diagnostic("SP806", Severity.WARNING, "the imported changes "
                                         f"leave the plan invalid: {problems}", where)]
        if not failing:
            break
        for index in sorted(failing, reverse=True):
            change = imported.changes.pop(index)
            out.append(Diagnostic(
                "SP806", Severity.WARNING,
                f"{change.place}: left out, the change it reads as contradicts the others "
                f"({_describe(change.data)}): {'; '.join(failing[index])}", where,
                "make that change by hand in the contribution, if it is meant",
            ))
    if amended.plan is None:
        problems = "; ".join(d.message for d in amended.diagnostics[:3])
        return [*out, Diagnostic("SP806", Severity.WARNING,
                                 f"the imported changes leave the plan invalid: {problems}", where)]
    result = base_paragraphs(plan_document(amended.plan, template_dir))
    units = [u for u in importer.units if u.accept.strip()]
    accepted = [Unit(u.source, u.key, u.accept, u.accept) for u in units]
    previous = "the start"
    for mine, theirs in align(result, accepted, tracked=False, positional=False,
                              counted=importer.plan.counted):
        if theirs is not None and theirs.source.index in importer.reported:
            previous = mine.place if mine is not None else previous
            continue
        if mine is not None and theirs is not None:
            previous = mine.place
            if _same(mine.text, importer.notes.like(mine.text, theirs.accept)):
                continue
            if _same(theirs.accept, importer.before.get(theirs.source.index, "\x00")):
                continue  # not changed by the reviewers: it follows their change elsewhere
            out.append(Diagnostic(
                "SP806", Severity.WARNING,
                f"{mine.place}: not carried by the changes: the file has "
                f"“{shorten(theirs.accept, 120)}”, the plan would have “{shorten(mine.text, 120)}”",
                where,
                "text the templates generate (a number, a label) follows from the plan's data",
            ))
        elif theirs is not None:
            out.append(Diagnostic(
                "SP806", Severity.WARNING,
                f"after {previous}: left out: “{shorten(theirs.accept, 120)}”", where,
            ))
        elif mine is not None:
            previous = mine.place
            if mine.text in importer.kept:
                continue
            out.append(Diagnostic(
                "SP806", Severity.WARNING,
                f"{mine.place}: the changes would add “{shorten(mine.text, 120)}”, which the file "
                "does not have", where,
            ))
    return out


_NUMBER = re.compile(r"^[\w.()–-]{1,12}:?\t")
_ROUNDS = 5  # of leaving out what does not apply (see _check)


def _describe(data: dict[str, Any]) -> str:
    """A change in a few words: "suppress targets/x", "add to outcomes: “text …”"."""
    for verb in ("modify", "add", "suppress"):
        if verb in data:
            what = f"{verb} {data[verb]}"
            if "field" in data:
                what += f" {data['field']}"
            item = data.get("item", data.get("value"))
            text = item.get("text") if isinstance(item, dict) else item
            return f"{what}: “{shorten(str(text))}”" if isinstance(text, str) else what
    return "a change"


def _same(a: str, b: str) -> bool:
    """The same text, but for spacing and the number the templates put before it."""
    return " ".join(_NUMBER.sub("", a).split()) == " ".join(_NUMBER.sub("", b).split())
