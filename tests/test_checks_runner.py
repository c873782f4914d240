"""`stratplan.checks.runner`: one schema or YAML error does not hide the rest of the plan.

The rules run over what fits the model; the rules that conclude from absence wait (SP013 says
which); nothing is reported twice; and findings after a left-out item keep their real lines.
"""

from __future__ import annotations

from pathlib import Path

from stratplan.api import validate
from stratplan.diagnostics import Diagnostic, Severity
from tests.conftest import MINIMAL_PLAN

TARGETS = """\
targets:
  - id: t1
    goal: g1
    text: A target
    deadline: 2030
    indicators:
      - id: i1
        text: An indicator
        unit: percent
        data_source: ITU
        baseline: {year: 2024}
  - id: t2
    goal: g1
    text: A target whose deadline does not fit the model
    deadline: soon
    indicators:
      - id: i2
        text: An indicator with no unit [not agreed
  - id: t3
    goal: g1
    text: A target after the broken one
    deadline: 2030
    indicators:
      - id: i3
        text: An indicator lacking its SMART fields
"""


def plan_folder(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "2028-2031"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def split_minimal() -> dict[str, str]:
    """MINIMAL_PLAN as a plan.yaml without targets and the TARGETS file beside it."""
    head, _, rest = MINIMAL_PLAN.partition("targets:\n")
    _, _, tail = rest.partition("priorities:\n")
    return {"plan.yaml": head + "priorities:\n" + tail, "targets.yaml": TARGETS}


def found(diagnostics: list[Diagnostic]) -> list[tuple[str, str, int, str]]:
    return [
        (d.code, Path(d.location.file).name if d.location else "", d.location.line
         if d.location else 0, d.message)
        for d in diagnostics
    ]


def test_schema_error_leaves_out_one_item_and_checks_the_rest(tmp_path: Path) -> None:
    folder = plan_folder(tmp_path, split_minimal())
    result = validate([folder])
    codes = [d.code for d in result.diagnostics]
    # The broken target is reported once, by the schema, at its value; nothing else of it
    # (its unbalanced bracket, its indicator's missing fields) is reported.
    schema = [d for d in result.diagnostics if d.code == "SP100"]
    assert [(d.location.line if d.location else 0, d.message) for d in schema] == [
        (15, "targets/t2/deadline: Input should be a valid integer, unable to parse string "
             "as an integer"),
    ]
    assert "SP501" not in codes
    # The target after it is checked, at its own line (its index moved up by one in the
    # plan that was modelled, not in the file).
    smart = [(d.location.line, d.message) for d in result.diagnostics
             if d.code == "SP301" and d.location]
    assert smart == [(24, "indicator 'i3' lacks: unit, data source, baseline")]
    # The rules that conclude from absence wait, and say so once.
    notes = [d for d in result.diagnostics if d.code == "SP013"]
    assert len(notes) == 1 and notes[0].severity is Severity.INFO
    assert "targets" in notes[0].message and "SP203" in notes[0].message
    assert "SP203" not in codes and "SP201" not in codes
    assert result.exit_code() == 1


def test_yaml_error_in_one_file_keeps_the_others_checked(tmp_path: Path) -> None:
    files = split_minimal()
    files["plan.yaml"] = files["plan.yaml"].replace(
        "  - id: o1\n", "  - id: o1\n    comments: [{author: A, text: x, anchor: nowhere}]\n"
    )
    files["targets.yaml"] = files["targets.yaml"].replace(
        "    text: A target\n", "    text: A target: with a colon\n", 1
    )
    files["plan.yaml"] += "vision: A connected world[^typo].\nfootnotes:\n  typ0: A note.\n"
    folder = plan_folder(tmp_path, files)
    result = validate([folder])
    by_code = {d.code: d for d in result.diagnostics}
    assert by_code["SP001"].location is not None
    assert Path(by_code["SP001"].location.file).name == "targets.yaml"
    assert "quotes" in by_code["SP001"].hint
    # plan.yaml loaded: its own problem (a comment anchor that is not in the text) is found.
    assert "SP106" in by_code
    # Targets are missing only because their file did not parse: no rule says so.
    assert not {"SP201", "SP102", "SP203"} & set(by_code)
    assert "could not be read (targets)" in by_code["SP013"].message
    # The footnotes are whole (their file loaded): a wrong footnote reference is found.
    assert by_code["SP104"].hint == "did you mean '[^typ0]'?"


def test_yaml_error_in_the_metadata_file_is_reported_alone(tmp_path: Path) -> None:
    files = split_minimal()
    files["plan.yaml"] = files["plan.yaml"].replace("  status: draft\n", "  status: [draft\n")
    folder = plan_folder(tmp_path, files)
    result = validate([folder])
    # No "required field 'plan' is missing": the plan metadata is in the file that failed.
    # The other file's own schema error is still reported; no rule runs without metadata.
    assert [(d.code, d.message.partition(":")[0]) for d in result.diagnostics] == [
        ("SP001", "YAML syntax error"),
        ("SP100", "targets/t2/deadline"),
    ]


def test_misspelt_collection_does_not_make_goals_targetless(tmp_path: Path) -> None:
    files = split_minimal()
    files["targets.yaml"] = files["targets.yaml"].replace("targets:", "targetz:")
    folder = plan_folder(tmp_path, files)
    result = validate([folder])
    messages = found(result.diagnostics)
    assert ("SP100", "targets.yaml", 1, "top level: unknown key 'targetz'") in messages
    assert next(d for d in result.diagnostics if d.code == "SP100").hint == (
        "did you mean 'targets'?"
    )
    assert "SP201" not in {d.code for d in result.diagnostics}


def test_a_whole_plan_runs_every_rule(tmp_path: Path) -> None:
    folder = plan_folder(tmp_path, {"plan.yaml": MINIMAL_PLAN})
    result = validate([folder])
    assert result.diagnostics == []
    assert folder in result.plans
