"""Property-based tests: a real plan with one random mutation never crashes validation.

A copy of plans/2020-2023 and plans/2024-2027 (side by side, so lineage between them resolves)
gets one mutation in one file: a change to the data (key deleted, value retyped, two ids
swapped, a list item duplicated), made with ruamel's round-trip mode, or a change to the bytes
(truncated, garbage inserted). Both plans are then validated through the library API. Whatever
the mutation, no exception may escape, the exit status is 0 or 1 (never 2: nothing here is an
I/O problem), every diagnostic names a file of the copy and a documented rule, and exit 1 comes
with an error.

A second property mutates the example plan with changes that often keep it valid (new texts,
reordered lists): every mutant that validates clean must render and diff, and its Word files
pass the OOXML schema check.

Hypothesis runs derandomized (a fixed seed from the test's name) with a small example budget, so
CI is reproducible and the file runs in well under a minute.
"""

from __future__ import annotations

import copy
import io
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from stratplan import api
from stratplan.api import validate
from stratplan.checks import get_rule
from stratplan.checks.runner import ValidationResult
from stratplan.diagnostics import Severity, StratplanError
from tests.conftest import EXAMPLE
from tests.ooxml import assert_valid

# Mutation and property runs over the real plans.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
PLANS = ("2020-2023", "2024-2027")
# Read once: every example starts from the same bytes, even if the plans are edited meanwhile
# (hypothesis needs data generation that depends on nothing outside the test).
SNAPSHOT = {
    (plan, path.name): path.read_bytes()
    for plan in PLANS
    for path in sorted((ROOT / "plans" / plan).glob("*.yaml"))
}
FILES = sorted(SNAPSHOT)

DATA_MUTATIONS = ("delete-key", "retype", "swap-ids", "duplicate-item")
BYTE_MUTATIONS = ("truncate", "garbage")

SETTINGS = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # as `stratplan apply` writes plans: no rewrapping
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _entries(node: Any) -> Iterator[tuple[Any, Any, Any]]:
    """(container, key or index, value) for every entry below `node`, depth first."""
    if isinstance(node, dict):
        for key, value in list(node.items()):
            yield node, key, value
            yield from _entries(value)
    elif isinstance(node, list):
        for index, value in enumerate(list(node)):
            yield node, index, value
            yield from _entries(value)


def _retyped(value: Any) -> Any:
    """A value of another type: str -> list, int -> str, mapping -> scalar, list -> scalar."""
    if isinstance(value, bool):
        return "not a boolean"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return "a scalar where a mapping was"
    if isinstance(value, list):
        return "a scalar where a list was"
    return {"unexpected": "mapping"}  # null -> mapping


def mutate_data(text: str, kind: str, data: st.DataObject) -> str:
    """The file's text with one change to its data, or unchanged when there is nothing to
    change (e.g. no two ids to swap)."""
    yaml = _yaml()
    doc = yaml.load(text)
    entries = list(_entries(doc))
    if kind == "delete-key":
        keyed = [(c, k) for c, k, _ in entries if isinstance(c, dict)]
        if isinstance(doc, dict):
            keyed += [(doc, k) for k in doc]
        if keyed:
            container, key = keyed[data.draw(st.integers(0, len(keyed) - 1), label="entry")]
            del container[key]
    elif kind == "retype":
        if entries:
            container, key, value = entries[
                data.draw(st.integers(0, len(entries) - 1), label="entry")
            ]
            container[key] = _retyped(value)
    elif kind == "swap-ids":
        bearers = [v for _, _, v in entries if isinstance(v, dict) and "id" in v]
        if len(bearers) >= 2:
            i = data.draw(st.integers(0, len(bearers) - 1), label="first")
            j = data.draw(st.integers(0, len(bearers) - 2), label="second")
            j += j >= i
            bearers[i]["id"], bearers[j]["id"] = bearers[j]["id"], bearers[i]["id"]
    elif kind == "duplicate-item":
        lists = [(c, k) for c, k, _ in entries if isinstance(c, list)]
        if lists:
            items, index = lists[data.draw(st.integers(0, len(lists) - 1), label="item")]
            items.insert(index + 1, copy.deepcopy(items[index]))
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def mutate_bytes(raw: bytes, kind: str, data: st.DataObject) -> bytes:
    if kind == "truncate":
        return raw[: data.draw(st.integers(0, len(raw)), label="length")]
    at = data.draw(st.integers(0, len(raw)), label="offset")
    garbage = data.draw(st.binary(min_size=1, max_size=24), label="garbage")
    return raw[:at] + garbage + raw[at:]


def _copy_plans(tmp: Path) -> Path:
    plans = tmp / "plans"
    for plan in PLANS:
        (plans / plan).mkdir(parents=True)
    for (plan, name), raw in SNAPSHOT.items():
        (plans / plan / name).write_bytes(raw)
    return plans


def check_result(result: ValidationResult, tmp: Path) -> None:
    exit_code = result.exit_code()
    summary = [(d.code, str(d.location), d.message) for d in result.diagnostics[:10]]
    assert exit_code in (0, 1), summary
    root = tmp.resolve()
    for d in result.diagnostics:
        assert d.location is not None and d.location.file, d
        where = Path(d.location.file)
        where = where if where.is_absolute() else Path.cwd() / where
        assert where.resolve().is_relative_to(root), (d.location, root)
        assert d.location.line >= 0 and d.location.column >= 0, d
        assert get_rule(d.code) is not None, f"undocumented code {d.code}"
    if exit_code == 1:
        assert any(d.severity is Severity.ERROR for d in result.diagnostics), summary


def _validate_copy(plan: str, name: str, content: bytes | str) -> None:
    with tempfile.TemporaryDirectory(prefix="stratplan-mutation-") as tmp_name:
        tmp = Path(tmp_name)
        plans = _copy_plans(tmp)
        target = plans / plan / name
        if isinstance(content, str):
            target.write_text(content, encoding="utf-8")
        else:
            target.write_bytes(content)
        # Both cycles: a broken 2020-2023 is also the 2024-2027 plan's previous cycle.
        result = validate([plans / p for p in PLANS])
        check_result(result, tmp)


@SETTINGS
@given(
    source=st.sampled_from(FILES),
    kind=st.sampled_from(DATA_MUTATIONS),
    data=st.data(),
)
def test_data_mutation_never_crashes(
    source: tuple[str, str], kind: str, data: st.DataObject
) -> None:
    plan, name = source
    text = SNAPSHOT[source].decode("utf-8")
    _validate_copy(plan, name, mutate_data(text, kind, data))


@SETTINGS
@given(
    source=st.sampled_from(FILES),
    kind=st.sampled_from(BYTE_MUTATIONS),
    data=st.data(),
)
def test_byte_mutation_never_crashes(
    source: tuple[str, str], kind: str, data: st.DataObject
) -> None:
    plan, name = source
    raw = SNAPSHOT[source]
    _validate_copy(plan, name, mutate_bytes(raw, kind, data))


@pytest.mark.parametrize("plan", PLANS)
def test_round_trip_alone_changes_nothing(plan: str) -> None:
    """The harness's own round trip (no mutation) keeps the plans valid: a finding in the
    mutation tests comes from the mutation, not from ruamel rewriting the file."""
    yaml = _yaml()
    with tempfile.TemporaryDirectory(prefix="stratplan-mutation-") as tmp_name:
        plans = _copy_plans(Path(tmp_name))
        before = validate([plans / plan])
        for path in sorted((plans / plan).glob("*.yaml")):
            out = io.StringIO()
            yaml.dump(yaml.load(path.read_text(encoding="utf-8")), out)
            path.write_text(out.getvalue(), encoding="utf-8")
        after = validate([plans / plan])
    assert before.exit_code() == after.exit_code() == 0
    assert sorted(d.code for d in after.diagnostics) == sorted(d.code for d in before.diagnostics)


# --- what validates must render -------------------------------------------------------------
#
# The example plan (tests/fixtures/example: cover, sections, goals, targets, priorities,
# outcomes, resources, footnotes, comments, alternatives), one mutation away from itself. A
# mutant that validates without errors must render and be compared with the plan it came from
# (the CLI's exit 0: no StratplanError), and both Word files must pass the OOXML schema check
# (openxml-audit, the Open XML SDK's rules; see /work/research/ooxml/REPORT.md).

EXAMPLE_FILES = {path.name: path.read_text(encoding="utf-8") for path in EXAMPLE.glob("*.yaml")}
# Keys whose values are text a reader reads: a new text there keeps the plan valid.
TEXT_KEYS = {
    "title", "text", "statement", "label", "note", "reason", "meeting", "place_dates",
    "agenda_item", "document", "original", "annex", "resolution", "author", "source",
    "short_title", "unit", "data_source", "custodian", "target_value", "heading",
}
# Text that has broken renders before: markup and template syntax, footnote references,
# brackets, line separators, bidirectional and combining marks, wide characters.
TRICKY = [
    "<b>&amp;</b>", "{{ plan }}", "{% raw %}", "[^developing]", "[^nowhere]", "[draft] text",
    "a\u2028b", "\u00a0", "\u200b", "\u202e", "e\u0301", "\U0001f600", "\t", "  ", "x" * 300,
    '"', "'", "\\", "-", "=HYPERLINK(\"x\")", "#", ": ", "- ", "0", "1.10", "true", "null",
]
TEXTS = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40),
    st.lists(st.sampled_from(TRICKY), min_size=1, max_size=4).map("".join),
)
RENDER_MUTATIONS = ("retext", "append", "delete-key", "duplicate-item", "reverse-list")

RENDER_SETTINGS = settings(
    max_examples=24,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def mutate_text(text: str, kind: str, data: st.DataObject) -> str:
    """One change that often keeps the plan valid (unlike `mutate_data`'s)."""
    if kind in ("delete-key", "duplicate-item"):
        return mutate_data(text, kind, data)
    yaml = _yaml()
    doc = yaml.load(text)
    entries = list(_entries(doc))
    if kind == "reverse-list":
        lists = [v for _, _, v in entries if isinstance(v, list) and len(v) > 1]
        if lists:
            lists[data.draw(st.integers(0, len(lists) - 1), label="list")].reverse()
    else:
        texts = [
            (c, k) for c, k, v in entries
            if isinstance(v, str) and (isinstance(c, list) or k in TEXT_KEYS)
        ]
        if texts:
            container, key = texts[data.draw(st.integers(0, len(texts) - 1), label="text")]
            new = data.draw(TEXTS, label="new text")
            container[key] = container[key] + new if kind == "append" else new
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


@RENDER_SETTINGS
@given(
    name=st.sampled_from(sorted(EXAMPLE_FILES)),
    kind=st.sampled_from(RENDER_MUTATIONS),
    data=st.data(),
)
def test_what_validates_renders_and_diffs(name: str, kind: str, data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory(prefix="stratplan-render-") as tmp_name:
        tmp = Path(tmp_name)
        old, new = tmp / "old" / "2028-2031", tmp / "new" / "2028-2031"
        for folder in (old, new):
            folder.mkdir(parents=True)
            for file, text in EXAMPLE_FILES.items():
                (folder / file).write_text(text, encoding="utf-8")
        (new / name).write_text(mutate_text(EXAMPLE_FILES[name], kind, data), encoding="utf-8")
        result = validate([new])
        check_result(result, tmp)
        if result.exit_code() != 0:
            return  # refused, with located diagnostics: checked above
        try:
            api.render([new], tmp / "new.docx")
            api.render([new], tmp / "new.md", fmt="md")
            api.diff(old, new, tmp / "redline.docx")
        except StratplanError as exc:
            found = [(d.code, str(d.location), d.message) for d in exc.diagnostics]
            pytest.fail(f"valid, yet render or diff refused it: {found}")
        for docx in (tmp / "new.docx", tmp / "redline.docx"):
            assert_valid(docx)  # tests/ooxml.py: the schema check every .docx passes
