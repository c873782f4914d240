"""Overlaps: two contributions changing the same text (the same field, or an item and
something inside it, or an item one modifies and another suppresses). They are found and shown,
never resolved in silence: a located diagnostic (SP805) names every proposal of the overlap,
and the documents show them side by side."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stratplan.changes.apply import AppliedChange
from stratplan.diagnostics import Diagnostic, Severity
from stratplan.model.address import join
from stratplan.model.contribution import Modify


@dataclass
class Overlap:
    changes: list[AppliedChange]  # two or more, of at least two contributions

    @property
    def agrees(self) -> bool:
        """Whether its changes all set the same field of the same item to the same value
        (two delegations proposing the same words): accepted together, they are one."""
        first = self.changes[0]
        return all(
            isinstance(c.change, Modify) and isinstance(first.change, Modify)
            and c.canonical == first.canonical and c.change.field == first.change.field
            and c.change.value == first.change.value
            for c in self.changes)

    @property
    def target(self) -> str:
        """What they overlap on: the shortest of their targets."""
        shortest = min((c.canonical for c in self.changes), key=len)
        return join(*(p.lstrip("+") for p in shortest))


def find_overlaps(changes: list[AppliedChange]) -> list[Overlap]:
    """Groups of changes from different contributions whose targets nest (one's target is the
    other's or inside it), in the order their first change was applied."""
    parent = list(range(len(changes)))

    def top(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        parent[top(max(i, j))] = top(min(i, j))

    # Targets nest when one is a prefix of the other: each change looks up its own prefixes
    # (not every other change: 5 000 changes made 12 million pairs). Changes of one source
    # with the same target stand for each other; they join only through another source.
    by_target: dict[tuple[str, ...], dict[Path, int]] = {}
    for i, change in enumerate(changes):
        sources = by_target.setdefault(change.canonical, {})
        if change.source.path in sources:
            union(sources[change.source.path], i)
        else:
            sources[change.source.path] = i
    for i, change in enumerate(changes):
        for size in range(len(change.canonical) + 1):
            for source, other in by_target.get(change.canonical[:size], {}).items():
                if source != change.source.path:
                    union(other, i)
    groups: dict[int, list[AppliedChange]] = {}
    for i, change in enumerate(changes):
        groups.setdefault(top(i), []).append(change)
    return [
        Overlap(group)
        for group in groups.values()
        if len({c.source.path for c in group}) > 1
    ]


def conflicts(changes: list[AppliedChange]) -> list[Overlap]:
    """The overlaps among changes taken together (a meeting's accepted proposals) that
    disagree: proposals of the same words for the same field are one change."""
    return [o for o in find_overlaps(changes) if not o.agrees]


def overlap_diagnostics(overlaps: list[Overlap], final: bool) -> list[Diagnostic]:
    """SP805 at each change of each overlap, naming the others: a warning while drafting, an
    error at the final stage (the Working Group must have decided by then)."""
    out = []
    for overlap in overlaps:
        for change in overlap.changes:
            others = "; ".join(
                f"{o.describe()} ({o.meta.label})" for o in overlap.changes if o is not change
            )
            out.append(
                Diagnostic(
                    "SP805",
                    Severity.ERROR if final else Severity.WARNING,
                    f"change {change.number} ({change.meta.label}) overlaps on "
                    f"{overlap.target} with {others}",
                    change.location,
                    "both proposals are shown side by side in `render -c` and `compile`; "
                    "`apply --change` takes the one the Working Group accepts",
                )
            )
    return out
