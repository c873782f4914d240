"""The real plans: they validate, and they hold what the source documents hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from stratplan.api import load_plan, validate
from stratplan.model.finance import compute_resources, format_amount, format_percent
from stratplan.model.plan import Plan
from tests.conftest import PLANS, ROOT

SEEDS = ROOT.parent / "shared" / "seeds"
CYCLES = ["2012-2015", "2020-2023", "2024-2027", "2028-2031"]


def plan(cycle: str) -> Plan:
    loaded = load_plan(PLANS / cycle)
    assert loaded.plan is not None, loaded.diagnostics
    return loaded.plan


def seed_text(name: str) -> str:
    path = next(SEEDS.glob(f"{name}_*.txt"), None)
    if path is None:
        pytest.skip("the seeds folder is not beside this checkout")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("cycle", CYCLES)
def test_every_plan_validates_without_errors(cycle: str) -> None:
    result = validate([PLANS / cycle])
    errors = [d for d in result.diagnostics if d.severity.value == "error"]
    assert errors == []
    assert result.exit_code() == 0


def test_2020_2023_goals_and_targets() -> None:
    p = plan("2020-2023")
    assert [g.title for g in p.goals] == [
        "Growth",
        "Inclusiveness",
        "Sustainability",
        "Innovation",
        "Partnership",
    ]
    assert len(p.targets) == 24
    per_goal = [sum(1 for t in p.targets if t.goal == g.id) for g in p.goals]
    assert per_goal == [7, 10, 5, 1, 1]
    assert all(t.deadline == 2023 for t in p.targets)
    by_id = {t.id: t for t in p.targets}
    assert by_id["households-internet-access"].text == (
        "by 2023, 65% of households worldwide with access to the Internet"
    )
    assert by_id["ghg-abatement"].text == (
        "by 2023, net telecommunication/ICT-enabled Greenhouse Gas abatement should have "
        "increased by 30% compared to the 2015 baseline"
    )
    assert by_id["ghg-abatement"].baseline is not None
    assert by_id["ghg-abatement"].baseline.year == 2015
    assert by_id["internet-affordability"].baseline.year == 2017  # type: ignore[union-attr]
    assert p.targets[16].text == (  # Target 2.10
        "by 2023, improve by 40% the proportion of youth/adults with telecommunication/ICT skills"
    )
    assert len(p.risks) == 6
    assert p.risks[5].title == "Insufficient funding"
    assert len(p.objectives) == 18
    assert p.plan.status == "draft"


def test_2020_2023_drafting_data() -> None:
    p = plan("2020-2023")
    t1 = next(o for o in p.objectives if o.title == "Development of standards")
    assert t1.statement is not None
    assert "[non-discriminatory[^" in t1.statement.text
    assert len(p.footnotes) == 6
    seed = seed_text("001")
    assert "Develop [non-discriminatory" in seed
    for target in p.targets:
        assert target.text in seed


def test_2024_2027_and_2028_2031_results_framework() -> None:
    old, new = plan("2024-2027"), plan("2028-2031")
    assert (
        [g.title for g in old.goals]
        == [g.title for g in new.goals]
        == ["Universal Connectivity", "Sustainable Digital Transformation"]
    )
    assert [len([t for t in p.targets if t.goal == g.id]) for p in (old, new) for g in p.goals] == [
        6,
        5,
        6,
        3,
    ]
    assert sum(len(t.indicators) for t in old.targets) == 12
    assert sum(len(t.indicators) for t in new.targets) == 12
    assert len(old.priorities) == len(new.priorities) == 5
    assert len(old.outcomes) == 19
    assert len([o for o in new.outcomes if not o.proposed_by]) == 23
    assert len([o for o in new.outcomes if o.proposed_by == "TSAG"]) == 2
    assert sum(len(o.indicators) for o in old.outcomes) == 60
    assert sum(len(o.indicators) for o in new.outcomes) == 86
    new_targets = {t.id: t.text for t in new.targets}
    assert new_targets["affordable-broadband"] == "Affordable connectivity for all"
    assert new_targets["internet-use"] == "Universal Internet use"
    assert {t.id for t in old.targets} - set(new_targets) == {
        "household-access",
        "digital-gaps",
        "e-government",
    }
    assert all(t.deadline == 2030 for t in old.targets)
    assert all(t.deadline == 2031 for t in new.targets)


def test_2028_2031_drafting_data() -> None:
    new = plan("2028-2031")
    assert new.vision is not None and new.vision.alternatives[0].source == "CWG-SFP Chair"
    numbering = next(p for p in new.priorities if p.id == "numbering")
    assert numbering.alternatives[0].source == "TSAG"
    assert numbering.alternatives[0].title == "Global ICT Interoperability"
    assert new.cover is not None and new.cover.purpose
    assert new.plan.status == "draft"


def test_lineage_of_2024_2027_follows_seed_002() -> None:
    old = plan("2024-2027")
    replaces = {t.id: set(t.replaces) for t in old.targets}
    assert replaces["broadband-coverage"] == {
        "2020-2023/broadband-population-coverage",
        "2020-2023/fast-broadband-subscriptions",
    }
    assert replaces["affordable-broadband"] == {
        "2020-2023/broadband-cost",
        "2020-2023/internet-affordability",
        "2020-2023/affordability-gap",
    }
    assert old.lineage is not None
    assert {m.item for m in old.lineage.moved} == {
        "2020-2023/digital-agenda",
        "2020-2023/broadband-subscriptions",
        "2020-2023/accessibility-environments",
        "2020-2023/cybersecurity-preparedness",
        "2020-2023/e-waste-legislation",
        "2020-2023/emergency-telecom-plans",
    }
    assert {d.item for d in old.lineage.dropped} == {
        "2020-2023/innovation-policies",
        "2020-2023/effective-partnerships",
    }


@pytest.mark.parametrize("cycle", ["2024-2027", "2028-2031"])
def test_appendix_a_reproduces_the_seed(cycle: str) -> None:
    p = plan(cycle)
    table = compute_resources(p)
    assert table is not None
    assert [list(r.amounts) for r in table.rows] == [
        [57023, 57080, 58237, 62703],
        [3343, 3243, 3301, 3291],
        [48068, 47125, 47965, 48402],
        [21029, 20323, 20737, 20675],
        [33697, 33727, 34189, 34933],
    ]
    assert [r.code for r in table.rows] == ["TP1", "TP2", "TP3", "TP4", "TP5"]
    assert [format_amount(v) for v in table.rows[0].columns] == [
        "57 023",
        "57 080",
        "114 103",
        "58 237",
        "62 703",
        "120 940",
        "235 043",
    ]
    assert [format_percent(r.percent) for r in table.rows] == [
        "36,07%",
        "2,02%",
        "29,40%",
        "12,70%",
        "20,95%",
    ]
    assert format_amount(table.subtotal.total) == "659 091"
    assert format_percent(table.subtotal.percent) == "101,14%"
    (reduction,) = table.adjustments
    assert [format_amount(v) for v in reduction.columns] == [
        "-1 000",
        "-1 605",
        "-2 605",
        "-2 105",
        "-2 710",
        "-4 815",
        "-7 420",
    ]
    assert format_percent(reduction.percent) == "-1,14%"
    assert [format_amount(v) for v in table.total.columns] == [
        "162 160",
        "159 893",
        "322 053",
        "162 324",
        "167 294",
        "329 618",
        "651 671",
    ]
    assert format_percent(table.total.percent) == "100,00%"


def test_2012_2015_sectoral_plan() -> None:
    p = plan("2012-2015")
    assert [s.id for s in p.sectors] == ["itu-r", "itu-t", "itu-d", "general-secretariat"]
    per_sector = [sum(1 for o in p.objectives if o.sector == s.id) for s in p.sectors]
    assert per_sector == [5, 4, 6, 6]
    per_matrix = [sum(1 for o in p.outputs if o.sector == s.id) for s in p.sectors]
    assert per_matrix == [13, 13, 33, 21]
    assert all(len(o.objectives) == 1 for o in p.outputs)
    assert [t.term for t in p.glossary][:3] == ["Mission", "Goals", "Objectives"]
    assert len(p.goals) == 4
    seed = seed_text("003")
    for output in p.outputs:
        assert output.text in seed


@pytest.mark.parametrize("cycle", CYCLES)
def test_no_display_numbers_are_stored(cycle: str) -> None:
    """Identity is not numbering: no id looks like a number, no target text starts with one."""
    p = plan(cycle)
    assert not any(t.text.startswith(("Target ", "1.", "2.")) for t in p.targets)
    ids = [t.id for t in p.targets] + [o.id for o in p.outcomes] + [g.id for g in p.goals]
    assert not any(i.replace("-", "").isdigit() for i in ids)


def test_seed_wording_of_2028_2031_targets() -> None:
    seed = seed_text("004")
    for fragment in (
        "Affordable connectivity for all",
        "Digital skills for all",
        "Reduction of ICT environmental impact",
    ):
        assert fragment in seed
    assert Path(PLANS / "2028-2031").is_dir()
