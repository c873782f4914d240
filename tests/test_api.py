"""The library API as a program calls it: typed choices checked at the door, one result
shape, one error for everything a user can cause."""

from __future__ import annotations

import inspect
import typing
from pathlib import Path
from typing import Any

import pytest

from stratplan import api
from stratplan.diagnostics import EXIT_ERROR, Result, StratplanError
from tests.conftest import PLANS, run_cli

PLAN = PLANS / "2028-2031"


@pytest.mark.parametrize("call", [
    lambda out: api.render([PLAN], out / "x.rtf", fmt="rtf"),  # type: ignore[arg-type]
    lambda out: api.diff(PLANS / "2024-2027", PLAN, out / "x.txt", fmt="txt"),  # type: ignore[arg-type]
    lambda out: api.lineage(PLANS / "2024-2027", PLAN, "pdf", out / "x"),  # type: ignore[arg-type]
    lambda out: api.export(PLAN, "xlsx", out / "x"),  # type: ignore[arg-type]
    lambda out: api.smart([PLAN], "pdf", out / "x"),  # type: ignore[arg-type]
    lambda out: api.compile_contributions(PLAN, [PLAN], out / "x", "rtf"),  # type: ignore[arg-type]
    lambda out: api.validate([PLAN], stage="adopted"),  # type: ignore[arg-type]
])
def test_a_choice_the_command_does_not_have_is_a_usage_error(
    call: Any, tmp_path: Path
) -> None:
    with pytest.raises(StratplanError) as caught:
        call(tmp_path)
    assert caught.value.exit_code == EXIT_ERROR
    (problem,) = caught.value.diagnostics
    assert problem.code == "SP010" and "is not one of" in problem.message
    assert list(tmp_path.iterdir()) == []  # nothing written


@pytest.mark.parametrize("args", [
    ["render", str(PLAN), "-f", "rtf"],
    ["diff", str(PLANS / "2024-2027"), str(PLAN), "-f", "txt"],
    ["validate", str(PLAN), "--stage", "adopted"],
])
def test_the_cli_takes_its_choices_from_the_same_place(args: list[str]) -> None:
    proc = run_cli(*args)
    assert proc.returncode == EXIT_ERROR, proc.stderr
    assert "Traceback" not in proc.stderr and "is not one of" in proc.stderr


def _hints(function: Any) -> dict[str, Any]:
    names = {**vars(api), "RedlineResult": api.RedlineResult, "Rule": api.Rule}
    return typing.get_type_hints(function, globalns=names)


def test_every_public_function_returns_one_result_shape() -> None:
    results = {name: _hints(getattr(api, name)).get("return")
               for name in api.__all__ if inspect.isfunction(getattr(api, name))}
    commands = {"validate", "write_baseline", "render", "diff", "compile_contributions",
                "import_review", "lineage", "export", "smart", "apply", "format_files",
                "new_cycle"}
    for name in commands:
        returned = results[name]
        assert isinstance(returned, type) and issubclass(returned, Result), (name, returned)


def test_all_names_what_a_library_user_needs() -> None:
    for name in api.__all__:
        assert hasattr(api, name), name
    # What public functions take and return is exported too.
    for name in api.__all__:
        value = getattr(api, name)
        if inspect.isfunction(value):
            hints = _hints(value)
            returned = hints.get("return")
            if isinstance(returned, type) and returned.__module__.startswith("stratplan"):
                assert returned.__name__ in api.__all__, (name, returned)
    assert "compile" not in api.__all__  # the builtin is not shadowed


def test_a_result_says_its_exit_status(tmp_path: Path) -> None:
    result = api.validate([PLAN])
    assert result.exit_code() == 0 and result.exit_code("warning") == 1
    written = api.render([PLAN], tmp_path / "p.md", fmt="md")
    assert written.written == [tmp_path / "p.md"] and written.exit_code() == 0
