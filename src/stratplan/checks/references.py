"""Identity and reference rules: unique ids, resolvable references, placements, footnotes."""

from __future__ import annotations

from collections.abc import Iterator

from stratplan.checks import Finding, PlanContext, Rule, register
from stratplan.diagnostics import Severity
from stratplan.model import FOOTNOTE_REF, SHOW_KINDS, Comment, Plan, Show


def ids_of(plan: Plan, collection: str) -> set[str]:
    return {item.id for item in getattr(plan, collection)}


@register
class DuplicateId(Rule):
    """Two items of a plan have the same id.

    What it does: ids are one namespace across the whole plan folder (goals, targets,
    indicators, priorities, outcomes, objectives, sections, ...); each must be unique.

    Why: the id is an item's identity across renumbering and across cycles; references,
    lineage and the redline align items by id.

    How to fix: give one of the two items another slug.
    """

    code = "SP101"
    name = "duplicate-id"
    title = "id used twice"
    severity = Severity.ERROR

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        seen: dict[str, tuple[str | int, ...]] = {}
        for path, item in ctx.id_bearers:
            if item.id in seen:
                first = ".".join(str(p) for p in seen[item.id])
                yield Finding(
                    (*path, "id"),
                    f"id {item.id!r} is already used by {first}",
                    "ids must be unique across the whole plan",
                )
            else:
                seen[item.id] = path


def _refs(plan: Plan) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    """(path, reference, collection it must name) for every in-plan reference."""
    for i, target in enumerate(plan.targets):
        yield ("targets", i, "goal"), target.goal, "goals"
    for i, outcome in enumerate(plan.outcomes):
        yield ("outcomes", i, "priority"), outcome.priority, "priorities"
        for j, goal in enumerate(outcome.goals):
            yield ("outcomes", i, "goals", j), goal, "goals"
    for i, objective in enumerate(plan.objectives):
        yield ("objectives", i, "sector"), objective.sector, "sectors"
        for j, link in enumerate(objective.goals):
            yield ("objectives", i, "goals", j, "goal"), link.goal, "goals"
    for i, enabler in enumerate(plan.enablers):
        if enabler.sector:
            yield ("enablers", i, "sector"), enabler.sector, "sectors"
        for j, supported in enumerate(enabler.supports):
            yield ("enablers", i, "supports", j), supported, "objectives"
    for i, output in enumerate(plan.outputs):
        yield ("outputs", i, "sector"), output.sector, "sectors"
        for j, served in enumerate(output.objectives):
            yield ("outputs", i, "objectives", j), served, "objectives"
    for i, sector in enumerate(plan.sectors):
        if sector.goal:
            yield ("sectors", i, "goal"), sector.goal, "goals"
    if plan.resources:
        for i, row in enumerate(plan.resources.rows):
            yield ("resources", "rows", i, "priority"), row.priority, "priorities"
    if plan.lineage:
        for i, moved in enumerate(plan.lineage.moved):
            for j, ref in enumerate(moved.to):
                yield ("lineage", "moved", i, "to", j), ref, "outcomes"


@register
class UnresolvedReference(Rule):
    """A reference names no item of the right kind.

    What it does: checks that every reference inside the plan resolves: targets to goals,
    outcomes to priorities and goals, objectives to sectors and goals, enablers to sectors and
    objectives, matrix outputs to objectives, resources to priorities, lineage moves to outcomes.

    Why: a dangling reference is a target without a goal or money for a priority that does not
    exist; the rendered document would silently drop it.

    How to fix: correct the id, or add the missing item.
    """

    code = "SP102"
    name = "unresolved-reference"
    title = "reference does not resolve"
    severity = Severity.ERROR

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        known: dict[str, set[str]] = {}
        for path, ref, collection in _refs(ctx.plan):
            if "/" in ref:
                yield Finding(
                    path,
                    f"{ref!r} names another cycle; here a {collection[:-1]} of this plan is "
                    "expected",
                )
                continue
            if collection not in known:
                known[collection] = ids_of(ctx.plan, collection)
            if ref not in known[collection]:
                kind = collection[:-1] if collection != "priorities" else "priority"
                yield Finding(
                    path,
                    f"no {kind} with id {ref!r}",
                    f"known: {', '.join(sorted(known[collection])) or 'none'}",
                )


@register
class UnknownShow(Rule):
    """A section places content that does not exist.

    What it does: checks every `show:` block of the outline: the kind must be one the templates
    know (`stratplan explain SP103` lists them) and its argument must name an existing item
    (`show: table:rbm` needs a table `rbm`; `show: objectives:itu-r` a sector `itu-r`).

    How to fix: correct the kind or the id.
    """

    code = "SP103"
    name = "unknown-show"
    title = "placement names unknown content"
    severity = Severity.ERROR

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        for path, value in ctx.nodes:
            if not isinstance(value, Show):
                continue
            kind, _, arg = value.show.partition(":")
            if kind not in SHOW_KINDS:
                yield Finding(
                    (*path, "show"),
                    f"unknown kind {kind!r} in show: {value.show}",
                    "known kinds: " + ", ".join(sorted(SHOW_KINDS)),
                )
                continue
            collection, argument = SHOW_KINDS[kind]
            if not arg:
                if argument == "required":
                    yield Finding((*path, "show"), f"show: {kind} needs an id: {kind}:<id>")
                continue
            if collection is None:
                yield Finding((*path, "show"), f"show: {kind} takes no argument")
            elif arg not in ids_of(ctx.plan, collection):
                yield Finding((*path, "show"), f"show: {value.show} names no item of {collection}")


@register
class UndefinedFootnote(Rule):
    """A `[^id]` footnote reference has no footnote text.

    What it does: every `[^id]` in a text must have an entry `id: text` under `footnotes:`.

    How to fix: add the footnote, or correct the id.
    """

    code = "SP104"
    name = "undefined-footnote"
    title = "footnote reference without a footnote"
    severity = Severity.ERROR

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        for path, text in ctx.prose:
            for match in FOOTNOTE_REF.finditer(text):
                if match.group(1) not in ctx.plan.footnotes:
                    yield Finding(path, f"footnote [^{match.group(1)}] is not defined")


@register
class UnusedFootnote(Rule):
    """A footnote is defined but no text refers to it.

    Why: a footnote that nothing calls is not printed; usually a lost `[^id]`.

    How to fix: add `[^id]` where the footnote belongs, or delete it.
    """

    code = "SP105"
    name = "unused-footnote"
    title = "footnote never referenced"
    severity = Severity.WARNING

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        used = {m.group(1) for _, text in ctx.prose for m in FOOTNOTE_REF.finditer(text)}
        for key in ctx.plan.footnotes:
            if key not in used:
                yield Finding(("footnotes", key), f"footnote {key!r} is never referenced")


@register
class CommentAnchor(Rule):
    """A comment's `anchor` is not in the text it is attached to.

    What it does: a comment may name the words it covers with `anchor:`; those words must occur
    in the element's text (or title), or Word could not anchor it.

    How to fix: copy the words exactly, or drop `anchor` to cover the whole element.
    """

    code = "SP106"
    name = "comment-anchor"
    title = "comment anchor not found"
    severity = Severity.ERROR

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        parents: dict[tuple[str | int, ...], object] = dict(ctx.nodes)
        for path, value in parents.items():
            if not isinstance(value, Comment) or not value.anchor:
                continue
            owner = parents.get(path[:-2])
            texts = [getattr(owner, name, None) for name in ("text", "title", "statement")]
            flat = " ".join(
                t if isinstance(t, str) else getattr(t, "text", "") or "" for t in texts if t
            )
            if value.anchor not in flat:
                yield Finding((*path, "anchor"), f"anchor {value.anchor!r} is not in the text")
