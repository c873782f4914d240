"""`stratplan.source.hints`: the common YAML slips get a plain-language hint, at the slip."""

from __future__ import annotations

import pytest

from stratplan.diagnostics import StratplanError
from stratplan.source.reader import parse_yaml_text

SLIPS = {
    # name: (text, line, words the hint must contain)
    "colon in text": (
        "goals:\n  - id: g\n    title: Goal: connect the world\n",
        3, ["': '", 'title: "Goal: connect the world"'],
    ),
    "missing dash": (
        "goals:\n  - id: g\n    title: A\n  id: h\n    title: B\n", 4, ["has no '- '"],
    ),
    "dash without space": (
        "goals:\n  - id: g\n    title: A\n  -id: h\n", 4, ["space after the '-'", "- id: h"],
    ),
    "list item out of line": (
        "goals:\n  - id: g\n    title: A\n   - id: h\n", 4, ["column 4", "column 3"],
    ),
    "key indented too far": (
        "plan:\n  title: T\n   period: 2028-2031\n", 3, ["indented more than the key above"],
    ),
    "key indented too little": (
        "plan:\n  title: T\n period: 2028-2031\n", 3, ["indented differently"],
    ),
    "tab": ("plan:\n\ttitle: T\n", 2, ["spaces, not tabs"]),
    "bracketed text": (
        "goals:\n  - id: g\n    title: [non-discriminatory] access for all\n",
        3, ["in quotes", 'title: "[non-discriminatory] access for all"'],
    ),
    "unclosed quote": ('goals:\n  - id: g\n    title: "Goal\n  - id: h\n', 3, ["never closed"]),
    "text continued at its key's column": (
        "goals:\n  - id: g\n    title: Goal one\n    that continues\n", 4,
        ["indented more than its key"],
    ),
    "text starting with a star": (
        "goals:\n  - id: g\n    title: *important* goal\n", 3, ["'*'", "in quotes"],
    ),
    "a lost '- ' before a second id": (
        "targets:\n  - id: a\n    text: A\n    id: b\n", 4, ["lost its '- '"],
    ),
}


@pytest.mark.parametrize("name", sorted(SLIPS))
def test_slip_has_a_hint_at_its_line(name: str) -> None:
    text, line, words = SLIPS[name]
    with pytest.raises(StratplanError) as exc:
        parse_yaml_text(text, "f.yaml")
    [d] = exc.value.diagnostics
    assert d.location is not None and d.location.line == line, (d.location, d.message)
    for word in words:
        assert word in d.hint, (name, d.hint)


def test_the_parsers_words_stay_in_the_message() -> None:
    with pytest.raises(StratplanError) as exc:
        parse_yaml_text("goals:\n  - id: g\n    title: A\n  id: h\n", "f.yaml")
    assert exc.value.diagnostics[0].message == (
        "YAML syntax error: while parsing a block collection did not find expected '-' "
        "indicator"
    )
