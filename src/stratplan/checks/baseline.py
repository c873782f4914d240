"""The baseline: a file of accepted findings, so that CI fails only on new ones.

A finding is recognised by its code, its file and a fingerprint of its subject (the address
of the item it is about, or the text of its line: `Diagnostic.subject`), never by its line:
moving lines, reordering items or editing other text keeps it accepted (docs/guide/validate.md,
"Many findings"). Counts make equal findings on one subject accepted as many times as recorded.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path

BASELINE_VERSION = 1


def fingerprint(d: Diagnostic) -> str:
    """What identifies a finding apart from where its lines are: its code and its subject (the
    address of the item it is about, or the text of its line), hashed."""
    subject = d.subject or d.message
    return hashlib.sha256(f"{d.code}\0{subject}".encode()).hexdigest()[:16]


def _baseline_file(d: Diagnostic, folder: Path) -> str:
    """The finding's file relative to the baseline's folder, so that the baseline works from
    any working directory."""
    if d.location is None:
        return ""
    return Path(os.path.relpath(os.path.abspath(d.location.file), folder)).as_posix()


def baseline_json(diagnostics: Iterable[Diagnostic], path: Path) -> str:
    """The baseline file accepting `diagnostics`: one entry per code, file and fingerprint,
    with a count and the message (for the reader; it is not matched)."""
    folder = Path(os.path.abspath(path)).parent
    entries: dict[tuple[str, str, str], dict[str, Any]] = {}
    for d in diagnostics:
        if d.io:
            continue
        key = (_baseline_file(d, folder), d.code, fingerprint(d))
        entry = entries.setdefault(
            key, {"code": d.code, "file": key[0], "fingerprint": key[2], "count": 0,
                  "message": d.message}
        )
        entry["count"] += 1
    payload = {
        "stratplan-baseline": BASELINE_VERSION,
        "findings": [entries[k] for k in sorted(entries)],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


@dataclass
class Baseline:
    """Accepted findings: (file, code, fingerprint) -> how many."""

    folder: Path
    accepted: Counter[tuple[str, str, str]] = field(default_factory=Counter)

    def split(self, diagnostics: list[Diagnostic]) -> tuple[list[Diagnostic], int]:
        """The findings the baseline does not accept (in order), and how many it accepted.
        Of several findings with one fingerprint, as many as the baseline counts are
        accepted; the others are new."""
        left = Counter(self.accepted)
        kept: list[Diagnostic] = []
        accepted = 0
        for d in diagnostics:
            key = (_baseline_file(d, self.folder), d.code, fingerprint(d))
            if not d.io and left[key] > 0:
                left[key] -= 1
                accepted += 1
            else:
                kept.append(d)
        return kept, accepted


def read_baseline(path: Path) -> Baseline:
    """A baseline file; StratplanError (SP010, exit 2) when it cannot be read or is not one."""
    where = Location(display_path(path))

    def refuse(reason: str) -> StratplanError:
        return StratplanError([
            Diagnostic("SP010", Severity.ERROR, f"baseline {reason}", where,
                       "write one with `stratplan validate ... --baseline FILE "
                       "--write-baseline`", io=True)
        ])

    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise refuse("file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise refuse(f"cannot be read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise refuse(f"is not JSON: {exc.msg} (line {exc.lineno})") from None
    if not isinstance(payload, dict) or payload.get("stratplan-baseline") != BASELINE_VERSION:
        raise refuse(f"is not a stratplan baseline (version {BASELINE_VERSION})")
    baseline = Baseline(Path(os.path.abspath(path)).parent)
    findings = payload.get("findings")
    if not isinstance(findings, list):
        raise refuse("has no `findings` list")
    for entry in findings:
        try:
            key = (str(entry["file"]), str(entry["code"]), str(entry["fingerprint"]))
            baseline.accepted[key] += int(entry.get("count", 1))
        except (KeyError, TypeError, ValueError):
            raise refuse(f"has an entry that is not a finding: {entry!r}") from None
    return baseline
