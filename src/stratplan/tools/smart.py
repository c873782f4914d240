"""The SMART scorecard: which SMART elements the plan states, per target and per indicator.

Seed 002 asks that targets be SMART (specific, measurable, achievable, relevant, time-bound).
The scorecard shows a drafting group at a glance what each target and indicator states of it,
with a total per goal (and per thematic priority for outcome indicators) and per plan, and
compares two cycles (`smart OLD NEW`). It reads the same fields as rule SP301, which reports the
same gaps one by one.

The elements, and where each is expected:

- statement: the text (every row);
- indicators: a target measured through indicators has at least one (target rows); its other
  elements are stated on its indicators, as SP301 reads them;
- unit, data source, baseline value, baseline year, target value: the measure (indicators, and
  targets without indicators);
- deadline: its own, or its target's (not for outcome indicators, reported yearly);
- custodian and SDG code: only where relevant, an item that names an SDG indicator (its text
  says "SDG", or it gives a custodian or SDG codes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stratplan import ir, keys
from stratplan.model.numbers import compute_numbers
from stratplan.model.plan import Indicator, Plan, Smart, Target
from stratplan.writers.spreadsheet import csv_text

ELEMENTS: tuple[tuple[str, str], ...] = (
    ("S", "statement"),
    ("I", "indicators"),
    ("U", "unit"),
    ("D", "data source"),
    ("BV", "baseline value"),
    ("BY", "baseline year"),
    ("TV", "target value"),
    ("DL", "deadline"),
    ("C", "custodian"),
    ("SDG", "SDG code"),
)
# How a state is shown: stated, missing, not expected here.
MARKS = {"text": ("+", "-", ""), "md": ("✓", "✗", ""), "csv": ("yes", "no", ""),
         "doc": ("✓", "✗", "")}


@dataclass(frozen=True)
class Row:
    """One target or indicator: what it states of each element (None: not expected)."""

    kind: str  # "target", "indicator", "outcome indicator"
    id: str
    label: str  # "Target 1.1", "indicator"
    text: str
    states: tuple[bool | None, ...]

    @property
    def stated(self) -> int:
        return sum(1 for s in self.states if s)

    @property
    def expected(self) -> int:
        return sum(1 for s in self.states if s is not None)


@dataclass
class Group:
    """The rows of one goal (targets and their indicators) or one thematic priority (its
    outcomes' indicators)."""

    kind: str  # "goal" or "priority"
    id: str
    title: str
    rows: list[Row] = field(default_factory=list)

    @property
    def stated(self) -> int:
        return sum(r.stated for r in self.rows)

    @property
    def expected(self) -> int:
        return sum(r.expected for r in self.rows)


@dataclass
class Scorecard:
    period: str
    title: str
    groups: list[Group] = field(default_factory=list)

    @property
    def rows(self) -> list[Row]:
        return [r for g in self.groups for r in g.rows]

    @property
    def stated(self) -> int:
        return sum(g.stated for g in self.groups)

    @property
    def expected(self) -> int:
        return sum(g.expected for g in self.groups)

    def element_totals(self) -> list[tuple[int, int]]:
        """(stated, expected) of each element over the plan."""
        out = []
        for n in range(len(ELEMENTS)):
            states = [r.states[n] for r in self.rows if r.states[n] is not None]
            out.append((sum(1 for s in states if s), len(states)))
        return out


def _sdg_relevant(item: Smart, text: str) -> bool:
    return bool(item.sdg_indicators or item.custodian or "SDG" in text)


def _measure(item: Smart, deadline: int | None, expect_deadline: bool, text: str) -> list[
    bool | None
]:
    baseline = item.baseline
    relevant = _sdg_relevant(item, text)
    return [
        bool(item.unit),
        bool(item.data_source),
        bool(baseline is not None and baseline.value),
        bool(baseline is not None and baseline.year),
        bool(item.target_value),
        (deadline is not None) if expect_deadline else None,
        bool(item.custodian) if relevant else None,
        bool(item.sdg_indicators) if relevant else None,
    ]


def _target_row(target: Target, number: str) -> Row:
    if target.indicators:
        # Measured through its indicators: the target states its text and deadline.
        states: list[bool | None] = [bool(target.text.strip()), True]
        states += [None] * 5 + [target.deadline is not None, None, None]
    else:
        states = [bool(target.text.strip()), None]
        states += _measure(target, target.deadline, True, target.text)
    return Row("target", target.id, f"Target {number}", target.text, tuple(states))


def _indicator_row(indicator: Indicator, deadline: int | None, outcome: bool) -> Row:
    states: list[bool | None] = [bool(indicator.text.strip()), None]
    states += _measure(indicator, indicator.deadline or deadline, not outcome, indicator.text)
    kind = "outcome indicator" if outcome else "indicator"
    return Row(kind, indicator.id, kind, indicator.text, tuple(states))


def build_scorecard(plan: Plan) -> Scorecard:
    """The scorecard of one plan: its goals' targets and indicators, then its thematic
    priorities' outcome indicators."""
    numbers = compute_numbers(plan)
    card = Scorecard(plan.plan.period, plan.plan.title)
    for goal in plan.goals:
        group = Group("goal", goal.id, f"Goal {numbers.goal.get(goal.id, '')} – {goal.title}")
        for target in (t for t in plan.targets if t.goal == goal.id):
            group.rows.append(_target_row(target, numbers.target.get(target.id, "")))
            for indicator in target.indicators:
                group.rows.append(_indicator_row(indicator, target.deadline, outcome=False))
        if group.rows:
            card.groups.append(group)
    for priority in plan.priorities:
        group = Group("priority", priority.id,
                      f"Thematic priority {numbers.priority.get(priority.id, '')} – "
                      f"{priority.title}")
        for outcome in (o for o in plan.outcomes if o.priority == priority.id):
            for indicator in outcome.indicators:
                group.rows.append(_indicator_row(indicator, None, outcome=True))
        if group.rows:
            card.groups.append(group)
    return card


def _percent(stated: int, expected: int) -> str:
    return f"{round(100 * stated / expected)}%" if expected else "–"


def _score(stated: int, expected: int) -> str:
    return f"{stated}/{expected} ({_percent(stated, expected)})" if expected else "–"


# --- one plan: a table of cells ------------------------------------------------------------

Line = tuple[str, list[str]]  # (kind: "head", "group", "row", "total"), cells


def _lines(card: Scorecard, marks: tuple[str, str, str], long: bool) -> list[Line]:
    yes, no, na = marks
    head = ["Item", *(["Text"] if long else []), *(code for code, _ in ELEMENTS), "Score"]
    lines: list[Line] = [("head", head)]
    for group in card.groups:
        lines.append(("group", [group.title]))
        for row in group.rows:
            name = f"{row.label} {row.id}" if row.kind == "target" else f"  {row.label} {row.id}"
            cells = [yes if s else (na if s is None else no) for s in row.states]
            lines.append(("row", [name, *([row.text] if long else []), *cells,
                                  f"{row.stated}/{row.expected}"]))
        lines.append(("total", [f"{group.title.split(' – ')[0]} total", *([""] if long else []),
                                *[""] * len(ELEMENTS), _score(group.stated, group.expected)]))
    per_element = [f"{s}/{e}" if e else "" for s, e in card.element_totals()]
    lines.append(("total", ["Plan total", *([""] if long else []), *per_element,
                            _score(card.stated, card.expected)]))
    return lines


def _legend() -> str:
    return ", ".join(f"{code} {name}" for code, name in ELEMENTS)


def to_text(card: Scorecard) -> str:
    if not card.groups:
        return f"SMART scorecard: {card.title}\nno targets or indicators: nothing to score\n"
    lines = _lines(card, MARKS["text"], long=False)
    width = max(len(cells[0]) for kind, cells in lines if kind != "group")
    cells_of = [cells[1:-1] for kind, cells in lines if kind != "group"]
    columns = [max(len(row[i]) for row in cells_of) for i in range(len(ELEMENTS))]
    out = [f"SMART scorecard: {card.title}",
           f"{_legend()} (+ stated, - missing, blank: not expected there)", ""]
    for kind, cells in lines:
        if kind == "group":
            out += ["", cells[0]]
            continue
        marks = "  ".join(c.center(w) for c, w in zip(cells[1:-1], columns, strict=True))
        out.append(f"{cells[0]:<{width}}  {marks}  {cells[-1]}".rstrip())
    return "\n".join(out) + "\n"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(card: Scorecard) -> str:
    lines = _lines(card, MARKS["md"], long=False)
    head = lines[0][1]
    out = [f"# SMART scorecard: {card.title}", "", _legend() + ".", "",
           "| " + " | ".join(head) + " |", "| --- | " + " | ".join([":-:"] * (len(head) - 2))
           + " | ---: |"]
    for kind, cells in lines[1:]:
        if kind == "group":
            cells = [f"**{cells[0]}**", *[""] * (len(head) - 1)]
        elif kind == "total":
            cells = [f"**{cells[0]}**", *cells[1:-1], f"**{cells[-1]}**"]
        out.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    return "\n".join(out) + "\n"


def to_csv(card: Scorecard) -> str:
    yes, no, na = MARKS["csv"]
    return csv_text(
        ["group", "kind", "id", "text", *(name for _, name in ELEMENTS), "stated", "expected"],
        ([group.id, row.kind, row.id, row.text,
          *(yes if s else (na if s is None else no) for s in row.states),
          row.stated, row.expected] for group in card.groups for row in group.rows),
    )


def _para(key: str, text: str, style: str = "table-text", bold: bool = False,
          align: str | None = None) -> ir.Paragraph:
    runs = (ir.Run(text, bold=bold),) if text else ()
    return ir.Paragraph(key=key, style=style, runs=runs,
                        align="center" if align == "center" else None)


def _table(key: str, lines: list[Line], widths: tuple[int, ...], marks: range = range(0)
           ) -> ir.Table:
    rows = []
    span = len(lines[0][1])
    for n, (kind, cells) in enumerate(lines):
        k = keys.key(key, n)
        if kind == "head":
            rows.append(ir.Row(k, tuple(ir.Cell((_para(keys.sub(k, i), c, "table-heading"),),
                                                shaded=True) for i, c in enumerate(cells)),
                               header=True))
        elif kind == "group":
            rows.append(ir.Row(k, (ir.Cell((_para(keys.sub(k, 0), cells[0], bold=True),), span=span,
                                           shaded=True),)))
        else:
            bold = kind == "total"
            rows.append(ir.Row(k, tuple(
                ir.Cell((_para(keys.sub(k, i), c, bold=bold,
                               align="center" if i in marks else None),))
                for i, c in enumerate(cells))))
    return ir.Table(key=key, rows=tuple(rows), widths=widths)


def to_ir(card: Scorecard, date: str) -> ir.Document:
    """The scorecard as a document (docx, html): a table per plan, with the legend."""
    lines = _lines(card, MARKS["doc"], long=True)
    widths = (15, 27, *([5] * (len(ELEMENTS) - 1)), 6, 10)
    blocks: tuple[ir.Block, ...] = (
        _para("title", f"SMART scorecard: {card.title}", "title"),
        _para("legend", _legend() + ". ✓ stated, ✗ missing, blank: not expected there.", "note"),
        _table("scorecard", lines, widths, range(2, 2 + len(ELEMENTS))),
    )
    return ir.Document(title=f"SMART scorecard {card.period}", subject=card.title, date=date,
                       blocks=blocks)


# --- two cycles ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Compared:
    """One item in either cycle: its score in each (None: not in that cycle)."""

    kind: str
    id: str
    label: str
    old: tuple[int, int] | None
    new: tuple[int, int] | None


def compare(old: Scorecard, new: Scorecard) -> list[Compared]:
    """The items of both cycles, aligned by id (ids are kept across cycles): the new plan's
    order, then the old items it no longer has."""
    before = {(r.kind, r.id): r for r in old.rows}
    out: list[Compared] = []
    seen: set[tuple[str, str]] = set()
    for row in new.rows:
        key = (row.kind, row.id)
        seen.add(key)
        was = before.get(key)
        out.append(Compared(row.kind, row.id, row.label,
                            (was.stated, was.expected) if was else None,
                            (row.stated, row.expected)))
    for row in old.rows:
        if (row.kind, row.id) not in seen:
            out.append(Compared(row.kind, row.id, row.label, (row.stated, row.expected), None))
    return out


def _compare_lines(old: Scorecard, new: Scorecard) -> list[Line]:
    lines: list[Line] = [("head", ["Item", old.period, new.period, "Change"])]
    for item in compare(old, new):
        o = f"{item.old[0]}/{item.old[1]}" if item.old else "–"
        n = f"{item.new[0]}/{item.new[1]}" if item.new else "–"
        if item.old is None:
            change = "new"
        elif item.new is None:
            change = "not carried"
        else:
            delta = item.new[0] - item.old[0]
            change = f"{delta:+d}" if delta else ""
        name = item.label if item.kind != "target" else item.label.split()[0]
        lines.append(("row", [f"{name} {item.id}", o, n, change]))
    before = {(g.kind, g.id): g for g in old.groups}
    after = {(g.kind, g.id): g for g in new.groups}
    for key in [*after, *(k for k in before if k not in after)]:
        group = after.get(key) or before[key]
        was, now = before.get(key), after.get(key)
        lines.append(("total", [f"{group.title} total",
                                _score(was.stated, was.expected) if was else "–",
                                _score(now.stated, now.expected) if now else "–", ""]))
    lines.append(("total", ["Plan total", _score(old.stated, old.expected),
                            _score(new.stated, new.expected), ""]))
    return lines


def compare_text(old: Scorecard, new: Scorecard) -> str:
    lines = _compare_lines(old, new)
    widths = [max(len(cells[i]) for _, cells in lines) for i in range(4)]
    out = [f"SMART scorecard: {old.period} -> {new.period} (elements stated / expected)", ""]
    for _, cells in lines:
        out.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                             for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip())
    return "\n".join(out) + "\n"


def compare_markdown(old: Scorecard, new: Scorecard) -> str:
    lines = _compare_lines(old, new)
    out = [f"# SMART scorecard: {old.period} -> {new.period}", "",
           "| " + " | ".join(lines[0][1]) + " |", "| --- | ---: | ---: | ---: |"]
    for kind, cells in lines[1:]:
        if kind == "total":
            cells = [f"**{c}**" if c else "" for c in cells]
        out.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    return "\n".join(out) + "\n"


def compare_csv(old: Scorecard, new: Scorecard) -> str:
    return csv_text(
        ["kind", "id", f"{old.period} stated", f"{old.period} expected",
         f"{new.period} stated", f"{new.period} expected"],
        ([item.kind, item.id, *(item.old or ("", "")), *(item.new or ("", ""))]
         for item in compare(old, new)),
    )


def compare_ir(old: Scorecard, new: Scorecard, date: str) -> ir.Document:
    lines = _compare_lines(old, new)
    blocks: tuple[ir.Block, ...] = (
        _para("title", f"SMART scorecard: {old.period} -> {new.period}", "title"),
        _para("legend", "SMART elements stated / expected, per target and indicator.", "note"),
        _table("compare", lines, (46, 18, 18, 18)),
    )
    return ir.Document(title=f"SMART scorecard {old.period} -> {new.period}",
                       subject=new.title, date=date, blocks=blocks)
