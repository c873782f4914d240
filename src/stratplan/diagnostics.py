"""Diagnostics: every problem with the input, as plain data with a source location."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
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
    """An input problem that stops a stage; carries its diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("; ".join(d.message for d in diagnostics))


def display_path(path: Path | str) -> str:
    """Paths relative to the working directory when below it, as linters print them."""
    # abspath, not resolve(): a symlink is named as the user named it, and a symlink loop
    # cannot raise here.
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if absolute == cwd or absolute.startswith(cwd.rstrip(os.sep) + os.sep):
        return os.path.relpath(absolute, cwd)
    return str(path)


def shorten(text: str, size: int = 60) -> str:
    """Text quoted in a message or a heading: its words, cut at a word within `size`
    characters, with " …" when cut."""
    words = " ".join(text.split())
    return words if len(words) <= size else words[:size].rsplit(" ", 1)[0] + " …"
