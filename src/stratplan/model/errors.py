"""pydantic's validation errors as diagnostics at their source position (rule SP100)."""

from __future__ import annotations

import difflib
import functools
from typing import Any

from pydantic import BaseModel, ValidationError

from stratplan.diagnostics import Diagnostic, Severity
from stratplan.model.address import format_path
from stratplan.model.walk import all_models, model_for_path
from stratplan.source.reader import SourceMap

MAX_SCHEMA_DIAGNOSTICS = 200


@functools.cache
def _field_names(root: type[BaseModel]) -> list[str]:
    return sorted({name for model in all_models(root) for name in model.model_fields})


def data_path(data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """The part of a pydantic `loc` that is a real path in the data (union tags dropped)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            node = node[part]
            path.append(part)
    return tuple(path)


def schema_diagnostics(
    error: ValidationError, data: Any, sources: SourceMap, root: type[BaseModel]
) -> list[Diagnostic]:
    """One SP100 per distinct problem, located at the value (or the key, or the mapping that
    lacks a required key); an unknown key gets a did-you-mean among `root`'s field names."""
    out: list[Diagnostic] = []
    fields = _field_names(root)
    seen: set[tuple[str, tuple[str | int, ...]]] = set()
    errors = error.errors(include_url=False)
    for item in errors:
        if len(out) >= MAX_SCHEMA_DIAGNOSTICS:
            out.append(
                Diagnostic(
                    "SP100",
                    Severity.ERROR,
                    f"... and {len(errors) - MAX_SCHEMA_DIAGNOSTICS} more problems of this kind",
                    sources.default,
                    "fix the first ones; the rest are often consequences",
                )
            )
            break
        loc = tuple(item["loc"])
        kind = item["type"]
        path = data_path(data, loc)
        if kind == "missing":
            # The missing key has no position: point at the mapping that lacks it.
            message = f"{format_path(data, path, root)}: required field {loc[-1]!r} is missing"
            location = sources.locate(path)
            hint = ""
        elif kind == "extra_forbidden":
            key = str(loc[-1])
            # The fields of the mapping the key is in first: a misspelt `targetz:` at the top
            # is `targets`, not a field of some other model.
            model = model_for_path(data, path[:-1], root)
            own = sorted(model.model_fields) if model is not None else []
            close = difflib.get_close_matches(key, own, n=1) or difflib.get_close_matches(
                key, fields, n=1
            )
            message = f"{format_path(data, path[:-1], root)}: unknown key {key!r}"
            hint = f"did you mean {close[0]!r}?" if close else "remove it; misspelt keys are errors"
            location = sources.key_positions.get(path) or sources.locate(path)
        else:
            message = f"{format_path(data, path, root)}: {item['msg']}"
            location = sources.locate(path)
            hint = ""
        # Union members can report the same place twice; keep the first.
        if (message, path) in seen:
            continue
        seen.add((message, path))
        out.append(Diagnostic("SP100", Severity.ERROR, message, location, hint, path=path))
    return out
