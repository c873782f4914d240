"""Start the next cycle: copy a plan folder under a new period, ready for drafting.

Ids are kept, so the lineage between the two cycles is automatic (an item with the same id is
the same item). The copy is edited in ruamel's round-trip mode, each edit read from the facts
the model declares, not from lists of field names:

- moved to the new period, where the value can be known: the plan's period, status (draft),
  previous cycle and horizon; SMART deadlines at the old horizon; Appendix A's years; every
  title that names the old period (`TITLE` fields);
- left to be decided, as `[...]` (rule SP505 lists each one): the conference and year of the
  resolution's revision ("(Rev. Doha, 2026)"), and the cover fields of one Council meeting
  (`MEETING`): the structure stays, so the redline against the old plan shows what changed
  in it instead of a cover struck through;
- left behind: the old cycle's drafting comments (Word comments, `comments:`), its lineage
  (`replaces`, `lineage:`, lineage notes: lineage is about the previous cycle only, and items
  kept with their ids need none), and the plan's date.

YAML comments are kept, but not on a value that changed (a note on `deadline: 2031` does not
describe 2035); a file that was edited starts with a line saying where it comes from. Files
with nothing to change are byte-for-byte copies; a file left with nothing (lineage.yaml) is
not written. What remains for the drafters is what `stratplan validate` reports.

Translations (`translations/<lang>.yaml`) come along by the hash of the English they translate
(`carry_translations`): each one whose field's English the new cycle keeps stays current, one
whose English `new` changed (a title's period) stays as a stale draft for its translator, and
one of a field left behind goes; the report says how many English words are new, changed and
reused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import ScalarString
from ruamel.yaml.tokens import CommentToken

from stratplan.checks.drafting import PLACEHOLDER as PLACEHOLDER_RE
from stratplan.checks.drafting import brackets
from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path
from stratplan.model.address import format_path
from stratplan.model.facts import field_facts, models_in, prose
from stratplan.model.plan import (
    PERIOD_PATTERN,
    Alternative,
    Comment,
    Plan,
    PriorityAlternative,
    Resources,
    Smart,
)
from stratplan.model.walk import child_annotation, node_model, walk
from stratplan.source.reader import load_sources, yaml_files
from stratplan.source.roundtrip import (
    drop_eol_comment,
    dump_text,
    get_comment,
    load_text,
    remove_key,
    round_trip_yaml,
    set_comment,
    split_tail,
    tail_slot,
)
from stratplan.writers.files import write_folder

__all__ = ["PLACEHOLDER", "NewCycle", "meeting_fields", "new_cycle", "open_drafting"]

PLACEHOLDER = "[...]"  # text still to be supplied (rule SP505)
_REV = re.compile(r"(\((?:Rev|REV|rev)\.)\s*[^)]*\)")


def meeting_fields() -> tuple[str, ...]:
    """The cover fields of one Council meeting's document (`MEETING` on the model)."""
    from stratplan.model.plan import Cover

    return tuple(name for name, facts in field_facts(Cover).items() if facts.meeting)


@dataclass
class NewCycle:
    """What `new` did: the folder, what it moved per file, what it left behind, and what it
    left to be decided (`[...]`)."""

    folder: Path
    source: Path
    changed: dict[str, list[str]] = field(default_factory=dict)
    left_behind: list[str] = field(default_factory=list)
    to_decide: list[str] = field(default_factory=list)
    translations: list[str] = field(default_factory=list)  # what became of them

    def note(self, file: str, what: str) -> None:
        self.changed.setdefault(file, []).append(what)


def _problem(message: str, where: Path, hint: str = "") -> StratplanError:
    return StratplanError(
        [Diagnostic("SP010", Severity.ERROR, message, Location(display_path(where)), hint, io=True)]
    )


def _years(period: str) -> tuple[int, int]:
    first, last = period.split("-")
    return int(first), int(last)


def _like(old: Any, new: str) -> Any:
    """`new` in the scalar style of `old` (quotes kept)."""
    return type(old)(new) if isinstance(old, ScalarString) else new


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _set(container: Any, key: Any, value: Any) -> None:
    """Change a value, and drop the comment that described the old one."""
    container[key] = value
    drop_eol_comment(container, key)


def _model_fields(node: Any, annotation: Any) -> Iterator[tuple[str, Any, type[BaseModel]]]:
    model = node_model(annotation, node)
    if model is None:
        return
    for key in list(node):
        if isinstance(key, str) and key in model.model_fields:
            yield key, child_annotation(annotation, node, key), model


class _Edit:
    """The edits of one new cycle over the round-trip documents of the old one's files."""

    def __init__(self, result: NewCycle, old: str, new: str, horizons: tuple[int, int]) -> None:
        self.result = result
        self.old, self.new = old, new
        self.old_horizon, self.new_horizon = horizons
        self.file = ""
        self.counts: dict[str, int] = {}

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def document(self, name: str, doc: CommentedMap) -> bool:
        """Edit one file's document in place; whether anything changed."""
        self.file, self.counts = name, {}
        changed = self._walk(doc, Plan)
        for what, n in self.counts.items():
            self.result.note(name, f"{n} {what.format(s='' if n == 1 else 's')}")
        return changed

    def _walk(self, node: Any, annotation: Any) -> bool:
        changed = False
        if isinstance(node, CommentedMap):
            model = node_model(annotation, node)
            if model is not None and issubclass(model, Smart):
                changed |= self._deadline(node)
            if model is Resources:
                changed |= self._resource_years(node)
            for key, child, owner in list(_model_fields(node, annotation)):
                facts = field_facts(owner).get(key)
                items = models_in(child)
                if facts is not None and (facts.lineage or facts.history):
                    self._leave(node, key, f"`{key}` field{{s}} left behind (lineage)")
                    changed = True
                    continue
                if items and items[0] is Comment:
                    self._leave(node, key, "drafting comment{s} left behind", len(node[key]))
                    changed = True
                    continue
                if items and _names_old_items(items[0]):
                    self._leave(node, key, f"`{key}` item{{s}} left behind (lineage)",
                                len(node[key]))
                    changed = True
                    continue
                if facts is not None and facts.meeting:
                    changed |= self._placeholder(node, key)
                    continue
                if facts is not None and facts.title:
                    changed |= self._title(node, key)
                changed |= self._walk(node[key], child)
                # A mapping emptied by what was left behind goes with it (`lineage:`).
                value = node.get(key)
                if isinstance(value, CommentedMap) and not value and key in node:
                    remove_key(node, key)
        elif isinstance(node, CommentedSeq):
            item = child_annotation(annotation, node, 0)
            for value in node:
                changed |= self._walk(value, item)
        return changed

    def _leave(self, node: CommentedMap, key: str, what: str, n: int = 1) -> None:
        _discard(node, key)
        self.count(what, n)

    def _deadline(self, node: CommentedMap) -> bool:
        deadline = node.get("deadline")
        if _is_int(deadline) and deadline == self.old_horizon:
            _set(node, "deadline", self.new_horizon)
            self.count(f"deadline{{s}} {self.old_horizon} -> {self.new_horizon}")
            return True
        return False

    def _resource_years(self, node: CommentedMap) -> bool:
        years = node.get("years")
        if not isinstance(years, list) or not years or not all(_is_int(y) for y in years):
            return False
        first, last = _years(self.new)
        span = list(range(first, last + 1))
        # The appendix covers the plan's period: the new period's years, one per old year; a
        # table of another length keeps its length and moves by the distance between them.
        moved = span if len(years) == len(span) else [y + first - min(years) for y in years]
        if moved == list(years):
            return False
        before = f"{min(years)}-{max(years)}"
        for index, year in enumerate(moved):
            _set(years, index, year)
        drop_eol_comment(node, "years")
        self.result.note(self.file, f"Appendix A years {before} -> {min(moved)}-{max(moved)}")
        return True

    def _title(self, node: CommentedMap, key: str) -> bool:
        value = node[key]
        holder, slot = (value, "text") if isinstance(value, CommentedMap) else (node, key)
        text = holder.get(slot) if isinstance(holder, CommentedMap) else None
        if not isinstance(text, str):
            return False
        moved = _period_pattern(self.old).sub(self.new, text)
        if moved == text:
            return False
        _set(holder, slot, _like(text, moved))
        self.count(f"title{{s}} {self.old} -> {self.new}")
        return True

    def _placeholder(self, node: CommentedMap, key: str) -> bool:
        value = node[key]
        if isinstance(value, list):
            if list(value) == [PLACEHOLDER] or not value:
                return False
            # The comment lines after the old list lead the next key: they stay.
            container, slot = tail_slot(node, key)
            token = get_comment(container, slot)
            lead = token.value.partition("\n")[2] if token is not None else ""
            node[key] = CommentedSeq([PLACEHOLDER])
            drop_eol_comment(node, key)
            if lead.strip():
                set_comment(node[key], 0, "\n" + lead)
        elif isinstance(value, str) and value != PLACEHOLDER:
            _set(node, key, PLACEHOLDER)
        else:
            return False
        self.result.to_decide.append(f"{self.file}: cover.{key} ({PLACEHOLDER})")
        return True


def _discard(mapping: CommentedMap, key: str) -> None:
    """Delete `key` with its value and the YAML comments about them; the comment lines after
    it that lead the next key stay."""
    column = getattr(mapping.lc, "col", 0) or 0
    container, slot = tail_slot(mapping, key)
    token = get_comment(container, slot)
    lead = split_tail(token.value, column)[1] if token is not None else ""
    mapping[key] = None
    mapping.ca.items.pop(key, None)
    if lead.strip():
        mapping.ca.items[key] = [None, None, CommentToken("\n" + lead, CommentMark(0), None),
                                 None]
    remove_key(mapping, key)


def _names_old_items(model: type[BaseModel]) -> bool:
    """An item model that exists to name an item of the previous cycle (`lineage.moved`,
    `lineage.dropped`): a required lineage field."""
    facts = field_facts(model)
    return any(
        facts.get(name) is not None and facts[name].lineage and info.is_required()
        for name, info in model.model_fields.items()
    )


def _period_pattern(period: str) -> re.Pattern[str]:
    first, last = period.split("-")
    return re.compile(rf"(?<![0-9]){first}\s*[-–]\s*{last}(?![0-9])")


def _edit_meta(meta: CommentedMap, old: str, new: str, result: NewCycle, file: str) -> tuple[
    int, int
]:
    """Move the `plan:` mapping to the new period; returns (old horizon, new horizon)."""
    old_first, old_last = _years(old)
    new_first, new_last = _years(new)
    shift = new_first - old_first
    _set(meta, "period", _like(meta.get("period"), new))
    result.note(file, f"period {old} -> {new}")
    horizon = meta.get("target_horizon")
    if _is_int(horizon):
        old_horizon, new_horizon = int(horizon), int(horizon) + shift
        _set(meta, "target_horizon", new_horizon)
        result.note(file, f"target_horizon {old_horizon} -> {new_horizon}")
    else:
        old_horizon, new_horizon = old_last, new_last
    if meta.get("status") != "draft":
        result.note(file, f"status {meta.get('status')} -> draft")
    _set(meta, "status", _like(meta.get("status"), "draft"))
    if "previous" in meta:
        _set(meta, "previous", _like(meta["previous"], old))
    else:
        # After `status`, where the model declares it.
        keys = list(meta)
        at = keys.index("status") + 1 if "status" in keys else len(keys)
        meta.insert(at, "previous", old)
    result.note(file, f"previous {old}")
    # The revision of the resolution that adopts the new plan is not known yet.
    for key in list(meta):
        value = meta[key]
        if isinstance(value, str) and _REV.search(value):
            bracketed = _REV.sub(lambda m: f"{m.group(1)} {PLACEHOLDER})", value)
            if bracketed != value:
                _set(meta, key, _like(value, bracketed))
                result.to_decide.append(f"{file}: plan.{key}, the conference and year of the "
                                        f"revision ({bracketed})")
    if "date" in meta:
        _discard(meta, "date")
        result.note(file, "date removed (a draft is dated when it is issued)")
    return old_horizon, new_horizon


def _header(doc: CommentedMap, line: str) -> None:
    """Put a comment line at the very top of a document."""
    comment = doc.ca.comment
    token = CommentToken(line + "\n", CommentMark(0), None)
    if not comment:
        doc.ca.comment = [None, [token]]
        return
    if comment[1] is None:
        comment[1] = []
    comment[1].insert(0, token)


def _empty(doc: Any) -> bool:
    return isinstance(doc, CommentedMap) and not doc


def new_cycle(source: Path, period: str, dest: Path) -> NewCycle:
    """Copy the plan folder `source` to `dest` as the draft of the cycle `period`.

    Refused (StratplanError, SP010) when `dest` exists, `period` is not YYYY-YYYY (its first
    year after the source's, its last not before its first), or `source` is not a plan folder.
    The copy is made in a temporary folder beside `dest` and renamed into place: a failure
    leaves nothing behind.
    """
    source = Path(source)
    dest = Path(dest)
    if not re.match(PERIOD_PATTERN, period or ""):
        raise _problem(f"period {period!r} is not YYYY-YYYY", dest, "e.g. 2032-2035")
    first, last = _years(period)
    if last < first:
        raise _problem(f"period {period} ends before it starts", dest)
    if dest.exists() or dest.is_symlink():
        raise _problem("destination already exists", dest, "new-cycle never writes over a folder")
    if not source.is_dir():
        raise _problem("source is not a plan folder", source)
    # The safe loader first: input it refuses (syntax, tags, duplicate keys) is never copied.
    loaded = load_sources(source)
    errors = [d for d in loaded.diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise StratplanError(errors)
    files = yaml_files(source)
    yaml = round_trip_yaml()
    documents: dict[str, Any] = {}
    for path in files:
        text = loaded.texts.get(display_path(path))
        if text is None:
            raise _problem(f"cannot read {path.name}", path)
        documents[path.name] = load_text(yaml, text, display_path(path))
    plan_file = next(
        (
            name
            for name, doc in documents.items()
            if isinstance(doc, CommentedMap) and isinstance(doc.get("plan"), CommentedMap)
        ),
        None,
    )
    if plan_file is None:
        raise _problem("source has no `plan:` metadata", source)
    meta = documents[plan_file]["plan"]
    old = str(meta.get("period", ""))
    if not re.match(PERIOD_PATTERN, old):
        raise _problem(f"source period {old!r} is not YYYY-YYYY", source / plan_file)
    if first <= _years(old)[0]:
        raise _problem(
            f"period {period} does not come after the source's {old}", dest, "e.g. 2032-2035"
        )
    result = NewCycle(dest, source)
    horizons = _edit_meta(meta, old, period, result, plan_file)
    edited = {plan_file}
    editor = _Edit(result, old, period, horizons)
    for name, doc in documents.items():
        if isinstance(doc, CommentedMap) and editor.document(name, doc):
            edited.add(name)

    texts: dict[Path, str] = {}
    dropped: list[Path] = []
    note = (f"# {period}: started from the {old} plan by `stratplan new`; the notes below were "
            f"written for the {old} text.")
    for name in sorted(edited):
        doc = documents[name]
        if _empty(doc):
            dropped.append(source / name)
            result.left_behind.append(f"{name} (lineage is about the previous cycle only)")
            continue
        _header(doc, note)
        texts[source / name] = dump_text(yaml, doc)
    result.folder = write_folder(dest, source, texts, omit=dropped)
    result.to_decide.sort()
    result.translations = carry_translations(source, result.folder)
    return result


def carry_translations(source: Path, dest: Path) -> list[str]:
    """Rewrite the translation files copied into the new cycle `dest` from `source`: each
    translation whose field's English the new plan keeps (current), or changed (stale, for
    its translator to see), by lineage; those of fields the new plan does not have are left
    behind. Returns the report: the new plan's English words new, changed and reused, and per
    language what was carried."""
    from stratplan.formats import translated_languages
    from stratplan.translations.memory import carry, reuse, reuse_report
    from stratplan.translations.store import load_translation, translation_path, translation_yaml
    from stratplan.translations.units import plan_units
    from stratplan.workspace import Workspace
    from stratplan.writers.files import write_atomically

    languages = [lang for lang in translated_languages()
                 if translation_path(source, lang).is_file()]
    workspace = Workspace()
    old, new = workspace.plan(source).plan, workspace.plan(dest).plan
    if old is None or new is None:
        return ["translations copied as they were: the plans do not both fit the model, "
                "so the English could not be compared"] if languages else []
    new_units = plan_units(new)
    found = reuse(plan_units(old), new_units)
    lines = reuse_report(old.plan.period, new.plan.period, found).splitlines()
    for lang in languages:
        before = load_translation(source, lang, workspace.document)
        target = translation_path(dest, lang)
        if before.file is None:
            lines.append(f"{lang}: copied as it was (the file cannot be used)")
            continue
        carried, current, stale = carry(found, before.units, {})
        text = translation_yaml(lang, [(u.address, carried[u.address]) for u in new_units
                                       if u.address in carried])
        write_atomically(target, text.encode("utf-8"), [*workspace.files_read()])
        left = len(before.units) - current - stale
        lines.append(f"{lang}: {current} translation(s) kept current, {stale} now stale (the "
                     f"English changed), {left} left behind")
    return lines
def open_drafting(plan: Plan, data: Any) -> list[str]:
    """What a plan carries that is not agreed: each alternative wording (by its source) and
    each square-bracketed text, at its address. A new cycle started from a draft carries them
    over, and the drafters must decide them."""
    out: list[str] = []
    for path, value in walk(plan):
        if isinstance(value, Alternative | PriorityAlternative):
            at = format_path(data, path[:-2]) if len(path) > 2 else format_path(data, path)
            out.append(f"{at}: an alternative proposed by {value.source}")
    for path, text in prose(plan):
        placeholders = {m.start() for m in PLACEHOLDER_RE.finditer(text)}
        opening = next((i for i, c in brackets(text) if c == "[" and i not in placeholders),
                       None)
        if opening is None:
            continue
        closing = text.find("]", opening)
        quoted = " ".join(text[opening: closing + 1 if closing > 0 else opening + 40].split())
        out.append(f"{format_path(data, path)}: bracketed text {quoted[:70]!r}")
    return out
