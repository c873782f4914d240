"""Formatters over one list of diagnostics: text, json, github annotations, SARIF 2.1.0."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from stratplan import __version__
from stratplan.checks import all_rules
from stratplan.diagnostics import Diagnostic, Severity

DOCS_URL = "https://github.com/stratplan/stratplan/blob/main/README.md#rules"


def _summary(diagnostics: list[Diagnostic], checked: int) -> str:
    counts = {s: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
    parts = [
        f"{counts[Severity.ERROR]} error{'s' if counts[Severity.ERROR] != 1 else ''}",
        f"{counts[Severity.WARNING]} warning{'s' if counts[Severity.WARNING] != 1 else ''}",
        f"{counts[Severity.INFO]} info",
    ]
    plans = f"{checked} plan{'s' if checked != 1 else ''}"
    return f"{', '.join(parts)} in {plans}"


def format_text(diagnostics: list[Diagnostic], checked: int, color: bool = False) -> str:
    lines: list[str] = []
    current = None
    for d in diagnostics:
        file = d.location.file if d.location else "(no file)"
        if file != current:
            if current is not None:
                lines.append("")
            lines.append(file)
            current = file
        where = ""
        if d.location and d.location.line:
            where = f"{d.location.line}:{d.location.column or 1}"
        label = d.severity.value
        if color:
            code = {"error": "31", "warning": "33", "info": "36"}[label]
            label = f"\x1b[{code}m{label}\x1b[0m"
        lines.append(f"  {where:<9} {label:<7} {d.code}  {d.message}")
        if d.hint:
            lines.append(f"  {'':<9} {'':<7}        hint: {d.hint}")
    if lines:
        lines.append("")
    lines.append(_summary(diagnostics, checked))
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


def format_json(diagnostics: list[Diagnostic], checked: int) -> str:
    counts = {s.value: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
    payload = {
        "plans": checked,
        "counts": counts,
        "diagnostics": [_as_dict(d) for d in diagnostics],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


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
                        "informationUri": DOCS_URL,
                        "rules": [
                            {
                                "id": r.code,
                                "name": r.name,
                                "shortDescription": {"text": r.title},
                                "fullDescription": {"text": r.doc()},
                                "helpUri": f"{DOCS_URL}",
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
    return json.dumps(sarif, indent=2, ensure_ascii=False)


def render_report(fmt: str, diagnostics: Iterable[Diagnostic], checked: int) -> str:
    items = list(diagnostics)
    if fmt == "json":
        return format_json(items, checked)
    if fmt == "github":
        return format_github(items)
    if fmt == "sarif":
        return format_sarif(items)
    return format_text(items, checked)
