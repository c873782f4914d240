"""Render a plan: templates -> markup -> IR -> docx, html or markdown."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateError
from jinja2.exceptions import SecurityError

from stratplan import ir
from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path
from stratplan.markup import MarkupError, parse_markup
from stratplan.model import Plan
from stratplan.templating import render_markup

FORMATS = ("docx", "html", "md")


@dataclass(frozen=True)
class Rendered:
    data: bytes
    document: ir.Document


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


def encode(document: ir.Document, fmt: str) -> bytes:
    if fmt == "docx":
        from stratplan.docx import write_docx

        return write_docx(document)
    from stratplan.textout import write_html, write_markdown

    text = write_html(document) if fmt == "html" else write_markdown(document)
    return text.encode("utf-8")
