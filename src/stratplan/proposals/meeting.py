"""A meeting's record started, or brought up to date, from the compilation: one entry per
proposal, numbered in the order of the text it amends, its decision pending. A record that
exists keeps every entry it has (numbers, decisions, notes, comments); the proposals it does
not have yet are added after them, with the next numbers, as the compilation numbers them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from stratplan.model.meeting import MeetingMeta
from stratplan.proposals.compile import Compilation
from stratplan.source.roundtrip import dump_text, load_text, round_trip_yaml

HEADER = """\
The record of a meeting: one entry per proposal (a change of a contribution), by the number
the compilation prints. Set each `decision:` to accepted, accepted-as-amended (with `agreed:`,
the agreed value or item), not-accepted, withdrawn or deferred, with a `note:` if need be;
`stratplan apply --meeting` applies what was accepted. `stratplan meeting` adds the proposals
that come later, with the next numbers."""


def _entries(compilation: Compilation, record: Path, known: set[tuple[str, int]]) -> list[
    CommentedMap
]:
    """The entries of the compilation's proposals the record does not have, by number."""
    folder = os.path.realpath(record.parent)
    out = []
    for key in sorted(compilation.order, key=lambda k: compilation.numbers[k]):
        path, change = key
        relative = Path(os.path.relpath(path, folder)).as_posix()
        if (relative, change) in known:
            continue
        entry = CommentedMap()
        entry["number"] = compilation.numbers[key]
        entry["contribution"] = relative
        entry["change"] = change
        entry["proposes"] = compilation.proposes[key]
        entry["decision"] = "pending"
        out.append(entry)
    return out


def record_text(
    compilation: Compilation, record: Path, existing: str | None, meta: MeetingMeta | None
) -> tuple[str, list[int]]:
    """The record's new text and the numbers it added: `existing` (the record's text) with the
    new proposals after its entries, or a new record of meeting `meta`."""
    yaml = round_trip_yaml()
    if existing is not None:
        document: Any = load_text(yaml, existing, str(record))
        proposals = document.get("proposals")
        if not isinstance(proposals, CommentedSeq):
            proposals = CommentedSeq()
            document["proposals"] = proposals
        folder = os.path.realpath(record.parent)
        known = {
            (Path(os.path.relpath(os.path.realpath(record.parent / str(e["contribution"])),
                                  folder)).as_posix(), int(e["change"]))
            for e in proposals if isinstance(e, dict) and "contribution" in e and "change" in e
        }
    else:
        assert meta is not None
        document = CommentedMap()
        head = CommentedMap()
        for name, value in meta.model_dump(exclude_none=True, exclude_defaults=False).items():
            head[name] = value
        document["meeting"] = head
        proposals = CommentedSeq()
        document["proposals"] = proposals
        document.yaml_set_start_comment(HEADER)
        known = set()
    added = _entries(compilation, record, known)
    proposals.extend(added)
    return dump_text(yaml, document), [int(e["number"]) for e in added]
