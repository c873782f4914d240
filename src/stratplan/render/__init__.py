"""Rendering: a plan through the templates (`environment`) into markup, parsed into the document
IR (`markup`). Writing the IR out is `stratplan.writers`.

Every way a template can fail (a syntax error, an undefined name, an exception of its own, a
bound of the run, markup the parser refuses) is a StratplanError SP020 naming the template file
and line: from Jinja's traceback for an error raised while a template runs, and, for bad
markup, from a second, traced render that marks every piece of output with the template line
that wrote it.
"""

from __future__ import annotations

import re
import traceback
import xml.etree.ElementTree as ET
from pathlib import Path

from jinja2 import TemplateSyntaxError
from jinja2.exceptions import SecurityError

from stratplan import ir
from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path
from stratplan.model.plan import Plan
from stratplan.render.environment import MARK, TemplateLimit, render_markup
from stratplan.render.markup import MarkupError, markup_document, parse_markup

TEMPLATE_SUFFIX = ".j2"


def template_problem(message: str, where: Location | str) -> StratplanError:
    location = where if isinstance(where, Location) else Location(where)
    return StratplanError([Diagnostic("SP020", Severity.ERROR, message, location, io=True)])


def render_ir(plan: Plan, template_dir: Path | None = None) -> ir.Document:
    """The plan's document as IR (templates, then the markup parser)."""
    where = display_path(template_dir) if template_dir else "templates"
    try:
        markup = render_markup(plan, template_dir)
    except StratplanError:
        raise
    except Exception as exc:  # a template is code: whatever it raises is its failure
        raise template_problem(_describe(exc), _raised_at(exc) or Location(where)) from None
    try:
        return parse_markup(markup)
    except MarkupError as exc:
        located = _markup_origin(plan, template_dir, markup, exc)
        raise template_problem(str(exc), located or Location(where)) from None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TemplateSyntaxError):
        return f"template syntax error: {exc.message}"
    if isinstance(exc, SecurityError):
        return f"template refused by the sandbox: {exc}"
    if isinstance(exc, TemplateLimit):
        return f"template stopped: {exc}"
    if isinstance(exc, RecursionError):
        return "template error: macros or includes call themselves without end"
    if isinstance(exc, MemoryError):
        return "template error: out of memory"
    text, name = str(exc), type(exc).__name__
    return f"template error: {name}: {text}" if text else f"template error: {name}"


def _raised_at(exc: BaseException) -> Location | None:
    """The template file and line an exception came from: its own for a syntax error, else
    the innermost template frame of the traceback (Jinja rewrites template frames so that they
    carry the template's file name and line)."""
    if isinstance(exc, TemplateSyntaxError) and (exc.filename or exc.name):
        return Location(display_path(exc.filename or exc.name or ""), exc.lineno or 0)
    frames = [
        f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(TEMPLATE_SUFFIX)
    ]
    if not frames:
        return None
    frame = frames[-1]
    return Location(display_path(frame.filename), frame.lineno or 0)


# --- where bad markup came from ------------------------------------------------------------

_PIECE = re.compile(f"{MARK}([^{MARK}]*){MARK}")


def _pieces(traced: str) -> list[tuple[str, str, int, str]]:
    """The traced markup as (text, template file, line, kind) pieces, in order."""
    out: list[tuple[str, str, int, str]] = []
    parts = _PIECE.split(traced)
    origin = ("", 0, "e")
    if parts[0]:
        out.append((parts[0], *origin))
    for index in range(1, len(parts), 2):
        file, line, kind = parts[index].split("\x1f")
        origin = (file, int(line), kind)
        if parts[index + 1]:
            out.append((parts[index + 1], *origin))
    return out


def _lines(piece: tuple[str, str, int, str]) -> list[tuple[str, Location]]:
    """A piece split at its line breaks, each part with its template line (template text
    counts its own line breaks; an expression's value is all on the expression's line)."""
    text, file, line, kind = piece
    if kind != "d":
        return [(text, Location(display_path(file), line))]
    parts = text.splitlines(keepends=True)
    return [(part, Location(display_path(file), line + n)) for n, part in enumerate(parts)]


def _markup_origin(
    plan: Plan, template_dir: Path | None, markup: str, error: MarkupError
) -> Location | None:
    """The template line that wrote the markup `error` is about, from a traced render; None
    where the traced render does not give the same markup (or fails itself)."""
    try:
        pieces = _pieces(render_markup(plan, template_dir, traced=True))
    except Exception:
        return None
    if "".join(p[0] for p in pieces) != markup:
        return None
    parts = [part for piece in pieces for part in _lines(piece)]
    if error.position is not None:
        line, column = error.position
        offset = sum(len(x) for x in markup.splitlines(keepends=True)[: line - 1]) + column
        seen = 0
        for text, location in parts:
            if seen + len(text) > offset:
                return location
            seen += len(text)
        return parts[-1][1] if parts else None
    if error.element is None:
        return None
    # Parse again, a part at a time: an element is written where its start tag ended.
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start",))
    origins: dict[int, tuple[ET.Element, Location]] = {}
    root: ET.Element | None = None
    try:
        for text, location in parts:
            parser.feed(text)
            for event in parser.read_events():
                element = event[-1]
                if isinstance(element, ET.Element):
                    root = element if root is None else root
                    origins[id(element)] = (element, location)
        parser.close()
    except ET.ParseError:
        return None
    if root is None:
        return None
    try:
        markup_document(root)
    except MarkupError as again:
        if again.element is not None and id(again.element) in origins:
            return origins[id(again.element)][1]
    return None
