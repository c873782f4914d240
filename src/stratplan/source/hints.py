"""Plain-language hints for the YAML slips drafters make, beside the parser's own words.

The parser says "while parsing a block collection did not find expected '-' indicator"; a
drafter needs "this line has no '- '". Each hint is chosen from the parser's message and the
line it points at; where the parser points past the slip (an unclosed quote is found at the end
of the file), the slip's own position is given instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_KEY_VALUE = re.compile(r"^(\s*(?:-\s+)?)([^\s#:][^:#]*?):\s+(\S.*)$")


@dataclass(frozen=True)
class SyntaxHint:
    hint: str
    # 1-based (line, column) to report instead of the parser's, when it points past the slip.
    position: tuple[int, int] | None = None


def _line(lines: list[str], number: int) -> str:
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _quote_example(line: str) -> str:
    match = _KEY_VALUE.match(line)
    if not match:
        return 'key: "the text"'
    value = match.group(3).strip()
    if len(value) > 40:
        value = value[:37] + "..."
    value = value.replace('"', '\\"')
    return f'{match.group(2).strip()}: "{value}"'


def syntax_hint(
    context: str,
    problem: str,
    text: str,
    problem_at: tuple[int, int] | None,
    context_at: tuple[int, int] | None,
) -> SyntaxHint:
    """The hint for a syntax error (the parser's `context` and `problem` words, and where each
    points, 1-based), or an empty hint when the slip is not a common one."""
    lines = text.splitlines()
    line_no = problem_at[0] if problem_at else 0
    column = problem_at[1] if problem_at else 0
    line = _line(lines, line_no)
    words = f"{context} {problem}"

    if "\t" in line[: _indent(line) + 1] or (
        "cannot start any token" in words and "\t" in line
    ):
        return SyntaxHint("YAML indents with spaces, not tabs: replace the tab on this line "
                          "with spaces")
    if "cannot start any token" in words:
        char = line[column - 1 : column] if column else ""
        if char in ("@", "`"):
            return SyntaxHint(f"a text that starts with {char!r} must be in quotes: "
                              f"{_quote_example(line)}")
    if "quoted scalar" in words and context_at is not None:
        return SyntaxHint(
            "the quote opened here is never closed: close it at the end of the text (inside "
            "'...' a single quote is written twice: '')",
            context_at,
        )
    if "simple key" in words and "could not find expected ':'" in words:
        at = context_at or problem_at
        return SyntaxHint(
            "this line is neither `key: value` nor `- item`: text continued from the line "
            "above must be indented more than its key, or put the whole text in quotes",
            at,
        )
    if "alias" in words or "anchor" in words:
        return SyntaxHint("a text that starts with '*' or '&' must be in quotes (YAML reads "
                          f"them as aliases): {_quote_example(line)}", context_at)
    if "flow sequence" in words or "flow mapping" in words:
        opened = _line(lines, context_at[0]) if context_at else line
        return SyntaxHint("a text that starts with '[' or '{' must be in quotes (YAML reads "
                          f"[...] as a list): {_quote_example(opened)}")
    if "mapping values are not allowed" in words:
        before = line[: max(column - 1, 0)]
        if _KEY_VALUE.match(before + ": x") and re.search(r"\S:\s", before + " "):
            return SyntaxHint(
                "the text contains ': ', which YAML reads as the start of a new key: put the "
                f"whole text in quotes: {_quote_example(line)}"
            )
        return SyntaxHint(
            "this line is indented more than the key above it, so YAML reads it as the "
            "continuation of that key's value: start it in the same column as its sibling keys"
        )
    if "expected '-' indicator" in words:
        stripped = line.lstrip(" ")
        if stripped.startswith("-") and not stripped.startswith("- ") and stripped != "-":
            return SyntaxHint("put a space after the '-' that starts a list item: "
                              f"{'- ' + stripped[1:].lstrip()}")
        if context_at is not None and _indent(line) + 1 != context_at[1]:
            return SyntaxHint(
                f"this line starts in column {_indent(line) + 1}, the items of the list it "
                f"belongs to in column {context_at[1]}: align it with them"
            )
        return SyntaxHint(
            "each item of a list starts with '- ' in the same column; this line has no '- ': "
            "add it to start a new item, or indent the line under the item above"
        )
    if "block mapping" in words and "expected key" in words:
        match = _KEY_VALUE.match(line)
        if match and match.group(3)[:1] in ("[", "{"):
            return SyntaxHint(
                "a text that starts with '[' or '{' must be in quotes (YAML reads [...] as a "
                f"list): {_quote_example(line)}"
            )
        return SyntaxHint(
            "this line is indented differently from the keys beside it: the keys of one "
            "mapping start in the same column"
        )
    return SyntaxHint("")
