"""Identity and reference rules: unique ids, resolvable references, placements, footnotes."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from typing import Any

from stratplan.checks.rule import Finding, PlanContext, Rule, register
from stratplan.diagnostics import Severity
from stratplan.model.plan import FOOTNOTE_REF, Comment, Plan, Show


def ids_of(plan: Plan, collection: str) -> set[str]:
    return {item.id for item in getattr(plan, collection)}


@register
class DuplicateIdRule(Rule):
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
    fields = ("id",)

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        seen: dict[str, tuple[tuple[str | int, ...], Any]] = {}
        for path, item in ctx.id_bearers:
            if item.id in seen:
                first_path, first = seen[item.id]
                yield Finding(
                    (*path, "id"),
                    f"id {item.id!r} is already used by the {_kind(first)} at "
                    f"{ctx.where((*first_path, 'id'))}",
                    "ids must be unique across the whole plan",
                )
            else:
                seen[item.id] = (path, item)


def _kind(item: Any) -> str:
    """What an item is, in words: `target`, `outcome indicator`... from its model class."""
    name = type(item).__name__
    return re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()


def did_you_mean(wrong: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """The known names closest to a wrong one, best first (as SP100 does for keys)."""
    return difflib.get_close_matches(wrong, sorted(set(known)), n=limit, cutoff=0.6)


def known_hint(wrong: str, known: Iterable[str], show: str = "{}", otherwise: str = "") -> str:
    """`did you mean 'x'?` when a known name is close, else `otherwise`, else the known names
    (up to 12)."""
    names = sorted(set(known))
    close = did_you_mean(wrong, names)
    if close:
        return "did you mean " + " or ".join(repr(show.format(c)) for c in close) + "?"
    if otherwise:
        return otherwise
    if not names:
        return "none is defined"
    listed = ", ".join(show.format(n) for n in names[:12])
    return f"known: {listed}" + (f" and {len(names) - 12} more" if len(names) > 12 else "")


@register
class UnresolvedReferenceRule(Rule):
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
    fields = ("ref",)

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        known: dict[str, set[str]] = {}
        for path, ref, collection in ctx.references:
            if "/" in ref:
                yield Finding(
                    path,
                    f"{ref!r} names another cycle; here a {collection[:-1]} of this plan is "
                    "expected",
                )
                continue
            if not ctx.complete(collection):
                continue  # its item may be one that could not be read
            if collection not in known:
                known[collection] = ids_of(ctx.plan, collection)
            if ref not in known[collection]:
                kind = collection[:-1] if collection != "priorities" else "priority"
                yield Finding(
                    path, f"no {kind} with id {ref!r}", known_hint(ref, known[collection])
                )


@register
class UnknownShowRule(Rule):
    """A section places content that does not exist.

    What it does: checks every `show:` block of the outline: the kind must be one the templates
    of the plan's framework render (a `show/<kind>.xml.j2` template; the list is below) and its
    argument must name an existing item (`show: table:rbm` needs a table `rbm`;
    `show: objectives:itu-r` a sector `itu-r`).

    Why: the document is built from these placements; one the templates cannot render would
    stop `render` after `validate` passed.

    How to fix: correct the kind or the id.

    What each framework can show (its templates):
    {show-kinds}
    """

    code = "SP103"
    name = "unknown-show"
    title = "placement names unknown content"
    severity = Severity.ERROR
    fields = ("Show.show",)

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        kinds = ctx.show_kinds
        for path, value in ctx.nodes:
            if not isinstance(value, Show):
                continue
            name, _, arg = value.show.partition(":")
            kind = kinds.get(name)
            if kind is None:
                yield Finding(
                    (*path, "show"),
                    f"a {ctx.plan.plan.framework} plan cannot show {name!r} (show: {value.show})",
                    "it can show: " + ", ".join(k.usage() for k in kinds.values()),
                )
                continue
            if not arg:
                if kind.required:
                    yield Finding((*path, "show"), f"show: {name} needs an id: {kind.usage()}")
                continue
            if kind.collection is None:
                yield Finding((*path, "show"), f"show: {name} takes no argument")
            elif ctx.complete(kind.collection) and arg not in ids_of(ctx.plan, kind.collection):
                yield Finding(
                    (*path, "show"), f"show: {value.show} names no item of {kind.collection}"
                )


@register
class UndefinedFootnoteRule(Rule):
    """A `[^id]` footnote reference has no footnote text.

    What it does: every `[^id]` in a text must have an entry `id: text` under `footnotes:`.

    How to fix: add the footnote, or correct the id.
    """

    code = "SP104"
    name = "undefined-footnote"
    title = "footnote reference without a footnote"
    severity = Severity.ERROR
    fields = ("prose", "Plan.footnotes")

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        if not ctx.complete("footnotes"):
            return
        for path, text in ctx.prose:
            for match in FOOTNOTE_REF.finditer(text):
                if match.group(1) not in ctx.plan.footnotes:
                    yield Finding(
                        path,
                        f"footnote [^{match.group(1)}] is not defined",
                        known_hint(match.group(1), ctx.plan.footnotes, "[^{}]"),
                        offset=match.start(),
                    )


@register
class UnusedFootnoteRule(Rule):
    """A footnote is defined but no text refers to it.

    Why: a footnote that nothing calls is not printed; usually a lost `[^id]`.

    How to fix: add `[^id]` where the footnote belongs, or delete it.
    """

    code = "SP105"
    name = "unused-footnote"
    title = "footnote never referenced"
    severity = Severity.WARNING
    whole_plan = True
    fields = ("Plan.footnotes",)

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        used = {m.group(1) for _, text in ctx.prose for m in FOOTNOTE_REF.finditer(text)}
        for key in ctx.plan.footnotes:
            if key not in used:
                yield Finding(("footnotes", key), f"footnote {key!r} is never referenced")


@register
class CommentAnchorRule(Rule):
    """A comment's `anchor` is not in the text it is attached to.

    What it does: a comment may name the words it covers with `anchor:`; those words must occur
    in the element's text (or title; for a plain table, in one of its cells, where the comment
    then goes), or Word could not anchor it.

    How to fix: copy the words exactly, or drop `anchor` to cover the whole element.
    """

    code = "SP106"
    name = "comment-anchor"
    title = "comment anchor not found"
    severity = Severity.ERROR
    fields = ("Comment.anchor",)

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        parents: dict[tuple[str | int, ...], object] = dict(ctx.nodes)
        for path, value in parents.items():
            if not isinstance(value, Comment) or not value.anchor:
                continue
            owner = parents.get(path[:-2])
            texts = [getattr(owner, name, None) for name in ("text", "title", "statement")]
            # a plain table's comment may name the words of one of its cells
            texts += list(getattr(owner, "columns", None) or [])
            texts += [cell for row in getattr(owner, "rows", None) or [] for cell in row]
            flat = " ".join(
                t if isinstance(t, str) else getattr(t, "text", "") or "" for t in texts if t
            )
            if value.anchor not in flat:
                yield Finding((*path, "anchor"), f"anchor {value.anchor!r} is not in the text")
