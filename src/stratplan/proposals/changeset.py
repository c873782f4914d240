"""The changes found in a reviewed Word file, written as contribution files: one per
reviewer, each change with a comment saying where in the document it came from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from stratplan.diagnostics import display_path
from stratplan.proposals.importer import Imported
from stratplan.source.roundtrip import dump_text, round_trip_yaml, to_round_trip


@dataclass
class ContributionFile:
    text: str
    suffix: str  # for the file name, when several reviewers share a file: "-ada-reviewer"
    changes: int


def contributions_yaml(
    imported: Imported, review: Path, base: Path, reference: str | None, author: str | None
) -> dict[str, ContributionFile]:
    """Reviewer -> their contribution, as YAML (only `author`'s when given)."""
    by_author: dict[str, list[int]] = {}
    for n, change in enumerate(imported.changes):
        if author is None or change.author == author:
            by_author.setdefault(change.author, []).append(n)
    out: dict[str, ContributionFile] = {}
    for who, indexes in by_author.items():
        changes = [imported.changes[n] for n in indexes]
        dates = sorted(c.date for c in changes if c.date)
        meta = CommentedMap()
        meta["base"] = imported.base.plan.period
        meta["contributor"] = who
        if reference:
            meta["reference"] = reference
        if dates:
            meta["date"] = dates[-1]
        meta["title"] = f"Review of the {imported.base.plan.title}"
        meta["summary"] = CommentedSeq([
            f"Imported from {review.name}: {len(changes)} change(s) by {who}."
        ])
        document = CommentedMap()
        document["contribution"] = meta
        items = CommentedSeq()
        for change in changes:
            entry = to_round_trip(change.data)
            if change.comments:
                entry["reasons"] = " ".join(change.comments)
            items.append(entry)
            when = f", {change.date}" if change.date else ""
            items.yaml_set_comment_before_after_key(
                len(items) - 1, before=f"{change.place} ({who}{when})", indent=2
            )
        document["changes"] = items
        used = "".join(str(c.data) for c in changes)
        notes = {k: v for k, v in imported.footnotes.items() if f"[^{k}]" in used}
        if notes:
            document["footnotes"] = to_round_trip(notes)
        how = "tracked changes" if imported.tracked else "an edited copy, no tracked changes"
        head = f"# Imported by stratplan from {review.name} ({how}) against {display_path(base)}.\n"
        text = head + dump_text(round_trip_yaml(), document)
        slug = re.sub(r"[^a-z0-9]+", "-", who.lower()).strip("-") or "reviewer"
        out[who] = ContributionFile(text, f"-{slug}", len(changes))
    return out
