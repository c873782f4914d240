"""Walking a plan: the model tree (every value with its data path), and raw YAML data alongside
the model (which model class a mapping is, the canonical order of its keys)."""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from stratplan import keys
from stratplan.model.facts import DataPath, members
from stratplan.model.plan import Plan
from stratplan.source.scalars import RawBool, RawFloat, RawInt


def walk(node: Any, path: DataPath = ()) -> Iterator[tuple[DataPath, Any]]:
    """Every value of a model tree with its data path, depth first, in document order."""
    yield path, node
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            value = getattr(node, name)
            if value is None or value == [] or value == {}:
                continue
            yield from walk(value, (*path, name))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from walk(item, (*path, index))
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from walk(item, (*path, key))


def id_bearers(nodes: Iterator[tuple[DataPath, Any]] | list[tuple[DataPath, Any]]) -> Iterator[
    tuple[DataPath, Any]
]:
    """Every model object among `nodes` (a `walk`) that has an `id`, with its path."""
    for path, value in nodes:
        if isinstance(value, BaseModel) and getattr(value, "id", None):
            yield path, value


# --- raw data alongside the model ----------------------------------------------------------


def _models(annotation: Any) -> list[type[BaseModel]]:
    return [m for m in members(annotation) if isinstance(m, type) and issubclass(m, BaseModel)]


def _container_arg(annotation: Any, kinds: tuple[type, ...], index: int) -> Any:
    for member in members(annotation):
        if typing.get_origin(member) in kinds:
            args = typing.get_args(member)
            return args[index] if len(args) > index else None
    return None


def node_model(annotation: Any, node: Any) -> type[BaseModel] | None:
    """The model class that a mapping `node` of this annotation is, if any.

    Where the annotation is a union of models (a section's `content` block is a `Show` or a
    `Para`), the member whose fields hold most of the node's keys wins: a mapping with `show:`
    is a `Show`, any other a `Para`.
    """
    if not isinstance(node, Mapping):
        return None
    candidates = _models(annotation)
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    keys = set(node)
    return max(candidates, key=lambda m: len(keys & set(m.model_fields)))


def child_annotation(annotation: Any, node: Any, key: Any) -> Any:
    """The annotation of `node[key]`, given the annotation of `node`."""
    if isinstance(node, Mapping):
        model = node_model(annotation, node)
        if model is not None:
            info = model.model_fields.get(key) if isinstance(key, str) else None
            return info.annotation if info is not None else None
        return _container_arg(annotation, (dict, Mapping), 1)
    if isinstance(node, Sequence) and not isinstance(node, str):
        return _container_arg(annotation, (list, Sequence), 0)
    return None


def model_for_path(
    data: Any, path: Sequence[str | int], root: type[BaseModel] = Plan
) -> type[BaseModel] | None:
    """The model class of the mapping at `path` in `data` (a plan file or a merged plan).

    `model_for_path(data, ("targets", 0, "indicators", 1))` is `Indicator`; a path that leaves
    the model (an unknown key) or ends on something that is not a model object gives None.
    """
    annotation: Any = root
    node = data
    for key in path:
        annotation = child_annotation(annotation, node, key)
        if annotation is None:
            return None
        node = node[key]
    return node_model(annotation, node)


def field_order(model: type[BaseModel]) -> list[str]:
    """The canonical order of a model's fields: `id` first, then the order the model declares.

    pydantic lists inherited fields first; for a model that extends another (`Target` and
    `Indicator` extend `Smart`) the order is: `id`, the model's own required fields (what names
    and states the item: `goal`, `text`), the inherited fields (the SMART fields, in `Smart`'s
    order), then the model's other fields in the order it declares them.
    """
    names = list(model.model_fields)
    inherited = {
        name
        for base in model.__mro__[1:]
        if isinstance(base, type) and issubclass(base, BaseModel)
        for name in base.model_fields
    }
    own = [n for n in names if n not in inherited]
    if inherited:
        required = [n for n in own if model.model_fields[n].is_required()]
        rest = [n for n in own if n not in required]
        names = required + [n for n in names if n in inherited] + rest
    return sorted(names, key=lambda n: n != "id")


def canonical_order(keys: list[Any], model: type[BaseModel]) -> list[Any]:
    """Known fields in the model's order, then unknown keys in their own order."""
    fields = {name: n for n, name in enumerate(field_order(model))}
    return sorted(keys, key=lambda k: (0, fields[k]) if k in fields else (1, keys.index(k)))


def all_models(root: type[BaseModel]) -> list[type[BaseModel]]:
    """Every model class reachable from `root` through its fields, `root` first."""
    found: list[type[BaseModel]] = []
    pending = [root]
    while pending:
        model = pending.pop(0)
        if model in found:
            continue
        found.append(model)
        for info in model.model_fields.values():
            pending.extend(m for m in _deep_models(info.annotation) if m not in found)
    return found


def _deep_models(annotation: Any) -> Iterator[type[BaseModel]]:
    origin = typing.get_origin(annotation)
    if origin is not None:
        for arg in typing.get_args(annotation):
            yield from _deep_models(arg)
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation


@functools.cache
def item_kinds() -> frozenset[str]:
    """The `kind`s of the plan's items: the prefixes of the IR keys that name an item
    (`target:broadband-coverage`), as the models declare them."""
    return frozenset(str(vars(m)["kind"]) for m in all_models(Plan) if "kind" in vars(m))


def item_of(key: str) -> str | None:
    """The plan item an IR key belongs to ("outcome:x/text" -> "outcome:x"), if any."""
    return keys.item_of(key, item_kinds())


# --- values as the model types them ---------------------------------------------------------

_INTEGER = re.compile(r"[-+]?[0-9]+")
_DECIMAL = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?")
_BOOLEANS = {"true": True, "True": True, "TRUE": True,
             "false": False, "False": False, "FALSE": False}


def typed(value: Any, annotation: Any) -> Any:
    """`value` (a contribution's, as its YAML was read) as a field of `annotation` holds it: a
    number or a yes/no written as text (`"2030"`) where the field takes only a number is the
    number, inside mappings and lists too, so that it is written back as one. Text the field's
    type cannot read stays as it is, for the model to report."""
    if isinstance(value, str):
        kinds = set(members(annotation))
        if str in kinds or not kinds & {int, float, bool}:
            return value
        text = value.strip()
        if int in kinds and _INTEGER.fullmatch(text):
            return RawInt(int(text), text)
        if float in kinds and _DECIMAL.fullmatch(text):
            return RawFloat(float(text), text)
        if bool in kinds and text in _BOOLEANS:
            return RawBool(_BOOLEANS[text], text)
        return value
    if isinstance(value, Mapping):
        return {key: typed(item, child_annotation(annotation, value, key))
                for key, item in value.items()}
    if isinstance(value, list):
        return [typed(item, child_annotation(annotation, value, index))
                for index, item in enumerate(value)]
    return value
