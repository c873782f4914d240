"""Project configuration: `[tool.stratplan]` in pyproject.toml, or a stratplan.toml."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stratplan.diagnostics import Diagnostic, Location, Severity, display_path

SEVERITY_NAMES = ("error", "warning", "info", "off")


@dataclass(frozen=True)
class Setting:
    """A key of `[tool.stratplan]`: what it sets and what it takes (one of `choices`, or as
    `takes` says). The reference (docs/reference.md, `make docs`) lists these, and a key not
    among them is refused, so that a misspelt one does not pass unnoticed."""

    key: str
    meaning: str
    takes: str = ""
    choices: tuple[str, ...] = ()


SETTINGS: tuple[Setting, ...] = (
    Setting("stage", "The default of `validate --stage`: final makes square brackets and "
            "alternatives errors.", choices=("draft", "final")),
    Setting("fail-on", "The default of `validate --fail-on`: the lowest severity that makes "
            "the exit status 1.", choices=("error", "warning", "info")),
    Setting("reference-docx", "The house style of the Word (and PDF) output of render and "
            "diff, as `--reference-docx`.", takes="a .docx path, relative to the config file"),
    Setting("revision-author", "The author of every revision `diff` writes, as `--author`.",
            takes="a name"),
    Setting("revision-date", "The date of every revision `diff` writes, as `--date`.",
            takes='YYYY-MM-DD, or "today" for the clock\'s date'),
    Setting("rules", "Each rule's severity instead of its default, or off.",
            takes="a table: CODE = " + " | ".join(SEVERITY_NAMES)),
)
_SETTING = {s.key: s for s in SETTINGS}


@dataclass
class Config:
    # rule code -> "error" | "warning" | "info" | "off"
    rules: dict[str, str] = field(default_factory=dict)
    stage: str | None = None
    fail_on: str | None = None
    source: Path | None = None
    # The house style of render and diff (`reference-docx`, relative to the config file).
    reference_docx: Path | None = None
    # Who and when the revisions of `diff` are by (`revision-author`, `revision-date`:
    # YYYY-MM-DD, or "today" for the clock, asked for by name).
    revision_author: str | None = None
    revision_date: str | None = None

    def severity_for(self, code: str, default: Severity) -> Severity | None:
        setting = self.rules.get(code)
        if setting is None:
            return default
        if setting == "off":
            return None
        return Severity(setting)


def find_config(start: Path) -> Path | None:
    """The nearest stratplan.toml, or pyproject.toml with a [tool.stratplan] table."""
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "stratplan.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if "stratplan" in data.get("tool", {}):
                return pyproject
    return None


def load_config(path: Path | None) -> tuple[Config, list[Diagnostic]]:
    if path is None:
        return Config(), []
    where = Location(display_path(path))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return Config(), [
            Diagnostic("SP010", Severity.ERROR, f"cannot read config: {exc}", where, io=True)
        ]
    except tomllib.TOMLDecodeError as exc:
        return Config(), [
            Diagnostic("SP010", Severity.ERROR, f"invalid TOML: {exc}", where, io=True)
        ]
    table: dict[str, Any] = (
        data.get("tool", {}).get("stratplan", {}) if path.name == "pyproject.toml" else data
    )
    problems: list[Diagnostic] = []
    for key in table:
        if key not in _SETTING:
            close = difflib.get_close_matches(str(key).replace("_", "-"), _SETTING, n=1)
            problems.append(Diagnostic(
                "SP010", Severity.ERROR, f"unknown key `{key}`; the keys are "
                f"{', '.join(s.key for s in SETTINGS)}", where,
                hint=f"did you mean `{close[0]}`?" if close else "", io=True))
    rules: dict[str, str] = {}
    rules_table = table.get("rules") or {}
    if not isinstance(rules_table, dict):
        problems.append(
            Diagnostic("SP010", Severity.ERROR, "`rules` must be a table of CODE = severity",
                       where, io=True)
        )
        rules_table = {}
    for code, setting in rules_table.items():
        setting = str(setting).lower()
        if setting not in SEVERITY_NAMES:
            problems.append(
                Diagnostic(
                    "SP010",
                    Severity.ERROR,
                    f"rule {code}: severity must be one of {', '.join(sorted(SEVERITY_NAMES))}",
                    where,
                    io=True,
                )
            )
            continue
        rules[str(code).upper()] = setting
    stage = _choice(table, _SETTING["stage"], where, problems)
    fail_on = _choice(table, _SETTING["fail-on"], where, problems)
    reference = table.get("reference-docx")
    reference_docx = None
    if reference is not None:
        if isinstance(reference, str) and reference:
            reference_docx = path.parent / reference
        else:
            problems.append(
                Diagnostic("SP010", Severity.ERROR, "`reference-docx` must be a path",
                           where, io=True)
            )
    author = table.get("revision-author")
    if author is not None and (not isinstance(author, str) or not author.strip()):
        problems.append(Diagnostic("SP010", Severity.ERROR, "`revision-author` must be a name",
                                   where, io=True))
        author = None
    date = table.get("revision-date")
    if date is not None and not is_revision_date(str(date)):
        problems.append(Diagnostic("SP010", Severity.ERROR, "`revision-date` must be "
                                   f"YYYY-MM-DD or \"today\", not {date!r}", where, io=True))
        date = None
    config = Config(rules=rules, stage=stage, fail_on=fail_on, source=path,
                    reference_docx=reference_docx, revision_author=author,
                    revision_date=str(date) if date else None)
    return config, problems


def is_revision_date(text: str) -> bool:
    """A revision date as `--date` and `revision-date` take it: YYYY-MM-DD, or "today"."""
    return text == "today" or re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text) is not None


def _choice(
    table: dict[str, Any], setting: Setting, where: Location, problems: list[Diagnostic],
) -> str | None:
    value = table.get(setting.key)
    if value is None:
        return None
    if value not in setting.choices:
        problems.append(
            Diagnostic("SP010", Severity.ERROR, f"`{setting.key}` must be one of "
                       f"{', '.join(setting.choices)}, not {value!r}", where, io=True)
        )
        return None
    return str(value)
