"""Contributions (`stratplan.changes`): addresses of every kind, typed values, comments kept,
located diagnostics, overlaps, and `apply` (to a new folder, in place, some changes only)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from stratplan.api import apply, load_valid_plan, validate
from stratplan.diagnostics import StratplanError
from stratplan.model.plan import Para, Plan
from tests.conftest import PLANS, ROOT, run_cli

SEED_000 = ROOT / "contributions" / "2020-2023" / "member-state-goals-and-targets.yaml"
HEAD = "contribution:\n  base: {base}\n  contributor: {who}\n  title: T\n"


def workspace(tmp_path: Path, *cycles: str) -> Path:
    """A repository with copies of the named plans and an empty contributions folder."""
    for cycle in cycles:
        shutil.copytree(PLANS / cycle, tmp_path / "plans" / cycle)
    for cycle in cycles:
        (tmp_path / "contributions" / cycle).mkdir(parents=True)
    return tmp_path


def contribution(root: Path, base: str, body: str, name: str = "c.yaml", who: str = "X") -> Path:
    path = root / "contributions" / base / name
    path.write_text(HEAD.format(base=base, who=who) + body, encoding="utf-8")
    return path


def amended(root: Path, path: Path) -> Plan:
    out = root / "out"
    shutil.rmtree(out, ignore_errors=True)
    apply([path], out)
    return load_valid_plan(out)[1]


def target(plan: Plan, target_id: str) -> Any:
    return next(t for t in plan.targets if t.id == target_id)


# --- every kind of address, with modify, add and suppress -----------------------------------

Check = Callable[[Plan], object]

CASES: list[tuple[str, str, str, Check]] = [
    # (id, base, changes, what the amended plan must show)
    ("collection-modify-typed", "2028-2031",
     "  - modify: targets/broadband-coverage\n    field: deadline\n    value: 2030\n",
     lambda p: target(p, "broadband-coverage").deadline == 2030),
    ("collection-add-after-with-typed-values", "2028-2031",
     "  - add: targets\n    after: broadband-coverage\n    item:\n      id: meaningful\n"
     "      goal: universal-connectivity\n      text: Meaningful connectivity\n"
     "      deadline: 2031\n      baseline: {year: 2030, value: 1.10}\n"
     "      indicators: [{id: mc-index, text: An index}]\n",
     lambda p: [t.id for t in p.targets][:2] == ["broadband-coverage", "meaningful"]
     and target(p, "meaningful").baseline.value == "1.10"
     and target(p, "meaningful").baseline.year == 2030),
    ("collection-suppress", "2028-2031", "  - suppress: offerings/convening-platforms\n",
     lambda p: "convening-platforms" not in {o.id for o in p.offerings}),
    ("nested-modify", "2028-2031",
     "  - modify: targets/broadband-coverage/indicators/population-broadband-coverage\n"
     "    field: custodian\n    value: ITU and UNESCO\n",
     lambda p: target(p, "broadband-coverage").indicators[0].custodian == "ITU and UNESCO"),
    ("nested-by-id-anywhere", "2028-2031",
     "  - modify: indicators/countries-coordinated-assignments\n    field: text\n"
     "    value: Countries with assignments\n",
     lambda p: p.outcomes[0].indicators[0].text == "Countries with assignments"),
    ("nested-add", "2028-2031",
     "  - add: outcomes/spectrum-orbit-use/indicators\n    item: {id: new-one, text: New}\n",
     lambda p: p.outcomes[0].indicators[-1].id == "new-one"),
    ("nested-suppress", "2028-2031",
     "  - suppress: indicators/countries-coordinated-assignments-recent\n",
     lambda p: "countries-coordinated-assignments-recent"
     not in {i.id for i in p.outcomes[0].indicators}),
    ("nested-2020-objective-output", "2020-2023",
     "  - modify: objectives/spectrum-orbit-regulation/outputs/wrc-final-acts\n"
     "    field: text\n    value: Final acts of WRCs\n",
     lambda p: p.objectives[0].outputs[0].text == "Final acts of WRCs"),
    ("nested-section", "2028-2031",
     "  - modify: sections/overall-framework\n    field: title\n    value: The framework\n",
     lambda p: p.sections[1].sections[0].title is not None
     and p.sections[1].sections[0].title.text == "The framework"),
    ("prose-paragraph-modify", "2028-2031",
     "  - modify: sections/overview/content/5\n    value: The Sectors work together.\n",
     lambda p: _para(p.sections[0].content[4]) == "The Sectors work together."),
    ("prose-paragraph-add", "2028-2031",
     "  - add: sections/overview/content\n    after: 2\n    item: A new paragraph.\n",
     lambda p: _para(p.sections[0].content[2]) == "A new paragraph."
     and len(p.sections[0].content) == 8),
    ("adds-after-one-place-in-the-order-written", "2028-2031",
     "  - add: sections/overview/content\n    after: 2\n    item: First.\n"
     "  - add: sections/overview/content\n    after: 2\n    item: Second.\n"
     "  - add: sections/overview/content\n    after: 0\n    item: Opening.\n",
     lambda p: [_para(b) for b in p.sections[0].content][:5][0::3] == ["Opening.", "First."]
     and _para(p.sections[0].content[4]) == "Second."),
    ("add-after-a-suppressed-position-keeps-its-place", "2028-2031",
     "  - suppress: sections/overview/content/6\n  - suppress: sections/overview/content/7\n"
     "  - add: sections/overview/content\n    after: 0\n    item: Opening.\n"
     "  - add: sections/overview/content\n    after: 7\n    item: Closing.\n"
     "  - add: sections/overview/content\n    after: 6\n    item: Before the closing.\n",
     lambda p: [_para(b) for b in p.sections[0].content][0::7] == ["Opening.", "Closing."]
     and _para(p.sections[0].content[6]) == "Before the closing."
     and len(p.sections[0].content) == 8),
    ("add-after-a-suppressed-item-takes-its-place", "2028-2031",
     "  - suppress: targets/affordable-broadband\n"
     "  - add: targets\n    after: affordable-broadband\n    item:\n      id: affordable\n"
     "      goal: universal-connectivity\n      text: Affordable connectivity\n",
     lambda p: [t.id for t in p.targets][:3] == ["broadband-coverage", "affordable",
                                                 "device-access"]),
    ("prose-paragraph-suppress", "2028-2031", "  - suppress: sections/overview/content/7\n",
     lambda p: len(p.sections[0].content) == 6),
    ("prose-field-of-text-paragraph", "2028-2031",
     "  - modify: sections/overview/content/1\n    field: numbered\n    value: false\n",
     lambda p: isinstance(p.sections[0].content[0], Para)
     and p.sections[0].content[0].numbered is False),
    ("singleton-vision", "2028-2031",
     "  - modify: vision\n    field: text\n    value: A connected world.\n",
     lambda p: p.vision is not None and p.vision.text == "A connected world."),
    ("singleton-mission-whole", "2028-2031",
     "  - modify: mission\n    value: To connect the world.\n",
     lambda p: p.mission is not None and p.mission.text == "To connect the world."),
    ("singleton-value-by-position", "2020-2023",
     "  - modify: values/1\n    field: text\n    value: Openness to all.\n",
     lambda p: p.values[0].text == "Openness to all."),
    ("singleton-cover-field", "2028-2031",
     "  - modify: cover\n    field: meeting\n    value: Council Working Group, fifth meeting\n",
     lambda p: p.cover is not None and p.cover.meeting == "Council Working Group, fifth meeting"),
    ("resources-amounts", "2028-2031",
     "  - modify: resources/rows/spectrum\n    field: amounts\n"
     "    value: [57023, 57080, 58237, 63000]\n",
     lambda p: p.resources is not None and p.resources.rows[0].amounts[-1] == 63000),
    ("resources-suppress-adjustment", "2028-2031",
     "  - suppress: resources/adjustments/1\n",
     lambda p: p.resources is not None and p.resources.adjustments == []),
    ("footnote-by-key", "2028-2031",
     "  - modify: footnotes/oneitu\n    value: A shorter note.\n",
     lambda p: p.footnotes["oneitu"] == "A shorter note."),
]


def _para(block: object) -> str:
    return block.text if isinstance(block, Para) else str(block)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_every_kind_of_address(tmp_path: Path, case: tuple[str, str, str, Check]) -> None:
    _, base, body, check = case
    root = workspace(tmp_path, base)
    path = contribution(root, base, "changes:\n" + body)
    result = validate([path])
    assert [d for d in result.diagnostics if d.severity.value == "error"] == []
    assert check(amended(root, path))


def test_apply_keeps_comments_and_the_written_form_of_values(tmp_path: Path) -> None:
    root = workspace(tmp_path, "2028-2031")
    path = contribution(root, "2028-2031", (
        "changes:\n"
        "  - modify: targets/broadband-coverage\n    field: deadline\n    value: 2030\n"
        "  - add: targets/broadband-coverage/indicators\n    after: population-broadband-coverage\n"
        "    item: {id: speed, text: Speed, target_value: 1.10, baseline: {year: 2030}}\n"
        "  - suppress: targets/affordable-broadband\n"
    ))
    out = root / "out"
    apply([path], out)
    before = (PLANS / "2028-2031" / "targets.yaml").read_text(encoding="utf-8")
    after = (out / "targets.yaml").read_text(encoding="utf-8")
    # The comment that explained the old deadline does not stay beside the new one.
    assert "    deadline: 2030\n" in after
    assert "target_value: 1.10" in after and "year: 2030" in after
    # The comments of the items around the changes are all still there; those inside the
    # suppressed target, and the lines just before it (they described it), went with it.
    lines = before.splitlines()
    changed = next(n for n, line in enumerate(lines) if "deadline: 2031" in line)
    item = next(n for n, line in enumerate(lines) if "- id: affordable-broadband" in line)
    start = item
    while lines[start - 1].lstrip().startswith("#"):
        start -= 1
    end = next(n for n in range(item + 1, len(lines)) if lines[n].startswith("  - id:"))
    while lines[end - 1].lstrip().startswith("#"):
        end -= 1  # the comment lines before the next target lead that target
    for n, line in enumerate(lines):
        comment = line.partition("#")[2]
        if comment and not start <= n < end and n != changed:
            assert comment in after, line
    assert "Target 1.2 (lines 75, 230)" not in after
    # Files the contribution does not touch are copied byte for byte.
    assert (out / "outcomes.yaml").read_bytes() == (PLANS / "2028-2031" / "outcomes.yaml"
                                                  ).read_bytes()


def test_a_value_is_written_as_its_fields_type(tmp_path: Path) -> None:
    """`"2030"` for a year is the year 2030 (in an added item too), written unquoted; a text
    field keeps text; what the type cannot read is an error at the change."""
    root = workspace(tmp_path, "2028-2031")
    path = contribution(root, "2028-2031", (
        "changes:\n"
        "  - modify: targets/broadband-coverage\n    field: deadline\n    value: \"2030\"\n"
        "  - add: targets/broadband-coverage/indicators\n"
        "    item: {id: speed, text: \"2030\", baseline: {year: \"2029\", value: \"12\"}}\n"
        "  - modify: resources/rows/spectrum\n    field: amounts\n"
        "    value: [\"57023\", 57080, 58237, 63000]\n"
    ))
    out = root / "out"
    apply([path], out)
    text = (out / "targets.yaml").read_text(encoding="utf-8")
    assert "    deadline: 2030\n" in text and "year: 2029\n" in text
    assert "text: '2030'" in text and "value: '12'" in text
    assert "- 57023\n" in (out / "resources.yaml").read_text(encoding="utf-8")
    plan = load_valid_plan(out)[1]
    assert target(plan, "broadband-coverage").deadline == 2030
    bad = contribution(root, "2028-2031", (
        "changes:\n  - modify: targets/broadband-coverage\n    field: deadline\n"
        "    value: soon\n    reasons: R.\n"), name="bad.yaml")
    found = validate([bad]).diagnostics
    assert [(d.code, d.location.line if d.location else 0) for d in found] == [("SP804", 6)]
    assert "deadline" in found[0].message


# --- diagnostics ---------------------------------------------------------------------------


def validate_json(path: Path) -> tuple[int, list[dict[str, Any]]]:
    """The exit status and the findings, but for changes without reasons (SP809)."""
    proc = run_cli("validate", "--format", "json", str(path))
    found = json.loads(proc.stdout)["diagnostics"]
    return proc.returncode, [d for d in found if d["code"] != "SP809"]


def test_every_problem_of_a_contribution_in_one_run(tmp_path: Path) -> None:
    """A misspelt id gets a did-you-mean; a change that does not fit the model, a change that
    names nothing and a change that breaks the plan are all reported at their own lines."""
    root = workspace(tmp_path, "2028-2031")
    path = contribution(root, "2028-2031", (
        "changes:\n"
        "  - modify: targets/broadband-coverag\n"        # line 6: misspelt id
        "    field: text\n    value: X\n"
        "  - modify: vision\n"                            # line 9: fits no kind of change
        "    value: A vision\n    add: goals\n"
        "  - modify: targets/broadband-coverage\n"        # line 12: an unknown field
        "    field: texts\n    value: X\n"
        "  - modify: targets/affordable-broadband\n"      # line 15: breaks the plan
        "    field: goal\n    value: no-such-goal\n"
    ))
    status, found = validate_json(path)
    assert status == 1
    by_line = {(d["line"], d["code"]): d for d in found}
    assert set(by_line) == {(6, "SP801"), (9, "SP100"), (12, "SP801"), (15, "SP804")}
    assert "did you mean 'broadband-coverage'?" in by_line[6, "SP801"]["hint"]
    assert "exactly one of `modify`, `add` or `suppress`" in by_line[9, "SP100"]["message"]
    assert "'text'" in by_line[12, "SP801"]["hint"]
    assert "no goal with id 'no-such-goal'" in by_line[15, "SP804"]["message"]


def test_a_suppressed_item_still_used_is_one_message_naming_the_users(tmp_path: Path) -> None:
    root = workspace(tmp_path, "2020-2023")
    path = contribution(root, "2020-2023", "changes:\n  - suppress: goals/growth\n")
    status, found = validate_json(path)
    assert status == 1
    (only,) = found
    assert (only["code"], only["line"]) == ("SP804", 6)
    users = [t.id for t in load_valid_plan(PLANS / "2020-2023")[1].targets if t.goal == "growth"]
    assert len(users) > 3
    assert f"suppresses 'growth', which {len(users)} reference(s) still name" in only["message"]
    assert all(f"targets/{u}/goal" in only["message"] for u in users)
    assert "targets/" in only["message"] and "/goal" in only["message"]


def test_an_add_to_a_list_of_no_one_asks_whose(tmp_path: Path) -> None:
    root = workspace(tmp_path, "2028-2031")
    path = contribution(root, "2028-2031",
                        "changes:\n  - add: indicators\n    item: {id: x, text: X}\n")
    status, found = validate_json(path)
    assert status == 1
    assert "targets/<id>/indicators" in found[0]["hint"]


def test_schema_of_contribution_files(tmp_path: Path) -> None:
    import jsonschema

    proc = run_cli("schema", "--contribution")
    assert proc.returncode == 0
    schema = json.loads(proc.stdout)
    from ruamel.yaml import YAML

    jsonschema.validate(YAML(typ="safe").load(SEED_000.read_text(encoding="utf-8")), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"contribution": {"base": "2028"}}, schema)


# --- overlaps and apply ---------------------------------------------------------------------


def four_contributions(root: Path) -> dict[str, Path]:
    """Two on one field, one suppressing an item another modifies, and one alone."""
    fixtures = ROOT / "tests" / "fixtures" / "contributions" / "2028-2031"
    out = {}
    for source in sorted(fixtures.glob("*.yaml")):
        shutil.copy(source, root / "contributions" / "2028-2031" / source.name)
        out[source.stem] = root / "contributions" / "2028-2031" / source.name
    return out


@pytest.mark.slow
def test_overlaps_are_located_warnings_naming_both(tmp_path: Path) -> None:
    root = workspace(tmp_path, "2028-2031")
    files = four_contributions(root)
    proc = run_cli("validate", "--format", "json", *(str(p) for p in files.values()))
    assert proc.returncode == 0, proc.stdout
    found = json.loads(proc.stdout)["diagnostics"]
    overlaps = {(Path(d["file"]).stem, d["line"]): d["message"] for d in found
                if d["code"] == "SP805"}
    assert set(overlaps) == {("a-member-state-a", 8), ("b-member-state-b", 8),
                             ("c-tsag", 8), ("d-member-state-d", 7)}
    assert "targets/broadband-coverage/text" in overlaps["a-member-state-a", 8]
    assert "CWG-SFP-4/15 (Member State B)" in overlaps["a-member-state-a", 8]
    assert "CWG-SFP-4/20 (TSAG)" in overlaps["d-member-state-d", 7]
    # At the final stage, an overlap must have been decided: an error.
    final = run_cli("validate", "--stage", "final", *(str(p) for p in files.values()))
    assert final.returncode == 1


@pytest.mark.slow
def test_apply_each_and_only_the_chosen_change(tmp_path: Path) -> None:
    root = workspace(tmp_path, "2028-2031")
    files = four_contributions(root)
    for name, path in files.items():
        plan = amended(root, path)
        assert plan.plan.period == "2028-2031", name
    a = amended(root, files["a-member-state-a"])
    assert target(a, "broadband-coverage").text == "Universal and meaningful broadband coverage"
    c = amended(root, files["c-tsag"])
    assert "affordable-broadband" not in {t.id for t in c.targets}
    # Both overlapping proposals cannot be applied together; either one can.
    with pytest.raises(StratplanError) as refused:
        apply([files["a-member-state-a"], files["b-member-state-b"]], root / "both")
    assert {d.code for d in refused.value.diagnostics} == {"SP805"}
    out = root / "chosen"
    apply([files["a-member-state-a"], files["b-member-state-b"]], out,
          select=["a-member-state-a.yaml:1", "b-member-state-b.yaml:2"])
    chosen = load_valid_plan(out)[1]
    assert target(chosen, "broadband-coverage").text == (
        "Universal and meaningful broadband coverage"
    )
    assert [i.id for i in target(chosen, "broadband-coverage").indicators] == [
        "population-broadband-coverage", "high-speed-coverage"
    ]


@pytest.mark.slow
def test_apply_in_place_writes_the_base_plan(tmp_path: Path) -> None:
    root = workspace(tmp_path, "2028-2031")
    files = four_contributions(root)
    base = root / "plans" / "2028-2031"
    untouched = (base / "outcomes.yaml").read_bytes()
    proc = run_cli("apply", str(files["d-member-state-d"]), "--in-place")
    assert proc.returncode == 0, proc.stderr
    assert "wrote" in proc.stdout and "targets.yaml" in proc.stdout
    _, plan = load_valid_plan(base)
    assert target(plan, "affordable-broadband").text == (
        "Affordable and meaningful connectivity for all"
    )
    assert (base / "outcomes.yaml").read_bytes() == untouched
    assert "# Target 1.2 (lines 75, 230)" in (base / "targets.yaml").read_text(encoding="utf-8")
    # Neither or both of -o and --in-place is a usage error.
    assert run_cli("apply", str(files["c-tsag"])).returncode == 2


# --- the seed contribution ------------------------------------------------------------------


def test_seed_000_contribution_validates() -> None:
    result = validate([SEED_000])
    assert [d for d in result.diagnostics if d.severity.value == "error"] == []
    assert result.exit_code() == 0


def test_seed_000_apply_then_validate_is_clean_and_keeps_comments(tmp_path: Path) -> None:
    out = tmp_path / "applied"
    proc = run_cli("apply", str(SEED_000), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert validate([out]).exit_code() == 0
    _, plan = load_valid_plan(out)
    titles = [g.title for g in plan.goals]
    assert titles == [
        "Participation in sustainable development processes",
        "Inclusiveness",
        "Sustainability",
        "Innovation and partnership",
    ]
    assert plan.tables[0].rows[0][0].text == "Level 1: Vision & Mission (Section 2)"
    assert len(plan.tables[0].rows) == 5
    goals_text = (out / "goals.yaml").read_text(encoding="utf-8")
    assert "# Goal 1 (lines 73-74; SDG links line 876)" in goals_text
    base = ROOT / "plans" / "2020-2023"
    for name in ("objectives.yaml", "sections.yaml", "risks.yaml"):
        assert (out / name).read_bytes() == (base / name).read_bytes()


def test_apply_refuses_an_existing_folder(tmp_path: Path) -> None:
    (tmp_path / "exists").mkdir()
    proc = run_cli("apply", str(SEED_000), "-o", str(tmp_path / "exists"))
    assert proc.returncode == 2
    assert "already exists" in proc.stderr


def test_apply_refuses_a_plan_folder_given_as_a_contribution(tmp_path: Path) -> None:
    """`apply plans/copy c.yaml` would amend the contribution's base, not the copy: refused,
    naming the folder, and nothing written anywhere."""
    root = workspace(tmp_path, "2028-2031")
    shutil.copytree(root / "plans" / "2028-2031", root / "copy")
    path = contribution(root, "2028-2031", "changes:\n  - suppress: targets/internet-use\n")
    before = {p: p.read_bytes() for p in root.rglob("*.yaml")}
    proc = run_cli("apply", str(root / "copy"), str(path), "--in-place")
    assert proc.returncode == 2, proc.stderr
    assert "copy" in proc.stderr and "not a folder of contributions" in proc.stderr
    assert {p: p.read_bytes() for p in root.rglob("*.yaml")} == before


@pytest.mark.slow
def test_the_guide_example_contribution_works(tmp_path: Path) -> None:
    """The complete example of the guide (docs/guide/contributions.md) validates clean,
    applies and compiles."""
    guide = (ROOT / "docs" / "guide" / "contributions.md").read_text(encoding="utf-8")
    start = guide.index("# contributions/2028-2031/member-state-a.yaml")
    example = guide[start : guide.index("```", start)]
    root = workspace(tmp_path, "2028-2031")
    path = root / "contributions" / "2028-2031" / "member-state-a.yaml"
    path.write_text(example, encoding="utf-8")
    result = validate([path])
    assert result.diagnostics == [], result.diagnostics
    plan = amended(root, path)
    assert target(plan, "broadband-coverage").text.startswith("Universal and meaningful")
    assert plan.footnotes["meaningful"].startswith("As defined by")
    assert "affordable-broadband" not in {t.id for t in plan.targets}
    proc = run_cli("compile", str(root / "plans" / "2028-2031"), str(path), "-f", "json")
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)["parts"]) >= 6


def test_apply_keeps_the_base_files_line_ends_and_bom(tmp_path: Path) -> None:
    """A base plan saved on Windows (CRLF, a UTF-8 byte-order mark): the files apply
    rewrites, into a new folder or in place, keep both, and say the same as when the base has
    Unix line ends."""

    def windows(data: bytes) -> bytes:
        return b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")

    outputs: dict[str, Path] = {}
    for name, convert in (("lf", lambda data: data), ("crlf", windows), ("in-place", windows)):
        root = tmp_path / name
        base = root / "plans" / "2020-2023"
        base.mkdir(parents=True)
        for path in (ROOT / "plans" / "2020-2023").glob("*.yaml"):
            (base / path.name).write_bytes(convert(path.read_bytes()))
        (root / "contributions").mkdir()
        shutil.copy(SEED_000, root / "contributions" / SEED_000.name)
        contribution = root / "contributions" / SEED_000.name
        if name == "in-place":
            apply([contribution], in_place=True)
            outputs[name] = base
        else:
            outputs[name] = apply([contribution], root / "applied").written[0]
    for name in ("crlf", "in-place"):
        for path in sorted(outputs[name].iterdir()):
            data = path.read_bytes()
            assert data.startswith(b"\xef\xbb\xbf"), (name, path.name)
            assert data.count(b"\r\n") == data.count(b"\n"), (name, path.name)
            assert data[3:].replace(b"\r\n", b"\n") == (outputs["lf"] / path.name).read_bytes()


def test_a_change_without_reasons_is_a_warning_and_an_error_at_the_final_stage(
    tmp_path: Path,
) -> None:
    root = workspace(tmp_path, "2028-2031")
    path = contribution(root, "2028-2031", (
        "changes:\n"
        "  - modify: targets/broadband-coverage\n    field: text\n    value: New text\n"
        "    reasons: Why.\n"
        "  - modify: targets/affordable-broadband\n    field: text\n    value: Other text\n"
    ))
    found = validate([path]).diagnostics
    assert [(d.code, d.severity.value, d.location.line if d.location else 0, d.message)
            for d in found] == [("SP809", "warning", 10, "change 2 gives no reasons")]
    final = validate([path], stage="final")  # (the draft's own brackets are errors too)
    assert [(d.code, d.severity.value) for d in final.diagnostics if d.code == "SP809"] == [
        ("SP809", "error")]


# --- work bounds ----------------------------------------------------------------------------


def _chain(root: Path, count: int) -> Path:
    """A contribution adding `count` targets, each after the one before it."""
    body = ["changes:"]
    after = "broadband-coverage"
    for k in range(count):
        body += ["  - add: targets", f"    after: {after}", "    item:",
                 f"      id: chained-{k}", "      goal: universal-connectivity",
                 f"      text: Chained target {k}"]
        after = f"chained-{k}"
    return contribution(root, "2028-2031", "\n".join(body) + "\n", name=f"chain-{count}.yaml")


def test_chained_adds_are_linear_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each change re-collected the ids of the whole plan and scanned its list, so 5 000
    chained `add ... after:` took 255 s. Counted in calls of the model lookup per list item,
    not in seconds: four times the changes is about four times the work, not sixteen."""
    from stratplan.changes.apply import apply_contributions
    from stratplan.model import address
    from stratplan.model.walk import node_model as real
    from stratplan.workspace import Workspace

    root = workspace(tmp_path, "2028-2031")
    calls = [0]

    def counted(annotation: Any, value: Any) -> Any:
        calls[0] += 1
        return real(annotation, value)

    monkeypatch.setattr(address, "node_model", counted)
    work = {}
    for count in (100, 400):
        path = _chain(root, count)
        ws = Workspace()
        calls[0] = 0
        applied = apply_contributions(ws, [ws.contribution(path)], root / "plans" / "2028-2031")
        assert len(applied.changes) == count and not applied.problems
        work[count] = calls[0]
    assert work[400] < 6 * work[100], work


def test_an_address_segment_of_5000_digits_is_located(tmp_path: Path) -> None:
    """It was an internal error (Python converts at most 4 300 digits)."""
    root = workspace(tmp_path, "2028-2031")
    digits = "9" * 5000
    path = contribution(root, "2028-2031", f"changes:\n  - modify: sections/{digits}\n"
                        f"    value: x\n  - add: targets\n    after: '{digits}'\n    item:\n"
                        "      id: new-target\n      goal: universal-connectivity\n"
                        "      text: New\n")
    code, found = validate_json(path)
    assert code == 1
    assert [(d["code"], d["line"]) for d in found] == [("SP801", 6), ("SP801", 8)]
    assert all("9" * 60 + "…" in d["message"] for d in found)


def test_a_contribution_of_more_than_10000_changes_is_refused(tmp_path: Path) -> None:
    root = workspace(tmp_path, "2028-2031")
    changes = "".join("  - suppress: targets/nope\n" for _ in range(10_001))
    path = contribution(root, "2028-2031", "changes:\n" + changes)
    code, found = validate_json(path)
    assert code == 1
    [problem] = found
    assert problem["code"] == "SP003" and problem["line"] == 6  # where the list starts
    assert "10001 changes, over the limit of 10000" in problem["message"]


def test_overlaps_found_by_prefix_lookup_are_those_of_every_pair() -> None:
    """find_overlaps looks up each change's prefixes instead of comparing every pair (12
    million pairs for 5 000 changes); on random targets it groups exactly as the pairwise
    definition: changes of different contributions whose targets nest."""
    import random
    from types import SimpleNamespace

    from stratplan.changes.overlap import find_overlaps

    rng = random.Random(5)
    for _ in range(200):
        changes: list[Any] = [
            SimpleNamespace(canonical=tuple(rng.choice("ab") for _ in range(rng.randrange(4))),
                            source=SimpleNamespace(path=Path(rng.choice("xyz"))))
            for _ in range(rng.randrange(1, 12))
        ]
        parent = list(range(len(changes)))

        def top(i: int, parent: list[int] = parent) -> int:
            while parent[i] != i:
                i = parent[i]
            return i

        for i, a in enumerate(changes):
            for j in range(i + 1, len(changes)):
                b = changes[j]
                n = min(len(a.canonical), len(b.canonical))
                if a.source.path != b.source.path and a.canonical[:n] == b.canonical[:n]:
                    parent[top(j)] = top(i)
        groups: dict[int, list[int]] = {}
        for i in range(len(changes)):
            groups.setdefault(top(i), []).append(i)
        expected = [[changes[i] for i in g] for g in groups.values()
                    if len({changes[i].source.path for i in g}) > 1]
        assert [o.changes for o in find_overlaps(changes)] == expected


def test_an_item_renamed_is_found_by_its_new_id_in_a_later_change(tmp_path: Path) -> None:
    """The index of ids the changes keep follows a change of an item's id."""
    root = workspace(tmp_path, "2028-2031")
    path = contribution(root, "2028-2031", (
        "changes:\n"
        "  - modify: indicators/population-broadband-coverage\n    field: id\n"
        "    value: renamed-indicator\n"
        "  - modify: indicators/renamed-indicator\n    field: text\n    value: Renamed\n"
        "  - modify: indicators/population-broadband-coverage\n    field: text\n"
        "    value: Gone\n"))
    code, found = validate_json(path)
    assert code == 1
    assert [(d["code"], d["line"]) for d in found if d["severity"] == "error"] == [
        ("SP801", 12)]
