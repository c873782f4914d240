"""The rules as text (`stratplan rules`, `stratplan explain CODE`), read from the rule modules'
source without importing them.

Importing a rule module builds the plan model (0.2-0.3 s of pydantic); listing the rules needs
only what each `@register` class states: its code, name, title, severity and docstring. Those
are literals in the class body, so they are read with `ast`; tests/test_checks.py checks that
the catalogue says what the registered classes say.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from pathlib import Path

from stratplan.diagnostics import Severity

# The modules that define rules; `stratplan.checks.all_rules` imports the same list.
RULE_MODULES = (
    "chain",
    "changes",
    "drafting",
    "input",
    "lineage",
    "output",
    "references",
    "resources",
    "sdg",
    "smart",
    "translations",
)

__all__ = ["RULE_MODULES", "RuleEntry", "entries", "expand_doc", "explanation", "listing"]


@dataclass(frozen=True)
class RuleEntry:
    code: str
    name: str
    title: str
    severity: Severity
    doc: str


@functools.cache
def entries() -> tuple[RuleEntry, ...]:
    """Every rule, by code."""
    found: list[RuleEntry] = []
    folder = Path(__file__).parent
    for module in RULE_MODULES:
        tree = ast.parse((folder / f"{module}.py").read_text(encoding="utf-8"))
        found.extend(_entry(node) for node in tree.body if _registered(node))
    return tuple(sorted(found, key=lambda entry: entry.code))


def _registered(node: ast.stmt) -> bool:
    return isinstance(node, ast.ClassDef) and any(
        isinstance(d, ast.Name) and d.id == "register" for d in node.decorator_list
    )


def _entry(node: ast.stmt) -> RuleEntry:
    assert isinstance(node, ast.ClassDef)
    values: dict[str, ast.expr] = {}
    for statement in node.body:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
        ):
            values[statement.targets[0].id] = statement.value
    severity = values["severity"]
    # `severity = Severity.WARNING`
    if not isinstance(severity, ast.Attribute):
        raise ValueError(f"rule class {node.name}: severity is not Severity.<NAME>")
    return RuleEntry(
        code=_text(node, values, "code"),
        name=_text(node, values, "name"),
        title=_text(node, values, "title"),
        severity=Severity[severity.attr],
        doc=expand_doc(ast.get_docstring(node) or ""),
    )


def _text(node: ast.ClassDef, values: dict[str, ast.expr], field: str) -> str:
    value = values.get(field)
    if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
        raise ValueError(f"rule class {node.name}: {field} is not a string literal")
    return value.value


# A line of a rule's docstring that stands for a list made from the templates.
SHOW_KINDS = "{show-kinds}"


def expand_doc(doc: str) -> str:
    """A rule's docstring with its generated parts: `{show-kinds}` becomes, per framework,
    what a plan's `show:` can place (the packaged templates decide)."""
    if SHOW_KINDS not in doc:
        return doc
    from stratplan.templates import FRAMEWORKS, show_kinds

    lines = [
        f"- {framework}: " + ", ".join(k.usage() for k in show_kinds(framework).values())
        for framework in FRAMEWORKS
    ]
    return doc.replace(SHOW_KINDS, "\n".join(lines))


def explanation(code: str) -> str | None:
    """A rule's documentation (`stratplan explain`), or None when no rule has that code."""
    for entry in entries():
        if entry.code == code.upper():
            head = f"{entry.code} {entry.name} ({entry.severity.value}): {entry.title}"
            return f"{head}\n\n{entry.doc}"
    return None


def listing() -> str:
    """One line per rule: code, default severity, name and title (`stratplan rules`)."""
    return "\n".join(
        f"{entry.code}  {entry.severity.value:<7}  {entry.name:<28} {entry.title}"
        for entry in entries()
    )
