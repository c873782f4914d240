"""The lineage crosswalk reproduces seed 002's mapping, and SP603 flags unaccounted targets."""

from __future__ import annotations

import csv
import io

import pytest

from stratplan.api import load_valid_plan, validate
from stratplan.model.plan import Plan
from stratplan.tools.crosswalk import Crosswalk, build_crosswalk
from tests.conftest import PLANS, run_cli

# Seed 002, "Mapping with the 2023 Targets", by the 2024-2027 target each suggested target
# became (seed 002's draft wording and order differ from the adopted plan's).
SEED_002_MAPPING = {
    "broadband-coverage": {"2.7", "1.6"},
    "affordable-broadband": {"2.6", "1.3", "2.5"},
    "household-access": {"1.1", "2.1", "2.2"},
    "internet-use": {"1.2", "2.3", "2.4"},
    "digital-gaps": {"2.8"},
    "business-use": set(),  # "(Inspired from the relevant BBCOM target / ... UNCTAD)"
    "schools-access": set(),  # "(Measured by UNESCO (UIS), as part of SDG indicator 4.a.1)"
    "digital-skills": {"2.10"},
    "e-government": {"1.7"},
    "environmental-impact": {"3.2", "3.4"},
}


def crosswalk_2020_2024() -> tuple[Plan, Crosswalk]:
    _, old = load_valid_plan(PLANS / "2020-2023")
    _, new = load_valid_plan(PLANS / "2024-2027")
    return new, build_crosswalk(old, new)


def test_crosswalk_reproduces_seed_002_mapping_rows() -> None:
    new, cw = crosswalk_2020_2024()
    by_id = {t.id: row for t, row in zip(new.targets, cw.rows, strict=True)}
    for target_id, old_numbers in SEED_002_MAPPING.items():
        assert {t.number for t in by_id[target_id].replaces} == old_numbers, target_id
    assert "BBCOM" in by_id["business-use"].note
    assert "UNESCO" in by_id["schools-access"].note


def test_moved_and_dropped_targets_with_reasons() -> None:
    _, cw = crosswalk_2020_2024()
    assert sorted(f.target.number for f in cw.moved) == ["1.4", "1.5", "2.9", "3.1", "3.3", "3.5"]
    assert sorted(f.target.number for f in cw.dropped) == ["4.1", "5.1"]
    assert all("means rather than ends" in f.reason for f in cw.dropped)
    assert cw.unaccounted == []


@pytest.mark.slow
def test_lineage_command_formats() -> None:
    md = run_cli("lineage", str(PLANS / "2020-2023"), str(PLANS / "2024-2027"))
    assert md.returncode == 0
    assert "| Universal Connectivity | 1.1: Universal broadband coverage |" in md.stdout
    assert "## Dropped" in md.stdout
    out = run_cli("lineage", str(PLANS / "2020-2023"), str(PLANS / "2024-2027"), "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    replaced = {r["old_target_number"] for r in rows if r["fate"] == "replaces"}
    assert len(replaced) == 16
    assert {r["fate"] for r in rows} >= {"replaces", "moved-to-outcomes", "dropped"}


def test_sp603_flags_targets_the_new_draft_does_not_account_for() -> None:
    result = validate([PLANS / "2028-2031"])
    gaps = sorted(d.message.split("'")[1] for d in result.diagnostics if d.code == "SP603")
    assert gaps == ["digital-gaps", "e-government", "household-access"]
    assert all(d.severity.value == "warning" for d in result.diagnostics if d.code == "SP603")
    final = validate([PLANS / "2028-2031"], stage="final")
    assert any(d.code == "SP603" and d.severity.value == "error" for d in final.diagnostics)


def test_lineage_csv_cells_never_run_as_formulas() -> None:
    from dataclasses import replace

    from stratplan.tools.crosswalk import to_csv

    _, old = load_valid_plan(PLANS / "2020-2023")
    _, new = load_valid_plan(PLANS / "2024-2027")
    crosswalk = build_crosswalk(old, new)
    crosswalk.rows[0] = replace(crosswalk.rows[0], target="=1+1")
    rows = list(csv.reader(io.StringIO(to_csv(crosswalk))))
    assert rows[1][3] == "'=1+1"
