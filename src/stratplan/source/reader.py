"""Load plan YAML safely into plain data, remembering where every value came from.

The loader builds values from ruamel.yaml's parser events instead of its constructors. That
one choice gives every guarantee the plans need in one place: no tag can construct anything
(every explicit tag is refused), aliases are counted and their expanded size bounded while
composing (a "billion laughs" file fails before anything walks it), nesting depth is capped,
duplicate keys are refused, timestamps stay strings, and each value's 1-based line and column
are recorded in a source map under its path.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from ruamel.yaml.reader import ReaderError

from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path
from stratplan.source.hints import syntax_hint
from stratplan.source.scalars import RawBool, RawFloat, RawInt

YAML_SUFFIXES = (".yaml", ".yml")

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 8 * 1024 * 1024
    max_aliases: int = 64
    # Nodes the document would have with every alias expanded: bounds what a walk costs.
    max_expanded_nodes: int = 500_000
    max_depth: int = 64
    max_files: int = 500
    max_keys: int = 20_000  # per mapping


DEFAULT_LIMITS = Limits()


@dataclass
class SourceMap:
    """Where each value came from, by its path in the (merged) data."""

    positions: dict[Path_, Location] = field(default_factory=dict)
    key_positions: dict[Path_, Location] = field(default_factory=dict)
    default: Location | None = None

    def locate(self, path: Iterable[str | int]) -> Location | None:
        """The location of the value at `path`, or of its nearest located ancestor.

        Elements of `path` that are not data keys (pydantic's union tags, validator names)
        are skipped, so a pydantic `loc` can be passed as it is.
        """
        current: Path_ = ()
        best = self.positions.get((), self.default)
        for part in path:
            candidate = (*current, part)
            if candidate in self.positions:
                current = candidate
                best = self.positions[candidate]
        return best

    def update(self, other: SourceMap) -> None:
        self.positions.update(other.positions)
        self.key_positions.update(other.key_positions)


@dataclass
class YamlDocument:
    path: Path
    data: Any
    sources: SourceMap
    text: str


_INT_RE = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_OCT_RE = re.compile(r"^0o[0-7]+$")
_HEX_RE = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT_RE = re.compile(r"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")
_INF_RE = re.compile(r"^[-+]?\.(inf|Inf|INF)$")
_NAN_RE = re.compile(r"^\.(nan|NaN|NAN)$")
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUES = {"true", "True", "TRUE"}
_FALSES = {"false", "False", "FALSE"}


# Python converts decimal integers of up to 4300 digits (sys.int_info.default_max_str_digits);
# ruamel, which fmt, apply and new read plans with, fails past that. No plan number is that
# long, so the reader refuses it too (SP003) instead of reading it as text.
MAX_INT_DIGITS = 4300


class _TooManyDigits(ValueError):
    pass


def resolve_plain(text: str) -> Any:
    """YAML 1.2 core schema for plain scalars, except that timestamps stay strings."""
    if text in _NULLS:
        return None
    if text in _TRUES:
        return RawBool(True, text)
    if text in _FALSES:
        return RawBool(False, text)
    if _INT_RE.match(text):
        if len(text) > MAX_INT_DIGITS:
            raise _TooManyDigits(len(text))
        return RawInt(int(text.replace("_", "")), text)
    if _OCT_RE.match(text):
        return RawInt(int(text[2:], 8), text)
    if _HEX_RE.match(text):
        return RawInt(int(text[2:], 16), text)
    if _FLOAT_RE.match(text) and any(c.isdigit() for c in text):
        return RawFloat(float(text.replace("_", "")), text)
    if _INF_RE.match(text):
        return RawFloat(float("-inf") if text.startswith("-") else float("inf"), text)
    if _NAN_RE.match(text):
        return RawFloat(float("nan"), text)
    return text


# What libyaml counts as a line break besides "\n": an editor (and `grep -n`) does not.
_ODD_BREAKS = re.compile("[\x85\u2028\u2029]|\r(?!\n)")


class Positions:
    """1-based line and column as an editor shows them, from a parser mark or an offset.

    Marks are 0-based, and libyaml ends a line at U+0085, U+2028, U+2029 and a lone "\r" as
    well as at "\n": three U+2028 in a quoted value would move every later position three
    lines down. Where the text holds such a character, positions are counted from the mark's
    character offset, with lines ending at "\n" only.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.exact = _ODD_BREAKS.search(text) is None
        self._starts: list[int] | None = None

    def at(self, file: str, mark: Any) -> Location:
        if self.exact:
            return Location(file, mark.line + 1, mark.column + 1)
        return self.offset(file, mark.index)

    def offset(self, file: str, index: int) -> Location:
        if self._starts is None:
            self._starts = [0, *(m.end() for m in re.finditer("\n", self.text))]
        line = bisect.bisect_right(self._starts, index)
        return Location(file, line, index - self._starts[line - 1] + 1)


# Characters a plan file may hold (YAML's printable set, as ruamel's reader checks raw text).
_NOT_PRINTABLE = re.compile(
    "[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
# The escapes of a double-quoted scalar (YAML 1.2, 5.7), an escaped line break included.
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
_SHORT_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v",
    "f": "\f", "r": "\r", "e": "\x1b", "N": "\x85", "_": "\xa0", "L": "\u2028",
    "P": "\u2029",
}


def _unescape(escape: str) -> str:
    if len(escape) > 1:
        return chr(int(escape[1:], 16))
    return _SHORT_ESCAPES.get(escape, escape)


def _at(mark: Any) -> tuple[int, int] | None:
    """A ruamel mark as 1-based (line, column), or None."""
    return (mark.line + 1, mark.column + 1) if mark is not None else None


def _problem(code: str, message: str, location: Location, hint: str = "") -> StratplanError:
    return StratplanError([Diagnostic(code, Severity.ERROR, message, location, hint)])


@dataclass
class _Frame:
    kind: str  # "map" or "seq"
    value: Any
    path: Path_
    anchor: str | None
    size: int = 1
    pending_key: Any = None
    key_location: Location | None = None
    has_key: bool = False
    merges: list[Any] = field(default_factory=list)
    explicit_keys: set[Any] = field(default_factory=set)


class _Builder:
    def __init__(self, file: str, limits: Limits, text: str = "") -> None:
        self.file = file
        self.limits = limits
        self.text = text
        self.where = Positions(text)
        self.sources = SourceMap()
        self.anchors: dict[str, tuple[Any, int, Location]] = {}
        self.aliases = 0
        self.expanded = 0

    def build(self, events: Iterator[Any]) -> Any:
        stack: list[_Frame] = []
        root: Any = None
        documents = 0
        for event in events:
            if isinstance(event, DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _problem(
                        "SP001",
                        "more than one YAML document in a file",
                        self.where.at(self.file, event.start_mark),
                        "a plan file holds one mapping; split documents into separate files",
                    )
                continue
            if isinstance(event, StreamEndEvent):
                break
            if isinstance(event, MappingEndEvent | SequenceEndEvent):
                frame = stack.pop()
                if frame.kind == "map":
                    self._apply_merges(frame)
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (
                        frame.value,
                        frame.size,
                        self.sources.positions.get(frame.path, Location(self.file)),
                    )
                root = self._attach(stack, frame.value, frame.size, frame.path, root, 1)
                continue
            if not isinstance(
                event, ScalarEvent | MappingStartEvent | SequenceStartEvent | AliasEvent
            ):
                continue  # stream and document boundaries
            if not isinstance(event, AliasEvent):
                self._refuse_tag(event)
            location = self.where.at(self.file, event.start_mark)
            if isinstance(event, ScalarEvent) and event.style == '"':
                self._refuse_escapes(event)
            if stack and stack[-1].kind == "map" and not stack[-1].has_key:
                self._take_key(stack[-1], event, location)
                continue
            path = self._child_path(stack)
            if isinstance(event, AliasEvent):
                self.aliases += 1
                if self.aliases > self.limits.max_aliases:
                    raise _problem(
                        "SP003",
                        f"too many aliases (more than {self.limits.max_aliases})",
                        location,
                        "plans do not need many aliases; write the values out",
                    )
                if event.anchor not in self.anchors:
                    raise _problem("SP001", f"unknown alias *{event.anchor}", location)
                value, size, anchor_location = self.anchors[event.anchor]
                # An alias reports its anchor's position: that is where its text is.
                self.sources.positions[path] = anchor_location
                root = self._attach(stack, value, size, path, root, size)
                continue
            self.sources.positions[path] = location
            if isinstance(event, ScalarEvent):
                value = self._plain(event, location) if event.style is None else event.value
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, 1, location)
                root = self._attach(stack, value, 1, path, root, 1)
            elif isinstance(event, MappingStartEvent | SequenceStartEvent):
                if len(stack) >= self.limits.max_depth:
                    raise _problem(
                        "SP003",
                        f"nesting deeper than {self.limits.max_depth} levels",
                        location,
                        "flatten the structure",
                    )
                kind = "map" if isinstance(event, MappingStartEvent) else "seq"
                stack.append(_Frame(kind, {} if kind == "map" else [], path, event.anchor))
        return root

    def _refuse_tag(self, event: Any) -> None:
        tag = getattr(event, "tag", None)
        if tag is None:
            return
        tag_text = getattr(tag, "value", tag)
        # A non-specific "!" tag only forces a string; anything else names a type.
        if isinstance(event, ScalarEvent) and tag_text == "!":
            return
        raise _problem(
            "SP004",
            f"YAML tag {tag_text} is not allowed",
            self.where.at(self.file, event.start_mark),
            "plans are data: remove the tag (tags such as !!python/object or !include are refused)",
        )

    def _plain(self, event: Any, location: Location) -> Any:
        try:
            return resolve_plain(event.value)
        except _TooManyDigits as exc:
            raise _problem(
                "SP003",
                f"a number of {exc.args[0]} digits (more than {MAX_INT_DIGITS})",
                location,
                "no plan number is this long; quote it if it is text",
            ) from None

    def _refuse_escapes(self, event: Any) -> None:
        """A double-quoted scalar may write any character as an escape (`\\x01`, `\\e`,
        `\\uFFFF`); the ones a file may not hold raw are refused the same way (SP002), at the
        escape itself: Word cannot hold them either."""
        bad = _NOT_PRINTABLE.search(event.value)
        if bad is None:
            return
        start, end = event.start_mark.index, event.end_mark.index
        offset = start
        for match in _ESCAPE.finditer(self.text, start, end):
            if _NOT_PRINTABLE.match(_unescape(match.group(1))):
                offset = match.start()
                break
        raise _problem(
            "SP002",
            f"escaped control character U+{ord(bad.group()):04X} in a quoted value: control "
            "characters are not allowed",
            self.where.offset(self.file, offset),
            "remove it; write the text itself",
        )

    def _take_key(self, frame: _Frame, event: Any, location: Location) -> None:
        if not isinstance(event, ScalarEvent):
            raise _problem(
                "SP001",
                "mapping keys must be plain scalars",
                location,
                "use a string key",
            )
        key = event.value
        if event.style is None:
            resolved = self._plain(event, location)
            key = resolved if isinstance(resolved, str) else key
        if key == "<<" and event.style is None:
            if frame.merges:
                # Two merge keys in one mapping are a duplicate key (ruamel, which fmt, apply
                # and new use, refuses them too): one `<<:` takes a list of mappings.
                raise _problem(
                    "SP005",
                    "duplicate key '<<' (a second merge key)",
                    location,
                    "merge several mappings with one key: `<<: [*a, *b]`",
                )
            frame.pending_key = "<<"
        else:
            if key in frame.explicit_keys:
                raise _problem(
                    "SP005",
                    f"duplicate key {key!r}",
                    location,
                    "each key may appear once in a mapping"
                    + ("; a second `id:` usually means a list item lost its '- '"
                       if key == "id" else ""),
                )
            frame.explicit_keys.add(key)
            if len(frame.explicit_keys) > self.limits.max_keys:
                raise _problem(
                    "SP003",
                    f"a mapping with more than {self.limits.max_keys} keys",
                    location,
                    "plans do not need mappings this large",
                )
            frame.pending_key = key
        frame.key_location = location
        frame.has_key = True

    def _child_path(self, stack: list[_Frame]) -> Path_:
        if not stack:
            return ()
        top = stack[-1]
        if top.kind == "map":
            return (*top.path, top.pending_key)
        return (*top.path, len(top.value))

    def _attach(
        self, stack: list[_Frame], value: Any, size: int, path: Path_, root: Any, counted: int
    ) -> Any:
        # `counted` is what this value adds to the expanded document: 1 for a scalar or a
        # container (its children were counted as they came), the anchor's whole size for an
        # alias. `size` is the subtree's size, which a later alias to it will add.
        self.expanded += counted
        if self.expanded > self.limits.max_expanded_nodes:
            raise _problem(
                "SP003",
                "the document expands to too many values "
                f"(more than {self.limits.max_expanded_nodes}) through aliases or size",
                self.sources.positions.get(path, Location(self.file)),
                "this looks like an alias bomb; write the values out",
            )
        if not stack:
            return value
        top = stack[-1]
        top.size += size
        if top.kind == "seq":
            top.value.append(value)
            return root
        key = top.pending_key
        if key == "<<":
            top.merges.append((value, path))
        else:
            top.value[key] = value
            if top.key_location is not None:
                self.sources.key_positions[path] = top.key_location
        top.has_key = False
        top.pending_key = None
        return root

    def _apply_merges(self, frame: _Frame) -> None:
        for value, path in frame.merges:
            sources = value if isinstance(value, list) else [value]
            for source in sources:
                if not isinstance(source, dict):
                    raise _problem(
                        "SP001",
                        "a merge key (<<) must name a mapping or a list of mappings",
                        self.sources.positions.get(path, Location(self.file)),
                    )
                for key, item in source.items():
                    # Explicit keys win over merged ones; merged keys have no position
                    # of their own, so they fall back to the mapping's.
                    frame.value.setdefault(key, item)


def _offset_to_location(file: str, data: bytes, offset: int) -> Location:
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return Location(file, line, column)


def decode_yaml_bytes(file: str, data: bytes) -> str:
    """UTF-8 only (a BOM is fine); UTF-16 and other encodings are refused with a position."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _problem(
            "SP002",
            "file is UTF-16; plans must be UTF-8",
            Location(file, 1, 1),
            "re-save the file as UTF-8",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _problem(
            "SP002",
            f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            _offset_to_location(file, data, exc.start),
            "re-save the file as UTF-8",
        ) from None


def _events(text: str) -> Iterator[Any]:
    """Parser events: libyaml's C parser (ruamel.yaml.clibz, ~15x faster) where installed,
    else ruamel's pure-Python parser. Both give the same events and 0-based marks."""
    try:
        from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
    except ImportError:
        yield from YAML(typ="safe", pure=True).parse(text)
        return
    parser = CParser(text)
    try:
        while True:
            event = parser.get_event()
            # The C parser marks plain scalars with style "" where the pure one has None.
            if isinstance(event, ScalarEvent) and event.style == "":
                event.style = None
            yield event
            if isinstance(event, StreamEndEvent):
                return
    finally:
        parser.dispose()


class UnparsedFile(StratplanError):
    """A file whose text did not parse; `keys` are the top-level keys its text appears to
    define (lines `key:` at the margin), so that the rest of the plan knows what is missing."""

    def __init__(self, diagnostics: list[Diagnostic], keys: frozenset[str]) -> None:
        super().__init__(diagnostics)
        self.keys = keys


_TOP_KEY = re.compile(r"^(?:['\"]?)([A-Za-z_][A-Za-z0-9_-]*)(?:['\"]?)\s*:(?:\s|$)", re.MULTILINE)


def parse_yaml_text(
    text: str, file: str, limits: Limits = DEFAULT_LIMITS, events: list[Any] | None = None
) -> tuple[Any, SourceMap]:
    """The data of a YAML text and its source map; UnparsedFile with located diagnostics.

    `events`, when given, receives the parser's events (with their marks), for a caller that
    needs more of the text than the data: fmt tells a formatted file from them."""
    try:
        return _parse_yaml_text(text, file, limits, events)
    except UnparsedFile:
        raise
    except StratplanError as exc:
        raise UnparsedFile(exc.diagnostics, frozenset(_TOP_KEY.findall(text))) from None


def _kept(events: Iterator[Any], into: list[Any]) -> Iterator[Any]:
    for event in events:
        into.append(event)
        yield event


def _parse_yaml_text(
    text: str, file: str, limits: Limits, events: list[Any] | None
) -> tuple[Any, SourceMap]:
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        column = nul - (text.rfind("\n", 0, nul) + 1) + 1
        raise _problem(
            "SP002",
            "file contains a NUL character: it looks binary",
            Location(file, line, column),
        )
    builder = _Builder(file, limits, text)
    try:
        stream = _events(text)
        data = builder.build(stream if events is None else _kept(stream, events))
    except StratplanError:
        raise
    except ReaderError as exc:
        # ReaderError positions are character offsets into the stream.
        raise _problem(
            "SP002",
            f"unacceptable character {exc.character!r} in the file: control characters are not "
            "allowed",
            builder.where.offset(file, exc.position),
        ) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        location = builder.where.at(file, mark) if mark is not None else Location(file)
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        found = syntax_hint(
            str(exc.context or ""), str(exc.problem or ""), text, _at(exc.problem_mark),
            _at(exc.context_mark),
        )
        if found.position is not None:
            location = Location(file, *found.position)
        raise _problem("SP001", f"YAML syntax error: {message}", location, found.hint) from None
    except YAMLError as exc:
        raise _problem("SP001", f"YAML error: {exc}", Location(file)) from None
    except RecursionError:
        raise _problem("SP003", "nesting too deep to read", Location(file)) from None
    builder.sources.default = Location(file, 1, 1) if data is not None else Location(file)
    return data, builder.sources


def read_yaml(path: Path, limits: Limits = DEFAULT_LIMITS) -> YamlDocument:
    """Read one YAML file; raises StratplanError with located diagnostics."""
    file = display_path(path)
    try:
        if not path.is_file():
            raise StratplanError(
                [
                    Diagnostic(
                        "SP010",
                        Severity.ERROR,
                        "not a regular file" if path.exists() else "cannot read file: it is gone",
                        Location(file),
                        io=True,
                    )
                ]
            )
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise _problem(
                "SP003",
                f"file is {size} bytes, over the {limits.max_bytes}-byte limit",
                Location(file),
                "split the plan into several files",
            )
        data = path.read_bytes()
    except StratplanError:
        raise
    except OSError as exc:
        raise StratplanError(
            [
                Diagnostic(
                    "SP010",
                    Severity.ERROR,
                    f"cannot read file: {exc.strerror or exc}",
                    Location(file),
                    io=True,
                )
            ]
        ) from None
    text = decode_yaml_bytes(file, data)
    value, sources = parse_yaml_text(text, file, limits)
    return YamlDocument(path, value, sources, text)


def yaml_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and not p.name.startswith(".")
    )


@dataclass
class LoadedSources:
    """The merged top-level mapping of a plan folder (or a single file), and where it came from."""

    root: Path
    data: dict[str, Any]
    sources: SourceMap
    files: list[Path]
    texts: dict[str, str]
    diagnostics: list[Diagnostic]
    # top-level key -> file it was defined in (display form)
    key_files: dict[str, str]
    # Top-level keys that may be missing from `data`: those of files that did not parse (as
    # their text suggests), a key a second file defines again, or "*" when unknown (a file
    # that could not be decoded, or whose top level is not a mapping).
    lost: frozenset[str] = frozenset()


def load_sources(
    target: Path,
    limits: Limits = DEFAULT_LIMITS,
    read: Callable[[Path], YamlDocument] | None = None,
) -> LoadedSources:
    """Load and merge the YAML files of a plan folder, or one file.

    Problems that stop one file (syntax, encoding, limits) are collected and the other files
    are still read, so one run reports everything it can. `read` reads one file (default
    `read_yaml`): a caller that already read some files, or holds edited texts, passes its own.
    """
    if target.is_dir():
        files = yaml_files(target)
        if not files:
            raise StratplanError(
                [
                    Diagnostic(
                        "SP011",
                        Severity.ERROR,
                        "folder has no .yaml or .yml files",
                        Location(display_path(target)),
                        "a plan is a folder of YAML files",
                        io=True,
                    )
                ]
            )
        if len(files) > limits.max_files:
            raise StratplanError(
                [
                    Diagnostic(
                        "SP003",
                        Severity.ERROR,
                        f"folder has {len(files)} YAML files, over the limit of {limits.max_files}",
                        Location(display_path(target)),
                    )
                ]
            )
    else:
        files = [target]
    merged: dict[str, Any] = {}
    sources = SourceMap()
    diagnostics: list[Diagnostic] = []
    key_files: dict[str, str] = {}
    texts: dict[str, str] = {}
    lost: set[str] = set()
    for path in files:
        file = display_path(path)
        try:
            document = read(path) if read is not None else read_yaml(path, limits)
        except StratplanError as exc:
            diagnostics.extend(exc.diagnostics)
            lost |= exc.keys if isinstance(exc, UnparsedFile) and exc.keys else {"*"}
            continue
        texts[file] = document.text
        data = document.data
        if data is None:
            diagnostics.append(
                Diagnostic(
                    "SP008",
                    Severity.WARNING,
                    "file is empty (or holds only comments)",
                    Location(file),
                    "delete it or add plan content",
                )
            )
            continue
        if not isinstance(data, dict):
            kind = "a list" if isinstance(data, list) else "a single value"
            diagnostics.append(
                Diagnostic(
                    "SP007",
                    Severity.ERROR,
                    f"the top level of a plan file must be a mapping, not {kind}",
                    Location(file, 1, 1),
                    "start the file with top-level keys such as `plan:` or `goals:`",
                )
            )
            lost.add("*")
            continue
        accepted: set[str] = set()
        for key, value in data.items():
            if key in merged:
                where = document.sources.key_positions.get((key,), Location(file))
                diagnostics.append(
                    Diagnostic(
                        "SP006",
                        Severity.ERROR,
                        f"top-level key {key!r} is defined in both {key_files[key]} and {file}",
                        where,
                        "define each top-level section in one file only",
                        path=(key,),
                    )
                )
                lost.add(key)
                continue
            merged[key] = value
            key_files[key] = file
            accepted.add(key)
        for path_, loc in document.sources.positions.items():
            if path_ and path_[0] in accepted:
                sources.positions[path_] = loc
        for path_, loc in document.sources.key_positions.items():
            if path_ and path_[0] in accepted:
                sources.key_positions[path_] = loc
    sources.default = Location(display_path(target))
    return LoadedSources(target, merged, sources, files, texts, diagnostics, key_files,
                         frozenset(lost))
