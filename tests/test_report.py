"""`stratplan.report` and `stratplan.checks.baseline`: the summary by rule, and the baseline
of accepted findings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from stratplan import report
from stratplan.api import validate, write_baseline
from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError
from tests.conftest import PLANS, run_cli


def test_summary_by_rule_orders_by_severity_then_count() -> None:
    ds = [Diagnostic("SP301", Severity.WARNING, "m", Location("a.yaml", n, 1)) for n in (1, 2, 3)]
    ds += [Diagnostic("SP101", Severity.ERROR, "e", Location("a.yaml", 9, 1))]
    ds += [Diagnostic("SP603", Severity.WARNING, "g", Location("a.yaml", 5, 1))]
    lines = report.by_rule(ds)
    assert lines == [
        "Findings by rule:",
        "  1  SP101  error    duplicate-id: id used twice",
        "  3  SP301  warning  smart-incomplete: target or indicator not SMART-complete",
        "  1  SP603  warning  lineage-gap: previous cycle's target unaccounted for",
    ]
    text = report.format_text(ds, 1)
    assert text.endswith("\n".join(lines) + "\n\n1 error, 4 warnings, 0 info in 1 plan")


@pytest.mark.slow
def test_real_plans_end_with_a_summary_that_fits_one_screen() -> None:
    proc = run_cli("validate", *sorted(str(p) for p in PLANS.iterdir()))
    tail = proc.stdout.rstrip("\n").split("\n")
    start = tail.index("Findings by rule:")
    summary = tail[start:]
    assert len(summary) <= 24  # one terminal screen
    assert summary[-1].endswith("in 4 plans")
    counts = {line.split()[1]: int(line.split()[0]) for line in summary[1:-2]}
    assert counts["SP301"] > 100
    # The few findings of other rules are not lost among them: each has its own line.
    assert {"SP603", "SP405", "SP406", "SP605"} <= set(counts)
    stats = run_cli("validate", "--statistics", *sorted(str(p) for p in PLANS.iterdir()))
    assert stats.stdout.rstrip("\n").split("\n") == summary[:-2] + summary[-1:]


def test_json_counts_by_rule() -> None:
    ds = [Diagnostic("SP301", Severity.WARNING, "m", Location("a.yaml", 1, 1))] * 2
    payload = json.loads(report.format_json(ds, 1, baselined=3))
    assert payload["by_rule"] == {"SP301": 2} and payload["baselined"] == 3


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    shutil.copytree(PLANS / "2024-2027", tmp_path / "plans" / "2024-2027")
    shutil.copytree(PLANS / "2028-2031", tmp_path / "plans" / "2028-2031")
    return tmp_path / "plans"


def test_baseline_accepts_what_it_holds_across_line_moves(
    plans: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(plans.parent)
    baseline = plans.parent / "stratplan-baseline.json"
    first = write_baseline([plans / "2028-2031"], baseline)
    assert first.written == [baseline]
    assert len(first.diagnostics) > 50
    again = validate([plans / "2028-2031"], baseline=baseline)
    assert again.diagnostics == [] and again.baselined == len(first.diagnostics)
    # Lines move (a comment block on top, a target moved to the end): still the same findings.
    targets = plans / "2028-2031" / "targets.yaml"
    text = targets.read_text(encoding="utf-8")
    head, sep, rest = text.partition("  - id: broadband-coverage")
    first_target, sep2, others = rest.partition("  # decision: \"Broadband services")
    targets.write_text("# moved\n#\n#\n" + head + sep2 + others + sep + first_target,
                       encoding="utf-8")
    moved = validate([plans / "2028-2031"], baseline=baseline)
    assert moved.diagnostics == [] and moved.baselined == len(first.diagnostics)
    # A new finding is reported, alone.
    text = targets.read_text(encoding="utf-8").replace(
        "text: Universal broadband coverage", "text: Universal [broadband coverage"
    )
    targets.write_text(text, encoding="utf-8")
    new = validate([plans / "2028-2031"], baseline=baseline)
    assert [d.code for d in new.diagnostics] == ["SP501"]
    # From another working directory, the baseline's files still match (they are relative
    # to the baseline file, not to where the command runs).
    monkeypatch.chdir(plans)
    elsewhere = validate(["2028-2031"], baseline=baseline)
    assert [d.code for d in elsewhere.diagnostics] == ["SP501"]


def test_baseline_counts_repeated_findings(plans: Path) -> None:
    baseline = plans.parent / "b.json"
    write_baseline([plans / "2028-2031"], baseline)
    payload = json.loads(baseline.read_text(encoding="utf-8"))
    gaps = [f for f in payload["findings"] if f["code"] == "SP603"]
    # Three old targets unaccounted for: three fingerprints (the finding names its subject).
    assert len(gaps) == 3 and all(f["count"] == 1 for f in gaps)
    assert all(set(f) == {"code", "file", "fingerprint", "count", "message"}
               for f in payload["findings"])
    # Fewer accepted than found: the ones over the count are new.
    smart = next(f for f in payload["findings"] if f["code"] == "SP301")
    payload["findings"].remove(smart)
    baseline.write_text(json.dumps(payload), encoding="utf-8")
    result = validate([plans / "2028-2031"], baseline=baseline)
    assert [d.message for d in result.diagnostics] == [smart["message"]]


def test_bad_baseline_is_an_io_error(plans: Path, tmp_path: Path) -> None:
    with pytest.raises(StratplanError) as exc:
        validate([plans / "2028-2031"], baseline=tmp_path / "missing.json")
    assert exc.value.diagnostics[0].io
    bad = tmp_path / "bad.json"
    bad.write_text("{\"findings\": []}", encoding="utf-8")
    proc = run_cli("validate", str(plans / "2028-2031"), "--baseline", str(bad))
    assert proc.returncode == 2 and "not a stratplan baseline" in proc.stderr


@pytest.mark.slow
def test_write_baseline_cli(plans: Path) -> None:
    baseline = plans.parent / "base.json"
    proc = run_cli("validate", str(plans / "2028-2031"), "--baseline", str(baseline),
                   "--write-baseline")
    assert proc.returncode == 0, proc.stderr
    assert "findings accepted" in proc.stdout
    proc = run_cli("validate", str(plans / "2028-2031"), "--baseline", str(baseline),
                   "--fail-on", "warning")
    assert proc.returncode == 0
    assert proc.stdout.strip().endswith("accepted by the baseline, not shown")
    proc = run_cli("validate", str(plans / "2028-2031"), "--write-baseline")
    assert proc.returncode == 2
    # Never written over a plan file.
    target = plans / "2028-2031" / "plan.yaml"
    proc = run_cli("validate", str(plans / "2028-2031"), "--baseline", str(target),
                   "--write-baseline")
    assert proc.returncode == 2 and "input" in proc.stderr


def test_sarif_names_the_repository_only_when_declared(monkeypatch: pytest.MonkeyPatch) -> None:
    d = [Diagnostic("SP301", Severity.WARNING, "m", Location("a.yaml", 1, 1))]
    driver = json.loads(report.format_sarif(d))["runs"][0]["tool"]["driver"]
    assert "informationUri" not in driver and "helpUri" not in driver["rules"][0]
    monkeypatch.setattr(report, "project_url", lambda: "https://git.example.org/itu/stratplan")
    driver = json.loads(report.format_sarif(d))["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == "https://git.example.org/itu/stratplan"
    sp301 = next(rule for rule in driver["rules"] if rule["id"] == "SP301")
    # The rule's own section of the generated rules page.
    assert sp301["helpUri"] == "https://git.example.org/itu/stratplan/blob/main/docs/rules.md#sp301"


def test_version() -> None:
    from stratplan import __version__

    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"stratplan {__version__}"


UNSAFE = "\x1b[2J\x9b31m\u202e\x07"
RAW = {"\x1b", "\x9b", "\u202e", "\x07"}  # the characters of UNSAFE a terminal acts on


def test_control_characters_are_escaped_in_every_report() -> None:
    """Messages quote text from outside (a file name, a Word file's text): a C1 character,
    an escape sequence or a bidi override was printed raw, and some terminals and CI log
    viewers execute or reorder it."""
    from stratplan.report import printable, render_report

    d = Diagnostic("SP806", Severity.ERROR, f"quoted {UNSAFE} text\tand tab",
                   Location(f"review{UNSAFE}.docx", 3, 1), hint=f"hint {UNSAFE}")
    for fmt in ("text", "json", "github", "sarif"):
        out = render_report(fmt, [d], 1)
        assert not set(out) & RAW, (fmt, out)
    text = render_report("text", [d], 1)
    assert "quoted \\x1b[2J\\x9b31m\\u202e\\x07 text\tand tab" in text
    assert json.loads(render_report("json", [d], 1))["diagnostics"][0]["message"] == d.message
    assert printable("line\nnext\ttab") == "line\nnext\ttab"


def test_the_cli_escapes_what_it_quotes(tmp_path: Path) -> None:
    plan = tmp_path / f"plan{UNSAFE}"
    plan.mkdir()
    (plan / "plan.yaml").write_text("plan: [unclosed\n", encoding="utf-8")
    proc = run_cli("validate", str(plan))
    assert proc.returncode == 1
    assert "SP001" in proc.stdout and "\\x1b[2J" in proc.stdout
    assert not set(proc.stdout + proc.stderr) & RAW
    out = run_cli("render", str(plan), "-o", str(tmp_path / "x.docx"))
    assert out.returncode != 0 and not set(out.stdout + out.stderr) & RAW
