"""The Jinja2 environment: sandboxed, autoescaped, strict, bounded; and what the templates are
given.

Templates turn a plan into the document markup (see `markup.py`). Display numbers (Goal 1,
Target 1.2, outcome 3), R.1-a) come from `stratplan.model.numbers`, never from the plan.

A `--template-dir` template is the user's code, so its run is bounded: a template file must lie
inside its folder (a symlink out of it is refused), must be UTF-8, and a render may take
`MAX_SECONDS`, iterate `MAX_RANGE_ITEMS` items of `range()` in all, make strings or lists of
at most `MAX_MARKUP_CHARS` with `*` (and numbers of `MAX_POWER_BITS` with `**`), and write at
most `MAX_MARKUP_CHARS` of markup. Past a bound, the render stops with `TemplateLimit`.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
import posixpath
import signal
import threading
import time
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any, cast

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    nodes,
)
from jinja2.compiler import CodeGenerator, Frame
from jinja2.loaders import split_template_path
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from stratplan import keys
from stratplan.formats import primary_language
from stratplan.model.address import join as join_address
from stratplan.model.finance import compute_resources
from stratplan.model.numbers import compute_numbers, letters
from stratplan.model.plan import FOOTNOTE_REF, Para, Plan
from stratplan.render.labels import labels_for
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


# --- bounds ----------------------------------------------------------------------------

MAX_SECONDS = 60.0  # the 100x synthetic plan takes about 1 s
MAX_RANGE_ITEMS = 1_000_000  # items of every range() of one render together
MAX_MARKUP_CHARS = 100_000_000  # the 100x synthetic plan makes 8 million
MAX_POWER_BITS = 10_000


class TemplateLimit(TemplateError):
    """A template went past one of the bounds of a render."""


class _Run:
    """The bounds of one render, shared by every template and macro it runs."""

    def __init__(self) -> None:
        self.deadline = time.monotonic() + MAX_SECONDS
        self.range_items = 0
        self.checks = 0

    def check_time(self) -> None:
        self.checks += 1
        if self.checks % 64 == 0 and time.monotonic() > self.deadline:
            raise TemplateLimit(f"the templates ran for more than {MAX_SECONDS:g} s")


_RUN: contextvars.ContextVar[_Run | None] = contextvars.ContextVar("stratplan_run", default=None)


def _current() -> _Run:
    run = _RUN.get()
    if run is None:  # a template rendered outside render_markup (tests): fresh bounds
        run = _Run()
        _RUN.set(run)
    return run


def bounded_range(*args: int) -> Iterator[int]:
    """`range()` for templates: every item counts against the render's MAX_RANGE_ITEMS, so
    nested loops cannot run for hours (the sandbox bounds each range, not their product)."""
    items = range(*args)
    run = _current()
    if len(items) > MAX_RANGE_ITEMS - run.range_items:
        raise TemplateLimit(f"range() over more than {MAX_RANGE_ITEMS} items in one render")
    run.range_items += len(items)
    for item in items:
        run.check_time()
        yield item


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, str | bytes | list | tuple) else None


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox, with `*` and `**` bounded and a time check on every call."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                size = _size(sequence)
                if size is not None and isinstance(times, int) and size * times > MAX_MARKUP_CHARS:
                    raise TemplateLimit(f"`*` would make {size * times} items")
        elif (
            isinstance(left, int)
            and isinstance(right, int)
            and right > 0
            and abs(left) > 1
            and left.bit_length() * right > MAX_POWER_BITS
        ):
            raise TemplateLimit(f"`**` would make a number of more than {MAX_POWER_BITS} bits")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _current().check_time()
        return super().call(__context, __obj, *args, **kwargs)


@contextlib.contextmanager
def _alarm(run: _Run) -> Iterator[None]:
    """Stop a template that loops without calling anything (so without a time check) when
    the time is up: SIGALRM, where this is the main thread and no other alarm is set."""
    usable = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )
    if not usable:
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise TemplateLimit(f"the templates ran for more than {MAX_SECONDS:g} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, max(run.deadline - time.monotonic(), 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- the user's template folder ---------------------------------------------------------


class FolderLoader(BaseLoader):
    """Templates from one folder, each a UTF-8 file inside it: a symlink that leads out of the
    folder, or a file that is not UTF-8, is a TemplateSyntaxError naming the file."""

    def __init__(self, folder: Path) -> None:
        self.folder = str(folder)
        self.root = os.path.realpath(folder)

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        filename = posixpath.join(self.folder, *split_template_path(template))
        if not os.path.isfile(filename):
            raise TemplateNotFound(template)
        shown = os.path.normpath(filename)
        real = os.path.realpath(filename)
        if os.path.commonpath([self.root, real]) != self.root:
            raise TemplateSyntaxError(
                f"{template} links out of the template folder (to {real})", 1, template, shown
            )
        try:
            with open(real, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise TemplateSyntaxError(
                f"cannot read {template}: {exc.strerror or exc}", 1, template, shown
            ) from None
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise TemplateSyntaxError(
                f"{template} is not UTF-8 (byte 0x{data[exc.start]:02x})", line, template, shown
            ) from None
        mtime = os.path.getmtime(real)
        return source, shown, lambda: _mtime(real) == mtime


def _mtime(path: str) -> float | None:
    try:
        return os.path.getmtime(path)
    except OSError:
        return None


# --- tracing: which template line wrote each piece of markup ------------------------------

MARK = "\x00"  # never in the markup otherwise: plan text and template files cannot hold it


class _TracingCodeGenerator(CodeGenerator):
    """Compiles templates so that every piece of output is preceded by a mark naming the
    template file and line that wrote it (`\\x00file\\x1fline\\x1fkind\\x00`; kind d for
    template text, whose own line breaks count, e for the value of an expression). Used only
    to find where bad markup came from, after a render failed."""

    def visit_Output(self, node: nodes.Output, frame: Frame) -> None:
        where = self.filename or self.name or "<template>"
        for child in node.nodes:
            kind = "d" if isinstance(child, nodes.TemplateData) else "e"
            mark = nodes.TemplateData(f"{MARK}{where}\x1f{child.lineno}\x1f{kind}{MARK}")
            mark.set_lineno(child.lineno)
            piece = nodes.Output([mark, child])
            piece.set_lineno(child.lineno)
            super().visit_Output(piece, frame)


class _TracingSandbox(_Sandbox):
    code_generator_class = _TracingCodeGenerator


@functools.lru_cache(maxsize=8)
def make_environment(
    framework: str, template_dir: Path | None = None, traced: bool = False, language: str = "en"
) -> ImmutableSandboxedEnvironment:
    """One environment per render: the user's directory first, then the framework's, then common.
    `language`: the labels the templates print (`_()`), and how numbers and dates are written.

    Sandboxed, so that a `--template-dir` template cannot reach Python internals; autoescaped,
    so that plan text such as `<b>` or `{{ }}` is data in the output, never markup or code;
    bounded (see the module's docstring). `traced`: output marked with where it came from.
    """
    search = search_path(framework, template_dir)
    loaders: list[BaseLoader] = [
        FolderLoader(p) if p == template_dir else FileSystemLoader(str(p)) for p in search
    ]
    kind = _TracingSandbox if traced else _Sandbox
    env = kind(
        loader=ChoiceLoader(loaders),
        # Traced code differs from the normal code of the same source: never cached.
        bytecode_cache=None if traced else _bytecode_cache(),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.globals["range"] = bounded_range
    # Every key a template writes is built by stratplan.keys: `key("target", t.id, "row")`,
    # `subkey(base, "alt" ~ loop.index)`.
    env.globals["key"] = keys.key
    env.globals["subkey"] = keys.sub
    # and every address (`<value of="...">`) by stratplan.model.address: `address("targets",
    # t.id, "deadline")`.
    env.globals["address"] = join_address
    env.filters["inline"] = inline
    env.filters["para"] = as_para
    env.filters["cell_comments"] = cell_comments
    # Every label the templates print of their own goes through `_()`, in the document's
    # language (render.labels); numbers and dates are written in its conventions.
    labels = labels_for(primary_language(language), template_dir)
    env.globals["_"] = labels
    env.filters["amount"] = labels.amount
    env.filters["percent"] = labels.percent
    env.filters["localdate"] = labels.date
    env.filters["letter"] = letters
    return env


def render_markup(plan: Plan, template_dir: Path | None = None, traced: bool = False) -> str:
    """Run the templates over the plan; returns the document markup (XML text). Raises
    TemplateError (TemplateLimit past a bound), or whatever a template raised."""
    env = make_environment(plan.plan.framework, template_dir, traced, plan.plan.language)
    run = _Run()
    token = _RUN.set(run)
    try:
        with _alarm(run):
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
            pieces: list[str] = []
            size = 0
            output = cast(Generator[str, None, None], template.generate(**context))
            for piece in output:
                size += len(piece)
                try:
                    if size > MAX_MARKUP_CHARS:
                        raise TemplateLimit(
                            f"the templates wrote more than {MAX_MARKUP_CHARS} characters"
                        )
                    run.check_time()
                except TemplateLimit as exc:
                    # Raised inside the templates, so that it names the line they were at.
                    output.throw(exc)
                pieces.append(piece)
            return "".join(pieces)
    finally:
        _RUN.reset(token)


__all__ = [
    "MARK",
    "TemplateError",
    "TemplateLimit",
    "inline",
    "make_environment",
    "render_markup",
]
