"""Drafting rules: square brackets, alternatives and comments, by drafting stage."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stratplan.checks.rule import Finding, PlanContext, Rule, register
from stratplan.diagnostics import Severity
from stratplan.model.plan import FOOTNOTE_REF, Alternative, Comment, PriorityAlternative

# Text still to be supplied (SP505): what `stratplan new` writes where it cannot know the text.
PLACEHOLDER = re.compile(r"\[(?:\.\.\.|…)\]")


_BRACKET = re.compile(r"[\[\]]")


def brackets(text: str) -> Iterator[tuple[int, str]]:
    """(offset, '[' or ']') of each square bracket of `text`, footnote references excluded."""
    if "[" not in text and "]" not in text:
        return
    refs = [m.span() for m in FOOTNOTE_REF.finditer(text)]
    for match in _BRACKET.finditer(text):
        index = match.start()
        if not any(start <= index < end for start, end in refs):
            yield index, match.group(0)


def unbalanced(text: str) -> tuple[str, int] | None:
    """The first bracket that does not pair up: ("]", offset) for a ']' that closes nothing,
    ("[", offset) for the first '[' never closed; None when they pair up."""
    opened: list[int] = []
    for index, char in brackets(text):
        if char == "[":
            opened.append(index)
        elif opened:
            opened.pop()
        else:
            return "]", index
    return ("[", opened[0]) if opened else None


def bracket_depths(text: str) -> tuple[int, int]:
    """(lowest depth reached, final depth) of square brackets, footnote refs excluded."""
    depth = lowest = 0
    for _, char in brackets(text):
        depth += 1 if char == "[" else -1
        lowest = min(lowest, depth)
    return lowest, depth


def _short(text: str, limit: int = 60) -> str:
    """A quoted piece of plan text for a message, shortened to `limit` characters."""
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


@register
class UnbalancedBracketsRule(Rule):
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
    fields = ("prose",)

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        for path, text in ctx.prose:
            lowest, final = bracket_depths(text)
            first = unbalanced(text)
            if first is None:
                continue
            if lowest < 0:
                yield Finding(path, "a ']' closes a bracket that was never opened",
                              offset=first[1])
            elif final > 0:
                yield Finding(path, f"{final} '[' never closed", offset=first[1])


@register
class BracketsInFinalRule(Rule):
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
    fields = ("prose", "PlanMeta.status")

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        if not ctx.final:
            return
        for path, text in ctx.prose:
            # A `[...]` placeholder is SP505's; other brackets are text not yet agreed.
            placeholders = {m.start() for m in PLACEHOLDER.finditer(text)}
            opening = next(
                (i for i, char in brackets(text) if char == "[" and i not in placeholders),
                None,
            )
            if opening is not None:
                closing = text.find("]", opening)
                quoted = text[opening : closing + 1 if closing > 0 else opening + 40]
                yield Finding(path, f"bracketed text is not yet agreed: {_short(quoted)}",
                              offset=opening)


@register
class AlternativesInFinalRule(Rule):
    """Alternative wording remains at the final stage.

    What it does: with `--stage final`, or in an adopted plan, `alternatives` proposed by named
    sources are errors: one wording must have been chosen.

    How to fix: take the chosen wording into the text and delete the alternatives.
    """

    code = "SP503"
    name = "alternatives-in-final"
    title = "alternative wording at the final stage"
    severity = Severity.ERROR
    fields = ("Alternative", "PriorityAlternative", "PlanMeta.status")

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        if not ctx.final:
            return
        for path, value in ctx.nodes:
            if isinstance(value, Alternative | PriorityAlternative):
                yield Finding(path, f"alternative proposed by {value.source} is still open")


@register
class CommentsInFinalRule(Rule):
    """Editorial comments remain at the final stage.

    Why: comments are drafting notes; an adopted text carries none.

    How to fix: resolve and delete the comment.
    """

    code = "SP504"
    name = "comments-in-final"
    title = "editorial comment at the final stage"
    severity = Severity.WARNING
    fields = ("Comment", "PlanMeta.status")

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        if not ctx.final:
            return
        for path, value in ctx.nodes:
            if isinstance(value, Comment):
                yield Finding(path, f"comment by {value.author} is still open")


@register
class PlaceholderRule(Rule):
    """Text still to be supplied: a `[...]` placeholder.

    What it does: reports every `[...]` (or `[…]`) in the plan, the placeholder for text that
    is still to be written; `stratplan new` leaves one wherever the new cycle's text cannot be
    known (the conference and year of the resolution's revision, the Council meeting's cover
    data). A warning while drafting, an error at the final stage.

    Why: a placeholder that reaches the Council document is a gap in it.

    How to fix: write the text in its place.
    """

    code = "SP505"
    name = "placeholder"
    title = "text still to be supplied"
    severity = Severity.WARNING
    fields = ("prose", "Cover.date")

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        severity = Severity.ERROR if ctx.final else Severity.WARNING
        for path, value in ctx.nodes:
            if not isinstance(value, str):
                continue
            match = PLACEHOLDER.search(value)
            if match:
                shown = "" if value.strip() == match.group(0) else f": {_short(value)}"
                yield Finding(
                    path,
                    f"{ctx.address(path)}: text still to be supplied{shown}",
                    "write the text in place of [...]",
                    severity=severity,
                    offset=match.start(),
                )
