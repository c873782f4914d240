"""The changes found in a reviewed Word file as contribution files: one per reviewer, built as
data and dumped by ruamel (whatever the file carries is a value, never YAML syntax or comment
text), held to the contribution model, and named so that no two reviewers share a file.

Each change records where it was found (`found_at`: the place in the document and the date of
the revision) and each file what wrote it (`contribution.imported`: the Word file's name, and a
digest of the contribution as written), so that a later import can tell a file someone has
since edited by hand from one it wrote itself (`edited_since_import`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from stratplan.changes.amend import amend
from stratplan.changes.apply import MAX_CHANGES
from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, shorten
from stratplan.model.contribution import Contribution
from stratplan.proposals.importer import FoundChange, Imported
from stratplan.source.reader import SourceMap, parse_yaml_text
from stratplan.source.roundtrip import dump_text, round_trip_yaml, to_round_trip
from stratplan.workspace import LoadedContribution, Workspace

CODE = "SP812"  # a reviewer's contribution that cannot be written (import-not-written)
MAX_REVIEWERS = 200  # contributions one import writes; a Working Group's file has a few
# The parts of a file name, in UTF-8 bytes (a file system takes 255 in all, and the writer's
# temporary name adds to it): the review's name, the reviewer's name, their hash.
STEM_BYTES = 80
NAME_BYTES = 60
HASH_CHARS = 8
DIGEST_ZEROS = "sha256:" + "0" * 64
# The digest's own line, as ruamel writes it under `contribution: imported:`: a value of the
# file cannot be written so (a key `digest` at that depth is ours alone).
_DIGEST_LINE = re.compile(r"^    digest: (sha256:[0-9a-f]{64})$", re.M)
HEADER = (
    "Written by `stratplan import` from a reviewed Word file (contribution.imported names it).\n"
    "Edit it freely: a later import of the file does not replace it once edited, unless given "
    "--force."
)


@dataclass
class ContributionFile:
    """One reviewer's contribution, ready to write."""

    contributor: str
    text: str
    changes: int
    name: str = ""  # what tells the reviewer's file from the others': "ada-reviewer-1a2b3c4d"


@dataclass
class ChangeSet:
    """The contributions to write, and what could not be written (SP812, errors)."""

    files: list[ContributionFile] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    reviewers: int = 0  # whose changes were found (written or not)
    refused: int = 0  # changes of the reviewers not written


def contribution_files(
    imported: Imported, review_name: str, where: Location, reference: str | None,
    author: str | None, workspace: Workspace | None = None, base: Path | None = None,
) -> ChangeSet:
    """Reviewer -> their contribution (only `author`'s when given), each checked: a reviewer
    whose contribution does not fit the model, or (given the `workspace` and `base` plan, with
    several reviewers) leaves the plan invalid on its own, gets SP812 and no file. More
    reviewers than MAX_REVIEWERS: StratplanError, nothing is written."""
    by_author: dict[str, list[FoundChange]] = {}
    for change in imported.changes:
        if author is None or change.author == author:
            by_author.setdefault(change.author, []).append(change)
    if len(by_author) > MAX_REVIEWERS:
        raise StratplanError([Diagnostic(
            CODE, Severity.ERROR, f"{len(by_author)} reviewers made changes, over the limit of "
            f"{MAX_REVIEWERS} contributions one import writes: nothing was written", where,
            "import one reviewer at a time with --author NAME",
        )])
    out = ChangeSet(reviewers=len(by_author))
    for who, changes in by_author.items():
        problem = _too_many(changes)
        if problem is None:
            data = _contribution(imported, who, changes, review_name, reference)
            problem = _misfit(data)
        if problem is None and workspace is not None and base is not None and \
                len(by_author) > 1:
            # The import's own check amended the plan with every reviewer's changes at once;
            # each contribution is applied alone too.
            problem = _amend_problems(workspace, base, data)
        if problem is None:
            text = _dump(data)
            problem = _misfit_as_read(text, data)
        if problem is None:
            text = _with_digest(text)
        if problem is not None:
            out.diagnostics.append(Diagnostic(
                CODE, Severity.ERROR,
                f"{shorten(who)}'s changes (the first at {changes[0].place}) were not written: "
                f"{problem}", where,
                "the other reviewers' contributions are written; ask this reviewer for a file "
                "their Word writes plainly, or write their changes by hand",
            ))
            out.refused += len(changes)
            continue
        out.files.append(ContributionFile(who, text, len(changes)))
    names = file_names([f.contributor for f in out.files])
    for contribution in out.files:
        contribution.name = names[contribution.contributor]
    return out


def _too_many(changes: list[FoundChange]) -> str | None:
    if len(changes) > MAX_CHANGES:
        return f"{len(changes)} changes, over the limit of {MAX_CHANGES} in one contribution"
    return None


def _contribution(imported: Imported, who: str, changes: list[FoundChange], review_name: str,
                  reference: str | None) -> dict[str, Any]:
    """The contribution as plain data: every text from the file a value."""
    dates = sorted(c.date for c in changes if c.date)
    meta: dict[str, Any] = {"base": imported.base.plan.period, "contributor": who}
    if reference:
        meta["reference"] = reference
    if dates:
        meta["date"] = dates[-1]
    meta["title"] = f"Review of the {imported.base.plan.title}"
    how = "tracked changes" if imported.tracked else "an edited copy, no tracked changes"
    meta["summary"] = [f"{len(changes)} change(s) imported from a reviewed Word file ({how})."]
    meta["imported"] = {"file": review_name, "tracked": imported.tracked,
                        "digest": DIGEST_ZEROS}
    items = []
    for change in changes:
        entry = dict(change.data)
        if change.comments:
            entry["reasons"] = " ".join(change.comments)
        entry["found_at"] = {"place": change.place} | ({"date": change.date} if change.date
                                                       else {})
        items.append(entry)
    document: dict[str, Any] = {"contribution": meta, "changes": items}
    used = "".join(str(c.data) for c in changes)
    notes = {k: v for k, v in imported.footnotes.items() if f"[^{k}]" in used}
    if notes:
        document["footnotes"] = notes
    return document


def _misfit(data: dict[str, Any]) -> str | None:
    """What keeps `data` from being a contribution, in the model's words; None if it is one."""
    try:
        Contribution.model_validate(data)
    except ValidationError as exc:
        return "; ".join(_error_text(e) for e in exc.errors()[:3])
    return None


def _amend_problems(workspace: Workspace, base: Path, data: dict[str, Any]) -> str | None:
    """Why the plan would not stay valid with this contribution alone applied; None if it
    would."""
    loaded = LoadedContribution(Path("contribution"), Contribution.model_validate(data),
                                SourceMap())
    amendment = amend(workspace, [loaded], base)
    problems = [*amendment.problems, *amendment.errors]
    if amendment.plan is None:
        problems += [d for d in amendment.loaded.diagnostics if d.severity is Severity.ERROR]
    if not problems:
        return None
    return "alone, it leaves the plan invalid: " + "; ".join(d.message for d in problems[:3])


def _error_text(error: Any) -> str:
    where = ".".join(str(part) for part in error["loc"])
    value = error.get("input")
    shown = f" (“{shorten(value)}”)" if isinstance(value, str) else ""
    return f"{where}{shown}: {error['msg']}"


def _dump(data: dict[str, Any]) -> str:
    document = to_round_trip(data)
    document.yaml_set_start_comment(HEADER)
    return dump_text(round_trip_yaml(), document)


def _misfit_as_read(text: str, meant: dict[str, Any]) -> str | None:
    """What the contribution reader makes of the text written: anything but the data meant
    (a value the reader refuses, or reads otherwise) keeps it from being written."""
    try:
        data, _ = parse_yaml_text(text, "contribution")
    except StratplanError as exc:
        return "; ".join(d.message for d in exc.diagnostics[:3])
    if data != meant or len(_DIGEST_LINE.findall(text)) != 1:
        return "its text would not read back as written"
    return _misfit(data)


def _normal(text: str) -> str:
    """The text a digest is taken of: without a byte-order mark, "\n" line ends (a checkout
    may change either)."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def _digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(_normal(text).encode("utf-8")).hexdigest()


def _with_digest(text: str) -> str:
    """The text with its digest (of the text with the digest as zeros) in its place."""
    (found,) = _DIGEST_LINE.finditer(text)  # one, as _misfit_as_read made sure
    start, end = found.span(1)
    return text[:start] + _digest(text) + text[end:]


def edited_since_import(text: str) -> str | None:
    """Why a contribution file may not be replaced by a new import: it was not written by
    `stratplan import`, or it was edited since; None when it is as import wrote it."""
    found = list(_DIGEST_LINE.finditer(_normal(text)))
    if len(found) != 1:
        return "it was not written by stratplan import"
    normal = _normal(text)
    start, end = found[0].span(1)
    if _digest(normal[:start] + DIGEST_ZEROS + normal[end:]) != found[0].group(1):
        return "it was edited since stratplan import wrote it"
    return None


def file_names(reviewers: list[str]) -> dict[str, str]:
    """Reviewer -> the part of the file name that is theirs: their name's letters and digits
    in any script, lower case ("ada-reviewer", "محمد-علي", "иван-петров"), then a short hash of
    the exact name ("-1a2b3c4d"), so that names alike but for case, punctuation or script
    never share a file. Longer hashes where the short ones meet; StratplanError if even those
    do."""
    for size in (HASH_CHARS, 2 * HASH_CHARS, 64):
        names = {who: f"{_slug(who)}-{_hash(who)[:size]}" for who in reviewers}
        if len({n.casefold() for n in names.values()}) == len(names):
            return names
    raise StratplanError([Diagnostic(CODE, Severity.ERROR, "two reviewers' names give one file "
                                     "name: nothing was written")])


def _hash(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()


def _slug(name: str) -> str:
    words = re.sub(r"[\W_]+", "-", unicodedata.normalize("NFC", name).lower()).strip("-")
    return bounded(words, NAME_BYTES).rstrip("-") or "reviewer"


def bounded(text: str, size: int) -> str:
    """`text` cut to at most `size` bytes of UTF-8, at a character."""
    return text.encode("utf-8")[:size].decode("utf-8", errors="ignore")


def review_stem(path: Path) -> str:
    """The reviewed file's name without its suffix, as the start of the contributions' names:
    bounded in length (a file name from outside may fill a file system's limit alone)."""
    return bounded(path.stem, STEM_BYTES) or "review"
