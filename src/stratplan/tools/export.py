"""Flat tables of a plan for monitoring teams: goals, targets, indicators, priorities, outcomes,
resources (and, for the older frameworks, objectives), as JSON or one CSV file per table.

Numbers are the numbers the documents print (goal "1", target "1.2", outcome "3" within its
priority), computed by `stratplan.model.numbers.compute_numbers` from the order of the plan.
List fields are joined with ";"; an absent value is None (an empty CSV cell, JSON null). In
CSV, a text cell that starts with =, +, -, @, a tab or a carriage return is written with a
leading apostrophe, so that no spreadsheet runs it as a formula (JSON keeps the text as it is).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from stratplan.model.numbers import compute_numbers
from stratplan.model.plan import Indicator, Plan, Smart
from stratplan.writers.files import ensure_folder, write_atomically
from stratplan.writers.spreadsheet import csv_text, spreadsheet_safe

__all__ = [
    "COLUMNS",
    "Cell",
    "Tables",
    "TablesIn",
    "export_tables",
    "spreadsheet_safe",
    "write_csv",
    "write_json",
]

Cell = str | int | None
Tables = dict[str, list[dict[str, Cell]]]
# What the writers take: any mapping of tables (a Tables, or tables built by hand).
TablesIn = Mapping[str, Sequence[Mapping[str, Cell]]]

SEPARATOR = ";"

_SMART = [
    "deadline",
    "unit",
    "data_source",
    "custodian",
    "sdg_indicators",
    "baseline_value",
    "baseline_year",
    "target_value",
    "disaggregation",
]

# Every table's columns, in order (also the header row of its CSV file).
COLUMNS: dict[str, list[str]] = {
    "goals": ["id", "number", "title", "statement"],
    "targets": ["id", "number", "goal", "text", *_SMART, "replaces"],
    "indicators": ["id", "kind", "parent", "parent_number", "text", *_SMART],
    "priorities": ["id", "number", "title", "short_title"],
    "outcomes": ["id", "number", "priority", "text", "proposed_by"],
    "resources": ["kind", "priority", "id", "label", "year", "amount", "unit"],
    "objectives": ["id", "code", "sector", "title"],
}


def _joined(values: list[str]) -> str | None:
    return SEPARATOR.join(values) if values else None


def _smart(item: Smart) -> dict[str, Cell]:
    return {
        "deadline": item.deadline,
        "unit": item.unit,
        "data_source": item.data_source,
        "custodian": item.custodian,
        "sdg_indicators": _joined(item.sdg_indicators),
        "baseline_value": item.baseline.value if item.baseline else None,
        "baseline_year": item.baseline.year if item.baseline else None,
        "target_value": item.target_value,
        "disaggregation": _joined(item.disaggregation),
    }


def _indicator(
    indicator: Indicator, kind: str, parent: str, parent_number: str | None
) -> dict[str, Cell]:
    return {
        "id": indicator.id,
        "kind": kind,
        "parent": parent,
        "parent_number": parent_number,
        "text": indicator.text,
        **_smart(indicator),
    }


def _ordered(name: str, row: dict[str, Cell]) -> dict[str, Cell]:
    return {column: row.get(column) for column in COLUMNS[name]}


def export_tables(plan: Plan) -> Tables:
    """The plan as flat tables (name -> rows; each row a dict in `COLUMNS` order).

    Every table is there, empty where the plan has none of its items, except `objectives`,
    which is there only for plans that have objectives (2012-2015, 2020-2023).
    """
    numbers = compute_numbers(plan)
    tables: Tables = {name: [] for name in COLUMNS if name != "objectives"}

    for goal in plan.goals:
        number = numbers.goal.get(goal.id)
        tables["goals"].append(
            {
                "id": goal.id,
                "number": str(number) if number is not None else None,
                "title": goal.title,
                "statement": goal.statement,
            }
        )

    for target in plan.targets:
        target_number = numbers.target.get(target.id)
        tables["targets"].append(
            {
                "id": target.id,
                "number": target_number,
                "goal": target.goal,
                "text": target.text,
                **_smart(target),
                "replaces": _joined(target.replaces),
            }
        )
        for indicator in target.indicators:
            tables["indicators"].append(_indicator(indicator, "target", target.id, target_number))

    for priority in plan.priorities:
        number = numbers.priority.get(priority.id)
        tables["priorities"].append(
            {
                "id": priority.id,
                "number": str(number) if number is not None else None,
                "title": priority.title,
                "short_title": priority.short_title,
            }
        )

    for outcome in plan.outcomes:
        number = numbers.outcome.get(outcome.id)
        outcome_number = str(number) if number is not None else None
        tables["outcomes"].append(
            {
                "id": outcome.id,
                "number": outcome_number,
                "priority": outcome.priority,
                "text": outcome.text,
                "proposed_by": outcome.proposed_by,
            }
        )
        for indicator in outcome.indicators:
            tables["indicators"].append(
                _indicator(indicator, "outcome", outcome.id, outcome_number)
            )

    resources = plan.resources
    if resources is not None:
        titles = {p.id: (p.short_title or p.title) for p in plan.priorities}
        for row in resources.rows:
            label = row.label or titles.get(row.priority, row.priority)
            for year, amount in zip(resources.years, row.amounts, strict=False):
                tables["resources"].append(
                    {
                        "kind": "row",
                        "priority": row.priority,
                        "id": None,
                        "label": label,
                        "year": year,
                        "amount": amount,
                        "unit": resources.unit,
                    }
                )
        for adjustment in resources.adjustments:
            for year, amount in zip(resources.years, adjustment.amounts, strict=False):
                tables["resources"].append(
                    {
                        "kind": "adjustment",
                        "priority": None,
                        "id": adjustment.id,
                        "label": adjustment.label,
                        "year": year,
                        "amount": amount,
                        "unit": resources.unit,
                    }
                )

    if plan.objectives:
        tables["objectives"] = [
            {
                "id": objective.id,
                "code": numbers.objective.get(objective.id),
                "sector": objective.sector,
                "title": objective.title,
            }
            for objective in plan.objectives
        ]

    return {name: [_ordered(name, row) for row in rows] for name, rows in tables.items()}


def write_json(tables: TablesIn) -> str:
    """One JSON object of tables, in table and column order, UTF-8 text kept as it is."""
    plain = {name: [dict(row) for row in rows] for name, rows in tables.items()}
    return json.dumps(plain, ensure_ascii=False, indent=2) + "\n"


def _columns(name: str, rows: Sequence[Mapping[str, Cell]]) -> list[str]:
    if name in COLUMNS:
        return COLUMNS[name]
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    return columns


def _csv_text(columns: list[str], rows: Sequence[Mapping[str, Cell]]) -> str:
    # RFC 4180 line ends, as csv.DictWriter wrote them before the writers shared one.
    return csv_text(columns, ([row.get(c) for c in columns] for row in rows), line_end="\r\n")


def write_csv(tables: TablesIn, folder: Path, inputs: Iterable[Path] = ()) -> list[Path]:
    """One `<table>.csv` per non-empty table in `folder` (made if needed): UTF-8, a header row,
    RFC 4180 quoting; each file written atomically, never over one of `inputs`. Returns the
    files written."""
    folder = ensure_folder(Path(folder))
    inputs = list(inputs)
    written: list[Path] = []
    for name, rows in tables.items():
        if not rows:
            continue
        path = folder / f"{name}.csv"
        write_atomically(path, _csv_text(_columns(name, rows), rows).encode("utf-8"), inputs)
        written.append(path)
    return written
