"""Contributions: change sets against a plan, validated, applied with comments kept."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from stratplan.api import load_valid_plan, validate
from tests.conftest import ROOT, run_cli

SEED_000 = ROOT / "contributions" / "2020-2023" / "member-state-goals-and-targets.yaml"


def test_seed_000_contribution_validates() -> None:
    result = validate([SEED_000])
    assert [d for d in result.diagnostics if d.severity.value == "error"] == []
    assert result.exit_code() == 0


def test_apply_then_validate_is_clean_and_keeps_comments(tmp_path: Path) -> None:
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
    # Files the contribution does not touch are copied byte for byte.
    for name in ("objectives.yaml", "sections.yaml", "risks.yaml"):
        assert (out / name).read_bytes() == (base / name).read_bytes()


def test_apply_refuses_an_existing_folder(tmp_path: Path) -> None:
    (tmp_path / "exists").mkdir()
    proc = run_cli("apply", str(SEED_000), "-o", str(tmp_path / "exists"))
    assert proc.returncode == 2
    assert "already exists" in proc.stderr


def test_unknown_address_is_located(tmp_path: Path) -> None:
    folder = tmp_path / "contributions" / "2020-2023"
    folder.mkdir(parents=True)
    shutil.copytree(ROOT / "plans" / "2020-2023", tmp_path / "plans" / "2020-2023")
    bad = folder / "bad.yaml"
    bad.write_text(
        "contribution:\n  base: 2020-2023\n  contributor: Someone\n  title: T\n"
        "changes:\n  - modify: goals/no-such-goal\n    field: title\n    value: X\n"
    )
    proc = run_cli("validate", "--format", "json", str(bad))
    assert proc.returncode == 1
    (d,) = json.loads(proc.stdout)["diagnostics"]
    assert (d["code"], d["line"], d["file"].endswith("bad.yaml")) == ("SP801", 6, True)


def test_contribution_that_breaks_the_plan_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "contributions" / "2020-2023"
    folder.mkdir(parents=True)
    shutil.copytree(ROOT / "plans" / "2020-2023", tmp_path / "plans" / "2020-2023")
    bad = folder / "bad.yaml"
    bad.write_text(
        "contribution:\n  base: 2020-2023\n  contributor: Someone\n  title: T\n"
        "changes:\n  - suppress: goals/partnership\n"
    )
    proc = run_cli("validate", "--format", "json", str(bad))
    assert proc.returncode == 1
    codes = {d["code"] for d in json.loads(proc.stdout)["diagnostics"]}
    assert codes == {"SP804"}


def test_contribution_redline_attributes_revisions_to_contributors(tmp_path: Path) -> None:
    import zipfile

    shutil.copytree(ROOT / "plans" / "2020-2023", tmp_path / "plans" / "2020-2023")
    folder = tmp_path / "contributions" / "2020-2023"
    folder.mkdir(parents=True)
    shutil.copy(SEED_000, folder / "a-member-state.yaml")
    (folder / "b-advisory-group.yaml").write_text(
        "contribution:\n  base: 2020-2023\n  contributor: Advisory Group\n  title: Risks\n"
        "changes:\n  - modify: risks/insufficient-funding\n    field: title\n"
        "    value: Insufficient and unpredictable funding\n"
        "    rationale: An example of a second contributor.\n",
        encoding="utf-8",
    )
    out = tmp_path / "redline.docx"
    proc = run_cli(
        "render", str(tmp_path / "plans" / "2020-2023"),
        "-c", str(folder / "a-member-state.yaml"), "-c", str(folder / "b-advisory-group.yaml"),
        "-o", str(out),
    )
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(out) as z:
        xml = z.read("word/document.xml").decode()
    assert 'w:author="Member State"' in xml
    assert 'w:author="Advisory Group"' in xml
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    root = etree.fromstring(xml.encode())
    authors = {
        ins.get(f"{w}author")
        for ins in root.iter(f"{w}ins")
        if "unpredictable" in "".join(t.text or "" for t in ins.iter(f"{w}t"))
    }
    assert authors == {"Advisory Group"}
    growth = {
        ins.get(f"{w}author")
        for ins in root.iter(f"{w}ins")
        if "Participation in sustainable" in "".join(t.text or "" for t in ins.iter(f"{w}t"))
    }
    assert growth == {"Member State"}

    # The plan named on the command line must be the one the contributions amend, and the
    # output may not overwrite any of the base plan's files.
    other = run_cli("render", str(ROOT / "plans" / "2024-2027"), "-c", str(SEED_000))
    assert other.returncode == 2
    assert "SP803" in other.stderr and "amend" in other.stderr
    target = tmp_path / "plans" / "2020-2023" / "goals.yaml"
    before = target.read_bytes()
    onto_base = run_cli(
        "render", str(tmp_path / "plans" / "2020-2023"),
        "-c", str(folder / "a-member-state.yaml"), "-o", str(target),
    )
    assert onto_base.returncode == 2 and "it is an input file" in onto_base.stderr
    assert target.read_bytes() == before


def test_apply_keeps_the_base_files_line_ends_and_bom(tmp_path: Path) -> None:
    """A base plan saved on Windows (CRLF, a UTF-8 byte-order mark): the files apply
    rewrites keep both, and say the same as when the base has Unix line ends."""
    from stratplan.api import apply

    def windows(data: bytes) -> bytes:
        return b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")

    outputs = {}
    for name, convert in (("lf", lambda data: data), ("crlf", windows)):
        root = tmp_path / name
        (root / "plans" / "2020-2023").mkdir(parents=True)
        for path in (ROOT / "plans" / "2020-2023").glob("*.yaml"):
            (root / "plans" / "2020-2023" / path.name).write_bytes(convert(path.read_bytes()))
        (root / "contributions").mkdir()
        shutil.copy(SEED_000, root / "contributions" / SEED_000.name)
        outputs[name] = apply([root / "contributions" / SEED_000.name], root / "applied")
    for path in sorted(outputs["crlf"].iterdir()):
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), path.name
        assert data.count(b"\r\n") == data.count(b"\n"), path.name
        assert data[3:].replace(b"\r\n", b"\n") == (outputs["lf"] / path.name).read_bytes()
