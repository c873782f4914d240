"""The IR key grammar: how each block of a document names what it renders. Keys are built and
read here and nowhere else (tests/test_layering.py fails on a module that builds or splits
one by hand).

    key    = [ "#" ] head *( "/" part ) [ "#" repeat ]
    head   = kind ":" name   |   name

- `target:broadband-coverage` names an item of the plan: its kind (as the model declares it,
  `Target.kind`) and its id. `target:broadband-coverage/row` is a part of that item's rendering
  (its row of a table), `goal:growth/point2` its second point.
- A key without a kind names a singleton of the plan or of the document: `title`, `annex`,
  `vision`, `vision/alt1`, `targets-table`.
- Some kinds name places of the document rather than items: `s:overview` (a section's
  heading), `cover:meeting`, `resources:head`, `matrix:itu-r`. A name may hold ":"
  (`linkage:sector:itu-r`: kind `linkage`, name `sector:itu-r`); no segment holds "/".
- A key starting with "#" is positional: it counts places rather than naming anything
  (`#s:overview/p3`, the third paragraph under section `overview`). The redline aligns such
  blocks by content.
- A key seen twice in one document is told apart by a repeat count (`target:x#2`): the
  bookmarks in Word need names of their own. The paragraph Word needs in an empty table cell
  is its row's key marked `#empty`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

POSITIONAL = "#"
KIND = ":"
PART = "/"
REPEAT = "#"
EMPTY = "empty"
SECTION = "s"  # the kind of a section heading's key ("s:overview")


@dataclass(frozen=True, slots=True)
class Key:
    """A key read into its parts: `target:x/row/text` is kind `target`, name `x`, parts
    ("row", "text")."""

    kind: str  # "" for a singleton (`title`, `vision/alt1`)
    name: str
    parts: tuple[str, ...] = ()
    positional: bool = False
    repeat: int = 1  # the nth time the key occurs in a document
    empty: bool = False  # the paragraph of an empty cell of the row this key names

    @property
    def head(self) -> str:
        """What the key is of, without its parts: `target:x`, `s:overview`, `vision`."""
        return f"{self.kind}{KIND}{self.name}" if self.kind else self.name

    @property
    def segments(self) -> tuple[str, ...]:
        """Every word of the key: its kind, the words of its name and its parts (what a
        change's scope of ids and fields is matched against)."""
        return tuple(s for s in (self.kind, *self.name.split(KIND), *self.parts) if s)

    def __str__(self) -> str:
        text = PART.join((self.head, *self.parts))
        if self.positional:
            text = POSITIONAL + text
        if self.empty:
            text = f"{text}{REPEAT}{EMPTY}"
        return text if self.repeat == 1 else f"{text}{REPEAT}{self.repeat}"


def _segment(value: object, what: str) -> str:
    text = str(value)
    if not text or PART in text:
        raise ValueError(f"a key's {what} must be a non-empty text without '/': {text!r}")
    return text


def key(kind: str, name: object = None, *parts: object) -> str:
    """The key of `name` of `kind` and its `parts`: key("target", "x", "row") is
    `target:x/row`; with no name, `kind` is a singleton's name: key("annex") is `annex`."""
    if name is None:
        return PART.join([_segment(kind, "name"), *(_segment(p, "part") for p in parts)])
    if KIND in kind:
        raise ValueError(f"a key's kind holds no ':': {kind!r}")
    head = f"{_segment(kind, 'kind')}{KIND}{_segment(name, 'name')}"
    return PART.join([head, *(_segment(p, "part") for p in parts)])


def sub(parent: str, *parts: object) -> str:
    """A part of what `parent` names: sub("goal:x", "point2") is `goal:x/point2`."""
    return PART.join([parent, *(_segment(p, "part") for p in parts)])


def positional(scope: str, label: object = None) -> str:
    """The key of the `label`d place under `scope` (a section's key): positional("s:x", "p3")
    is `#s:x/p3`; without a label, the place of `scope` itself (`#resources`)."""
    return POSITIONAL + (scope if label is None else sub(scope, label))


def repeated(key_text: str, count: int) -> str:
    """The `count`th occurrence of a key in one document (`target:x#2`)."""
    return key_text if count == 1 else f"{key_text}{REPEAT}{count}"


def empty_cell(row: str) -> str:
    """The key of the paragraph an empty cell of row `row` holds."""
    return f"{row}{REPEAT}{EMPTY}"


def parse(text: str) -> Key:
    """A key read into its parts; any text reads as some key (a singleton at worst)."""
    positional_key = text.startswith(POSITIONAL)
    body = text[1:] if positional_key else text
    repeat, empty = 1, False
    stem, mark, count = body.rpartition(REPEAT)
    if mark and count.isdigit() and stem:
        body, repeat = stem, int(count)
        stem, mark, count = body.rpartition(REPEAT)
    if mark and count == EMPTY and stem:
        body, empty = stem, True
    head, *parts = body.split(PART)
    kind, colon, name = head.partition(KIND)
    if not colon or not name or not kind:
        kind, name = "", head
    return Key(kind, name, tuple(parts), positional_key, repeat, empty)


def head_of(text: str) -> str:
    """What a key is of, without its parts or repeat: `target:x/row#2` -> `target:x`."""
    return parse(text).head


def item_of(text: str, kinds: Collection[str]) -> str | None:
    """The item of the plan a key belongs to (`outcome:x/text` -> `outcome:x`), when its kind
    is one of `kinds` (the plan's item kinds, as the model declares them); None for a
    positional key, a singleton or a place of the document."""
    read = parse(text)
    return read.head if read.kind in kinds and not read.positional else None


def is_positional(text: str) -> bool:
    return text.startswith(POSITIONAL)


def is_section(text: str) -> bool:
    """A section heading's key (`s:overview`)."""
    read = parse(text)
    return read.kind == SECTION and not read.parts and not read.positional


def section_of(text: str) -> str | None:
    """The section a key is placed under: its own head for a section's key or a positional
    key under one (`#s:overview/p3` -> `s:overview`), else None."""
    read = parse(text)
    return read.head if read.kind == SECTION else None


def renamed(text: str, aliases: Mapping[str, str]) -> str:
    """`text` with its head renamed by `aliases` (lineage: old item key -> new item key):
    `target:old/row` -> `target:new/row`."""
    if text in aliases:
        return aliases[text]
    head, sep, rest = text.partition(PART)
    if sep and head in aliases:
        return f"{aliases[head]}{PART}{rest}"
    return text


def within(prefix: str, text: str) -> str:
    """A key of one document placed inside another one's part (`part/3/draft/` + key): unique
    there, and read back by `outside`."""
    return f"{prefix}{PART}{text}"


def outside(prefix: str, text: str) -> str:
    """The key that `within(prefix, ...)` placed."""
    start = f"{prefix}{PART}"
    return text[len(start):] if text.startswith(start) else text
