"""The loader under bad input: a located diagnostic for every malformed file, no traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from stratplan.diagnostics import Location, StratplanError
from stratplan.source.reader import Limits, SourceMap, load_sources, parse_yaml_text
from tests.conftest import MINIMAL_PLAN, ROOT, run_cli


def validate_json(*paths: Path) -> tuple[int, list[dict[str, Any]], str]:
    proc = run_cli("validate", "--format", "json", *(str(p) for p in paths))
    assert "Traceback" not in proc.stdout + proc.stderr
    payload = json.loads(proc.stdout) if proc.stdout.strip() else {"diagnostics": []}
    return proc.returncode, payload["diagnostics"], proc.stderr


def at(sources: SourceMap, path: tuple[str | int, ...]) -> Location:
    """Where `path` is, which must be known."""
    location = sources.locate(path)
    assert location is not None, path
    return location


def one_bad_file(tmp_path: Path, name: str, content: bytes) -> Path:
    folder = tmp_path / "plan"
    folder.mkdir(exist_ok=True)
    (folder / "plan.yaml").write_text(MINIMAL_PLAN, encoding="utf-8")
    (folder / name).write_bytes(content)
    return folder


BAD_FILES = {
    # name: (content, code, line) -- line None where the problem has no line
    "syntax": (b"goals:\n  - id: a\n   title: x\n", "SP001", 3),
    # The quote's own line, not the end of the file where the parser notices it.
    "unclosed-quote": (b'vision: "never closed\n', "SP001", 1),
    "tabs": (b"goals:\n\t- id: a\n", "SP001", 2),
    "duplicate-key": (b"vision: a\nvision: b\n", "SP005", 2),
    "nested-duplicate-key": (b"cover:\n  meeting: a\n  meeting: b\n", "SP005", 3),
    "python-object": (b"vision: !!python/object/apply:os.system ['echo pwned']\n", "SP004", 1),
    "include-tag": (b"vision: !include other.yaml\n", "SP004", 1),
    "set-tag": (b"vision: !!set {a, b}\n", "SP004", 1),
    "top-level-list": (b"- a\n- b\n", "SP007", 1),
    "top-level-scalar": (b"just a sentence\n", "SP007", 1),
    "control-char": (b"vision: bell\x07here\n", "SP002", 1),
    "nul": (b"vision: a\x00b\n", "SP002", 1),
    "latin1": (b"vision: caf\xe9\n", "SP002", 1),
    "utf16": ("vision: x\n".encode("utf-16"), "SP002", 1),
    "binary": (bytes(range(256)) * 4, "SP002", 2),  # byte 0x0a ends line 1
    "multi-document": (b"vision: a\n---\nmission: b\n", "SP001", 2),
    "complex-key": (b"? [a, b]\n: c\n", "SP001", 1),
    "unknown-alias": (b"vision: *nowhere\n", "SP001", 1),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_gives_located_diagnostic(tmp_path: Path, name: str) -> None:
    content, code, line = BAD_FILES[name]
    folder = one_bad_file(tmp_path, f"{name}.yaml", content)
    status, diagnostics, _ = validate_json(folder)
    assert status == 1
    matching = [d for d in diagnostics if d["code"] == code]
    assert matching, diagnostics
    assert matching[0]["file"].endswith(f"{name}.yaml")
    assert matching[0]["line"] == line


def test_billion_laughs_fails_fast(tmp_path: Path) -> None:
    levels = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 10):
        refs = ",".join([f"*a{n - 1}"] * 9)
        levels.append(f"a{n}: &a{n} [{refs}]")
    bomb = ("\n".join(levels) + "\n").encode()
    assert len(bomb) < 1000
    folder = one_bad_file(tmp_path, "bomb.yaml", bomb)
    status, diagnostics, _ = validate_json(folder)
    assert status == 1
    assert any(d["code"] == "SP003" and d["file"].endswith("bomb.yaml") for d in diagnostics)


def test_expanded_size_is_bounded_even_with_few_aliases() -> None:
    # 9 aliases per level are within the alias limit for a few levels, but the expansion is not.
    levels = ["a0: &a0 [" + ",".join(["x"] * 50) + "]"]
    for n in range(1, 6):
        levels.append(f"a{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * 9) + "]")
    with pytest.raises(StratplanError) as exc:
        parse_yaml_text("\n".join(levels), "bomb.yaml", Limits(max_aliases=1000))
    assert exc.value.diagnostics[0].code == "SP003"


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    deep = ("vision: " + "[" * 5000 + "]" * 5000 + "\n").encode()
    folder = one_bad_file(tmp_path, "deep.yaml", deep)
    status, diagnostics, _ = validate_json(folder)
    assert status == 1
    assert any(d["code"] == "SP003" and d["line"] == 1 for d in diagnostics)


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    folder = one_bad_file(tmp_path, "huge.yaml", b"vision: " + b"x" * (9 * 1024 * 1024) + b"\n")
    status, diagnostics, _ = validate_json(folder)
    assert status == 1
    assert any(d["code"] == "SP003" and d["file"].endswith("huge.yaml") for d in diagnostics)


@pytest.mark.parametrize("content", [b"", b"# only a comment\n# and another\n"])
def test_empty_and_comment_only_files_warn(tmp_path: Path, content: bytes) -> None:
    folder = one_bad_file(tmp_path, "empty.yaml", content)
    status, diagnostics, _ = validate_json(folder)
    assert status == 0
    assert [d["code"] for d in diagnostics] == ["SP008"]
    assert diagnostics[0]["file"].endswith("empty.yaml")


def test_key_in_two_files_names_both(tmp_path: Path) -> None:
    folder = one_bad_file(tmp_path, "more.yaml", b"goals:\n  - id: g2\n    title: Two\n")
    status, diagnostics, _ = validate_json(folder)
    assert status == 1
    (problem,) = [d for d in diagnostics if d["code"] == "SP006"]
    assert "plan.yaml" in problem["message"] and "more.yaml" in problem["message"]
    # Files merge in name order, so the second definition is plan.yaml's `goals:` (line 7).
    assert problem["file"].endswith("plan.yaml") and problem["line"] == 7


def test_folder_without_yaml_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    status, diagnostics, _ = validate_json(tmp_path)
    assert status == 2
    assert diagnostics[0]["code"] == "SP011"


def test_missing_path_is_an_io_error(tmp_path: Path) -> None:
    status, diagnostics, _ = validate_json(tmp_path / "nowhere")
    assert status == 2
    assert diagnostics[0]["code"] == "SP010"
    assert diagnostics[0]["file"].endswith("nowhere")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file; covered by the next test")
def test_unreadable_file_is_an_io_error(tmp_path: Path) -> None:
    folder = one_bad_file(tmp_path, "secret.yaml", b"vision: x\n")
    (folder / "secret.yaml").chmod(0)
    status, diagnostics, _ = validate_json(folder)
    assert status == 2
    assert any(d["code"] == "SP010" for d in diagnostics)


def test_unreadable_file_as_root_is_an_io_error(tmp_path: Path) -> None:
    # Root ignores permission bits; a file name that is a dangling symlink cannot be read by
    # anyone, which is the same failure from the loader's point of view.
    folder = one_bad_file(tmp_path, "ok.yaml", b"vision: x\n")
    (folder / "gone.yaml").symlink_to(tmp_path / "does-not-exist.yaml")
    status, diagnostics, _ = validate_json(folder)
    assert status == 2
    (problem,) = [d for d in diagnostics if d["code"] == "SP010"]
    assert problem["file"].endswith("gone.yaml")


def test_bom_is_accepted(tmp_path: Path) -> None:
    folder = tmp_path / "plan"
    folder.mkdir()
    (folder / "plan.yaml").write_bytes(b"\xef\xbb\xbf" + MINIMAL_PLAN.encode())
    status, diagnostics, _ = validate_json(folder)
    assert status == 0, diagnostics


def test_positions_are_one_based_and_aliases_report_their_anchor() -> None:
    text = "base: &b\n  title: x\nuse: *b\nlist:\n  - one\n"
    data, sources = parse_yaml_text(text, "f.yaml")
    assert data["use"] is data["base"]
    assert at(sources, ("base", "title")).line == 2
    assert at(sources, ("base", "title")).column == 10
    # The alias reports its anchor's line (where `&b` is), not line 3.
    assert at(sources, ("use",)).line == 1
    assert at(sources, ("use", "title")).line == 1
    assert at(sources, ("list", 0)).line == 5


def test_merge_keys_fall_back_to_the_mapping_position() -> None:
    text = "defaults: &d\n  unit: percent\nindicator:\n  <<: *d\n  text: x\n"
    data, sources = parse_yaml_text(text, "f.yaml")
    assert data["indicator"] == {"unit": "percent", "text": "x"}
    assert at(sources, ("indicator", "unit")).line == 4  # the mapping's own line
    assert at(sources, ("indicator", "text")).line == 5


def test_text_keeps_what_was_written() -> None:
    data, _ = parse_yaml_text("a: 1.10\nb: 2026-01-01\nc: 007\nd: yes\n", "f.yaml")
    assert data["a"].raw == "1.10"
    assert data["b"] == "2026-01-01"  # timestamps stay strings
    assert data["d"] == "yes"  # YAML 1.2: not a boolean
    from stratplan.model.plan import Para

    assert Para.model_validate({"text": data["a"]}).text == "1.10"


def test_loader_collects_problems_of_several_files(tmp_path: Path) -> None:
    folder = tmp_path / "plan"
    folder.mkdir()
    (folder / "a.yaml").write_bytes(b"x: [\n")
    (folder / "b.yaml").write_bytes(b"y: !!binary aGk=\n")
    loaded = load_sources(folder)
    assert sorted(d.code for d in loaded.diagnostics) == ["SP001", "SP004"]


def test_object_tags_run_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    content = f"vision: !!python/object/apply:os.system ['touch {marker}']\n".encode()
    folder = one_bad_file(tmp_path, "evil.yaml", content)
    status, _, _ = validate_json(folder)
    assert status == 1
    assert not marker.exists()


def test_c_and_pure_parsers_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from stratplan.source import reader as load

    text = (ROOT / "plans" / "2028-2031" / "outcomes.yaml").read_text(encoding="utf-8")
    fast = load.parse_yaml_text(text, "f.yaml")
    real_import = builtins.__import__

    def no_c_parser(name: str, *args: object, **kwargs: object) -> object:
        if name == "ruamel.yaml.cyaml":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_c_parser)
    slow = load.parse_yaml_text(text, "f.yaml")
    assert fast[0] == slow[0]
    assert fast[1].positions == slow[1].positions
