"""The outcome of a meeting as a redline: the amended plan against the plan before the meeting,
each change a revision by whoever made it. A change the meeting accepted is its proposer's
(the contributor, on the contribution's date, else the meeting's); the rest of what changed
(the Secretariat's own edits, and an accepted text the Secretariat edited further) is the
Secretariat's. The change summary lists, for each item, the proposals that changed it.

Who made a paragraph's (a row's) revisions is told by comparing texts: the plan before the
meeting with only the accepted proposals applied (their agreed texts for those accepted as
amended) is what the proposers made; a paragraph of the amended plan that reads as it does
there is theirs, one that does not, the Secretariat's.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from stratplan import ir, keys
from stratplan.changes.amend import amend
from stratplan.changes.apply import AppliedChange
from stratplan.changes.attribute import attribute, final_text, row_text
from stratplan.changes.decisions import Decided
from stratplan.diff import RedlineResult, key_aliases, redline
from stratplan.diff.summary import AcceptedProposal
from stratplan.model.address import AddressError, ids_in, resolve, split
from stratplan.model.contribution import Add, ContributionMeta, Suppress
from stratplan.model.plan import Plan
from stratplan.model.walk import item_of
from stratplan.proposals.compile import proposes
from stratplan.render.document import plan_document
from stratplan.workspace import Workspace


def _texts(document: ir.Document) -> dict[str, set[str]]:
    """The final texts of the paragraphs and rows of a document, by key (a cell may hold a
    deleted and an inserted paragraph of one key: "" and the new text)."""
    out: dict[str, set[str]] = {}
    for block in document.blocks:
        if isinstance(block, ir.Paragraph):
            out.setdefault(block.key, set()).add(final_text(block))
            continue
        for row in block.rows:
            out.setdefault(row.key, set()).add(row_text(row))
            for cell in row.cells:
                for p in cell.blocks:
                    out.setdefault(p.key, set()).add(final_text(p))
    return out


def outcome_redline(
    workspace: Workspace,
    old: tuple[Path, Plan],
    new: tuple[Path, Plan],
    decided: Decided,
    author: str | None = None,
    date: str | None = None,
    template_dir: Path | None = None,
) -> RedlineResult:
    """The redline from the plan before the meeting (`old`) to the amended plan (`new`), its
    revisions attributed to the proposers of the proposals `decided` accepted, the others to
    `author` (default: the record's secretariat), on `date` (default: the meeting's)."""
    meeting = decided.record.meeting.meeting
    old_folder, old_plan = old
    _, new_plan = new
    adopted = amend(workspace, decided.contributions, old_folder, keep=decided.adopted)
    made = plan_document(adopted.valid_plan(), template_dir)
    old_doc = plan_document(old_plan, template_dir)
    new_doc = plan_document(new_plan, template_dir)
    result = redline(old_doc, new_doc, key_aliases(old_plan, new_plan),
                     author=author or meeting.secretariat, date=date or meeting.date)
    # The proposals' texts, as the same comparison gives them (so that texts compare equal).
    proposed = _texts(redline(old_doc, made, key_aliases(old_plan, new_plan)).document)

    def settled(key: str, final: str) -> bool:
        return final in proposed.get(key, ())

    touched: dict[str, ContributionMeta] = {}
    by_item: dict[str, list[str]] = {}
    # What a field of the plan changed by one contributor only shows elsewhere (the totals of
    # Appendix A a changed amount moves) is that contributor's too.
    tops: dict[str, dict[str, ContributionMeta]] = {}
    labels: dict[str, list[str]] = {}
    # An item an `add` puts something into is that proposal's only where no other accepted
    # proposal changes the item itself (a target's new text beats an indicator added to it).
    around: dict[str, ContributionMeta] = {}
    for change in adopted.changes:
        record = decided.entry(change)
        meta = change.meta
        dated = meta if meta.date else meta.model_copy(update={"date": meeting.date})
        label = f"Proposal {record.number}: {meta.label}" if record else meta.label
        labels.setdefault(meta.contributor, []).append(label)
        if change.canonical:
            tops.setdefault(change.canonical[0], {})[meta.contributor] = dated
        added = ids_in(change.change.item) if isinstance(change.change, Add) else None
        for item in change.scope:
            if added is not None and item not in added:
                around[item] = dated
            else:
                touched[item] = dated
            if label not in by_item.setdefault(item, []):
                by_item[item].append(label)
    for item, dated in around.items():
        touched.setdefault(item, dated)
    for top, contributors in tops.items():
        if len(contributors) == 1 and top not in touched:
            touched[top] = next(iter(contributors.values()))
    proposers = {meta.contributor: meta for by in tops.values() for meta in by.values()}

    def consequence(paragraph: ir.Paragraph) -> ContributionMeta | None:
        """The proposer a change keyed by no item of theirs comes from: the one proposer of
        the meeting, or the one who changed every field the paragraph prints."""
        if len(proposers) == 1:
            return next(iter(proposers.values()))
        fields = {split(address)[0] for run in paragraph.runs for address in run.shows}
        who = {c for top in fields for c in tops.get(top, {})}
        return proposers[next(iter(who))] if len(who) == 1 and fields <= tops.keys() else None

    document = attribute(result.document, touched, settled, consequence)
    loaded_old = workspace.plan(old_folder)
    old_data = loaded_old.sources.data if loaded_old.sources is not None else {}
    document = renumbered_by_cause(by_words(document, _paragraph_proposals(
        adopted.changes, old_data, meeting.date)))
    secretariat = author or meeting.secretariat
    revised: dict[str, set[str | None]] = {}
    for block in document.blocks:
        units: list[tuple[str, str | None, bool]] = []
        if isinstance(block, ir.Paragraph):
            units.append((block.key, block.author, _changed(block)))
        else:
            for row in block.rows:
                units.append((row.key, row.author, row.change is not None))
                units += [(p.key, p.author, _changed(p)) for c in row.cells for p in c.blocks]
        for key, who, changed in units:
            own = item_of(key)
            if changed and own is not None:
                revised.setdefault(own, set()).add(who)
    for entry in result.changes.entries:
        if entry.mark == "NOC":
            continue
        authors: set[str | None] = revised.get(entry.key, {None})
        entry.by = list(by_item.get(keys.parse(entry.key).name, []))
        if not entry.by:
            entry.by = [label for who in sorted(a for a in authors if a) for label in
                        labels.get(who, [])]
        if None in authors or not entry.by:
            entry.by.append(secretariat)
    result.changes.proposals = [
        AcceptedProposal(record.number if record else None, change.meta.label,
                         proposes(change.change), record.decision if record else "accepted",
                         change.number)
        for change in adopted.changes
        for record in (decided.entry(change),)
    ]
    result.changes.proposals.sort(key=lambda p: (p.number or 0, p.by, p.change))
    return replace(result, document=document)


Words = tuple[str, str, ContributionMeta]  # "ins" or "del", a paragraph's words, its proposer
_FOOTNOTE_REFERENCE = re.compile(r"\[\^[^\]]*\]")


def _words(text: str) -> str:
    return " ".join(_FOOTNOTE_REFERENCE.sub("", text).split())


def _paragraph_proposals(changes: list[AppliedChange], old_data: Any,
                         meeting_date: str) -> list[Words]:
    """The paragraphs written as text that accepted proposals add or suppress, by their words:
    two proposals adding paragraphs to one section are each told by its words."""
    out: list[Words] = []
    for change in changes:
        meta = change.meta if change.meta.date else change.meta.model_copy(
            update={"date": meeting_date})
        if isinstance(change.change, Add) and isinstance(change.change.item, str):
            out.append(("ins", _words(change.change.item), meta))
        elif isinstance(change.change, Suppress):
            try:
                value = resolve(old_data, change.change.suppress).value
            except AddressError:
                continue
            if isinstance(value, str):
                out.append(("del", _words(value), meta))
    return out


def by_words(document: ir.Document, proposals: list[Words]) -> ir.Document:
    """Each paragraph added or deleted whole whose words are those of one proposer's accepted
    proposal (its number before them) is that proposer's."""
    blocks: list[ir.Block] = []
    for block in document.blocks:
        if isinstance(block, ir.Paragraph) and block.change in ("ins", "del"):
            text = _words("".join(r.text for r in block.runs if r.footnote is None))
            who = {meta.contributor: meta for kind, words, meta in proposals
                   if kind == block.change and words and text.endswith(words)}
            if len(who) == 1:
                meta = next(iter(who.values()))
                block = replace(block, author=meta.contributor, date=meta.date)
        blocks.append(block)
    return replace(document, blocks=tuple(blocks))


def renumbered_by_cause(document: ir.Document) -> ir.Document:
    """A paragraph only renumbered (its number changed, nothing else) because paragraphs of
    its kind were added, removed or moved before it (in the text, a paragraph of its style; in
    a table, a row of that table) is the proposer's who added, removed or moved them, when that
    is one proposer; else it stays the document's author's (the Secretariat's)."""
    causes: dict[str, set[str | None]] = {}  # by style, or by table: who renumbered so far
    dates: dict[str, str | None] = {}

    def seen(kind: str, author: str | None, date: str | None) -> None:
        causes.setdefault(kind, set()).add(author)
        if author:
            dates[author] = date

    def renumbered(p: ir.Paragraph, kind: str) -> ir.Paragraph:
        if p.number_was is None or p.author is not None or _changed(p):
            return p
        who = causes.get(kind, set())
        author = next(iter(who)) if len(who) == 1 else None
        return replace(p, author=author, date=dates[author]) if author is not None else p

    blocks: list[ir.Block] = []
    for block in document.blocks:
        if isinstance(block, ir.Paragraph):
            if block.change is not None or block.move:  # (its number is in its runs)
                seen(block.style, block.author, block.date)
            blocks.append(renumbered(block, block.style))
            continue
        rows = []
        for row in block.rows:
            if row.change is not None:
                seen(block.key, row.author, row.date)
            cells = tuple(replace(c, blocks=tuple(renumbered(p, block.key) for p in c.blocks))
                          for c in row.cells)
            rows.append(replace(row, cells=cells))
        blocks.append(replace(block, rows=tuple(rows)))
    return replace(document, blocks=tuple(blocks))


def _changed(paragraph: ir.Paragraph) -> bool:
    return paragraph.change is not None or any(r.change for r in paragraph.runs)
