"""Lineage rules: references to the previous cycle's items resolve when that plan is on disk."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stratplan.checks.references import known_hint
from stratplan.checks.rule import Finding, PlanContext, Rule, register
from stratplan.diagnostics import Severity
from stratplan.model.address import lineage_ref, read_ref
from stratplan.model.walk import id_bearers, walk


@register
class LineageUnresolvedRule(Rule):
    """A lineage reference names no item of that cycle's plan.

    What it does: `replaces`, `lineage.moved` and `lineage.dropped` name items of an earlier
    cycle as `<period>/<id>` (e.g. `2020-2023/broadband-cost`). When that cycle's plan is on
    disk beside this one (`plans/2020-2023/`), the id must exist in it.

    Why: lineage is data: the crosswalk between cycles and the redline's alignment are built
    from it.

    How to fix: correct the id, or the period.
    """

    code = "SP601"
    name = "lineage-unresolved"
    title = "lineage reference does not resolve"
    severity = Severity.ERROR
    fields = ("lineage",)

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        known: dict[str, set[str]] = {}
        for path, ref in ctx.lineage_refs:
            period, item = read_ref(ref)
            if period is None:
                yield Finding(path, f"{ref!r} must name its cycle: <period>/<id>")
                continue
            if period == ctx.plan.plan.period:
                yield Finding(path, f"{ref!r} names this plan's own cycle")
                continue
            other = ctx.cycles.get(period)
            if other is None:
                continue
            if period not in known:
                known[period] = {obj.id for _, obj in id_bearers(walk(other))}
            if item not in known[period]:
                yield Finding(
                    path,
                    f"the {period} plan has no item {item!r}",
                    known_hint(item, known[period], lineage_ref(period, "{}"),
                               f"no id of the {period} plan is close: check the period"),
                )


@register
class LineageCycleMissingRule(Rule):
    """A lineage reference names a cycle whose plan is not on disk.

    What it does: informs that references to that cycle could not be checked. When that
    cycle's folder is there but its plan cannot be read (it has errors of its own), the lineage
    checks against it are off, which would hide their findings: that is a warning, with the
    number of the other plan's errors, at `plan.previous` (or the first reference to it).

    How to fix: nothing is wrong when the plan is not on disk; add `plans/<period>/` to have
    the references checked. When it cannot be read, validate it and fix its errors.
    """

    code = "SP602"
    name = "lineage-cycle-missing"
    title = "lineage cycle not on disk"
    severity = Severity.INFO
    fields = ("lineage",)

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        reported: set[str] = set()
        previous = ctx.plan.plan.previous
        if previous in ctx.unreadable_cycles:
            reported.add(previous)
            yield self._unreadable(("plan", "previous"), previous, ctx)
        for path, ref in ctx.lineage_refs:
            period, _ = read_ref(ref)
            if period is None or period not in ctx.missing_cycles or period in reported:
                continue
            reported.add(period)
            if period in ctx.unreadable_cycles:
                yield self._unreadable(path, period, ctx)
            else:
                yield Finding(path, f"plan {period} is not on disk; its references are unchecked")

    @staticmethod
    def _unreadable(path: tuple[str | int, ...], period: str, ctx: PlanContext) -> Finding:
        folder, count = ctx.unreadable_cycles[period]
        return Finding(
            path,
            f"plan {period} ({folder}) cannot be read ({count} error{'s' if count != 1 else ''})"
            ": the lineage checks against it are off",
            f"validate {folder} and fix its errors",
            severity=Severity.WARNING,
        )


@register
class LineageGapRule(Rule):
    """A target of the previous cycle is neither carried, replaced, moved nor dropped.

    What it does: when the previous cycle's plan (`plan.previous`) is on disk, every one of its
    targets must be accounted for in this plan: carried over (a target with the same id),
    replaced (named in a target's `replaces`), moved to outcomes (`lineage.moved`) or dropped
    with a reason (`lineage.dropped`). A warning while drafting, an error at the final stage.

    Why: the membership reviews what became of each target of the plan it adopted; the
    crosswalk (`stratplan lineage`) is generated from this data.

    How to fix: add the old target to a new target's `replaces`, or to `lineage.moved` or
    `lineage.dropped` with the reason.
    """

    code = "SP603"
    name = "lineage-gap"
    title = "previous cycle's target unaccounted for"
    severity = Severity.WARNING
    whole_plan = True
    fields = ("PlanMeta.previous", "Lineage.moved", "Lineage.dropped", "Target.replaces")

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        previous = ctx.plan.plan.previous
        old = ctx.cycles.get(previous) if previous else None
        if old is None:
            return
        accounted = {t.id for t in ctx.plan.targets}
        accounted |= {ident for _, ref in ctx.lineage_refs
                      for period, ident in [read_ref(ref)] if period == previous}
        severity = Severity.ERROR if ctx.final else Severity.WARNING
        for target in old.targets:
            if target.id not in accounted:
                yield Finding(
                    ("plan", "previous"),
                    f"target {target.id!r} of {previous} is neither carried, replaced, moved "
                    "nor dropped",
                    "name it in a target's `replaces`, or in `lineage.moved` or `lineage.dropped`",
                    severity=severity,
                    subject=target.id,
                )


@register
class LineageNotPreviousRule(Rule):
    """A lineage entry names a cycle other than the previous one.

    What it does: `replaces`, `lineage.moved` and `lineage.dropped` say what became of the
    items of the cycle this plan follows (`plan.previous`); an entry that names another cycle
    (`2024-2027/...` in a plan that follows 2028-2031) is an error, and so is any entry in a
    plan without `previous`.

    Why: lineage is about the previous cycle only. An item two cycles back was accounted for
    by the plan in between; an entry carried forward from it (a copied `lineage.yaml`) would
    "drop" an item again, and the crosswalk would show it under the wrong cycle.

    How to fix: delete the entry (items kept with the same id need none), or name the item of
    the previous cycle that it concerns.
    """

    code = "SP604"
    name = "lineage-not-previous"
    title = "lineage names a cycle other than the previous one"
    severity = Severity.ERROR
    fields = ("lineage", "PlanMeta.previous")

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        previous = ctx.plan.plan.previous
        own = ctx.plan.plan.period
        for path, ref in ctx.lineage_refs:
            period, _ = read_ref(ref)
            if period is None or period in (own, previous):
                continue  # SP601 reports a reference without a cycle, or to this one
            if previous is None:
                yield Finding(
                    path,
                    f"{ref!r} names the {period} cycle, but the plan has no `previous`",
                    "set plan.previous to the cycle this plan follows, or delete the entry",
                )
            else:
                yield Finding(
                    path,
                    f"{ref!r} names {period}, not the previous cycle {previous}: lineage is "
                    "about the previous cycle only",
                    f"delete the entry, or name the item of {previous} it concerns",
                )


@register
class OldPeriodInTextRule(Rule):
    """Text names the previous cycle's period or horizon.

    What it does: in a draft that follows another cycle (`plan.previous`), reports prose that
    names that cycle's period ("for 2028-2031") or its targets' horizon ("by 2031", the
    previous plan's `target_horizon`, else its last year) where this plan's differs, with the
    text quoted. Notes about the previous cycle's items (lineage notes, reasons for dropping)
    are not checked: they speak of it by nature.

    Why: a new cycle starts as a copy of the last (`stratplan new` moves the titles, deadlines
    and years it can); the body text is for the drafters to decide, and a stale period in it
    reads as a mistake to every delegate.

    How to fix: update the text, or, where it rightly names the earlier cycle, say so in
    place: `# stratplan: ignore[SP605] refers to the previous plan`.
    """

    code = "SP605"
    name = "old-period-in-text"
    title = "text names the previous cycle's period"
    severity = Severity.WARNING
    fields = ("current-prose", "PlanMeta.previous", "PlanMeta.target_horizon")

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        meta = ctx.plan.plan
        previous = meta.previous
        if previous is None or meta.status != "draft":
            return
        old = ctx.cycles.get(previous)
        old_horizon = (old.plan.target_horizon if old is not None else None) or int(
            previous.split("-")[1]
        )
        horizon = meta.target_horizon or int(meta.period.split("-")[1])
        first, last = previous.split("-")
        patterns = [rf"(?<![0-9]){first}\s*[-–]\s*{last}(?![0-9])"]
        if old_horizon != horizon:
            patterns.append(rf"\b(?:by|until|to)\s+(?:the\s+end\s+of\s+)?{old_horizon}(?![0-9])")
        stale = re.compile("|".join(patterns), re.IGNORECASE)
        for path, text in ctx.current_prose:
            matches = list(stale.finditer(text))
            if not matches:
                continue
            match = matches[0]
            named = ", ".join(dict.fromkeys(repr(m.group(0)) for m in matches))
            yield Finding(
                path,
                f"names the previous cycle ({named}): {_context(text, match)}",
                f"update it for {meta.period}, or suppress with the reason where it rightly "
                f"names {previous}",
                offset=match.start(),
            )


def _context(text: str, match: re.Match[str], width: int = 30) -> str:
    """The words around a match, quoted, for a message."""
    start = max(0, match.start() - width)
    end = min(len(text), match.end() + width)
    snippet = " ".join(text[start:end].split())
    return repr(("…" if start else "") + snippet + ("…" if end < len(text) else ""))
