"""In-place suppressions: `# stratplan: ignore[SP301] reason` silences findings on its line, or
anywhere on the lines of the item the finding is about."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from stratplan.diagnostics import Diagnostic, Location, Severity

SUPPRESS_RE = re.compile(r"#\s*stratplan:\s*ignore\[([A-Za-z0-9 ,]*)\]\s*(.*)$")


@dataclass
class Suppression:
    file: str
    comment_line: int
    target_line: int
    codes: tuple[str, ...]
    reason: str
    used: set[str] = field(default_factory=set)


def find_suppressions(file: str, text: str) -> list[Suppression]:
    """A trailing comment covers its own line; a comment on a line of its own covers the next
    line that is neither blank nor a comment."""
    lines = text.splitlines()
    found: list[Suppression] = []
    for index, line in enumerate(lines):
        match = SUPPRESS_RE.search(line)
        if not match:
            continue
        codes = tuple(c.strip().upper() for c in match.group(1).split(",") if c.strip())
        reason = match.group(2).strip()
        target = index
        if line.lstrip().startswith("#"):
            target = index + 1
            while target < len(lines) and (
                not lines[target].strip() or lines[target].lstrip().startswith("#")
            ):
                target += 1
        found.append(Suppression(file, index + 1, target + 1, codes, reason))
    return found


def apply_suppressions(
    diagnostics: list[Diagnostic],
    suppressions: list[Suppression],
    extent: Callable[[Diagnostic], set[int]] | None = None,
) -> list[Diagnostic]:
    """The diagnostics no suppression silences, then SP901/SP902 for the suppressions.

    A suppression silences a finding of its codes on the line it covers; with `extent` (the
    lines of the item a finding is about, in the finding's file), also a finding whose item
    takes that line: `baseline: {year: 2024}  # stratplan: ignore[SP301] ...` silences the
    SP301 reported on the indicator's `- id:` line."""
    by_line: dict[tuple[str, int], list[Suppression]] = {}
    by_file: dict[str, list[Suppression]] = {}
    for s in suppressions:
        by_line.setdefault((s.file, s.target_line), []).append(s)
        by_file.setdefault(s.file, []).append(s)
    kept: list[Diagnostic] = []
    for diagnostic in diagnostics:
        loc = diagnostic.location
        silenced = False
        if loc is not None and loc.line:
            for s in by_line.get((loc.file, loc.line), []):
                if diagnostic.code in s.codes:
                    s.used.add(diagnostic.code)
                    silenced = True
            if not silenced and extent is not None:
                candidates = [s for s in by_file.get(loc.file, []) if diagnostic.code in s.codes]
                lines = extent(diagnostic) if candidates else set()
                for s in candidates:
                    if s.target_line in lines:
                        s.used.add(diagnostic.code)
                        silenced = True
        if not silenced:
            kept.append(diagnostic)
    for s in suppressions:
        where = Location(s.file, s.comment_line, 1)
        unused = [c for c in s.codes if c not in s.used]
        if unused or not s.codes:
            kept.append(
                Diagnostic(
                    "SP901",
                    Severity.WARNING,
                    f"suppression of {', '.join(unused) or 'nothing'} silences nothing on line "
                    f"{s.target_line}",
                    where,
                    "remove it, or move it to a line of the item the finding is about",
                )
            )
        if not s.reason:
            kept.append(
                Diagnostic(
                    "SP902",
                    Severity.WARNING,
                    "suppression gives no reason",
                    where,
                    "write why after the bracket: # stratplan: ignore[SP301] reason",
                )
            )
    return kept
