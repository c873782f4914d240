"""Display numbers (Goal 1, Target 1.2, outcome 3), R.1, objective letters) computed from the
order of the plan's lists: numbers are never stored, so renumbering is never a new item."""

from __future__ import annotations

import string
from dataclasses import dataclass, field

from stratplan.model.plan import Plan


def letters(index: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa (outcome letters R.1-a)."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = string.ascii_lowercase[rem] + out
    return out


@dataclass
class Numbers:
    """Display numbers by id, computed from the order of the plan's lists."""

    goal: dict[str, int] = field(default_factory=dict)
    target: dict[str, str] = field(default_factory=dict)
    outcome: dict[str, int] = field(default_factory=dict)
    objective: dict[str, str] = field(default_factory=dict)
    objective_index: dict[str, int] = field(default_factory=dict)
    priority: dict[str, int] = field(default_factory=dict)


def compute_numbers(plan: Plan) -> Numbers:
    numbers = Numbers()
    for n, goal in enumerate(plan.goals, start=1):
        numbers.goal[goal.id] = n
    seen: dict[str, int] = {}
    for target in plan.targets:
        seen[target.goal] = seen.get(target.goal, 0) + 1
        numbers.target[target.id] = f"{numbers.goal.get(target.goal, 0)}.{seen[target.goal]}"
    for n, priority in enumerate(plan.priorities, start=1):
        numbers.priority[priority.id] = n
    per_group: dict[tuple[str, str], int] = {}
    for outcome in plan.outcomes:
        group = (outcome.priority, outcome.proposed_by or "")
        per_group[group] = per_group.get(group, 0) + 1
        numbers.outcome[outcome.id] = per_group[group]
    codes = {s.id: (s.code or "") for s in plan.sectors}
    per_sector: dict[str, int] = {}
    for objective in plan.objectives:
        per_sector[objective.sector] = per_sector.get(objective.sector, 0) + 1
        index = per_sector[objective.sector]
        numbers.objective_index[objective.id] = index
        code = codes.get(objective.sector, "")
        numbers.objective[objective.id] = f"{code}.{index}" if code else str(index)
    return numbers
