"""Diagnostics: every problem with the input, as plain data with a source location; the one
error a user can cause (`StratplanError`), and the one result every command returns."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_ERROR = 2


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True, slots=True)
class Location:
    """A 1-based position in a source file; line and column are 0 when unknown."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column or 1}"
        return self.file


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    location: Location | None = None
    hint: str = ""
    # I/O and usage problems (missing path, unreadable file) exit 2, not 1.
    io: bool = False
    # Where in the (merged) plan's data the problem is, when known: ("targets", 3, "goal").
    path: tuple[str | int, ...] = ()
    # What the finding is about, independent of lines (the address of its item, or the text of
    # its line): a baseline file recognises a finding by its code, file and subject.
    subject: str = ""

    def with_severity(self, severity: Severity) -> Diagnostic:
        return replace(self, severity=severity)

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        if loc is None:
            return ("", 0, 0, self.code)
        return (loc.file, loc.line, loc.column, self.code)


class StratplanError(Exception):
    """Everything a user can cause, bad input or a bad argument: one error, carrying its
    diagnostics. Exit status 2 when one of them is a usage or I/O problem, else 1."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("; ".join(d.message for d in diagnostics))

    @property
    def exit_code(self) -> int:
        return EXIT_ERROR if any(d.io for d in self.diagnostics) else EXIT_PROBLEMS


def usage_error(message: str, where: str = "", hint: str = "") -> StratplanError:
    """A bad argument: SP010, exit status 2."""
    return StratplanError([Diagnostic("SP010", Severity.ERROR, message,
                                      Location(where) if where else None, hint, io=True)])


@dataclass
class Result:
    """What a command did, in one shape for every command: the files it wrote, its text for
    standard output, what it found, and the exit status that makes."""

    written: list[Path] = field(default_factory=list)
    text: str | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    checked: int = 0  # the plans, contributions or files looked at
    # Findings left out because a baseline file accepts them (`validate --baseline`).
    baselined: int = 0
    # The lowest severity that makes the exit status 1 (the config's `fail-on`); None: errors.
    fail_on: str | None = None

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    def exit_code(self, fail_on: str | None = None) -> int:
        """0 clean, 1 problems at or above `fail_on` (else the result's own, else errors), 2
        for usage or I/O problems."""
        if any(d.io for d in self.diagnostics):
            return EXIT_ERROR
        threshold = Severity(fail_on or self.fail_on or "error").rank
        if any(d.severity.rank >= threshold for d in self.diagnostics):
            return EXIT_PROBLEMS
        return EXIT_OK


# Folders shown by another name: a git revision's files, read into a snapshot folder, are
# named as `git show` takes them ("cwg-4:plans/2028-2031/goals.yaml").
_NAMED_FOLDERS: dict[str, str] = {}


def name_folder(folder: Path | str, prefix: str) -> None:
    """Show the paths under `folder` as `prefix` and their path from it."""
    for form in {os.path.abspath(folder), os.path.realpath(folder)}:
        _NAMED_FOLDERS[form.rstrip(os.sep) + os.sep] = prefix


def display_path(path: Path | str) -> str:
    """Paths relative to the working directory when below it, as linters print them."""
    # abspath, not resolve(): a symlink is named as the user named it, and a symlink loop
    # cannot raise here.
    absolute = os.path.abspath(path)
    if _NAMED_FOLDERS:
        for folder, prefix in _NAMED_FOLDERS.items():
            if absolute.startswith(folder) or absolute + os.sep == folder:
                inside = absolute[len(folder):].replace(os.sep, "/")
                return prefix + (inside or ".")
    cwd = os.getcwd()
    if absolute == cwd or absolute.startswith(cwd.rstrip(os.sep) + os.sep):
        return os.path.relpath(absolute, cwd)
    return str(path)


def shorten(text: str, size: int = 60) -> str:
    """Text quoted in a message or a heading: its words, cut at a word within `size`
    characters, with " …" when cut."""
    words = " ".join(text.split())
    return words if len(words) <= size else words[:size].rsplit(" ", 1)[0] + " …"
