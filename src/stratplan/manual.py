"""The generated pages of the manual: docs/reference.md, docs/rules.md and docs/fields.md.

Each is made from the code that holds its facts: the commands and their options from the
typer app (`stratplan.cli`), the configuration keys from `config.SETTINGS`, the exit codes from
`diagnostics.EXIT_*`, the Word styles from `writers.docx.styles`, the rules from the registry
(code, default severity, docstring), the fields from the model (`tools.fieldref`). It reads
the CLI, so it sits above it in the layers. Generating twice gives the same pages;
tests/test_manual.py fails when one is stale:

    python -m stratplan.manual [ROOT]            (make docs) writes them under ROOT/docs/
    python -m stratplan.manual --check [ROOT]    exit 1 naming each stale page
"""

from __future__ import annotations

import enum
import inspect
import re
import sys
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stratplan import diagnostics
from stratplan.checks import Rule, all_rules
from stratplan.config import SETTINGS
from stratplan.tools.fieldref import markdown_cell, markdown_link, markdown_prose
from stratplan.writers.files import write_atomically

MAKE = "make docs"

# What each exit status means. The numbers are diagnostics.EXIT_*; a new one without a meaning
# here stops the generation (and so fails the test) rather than go undocumented.
EXIT_MEANINGS = {
    "EXIT_OK": "clean: no problem (for `validate`, none at or above `--fail-on`)",
    "EXIT_PROBLEMS": "problems in the input: findings at or above `--fail-on` (`validate`), a "
    "file that would change (`fmt --check`), a reviewed change left out (`import`), an error "
    "in the plan or a contribution (every other command, which then writes nothing)",
    "EXIT_ERROR": "usage or I/O error: a bad option, a missing or unreadable path, an output "
    "that would replace an input or cannot be written, a bad configuration; an internal error "
    "(a bug, reported in one line; `--debug` shows its traceback)",
}


def _banner(page: str) -> str:
    return (
        f"<!-- Generated from the code by `{MAKE}` (python -m stratplan.manual). Do not edit: "
        f"tests/test_manual.py fails when the code changes and {page} does not. -->"
    )


# --- commands ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """An argument or option of a command, as a reader of the reference needs it."""

    names: str  # "--format, -f", or "PATHS..." for an argument
    takes: str  # "text | json", "PATH", "" for a flag
    default: str
    meaning: str
    argument: bool
    required: bool


@dataclass(frozen=True)
class Command:
    name: str
    usage: str
    help: str
    params: tuple[Param, ...]

    @property
    def summary(self) -> str:
        return " ".join(self.help.split("\n\n", 1)[0].split())


def _plain_type(annotation: Any) -> tuple[Any, bool]:
    """The annotation without `| None`, and whether it is a list (repeatable)."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    if typing.get_origin(annotation) is list:
        return typing.get_args(annotation)[0], True
    return annotation, False


def _takes(annotation: Any) -> str:
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return " | ".join(str(member.value) for member in annotation)
    if typing.get_origin(annotation) is typing.Literal:
        return " | ".join(str(value) for value in typing.get_args(annotation))
    if annotation is bool:
        return ""
    names = {Path: "PATH", str: "TEXT", int: "INTEGER"}
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)).upper())


def _default(value: Any, is_flag: bool) -> str:
    if value is None or is_flag or value == []:
        return ""
    if isinstance(value, enum.Enum):
        value = value.value
    return f"`{value}`"


def _param(param: Any, hints: dict[str, Any]) -> Param:
    annotation, many = _plain_type(hints[param.name])
    argument = param.param_type_name == "argument"
    is_flag = bool(getattr(param, "is_flag", False))
    if argument:
        names = param.name.upper() + ("..." if many else "")
    else:
        names = ", ".join(f"`{o}`" for o in [*param.opts, *param.secondary_opts])
    takes = _takes(annotation)
    if many and not argument:
        takes += " (repeatable)"
    return Param(names, takes, _default(param.default, is_flag),
                 " ".join((param.help or "").split()), argument, bool(param.required))


def _usage(name: str, params: tuple[Param, ...]) -> str:
    words = ["stratplan", name]
    if any(not p.argument for p in params):
        words.append("[OPTIONS]")
    words += [p.names if p.required else f"[{p.names}]" for p in params if p.argument]
    return " ".join(words)


def commands() -> tuple[tuple[Param, ...], list[Command]]:
    """The app's own options, and every command, in the order the app declares them."""
    import typer

    from stratplan.cli import app

    group: Any = typer.main.get_command(app)
    found = []
    listed: list[tuple[str, Any]] = []
    for name, command in group.commands.items():
        # A group of commands (`translations`) is listed as its commands: `translations status`.
        inner = getattr(command, "commands", None)
        listed += [(f"{name} {sub}", c) for sub, c in inner.items()] if inner else [(name, command)]
    for name, command in listed:
        if getattr(command, "hidden", False):
            continue
        function = getattr(command.callback, "__wrapped__", command.callback)
        hints = typing.get_type_hints(function)
        params = tuple(_param(p, hints) for p in command.params if not getattr(p, "hidden", False))
        found.append(Command(name, _usage(name, params), inspect.cleandoc(command.help or ""),
                             params))
    main_hints = typing.get_type_hints(getattr(group.callback, "__wrapped__", group.callback))
    return tuple(_param(p, main_hints) for p in group.params), found


def _param_table(params: tuple[Param, ...]) -> list[str]:
    lines = ["| argument or option | takes | default | meaning |", "| --- | --- | --- | --- |"]
    for p in params:
        names = f"`{p.names}`" if p.argument else p.names
        takes = p.takes or "(a flag)"
        default = "(required)" if p.required and not p.argument else p.default
        lines.append(f"| {names} | {markdown_cell(takes)} | {default} | "
                     f"{markdown_cell(p.meaning)} |")
    return lines


def _commands_section() -> list[str]:
    main, found = commands()
    lines = [
        "## Commands",
        "",
        "```",
        "stratplan [--debug] [--version] COMMAND [OPTIONS] ARGUMENTS",
        "```",
        "",
        "Every command takes `--help`. Options of `stratplan` itself, before the command:",
        "",
        *_param_table(main),
        "",
        "| command | what it does |",
        "| --- | --- |",
        *(f"| {markdown_link(f'`{c.name}`', c.name.replace(' ', '-'))} | "
          f"{markdown_cell(c.summary)} |"
          for c in found),
    ]
    for command in found:
        lines += ["", f"### {command.name}", "", "```", command.usage, "```", "", command.help]
        if command.params:
            lines += ["", *_param_table(command.params)]
    return lines


# --- Word styles ----------------------------------------------------------------------------

TWIPS_PER_CM = 1440 / 2.54


def _look(style_id: str) -> str:
    """How the built-in definition of a style looks, read from its definition and the styles
    it is based on: "14 pt bold, caps, centred", "11 pt, hanging indent 1 cm"."""
    from stratplan.writers.docx.styles import FONT, STYLES, style_font

    specs = {spec.style_id: spec for spec in STYLES}
    chain, spec = [], specs.get(style_id)
    while spec is not None:
        chain.append(spec)
        spec = specs.get(spec.based_on) if spec.based_on else None
    ppr = "".join(s.ppr for s in chain if s.style_id != "Normal")
    rpr = "".join(s.rpr for s in chain if s.style_id != "Normal")
    size, bold = style_font(style_id)
    words = [f"{FONT} {size / 2:g} pt" if style_id == "Normal" else f"{size / 2:g} pt"]
    words += [word for word, mark in (("bold", bold), ("italic", "<w:i/>" in rpr),
                                      ("caps", "<w:caps/>" in rpr)) if mark]
    look = " ".join(words)
    if '<w:jc w:val="center"/>' in ppr:
        look += ", centred"
    if indent := re.search(r'<w:ind w:left="(\d+)" w:hanging="(\d+)"/>', ppr):
        left, hanging = (int(n) / TWIPS_PER_CM for n in indent.groups())
        look += f", hanging indent {hanging:.2g} cm" if hanging else f", indented {left:.2g} cm"
    return look


def _styles_section() -> list[str]:
    from stratplan.writers.docx.styles import PARAGRAPH_STYLES, STYLES

    names = {spec.style_id: spec.name for spec in STYLES}
    others = [spec for spec in STYLES if spec.style_id not in PARAGRAPH_STYLES.values()]
    lines = [
        "## Word styles",
        "",
        "The styles the Word output uses, which a `--reference-docx` document (or "
        "`reference-docx` in the configuration) may define: each is looked up in it by its Word "
        "name or its id, and the built-in definition is added where it lacks one "
        "([guide](guide/render.md#house-style-the-built-in-one-or---reference-docx)).",
        "",
        "| IR style | Word style id | Word style name | built in |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| `{ir}` | `{style_id}` | {names[style_id]} | {_look(style_id)} |"
              for ir, style_id in PARAGRAPH_STYLES.items()]
    lines += ["", "and " + ", ".join(f"`{spec.style_id}` ({spec.name}, a {spec.kind} style)"
                                     for spec in others) + "."]
    return lines


# --- configuration and exit codes -----------------------------------------------------------


def _configuration_section() -> list[str]:
    lines = [
        "## Configuration",
        "",
        "A command reads the nearest `stratplan.toml`, or `pyproject.toml` with a "
        "`[tool.stratplan]` table, in the plan's folder or a folder above it. In "
        "`pyproject.toml` the keys are under `[tool.stratplan]`, in `stratplan.toml` at the "
        "top. A command-line option wins over the file. A key that is not one of these, or a "
        "value it does not take, is an error (SP010, exit status 2).",
        "",
        "| key | takes | what it sets |",
        "| --- | --- | --- |",
    ]
    for setting in SETTINGS:
        takes = " | ".join(setting.choices) if setting.choices else setting.takes
        lines.append(f"| `{setting.key}` | {markdown_cell(takes)} | "
                     f"{markdown_cell(setting.meaning)} |")
    lines += [
        "",
        "For example:",
        "",
        "```toml",
        "[tool.stratplan]",
        'stage = "draft"',
        'fail-on = "warning"',
        'revision-author = "CWG-SFP Secretariat"',
        "",
        "[tool.stratplan.rules]",
        'SP301 = "info"',
        "```",
        "",
        "The environment: `STRATPLAN_SOFFICE` names the LibreOffice command for `-f pdf` "
        "(default: `soffice` or `libreoffice` on the `PATH`); compiled templates are cached "
        "under `$XDG_CACHE_HOME/stratplan/jinja` (default `~/.cache`), and rendering works "
        "without the cache where that folder cannot be written.",
    ]
    return lines


def exit_codes() -> list[tuple[int, str, str]]:
    """(status, constant name, meaning) of every diagnostics.EXIT_* constant."""
    found = []
    for name, value in vars(diagnostics).items():
        if name.startswith("EXIT_") and isinstance(value, int):
            if name not in EXIT_MEANINGS:
                raise ValueError(f"diagnostics.{name} has no meaning in manual.EXIT_MEANINGS")
            found.append((value, name, EXIT_MEANINGS[name]))
    return sorted(found)


def _exit_section() -> list[str]:
    lines = ["## Exit codes", "", "| status | | meaning |", "| --- | --- | --- |"]
    lines += [f"| {value} | `{name}` | {markdown_cell(meaning)} |" for value, name, meaning in
              exit_codes()]
    lines += [
        "",
        "An interrupted command (Ctrl-C) exits 130. Bad input never gives a traceback: every "
        "problem is a diagnostic with its rule code and its place (file, line and column; in "
        "a Word file, the section, paragraph or table). Outputs are written atomically, so a "
        "command that fails leaves no partial file and the previous output untouched.",
    ]
    return lines


def reference_page() -> str:
    lines = [
        "# Reference",
        "",
        _banner("this page"),
        "",
        "Every command with its options, the configuration, the exit codes and the Word "
        "styles, as the code declares them. The rules are in [rules.md](rules.md), the fields "
        "of a plan and of a contribution in [fields.md](fields.md); how to use them together, "
        "in the [guide](guide/README.md).",
        "",
        "- [Commands](#commands)",
        "- [Configuration](#configuration)",
        "- [Exit codes](#exit-codes)",
        "- [Word styles](#word-styles)",
        "",
        *_commands_section(),
        "",
        *_configuration_section(),
        "",
        *_exit_section(),
        "",
        *_styles_section(),
    ]
    return "\n".join(lines) + "\n"


# --- rules ----------------------------------------------------------------------------------


def _family(rule: type[Rule]) -> str:
    return rule.__module__.rsplit(".", 1)[-1]


def rules_page() -> str:
    rules = all_rules()
    lines = [
        "# Rules",
        "",
        _banner("this page"),
        "",
        "Every rule `stratplan validate` and the other commands report, with its default "
        "severity, in code order; `stratplan explain CODE` prints the same text. A rule's "
        "severity can be changed, or the rule turned off, in the configuration "
        "(`[tool.stratplan.rules]`, [reference](reference.md#configuration)); one finding is "
        "silenced in place by a comment with a reason (`# stratplan: ignore[SP301] why`, "
        "[guide](guide/validate.md#suppressing-one-finding)). *Family* is the module of "
        "`src/stratplan/checks/` that defines the rule.",
        "",
        "| code | severity | name | what | family |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {markdown_link(r.code, r.code.lower())} | {r.severity.value} | `{r.name}` | "
        f"{markdown_cell(r.title)} | {_family(r)} |"
        for r in rules
    ]
    for rule in rules:
        lines += ["", f"## {rule.code}", "",
                  f"`{rule.name}`, {rule.severity.value}: {markdown_prose(rule.title)}", "",
                  markdown_prose(rule.doc())]
    return "\n".join(lines) + "\n"


# --- the pages ------------------------------------------------------------------------------


def pages(root: Path) -> dict[Path, Callable[[], str]]:
    """Each generated page (relative to the repository `root`) and what makes it."""
    from stratplan.tools.fieldref import field_reference

    return {
        Path("docs/reference.md"): reference_page,
        Path("docs/rules.md"): rules_page,
        Path("docs/fields.md"): lambda: field_reference([root / "plans", root / "contributions"]),
    }


def stale_pages(root: Path) -> list[Path]:
    """The pages under `root` that differ from what the code generates now."""
    stale = []
    for path, make in pages(root).items():
        target = root / path
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current != make():
            stale.append(path)
    return stale


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    rest = [a for a in args if a != "--check"]
    root = Path(rest[0]) if rest else Path.cwd()
    if check:
        stale = stale_pages(root)
        for path in stale:
            print(f"{path} is out of date: run `{MAKE}` and commit it", file=sys.stderr)
        return 1 if stale else 0
    for path, make in pages(root).items():
        text = make()
        target = root / path
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            write_atomically(target, text.encode("utf-8"), ())
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
