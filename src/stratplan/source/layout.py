"""Whether a plan file is already in fmt's layout, read from the loader's C-parser events.

fmt's layout is what ruamel's round trip writes (`roundtrip.round_trip_yaml`), and that round
trip is pure Python: reading, writing and comparing a plan file that way costs 20-60 ms, and
`fmt --check` (what pre-commit and CI run) mostly proves that formatted files stay as they are.
This module answers that question from the events libyaml already produced for the loader: for
a file made only of block mappings and sequences (a sequence item's mapping starting on its
dash line), one-line scalars and one-line flow collections of scalars, it predicts each line
ruamel would write (indentation, `key: value`, quotes and escapes as the emitter writes them,
an end-of-line comment two spaces after its value) and compares. Comment lines and blank lines
are written back as they were read, so they are taken as they stand.

The answer is True only when every line is the predicted one; anything this module does not
model (anchors, tags, block scalars, multi-line values, empty values, tabs, "\\r", a blank first
line, a number or boolean the round trip might respell, a key that is not a plain name) gives
False, and fmt then takes the round trip, which decides. Key order is the model's business
(`stratplan.tools.fmt`), not this module's. tests/test_source_layout.py checks the prediction
against the round trip on every plan file, on edits of them and on generated files.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

from ruamel.yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

from stratplan.source.reader import resolve_plain
from stratplan.source.roundtrip import (
    EOL_GAP,
    MAPPING_INDENT,
    SEQUENCE_INDENT,
    SEQUENCE_OFFSET,
    WIDTH,
)
from stratplan.source.scalars import RawBool, RawInt

__all__ = ["in_layout"]

# Characters ruamel's emitter writes as they are in every scalar style (allow_unicode): printable
# ASCII and the printable Unicode planes, less the byte-order mark. Anything else it escapes,
# or it changes the style.
_AS_IS = "\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff"
_NOT_AS_IS = re.compile(f"[^{_AS_IS}]")
# A key fmt's prediction handles: a plain name that every YAML resolver reads as a string.
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_NOT_NAMES = {"y", "Y", "n", "N", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON",
              "off", "Off", "OFF", "true", "True", "TRUE", "false", "False", "FALSE",
              "null", "Null", "NULL"}
# Integers whose text ruamel writes back as read (no plus sign, leading zero, `-0` or
# underscore to lose).
_PLAIN_INT = re.compile(r"0|-?[1-9][0-9]*")
# In a flow collection a plain scalar must not hold what ends it there.
_FLOW_SPECIAL = re.compile(r"[,\[\]{}]|:(?:\s|$)|\s#")
_COMMENT_LINE = re.compile(r" *#.*")


class _Unknown(Exception):
    """Outside what the prediction models: the round trip decides."""


def in_layout(text: str, events: Sequence[Any]) -> bool:
    """Whether ruamel's round trip in fmt's setup writes `text` back unchanged, key order
    aside; False where that cannot be told from `events` (the parser events of `text`, with
    marks, as the loader's C parser gives them)."""
    if "\t" in text or "\r" in text or not text.endswith("\n") or text.startswith("\n"):
        return False
    predictor = _Predictor(text, events)
    try:
        predicted = predictor.lines()
    except _Unknown:
        return False
    return _matches(text.split("\n")[:-1], predicted, predictor.flow_lines)


def _matches(lines: list[str], predicted: dict[int, str], flow_lines: set[int]) -> bool:
    # ruamel attaches a comment to the token before it; next to a flow collection (on the
    # line before it, on its line, on the line after) it may move or lose comments and blank
    # lines: those files are left to the round trip.
    after_flow = False
    pending = False  # comment or blank lines since the last content line
    for number, line in enumerate(lines):
        content = predicted.get(number)
        if content is None:
            # Comment lines and blank lines are written back as read (no trailing space: fmt
            # strips it).
            if (line and not _COMMENT_LINE.fullmatch(line)) or line != line.rstrip(" "):
                return False
            if after_flow:
                return False
            pending = True
            continue
        if pending and number in flow_lines:
            return False
        pending = False
        after_flow = number in flow_lines
        if line == content:
            continue
        rest = line[len(content):]
        if after_flow or not (
            line.startswith(content)
            and rest.startswith(" " * EOL_GAP + "#")
            and rest == rest.rstrip(" ")
        ):
            return False
        pending = True  # an end-of-line comment: no flow collection on the next line either
    return True


class _Predictor:
    """The lines ruamel would write for the content of a file, by 0-based line number."""

    def __init__(self, text: str, events: Sequence[Any]) -> None:
        self.text = text
        self.events = events
        self.at = 0
        self.out: dict[int, str] = {}
        self.flow_lines: set[int] = set()

    def next(self) -> Any:
        if self.at >= len(self.events):
            raise _Unknown
        event = self.events[self.at]
        self.at += 1
        return event

    def peek(self) -> Any:
        if self.at >= len(self.events):
            raise _Unknown
        return self.events[self.at]

    def lines(self) -> dict[int, str]:
        if not isinstance(self.next(), StreamStartEvent):
            raise _Unknown
        start = self.next()
        if not isinstance(start, DocumentStartEvent) or start.explicit or start.version or (
            start.tags
        ):
            raise _Unknown
        root = self.next()
        if not isinstance(root, MappingStartEvent) or root.flow_style or _decorated(root):
            raise _Unknown
        self.mapping(0, None)
        end = self.next()
        if not isinstance(end, DocumentEndEvent) or end.explicit:
            raise _Unknown
        if not isinstance(self.next(), StreamEndEvent):
            raise _Unknown
        return self.out

    def put(self, line: int, content: str) -> None:
        if line in self.out or len(content) >= WIDTH:
            raise _Unknown  # two lines' content on one, or long enough for ruamel to fold
        self.out[line] = content

    def mapping(self, column: int, dash: tuple[int, str] | None) -> None:
        """A block mapping (its start event read) whose keys are at `column`; `dash` is the
        line and text of the sequence dash its first key follows."""
        first = True
        while not isinstance(self.peek(), MappingEndEvent):
            key = self.next()
            line = key.start_mark.line
            if not (isinstance(key, ScalarEvent) and key.style is None and not _decorated(key)
                    and key.end_mark.line == line and _is_name(key.value)):
                raise _Unknown
            if first and dash is not None:
                if dash[0] != line:
                    raise _Unknown
                prefix = dash[1]
            else:
                prefix = " " * column
            first = False
            head = f"{prefix}{key.value}:"
            value = self.peek()
            if isinstance(value, MappingStartEvent | SequenceStartEvent) and not value.flow_style:
                self.next()
                if _decorated(value):
                    raise _Unknown
                self.put(line, head)
                if isinstance(value, MappingStartEvent):
                    self.mapping(column + MAPPING_INDENT, None)
                else:
                    self.sequence(column + SEQUENCE_OFFSET)
            else:
                self.put(line, f"{head} {self.inline(line, flow=False)}")
        self.next()
        if first:
            raise _Unknown  # an empty block mapping does not exist; ruamel writes `{}`

    def sequence(self, column: int, lead: tuple[int, str] | None = None) -> None:
        """A block sequence (its start event read), its dashes at `column`; `lead` is the line
        and text of the outer dash its first dash follows (a list in a list: `-   - x`)."""
        first = True
        while not isinstance(self.peek(), SequenceEndEvent):
            item = self.peek()
            line = item.start_mark.line
            if first and lead is not None:
                if lead[0] != line:
                    raise _Unknown
                margin = lead[1]
            else:
                margin = " " * column
            first = False
            dash = margin + "-" + " " * (SEQUENCE_INDENT - SEQUENCE_OFFSET - 1)
            if isinstance(item, MappingStartEvent | SequenceStartEvent) and not item.flow_style:
                self.next()
                if _decorated(item):
                    raise _Unknown
                if isinstance(item, MappingStartEvent):
                    self.mapping(column + SEQUENCE_INDENT - SEQUENCE_OFFSET, (line, dash))
                else:
                    inner = margin + "-" + " " * (SEQUENCE_INDENT - 1)
                    self.sequence(column + SEQUENCE_INDENT, (line, inner))
            else:
                self.put(line, dash + self.inline(line, flow=False))
        self.next()
        if first:
            raise _Unknown

    def inline(self, line: int, flow: bool) -> str:
        """The text of a scalar or a flow collection of scalars that must sit on `line`."""
        event = self.next()
        if _decorated(event) or event.start_mark.line != line:
            raise _Unknown
        if isinstance(event, ScalarEvent):
            if event.end_mark.line != line:
                raise _Unknown
            return self.scalar(event, flow)
        if flow or not isinstance(event, MappingStartEvent | SequenceStartEvent):
            raise _Unknown  # nested flow collections, aliases
        mapping = isinstance(event, MappingStartEvent)
        end = MappingEndEvent if mapping else SequenceEndEvent
        parts: list[str] = []
        while not isinstance(self.peek(), end):
            if mapping:
                key = self.next()
                if not (isinstance(key, ScalarEvent) and key.style is None and not _decorated(key)
                        and key.start_mark.line == line and _is_name(key.value)):
                    raise _Unknown
                parts.append(f"{key.value}: {self.inline(line, flow=True)}")
            else:
                parts.append(self.inline(line, flow=True))
        closing = self.next()
        if closing.end_mark.line != line:
            raise _Unknown
        self.flow_lines.add(line)
        return ("{%s}" if mapping else "[%s]") % ", ".join(parts)

    def scalar(self, event: Any, flow: bool) -> str:
        value: str = event.value
        if (not value and event.style is None) or _NOT_AS_IS.search(value):
            raise _Unknown  # an empty plain value is a null, which ruamel may respell
        written = self.text[event.start_mark.index : event.end_mark.index]
        if event.style is None:
            predicted = value if _plain_kept(value, flow) else None
        elif event.style == '"':
            predicted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        elif event.style == "'":
            predicted = "'" + value.replace("'", "''") + "'"
        else:
            predicted = None  # block scalars
        if predicted is None or predicted != written:
            raise _Unknown
        return written


def _decorated(event: Any) -> bool:
    """An anchor, an alias or an explicit tag: left to the round trip."""
    return getattr(event, "anchor", None) is not None or getattr(event, "tag", None) is not None


def _is_name(key: str) -> bool:
    return _NAME.fullmatch(key) is not None and key not in _NOT_NAMES


def _plain_kept(value: str, flow: bool) -> bool:
    """Whether ruamel reads this plain scalar as the loader does and writes it back as it is."""
    if flow and _FLOW_SPECIAL.search(value):
        return False
    if value.startswith(("---", "...")):
        return False
    # ruamel's resolver (YAML 1.2 with timestamps, `=` and `<<`) must read the type the
    # loader reads, in a spelling its representer writes back unchanged.
    tag = _ruamel_resolver().resolve(ScalarNode, value, (True, False))
    resolved = resolve_plain(value)
    if isinstance(resolved, RawBool):
        return value in ("true", "false") and tag == "tag:yaml.org,2002:bool"
    if isinstance(resolved, RawInt):
        return _PLAIN_INT.fullmatch(value) is not None and tag == "tag:yaml.org,2002:int"
    return isinstance(resolved, str) and tag == "tag:yaml.org,2002:str"


@functools.cache
def _ruamel_resolver() -> VersionedResolver:
    return VersionedResolver()
