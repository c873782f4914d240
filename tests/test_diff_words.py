"""`stratplan.diff.words`: the word diff inside a pair of paragraphs is bounded, deterministic,
and always right: accepting its revisions gives the new text, rejecting them the old."""

from __future__ import annotations

import time

import pytest

from stratplan import ir
from stratplan.diff import words
from stratplan.diff.words import diff_runs


def accepted(runs: tuple[ir.Run, ...]) -> str:
    return "".join(r.text for r in runs if r.change != "del")


def rejected(runs: tuple[ir.Run, ...]) -> str:
    return "".join(r.text for r in runs if r.change != "ins")


def paragraph(prefix: str, count: int) -> tuple[ir.Run, ...]:
    return (ir.Run(" ".join(f"{prefix}{i}" for i in range(count))),)


@pytest.mark.slow
def test_two_different_long_paragraphs_are_bounded_and_right() -> None:
    """Two paragraphs of 10 000 words with none in common took 100 s; the budget of steps
    stops the search, and what is left is one deletion and one insertion."""
    old, new = paragraph("alpha", 10_000), paragraph("beta", 10_000)
    started = time.perf_counter()
    runs = diff_runs(old, new)
    elapsed = time.perf_counter() - started
    assert accepted(runs) == new[0].text and rejected(runs) == old[0].text
    assert elapsed < 20  # about 1 s; generous for a loaded machine
    # Deterministic: the budget counts steps, not seconds.
    assert diff_runs(old, new) == runs


def test_small_edits_in_a_long_paragraph_stay_word_by_word() -> None:
    text = [f"w{i}" for i in range(10_000)]
    changed = list(text)
    changed[0], changed[5_000], changed[-1] = "first", "middle", "last"
    runs = diff_runs((ir.Run(" ".join(text)),), (ir.Run(" ".join(changed)),))
    deleted = [r.text for r in runs if r.change == "del"]
    inserted = [r.text for r in runs if r.change == "ins"]
    assert deleted == ["w0", "w5000", "w9999"] and inserted == ["first", "middle", "last"]


def test_budget_spent_leaves_the_rest_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    old = (ir.Run("one two three four five six seven eight"),)
    new = (ir.Run("uno dos tres cuatro cinco seis siete ocho"),)
    monkeypatch.setattr(words, "MAX_STEPS", 0)
    runs = diff_runs(old, new)
    assert accepted(runs) == new[0].text and rejected(runs) == old[0].text
    assert [r.change for r in runs] == ["del", "ins"]


def test_more_distinct_tokens_than_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the characters tokens can be mapped to (about 1.1 million distinct tokens), chr()
    overflowed; such a pair is one deletion and one insertion."""
    monkeypatch.setattr(words, "MAX_TOKENS", 10)
    old, new = paragraph("a", 20), paragraph("b", 20)
    runs = diff_runs(old, new)
    assert [r.change for r in runs] == ["del", "ins"]
    assert accepted(runs) == new[0].text and rejected(runs) == old[0].text


@pytest.mark.slow
def test_a_long_paragraph_of_one_word_is_linear() -> None:
    """640 000 repeated words took 45-80 s: each token's text was added to the run before it,
    copying the run every time."""
    old = (ir.Run(" ".join(["word"] * 640_000)),)
    new = (ir.Run(old[0].text + " word"),)
    started = time.perf_counter()
    runs = diff_runs(old, new)
    assert time.perf_counter() - started < 30  # about 2 s
    assert accepted(runs) == new[0].text and rejected(runs) == old[0].text
    assert [r.change for r in runs] == [None, "ins"]


def test_formatting_and_footnotes_survive_the_merge_of_runs() -> None:
    old = (ir.Run("plain "), ir.Run("bold", bold=True), ir.Run("", footnote="a"), ir.Run(" end"))
    new = (ir.Run("plain "), ir.Run("bolder", bold=True), ir.Run("", footnote="a"), ir.Run(" end"))
    runs = diff_runs(old, new)
    assert [(r.text, r.bold, r.footnote, r.change) for r in runs] == [
        ("plain ", False, None, None),
        ("bold", True, None, "del"),
        ("bolder", True, None, "ins"),
        ("", False, "a", None),
        (" end", False, None, None),
    ]
