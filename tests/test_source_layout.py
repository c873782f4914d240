"""`stratplan.source.layout`: fmt's shortcut says "formatted" only where ruamel's round trip
would write the text back unchanged.

The shortcut is what makes `fmt --check` fast; a wrong "formatted" would let CI pass a file
that `fmt` rewrites. Each test compares it with the round trip itself (`format_text(...,
shortcut=False)`), on the real plans, on edits of them, on generated files, and on the places
where ruamel moves comments (found by comparing the two on generated files).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stratplan.diagnostics import StratplanError
from stratplan.source.reader import parse_yaml_text
from stratplan.tools.fmt import format_text, formatted_already

ROOT = Path(__file__).resolve().parents[1]
PLAN_FILES = sorted((ROOT / "plans").glob("*/*.yaml"))


def round_trip(text: str) -> str:
    """What fmt writes for `text` without the shortcut (a refusal as its message)."""
    try:
        return format_text(text, shortcut=False)
    except StratplanError as exc:
        return f"refused: {exc.diagnostics[0].message}"


def parses(text: str) -> bool:
    try:
        parse_yaml_text(text, "test.yaml")
    except StratplanError:
        return False
    return True


def assert_sound(text: str) -> bool:
    """Where the shortcut says formatted, the round trip agrees; returns what it said."""
    if not parses(text) or not formatted_already(text):
        return False
    assert round_trip(text) == text, text
    return True


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_plan_file_is_known_formatted_without_the_round_trip(path: Path) -> None:
    """`fmt --check plans/` takes the shortcut for every file (that is its speed), and the
    round trip agrees."""
    text = path.read_text(encoding="utf-8")
    assert formatted_already(text)
    assert round_trip(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\n",
        "# head\n\na:\n  - id: x\n    text: y  # eol\n\n  # next\n  - id: z\n",
        "a:\n  - [x, \"y\"]\n  - {k: v}\nb: ''\nc: \"\"\nd: 'it''s'\ne: \"q\\\"r\"\n",
        "rows:\n  -   - cell\n      - other\n  -   - [a, b]\n",
        "a: true\nb: -5\nc: é 🙂\n",
    ],
)
def test_formatted_texts_are_known(text: str) -> None:
    assert formatted_already(text)
    assert round_trip(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "\na: 1\n",  # a blank first line goes
        "a: True\n",  # respelt `true`
        "a: 1 # x\n",  # end-of-line comments stand two spaces after the value
        "a:  1\n",
        "a:\n    b: 1\n",
        "a:\n- x\n",
        "a: ~\n",
        "a:\n  - - x\n",
        "a: [x,y]\n",
        "a: x  \n",
        # Where ruamel moves or loses comments next to a flow collection.
        "a:\n  -   - x\n      - [a, b]\n    # tail\n",
        "a:\n  k:  # e\n    - {}\n    - x\n    - {k: v}\n",
        "a:\n  k:\n    # c\n    - {}\n    - q\n    - ''\n",
        "a:\n  k:\n\n    - {}\n    - q\n    - ''\n",
    ],
)
def test_what_the_round_trip_changes_is_not_formatted(text: str) -> None:
    assert parses(text)
    assert not formatted_already(text)
    assert round_trip(text) != text


@pytest.mark.parametrize(
    "text",
    [
        "a: 2024-01-01\n",  # a date to ruamel, a string to the loader
        "a: [x, y]  # c\n",
        "a: &x 1\nb: *x\n",
        "a: ! x\n",
        "a: |\n  text\n",
        "a: \"x\n  y\"\n",
        "---\na: 1\n",
        "a: 1\r\n",
        "a: x\t# tab\n",
    ],
)
def test_what_the_shortcut_does_not_model_is_left_to_the_round_trip(text: str) -> None:
    assert parses(text)
    assert not formatted_already(text)


def test_keys_out_of_the_model_order_are_not_formatted() -> None:
    text = "goals:\n  - title: Growth\n    id: growth\n"
    assert parses(text) and not formatted_already(text)
    assert round_trip(text) == "goals:\n  - id: growth\n    title: Growth\n"


# --- generated cases -----------------------------------------------------------------------

SCALARS = [
    "x", "Hello world", "2031", "true", "True", '"quoted"', "'single'", '"a\\"b"', "'it''s'",
    '""', "''", "é ü", "[a, b]", "{k: v}", "[]", "{}", "C&I", "yes", "2024-01-01", "1.10",
    "007", "~", "-0", "0x1F", "x #y", "x#y", '"a\\tb"', '"\\u00e9"', "[a, 'b']",
]
KEYS = ["id", "text", "goal", "title", "k", "footnotes", "items", "true", "1"]


def emit(node: Any, indent: int, out: list[str], lead: str | None = None) -> None:
    """Lines in (roughly) fmt's layout; the round trip decides what is right."""
    items = node.items() if isinstance(node, dict) else ((None, v) for v in node)
    for n, (key, value) in enumerate(items):
        margin = lead if n == 0 and lead is not None else " " * indent
        if key is not None:
            if isinstance(value, dict | list):
                out.append(f"{margin}{key}:")
                emit(value, indent + 2, out)
            else:
                out.append(f"{margin}{key}: {value}")
        elif isinstance(value, dict):
            emit(value, indent + 2, out, margin + "- ")
        elif isinstance(value, list):
            emit(value, indent + 4, out, margin + "-   ")
        else:
            out.append(f"{margin}- {value}")


trees = st.recursive(
    st.sampled_from(SCALARS),
    lambda children: st.lists(children, min_size=1, max_size=3)
    | st.dictionaries(st.sampled_from(KEYS), children, min_size=1, max_size=3),
    max_leaves=12,
)


@pytest.mark.slow
@settings(max_examples=400, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(
    root=st.dictionaries(st.sampled_from(["goals", "targets", "top", "plan"]), trees,
                         min_size=1, max_size=3),
    extras=st.lists(st.tuples(st.integers(0, 40), st.sampled_from(
        ["", "# c", "  # c", " # c", "    # c", "      # c", "eol", "eol3"])), max_size=4),
)
def test_generated_files(root: dict[str, Any], extras: list[tuple[int, str]]) -> None:
    lines: list[str] = []
    emit(root, 0, lines)
    for at, extra in extras:
        at = min(at, len(lines))
        if extra.startswith("eol") and at < len(lines):
            lines[at] += (" " * (2 if extra == "eol" else 3)) + "# e"
        elif not extra.startswith("eol"):
            lines.insert(at, extra)
    assert_sound("\n".join(lines) + "\n")


def edits(text: str, rng: random.Random) -> str:
    """One small edit of a formatted file, as a drafter might make it."""
    lines = text.split("\n")
    at = rng.randrange(len(lines))
    line = lines[at]
    indent = len(line) - len(line.lstrip(" "))
    kind = rng.randrange(9)
    if kind == 0:
        lines.insert(at, "")
    elif kind == 1:
        lines.insert(at, " " * rng.choice([0, 1, 2, 3, 4, 6, 8]) + "# note")
    elif kind == 2:
        lines[at] = line + " " * rng.choice([1, 2, 3]) + "# note"
    elif kind == 3:
        lines[at] = " " * max(0, indent + rng.choice([-2, -1, 1, 2])) + line.lstrip(" ")
    elif kind == 4:
        lines[at] = line.replace(": ", ":  ", 1)
    elif kind == 5 and at + 1 < len(lines):
        lines[at], lines[at + 1] = lines[at + 1], lines[at]
    elif kind == 6:
        del lines[at]
    elif kind == 7:
        lines[at] = line + " "
    elif ": " in line and not line.lstrip().startswith("#"):
        lines[at] = line.split(": ", 1)[0] + ": " + rng.choice(SCALARS)
    return "\n".join(lines)


@pytest.mark.slow
def test_edited_plan_files() -> None:
    """Edits of the real plans: blank and comment lines anywhere, indentation, spacing, key
    order, values. The shortcut must take many of them (else it is no shortcut) and be right
    on each."""
    rng = random.Random(19)
    small = [p for p in PLAN_FILES if p.stat().st_size < 15_000]
    taken = 0
    for _ in range(150):
        path = rng.choice(small)
        text = path.read_text(encoding="utf-8")
        for _ in range(rng.choice([1, 2])):
            text = edits(text, rng)
        taken += assert_sound(text)
    assert taken > 30
