"""`stratplan fmt`: rewrite plan files in one canonical layout, keeping every comment.

The layout: 2-space mappings, block sequences indented `- ` two spaces under their key, lines
folded at 100 columns (ruamel's `width`), unicode kept, quotes kept as written, and keys in a
canonical order. A mapping that is a model object (found by walking the data alongside the
pydantic model, see `model_for_path`) has its fields in the order the model declares them
(unknown keys keep their relative order after the known ones); a file's top-level keys follow
`Plan`.

Two guarantees are checked on every file before anything is written: the data read back with
the plan loader (`stratplan.source.reader.parse_yaml_text`) is the same as before, scalar types
and the written form of numbers included; and every comment of the file is still there. A file
for which either check fails is refused (SP012) and left as it is.

The round trip is pure Python (20-60 ms a file) and most files are formatted already: a file
whose layout the loader's parse shows to be canonical (`stratplan.source.layout`) and whose
keys are in canonical order is taken as it is, without it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path
from stratplan.model.plan import Plan
from stratplan.model.walk import canonical_order, child_annotation, node_model
from stratplan.source.layout import in_layout
from stratplan.source.reader import YAML_SUFFIXES, decode_yaml_bytes, parse_yaml_text
from stratplan.source.roundtrip import (
    dump_text,
    load_text,
    reorder,
    round_trip_yaml,
    yaml_comments,
)
from stratplan.source.scalars import RawBool, RawFloat, RawInt
from stratplan.writers.files import like_original, write_atomically

FMT_CODE = "SP012"

__all__ = ["FormatResult", "format_paths", "format_text", "formatted_already"]


def canonicalize(node: Any, annotation: Any = Plan) -> None:
    """Put every model mapping under `node` in canonical key order (in place)."""
    if isinstance(node, CommentedMap):
        model = node_model(annotation, node)
        if model is not None:
            reorder(node, canonical_order(list(node), model))
        for key in list(node):
            canonicalize(node[key], child_annotation(annotation, node, key))
    elif isinstance(node, CommentedSeq):
        item = child_annotation(annotation, node, 0)
        for value in node:
            canonicalize(value, item)


def formatted_already(text: str, file: str = "<text>") -> bool:
    """Whether the loader's parse shows `text` to be in the canonical layout (`format_text`
    would return it unchanged). False means "not known": the round trip decides."""
    events: list[Any] = []
    data, _ = parse_yaml_text(text, file, events=events)
    return data is None or _formatted(text, events, data)


def _formatted(text: str, events: list[Any], data: Any) -> bool:
    return in_layout(text, events) and _in_model_order(data)


def _in_model_order(node: Any, annotation: Any = Plan) -> bool:
    """Whether every model mapping of the loaded data `node` is in canonical key order
    already (`canonicalize` would move nothing)."""
    if isinstance(node, dict):
        model = node_model(annotation, node)
        if model is not None:
            keys = list(node)
            if canonical_order(keys, model) != keys:
                return False
        return all(
            _in_model_order(value, child_annotation(annotation, node, key))
            for key, value in node.items()
        )
    if isinstance(node, list):
        item = child_annotation(annotation, node, 0)
        return all(_in_model_order(value, item) for value in node)
    return True


# --- the checks --------------------------------------------------------------------------


def _comparable(value: Any) -> Any:
    """Loaded data with the written form of numbers and booleans made explicit (key order is
    not data: mappings compare as dicts)."""
    if isinstance(value, dict):
        return {_comparable(k): _comparable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    if isinstance(value, RawInt | RawFloat | RawBool):
        return (type(value).__name__, value.raw)
    return (type(value).__name__, value)


def _same_data(before: Any, after_text: str, file: str) -> bool:
    try:
        after, _ = parse_yaml_text(after_text, file)
    except StratplanError:
        return False
    return bool(_comparable(before) == _comparable(after))


def _refuse(file: str, message: str) -> StratplanError:
    return StratplanError(
        [
            Diagnostic(
                FMT_CODE,
                Severity.ERROR,
                message,
                Location(file),
                "the file is left as it is; please report this with the file",
                io=True,
            )
        ]
    )


# --- the API -------------------------------------------------------------------------------


def format_text(text: str, file: str = "<text>", *, shortcut: bool = True) -> str:
    """The canonical layout of one plan file's text; the data and the comments are unchanged.

    Raises StratplanError for text that is not valid plan YAML (as the loader reports it), and
    SP012 where the canonical form would not read back the same (the text is then not changed).
    A text that the loader's parse shows to be formatted already is returned as it is, without
    ruamel's round trip (20-60 ms a file); `shortcut=False` always takes the round trip.
    """
    events: list[Any] = []
    before, _ = parse_yaml_text(text, file, events=events)
    if before is None:
        return text
    if shortcut and _formatted(text, events, before):
        return text
    yaml = round_trip_yaml()
    document = load_text(yaml, text, file)
    canonicalize(document)
    dumped = dump_text(yaml, document)
    # ruamel leaves a space at the end of a folded plain line; the loader drops it anyway.
    stripped = "\n".join(line.rstrip(" \t") for line in dumped.split("\n"))
    for candidate in (stripped, dumped):
        if _same_data(before, candidate, file):
            break
    else:
        raise _refuse(file, "the canonical layout would change a value")
    if Counter(c.rstrip() for c in yaml_comments(text)) != Counter(
        c.rstrip() for c in yaml_comments(candidate)
    ):
        raise _refuse(file, "the canonical layout would lose or change a comment")
    return candidate


@dataclass
class FormatResult:
    """Files that changed (or, with check, would change), and the files looked at."""

    changed: list[Path] = field(default_factory=list)
    checked: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.changed


def _files(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix in YAML_SUFFIXES
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        else:
            out.append(path)
    seen: set[Path] = set()
    unique = []
    for p in out:
        if p.resolve() not in seen:
            seen.add(p.resolve())
            unique.append(p)
    return unique


def format_paths(paths: list[Path], check: bool = False) -> FormatResult:
    """Format plan files (folders: every *.yaml / *.yml inside, recursively).

    With `check`, nothing is written and `changed` lists the files that would change. Every file
    is formatted in memory first: one file that cannot be read or formatted stops the run
    (StratplanError with every problem found) before any file is written.
    """
    result = FormatResult()
    problems: list[Diagnostic] = []
    pending: list[tuple[Path, bytes]] = []
    for path in _files(paths):
        file = display_path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(
                Diagnostic(
                    "SP010",
                    Severity.ERROR,
                    f"cannot read file: {exc.strerror or exc}",
                    Location(file),
                    io=True,
                )
            )
            continue
        try:
            text = decode_yaml_bytes(file, data)
            formatted = format_text(text, file)
        except StratplanError as exc:
            problems.extend(exc.diagnostics)
            continue
        result.checked.append(path)
        # The layout is canonical; the line ends and byte-order mark stay the file's own.
        encoded = like_original(formatted, data)
        if encoded != data:
            result.changed.append(path)
            pending.append((path, encoded))
    if problems:
        raise StratplanError(problems)
    if not check:
        for path, encoded in pending:
            # In place, atomically, keeping the file's mode: fmt rewrites its inputs.
            write_atomically(path, encoded, inputs=())
    return result
