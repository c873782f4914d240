"""The compilation of a meeting's contributions: the document the Secretariat prepares for the
Council Working Group.

A cover lists the contributions (reference, contributor, date, title, number of changes, and
each one's summary). Then, in plan order, each part of the plan that any contribution changes:
its draft text, then each contribution's proposal for it as tracked changes by that
contributor on that contribution's date, headed by its mark (ADD, MOD, SUP) and reference, and
followed by its reasons, as ITU conference proposals print them. Proposals on the same text
stand together under it. With `full`, the parts no one changed are shown too.

Each contribution is applied alone to the base plan (as its author wrote it) and its document
compared with the base's; a part of the plan is an item (its blocks share the key prefix
`<kind>:<id>`) or, for prose, one paragraph of a section. Accepting a proposal's revisions
gives exactly that part of the plan as the contribution would have it; rejecting them, the
draft.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from stratplan import ir, keys
from stratplan.changes.amend import amend
from stratplan.changes.apply import Applied, AppliedChange, apply_contributions
from stratplan.changes.decisions import Decided
from stratplan.changes.overlap import find_overlaps
from stratplan.diagnostics import StratplanError, display_path, shorten
from stratplan.diff import redline
from stratplan.diff.redline import whole_paragraph
from stratplan.diff.review import accept_all, reject_all
from stratplan.model.address import join
from stratplan.model.contribution import (
    AnyChange,
    ContributionMeta,
    address_of,
    mark_of,
)
from stratplan.model.facts import collections, field_facts
from stratplan.model.meeting import DECISION_WORDS, MeetingMeta, ProposalRecord
from stratplan.model.plan import Plan
from stratplan.model.walk import all_models, item_of
from stratplan.render.document import plan_document
from stratplan.workspace import LoadedContribution, LoadedMeeting, Workspace, real

# A change of a contribution: its file (resolved) and its number there (1 for the first), as a
# meeting's record names it.
ChangeId = tuple[Path, int]


def change_id(change: AppliedChange) -> ChangeId:
    return real(change.source.path), change.number


@dataclass
class Proposal:
    """One contribution's proposal for one part of the plan."""

    meta: ContributionMeta
    source: Path
    mark: str  # ADD, MOD or SUP
    blocks: tuple[ir.Block, ...]  # the part, with the contribution's revisions
    reasons: list[str] = field(default_factory=list)
    overlaps: bool = False  # another contribution's change overlaps one of these
    # Values it sets that its text does not show (a deadline, a data source): said in words.
    notes: list[str] = field(default_factory=list)
    changes: set[ChangeId] = field(default_factory=set)  # the changes it shows


@dataclass
class Part:
    """A part of the plan: an item, or a paragraph of a section."""

    key: str
    section: str  # the heading of the section it is in ("2.5 Targets ...")
    order: tuple[float, int]  # its place in the plan
    draft: tuple[ir.Block, ...]  # as the base plan has it (empty for an added part)
    proposals: list[Proposal] = field(default_factory=list)
    label: str = ""  # its name in full: "2.2 Vision, paragraph 9"
    title: str = ""  # under its section's heading: "Paragraph 9"


@dataclass
class Withdrawn:
    """A proposal its contributor withdrew (the meeting's record says so): listed apart."""

    meta: ContributionMeta
    number: int  # its proposal number
    change: int  # its number in the contribution
    proposes: str  # "MOD targets/x (text)"
    note: str | None


@dataclass
class Compilation:
    title: str
    period: str
    date: str
    contributions: list[tuple[LoadedContribution, int]]  # with its number of changes
    parts: list[Part]
    footnotes: tuple[ir.Footnote, ...] = ()
    # The changes of each contribution that no part of the document shows (a SMART field
    # the templates do not print): listed with the contribution, never dropped.
    unseen: dict[Path, list[AppliedChange]] = field(default_factory=dict)
    # Every change, in the order of the text it amends: the order proposals are numbered in.
    order: list[ChangeId] = field(default_factory=list)
    # The number of each proposal (a change): the meeting's record's, else the next ones.
    numbers: dict[ChangeId, int] = field(default_factory=dict)
    # Proposals the meeting's record does not have yet: new since the last compilation.
    new: set[ChangeId] = field(default_factory=set)
    decisions: dict[ChangeId, ProposalRecord] = field(default_factory=dict)
    withdrawn: list[Withdrawn] = field(default_factory=list)
    meeting: MeetingMeta | None = None
    # How each change is described in a record ("MOD targets/x (text)").
    proposes: dict[ChangeId, str] = field(default_factory=dict)
    # Contributions a meeting decided on an earlier text of the plan: listed, not compiled.
    earlier: list[tuple[LoadedContribution, LoadedMeeting]] = field(default_factory=list)


# --- parts of a document ---------------------------------------------------------------------


def _item(part: str) -> str | None:
    """The item of the plan a part is, or None for a part of a section's prose."""
    return item_of(part)


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def _changed(block: ir.Block) -> bool:
    for paragraph in ir.iter_paragraphs((block,)):
        if paragraph.change or any(r.change for r in paragraph.runs):
            return True
    return isinstance(block, ir.Table) and any(row.change for row in block.rows)


def _text(blocks: tuple[ir.Block, ...]) -> str:
    return "\n".join(p.text for p in ir.iter_paragraphs(blocks))


def _parts(
    document: ir.Document,
) -> Iterator[tuple[str, ir.Block, tuple[float, int], str]]:
    """(part key, block, its place) for every block, table rows as tables of their own (with
    the table's header rows). The place counts the blocks the base document has; an inserted
    block comes half a place after the one before it."""
    section, heading = "front", "Front matter"
    position = -1.0
    for block in document.blocks:
        if isinstance(block, ir.Paragraph):
            if block.change == "ins":
                at = position + 0.5
            else:
                position += 1.0
                at = position
            if keys.is_section(block.key) and block.style.startswith("heading"):
                section = block.key
                heading = f"{block.number} {block.text}".strip()
            item = item_of(block.key)
            if item is None:
                # Prose of a section: one part per paragraph, named by its draft text (or
                # its new text, added), so that proposals on one paragraph come together.
                if _changed(block):
                    one = replace(document, blocks=(block,))
                    base, new = _text(reject_all(one).blocks), _text(accept_all(one).blocks)
                else:
                    base = new = block.text
                item = keys.positional(section, _digest(base) if base else "+" + _digest(new))
            yield item, block, (at, 0), heading
            continue
        position += 1.0
        head = tuple(row for row in block.rows if row.header)
        for index, row in enumerate(block.rows):
            if not row.header:
                item = item_of(row.key) or keys.positional(block.key)
                yield item, replace(block, rows=(*head, row)), (position, index), heading


Grouped = dict[str, tuple[list[ir.Block], tuple[float, int], str]]


def _grouped(document: ir.Document) -> Grouped:
    """The document's blocks by part (with its place and section), tables of one part
    joined."""
    out: Grouped = {}
    for key, block, position, heading in _parts(document):
        blocks, _, _ = out.setdefault(key, ([], position, heading))
        last = blocks[-1] if blocks else None
        if isinstance(block, ir.Table) and isinstance(last, ir.Table) and last.key == block.key:
            head = sum(1 for row in block.rows if row.header)
            blocks[-1] = replace(last, rows=(*last.rows, *block.rows[head:]))
        else:
            blocks.append(block)
    return out


def _content(blocks: list[ir.Block] | tuple[ir.Block, ...]) -> tuple[ir.Block, ...]:
    """The blocks without the header rows of their tables."""
    return tuple(
        replace(b, rows=tuple(r for r in b.rows if not r.header)) if isinstance(b, ir.Table)
        else b
        for b in blocks
    )


def _mark(blocks: list[ir.Block]) -> str:
    content = ir.Document("", "", "", blocks=_content(blocks))
    accepted = _text(accept_all(content).blocks)
    rejected = _text(reject_all(content).blocks)
    if not rejected.strip():
        return "ADD"
    if not accepted.strip():
        return "SUP"
    return "MOD"


def _attributed(block: ir.Block, meta: ContributionMeta) -> ir.Block:
    def own(p: ir.Paragraph) -> ir.Paragraph:
        return replace(p, author=meta.contributor, date=meta.date)

    if isinstance(block, ir.Paragraph):
        return own(block)
    rows = tuple(
        replace(row, author=meta.contributor, date=meta.date, cells=tuple(
            replace(cell, blocks=tuple(own(p) for p in cell.blocks)) for cell in row.cells
        ))
        for row in block.rows
    )
    return replace(block, rows=rows)


def _unprinted(changes: list[AppliedChange], blocks: list[ir.Block]) -> list[str]:
    """The values these changes set that the blocks do not print, as 'deadline: 2030'."""
    shown = _text(accept_all(ir.Document("", "", "", blocks=tuple(blocks))).blocks)
    out = []
    for change in changes:
        value = getattr(change.change, "value", None)
        if value is None or isinstance(value, dict | list) or str(value) in shown:
            continue
        name = getattr(change.change, "field", None) or change.canonical[-1]
        out.append(f"{name}: {value} (change {change.number})")
    return out


def _key_parts(key: str) -> set[str]:
    return set(keys.parse(key).segments)


def _shows(*documents: ir.Document) -> dict[str, set[str]]:
    """The plan fields (addresses) each paragraph prints in a generated text, by key: the
    targets' deadlines in a heading's "– by 2031"."""
    out: dict[str, set[str]] = {}
    for document in documents:
        for p in ir.iter_paragraphs(document.blocks):
            for run in p.runs:
                if run.shows:
                    out.setdefault(p.key, set()).update(run.shows)
    return out


def _names(part: str, blocks: list[ir.Block]) -> set[str]:
    """What a part's keys name: its own, and those of every block and row in it."""
    names = _key_parts(part)
    for block in blocks:
        names |= _key_parts(block.key)
        if isinstance(block, ir.Table):
            for row in block.rows:
                names |= _key_parts(row.key)
        names |= {n for p in ir.iter_paragraphs((block,)) for n in _key_parts(p.key)}
    return names


# --- the compilation -------------------------------------------------------------------------


def compile_contributions(
    workspace: Workspace,
    loaded: list[LoadedContribution],
    base: Path,
    template_dir: Path | None = None,
    full: bool = False,
    decided: Decided | None = None,
) -> Compilation:
    """Each contribution's proposals: the parts of the plan its amendment of the base changes,
    as tracked changes by it. Contributions whose changes are all new texts of different items
    amend the base together, once, and their parts are told apart by whose items they show
    (exactly as each alone would give them: a part that two of them, or none, would claim
    sends them back to amend alone). With a meeting's record (`decided`), the proposals keep
    its numbers, those it does not have are new, and its decisions are shown; the withdrawn
    ones are listed apart, not compiled."""
    problems = [d for lc in loaded for d in lc.diagnostics]
    base_plan = workspace.plan(base).plan
    if base_plan is None:
        raise StratplanError(workspace.plan(base).diagnostics)
    withdrawn = _withdrawn(loaded, decided)
    loaded = [_without(lc, {n for (path, n) in withdrawn if path == real(lc.path)})
              for lc in loaded]
    base_doc = plan_document(base_plan, template_dir)
    # Each contribution applied alone to the base, as its author wrote it.
    alone = {lc.path: apply_contributions(workspace, [lc], base) for lc in loaded}
    problems += [d for applied in alone.values() for d in applied.problems]
    if problems:
        raise StratplanError(problems)
    overlapping = {
        change_id(c)
        for o in find_overlaps([c for a in alone.values() for c in a.changes]) for c in o.changes
    }
    base_parts = _grouped(base_doc)
    found: dict[Path, list[tuple[str, tuple[ir.Block, ...], Proposal]]] = {}
    drafts: dict[str, Part] = {}
    footnotes = {f.id: f for f in base_doc.footnotes}
    pending = _batches([lc for lc in loaded if alone[lc.path].changes], alone)
    while pending:
        batch = pending.pop(0)
        amendment = amend(workspace, batch, base)
        if len(batch) > 1 and amendment.errors:
            pending[:0] = [[lc] for lc in batch]  # whose error it is, each alone says
            continue
        doc = plan_document(amendment.valid_plan(), template_dir)
        merged = redline(base_doc, doc).document
        printed = _shows(base_doc, doc)
        claimed, contested = _proposals(merged, batch, amendment.changes, overlapping, printed)
        if contested:
            # The contributions that claim a part together amend alone; the others' parts
            # are theirs alone, as in a batch without them.
            pending[:0] = [[lc] for lc in batch if lc.path in contested]
            claimed = {path: own for path, own in claimed.items() if path not in contested}
            batch = [lc for lc in batch if lc.path not in contested]
        footnotes.update({f.id: f for f in merged.footnotes if f.id not in footnotes})
        for path, proposals in claimed.items():
            found[path] = proposals
        parts_shown = {k for lc in batch for k, _, _ in claimed[lc.path]}
        for key, (blocks, position, heading) in _grouped(merged).items():
            if key in parts_shown and key not in drafts:
                # The draft as the base document has it (not as a redline's reject gives it
                # back, its runs cut where that redline's changes were).
                draft = tuple(base_parts[key][0]) if key in base_parts else reject_all(
                    replace(merged, blocks=tuple(blocks))).blocks
                drafts[key] = Part(key, heading, position, draft)
    parts: dict[str, Part] = {}
    unseen: dict[Path, list[AppliedChange]] = {}
    counted: list[tuple[LoadedContribution, int]] = []
    for contribution in loaded:
        changes = alone[contribution.path].changes
        counted.append((contribution, len(changes)
                        + sum(1 for (path, _) in withdrawn if path == real(contribution.path))))
        _claim_the_rest([proposal for _, _, proposal in found.get(contribution.path, [])],
                        changes, overlapping)
        shown: set[ChangeId] = set()
        for key, _, proposal in found.get(contribution.path, []):
            part = parts.setdefault(key, drafts[key])
            part.proposals.append(proposal)
            shown.update(proposal.changes)
        if changes:
            unseen[contribution.path] = [c for c in changes if change_id(c) not in shown]
    if full:
        for key, (blocks, position, heading) in _grouped(base_doc).items():
            parts.setdefault(key, Part(key, heading, position, tuple(_content(blocks))))
    own = {p.key: p for p in ir.iter_paragraphs(base_doc.blocks)}
    for part in parts.values():
        part.label, part.title = _label(part, own)
    compilation = Compilation(
        title=base_plan.plan.title,
        period=base_plan.plan.period,
        date=max((m.contribution.contribution.date or "" for m, _ in counted), default="")
        or base_plan.plan.document_date,
        contributions=counted,
        unseen=unseen,
        parts=sorted(parts.values(), key=lambda p: p.order),
        footnotes=tuple(footnotes.values()),
        proposes={change_id(c): proposes(c.change)
                  for a in alone.values() for c in a.changes},
    )
    _number(compilation, decided, withdrawn)
    return compilation


def proposes(change: AnyChange) -> str:
    """What a change proposes, in a line: 'MOD targets/broadband-coverage (text)'."""
    field_name = getattr(change, "field", None)
    return f"{mark_of(change)} {address_of(change)}" + (f" ({field_name})" if field_name else "")


def _withdrawn(
    loaded: list[LoadedContribution], decided: Decided | None
) -> dict[ChangeId, tuple[LoadedContribution, AnyChange, ProposalRecord]]:
    """The changes the meeting's record says were withdrawn."""
    out: dict[ChangeId, tuple[LoadedContribution, AnyChange, ProposalRecord]] = {}
    if decided is None:
        return out
    for contribution in loaded:
        for index, change in enumerate(contribution.contribution.changes):
            key = (real(contribution.path), contribution.position(index) + 1)
            entry = decided.entries.get(key)
            if entry is not None and entry.decision == "withdrawn":
                out[key] = (contribution, change, entry)
    return out


def _without(contribution: LoadedContribution, numbers: set[int]) -> LoadedContribution:
    """The contribution without the changes of these numbers (their numbers kept for the
    others)."""
    if not numbers:
        return contribution
    kept = [(contribution.position(i), c) for i, c in enumerate(contribution.contribution.changes)
            if contribution.position(i) + 1 not in numbers]
    model = contribution.contribution.model_copy(update={"changes": [c for _, c in kept]})
    return replace(contribution, contribution=model, positions=[p for p, _ in kept])


def _claim_the_rest(
    proposals: list[Proposal], changes: list[AppliedChange], overlapping: set[ChangeId]
) -> None:
    """A part the contribution changed that none of its changes names (a heading printing a
    deadline, the title printing the plan's) shows the changes no other part shows: they are
    its proposal, with their reasons, so that no proposal the document prints is said not to
    be printed. Then the values each proposal sets that no part prints, in words."""
    claimed = {cid for p in proposals for cid in p.changes}
    rest = [c for c in changes if change_id(c) not in claimed]
    for proposal in proposals:
        if proposal.changes or not rest:
            continue
        proposal.changes = {change_id(c) for c in rest}
        proposal.reasons = _reasons(rest)
        proposal.overlaps = any(change_id(c) in overlapping for c in rest)
    # A value is said in words only where none of the contribution's parts prints it (a
    # deadline its heading no longer shows, printed after the target's text).
    by_id = {change_id(c): c for c in changes}
    printed = [b for p in proposals for b in p.blocks]
    for proposal in proposals:
        own = sorted((by_id[c] for c in proposal.changes if c in by_id), key=lambda c: c.number)
        proposal.notes = _unprinted(own, printed)


def _reasons(changes: list[AppliedChange]) -> list[str]:
    return [f"{c.change.reasons} (change {c.number})" for c in changes if c.change.reasons]


def _number(
    compilation: Compilation,
    decided: Decided | None,
    withdrawn: dict[ChangeId, tuple[LoadedContribution, AnyChange, ProposalRecord]],
) -> None:
    """Every change in the order of the text it amends, and its number: the record's, else
    the next after the record's last (all of them new, with a record)."""
    order: list[ChangeId] = []
    for part in compilation.parts:
        for proposal in part.proposals:
            order += sorted(proposal.changes - set(order), key=lambda c: c[1])
    for changes in compilation.unseen.values():
        order += [change_id(c) for c in changes if change_id(c) not in order]
    compilation.order = order
    recorded = {} if decided is None else {key: e.number for key, e in decided.entries.items()}
    following = max(recorded.values(), default=0) + 1
    for key in order:
        if key in recorded:
            compilation.numbers[key] = recorded[key]
            continue
        compilation.numbers[key] = following
        following += 1
        if decided is not None:
            compilation.new.add(key)
    if decided is None:
        return
    compilation.meeting = decided.record.meeting.meeting
    compilation.decisions = {key: entry for key, entry in decided.entries.items()
                             if entry.decision not in ("pending", "withdrawn")}
    for key, (contribution, change, entry) in sorted(withdrawn.items(),
                                                     key=lambda i: i[1][2].number):
        compilation.withdrawn.append(Withdrawn(
            contribution.contribution.contribution, entry.number, key[1],
            proposes(change), entry.note))


def _batches(
    contributions: list[LoadedContribution], alone: dict[Path, Applied]
) -> list[list[LoadedContribution]]:
    """Contributions that may amend the base together: all their changes local (new texts,
    and items added to or removed from a list inside an item: an indicator of a target), and
    no two of them touching the same item (an item inside another counts as touching that one
    too, and so does an item one of them names, an outcome's priority: the document shows
    them together); each other contribution alone."""
    batches: list[tuple[set[str], set[str], list[LoadedContribution]]] = []
    out: list[list[LoadedContribution]] = []
    for contribution in contributions:
        changes = alone[contribution.path].changes
        scope = {item for c in changes for item in c.scope}
        scope |= {c.canonical[1] for c in changes if len(c.canonical) > 3}
        named = {ref for c in changes for ref in _references(alone[contribution.path], c)}
        if not all(c.local for c in changes):
            out.append([contribution])
            continue
        for taken, near, batch in batches:
            if not taken & (scope | named) and not near & scope:
                taken |= scope
                near |= named
                batch.append(contribution)
                break
        else:
            batches.append((set(scope), set(named), [contribution]))
    return [batch for _, _, batch in batches] + out


def _references(applied: Applied, change: AppliedChange) -> set[str]:
    """The ids the top-level item a change is in refers to (its goal, its priority)."""
    if len(change.canonical) < 2:
        return set()
    collection, ident = change.canonical[0], change.canonical[1].lstrip("+")
    model = collections(Plan).get(collection)
    items = applied.data.get(collection)
    if model is None or not isinstance(items, list):
        return set()
    item = next((i for i in items if isinstance(i, dict) and i.get("id") == ident), None)
    if item is None:
        return set()
    facts = field_facts(model)
    return {value for name, value in item.items()
            if isinstance(value, str) and name in facts and facts[name].ref is not None}


def _proposals(
    merged: ir.Document,
    batch: list[LoadedContribution],
    changes: list[AppliedChange],
    overlapping: set[ChangeId],
    printed: dict[str, set[str]],
) -> tuple[dict[Path, list[tuple[str, tuple[ir.Block, ...], Proposal]]], set[Path]]:
    """The proposal of each contribution of `batch` for each part that the redline `merged`
    changes, by whose changes the part shows; and, in a batch of several, the contributions
    that must amend alone: those claiming a changed block together (all of them when a
    changed block is keyed by none of them, or a number changed)."""
    out: dict[Path, list[tuple[str, tuple[ir.Block, ...], Proposal]]] = {
        lc.path: [] for lc in batch}
    contested: set[Path] = set()
    unclaimed = False
    metas = {lc.path: lc.contribution.contribution for lc in batch}
    by_item: dict[str, set[Path]] = {}
    for change in changes:
        if change.item:
            by_item.setdefault(change.item, set()).add(change.source.path)
    for key, (blocks, _, _) in _grouped(merged).items():
        if not any(_changed(b) for b in blocks):
            continue
        names = _names(key, blocks)
        fields = {a for p in ir.iter_paragraphs(tuple(blocks)) for a in printed.get(p.key, ())}
        mine = [c for c in changes if c.scope & names or join(*c.canonical) in fields]
        owners = {c.source.path for c in mine}
        if len(batch) > 1:
            keyed = _keyed_owners(blocks, by_item)
            if keyed is None or not owners:
                unclaimed = True
            elif len(owners) != 1 or keyed != owners:
                contested |= owners | keyed
            if keyed is None or not owners or len(owners) != 1 or keyed != owners:
                continue
        if not mine and _item(key) is not None:
            continue  # an item only renumbered by a change elsewhere: not a proposal
        path = next(iter(owners)) if owners else batch[0].path
        meta = metas[path]
        proposal = Proposal(
            meta,
            path,
            _mark(blocks),
            tuple(_attributed(b, meta) for b in blocks),
            _reasons(mine),
            any(change_id(c) in overlapping for c in mine),
            _unprinted(mine, blocks),
            changes={change_id(c) for c in mine},
        )
        out[path].append((key, tuple(blocks), proposal))
    if unclaimed:
        contested = {lc.path for lc in batch}
    return out, contested


def _keyed_owners(blocks: list[ir.Block], by_item: dict[str, set[Path]]) -> set[Path] | None:
    """The contributions whose items key every changed paragraph and row of `blocks`; None
    when one is keyed by none of them, or changed its number (which no local change does)."""
    owners: set[Path] = set()
    changed: list[ir.Paragraph | ir.Row] = []
    for block in blocks:
        if isinstance(block, ir.Table):
            changed += [row for row in block.rows if row.change]
        changed += [p for p in ir.iter_paragraphs((block,)) if _changed(p)]
    for unit in changed:
        if isinstance(unit, ir.Paragraph) and unit.number_was is not None:
            return None
        item = item_of(unit.key)
        found = by_item.get(item or "")
        if not found:
            return None
        owners |= found
    return owners


def _kind_names() -> dict[str, str]:
    return {str(vars(m)["kind"]): m.__name__ for m in all_models(Plan) if "kind" in vars(m)}


def _shown(blocks: Sequence[ir.Block]) -> list[ir.Block]:
    """The blocks that show something of the draft: not a table with no row but its heading
    (a new target's table, in a draft without the target)."""
    return [b for b in blocks if not isinstance(b, ir.Table) or any(not r.header for r in b.rows)]


def _label(part: Part, base: dict[str, ir.Paragraph]) -> tuple[str, str]:
    """How the compilation names a part, in full ('Target 1.1: Universal broadband coverage',
    '1 Overview of ITU's structure, paragraph 5', 'Appendix A ...: table') and under its
    section's heading ('Paragraph 5', 'Table')."""
    blocks = _shown(part.draft) or (
        accept_all(ir.Document("", "", "", blocks=part.proposals[0].blocks)).blocks
        if part.proposals else ()
    )
    paragraphs = [p for p in ir.iter_paragraphs(_content(blocks)) if p.text.strip()]
    item = _item(part.key)
    if item is not None:
        kind, name = keys.parse(item).kind, keys.parse(item).name
        own = base.get(item) or next(
            (p for p in paragraphs if keys.head_of(p.key) == item),
            paragraphs[0] if paragraphs else None,
        )
        if kind == "s":
            return part.section, "Heading"
        label = {"p": "Paragraph"}.get(kind) or _kind_names().get(kind, kind.title())
        if own is None:
            return (f"{label} {name}",) * 2
        number = own.number.rstrip(":").strip()
        text = shorten(own.text, 90)
        if number and own.style == "numbered":
            # A paragraph number, not the item's: "Goal 1 – Universal Connectivity (paragraph 12)".
            return (f"{text} (paragraph {number})",) * 2
        return (f"{label} {number}: {text}" if number else f"{label}: {text}",) * 2
    first = paragraphs[0] if paragraphs else None
    if first is not None and first.number and not any(isinstance(b, ir.Table) for b in blocks):
        return f"{part.section}, paragraph {first.number}", f"Paragraph {first.number}"
    if any(isinstance(b, ir.Table) for b in blocks):
        return f"{part.section}: table", "Table"
    if first is None:
        return part.section, part.section
    return f"{part.section}: {shorten(first.text, 90)}", shorten(first.text, 90)


# --- as a document ---------------------------------------------------------------------------


def _paragraph(key: str, style: str, *runs: ir.Run, **kw: object) -> ir.Paragraph:
    return ir.Paragraph(key=key, style=style, runs=runs, **kw)  # type: ignore[arg-type]


def _rekey_paragraph(paragraph: ir.Paragraph, prefix: str) -> ir.Paragraph:
    return replace(paragraph, key=keys.within(prefix, paragraph.key), comments=tuple(
        replace(c, key=keys.within(prefix, c.key)) for c in paragraph.comments
    ))


def _rekey(block: ir.Block, prefix: str) -> ir.Block:
    """The block with every key prefixed, so that a part shown several times stays unique."""
    if isinstance(block, ir.Paragraph):
        return _rekey_paragraph(block, prefix)
    return replace(block, key=keys.within(prefix, block.key), rows=tuple(
        replace(row, key=keys.within(prefix, row.key), cells=tuple(
            replace(cell, blocks=tuple(_rekey_paragraph(p, prefix) for p in cell.blocks))
            for cell in row.cells
        ))
        for row in block.rows
    ))


NEW_MARK = "\u2605"  # ★, as the UK Parliament's amendment papers mark one not printed before
_FIGURE = re.compile(r"[-+\u2013\u2212]?[0-9][0-9 \u00a0\u202f.,]*%?")


def _figures_whole(block: ir.Block) -> ir.Block:
    """A table whose changed figures are struck and replaced whole, the old above the new:
    a word diff inside "235 043" gives "235 043235 340", which a narrow column breaks."""
    if not isinstance(block, ir.Table):
        return block

    def cell_blocks(paragraphs: tuple[ir.Paragraph, ...]) -> tuple[ir.Paragraph, ...]:
        out: list[ir.Paragraph] = []
        for p in paragraphs:
            one = ir.Document("", "", "", blocks=(p,))
            old = reject_all(one).blocks
            new = accept_all(one).blocks
            if (p.change is None and any(r.change for r in p.runs)
                    and len(old) == len(new) == 1
                    and all(isinstance(b, ir.Paragraph) and _FIGURE.fullmatch(b.text.strip())
                            for b in (*old, *new))):
                before, after = old[0], new[0]
                assert isinstance(before, ir.Paragraph) and isinstance(after, ir.Paragraph)
                out += [whole_paragraph(replace(before, key=keys.sub(p.key, "was")), "del"),
                        whole_paragraph(after, "ins")]
            else:
                out.append(p)
        return tuple(out)

    rows = tuple(replace(row, cells=tuple(replace(cell, blocks=cell_blocks(cell.blocks))
                                          for cell in row.cells))
                 for row in block.rows)
    return replace(block, rows=rows)


def _numbers(compilation: Compilation, proposal: Proposal) -> str:
    """'Proposal 3', 'Proposals 3★, 4': its changes' numbers, ★ for those new."""
    ids = sorted(proposal.changes, key=lambda c: compilation.numbers.get(c, 0))
    shown = [f"{compilation.numbers[c]}{NEW_MARK if c in compilation.new else ''}"
             for c in ids if c in compilation.numbers]
    if not shown:
        return ""
    return ("Proposal " if len(shown) == 1 else "Proposals ") + ", ".join(shown)


def _agreed_text(agreed: object) -> str:
    if isinstance(agreed, dict):
        text = agreed.get("text") or agreed.get("title") or agreed.get("id")
        return str(text) if text is not None else ""
    if isinstance(agreed, list):
        return ", ".join(str(a) for a in agreed)
    return str(agreed)


def _decision_runs(compilation: Compilation, proposal: Proposal) -> list[ir.Run]:
    """'Decision of CWG-SFP-4 (2026-03-20): 3 accepted; 4 not accepted (note)'."""
    meeting = compilation.meeting
    ids = sorted((c for c in proposal.changes if c in compilation.decisions),
                 key=lambda c: compilation.numbers.get(c, 0))
    if meeting is None or not ids:
        return []
    said = []
    for cid in ids:
        entry = compilation.decisions[cid]
        text = f"proposal {entry.number} {DECISION_WORDS[entry.decision]}"
        if entry.decision == "accepted-as-amended":
            text += f": \u201c{_agreed_text(entry.agreed)}\u201d"
        if entry.note:
            text += f" ({entry.note})"
        said.append(text)
    return [ir.Run(f"Decision of {meeting.reference} ({meeting.date}): ", bold=True),
            ir.Run("; ".join(said))]


def to_ir(compilation: Compilation) -> ir.Document:
    meeting = compilation.meeting
    blocks: list[ir.Block] = [
        _paragraph("title", "title", ir.Run("Compilation of contributions"), align="center"),
        _paragraph("subtitle", "body", ir.Run(f"to the draft {compilation.title}"),
                   align="center"),
    ]
    if meeting is not None:
        blocks.append(_paragraph("meeting", "body", ir.Run(
            f"{meeting.title or meeting.reference}, {meeting.date}"), align="center"))
    blocks.append(_paragraph(keys.key(keys.SECTION, "contributions"), "heading1",
                             ir.Run("Contributions"), number="1"))
    head = ir.Row(keys.key("contributions", "head"), tuple(
        ir.Cell((_paragraph(keys.key("contributions", "head", n), "table-heading", ir.Run(t)),))
        for n, t in enumerate(("Reference", "Contributor", "Date", "Title", "Changes"))
    ), header=True)
    rows = [head]
    for n, (contribution, count) in enumerate(compilation.contributions, start=1):
        meta = contribution.contribution.contribution
        cells = (meta.reference or display_path(contribution.path), meta.contributor,
                 meta.date or "", meta.title, str(count))
        rows.append(ir.Row(keys.key("contributions", n), tuple(
            ir.Cell((_paragraph(keys.key("contributions", n, i), "table-text", ir.Run(text)),))
            for i, text in enumerate(cells)
        )))
    blocks.append(ir.Table("contributions", tuple(rows), widths=(17, 19, 14, 37, 13)))
    legend = ("Each proposal is one change of a contribution, numbered in the order of the "
              "text it amends; a number stays the same from one compilation to the next"
              + (f" (the record of {meeting.reference})" if meeting is not None else
                 " once the meeting's record is started (stratplan meeting)") + ".")
    if compilation.new:
        legend += f" {NEW_MARK} marks a proposal new since the last compilation."
    if compilation.decisions and meeting is not None:
        legend += f" The decisions of {meeting.reference} follow the proposals they concern."
    blocks.append(_paragraph("legend", "note", ir.Run(legend)))
    for n, (contribution, _) in enumerate(compilation.contributions, start=1):
        meta = contribution.contribution.contribution
        if not meta.summary:
            continue
        blocks.append(_paragraph(keys.key("summary", n), "heading3", ir.Run(f"{meta.label}: "),
                                 ir.Run(meta.title)))
        blocks += [_paragraph(keys.key("summary", n, i), "body", ir.Run(p.text))
                   for i, p in enumerate(meta.summary, start=1)]
    for n, (contribution, _) in enumerate(compilation.contributions, start=1):
        unseen = compilation.unseen.get(contribution.path, [])
        if not unseen:
            continue
        meta = contribution.contribution.contribution
        blocks.append(_paragraph(keys.key("unseen", n), "body", ir.Run(
            f"{meta.label}: changes the document does not print", bold=True)))
        for change in unseen:
            value = getattr(change.change, "value", None)
            field_name = getattr(change.change, "field", None)
            what = f"{mark_of(change.change)} {address_of(change.change)}"
            item = getattr(change.change, "item", None)
            if address_of(change.change).endswith("/comments") and isinstance(item, dict):
                # a drafting comment: it prints as a Word comment, not in the text
                what = (f"a comment on {address_of(change.change).removesuffix('/comments')}"
                        f": “{item.get('text', '')}”")
            if field_name:
                what += f" ({field_name})"
            if value is not None and not isinstance(value, dict | list):
                what += f": {value}"
            reasons = f". Reasons: {change.change.reasons}" if change.change.reasons else ""
            number = compilation.numbers.get(change_id(change))
            label = f"Proposal {number}, change {change.number}" if number else \
                f"change {change.number}"
            blocks.append(_paragraph(keys.key("unseen", n, change.number), "list",
                                     ir.Run(f"{label}: {what}{reasons}"),
                                     list_kind="dash"))
            decision = _decision_runs(compilation, Proposal(
                meta, contribution.path, "", (), changes={change_id(change)}))
            if decision:
                blocks.append(_paragraph(keys.key("unseen", n, change.number, "decision"),
                                         "note", *decision))
    blocks.append(_paragraph(keys.key(keys.SECTION, "proposals"), "heading1",
                             ir.Run("Proposals"), number="2"))
    section = None
    for n, part in enumerate(compilation.parts, start=1):
        if part.section != section:
            # Grouped by the plan's section, under its heading (the plan's number, no other).
            section = part.section
            blocks.append(_paragraph(keys.key("group", n), "heading2", ir.Run(section)))
        blocks.append(_paragraph(keys.key("part", n), "heading3", ir.Run(part.title)))
        draft = _shown(part.draft)
        if draft:
            blocks.append(_paragraph(keys.key("part", n, "draft"), "note",
                                     ir.Run("Draft text", bold=True)))
            blocks += [_rekey(b, keys.key("part", n, "draft")) for b in draft]
        else:
            blocks.append(_paragraph(keys.key("part", n, "draft"), "note",
                                     ir.Run("Not in the draft: proposed addition", italic=True)))
        if not part.proposals:
            blocks.append(_paragraph(keys.key("part", n, "none"), "note", ir.Run("No proposal.",
                                                                     italic=True)))
        together = sum(1 for p in part.proposals if p.overlaps) > 1
        for m, proposal in enumerate(part.proposals, start=1):
            prefix = keys.key("part", n, f"proposal{m}")
            when = f", {proposal.meta.date}" if proposal.meta.date else ""
            numbers = _numbers(compilation, proposal)
            blocks.append(_paragraph(
                keys.sub(prefix, "mark"), "body",
                ir.Run(f"{proposal.mark}\u2002", bold=True),  # an en space: a tab jumps
                *((ir.Run(f"{numbers}\u2002", bold=True),) if numbers else ()),
                ir.Run(f"{proposal.meta.label}{when}", bold=True),
            ))
            blocks += [_rekey(_figures_whole(b), prefix) for b in proposal.blocks]
            for i, note in enumerate(proposal.notes, start=1):
                blocks.append(_paragraph(keys.sub(prefix, f"note{i}"), "note", ir.Run("Also sets "),
                                         ir.Run(note)))
            for i, reason in enumerate(proposal.reasons, start=1):
                blocks.append(_paragraph(keys.sub(prefix, f"reasons{i}"), "body",
                                         ir.Run("Reasons:", bold=True), ir.Run(f" {reason}")))
            decision = _decision_runs(compilation, proposal)
            if decision:
                blocks.append(_paragraph(keys.sub(prefix, "decision"), "body", *decision))
        if together:
            blocks.append(_paragraph(keys.key("part", n, "overlap"), "note", ir.Run(
                "These proposals change the same text (SP805): the Working Group decides.",
                italic=True)))
    chapter = 2
    if compilation.withdrawn:
        chapter += 1
        blocks.append(_paragraph(keys.key(keys.SECTION, "withdrawn"), "heading1",
                                 ir.Run("Withdrawn proposals"), number=str(chapter)))
        for item in compilation.withdrawn:
            note = f" ({item.note})" if item.note else ""
            blocks.append(_paragraph(
                keys.key("withdrawn", item.number), "list",
                ir.Run(f"Proposal {item.number}", bold=True),
                ir.Run(f": {item.meta.label}, change {item.change}: {item.proposes}{note}"),
                list_kind="dash"))
    if compilation.earlier:
        chapter += 1
        blocks.append(_paragraph(keys.key(keys.SECTION, "earlier"), "heading1",
                                 ir.Run("Proposals decided at earlier meetings"),
                                 number=str(chapter)))
        for n, (contribution, record) in enumerate(compilation.earlier, start=1):
            meta = contribution.contribution.contribution
            here = real(contribution.path)
            entries = [e for e in record.meeting.proposals
                       if real(record.contribution_path(e)) == here]
            meeting_ref = record.meeting.meeting
            blocks.append(_paragraph(keys.key("earlier", n), "body", ir.Run(
                f"{meta.label}, at {meeting_ref.reference} ({meeting_ref.date})", bold=True)))
            for entry in sorted(entries, key=lambda e: e.number):
                note = f" ({entry.note})" if entry.note else ""
                blocks.append(_paragraph(
                    keys.key("earlier", n, entry.number), "list",
                    ir.Run(f"Proposal {entry.number}, change {entry.change}: "
                           f"{entry.proposes or ''} {DECISION_WORDS[entry.decision]}{note}"),
                    list_kind="dash"))
    return ir.Document(
        title=f"Compilation of contributions: {compilation.title}",
        subject=f"Contributions to the draft strategic plan {compilation.period}",
        date=compilation.date,
        blocks=tuple(blocks),
        footnotes=compilation.footnotes,
        revision_author="stratplan",
        revision_date=compilation.date,
    )


def to_json(compilation: Compilation) -> dict[str, object]:
    """The compilation as data: each part's draft and every proposal's text, accepted."""

    def text(blocks: tuple[ir.Block, ...]) -> str:
        return _text(blocks)

    def accepted(blocks: tuple[ir.Block, ...]) -> str:
        return _text(accept_all(ir.Document("", "", "", blocks=blocks)).blocks)

    return {
        "plan": {"title": compilation.title, "period": compilation.period},
        "contributions": [
            {
                "file": display_path(c.path),
                "reference": c.contribution.contribution.reference,
                "contributor": c.contribution.contribution.contributor,
                "date": c.contribution.contribution.date,
                "title": c.contribution.contribution.title,
                "changes": count,
            }
            for c, count in compilation.contributions
        ],
        "parts": [
            {
                "key": part.key,
                "label": part.label,
                "draft": text(part.draft),
                "proposals": [
                    {
                        "mark": p.mark,
                        "contributor": p.meta.contributor,
                        "reference": p.meta.reference,
                        "date": p.meta.date,
                        "text": accepted(p.blocks),
                        "reasons": p.reasons,
                        "also_sets": p.notes,
                        "overlaps": p.overlaps,
                        "numbers": sorted(compilation.numbers[c] for c in p.changes
                                          if c in compilation.numbers),
                        "new": sorted(compilation.numbers[c] for c in p.changes
                                      if c in compilation.new),
                        "decisions": [
                            {"number": e.number, "decision": e.decision, "agreed": e.agreed,
                             "note": e.note}
                            for e in sorted((compilation.decisions[c] for c in p.changes
                                             if c in compilation.decisions),
                                            key=lambda e: e.number)
                        ],
                    }
                    for p in part.proposals
                ],
            }
            for part in compilation.parts
        ],
        "meeting": None if compilation.meeting is None else compilation.meeting.model_dump(
            mode="json", exclude_none=True),
        "withdrawn": [
            {"number": w.number, "reference": w.meta.reference, "contributor": w.meta.contributor,
             "change": w.change, "proposes": w.proposes, "note": w.note}
            for w in compilation.withdrawn
        ],
        "earlier": [
            {"file": display_path(c.path), "meeting": r.meeting.meeting.reference,
             "proposals": [{"number": e.number, "change": e.change, "decision": e.decision}
                           for e in r.meeting.proposals
                           if real(r.contribution_path(e)) == real(c.path)]}
            for c, r in compilation.earlier
        ],
    }
