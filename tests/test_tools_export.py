"""`stratplan.tools.export`: flat tables for monitoring teams, as JSON and CSV."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from stratplan.api import load_valid_plan
from stratplan.tools.export import COLUMNS, export_tables, write_csv, write_json

ROOT = Path(__file__).resolve().parents[1]


def expected_counts(folder: str) -> dict[str, int]:
    _, plan = load_valid_plan(ROOT / "plans" / folder)
    resources = plan.resources
    counts = {
        "goals": len(plan.goals),
        "targets": len(plan.targets),
        "indicators": sum(len(t.indicators) for t in plan.targets)
        + sum(len(o.indicators) for o in plan.outcomes),
        "priorities": len(plan.priorities),
        "outcomes": len(plan.outcomes),
        "resources": 0
        if resources is None
        else (len(resources.rows) + len(resources.adjustments)) * len(resources.years),
    }
    if plan.objectives:
        counts["objectives"] = len(plan.objectives)
    return counts


@pytest.mark.parametrize("folder", ["2028-2031", "2020-2023", "2024-2027", "2012-2015"])
def test_export_counts_and_formats(folder: str, tmp_path: Path) -> None:
    _, plan = load_valid_plan(ROOT / "plans" / folder)
    tables = export_tables(plan)
    counts = expected_counts(folder)
    assert {name: len(rows) for name, rows in tables.items()} == counts
    for name, rows in tables.items():
        for row in rows:
            assert list(row) == COLUMNS[name]
            assert all(v is None or isinstance(v, str | int) for v in row.values())

    parsed = json.loads(write_json(tables))
    assert parsed == tables
    assert list(parsed) == list(tables)

    written = write_csv(tables, tmp_path / "out")
    assert [p.name for p in written] == [f"{n}.csv" for n, rows in tables.items() if rows]
    for path in written:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            assert reader.fieldnames == COLUMNS[path.stem]
            assert len(list(reader)) == counts[path.stem]
    assert not list((tmp_path / "out").glob(".*"))


def test_export_2028_2031_values() -> None:
    _, plan = load_valid_plan(ROOT / "plans" / "2028-2031")
    tables = export_tables(plan)
    assert len(tables["targets"]) == len(plan.targets)
    assert "objectives" not in tables
    goal = tables["goals"][0]
    assert goal["number"] == "1" and goal["id"] == plan.goals[0].id
    numbers = [t["number"] for t in tables["targets"] if t["goal"] == plan.goals[0].id]
    assert numbers == [f"1.{n}" for n in range(1, len(numbers) + 1)]
    target = tables["targets"][0]
    assert target["deadline"] == 2031
    indicator = tables["indicators"][0]
    assert indicator["kind"] == "target"
    assert indicator["parent"] == target["id"] and indicator["parent_number"] == "1.1"
    assert indicator["sdg_indicators"] == "9.c.1"
    outcome_indicators = [i for i in tables["indicators"] if i["kind"] == "outcome"]
    assert outcome_indicators and all(i["parent_number"] for i in outcome_indicators)
    first_per_priority: dict[tuple[object, object], Any] = {}
    for outcome in tables["outcomes"]:
        first_per_priority.setdefault((outcome["priority"], outcome["proposed_by"]), outcome)
    assert all(o["number"] == "1" for o in first_per_priority.values())
    resources = plan.resources
    assert resources is not None
    rows = [r for r in tables["resources"] if r["kind"] == "row"]
    assert len(rows) == len(resources.rows) * len(resources.years)
    assert sum(r["amount"] for r in rows if r["year"] == 2024) == 163160  # type: ignore[misc]
    adjustments = [r for r in tables["resources"] if r["kind"] == "adjustment"]
    assert [a["amount"] for a in adjustments] == list(resources.adjustments[0].amounts)


def test_export_2020_2023_objectives() -> None:
    _, plan = load_valid_plan(ROOT / "plans" / "2020-2023")
    tables = export_tables(plan)
    assert len(tables["objectives"]) == len(plan.objectives)
    assert tables["objectives"][0]["code"] == "R.1"
    assert tables["indicators"] == [] and tables["resources"] == []


def test_csv_keeps_unicode_and_separators(tmp_path: Path) -> None:
    tables = {"goals": [{"id": "g", "number": "1", "title": "“OneITU”, é", "statement": None}]}
    (path,) = write_csv(tables, tmp_path)
    text = path.read_text(encoding="utf-8")
    assert "“OneITU”, é" in text
    assert '"“OneITU”, é"' in text  # the comma is quoted
    with path.open(encoding="utf-8", newline="") as handle:
        assert list(csv.DictReader(handle)) == [
            {"id": "g", "number": "1", "title": "“OneITU”, é", "statement": ""}
        ]
    assert "“OneITU”" in write_json(tables)


def test_csv_cells_never_run_as_formulas(tmp_path: Path) -> None:
    """A spreadsheet evaluates a cell that starts with =, +, -, @ (or a tab or CR before
    them): such text gets a leading apostrophe in CSV; numbers, and JSON, are as they are."""
    formula = '=HYPERLINK("http://example.org", "Goal one")'
    rows = [
        {"id": "a", "number": "1", "title": formula, "statement": "+1 more"},
        {"id": "b", "number": "2", "title": "-minus", "statement": "@user"},
        {"id": "c", "number": "3", "title": "\t=tab", "statement": "fine = fine"},
    ]
    (path,) = write_csv({"goals": rows}, tmp_path)
    with path.open(encoding="utf-8", newline="") as handle:
        cells = [(r["title"], r["statement"]) for r in csv.DictReader(handle)]
    assert cells == [
        ("'" + formula, "'+1 more"),
        ("'-minus", "'@user"),
        ("'\t=tab", "fine = fine"),
    ]
    assert json.loads(write_json({"goals": rows}))["goals"][0]["title"] == formula
    (resources,) = write_csv(
        {"resources": [{"kind": "adjustment", "priority": None, "id": "cut", "label": "Cut",
                        "year": 2028, "amount": -10, "unit": None}]},
        tmp_path / "r",
    )
    assert "2028,-10," in resources.read_text(encoding="utf-8")  # a number is not text
