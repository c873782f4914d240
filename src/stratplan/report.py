"""Formatters over one list of diagnostics: text (with a summary by rule), json, github
annotations, SARIF 2.1.0; and `printable`, which every message the tool prints goes through."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from stratplan import __version__, project_url
from stratplan.checks import all_rules, get_rule
from stratplan.diagnostics import Diagnostic, Severity

# What a terminal or a CI log viewer may execute or reorder instead of showing: C0 controls
# but tab and newline, DEL and C1 (U+0080-U+009F: some terminals take U+009B as ESC [), and
# the bidirectional overrides and isolates (text that reads other than it is: "Trojan source").
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                          "\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every character a terminal could execute or reorder written as an escape
    (`\\x1b`, `\\x9b`, `\\u202e`); tab and newline stay."""
    return _UNPRINTABLE.sub(_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _safe_json(payload: Any) -> str:
    """JSON with the same values, its C1 and bidi characters written as \\u escapes (json
    escapes C0 itself), so printing it is as safe as the text report."""
    return _UNPRINTABLE.sub(_json_escape, json.dumps(payload, indent=2, ensure_ascii=False))


def _summary(diagnostics: list[Diagnostic], checked: int, baselined: int = 0) -> str:
    counts = {s: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
    parts = [
        f"{counts[Severity.ERROR]} error{'s' if counts[Severity.ERROR] != 1 else ''}",
        f"{counts[Severity.WARNING]} warning{'s' if counts[Severity.WARNING] != 1 else ''}",
        f"{counts[Severity.INFO]} info",
    ]
    plans = f"{checked} plan{'s' if checked != 1 else ''}"
    accepted = f"; {baselined} accepted by the baseline, not shown" if baselined else ""
    return f"{', '.join(parts)} in {plans}{accepted}"


def by_rule(diagnostics: list[Diagnostic]) -> list[str]:
    """The findings counted by rule, most severe first, then most frequent (as `ruff
    --statistics`): one line per rule, so a new kind of finding stands out among many."""
    counts = Counter((d.severity, d.code) for d in diagnostics)
    if not counts:
        return []
    width = len(str(max(counts.values())))
    lines = ["Findings by rule:"]
    for (severity, code), count in sorted(
        counts.items(), key=lambda item: (-item[0][0].rank, -item[1], item[0][1])
    ):
        rule = get_rule(code)
        name = f"{rule.name}: {rule.title}" if rule is not None else ""
        lines.append(f"  {count:>{width}}  {code}  {severity.value:<7}  {name}".rstrip())
    return lines


def format_statistics(diagnostics: list[Diagnostic], checked: int, baselined: int = 0) -> str:
    """The summary by rule and the totals, without the findings themselves."""
    return "\n".join([*by_rule(diagnostics), _summary(diagnostics, checked, baselined)])


def format_text(
    diagnostics: list[Diagnostic], checked: int, color: bool = False, baselined: int = 0
) -> str:
    lines: list[str] = []
    current = None
    for d in diagnostics:
        file = d.location.file if d.location else "(no file)"
        if file != current:
            if current is not None:
                lines.append("")
            lines.append(printable(file))
            current = file
        where = ""
        if d.location and d.location.line:
            where = f"{d.location.line}:{d.location.column or 1}"
        label = d.severity.value
        if color:
            code = {"error": "31", "warning": "33", "info": "36"}[label]
            label = f"\x1b[{code}m{label}\x1b[0m"
        lines.append(f"  {where:<9} {label:<7} {d.code}  {printable(d.message)}")
        if d.hint:
            lines.append(f"  {'':<9} {'':<7}        hint: {printable(d.hint)}")
    if lines:
        lines.append("")
    # The summary by rule ends the listing only where it tells more than the listing's last
    # screen: with findings of several rules, or many of one.
    if len({d.code for d in diagnostics}) > 1 or len(diagnostics) > 10:
        lines += [*by_rule(diagnostics), ""]
    lines.append(_summary(diagnostics, checked, baselined))
    return "\n".join(lines)


def _as_dict(d: Diagnostic) -> dict[str, Any]:
    loc = d.location
    return {
        "code": d.code,
        "severity": d.severity.value,
        "message": d.message,
        "hint": d.hint or None,
        "file": loc.file if loc else None,
        "line": loc.line if loc and loc.line else None,
        "column": loc.column if loc and loc.column else None,
    }


def format_json(diagnostics: list[Diagnostic], checked: int, baselined: int = 0) -> str:
    counts = {s.value: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
    payload = {
        "plans": checked,
        "counts": counts,
        "by_rule": dict(sorted(Counter(d.code for d in diagnostics).items())),
        "baselined": baselined,
        "diagnostics": [_as_dict(d) for d in diagnostics],
    }
    return _safe_json(payload)


def _escape_data(text: str) -> str:
    return printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostics: list[Diagnostic]) -> str:
    """GitHub Actions workflow commands: ::error file=F,line=L,col=C,title=CODE::message."""
    command = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for d in diagnostics:
        props = []
        if d.location:
            props.append(f"file={_escape_property(d.location.file)}")
            if d.location.line:
                props.append(f"line={d.location.line}")
                props.append(f"col={d.location.column or 1}")
        props.append(f"title={_escape_property(d.code)}")
        message = d.message + (f" (hint: {d.hint})" if d.hint else "")
        lines.append(f"::{command[d.severity]} {','.join(props)}::{_escape_data(message)}")
    return "\n".join(lines)


def format_sarif(diagnostics: list[Diagnostic]) -> str:
    rules = all_rules()
    index = {r.code: i for i, r in enumerate(rules)}
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    results = []
    for d in diagnostics:
        result: dict[str, Any] = {
            "ruleId": d.code,
            "level": level[d.severity],
            "message": {"text": d.message + (f" Hint: {d.hint}" if d.hint else "")},
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        if d.location:
            physical: dict[str, Any] = {"artifactLocation": {"uri": d.location.file}}
            if d.location.line:
                physical["region"] = {
                    "startLine": d.location.line,
                    "startColumn": d.location.column or 1,
                }
            result["locations"] = [{"physicalLocation": physical}]
        results.append(result)
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "stratplan",
                        "version": __version__,
                        **_information_uri(),
                        "rules": [
                            {
                                "id": r.code,
                                "name": r.name,
                                "shortDescription": {"text": r.title},
                                "fullDescription": {"text": r.doc()},
                                **_help_uri(r.code),
                                "help": {"text": r.doc()},
                                "defaultConfiguration": {"level": level[r.severity]},
                            }
                            for r in rules
                        ],
                    }
                },
                "results": results,
            }
        ],
    }
    return _safe_json(sarif)


def _information_uri() -> dict[str, str]:
    # The repository's address where the package declares one ([project.urls]); none is
    # better than an address that does not exist.
    url = project_url()
    return {"informationUri": url} if url else {}


def _help_uri(code: str) -> dict[str, str]:
    # The rule's section of the generated rules page (docs/rules.md, `make docs`).
    url = project_url()
    return {"helpUri": f"{url.rstrip('/')}/blob/main/docs/rules.md#{code.lower()}"} if url else {}


def render_report(
    fmt: str,
    diagnostics: Iterable[Diagnostic],
    checked: int,
    baselined: int = 0,
    statistics: bool = False,
) -> str:
    items = list(diagnostics)
    if fmt == "json":
        return format_json(items, checked, baselined)
    if fmt == "github":
        return format_github(items)
    if fmt == "sarif":
        return format_sarif(items)
    if statistics:
        return format_statistics(items, checked, baselined)
    return format_text(items, checked, baselined=baselined)
