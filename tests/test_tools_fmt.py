"""`stratplan.tools.fmt`: canonical layout that never changes a value and keeps every comment."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from stratplan.diagnostics import StratplanError
from stratplan.model.plan import Indicator, Para, Plan, Section, Show, Target
from stratplan.model.walk import field_order, model_for_path
from stratplan.source.reader import parse_yaml_text
from stratplan.source.roundtrip import yaml_comments
from stratplan.source.scalars import RawBool, RawFloat, RawInt
from stratplan.tools.fmt import format_paths, format_text

ROOT = Path(__file__).resolve().parents[1]
PLANS = ROOT / "plans"
PLAN_FILES = sorted(PLANS.glob("*/*.yaml"))


def comparable(value: Any) -> Any:
    """Loaded data with the written form of numbers and booleans explicit; key order ignored."""
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [comparable(v) for v in value]
    if isinstance(value, RawInt | RawFloat | RawBool):
        return (type(value).__name__, value.raw)
    return (type(value).__name__, value)


def load(text: str) -> Any:
    return comparable(parse_yaml_text(text, "test.yaml")[0])


def comments(text: str) -> Counter[str]:
    return Counter(yaml_comments(text))


@pytest.fixture(scope="module")
def formatted_plans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of plans/, formatted once (the real plans/ is never written)."""
    copy = tmp_path_factory.mktemp("fmt") / "plans"
    shutil.copytree(PLANS, copy)
    result = format_paths([copy], check=False)
    assert len(result.checked) == len(PLAN_FILES)
    return copy


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_format_keeps_every_value_and_comment(path: Path, formatted_plans: Path) -> None:
    before = path.read_text(encoding="utf-8")
    after = (formatted_plans / path.parent.name / path.name).read_text(encoding="utf-8")
    assert load(after) == load(before)
    assert comments(after) == comments(before)
    # A cruder count than the parser's: every `# decision:` note is still there.
    assert after.count("# decision:") == before.count("# decision:")
    assert not [line for line in after.splitlines() if line != line.rstrip()]


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_format_is_idempotent(path: Path, formatted_plans: Path) -> None:
    once = (formatted_plans / path.parent.name / path.name).read_text(encoding="utf-8")
    assert format_text(once) == once


def test_second_run_changes_nothing(formatted_plans: Path) -> None:
    assert format_paths([formatted_plans], check=True).changed == []
    assert not list(formatted_plans.rglob("*.tmp"))


def test_formatted_plans_still_validate(formatted_plans: Path) -> None:
    from stratplan.api import load_valid_plan

    for folder in sorted(p for p in formatted_plans.iterdir() if p.is_dir()):
        load_valid_plan(folder)


def test_check_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "goals.yaml"
    text = "goals:\n- title: Growth\n  id: growth\n"
    path.write_text(text, encoding="utf-8")
    result = format_paths([path], check=True)
    assert result.changed == [path]
    assert path.read_text(encoding="utf-8") == text
    result = format_paths([tmp_path], check=False)
    assert result.changed == [path]
    assert path.read_text(encoding="utf-8") == "goals:\n  - id: growth\n    title: Growth\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["goals.yaml"]


def test_keys_take_the_model_order_with_their_comments() -> None:
    text = """\
# file header
targets:  # the targets
  # decision: first target
  - text: Universal coverage  # text eol
    # decision: the deadline
    deadline: 2031
    extra_key: kept after known keys
    indicators:
      - text: Coverage
        id: coverage  # id eol
    goal: connectivity
    # decision: the id
    id: coverage-target
  # decision: second target
  - id: second
    goal: connectivity
    text: Second
# decision: plan metadata
plan:
  status: draft
  title: T
  period: 2028-2031
"""
    expected = """\
# file header
# decision: plan metadata
plan:
  title: T
  period: 2028-2031
  status: draft
targets:  # the targets
  # decision: first target
    # decision: the id
  - id: coverage-target
    goal: connectivity
    text: Universal coverage  # text eol
    # decision: the deadline
    deadline: 2031
    indicators:
      - id: coverage  # id eol
        text: Coverage
    extra_key: kept after known keys
  # decision: second target
  - id: second
    goal: connectivity
    text: Second
"""
    out = format_text(text)
    assert out == expected
    assert comments(out) == comments(text)
    assert load(out) == load(text)
    assert format_text(out) == out


def test_scalar_style_changes_keep_the_text() -> None:
    long = "word " * 40
    text = (
        f'a:\n  text: "{long.strip()}"\n  plain: {long.strip()}\n'
        "  numbers: [007, 1.10, 0o17, 1e3, .5]\n  flags:\n  - yes\n  - true\n  - ~\n"
        "  date: 2024-01-01\n  unicode: “OneITU” – é\n"
    )
    out = format_text(text)
    # Prose is never rewrapped: a paragraph stays one line, so a diff shows the sentence.
    assert f"  plain: {long.strip()}" in out.splitlines()
    assert load(out) == load(text)
    assert "“OneITU” – é" in out


def test_invalid_yaml_is_refused() -> None:
    with pytest.raises(StratplanError):
        format_text("a: [1,\n")
    with pytest.raises(StratplanError):
        format_text("a: !!python/object:os.system x\n")


def test_model_for_path() -> None:
    data = {
        "targets": [{"id": "t", "indicators": [{"id": "i", "text": "x"}]}],
        "sections": [{"id": "s", "content": [{"show": "targets"}, {"text": "p"}, "plain"]}],
        "footnotes": {"a": "b"},
    }
    assert model_for_path(data, ()) is Plan
    assert model_for_path(data, ("targets", 0)) is Target
    assert model_for_path(data, ("targets", 0, "indicators", 0)) is Indicator
    assert model_for_path(data, ("sections", 0)) is Section
    assert model_for_path(data, ("sections", 0, "content", 0)) is Show
    assert model_for_path(data, ("sections", 0, "content", 1)) is Para
    assert model_for_path(data, ("sections", 0, "content", 2)) is None  # a string
    assert model_for_path(data, ("footnotes",)) is None
    assert model_for_path({"nope": {"id": "x"}}, ("nope",)) is None


def test_field_order() -> None:
    assert field_order(Target)[:4] == ["id", "goal", "text", "unit"]
    assert field_order(Target)[-5:] == [
        "indicators",
        "replaces",
        "lineage_note",
        "comments",
        "alternatives",
    ]
    assert field_order(Indicator)[:2] == ["id", "text"]
    assert field_order(Plan)[:3] == ["plan", "cover", "vision"]


def test_plans_are_in_canonical_form() -> None:
    """CI runs `stratplan fmt --check plans`: the committed plans are formatted."""
    from tests.conftest import run_cli

    proc = run_cli("fmt", "--check", "plans")
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.strip().endswith("files would reformat")
    assert proc.stdout.strip().startswith("0 of ")


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_format_keeps_the_files_line_ends_and_bom(tmp_path: Path, bom: bytes) -> None:
    """A file written on Windows stays CRLF (with its byte-order mark): fmt changes the layout,
    not every line of the file."""
    path = tmp_path / "goals.yaml"
    canonical = bom + (PLANS / "2028-2031" / "goals.yaml").read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(canonical)
    assert format_paths([path], check=True).changed == []
    # Keys out of the model's order: fmt rewrites the file, in its own line ends.
    path.write_bytes(bom + b"# goals\r\ngoals:\r\n  - title: A goal  # first\r\n    id: a\r\n")
    assert format_paths([path]).changed == [path]
    expected = b"# goals\r\ngoals:\r\n  - id: a\r\n    title: A goal  # first\r\n"
    assert path.read_bytes() == bom + expected
    assert format_paths([path], check=True).changed == []


def test_a_file_ruamel_cannot_read_is_refused_in_place(tmp_path: Path) -> None:
    """libyaml (the plan loader) takes a tab after `key:`; ruamel's round trip does not."""
    path = tmp_path / "vision.yaml"
    path.write_bytes(b"vision:\tA connected world.\n")
    with pytest.raises(StratplanError) as exc:
        format_paths([path])
    (diagnostic,) = exc.value.diagnostics
    assert diagnostic.code == "SP012" and diagnostic.location is not None
    assert (diagnostic.location.line, diagnostic.location.column) == (1, 8)
    assert path.read_bytes() == b"vision:\tA connected world.\n"
