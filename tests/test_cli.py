"""The `stratplan` command as users and CI see it: formats, exit codes, schema, rules."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from stratplan.diagnostics import Diagnostic, Location, Severity
from stratplan.report import format_github
from stratplan.source.reader import load_sources
from stratplan.source.scalars import RawBool
from tests.conftest import EXAMPLE, ROOT, run_cli


def plain(value: object) -> object:
    """Loader values as a JSON-Schema tool sees YAML: true/false as booleans."""
    if isinstance(value, RawBool):
        return bool(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


@pytest.fixture
def broken_example(tmp_path: Path) -> Path:
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    chain = folder / "chain.yaml"
    text = chain.read_text().replace(
        "    priority: inclusion\n", "    priority: inclusion\n    goals: [nowhere]\n"
    )
    chain.write_text(text)
    return folder


def test_example_plan_is_clean() -> None:
    proc = run_cli("validate", str(EXAMPLE))
    assert proc.returncode == 0, proc.stdout
    assert "0 errors, 0 warnings, 0 info in 1 plan" in proc.stdout


def test_text_format_groups_by_file_with_positions(broken_example: Path) -> None:
    proc = run_cli("validate", str(broken_example))
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0].endswith("chain.yaml")
    assert "SP102" in lines[1] and "no goal with id 'nowhere'" in lines[1]
    assert lines[1].split()[0] == "66:13"
    assert "1 error, 0 warnings, 0 info in 1 plan" in proc.stdout


def test_json_format(broken_example: Path) -> None:
    proc = run_cli("validate", "--format", "json", str(broken_example))
    payload = json.loads(proc.stdout)
    assert payload["counts"] == {"error": 1, "warning": 0, "info": 0}
    (d,) = payload["diagnostics"]
    assert (d["code"], d["line"], d["column"]) == ("SP102", 66, 13)
    assert d["file"].endswith("chain.yaml")


def test_github_format(broken_example: Path) -> None:
    proc = run_cli("validate", "--format", "github", str(broken_example))
    (line,) = proc.stdout.splitlines()
    assert line.startswith("::error file=")
    assert ",line=66,col=13,title=SP102::no goal with id 'nowhere'" in line


def test_github_escaping() -> None:
    d = Diagnostic("SP100", Severity.WARNING, "50% done\nnext: line", Location("a,b:c.yaml", 3, 4))
    assert format_github([d]) == (
        "::warning file=a%2Cb%3Ac.yaml,line=3,col=4,title=SP100::50%25 done%0Anext: line"
    )


def test_sarif_validates_and_is_located(broken_example: Path) -> None:
    proc = run_cli("validate", "--format", "sarif", "--stage", "final", str(broken_example))
    sarif = json.loads(proc.stdout)
    schema = json.loads((ROOT / "tests" / "sarif-2.1.0-subset.schema.json").read_text())
    jsonschema.validate(sarif, schema)
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert all(r["fullDescription"]["text"] for r in rules)
    # The package declares no repository address ([project.urls]): no made-up one either.
    assert not any("helpUri" in r for r in rules)
    assert "informationUri" not in run["tool"]["driver"]
    by_rule = {r["ruleId"]: r for r in run["results"]}
    sp102 = by_rule["SP102"]
    assert rules[sp102["ruleIndex"]]["id"] == "SP102"
    region = sp102["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 66, "startColumn": 13}
    assert by_rule["SP503"]["level"] == "error"
    assert by_rule["SP504"]["level"] == "warning"


def test_fail_on_warning(tmp_path: Path) -> None:
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    (folder / "extra.yaml").write_text("glossary: []\n# just a comment\n")
    (folder / "empty.yaml").write_text("")
    assert run_cli("validate", str(folder)).returncode == 0
    assert run_cli("validate", "--fail-on", "warning", str(folder)).returncode == 1


@pytest.mark.slow
def test_fail_on_from_the_config(tmp_path: Path) -> None:
    """`fail-on = "warning"` in the config makes a warning fail the run; the option wins."""
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    (folder / "empty.yaml").write_text("")  # SP008, a warning
    assert run_cli("validate", str(folder)).returncode == 0
    (tmp_path / "stratplan.toml").write_text('fail-on = "warning"\n')
    assert run_cli("validate", str(folder)).returncode == 1
    assert run_cli("validate", "--fail-on", "error", str(folder)).returncode == 0
    (tmp_path / "stratplan.toml").write_text('fail-on = "warnings"\n')
    proc = run_cli("validate", str(folder))
    assert proc.returncode == 2
    assert "`fail-on` must be one of error, warning, info, not 'warnings'" in proc.stdout


def test_a_misspelt_config_key_is_refused(tmp_path: Path) -> None:
    """`fail_on` for `fail-on` would otherwise be ignored in silence, and CI pass on warnings."""
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    (folder / "empty.yaml").write_text("")  # SP008, a warning
    (tmp_path / "stratplan.toml").write_text('fail_on = "warning"\n')
    proc = run_cli("validate", str(folder))
    assert proc.returncode == 2
    assert "unknown key `fail_on`" in proc.stdout and "did you mean `fail-on`?" in proc.stdout


def test_a_file_stands_for_its_folder(broken_example: Path) -> None:
    proc = run_cli("validate", "--format", "json", str(broken_example / "plan.yaml"))
    # The broken reference is in chain.yaml; passing plan.yaml still validates the whole plan.
    assert json.loads(proc.stdout)["diagnostics"][0]["code"] == "SP102"


@pytest.mark.slow
def test_config_turns_a_rule_off_and_down(tmp_path: Path, broken_example: Path) -> None:
    (broken_example / "stratplan.toml").write_text('[rules]\nSP102 = "warning"\n')
    proc = run_cli("validate", "--format", "json", str(broken_example))
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["diagnostics"][0]["severity"] == "warning"
    (broken_example / "stratplan.toml").write_text('[rules]\nSP102 = "off"\n')
    proc = run_cli("validate", "--format", "json", str(broken_example))
    assert json.loads(proc.stdout)["diagnostics"] == []


def test_pyproject_tool_table_is_found(tmp_path: Path, broken_example: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.stratplan]\nstage = "final"\n')
    proc = run_cli("validate", "--format", "json", str(broken_example))
    codes = {d["code"] for d in json.loads(proc.stdout)["diagnostics"]}
    assert {"SP502", "SP503"} <= codes


def test_bad_severity_in_config_is_a_usage_error(broken_example: Path) -> None:
    (broken_example / "stratplan.toml").write_text('[rules]\nSP102 = "loud"\n')
    assert run_cli("validate", str(broken_example)).returncode == 2


def test_schema_is_valid_and_plans_satisfy_it() -> None:
    proc = run_cli("schema")
    schema = json.loads(proc.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    folders = [EXAMPLE, *sorted(p for p in (ROOT / "plans").glob("*") if p.is_dir())]
    for folder in folders:
        for path in sorted(folder.glob("*.yaml")):
            data = plain(load_sources(path).data)
            errors = list(validator.iter_errors(data))
            assert errors == [], (path, errors[0].message if errors else "")


def test_schema_rejects_what_the_model_rejects() -> None:
    schema = json.loads(run_cli("schema").stdout)
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors({"goals": [{"id": "Bad Id", "title": "x"}]}))
    assert list(validator.iter_errors({"vision": {"txt": "typo"}}))


@pytest.mark.slow
def test_explain_and_rules() -> None:
    proc = run_cli("explain", "sp301")
    assert proc.returncode == 0
    assert proc.stdout.startswith("SP301 smart-incomplete (warning)")
    assert "ignore[SP301]" in proc.stdout
    assert run_cli("explain", "SP999").returncode == 2
    listing = run_cli("rules").stdout.splitlines()
    assert any(line.startswith("SP101  error") for line in listing)


def test_usage_error_exits_2() -> None:
    proc = run_cli("validate", "--format", "xml", str(EXAMPLE))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_validate_imports_neither_docx_nor_jinja() -> None:
    code = (
        "import sys\n"
        "from stratplan.cli import app\n"
        "try:\n"
        f"    app(['validate', {str(EXAMPLE)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('docx', 'jinja2', 'lxml')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_internal_error_is_one_line_and_debug_shows_traceback(tmp_path: Path) -> None:
    # Make a rule crash: a plugin-free way is to monkeypatch in a child interpreter.
    code = (
        "import stratplan.checks.chain as c\n"
        "def boom(self, ctx):\n"
        "    raise RuntimeError('kaboom')\n"
        "c.GoalWithoutTargetsRule.check = boom\n"
        "import sys\n"
        "from stratplan.cli import main\n"
        f"sys.argv = ['stratplan'] + sys.argv[1:] + ['validate', {str(EXAMPLE)!r}]\n"
        "main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("stratplan: internal error: RuntimeError: kaboom")
    proc = subprocess.run([sys.executable, "-c", code, "--debug"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" in proc.stderr


@pytest.mark.slow
def test_outputs_go_to_build_or_to_a_named_folder_made_on_demand(tmp_path: Path) -> None:
    """On a fresh checkout build/ does not exist: the default output folder is made. A folder
    named with a trailing / (or for several plans) is made too; a file in a missing folder is
    still refused."""
    plans = ROOT / "plans"
    work = tmp_path / "checkout"
    work.mkdir()

    def ok(*args: str) -> list[str]:
        result = run_cli(*args, cwd=work)
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    ok("render", str(plans / "2028-2031"))
    assert (work / "build" / "2028-2031.docx").is_file()
    ok("render", str(plans / "2012-2015"), str(plans / "2020-2023"), "-o", "out/all")
    assert sorted(p.name for p in (work / "out" / "all").iterdir()) == [
        "2012-2015.docx",
        "2020-2023.docx",
    ]
    ok("render", str(plans / "2024-2027"), "-f", "md", "-o", "out/md/")
    assert (work / "out" / "md" / "2024-2027.md").is_file()
    ok("diff", str(plans / "2024-2027"), str(plans / "2028-2031"), "-o", "out/redlines/")
    assert (work / "out" / "redlines" / "redline-2024-2027_2028-2031.docx").is_file()
    ok("diff", str(plans / "2024-2027"), str(plans / "2028-2031"), "-f", "json", "-o", "out/")
    changes = json.loads((work / "out" / "changes-2024-2027_2028-2031.json").read_text())
    assert changes["counts"]["MOD"] > 0
    ok("lineage", str(plans / "2020-2023"), str(plans / "2024-2027"), "-f", "docx")
    assert (work / "build" / "lineage-2020-2023_2024-2027.docx").is_file()

    refused = run_cli("render", str(plans / "2028-2031"), "-o", "missing/x.docx", cwd=work)
    assert refused.returncode == 2
    assert "SP010" in refused.stderr and "missing" in refused.stderr
    assert not (work / "missing").exists()

    ok("export", str(plans / "2028-2031"), "-o", "out/tables/")
    assert json.loads((work / "out" / "tables" / "2028-2031.json").read_text())["goals"]
    plan_copy = work / "plan-copy"
    shutil.copytree(plans / "2028-2031", plan_copy)
    before = (plan_copy / "plan.yaml").read_bytes()
    overwrite = run_cli("export", str(plan_copy), "-o", str(plan_copy / "plan.yaml"), cwd=work)
    assert overwrite.returncode == 2 and "it is an input file" in overwrite.stderr
    assert (plan_copy / "plan.yaml").read_bytes() == before

    (work / "taken").write_text("a file, not a folder")
    clash = run_cli("render", str(plans / "2028-2031"), "-o", "taken/", cwd=work)
    assert clash.returncode == 2 and "SP010" in clash.stderr
    assert "it is a file, not a folder" in clash.stderr
