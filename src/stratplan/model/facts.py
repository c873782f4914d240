"""Facts declared on the model's fields, and the one walk that reads them.

A field says what its strings are by a marker in its annotation, declared once in `plan.py`:

- `RefTo("goals")`: the id of an item of that collection of the same plan;
- `LINEAGE`: an item of an earlier cycle, `<period>/<id>`;
- `PROSE`: text a reader reads (checked for footnote references, brackets, old periods);
- `HISTORY`: prose about the previous cycle (a lineage note, a reason for dropping): it may
  name that cycle's period, and a new cycle leaves it behind with the lineage;
- `TITLE`: a title that names the plan's period: `stratplan new` moves it to the new period;
- `MEETING`: a cover field of one Council meeting's document: `stratplan new` leaves it to be
  decided (`[...]`).

Every consumer (the reference and drafting rules, lineage, contributions, the diff's keys)
reads these facts from here instead of keeping its own list of field names.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

DataPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class RefTo:
    """The field holds the id of an item of `collection` in the same plan."""

    collection: str


@dataclass(frozen=True, slots=True)
class Marker:
    name: str


LINEAGE = Marker("lineage")  # `<period>/<id>`: an item of an earlier cycle
PROSE = Marker("prose")  # text of the document
HISTORY = Marker("history")  # text about the previous cycle's items
TITLE = Marker("title")  # a title that names the plan's period
MEETING = Marker("meeting")  # belongs to one Council meeting's cover


@dataclass(frozen=True, slots=True)
class FieldFacts:
    ref: RefTo | None = None
    lineage: bool = False
    prose: bool = False
    history: bool = False
    title: bool = False
    meeting: bool = False

    @property
    def any(self) -> bool:
        return (self.ref is not None or self.lineage or self.prose or self.history
                or self.title or self.meeting)


def _markers(annotation: Any) -> Iterator[object]:
    """Markers anywhere in an annotation: Annotated metadata, list items, dict values, unions."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *metadata = typing.get_args(annotation)
        yield from metadata
        yield from _markers(base)
    elif origin in (list, dict, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _markers(arg)


def members(annotation: Any) -> list[Any]:
    """The alternatives of an annotation: Annotated unwrapped, unions flattened, None dropped."""
    if annotation is None or annotation is type(None):
        return []
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return members(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out.extend(members(arg))
        return out
    return [annotation]


def models_in(annotation: Any) -> list[type[BaseModel]]:
    """The model classes an annotation admits, directly or as list items."""
    out: list[type[BaseModel]] = []
    for member in members(annotation):
        if typing.get_origin(member) is list:
            out += models_in(typing.get_args(member)[0])
        elif isinstance(member, type) and issubclass(member, BaseModel):
            out.append(member)
    return out


@functools.cache
def field_facts(model: type[BaseModel]) -> dict[str, FieldFacts]:
    """The facts of each field of `model` that carries any."""
    out: dict[str, FieldFacts] = {}
    for name, info in model.model_fields.items():
        found = [*info.metadata, *_markers(info.annotation)]
        ref = next((m for m in found if isinstance(m, RefTo)), None)
        facts = FieldFacts(
            ref=ref,
            lineage=LINEAGE in found,
            prose=PROSE in found,
            history=HISTORY in found,
            title=TITLE in found,
            meeting=MEETING in found,
        )
        if facts.any:
            out[name] = facts
    return out


@functools.cache
def collections(model: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """The fields of `model` that are lists of items with an `id`: what can be addressed."""
    out: dict[str, type[BaseModel]] = {}
    for name, info in model.model_fields.items():
        annotation = info.annotation
        for member in members(annotation):
            if typing.get_origin(member) is not list:
                continue
            items = [m for m in models_in(typing.get_args(member)[0]) if "id" in m.model_fields]
            if items:
                out[name] = items[0]
    return out


def _strings(value: Any, path: DataPath) -> Iterator[tuple[DataPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))


def leaves(node: Any, path: DataPath = ()) -> Iterator[tuple[DataPath, str, FieldFacts]]:
    """Every string of a model tree in a field with facts, with its path, in document order."""
    if isinstance(node, BaseModel):
        facts = field_facts(type(node))
        for name in type(node).model_fields:
            value = getattr(node, name)
            if value is None or value == [] or value == {}:
                continue
            here = (*path, name)
            fact = facts.get(name)
            if fact is not None:
                for string_path, text in _strings(value, here):
                    yield string_path, text, fact
            yield from leaves(value, here)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from leaves(item, (*path, index))
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from leaves(item, (*path, key))


def references(node: Any) -> Iterator[tuple[DataPath, str, str]]:
    """(path, id, collection it must name) for every in-plan reference."""
    for path, text, facts in leaves(node):
        if facts.ref is not None:
            yield path, text, facts.ref.collection


def lineage_refs(node: Any) -> Iterator[tuple[DataPath, str]]:
    """(path, `<period>/<id>`) for every reference to an item of another cycle."""
    for path, text, facts in leaves(node):
        if facts.lineage:
            yield path, text


def prose(node: Any) -> Iterator[tuple[DataPath, str]]:
    """(path, text) for every prose string: titles, texts, statements, footnotes..."""
    for path, text, facts in leaves(node):
        if facts.prose:
            yield path, text

