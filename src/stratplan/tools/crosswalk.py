"""The lineage crosswalk between two cycles, generated from `replaces`, `moved` and `dropped`.

It is the table of the information document that accompanied the 2024-2027 draft (seed 002:
"Suggested targets / Suggested target indicators / Mapping with the 2023 targets"), and the
lists of old targets that became outcomes or were dropped, with the reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stratplan import ir, keys
from stratplan.model.address import read_ref
from stratplan.model.numbers import compute_numbers
from stratplan.model.plan import Plan
from stratplan.writers.spreadsheet import csv_text


@dataclass(frozen=True)
class OldTarget:
    id: str
    number: str
    text: str


@dataclass(frozen=True)
class CrosswalkRow:
    goal: str
    number: str
    target: str
    indicators: tuple[str, ...]
    replaces: tuple[OldTarget, ...]
    note: str


@dataclass(frozen=True)
class Fate:
    target: OldTarget
    reason: str


@dataclass
class Crosswalk:
    old_period: str
    new_period: str
    rows: list[CrosswalkRow] = field(default_factory=list)
    carried: list[OldTarget] = field(default_factory=list)
    moved: list[Fate] = field(default_factory=list)
    dropped: list[Fate] = field(default_factory=list)
    unaccounted: list[OldTarget] = field(default_factory=list)


def build_crosswalk(old: Plan, new: Plan) -> Crosswalk:
    old_numbers = compute_numbers(old)
    new_numbers = compute_numbers(new)
    old_targets = {t.id: OldTarget(t.id, old_numbers.target[t.id], t.text) for t in old.targets}
    def resolve(ref: str) -> OldTarget | None:
        period, ident = read_ref(ref)
        return old_targets.get(ident) if period == old.plan.period else None

    result = Crosswalk(old.plan.period, new.plan.period)
    goals = {g.id: g.title for g in new.goals}
    accounted: set[str] = set()
    for target in new.targets:
        replaced = tuple(t for ref in target.replaces if (t := resolve(ref)) is not None)
        accounted.update(t.id for t in replaced)
        result.rows.append(
            CrosswalkRow(
                goal=goals.get(target.goal, target.goal),
                number=new_numbers.target[target.id],
                target=target.text,
                indicators=tuple(i.text for i in target.indicators),
                replaces=replaced,
                note=target.lineage_note or "",
            )
        )
        if target.id in old_targets:
            result.carried.append(old_targets[target.id])
            accounted.add(target.id)
    if new.lineage:
        for moved in new.lineage.moved:
            if (t := resolve(moved.item)) is not None:
                result.moved.append(Fate(t, moved.note or ""))
                accounted.add(t.id)
        for dropped in new.lineage.dropped:
            if (t := resolve(dropped.item)) is not None:
                result.dropped.append(Fate(t, dropped.reason))
                accounted.add(t.id)
    result.unaccounted = [t for t in old_targets.values() if t.id not in accounted]
    return result


def _mapping_text(row: CrosswalkRow) -> list[str]:
    lines = [f"Target {t.number}: {t.text}" for t in row.replaces]
    if row.note:
        lines.append(row.note)
    return lines


def to_markdown(cw: Crosswalk) -> str:
    def cell(lines: list[str] | tuple[str, ...]) -> str:
        return "<br>".join(x.replace("|", "\\|") for x in lines)

    out = [
        f"# Targets {cw.new_period} and their lineage from {cw.old_period}",
        "",
        f"| Goals | Targets | Target indicators | Mapping with the {cw.old_period} targets |",
        "| --- | --- | --- | --- |",
    ]
    previous_goal = None
    for row in cw.rows:
        goal = row.goal if row.goal != previous_goal else ""
        previous_goal = row.goal
        out.append(
            f"| {cell([goal])} | {cell([f'{row.number}: {row.target}'])} | "
            f"{cell(['- ' + i for i in row.indicators])} | {cell(_mapping_text(row))} |"
        )
    sections = [
        ("Carried over with the same identity", [(t, "") for t in cw.carried]),
        (
            "Reflected under the outcomes of the thematic priorities",
            [(f.target, f.reason) for f in cw.moved],
        ),
        ("Dropped", [(f.target, f.reason) for f in cw.dropped]),
        ("Not accounted for (rule SP603)", [(t, "") for t in cw.unaccounted]),
    ]
    for title, items in sections:
        if not items:
            continue
        out += ["", f"## {title}", ""]
        for target, reason in items:
            out.append(
                f"- Target {target.number}: {target.text}" + (f" ({reason})" if reason else "")
            )
    return "\n".join(out) + "\n"


def to_csv(cw: Crosswalk) -> str:
    rows: list[list[Any]] = []
    header = [
            "new_period",
            "goal",
            "target_number",
            "target",
            "indicators",
            "fate",
            "old_period",
            "old_target_number",
            "old_target",
            "note",
    ]
    for row in cw.rows:
        olds = row.replaces or (None,)
        for old in olds:
            rows.append(
                [
                    cw.new_period,
                    row.goal,
                    row.number,
                    row.target,
                    "; ".join(row.indicators),
                    "replaces" if old else "",
                    cw.old_period,
                    old.number if old else "",
                    old.text if old else "",
                    row.note,
                ]
            )
    for fate, items in (("moved-to-outcomes", cw.moved), ("dropped", cw.dropped)):
        for f in items:
            rows.append(
                ["", "", "", "", "", fate, cw.old_period, f.target.number, f.target.text, f.reason]
            )
    for t in cw.unaccounted:
        rows.append(["", "", "", "", "", "unaccounted", cw.old_period, t.number, t.text, ""])
    return csv_text(header, rows)


def to_ir(cw: Crosswalk, date: str) -> ir.Document:
    def para(key: str, text: str, style: str = "table-text", number: str = "") -> ir.Paragraph:
        return ir.Paragraph(
            key=key, style=style, runs=(ir.Run(text),) if text else (), number=number
        )

    head = ir.Row(
        key=keys.key("crosswalk", "head"),
        header=True,
        cells=tuple(
            ir.Cell((para(keys.key("crosswalk", "head", i), h, "table-heading"),), shaded=True)
            for i, h in enumerate(
                [
                    "Goals",
                    "Targets",
                    "Target indicators",
                    f"Mapping with the {cw.old_period} targets",
                ]
            )
        ),
    )
    rows = [head]
    previous_goal = None
    for n, row in enumerate(cw.rows):
        key = keys.key("crosswalk", n)
        goal = row.goal if row.goal != previous_goal else ""
        previous_goal = row.goal
        rows.append(
            ir.Row(
                key=key,
                cells=(
                    ir.Cell((para(keys.sub(key, "goal"), goal),)),
                    ir.Cell((para(keys.sub(key, "target"), row.target, number=f"{row.number}:"),)),
                    ir.Cell(
                        tuple(
                            para(keys.sub(key, f"ind{i}"), t, number="–")
                            for i, t in enumerate(row.indicators)
                        )
                        or (para(keys.sub(key, "ind"), ""),)
                    ),
                    ir.Cell(
                        tuple(para(keys.sub(key, f"map{i}"), t)
                              for i, t in enumerate(_mapping_text(row)))
                        or (para(keys.sub(key, "map"), ""),)
                    ),
                ),
            )
        )
    blocks: list[ir.Block] = [
        para(
            "title", f"Targets {cw.new_period}: mapping with the {cw.old_period} targets", "title"
        ),
        ir.Table(key="crosswalk", rows=tuple(rows), widths=(15, 25, 30, 30)),
    ]
    for title, items in (
        (
            "Reflected under the outcomes of the thematic priorities",
            [(f.target, f.reason) for f in cw.moved],
        ),
        ("Dropped", [(f.target, f.reason) for f in cw.dropped]),
        ("Not accounted for", [(t, "") for t in cw.unaccounted]),
    ):
        if items:
            blocks.append(para(keys.key("fates", len(blocks)), title, "heading2"))
            for target, reason in items:
                text = f"Target {target.number}: {target.text}" + (f" ({reason})" if reason else "")
                blocks.append(
                    ir.Paragraph(
                        key=keys.key("fate", target.id),
                        style="list",
                        runs=(ir.Run(text),),
                        list_kind="bullet",
                    )
                )
    return ir.Document(
        title=f"Lineage {cw.old_period} to {cw.new_period}",
        subject="Crosswalk of targets between strategic plans",
        date=date,
        blocks=tuple(blocks),
    )
