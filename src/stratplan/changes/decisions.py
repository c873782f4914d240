"""A meeting's decisions as the commands use them: the proposals its record adopted (with the
agreed texts in place of the proposed ones), the record's own problems located (SP810), and the
plan a decided contribution is checked against: the plan before the meeting, at the record's
git revision."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from stratplan.changes.apply import AppliedChange
from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path
from stratplan.model.contribution import Add, AnyChange, Modify, Suppress
from stratplan.model.meeting import ADOPTED, ProposalRecord
from stratplan.workspace import LoadedContribution, LoadedMeeting, Workspace, real

Identity = tuple[Path, int]  # a contribution (its real path) and a change's number in it


@dataclass
class Decided:
    """A record read with the contributions it names."""

    record: LoadedMeeting
    # Each contribution it names, in the order the record first names it; the changes it
    # accepted as amended carry the agreed value or item.
    contributions: list[LoadedContribution] = field(default_factory=list)
    entries: dict[Identity, ProposalRecord] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)

    def entry(self, change: AppliedChange) -> ProposalRecord | None:
        """The record's entry for an applied change, if it has one."""
        return self.entries.get((real(change.source.path), change.number))

    def adopted(self, change: AppliedChange) -> bool:
        """Whether the meeting accepted the change (as proposed or as amended)."""
        entry = self.entry(change)
        return entry is not None and entry.decision in ADOPTED

    def by_decision(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for entry in self.record.meeting.proposals:
            counts[entry.decision] = counts.get(entry.decision, 0) + 1
        return counts


def _problem(record: LoadedMeeting, index: int, message: str, hint: str = "",
             *where: str) -> Diagnostic:
    return Diagnostic("SP810", Severity.ERROR, message, record.location(index, *where), hint)


def read_decisions(workspace: Workspace, record: LoadedMeeting) -> Decided:
    """The record's contributions and entries; what it names that is not there (a file, a
    change), a number or a proposal given twice, an agreed text a proposal cannot take, a
    contribution to another plan: SP810 at the entry."""
    decided = Decided(record)
    numbers: dict[int, int] = {}
    loaded: dict[Path, LoadedContribution] = {}
    agreed: dict[Path, dict[int, ProposalRecord]] = {}
    base = record.meeting.meeting.base
    for index, entry in enumerate(record.meeting.proposals):
        if entry.number in numbers:
            decided.problems.append(_problem(
                record, index, f"proposal number {entry.number} is given twice (entry "
                f"{numbers[entry.number] + 1} has it too)", "", "number"))
        numbers.setdefault(entry.number, index)
        path = record.contribution_path(entry)
        if not path.is_file():
            decided.problems.append(_problem(
                record, index, f"no contribution {display_path(path)}",
                "the path is from the record's folder", "contribution"))
            continue
        key = real(path)
        if key not in loaded:
            try:
                contribution = workspace.contribution(path)
            except StratplanError as exc:
                decided.problems.append(_problem(
                    record, index, f"{display_path(path)} cannot be read as a contribution",
                    "", "contribution"))
                decided.problems += exc.diagnostics
                continue
            loaded[key] = contribution
            if contribution.contribution.contribution.base != base:
                decided.problems.append(_problem(
                    record, index, f"{display_path(path)} amends the plan of "
                    f"{contribution.contribution.contribution.base}, and the meeting the plan "
                    f"of {base}", "", "contribution"))
        contribution = loaded[key]
        positions = [contribution.position(i) + 1
                     for i in range(len(contribution.contribution.changes))]
        if entry.change not in positions:
            decided.problems.append(_problem(
                record, index, f"{display_path(path)} has no change {entry.change} (it has "
                f"{len(positions)})", "", "change"))
            continue
        if (key, entry.change) in decided.entries:
            decided.problems.append(_problem(
                record, index, f"change {entry.change} of {display_path(path)} has two entries",
                "one entry per proposal", "change"))
            continue
        decided.entries[(key, entry.change)] = entry
        if entry.decision == "accepted-as-amended":
            change = contribution.contribution.changes[positions.index(entry.change)]
            if isinstance(change, Suppress):
                decided.problems.append(_problem(
                    record, index, "a suppression is accepted or not: it has no text to amend",
                    "accepted, or not-accepted", "agreed"))
                continue
            agreed.setdefault(key, {})[positions.index(entry.change)] = entry
    for key, contribution in loaded.items():
        if key in agreed:
            changes = [_agreed(c, agreed[key][i]) if i in agreed[key] else c
                       for i, c in enumerate(contribution.contribution.changes)]
            contribution = replace(contribution, contribution=contribution.contribution.model_copy(
                update={"changes": changes}))
        decided.contributions.append(contribution)
    return decided


def _agreed(change: AnyChange, entry: ProposalRecord) -> AnyChange:
    """The change with the agreed value (a modify's) or item (an add's) in place of its own."""
    if isinstance(change, Modify):
        return change.model_copy(update={"value": entry.agreed})
    if isinstance(change, Add):
        return change.model_copy(update={"item": entry.agreed})
    return change


def written_for(workspace: Workspace, contribution: LoadedContribution) -> tuple[
    Path, LoadedMeeting | None
]:
    """The plan a contribution is checked against: the plan before the first meeting that
    decided any of its proposals, at that record's revision; else its base on disk. With the
    record, when one decided it."""
    base = workspace.base_folder(contribution)
    records = workspace.deciding(contribution.path)
    if not records:
        return base, None
    record = records[0]
    revision = record.meeting.meeting.revision
    if revision is None:
        return base, record
    try:
        return workspace.at_revision(base, revision), record
    except StratplanError as exc:
        raise StratplanError([Diagnostic(
            "SP810", Severity.ERROR,
            f"{display_path(contribution.path)} was decided at "
            f"{record.meeting.meeting.reference}, whose record names revision {revision!r}: "
            + "; ".join(d.message for d in exc.diagnostics),
            record.sources.locate(("meeting", "revision")) or Location(display_path(record.path)),
            "the revision of the plan before the meeting: a tag or a commit of the repository",
            io=True)]) from None


def decided_before(
    workspace: Workspace, contribution: LoadedContribution, base: Path
) -> LoadedMeeting | None:
    """The meeting that decided a contribution, when `base` is not the plan it was decided on
    (the plan has moved on since): its proposals are that meeting's, not this plan's."""
    records = workspace.deciding(contribution.path)
    if not records:
        return None
    written, _ = written_for(workspace, contribution)
    here, there = workspace.plan(base).sources, workspace.plan(written).sources
    if here is not None and there is not None and here.data == there.data:
        return None
    return records[0]
