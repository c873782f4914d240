"""`stratplan fmt`: rewrite plan files in one canonical layout, keeping every comment.

The layout: 2-space mappings, block sequences indented `- ` two spaces under their key, lines
folded at 100 columns (ruamel's `width`), unicode kept, quotes kept as written, and keys in a
canonical order. A mapping that is a model object (found by walking the data alongside the
pydantic model, see `model_for_path`) has its fields in the order the model declares them
(unknown keys keep their relative order after the known ones); a file's top-level keys follow
`Plan`.

Two guarantees are checked on every file before anything is written: the data read back with
the plan loader (`stratplan.load.parse_yaml_text`) is the same as before, scalar types and the
written form of numbers included; and every comment of the file is still there. A file for which
either check fails is refused (SP012) and left as it is.
"""

from __future__ import annotations

import bisect
import io
import os
import tempfile
import types
import typing
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, merge_attrib
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.error import CommentMark
from ruamel.yaml.events import ScalarEvent
from ruamel.yaml.tokens import CommentToken

from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path
from stratplan.load import (
    YAML_SUFFIXES,
    RawBool,
    RawFloat,
    RawInt,
    decode_yaml_bytes,
    parse_yaml_text,
)
from stratplan.model import Plan

# Never rewrap: a plan paragraph is one line, so diffs show the sentence that changed (and
# `apply` writes the same way).
WIDTH = 4096
MAPPING_INDENT = 2
SEQUENCE_INDENT = 4
SEQUENCE_OFFSET = 2
FMT_CODE = "SP012"
EOL_GAP = 2  # spaces between a value and its end-of-line comment

__all__ = [
    "FormatResult",
    "field_order",
    "format_paths",
    "format_text",
    "model_for_path",
    "remove_key",
    "reorder",
    "yaml_comments",
]


class _Emitter(Emitter):
    """ruamel's emitter, with end-of-line comments two spaces after what they follow.

    ruamel writes a comment at the column it was read from; once a long value is folded, that
    column is far right of the value's last line. Comment lines are written as they were read.
    """

    def write_comment(self, comment: Any, pre: bool = False) -> None:
        value = comment.value
        if not pre and self.column and value and value[0] != "\n" and value.lstrip()[:1] == "#":
            comment = CommentToken(value, CommentMark(self.column + EOL_GAP), None)
        super().write_comment(comment, pre)


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.Emitter = _Emitter
    yaml.preserve_quotes = True
    yaml.allow_unicode = True
    yaml.width = WIDTH
    yaml.indent(mapping=MAPPING_INDENT, sequence=SEQUENCE_INDENT, offset=SEQUENCE_OFFSET)
    return yaml


# --- which model class a mapping is --------------------------------------------------------


def _members(annotation: Any) -> list[Any]:
    """The alternatives of an annotation: Annotated unwrapped, unions flattened, None dropped."""
    if annotation is None or annotation is type(None):
        return []
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _members(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out.extend(_members(arg))
        return out
    return [annotation]


def _models(annotation: Any) -> list[type[BaseModel]]:
    return [m for m in _members(annotation) if isinstance(m, type) and issubclass(m, BaseModel)]


def _container_arg(annotation: Any, kinds: tuple[type, ...], index: int) -> Any:
    for member in _members(annotation):
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
    """The canonical order of a model's fields: `id` first, then the order model.py declares.

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


# --- moving keys with their comments ---------------------------------------------------------
#
# ruamel keeps a comment that stands on its own line(s) before a key as the tail of whatever was
# emitted before it: the comment slot of the deepest last scalar of the previous key's value.
# Moving keys therefore moves those lines: each key's leading lines are cut from the previous
# key's tail and, after the move, appended to the tail of the key now before it.


def _is_block(value: Any) -> bool:
    return (
        isinstance(value, CommentedMap | CommentedSeq)
        and len(value) > 0
        and not value.fa.flow_style()
    )


def tail_slot(container: Any, key: Any) -> tuple[Any, Any]:
    """(container, key) whose comment slot holds what is written after `container[key]`."""
    value = container[key]
    while _is_block(value):
        container = value
        key = next(reversed(value)) if isinstance(value, CommentedMap) else len(value) - 1
        value = container[key]
    return container, key


def _slot_index(container: Any) -> int:
    return 2 if isinstance(container, CommentedMap) else 0


def get_comment(container: Any, key: Any) -> CommentToken | None:
    entry = container.ca.items.get(key)
    if not entry:
        return None
    token = entry[_slot_index(container)]
    return token if isinstance(token, CommentToken) else None


def set_comment(container: Any, key: Any, text: str) -> None:
    """Set the text written after `container[key]` (its end-of-line part first)."""
    token = get_comment(container, key)
    if token is not None:
        token.value = text  # in place: a flow collection shares the token with its parent
        return
    if text.strip("\n") == "":
        return
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    entry[_slot_index(container)] = CommentToken(text, CommentMark(0), None)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def split_tail(text: str, column: int | None) -> tuple[str, str]:
    """Split a tail into what stays (end-of-line comment, comment lines indented deeper than the
    mapping's keys) and what leads the next key (the lines from the first shallower one on)."""
    if not text:
        return "", ""
    newline = text.find("\n")
    if newline < 0:
        return text, ""
    eol, rest = text[: newline + 1], text[newline + 1 :]
    lines = rest.splitlines(keepends=True)
    keep = 0
    if column is not None:
        while keep < len(lines) and lines[keep].strip() and _indent(lines[keep]) > column:
            keep += 1
    return eol + "".join(lines[:keep]), "".join(lines[keep:])


def add_head(mapping: CommentedMap, lines: str) -> None:
    """Put comment lines before the first key of `mapping`."""
    comment = mapping.ca.comment
    if comment and isinstance(comment[0], CommentToken):
        comment[0].value += lines
        return
    if not comment:
        mapping.ca.comment = comment = [None, None]
    if comment[1] is None:
        comment[1] = []
    comment[1].append(CommentToken(lines, CommentMark(0), None))


def _key_column(mapping: CommentedMap) -> int | None:
    try:
        col = mapping.lc.col
    except AttributeError:  # pragma: no cover - every loaded mapping has one
        return None
    return col if isinstance(col, int) else None


def reorder(mapping: CommentedMap, order: list[Any]) -> None:
    """Reorder the keys of a round-trip mapping in place, each key with its comments."""
    keys = list(mapping)
    if keys == order or getattr(mapping, merge_attrib, None):
        return
    column = _key_column(mapping)
    leading: dict[Any, str] = {}
    trailing = ""
    for n, key in enumerate(keys):
        container, slot = tail_slot(mapping, key)
        token = get_comment(container, slot)
        stay, lead = split_tail(token.value if token is not None else "", column)
        if token is not None:
            token.value = stay
        if n + 1 < len(keys):
            leading[keys[n + 1]] = lead
        else:
            trailing = lead
    for key in order:
        mapping.move_to_end(key)
    first = order[0]
    if leading.get(first):
        add_head(mapping, leading[first])
    for n, key in enumerate(order):
        after = leading.get(order[n + 1], "") if n + 1 < len(order) else trailing
        if not after:
            continue
        container, slot = tail_slot(mapping, key)
        token = get_comment(container, slot)
        current = token.value if token is not None else ""
        if not current.endswith("\n"):
            current += "\n"
        set_comment(container, slot, current + after)


def _comment_lines(node: Any, seen: set[int]) -> list[str]:
    """The comment lines held in comment tokens, in the order found (each token once)."""
    out: list[str] = []
    if isinstance(node, CommentToken):
        if id(node) not in seen:
            seen.add(id(node))
            out += [ln.strip() for ln in node.value.splitlines() if ln.strip().startswith("#")]
    elif isinstance(node, list | tuple) and not isinstance(node, CommentedSeq):
        for item in node:
            out += _comment_lines(item, seen)
    if isinstance(node, CommentedMap | CommentedSeq):
        out += _comment_lines(node.ca.comment or [], seen)
        keys = list(node) if isinstance(node, CommentedMap) else range(len(node))
        for key in keys:
            out += _comment_lines(node.ca.items.get(key) or [], seen)
            out += _comment_lines(node[key], seen)
        out += _comment_lines(node.ca.end or [], seen)
    return out


def remove_key(mapping: CommentedMap, key: Any) -> None:
    """Delete `key` from a round-trip mapping without losing a comment.

    The comment lines that led the next key stay before it; the removed entry's own comments
    (its end-of-line comment, those inside its value) are kept where it was, as full-line
    comments at its indentation.
    """
    keys = list(mapping)
    position = keys.index(key)
    column = _key_column(mapping) or 0
    container, slot = tail_slot(mapping, key)
    token = get_comment(container, slot)
    lead = ""
    if token is not None:
        token.value, lead = split_tail(token.value, column)
    seen: set[int] = set()
    own = _comment_lines(mapping.ca.items.get(key) or [], seen)
    own += _comment_lines(mapping[key], seen)
    kept = "".join(" " * column + line + "\n" for line in own) + lead
    del mapping[key]
    mapping.ca.items.pop(key, None)
    if not kept.strip():
        return
    if position == 0 or not mapping:
        add_head(mapping, kept)
        return
    container, slot = tail_slot(mapping, list(mapping)[position - 1])
    token = get_comment(container, slot)
    current = token.value if token is not None else "\n"
    if not current.endswith("\n"):
        current += "\n"
    set_comment(container, slot, current + kept)


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


def yaml_comments(text: str) -> list[str]:
    """The comments of a YAML text (stripped), found outside every scalar by the parser."""
    spans: list[tuple[int, int]] = []
    for event in YAML(typ="safe", pure=True).parse(text):
        if isinstance(event, ScalarEvent):
            spans.append((event.start_mark.index, event.end_mark.index))
    out: list[str] = []
    starts = [start for start, _ in spans]
    offset = 0
    for line in text.splitlines(keepends=True):
        column = 0
        while True:
            column = line.find("#", column)
            if column < 0:
                break
            index = offset + column
            at = bisect.bisect_right(starts, index) - 1
            inside = at >= 0 and spans[at][0] <= index < spans[at][1]
            if not inside and (column == 0 or line[column - 1] in " \t"):
                out.append(line[column:].rstrip())
                break
            column += 1
        offset += len(line)
    return out


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


def format_text(text: str, file: str = "<text>") -> str:
    """The canonical layout of one plan file's text; the data and the comments are unchanged.

    Raises StratplanError for text that is not valid plan YAML (as the loader reports it), and
    SP012 where the canonical form would not read back the same (the text is then not changed).
    """
    before, _ = parse_yaml_text(text, file)
    if before is None:
        return text
    yaml = _yaml()
    document = yaml.load(text)
    canonicalize(document)
    stream = io.StringIO()
    yaml.dump(document, stream)
    dumped = stream.getvalue()
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


def _write_atomically(path: Path, text: str) -> None:
    mode = path.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def format_paths(paths: list[Path], check: bool = False) -> FormatResult:
    """Format plan files (folders: every *.yaml / *.yml inside, recursively).

    With `check`, nothing is written and `changed` lists the files that would change. Every file
    is formatted in memory first: one file that cannot be read or formatted stops the run
    (StratplanError with every problem found) before any file is written.
    """
    result = FormatResult()
    problems: list[Diagnostic] = []
    pending: list[tuple[Path, str]] = []
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
        if formatted.encode("utf-8") != data:
            result.changed.append(path)
            pending.append((path, formatted))
    if problems:
        raise StratplanError(problems)
    if not check:
        for path, formatted in pending:
            _write_atomically(path, formatted)
    return result
