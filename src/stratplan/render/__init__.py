"""Rendering: a plan through the templates (`environment`) into markup, parsed into the document
IR (`markup`). Writing the IR out is `stratplan.writers`."""

from __future__ import annotations

from pathlib import Path

from jinja2 import TemplateError
from jinja2.exceptions import SecurityError

from stratplan import ir
from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path
from stratplan.model.plan import Plan
from stratplan.render.environment import render_markup
from stratplan.render.markup import MarkupError, parse_markup


def template_problem(message: str, where: str) -> StratplanError:
    return StratplanError(
        [Diagnostic("SP020", Severity.ERROR, message, Location(where), io=True)]
    )


def render_ir(plan: Plan, template_dir: Path | None = None) -> ir.Document:
    """The plan's document as IR (templates, then the markup parser)."""
    where = display_path(template_dir) if template_dir else "templates"
    try:
        markup = render_markup(plan, template_dir)
    except SecurityError as exc:
        raise template_problem(f"template refused by the sandbox: {exc}", where) from None
    except TemplateError as exc:
        name = getattr(exc, "filename", None) or getattr(exc, "name", None) or where
        line = getattr(exc, "lineno", None)
        where = f"{name}:{line}" if line else str(name)
        raise template_problem(f"template error: {exc}", where) from None
    try:
        return parse_markup(markup)
    except MarkupError as exc:
        raise template_problem(str(exc), where) from None
