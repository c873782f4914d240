"""The arithmetic of Appendix A: biennium subtotals, totals and percentages, computed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from stratplan.model.plan import Plan, Resources


@dataclass(frozen=True)
class Line:
    label: str
    code: str  # "TP1" for the first priority; "" for subtotal, adjustments and total
    amounts: tuple[int, ...]  # per year
    biennia: tuple[int, ...]  # one per pair of years
    total: int
    percent: Decimal  # of the grand total, 2 decimals
    priority: str = ""  # the row's priority id; "" for the subtotal, adjustments and total
    # What names the row in the document's keys: its priority, the adjustment's id, or
    # "subtotal" / "total" (never its label: a label is text, and text is not a key).
    ident: str = ""

    @property
    def columns(self) -> tuple[int, ...]:
        """Amounts in table order: year, year, biennium, year, year, biennium, ..., total."""
        out: list[int] = []
        for index, biennium in enumerate(self.biennia):
            out.extend(self.amounts[2 * index : 2 * index + 2])
            out.append(biennium)
        out.extend(self.amounts[2 * len(self.biennia) :])
        out.append(self.total)
        return tuple(out)


@dataclass(frozen=True)
class ResourceTable:
    years: tuple[int, ...]
    rows: tuple[Line, ...]
    subtotal: Line
    adjustments: tuple[Line, ...]
    total: Line

    @property
    def headers(self) -> tuple[str, ...]:
        out: list[str] = []
        for index in range(len(self.years) // 2):
            first, second = self.years[2 * index : 2 * index + 2]
            out += [str(first), str(second), f"{first}-{second}"]
        out += [str(y) for y in self.years[2 * (len(self.years) // 2) :]]
        out.append("Total")
        return tuple(out)


def _line(
    label: str, code: str, amounts: list[int], grand_total: int, priority: str = "",
    ident: str = "",
) -> Line:
    biennia = tuple(amounts[i] + amounts[i + 1] for i in range(0, len(amounts) - 1, 2))
    total = sum(amounts)
    if grand_total:
        percent = (Decimal(total) * 100 / Decimal(grand_total)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
    else:
        percent = Decimal("0.00")
    return Line(label, code, tuple(amounts), biennia, total, percent, priority,
                ident or priority)


def compute_resources(plan: Plan, resources: Resources | None = None) -> ResourceTable | None:
    """Appendix A as printed: rows per priority, subtotal, adjustments, total, % of total.

    Percentages are of the total after adjustments, as in the seed (subtotal 101.14%).
    Rows whose amounts do not match the number of years are left to rule SP403.
    """
    resources = resources or plan.resources
    if resources is None:
        return None
    width = len(resources.years)
    rows = [r for r in resources.rows if len(r.amounts) == width]
    adjustments = [a for a in resources.adjustments if len(a.amounts) == width]
    per_year = [sum(r.amounts[i] for r in rows) for i in range(width)]
    adjust_year = [sum(a.amounts[i] for a in adjustments) for i in range(width)]
    final = [per_year[i] + adjust_year[i] for i in range(width)]
    grand = sum(final)
    titles = {p.id: (p.short_title or p.title) for p in plan.priorities}
    order = {p.id: n for n, p in enumerate(plan.priorities, start=1)}
    lines = tuple(
        _line(
            r.label or titles.get(r.priority, r.priority),
            f"TP{order[r.priority]}" if r.priority in order else "",
            list(r.amounts),
            grand,
            r.priority,
        )
        for r in rows
    )
    return ResourceTable(
        years=tuple(resources.years),
        rows=lines,
        subtotal=_line("Subtotal", "", per_year, grand, ident="subtotal"),
        adjustments=tuple(_line(a.label, "", list(a.amounts), grand, ident=a.id)
                          for a in adjustments),
        total=_line("Total", "", final, grand, ident="total"),
    )


def format_amount(value: int, group: str = " ") -> str:
    """Thousands separated by a space, minus sign kept: 651 671, -1 000 (as in seed 004);
    `group`: another language's separator."""
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):,}".replace(",", group)


def format_percent(value: Decimal, decimal: str = ",", pattern: str = "{value}%") -> str:
    """Two decimals with a decimal comma, as in seed 004: 36,07%; `decimal` and `pattern`:
    another language's separator and way of writing a percentage ("{value} %")."""
    return pattern.replace("{value}", f"{value:.2f}".replace(".", decimal))
