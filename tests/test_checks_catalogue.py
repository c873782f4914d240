"""`stratplan.checks.catalogue`: the rules as text, read from source, say what the rule classes
say."""

from __future__ import annotations

import ast

import pytest

from stratplan.checks import all_rules
from stratplan.checks.catalogue import _entry, entries, explanation, listing


def test_the_catalogue_is_the_registry() -> None:
    registered = [(r.code, r.name, r.title, r.severity, r.doc()) for r in all_rules()]
    assert [(e.code, e.name, e.title, e.severity, e.doc) for e in entries()] == registered


def test_generated_doc_is_filled_in() -> None:
    text = explanation("sp103")
    assert text is not None and text.startswith("SP103 unknown-show (error): ")
    assert "{show-kinds}" not in text
    assert "- thematic: " in text and "targets-table" in text


def test_listing_has_a_line_per_rule() -> None:
    lines = listing().splitlines()
    assert len(lines) == len(all_rules())
    assert any(line.startswith("SP101  error    ") for line in lines)
    assert explanation("SP999") is None


def test_a_rule_the_catalogue_cannot_read_is_an_error() -> None:
    """A rule whose title is computed would be listed wrong; the catalogue refuses it."""
    (node,) = ast.parse(
        "@register\nclass X(Rule):\n    code = 'SP1'\n    name = 'x'\n    title = f'{1}'\n"
        "    severity = Severity.ERROR\n"
    ).body
    with pytest.raises(ValueError, match="title is not a string literal"):
        _entry(node)
