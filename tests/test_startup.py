"""Start-up: a command imports what it needs and no more.

`stratplan --version`, `rules` and `explain` answer without the command-line framework or the
plan model; commands that write no Word file do not import python-docx or lxml, and those that
render nothing do not import jinja2. (Times are in `make bench`; here, what is imported.)
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT, run_cli


def program(*args: str) -> subprocess.CompletedProcess[str]:
    """`stratplan ARGS` as the installed program runs it (`stratplan.__main__`)."""
    return subprocess.run(
        [sys.executable, "-m", "stratplan", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )


def modules_after(*args: str) -> set[str]:
    """The modules loaded once the program has run with `args`, in a fresh interpreter."""
    code = (
        "import json, sys\n"
        f"sys.argv = ['stratplan', *{list(args)!r}]\n"
        "from stratplan.__main__ import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write('\\nMODULES ' + json.dumps(sorted(sys.modules)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    marker = proc.stderr.rindex("MODULES ")
    return set(json.loads(proc.stderr[marker + len("MODULES "):]))


def packages(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


@pytest.mark.parametrize(
    "args", [("--version",), ("rules",), ("explain", "SP103"), ("explain", "sp301")]
)
def test_quick_answers_are_the_clis(args: tuple[str, ...]) -> None:
    quick, cli = program(*args), run_cli(*args)
    assert quick.returncode == cli.returncode == 0
    assert quick.stdout == cli.stdout
    assert quick.stdout.strip()


def test_an_unknown_rule_is_the_clis_to_refuse() -> None:
    proc = program("explain", "SP999")
    assert proc.returncode == 2
    assert "no rule 'SP999'" in proc.stderr


@pytest.mark.parametrize("args", [("--version",), ("rules",), ("explain", "SP103")])
def test_quick_answers_import_neither_typer_nor_the_model(args: tuple[str, ...]) -> None:
    loaded = modules_after(*args)
    assert not packages(loaded) & {"typer", "click", "pydantic", "jinja2", "docx", "lxml"}
    assert not {m for m in loaded if m.startswith("stratplan.model")}


@pytest.mark.parametrize(
    ("args", "needed", "not_needed"),
    [
        (("validate", "plans/2028-2031"), {"pydantic"}, {"docx", "lxml", "jinja2"}),
        (("fmt", "--check", "plans/2028-2031"), {"ruamel"}, {"docx", "lxml", "jinja2"}),
        (
            ("render", "plans/2028-2031", "-f", "md", "-o", "/dev/stdout"),
            {"jinja2"},
            {"docx", "lxml"},
        ),
        (("export", "plans/2028-2031"), {"pydantic"}, {"docx", "lxml", "jinja2"}),
    ],
    ids=["validate", "fmt", "render-md", "export"],
)
def test_commands_import_only_the_writers_they_use(
    args: tuple[str, ...], needed: set[str], not_needed: set[str]
) -> None:
    loaded = packages(modules_after(*args))
    assert needed <= loaded  # the command did its work
    assert not loaded & not_needed, sorted(loaded & not_needed)
