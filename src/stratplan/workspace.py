"""What the paths of one command are, each file read once.

A path names a plan folder, a file of one (standing for its folder: the rules need the whole
plan), a contribution file, or a folder of contribution files. Which it is, is decided by
reading the file: a YAML mapping with a top-level `contribution:` key is a contribution.

One `Workspace` lives for one command (an API call): it reads each file and models each plan
once, so a diff that validates two plans and their previous cycles reads every folder once,
and the plans are dropped with it before the writer needs the memory.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from stratplan.config import Config, find_config, load_config
from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path
from stratplan.model.address import read_ref
from stratplan.model.contribution import Change, Contribution
from stratplan.model.errors import schema_diagnostics
from stratplan.model.facts import lineage_refs
from stratplan.model.meeting import Meeting, ProposalRecord
from stratplan.model.plan import Plan
from stratplan.source.reader import (
    LoadedSources,
    SourceMap,
    YamlDocument,
    load_sources,
    parse_yaml_text,
    read_yaml,
    yaml_files,
)
from stratplan.source.revisions import at_revision, local

CHANGE: TypeAdapter[Any] = TypeAdapter(Change)
K = TypeVar("K")
T = TypeVar("T")
# Only for a file that does not parse: does it look like a contribution (a record) all the same?
_KIND_LINE = re.compile(r"^['\"]?(contribution|meeting)['\"]?\s*:", re.MULTILINE)


@dataclass
class LoadedPlan:
    folder: Path
    sources: LoadedSources | None
    plan: Plan | None
    diagnostics: list[Diagnostic]


@dataclass
class LoadedContribution:
    path: Path
    contribution: Contribution  # with the changes that fit the model
    sources: SourceMap
    # Problems of changes that do not fit the model (SP100): the other changes still count.
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # The position in the file of each change kept (when some were left out).
    positions: list[int] | None = None

    def position(self, index: int) -> int:
        """Where the `index`th kept change is in the file's `changes` list."""
        return self.positions[index] if self.positions is not None else index


@dataclass
class LoadedMeeting:
    """A meeting's record fitted to its model."""

    path: Path
    meeting: Meeting
    sources: SourceMap

    def contribution_path(self, entry: ProposalRecord) -> Path:
        """The contribution an entry names (relative to the record's folder)."""
        return self.path.parent / entry.contribution

    def location(self, index: int, *field_names: str) -> Location:
        """Where the `index`th entry of `proposals` (or one of its fields) is written."""
        return (self.sources.locate(("proposals", index, *field_names))
                or Location(display_path(self.path)))


@dataclass
class Targets:
    """The paths of a command, sorted out: plan folders, contribution files, meeting records,
    missing paths."""

    plans: list[Path] = field(default_factory=list)
    contributions: list[Path] = field(default_factory=list)
    missing: list[Diagnostic] = field(default_factory=list)
    meetings: list[Path] = field(default_factory=list)


def real(path: Path) -> Path:
    """The resolved path, or the absolute one where resolving fails (a symlink loop)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _fits(change: Any) -> bool:
    try:
        CHANGE.validate_python(change)
    except ValidationError:
        return False
    return True


def plan_folder(path: Path) -> Path:
    """A file of a plan folder stands for its folder: cross-file rules need the whole plan."""
    return path.parent if path.is_file() else path


class Workspace:
    """Reads files and models plans and contributions, once each, for one command."""

    def __init__(self) -> None:
        self._configs: dict[Path | None, tuple[Config, list[Diagnostic]]] = {}
        self._config_files: dict[Path, Path | None] = {}
        self._documents: dict[Path, YamlDocument | StratplanError] = {}
        self._plans: dict[Path, LoadedPlan] = {}
        self._contributions: dict[Path, LoadedContribution | StratplanError] = {}
        self._meetings: dict[Path, LoadedMeeting | StratplanError] = {}
        self._records: dict[Path, tuple[list[LoadedMeeting], list[Diagnostic]]] = {}
        self._revisions: dict[tuple[Path, str], Path | StratplanError] = {}

    # --- configuration -------------------------------------------------------------------

    def config(self, folder: Path) -> tuple[Config, list[Diagnostic]]:
        """The configuration that applies to `folder` (the nearest stratplan.toml, or
        pyproject.toml with [tool.stratplan], above it) and its problems: read once."""
        key = real(folder)
        if key not in self._config_files:
            self._config_files[key] = find_config(folder)
        path = self._config_files[key]
        if path not in self._configs:
            self._configs[path] = load_config(path)
        return self._configs[path]

    # --- files ---------------------------------------------------------------------------

    def document(self, path: Path) -> YamlDocument:
        """One YAML file, read and parsed once; StratplanError with its diagnostics."""
        key = real(path)
        if key not in self._documents:
            try:
                self._documents[key] = read_yaml(path)
            except StratplanError as exc:
                self._documents[key] = exc
        found = self._documents[key]
        if isinstance(found, StratplanError):
            raise found
        return found

    def files_read(self) -> list[Path]:
        """Every file this command has read (or tried to): none of them may be an output."""
        return list(self._documents)

    def is_contribution(self, path: Path) -> bool:
        """A regular file whose top level is a mapping with a `contribution` key."""
        return self._top_key(path) == "contribution"

    def is_meeting(self, path: Path) -> bool:
        """A regular file whose top level is a mapping with a `meeting` key: a record."""
        return self._top_key(path) == "meeting"

    def _top_key(self, path: Path) -> str | None:
        """"contribution" or "meeting" for a file of that kind, else None."""
        if not path.is_file():
            return None
        try:
            data = self.document(path).data
        except StratplanError:
            # It cannot be parsed; its diagnostics come from whatever reads it. Decide from its
            # text so that a broken contribution is not read as a file of a plan folder.
            try:
                head = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                return None
            found = _KIND_LINE.search(head)
            return found.group(1) if found else None
        if isinstance(data, dict):
            return next((k for k in ("contribution", "meeting") if k in data), None)
        return None

    def contribution_files(self, path: Path) -> list[Path]:
        """The contribution files `path` names (a file, or a folder of them only); [] for a
        plan folder or a file of one."""
        path = local(path)
        if path.is_dir():
            files = yaml_files(path)
            if files and all(self.is_contribution(f) for f in files):
                return files
            return []
        return [path] if self.is_contribution(path) else []

    def meeting_files(self, path: Path) -> list[Path]:
        """The meeting records `path` names (a file, or a folder of them only)."""
        if path.is_dir():
            files = yaml_files(path)
            if files and all(self.is_meeting(f) for f in files):
                return files
            return []
        return [path] if self.is_meeting(path) else []

    def targets(self, paths: list[Path]) -> Targets:
        """Sort the command's paths into plan folders (each once) and contribution files."""
        out = Targets()
        seen: set[Path] = set()
        for path in map(local, paths):
            if not path.exists():
                out.missing.append(
                    Diagnostic(
                        "SP010",
                        Severity.ERROR,
                        "no such file or folder",
                        Location(display_path(path)),
                        io=True,
                    )
                )
                continue
            contributions = self.contribution_files(path)
            if contributions:
                out.contributions += contributions
                continue
            meetings = self.meeting_files(path)
            if meetings:
                out.meetings += meetings
                continue
            folder = plan_folder(path)
            if real(folder) not in seen:
                seen.add(real(folder))
                out.plans.append(folder)
        return out

    # --- plans ---------------------------------------------------------------------------

    def plan(self, folder: Path) -> LoadedPlan:
        """A plan folder (or single-file plan) fitted to the model, without the rules."""
        key = real(folder)
        if key not in self._plans:
            self._plans[key] = self._load_plan(folder, self.document)
        return self._plans[key]

    def amended_plan(self, folder: Path, texts: Mapping[Path, str]) -> LoadedPlan:
        """The plan of `folder` with some of its files' texts replaced (a contribution applied
        in memory); never cached, and never written."""
        edited = {real(path): text for path, text in texts.items()}

        def read(path: Path) -> YamlDocument:
            text = edited.get(real(path))
            if text is None:
                return self.document(path)
            data, sources = parse_yaml_text(text, display_path(path))
            return YamlDocument(path, data, sources, text)

        return self._load_plan(folder, read)

    def amended_data(self, folder: Path, data: dict[str, Any]) -> LoadedPlan:
        """The plan of `folder` with its data replaced by `data` (a contribution applied in
        memory to a copy of it): fitted to the model; positions are the base files'. Never
        cached."""
        base = self.plan(folder)
        if base.sources is None:
            return base
        sources = replace(base.sources, data=data)
        try:
            plan = Plan.model_validate(data)
        except ValidationError as exc:
            return LoadedPlan(folder, sources, None,
                              schema_diagnostics(exc, data, sources.sources, Plan))
        return LoadedPlan(folder, sources, plan, [])

    def _load_plan(self, folder: Path, read: Any) -> LoadedPlan:
        try:
            loaded = load_sources(folder, read=read)
        except StratplanError as exc:
            return LoadedPlan(folder, None, None, exc.diagnostics)
        diagnostics = list(loaded.diagnostics)
        if any(d.severity is Severity.ERROR for d in diagnostics):
            return LoadedPlan(folder, loaded, None, diagnostics)
        try:
            plan = Plan.model_validate(loaded.data)
        except ValidationError as exc:
            diagnostics += schema_diagnostics(exc, loaded.data, loaded.sources, Plan)
            return LoadedPlan(folder, loaded, None, diagnostics)
        return LoadedPlan(folder, loaded, plan, diagnostics)

    def cycles(self, folder: Path, plan: Plan) -> tuple[dict[str, Plan], set[str]]:
        """Plans of the cycles this plan's lineage names, from sibling folders, where present;
        and the periods that are named but could not be read."""
        wanted: set[str] = set()
        if plan.plan.previous:
            wanted.add(plan.plan.previous)
        for _, ref in lineage_refs(plan):
            period, _ = read_ref(ref)
            if period is not None:
                wanted.add(period)
        found: dict[str, Plan] = {}
        missing: set[str] = set()
        for period in sorted(wanted):
            sibling = real(folder).parent / period
            if not sibling.is_dir():
                missing.add(period)
                continue
            other = self.plan(sibling)
            if other.plan is not None:
                found[period] = other.plan
            else:
                missing.add(period)
        return found, missing

    def unreadable_cycles(self, folder: Path, periods: set[str]) -> dict[str, tuple[str, int]]:
        """Of the cycles `cycles` could not give, those whose folder is there but whose plan
        cannot be read: period -> (the folder as shown, the number of its errors)."""
        out: dict[str, tuple[str, int]] = {}
        for period in sorted(periods):
            sibling = real(folder).parent / period
            if not sibling.is_dir():
                continue
            other = self.plan(sibling)
            if other.plan is None:
                errors = [d for d in other.diagnostics if d.severity is Severity.ERROR]
                out[period] = (display_path(sibling), len(errors) or len(other.diagnostics))
        return out

    # --- contributions -------------------------------------------------------------------

    def contribution(self, path: Path) -> LoadedContribution:
        """A contribution file fitted to its model; StratplanError with located problems."""
        return _once(self._contributions, real(path), lambda _: self._load_contribution(path))

    def _sources(self, path: Path) -> LoadedSources | StratplanError:
        """A contribution's or a record's YAML, read (the error its problems make, if any)."""
        try:
            loaded = load_sources(path, read=self.document)
        except StratplanError as exc:
            return exc
        if any(d.severity is Severity.ERROR for d in loaded.diagnostics):
            return StratplanError(loaded.diagnostics)
        return loaded

    def _load_contribution(self, path: Path) -> LoadedContribution | StratplanError:
        loaded = self._sources(path)
        if isinstance(loaded, StratplanError):
            return loaded
        data = loaded.data
        try:
            contribution = Contribution.model_validate(data)
            return LoadedContribution(path, contribution, loaded.sources)
        except ValidationError as exc:
            problems = schema_diagnostics(exc, data, loaded.sources, Contribution)
        # Keep every change that fits, so that one run reports all of a file's problems.
        changes = data.get("changes")
        if not isinstance(changes, list):
            return StratplanError(problems)
        fitting = [c for c in changes if _fits(c)]
        try:
            contribution = Contribution.model_validate({**data, "changes": fitting})
        except ValidationError:
            return StratplanError(problems)
        return LoadedContribution(path, contribution, loaded.sources, problems,
                                  [n for n, c in enumerate(changes) if _fits(c)])

    def base_folder(self, loaded: LoadedContribution) -> Path:
        """The plan a contribution amends: plans/<base>/ in a folder above it, or a sibling
        plan folder named <base>."""
        base = loaded.contribution.contribution.base
        here = real(loaded.path)
        for root in here.parents:
            if (root / "plans" / base).is_dir():
                return root / "plans" / base
        for root in here.parents:
            candidate = root / base
            if (
                candidate.is_dir()
                and candidate != here.parent
                and not self.contribution_files(candidate)
            ):
                return candidate
        raise StratplanError(
            [
                Diagnostic(
                    "SP803",
                    Severity.ERROR,
                    f"base plan {base} not found (looked for plans/{base}/ above the "
                    "contribution)",
                    Location(display_path(loaded.path)),
                    io=True,
                )
            ]
        )

    def common_base(
        self, paths: list[Path], base: Path | None = None
    ) -> tuple[list[LoadedContribution], Path]:
        """The contributions at `paths` (files, or folders of them) and the one plan they all
        amend (SP803 otherwise): `base` when given (a copy of it anywhere, a revision's), else
        the one their `base:` names."""
        files: list[Path] = []
        for path in map(local, paths):
            if not path.is_dir():
                files.append(path)
                continue
            found = self.contribution_files(path)
            if not found:
                # A plan folder given where contributions go: the base plan is the one the
                # contributions name, so amending "this folder" would silently write another.
                raise StratplanError(
                    [Diagnostic("SP010", Severity.ERROR,
                                "not a folder of contributions (a plan folder?); the plan a "
                                "contribution amends is its `base`",
                                Location(display_path(path)), io=True)]
                )
            files.extend(found)
        if not files:
            raise StratplanError(
                [Diagnostic("SP010", Severity.ERROR, "no contribution files here",
                            Location(display_path(paths[0])) if paths else None, io=True)]
            )
        paths = files
        loaded = [self.contribution(p) for p in paths]
        bases = {lc.contribution.contribution.base for lc in loaded}
        if len(bases) != 1:
            raise StratplanError(
                [
                    Diagnostic(
                        "SP803",
                        Severity.ERROR,
                        "contributions amend different plans: " + ", ".join(sorted(bases)),
                        Location(display_path(paths[0])),
                        io=True,
                    )
                ]
            )
        if base is None:
            return loaded, self.base_folder(loaded[0])
        return loaded, self.given_base(base, bases.pop(), paths[0])

    def given_base(self, base: Path, period: str, where: Path) -> Path:
        """The plan folder `base` (a file of it stands for it), when it is a plan of `period`:
        the contributions' base wherever it is, a copy or a git revision's (SP803 for a plan
        of another period)."""
        folder = plan_folder(local(base))
        loaded = self.plan(folder)
        if loaded.plan is None:
            errors = [d for d in loaded.diagnostics if d.severity is Severity.ERROR]
            raise StratplanError(errors or loaded.diagnostics)
        found = loaded.plan.plan.period
        if found != period:
            raise StratplanError([Diagnostic(
                "SP803", Severity.ERROR,
                f"the contributions amend the plan of {period}, not {display_path(base)} "
                f"(the plan of {found})", Location(display_path(where)), io=True)])
        return folder

    # --- meeting records -----------------------------------------------------------------

    def meeting(self, path: Path) -> LoadedMeeting:
        """A meeting's record fitted to its model; StratplanError with located problems."""
        return _once(self._meetings, real(path), lambda _: self._load_meeting(path))

    def _load_meeting(self, path: Path) -> LoadedMeeting | StratplanError:
        loaded = self._sources(path)
        if isinstance(loaded, StratplanError):
            return loaded
        try:
            return LoadedMeeting(path, Meeting.model_validate(loaded.data), loaded.sources)
        except ValidationError as exc:
            return StratplanError(schema_diagnostics(exc, loaded.data, loaded.sources, Meeting))

    def records_above(self, path: Path) -> tuple[list[LoadedMeeting], list[Diagnostic]]:
        """The meeting records in the `meetings/` folders above `path` (nearest first), and
        the problems of those that cannot be read."""
        records: list[LoadedMeeting] = []
        problems: list[Diagnostic] = []
        for root in real(path).parents:
            folder = root / "meetings"
            if folder not in self._records:
                found: list[LoadedMeeting] = []
                trouble: list[Diagnostic] = []
                if folder.is_dir():
                    for file in yaml_files(folder):
                        if not self.is_meeting(file):
                            continue
                        try:
                            found.append(self.meeting(file))
                        except StratplanError as exc:
                            trouble += exc.diagnostics
                self._records[folder] = (found, trouble)
            records += self._records[folder][0]
            problems += self._records[folder][1]
        return records, problems

    def at_revision(self, path: Path, revision: str) -> Path:
        """The folder `path` as it is at a git revision (read once per command)."""
        return _once(self._revisions, (real(path), revision), lambda _: at_revision(path, revision))

    def deciding(self, path: Path) -> list[LoadedMeeting]:
        """The records above a contribution that decide any of its proposals (any entry not
        pending), earliest meeting first."""
        here = real(path)
        records, _ = self.records_above(path)
        return sorted(
            (r for r in records if any(
                e.decision != "pending" and real(r.contribution_path(e)) == here
                for e in r.meeting.proposals)),
            key=lambda r: (r.meeting.meeting.date, display_path(r.path)),
        )


def _once(cache: dict[K, T | StratplanError], key: K,
          load: Callable[[K], T | StratplanError]) -> T:
    """What `load` gives for `key`, loaded once per command; a StratplanError it raises (or
    returns) is raised again each time it is asked for."""
    if key not in cache:
        try:
            cache[key] = load(key)
        except StratplanError as exc:
            cache[key] = exc
    found = cache[key]
    if isinstance(found, StratplanError):
        raise found
    return found
