"""The one round-trip YAML setup, and edits of round-trip data that keep every comment.

`fmt`, `apply` and `new` rewrite plan files with ruamel's round-trip mode; they share this
setup, so the files they write agree: 2-space mappings, block sequences indented `- ` two
spaces under their key, unicode kept, quotes kept as written, and no rewrapping (a paragraph
stays one line, so a git diff shows the sentence that changed).
"""

from __future__ import annotations

import bisect
import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, merge_attrib
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.error import CommentMark
from ruamel.yaml.events import ScalarEvent
from ruamel.yaml.tokens import CommentToken

from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError
from stratplan.source.scalars import RawBool, RawFloat, RawInt

WIDTH = 4096
MAPPING_INDENT = 2
SEQUENCE_INDENT = 4
SEQUENCE_OFFSET = 2
EOL_GAP = 2  # spaces between a value and its end-of-line comment


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


def _raw_scalar(tag: str) -> Any:
    def represent(representer: Any, data: RawInt | RawFloat | RawBool) -> Any:
        return representer.represent_scalar(tag, data.raw)

    return represent


def round_trip_yaml() -> YAML:
    """A round-trip YAML instance in the plans' layout (a new one per use: they hold state).

    Values read by the plan loader can be written back as they were written: a number or a
    boolean keeps its text (`1.10`, `2033`, `true`), so what the loader gives, `apply` writes.
    """
    yaml = YAML(typ="rt", pure=True)
    yaml.Emitter = _Emitter
    yaml.representer.add_representer(RawInt, _raw_scalar("tag:yaml.org,2002:int"))
    yaml.representer.add_representer(RawFloat, _raw_scalar("tag:yaml.org,2002:float"))
    yaml.representer.add_representer(RawBool, _raw_scalar("tag:yaml.org,2002:bool"))
    yaml.preserve_quotes = True
    yaml.allow_unicode = True
    yaml.width = WIDTH
    yaml.indent(mapping=MAPPING_INDENT, sequence=SEQUENCE_INDENT, offset=SEQUENCE_OFFSET)
    return yaml


def load_text(yaml: YAML, text: str, file: str) -> Any:
    """ruamel's round-trip reading of a file the plan loader has accepted.

    ruamel's parser is stricter than libyaml's in a few places (a tab after `key:`, for one),
    so a valid plan file can still be refused here: StratplanError SP012, at ruamel's position
    where it gives one, and the file is left as it is.
    """
    try:
        return yaml.load(text)
    except Exception as exc:  # ruamel raises many error types; each is one refusal
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise StratplanError(
            [
                Diagnostic(
                    "SP012",
                    Severity.ERROR,
                    f"the file cannot be rewritten in round-trip mode: {problem}",
                    where,
                    "the file is left as it is; write it in plainer YAML (spaces, not tabs)",
                    io=True,
                )
            ]
        ) from None


def dump_text(yaml: YAML, data: Any) -> str:
    _tidy_empty(data)
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


def _tidy_empty(node: Any) -> None:
    """An empty list or mapping is written `[]` / `{}` on its key's line: comment lines that
    stood before its first entry (now gone) would break that line, so they go with the
    entries."""
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            if isinstance(value, CommentedMap | CommentedSeq) and not len(value):
                entry = node.ca.items.get(key)
                if entry and len(entry) > 3:
                    entry[3] = None
                value.ca.comment = None
            else:
                _tidy_empty(value)
    elif isinstance(node, CommentedSeq):
        for value in node:
            _tidy_empty(value)


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



# --- editing values and lists with their comments ---------------------------------------------


def to_round_trip(value: Any) -> Any:
    """Plain data (as the plan loader gives it) as round-trip data: mappings and lists become
    block collections, scalars stay (their text is kept on output)."""
    if isinstance(value, dict):
        out = CommentedMap()
        for key, item in value.items():
            out[key] = to_round_trip(item)
        return out
    if isinstance(value, list):
        return CommentedSeq(to_round_trip(item) for item in value)
    return value


def _tail_text(container: Any, key: Any) -> str:
    slot_container, slot = tail_slot(container, key)
    token = get_comment(slot_container, slot)
    return token.value if token is not None else ""


def _cut_lead(container: Any, key: Any, column: int | None) -> str:
    """Cut, from what is written after `container[key]`, the comment lines that lead the next
    entry, and return them."""
    slot_container, slot = tail_slot(container, key)
    if not isinstance(slot_container, CommentedMap | CommentedSeq):
        return ""  # the merged top level of a plan folder: its files hold the comments
    token = get_comment(slot_container, slot)
    if token is None:
        return ""
    token.value, lead = split_tail(token.value, column)
    return lead


def _append_tail(container: Any, key: Any, lines: str) -> None:
    if not lines:
        return
    slot_container, slot = tail_slot(container, key)
    if not isinstance(slot_container, CommentedMap | CommentedSeq):
        return
    current = _tail_text(container, key) or "\n"
    if not current.endswith("\n"):
        current += "\n"
    set_comment(slot_container, slot, current + lines)


def _column(container: Any) -> int | None:
    try:
        col = container.lc.col
    except AttributeError:
        return None
    return col if isinstance(col, int) else None


def drop_eol_comment(container: Any, key: Any) -> None:
    """Remove the end-of-line comment after `container[key]`: it described the old value. The
    comment lines after it (they lead the next key) stay."""
    entry = container.ca.items.get(key) if hasattr(container, "ca") else None
    if not entry:
        return
    token = entry[_slot_index(container)]
    if isinstance(token, CommentToken) and token.value and not token.value.startswith("\n"):
        newline = token.value.find("\n")
        token.value = token.value[newline:] if newline >= 0 else "\n"


def set_value(container: Any, key: Any, value: Any) -> None:
    """`container[key] = value`, keeping the comment lines that followed what was there (they
    lead whatever comes next): a replaced value hands them on to the new one, a new last key of
    a mapping takes them from the key before it. The end-of-line comment of a replaced scalar
    goes: it explained the old value, not the new one."""
    column = _column(container)
    replaced = False
    if isinstance(container, CommentedMap) and key not in container:
        last = next(reversed(container), None) if len(container) else None
        lead = _cut_lead(container, last, column) if last is not None else ""
    elif isinstance(container, dict) and key not in container:
        lead = ""  # a new top-level key of a plan folder: the file it goes to takes it
    else:
        lead = _cut_lead(container, key, column)
        replaced = not _is_block(container[key])
    container[key] = to_round_trip(value)
    if replaced:
        drop_eol_comment(container, key)
    _append_tail(container, key, lead)


def insert_item(seq: Any, index: int, value: Any) -> None:
    """Insert `value` at `index`; the comment lines that led the item now after it still do."""
    lead = _cut_lead(seq, index - 1, _column(seq)) if index > 0 else ""
    seq.insert(index, to_round_trip(value))  # ruamel shifts the items' own comments
    _append_tail(seq, index, lead)


def remove_item(seq: Any, index: int) -> None:
    """Delete `seq[index]` with its own comments, those that led it included; the lines that
    led the next item stay before that item."""
    column = _column(seq)
    own_lead = _cut_lead(seq, index - 1, column) if index > 0 else ""
    lead = _cut_lead(seq, index, column)
    del seq[index]  # ruamel shifts the items' own comments
    del own_lead  # the comment lines before the item described it: they go with it
    if not len(seq):
        # An empty list is written `[]` after its key; comment lines before its first item
        # would break that line (they described the items now gone).
        seq.ca.comment = None
        seq.ca.items.clear()
    if not lead.strip():
        return
    if index > 0:
        _append_tail(seq, index - 1, lead)
    elif len(seq) and isinstance(seq[0], CommentedMap):
        add_head(seq[0], lead)
