"""Start the next cycle: copy a plan folder under a new period, ready for drafting.

Ids are kept, so the lineage between the two cycles is automatic (an item with the same id is
the same item). The copy is edited with ruamel's round-trip mode, so every comment survives:
the plan metadata is moved to the new period, deadlines at the old horizon are moved to the new
one, and the cover fields that belong to one Council meeting are cleared. Only the files that
were edited are rewritten; the others are byte-for-byte copies.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import ScalarString

from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path
from stratplan.model.plan import PERIOD_PATTERN, Plan, Smart
from stratplan.model.walk import child_annotation, node_model
from stratplan.source.reader import load_sources, yaml_files
from stratplan.source.roundtrip import dump_text, load_text, remove_key, round_trip_yaml
from stratplan.writers.files import write_folder

__all__ = ["MEETING_FIELDS", "new_cycle"]

# Cover fields that describe one Council meeting's document: a new cycle starts without them.
MEETING_FIELDS = (
    "meeting",
    "place_dates",
    "agenda_item",
    "document",
    "date",
    "purpose",
    "action_required",
    "references",
)


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


# --- the edits ---------------------------------------------------------------------------


def _move_deadlines(node: Any, annotation: Any, old_horizon: int, new_horizon: int) -> int:
    """Move every SMART `deadline` equal to the old horizon; returns how many moved."""
    moved = 0
    if isinstance(node, CommentedMap):
        model: type[BaseModel] | None = node_model(annotation, node)
        if (
            model is not None
            and issubclass(model, Smart)
            and isinstance(node.get("deadline"), int)
            and not isinstance(node.get("deadline"), bool)
            and node["deadline"] == old_horizon
        ):
            node["deadline"] = new_horizon
            moved += 1
        for key in list(node):
            moved += _move_deadlines(
                node[key], child_annotation(annotation, node, key), old_horizon, new_horizon
            )
    elif isinstance(node, CommentedSeq):
        item = child_annotation(annotation, node, 0)
        for value in node:
            moved += _move_deadlines(value, item, old_horizon, new_horizon)
    return moved


def _edit_meta(meta: MutableMapping[str, Any], old: str, new: str) -> tuple[int, int]:
    """Move the `plan:` mapping to the new period; returns (old horizon, new horizon)."""
    old_first, old_last = _years(old)
    new_first, new_last = _years(new)
    shift = new_first - old_first
    horizon = meta.get("target_horizon")
    if isinstance(horizon, int) and not isinstance(horizon, bool):
        old_horizon, new_horizon = int(horizon), int(horizon) + shift
        meta["target_horizon"] = new_horizon
    else:
        old_horizon, new_horizon = old_last, new_last
    meta["period"] = _like(meta.get("period"), new)
    meta["status"] = _like(meta.get("status"), "draft")
    if "previous" in meta:
        meta["previous"] = _like(meta["previous"], old)
    else:
        # After `status`, where the model declares it.
        keys = list(meta)
        at = keys.index("status") + 1 if "status" in keys else len(keys)
        if isinstance(meta, CommentedMap):
            meta.insert(at, "previous", old)
        else:
            meta["previous"] = old
    for key in ("title", "annex", "resolution"):
        value = meta.get(key)
        if isinstance(value, str) and old in value:
            meta[key] = _like(value, value.replace(old, new))
    if "date" in meta:
        if isinstance(meta, CommentedMap):
            remove_key(meta, "date")
        else:
            del meta["date"]
    return old_horizon, new_horizon


def _clear_cover(root: CommentedMap) -> bool:
    cover = root.get("cover")
    if not isinstance(cover, CommentedMap):
        return False
    fields = [key for key in MEETING_FIELDS if key in cover]
    for key in fields:
        remove_key(cover, key)
    if not cover:
        remove_key(root, "cover")
    return bool(fields)


def new_cycle(source: Path, period: str, dest: Path) -> Path:
    """Copy the plan folder `source` to `dest` as the draft of the cycle `period`; returns dest.

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
    old_horizon, new_horizon = _edit_meta(meta, old, period)
    edited = {plan_file}
    for name, doc in documents.items():
        if not isinstance(doc, CommentedMap):
            continue
        if _move_deadlines(doc, Plan, old_horizon, new_horizon):
            edited.add(name)
        if _clear_cover(doc):
            edited.add(name)

    texts = {source / name: dump_text(yaml, documents[name]) for name in sorted(edited)}
    return write_folder(dest, source, texts)
