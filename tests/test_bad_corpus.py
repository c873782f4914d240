"""The corpus of malformed plans and contributions in tests/bad/, run through the real CLI.

Each case folder holds the files of a plan (or contribution), an `expect.toml` and, where the
input is large, binary or a special file, a `make.py` that generates it at test time (see
tests/bad/README.md). The case is copied to a temporary folder and validated from there, so
paths in diagnostics are relative to the case and nothing above it (the repository's
pyproject.toml, its plans/) leaks in.

A case may run another command than `validate` (`command`: render, diff, apply, fmt, new,
export ...). Whatever the command, no file of the case may change but the outputs it names
(`outputs`): every other file, folder, link and special file is as it was, and nothing new
appears.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

# The bad-input corpus: a process per case.
pytestmark = pytest.mark.slow

BAD = Path(__file__).resolve().parent / "bad"
DEFAULT_TIMEOUT = 60.0
KNOWN_KEYS = {
    "exit", "code", "file", "line", "column", "target", "timeout", "xfail",
    "command", "outputs", "readonly",
}


def _cases() -> list[Any]:
    params = []
    for folder in sorted(p for p in BAD.iterdir() if (p / "expect.toml").is_file()):
        expect = tomllib.loads((folder / "expect.toml").read_text(encoding="utf-8"))
        marks = []
        if expect.get("xfail"):
            marks.append(pytest.mark.xfail(strict=True, reason=expect["xfail"]))
        params.append(pytest.param(folder.name, expect, id=folder.name, marks=marks))
    return params


CASES = _cases()


def _make(case: Path, copy: Path) -> Path:
    """Run the case's make.py (without writing bytecode into the repository)."""
    source = case / "make.py"
    namespace: dict[str, Any] = {"__name__": f"bad_{case.name.replace('-', '_')}"}
    namespace["__file__"] = str(source)
    exec(compile(source.read_text(encoding="utf-8"), str(source), "exec"), namespace)
    target = namespace["make"](copy)
    assert isinstance(target, Path), "make() must return the path to validate"
    return target


def _relative(file: str | None, root: Path) -> str | None:
    """A diagnostic's file, relative to the case folder (the CLI's working directory)."""
    if file is None:
        return None
    path = Path(file)
    if path.is_absolute():
        try:
            path = path.relative_to(root)
        except ValueError:
            return file
    return path.as_posix()


def _tree(root: Path) -> dict[str, tuple[str, str]]:
    """Every entry under `root`: its kind and content (a file's digest, a link's target), so
    that any change, new entry or replaced special file shows."""
    out: dict[str, tuple[str, str]] = {}
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            path = Path(folder) / name
            mode = path.lstat().st_mode
            key = path.relative_to(root).as_posix()
            if stat.S_ISLNK(mode):
                out[key] = ("link", os.readlink(path))
            elif stat.S_ISDIR(mode):
                out[key] = ("dir", "")
            elif stat.S_ISREG(mode):
                out[key] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
            else:
                out[key] = ("special", oct(stat.S_IFMT(mode)))
    return out


_TEXT_DIAGNOSTIC = re.compile(r"^  (?:(\d+):(\d+))?\s+(error|warning|info)\s+(SP\d+)  (.*)$")


def text_diagnostics(stderr: str) -> list[dict[str, Any]]:
    """The diagnostics of the text report (what every command but validate prints on
    stderr), as the JSON report has them."""
    out: list[dict[str, Any]] = []
    file: str | None = None
    for line in stderr.splitlines():
        match = _TEXT_DIAGNOSTIC.match(line)
        if match:
            row, column, severity, code, message = match.groups()
            out.append({"code": code, "severity": severity, "message": message, "file": file,
                        "line": int(row) if row else None,
                        "column": int(column) if column else None})
        elif line and not line.startswith(" ") and not re.match(r"^\d+ errors?, ", line):
            file = None if line == "(no file)" else line
    return out


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


@contextmanager
def _read_only(root: Path, folders: list[str]) -> Iterator[list[str]]:
    """Make `folders` (relative to `root`) read-only for the command; yields the prefix of
    its command line. Root ignores permission bits, so as root each folder is bound read-only
    over itself in a mount namespace of the command's own (`unshare -m`); anyone else gets
    the folders' write permission taken away for the run."""
    paths = [root / f for f in folders]
    if not paths:
        yield []
        return
    if _is_root():
        unshare = shutil.which("unshare")
        if unshare is None:
            pytest.fail("as root, read-only folders need unshare(1) (util-linux)")
        mounts = " && ".join(f'mount --bind -o ro "{p}" "{p}"' for p in paths)
        # cd again: the working directory may be one of the folders, under the new mount.
        yield [unshare, "--mount", "--propagation", "private", "sh", "-c",
               f'{mounts} && cd "$PWD" && exec "$@"', "sh"]
        return
    modes = [p.stat().st_mode for p in paths]
    for path in paths:
        path.chmod(0o555)
    try:
        yield []
    finally:
        for path, mode in zip(paths, modes, strict=True):
            path.chmod(stat.S_IMODE(mode))


def test_corpus_is_big_and_well_formed() -> None:
    assert len(CASES) >= 45
    for param in CASES:
        name = param.id
        expect = param.values[1]
        assert set(expect) <= KNOWN_KEYS, (name, set(expect) - KNOWN_KEYS)
        assert expect["exit"] in (0, 1, 2), name
        assert "file" in expect or not expect["code"], name
    # Committed inputs stay small: anything big is generated by make.py at test time.
    for path in BAD.rglob("*"):
        if path.is_file():
            assert path.stat().st_size <= 20 * 1024, path


@pytest.mark.parametrize(("name", "expect"), CASES)
def test_bad_case(name: str, expect: dict[str, Any], tmp_path: Path) -> None:
    case = BAD / name
    root = tmp_path / "case"
    shutil.copytree(case, root, ignore=shutil.ignore_patterns("expect.toml", "make.py"))
    target = root / expect.get("target", ".")
    if (case / "make.py").is_file():
        target = _make(case, root)
    command = expect.get("command")
    args = (
        [arg.replace("{target}", str(target)) for arg in command]
        if command
        else ["validate", "--format", "json", str(target)]
    )
    outputs = set(expect.get("outputs", []))
    before = _tree(root)
    timeout = float(expect.get("timeout", DEFAULT_TIMEOUT))
    started = time.monotonic()
    try:
        with _read_only(root, expect.get("readonly", [])) as prefix:
            proc = subprocess.run(
                [*prefix, sys.executable, "-m", "stratplan.cli", *args],
                capture_output=True,
                text=True,
                errors="replace",
                cwd=root,
                timeout=timeout,
            )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name}: {args[0]} did not finish within {timeout:.0f} s")
    elapsed = time.monotonic() - started
    output = proc.stdout + proc.stderr
    assert "Traceback" not in output, output[-3000:]
    assert "internal error" not in proc.stderr, proc.stderr[-3000:]
    assert elapsed < timeout
    # Objects named by tags must never be constructed.
    assert not list(root.rglob("stratplan-was-pwned"))
    # Nothing changed, appeared or was replaced but the outputs (and what is inside them).
    after = _tree(root)
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    stray = {k for k in changed if not any(k == o or k.startswith(f"{o}/") for o in outputs)}
    assert not stray, f"{name}: changed besides the outputs: {sorted(stray)}"
    if proc.returncode == 0:
        missing = [o for o in outputs if not (root / o).exists()]
        assert not missing, f"{name}: exit 0 without writing {missing}"

    if command and command[0] != "validate":
        diagnostics = text_diagnostics(proc.stderr)
    else:
        diagnostics = json.loads(proc.stdout)["diagnostics"]
    summary = [
        (d["code"], d["severity"], _relative(d["file"], root), d["line"], d["message"])
        for d in diagnostics[:20]
    ]
    assert proc.returncode == expect["exit"], summary
    for d in diagnostics:
        assert d["code"] and d["severity"] in {"error", "warning", "info"}, d
        assert d["file"], d
    if not expect["code"]:
        assert not [d for d in diagnostics if d["severity"] == "error"], summary
        return
    matching = [d for d in diagnostics if d["code"] == expect["code"]]
    assert matching, summary
    located = [d for d in matching if _relative(d["file"], root) == expect["file"]]
    assert located, summary
    if "line" in expect:
        assert any(d["line"] == expect["line"] for d in located), summary
    if "column" in expect:
        assert any(
            d["line"] == expect.get("line", d["line"]) and d["column"] == expect["column"]
            for d in located
        ), summary
    # Exit 1 means an error was reported, exit 0 means none was.
    errors = [d for d in diagnostics if d["severity"] == "error"]
    if expect["exit"] == 1:
        assert errors, summary
    if expect["exit"] == 0:
        assert not errors, summary
