"""Drafting rules: square brackets, alternatives and comments, by drafting stage."""

from __future__ import annotations

from collections.abc import Iterator

from stratplan.checks.rule import Finding, PlanContext, Rule, register
from stratplan.diagnostics import Severity
from stratplan.model.plan import FOOTNOTE_REF, Alternative, Comment, PriorityAlternative


def bracket_depths(text: str) -> tuple[int, int]:
    """(lowest depth reached, final depth) of square brackets, footnote refs excluded."""
    depth = lowest = 0
    for char in FOOTNOTE_REF.sub("", text):
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            lowest = min(lowest, depth)
    return lowest, depth


@register
class UnbalancedBrackets(Rule):
    """Square brackets do not pair up.

    What it does: checks that every `[` that opens text not yet agreed is closed by a `]` in the
    same text, and no `]` comes first. Footnote references `[^id]` are not brackets.

    Why: in ITU drafting, square brackets mark text not yet agreed; a lost bracket changes what
    the membership thinks is agreed.

    How to fix: add the missing bracket or remove the stray one.
    """

    code = "SP501"
    name = "unbalanced-brackets"
    title = "unbalanced square brackets"
    severity = Severity.ERROR

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        for path, text in ctx.prose:
            lowest, final = bracket_depths(text)
            if lowest < 0:
                yield Finding(path, "a ']' closes a bracket that was never opened")
            elif final > 0:
                yield Finding(path, f"{final} '[' never closed")


@register
class BracketsInFinal(Rule):
    """Square-bracketed (not yet agreed) text remains at the final stage.

    What it does: with `--stage final`, or in a plan whose status is `adopted`, any
    square-bracketed text is an error.

    Why: a plan cannot be adopted with text the membership has not agreed.

    How to fix: resolve the bracketed text: agree it (remove the brackets) or delete it.
    """

    code = "SP502"
    name = "brackets-in-final"
    title = "bracketed text at the final stage"
    severity = Severity.ERROR

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        if not ctx.final:
            return
        for path, text in ctx.prose:
            if "[" in FOOTNOTE_REF.sub("", text):
                yield Finding(path, "bracketed text is not yet agreed")


@register
class AlternativesInFinal(Rule):
    """Alternative wording remains at the final stage.

    What it does: with `--stage final`, or in an adopted plan, `alternatives` proposed by named
    sources are errors: one wording must have been chosen.

    How to fix: take the chosen wording into the text and delete the alternatives.
    """

    code = "SP503"
    name = "alternatives-in-final"
    title = "alternative wording at the final stage"
    severity = Severity.ERROR

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        if not ctx.final:
            return
        for path, value in ctx.nodes:
            if isinstance(value, Alternative | PriorityAlternative):
                yield Finding(path, f"alternative proposed by {value.source} is still open")


@register
class CommentsInFinal(Rule):
    """Editorial comments remain at the final stage.

    Why: comments are drafting notes; an adopted text carries none.

    How to fix: resolve and delete the comment.
    """

    code = "SP504"
    name = "comments-in-final"
    title = "editorial comment at the final stage"
    severity = Severity.WARNING

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        if not ctx.final:
            return
        for path, value in ctx.nodes:
            if isinstance(value, Comment):
                yield Finding(path, f"comment by {value.author} is still open")
