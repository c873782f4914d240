"""The Jinja2 environment: sandboxed, autoescaped, strict; and what the templates are given.

Templates turn a plan into the document markup (see `markup.py`). Display numbers (Goal 1,
Target 1.2, outcome 3), R.1-a) come from `stratplan.model.numbers`, never from the plan.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
)
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from stratplan.model.finance import compute_resources, format_amount, format_percent
from stratplan.model.numbers import compute_numbers, letters
from stratplan.model.plan import FOOTNOTE_REF, Para, Plan
from stratplan.templates import search_path


def inline(text: str | None) -> Markup:
    """Plan text as markup: escaped, with `[^id]` footnote references as <fn/> elements."""
    if text is None:
        return Markup("")
    out = []
    last = 0
    for match in FOOTNOTE_REF.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(Markup('<fn id="{}"/>').format(match.group(1)))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def cell_comments(table: Any) -> dict[str, list[Any]]:
    """Where the comments of a plain table go: "h<i>" (header cell i), "r<j>c<i>" (cell i of
    row j) or "caption". A comment with an `anchor` goes on the first cell whose text holds
    it (header cells first), as a comment on a cell in Word; one without goes on the caption,
    or on the first cell when the table has none."""
    cells: list[tuple[str, str]] = [(f"h{i}", str(c)) for i, c in enumerate(table.columns)]
    for j, row in enumerate(table.rows):
        cells += [(f"r{j}c{i}", as_para(cell).text) for i, cell in enumerate(row)]
    out: dict[str, list[Any]] = {}
    for comment in table.comments:
        where = "caption" if table.title else (cells[0][0] if cells else "caption")
        if comment.anchor:
            where = next((k for k, text in cells if comment.anchor in text), where)
        out.setdefault(where, []).append(comment)
    return out


def as_para(value: Any) -> Para:
    return value if isinstance(value, Para) else Para(text=str(value))


class Index:
    """`by_attr(items, "goal", id)` for templates, from an index built once per list and
    attribute: filtering every list in a loop over another would be quadratic."""

    def __init__(self) -> None:
        self._indexes: dict[tuple[int, str], tuple[list[Any], dict[Any, list[Any]]]] = {}

    def __call__(self, items: list[Any], attribute: str, value: Any) -> list[Any]:
        key = (id(items), attribute)
        entry = self._indexes.get(key)
        if entry is None or entry[0] is not items:
            groups: dict[Any, list[Any]] = {}
            for item in items:
                groups.setdefault(getattr(item, attribute), []).append(item)
            entry = (items, groups)
            self._indexes[key] = entry
        return entry[1].get(value, [])


def _bytecode_cache() -> FileSystemBytecodeCache | None:
    """Compiled templates kept between runs (keyed by each template's source checksum): a
    render spends ~0.4 s compiling them otherwise. None where no cache folder can be made."""
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(root, "stratplan", "jinja")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK):
        return None
    return FileSystemBytecodeCache(folder)


@functools.lru_cache(maxsize=8)
def make_environment(
    framework: str, template_dir: Path | None = None
) -> ImmutableSandboxedEnvironment:
    """One environment per render: the user's directory first, then the framework's, then common.

    Sandboxed, so that a `--template-dir` template cannot reach Python internals; autoescaped,
    so that plan text such as `<b>` or `{{ }}` is data in the output, never markup or code.
    """
    search = search_path(framework, template_dir)
    env = ImmutableSandboxedEnvironment(
        loader=ChoiceLoader([FileSystemLoader(str(p)) for p in search]),
        bytecode_cache=_bytecode_cache(),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["inline"] = inline
    env.filters["para"] = as_para
    env.filters["cell_comments"] = cell_comments
    env.filters["amount"] = format_amount
    env.filters["percent"] = format_percent
    env.filters["letter"] = letters
    return env


def render_markup(plan: Plan, template_dir: Path | None = None) -> str:
    """Run the templates over the plan; returns the document markup (XML text)."""
    env = make_environment(plan.plan.framework, template_dir)
    template = env.get_template("document.xml.j2")
    context = {
        "plan": plan,
        "meta": plan.plan,
        "n": compute_numbers(plan),
        "resources": compute_resources(plan),
        "date": plan.plan.document_date,
        "tables": {t.id: t for t in plan.tables},
        "sectors": {s.id: s for s in plan.sectors},
        "goals_by_id": {g.id: g for g in plan.goals},
        "by_attr": Index(),
    }
    return template.render(**context)


__all__ = ["TemplateError", "inline", "make_environment", "render_markup"]
