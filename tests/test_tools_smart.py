"""`stratplan.tools.smart`: the SMART scorecard of a plan, and of two cycles side by side."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from stratplan.api import load_valid_plan, validate
from stratplan.tools.smart import ELEMENTS, Row, Scorecard, build_scorecard, compare
from tests.conftest import PLANS, run_cli

NAMES = [name for _, name in ELEMENTS]


def card(cycle: str) -> Scorecard:
    return build_scorecard(load_valid_plan(PLANS / cycle)[1])


def row(sc: Scorecard, kind: str, id_: str) -> Row:
    return next(r for r in sc.rows if r.kind == kind and r.id == id_)


def states(r: Row) -> dict[str, bool | None]:
    return dict(zip(NAMES, r.states, strict=True))


def test_target_measured_through_indicators_states_text_and_deadline() -> None:
    target = row(card("2028-2031"), "target", "broadband-coverage")
    assert target.label == "Target 1.1"
    assert {k for k, v in states(target).items() if v is not None} == {
        "statement", "indicators", "deadline"
    }
    assert (target.stated, target.expected) == (3, 3)


def test_indicator_inherits_the_deadline_and_counts_sdg_where_relevant() -> None:
    sc = card("2028-2031")
    sdg = states(row(sc, "indicator", "population-broadband-coverage"))
    # "SDG indicator 9.c.1 – ITU is custodian agency": custodian and code expected, and given.
    assert sdg == {
        "statement": True, "indicators": None, "unit": False, "data source": False,
        "baseline value": False, "baseline year": False, "target value": False,
        "deadline": True, "custodian": True, "SDG code": True,
    }
    plain = states(row(sc, "indicator", "fixed-broadband-basket"))
    assert plain["custodian"] is None and plain["SDG code"] is None
    # Outcome indicators are reported yearly: no deadline expected.
    outcome = states(row(sc, "outcome indicator", "countries-coordinated-assignments"))
    assert outcome["deadline"] is None


def test_targets_without_indicators_carry_their_own_measure() -> None:
    sc = card("2020-2023")
    affordability = states(row(sc, "target", "internet-affordability"))
    # "by 2023, Internet access should be 25% more affordable (baseline year 2017)"
    assert affordability["indicators"] is None
    assert affordability["target value"] and affordability["baseline year"]
    assert affordability["deadline"] and not affordability["baseline value"]


def test_totals_per_group_and_plan() -> None:
    sc = card("2028-2031")
    assert [g.kind for g in sc.groups][:2] == ["goal", "goal"]
    assert sc.stated == sum(g.stated for g in sc.groups) == sum(r.stated for r in sc.rows)
    assert sc.expected == sum(r.expected for r in sc.rows)
    plan = load_valid_plan(PLANS / "2028-2031")[1]
    targets = len(plan.targets) + sum(len(t.indicators) for t in plan.targets)
    outcomes = sum(len(o.indicators) for o in plan.outcomes)
    assert len(sc.rows) == targets + outcomes


def test_scorecard_agrees_with_rule_sp301() -> None:
    """What SP301 says an indicator lacks is missing on its scorecard row."""
    sc = card("2028-2031")
    result = validate([PLANS / "2028-2031"])
    words = {"unit": ["unit"], "data source": ["data source"], "deadline": ["deadline"],
             "baseline": ["baseline value", "baseline year"]}
    checked = 0
    for d in result.diagnostics:
        if d.code != "SP301" or not d.message.startswith("indicator"):
            continue
        ident = d.message.split("'")[1]
        r = next(x for x in sc.rows if x.id == ident and x.kind != "target")
        lacks = d.message.partition("lacks: ")[2].split(", ")
        for word in lacks:
            assert all(states(r)[e] is False for e in words[word]), (ident, word)
        checked += 1
    assert checked > 50


def test_compare_two_cycles_by_id() -> None:
    items = {(c.kind, c.id): c for c in compare(card("2024-2027"), card("2028-2031"))}
    assert items[("target", "broadband-coverage")].old == (3, 3)
    assert items[("target", "cybersecurity-preparedness")].old is None  # new in 2028-2031
    assert items[("target", "household-access")].new is None  # not carried


@pytest.mark.slow
def test_cli_text_md_csv(tmp_path: Path) -> None:
    text = run_cli("smart", str(PLANS / "2028-2031"))
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0] == "SMART scorecard: ITU strategic plan for 2028-2031"
    assert any(line.startswith("Goal 1 total") and line.endswith("(49%)") for line in lines)
    assert lines[-1].startswith("Plan total") and lines[-1].endswith("151/637 (24%)")
    md = run_cli("smart", str(PLANS / "2028-2031"), "-f", "md").stdout
    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    assert [t.type for t in tokens].count("table_open") == 1
    rows = list(csv.DictReader(io.StringIO(
        run_cli("smart", str(PLANS / "2028-2031"), "-f", "csv").stdout)))
    assert len(rows) == len(card("2028-2031").rows)
    assert rows[1]["id"] == "population-broadband-coverage" and rows[1]["custodian"] == "yes"
    both = run_cli("smart", str(PLANS / "2024-2027"), str(PLANS / "2028-2031"))
    assert "not carried" in both.stdout and both.stdout.splitlines()[-1].startswith("Plan total")
    none = run_cli("smart", str(PLANS / "2012-2015"))
    assert "nothing to score" in none.stdout


@pytest.mark.parametrize("fmt", ["docx", "html"])
@pytest.mark.slow
def test_cli_documents(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"card.{fmt}"
    proc = run_cli("smart", str(PLANS / "2028-2031"), "-f", fmt, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    if fmt == "docx":
        with zipfile.ZipFile(out) as z:
            body = z.read("word/document.xml").decode()
        assert "SMART scorecard: ITU strategic plan for 2028-2031" in body
        assert body.count("✗") > 100
    else:
        html = out.read_text(encoding="utf-8")
        assert "<table" in html and "Plan total" in html
    # The same input gives the same file.
    again = tmp_path / f"again.{fmt}"
    run_cli("smart", str(PLANS / "2028-2031"), "-f", fmt, "-o", str(again))
    assert again.read_bytes() == out.read_bytes()


def test_cli_refuses_three_plans() -> None:
    proc = run_cli("smart", str(PLANS / "2020-2023"), str(PLANS / "2024-2027"),
                   str(PLANS / "2028-2031"))
    assert proc.returncode == 2


def test_csv_cells_never_run_as_formulas(tmp_path: Path) -> None:
    """`smart -f csv` wrote text cells raw, without the guard `export` and `lineage` have:
    a target whose text starts with = ran as a formula in a spreadsheet."""
    import shutil

    from tests.conftest import EXAMPLE

    plan = tmp_path / "example"
    shutil.copytree(EXAMPLE, plan)
    chain = plan / "chain.yaml"
    formula = '=HYPERLINK("http://example.org", "Universal broadband coverage")'
    chain.write_text(chain.read_text(encoding="utf-8").replace(
        "text: Universal broadband coverage", f"text: '{formula}'"), encoding="utf-8")
    proc = run_cli("smart", str(plan), "-f", "csv")
    assert proc.returncode == 0, proc.stderr
    texts = [r["text"] for r in csv.DictReader(io.StringIO(proc.stdout))]
    assert "'" + formula in texts and formula not in texts
    compared = run_cli("smart", str(PLANS / "2024-2027"), str(plan), "-f", "csv")
    assert compared.returncode == 0, compared.stderr
