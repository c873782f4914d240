"""Git revisions as inputs: `REV:path`, as `git show` takes it, read through git itself.

`stratplan diff cwg-4:plans/2028-2031 plans/2028-2031` reads the plan as it was at the tag
`cwg-4`. The revision's files are read with git (`rev-parse`, `ls-tree`, `cat-file`: never the
network) and written, once per process, into a private snapshot folder laid out as the
repository is. A command then reads a revision's plan folder as it reads a folder on disk,
with what is around it: the plans beside it (the previous cycle its lineage names),
`plans/<base>/` above a contribution, the contributions a meeting's record names, the
configuration above them. Messages name the files `REV:path` (`diagnostics.name_folder`). A
snapshot is never written to: its files are inputs (no output may replace an input), and the
commands that write into the plan they read (`apply --in-place`, `fmt`) refuse a revision
(`is_revision`).

Only a plain revision spec is taken: a branch, a tag, a commit id, with `~N`, `^N` or `@{...}`
after it; never text git would read as an option, a range or a search (`:/text`). The path is
inside the repository: relative to its top, as `git show` reads it, or to the working directory
when it starts with `./` or `../`.
"""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from stratplan.diagnostics import (
    Diagnostic,
    Location,
    Severity,
    StratplanError,
    display_path,
    name_folder,
)

# A revision as `git rev-parse` takes it, without what makes it anything but one revision: no
# leading "-" (an option), no ".." (a range), no ":" (a path), no spaces or control characters.
_REVISION = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./@{}~^+-]*")
# What a command needs around the path it names: configuration files above it...
CONFIG_NAMES = ("stratplan.toml", "pyproject.toml")
YAML_SUFFIXES = (".yaml", ".yml")
# ... and no more than this: a revision is read whole before anything looks at it.
MAX_FILES = 2000
MAX_BYTES = 64 * 1024 * 1024
_GIT_TIMEOUT = 60


@dataclass(frozen=True)
class Spec:
    """`REV:path` read into its parts."""

    revision: str
    path: str  # as written after the colon

    def __str__(self) -> str:
        return f"{self.revision}:{self.path}"


def parse(arg: Path | str) -> Spec | None:
    """The spec `arg` is written as, or None when it is not one (no colon, or text before it
    that no plain revision is written as)."""
    revision, colon, path = str(arg).partition(":")
    if not colon or not _REVISION.fullmatch(revision) or ".." in revision:
        return None
    return Spec(revision, path)


def is_spec(arg: Path | str) -> bool:
    """Whether a command argument names a revision's file: written `REV:path`, and not a file
    or folder on disk (that one wins, as it does for `git show`... which has no such files)."""
    return parse(arg) is not None and not os.path.lexists(arg)


def _problem(spec: Spec | str, message: str, hint: str = "") -> StratplanError:
    return StratplanError(
        [Diagnostic("SP010", Severity.ERROR, message, Location(str(spec)), hint, io=True)]
    )


def _git(cwd: Path, spec: Spec, *args: str, stdin: bytes | None = None) -> bytes | None:
    """git's output, or None when it exits non-zero. Never a network access: no transport
    protocol is allowed, a partial clone does not fetch what it lacks, no prompt."""
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_NO_LAZY_FETCH="1",
               GIT_LITERAL_PATHSPECS="1", GIT_NO_REPLACE_OBJECTS="1", LC_ALL="C")
    command = ["git", "-c", "protocol.allow=never", "-c", "core.fsmonitor=false", *args]
    try:
        proc = subprocess.run(command, cwd=cwd, input=stdin, capture_output=True, env=env,
                              timeout=_GIT_TIMEOUT, check=False)
    except FileNotFoundError:
        raise _problem(spec, f"{spec} names a git revision, and git is not installed") from None
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise _problem(spec, f"cannot read {spec} with git: {exc}") from None
    return proc.stdout if proc.returncode == 0 else None


@dataclass(frozen=True)
class _Blob:
    path: str  # from the repository's top
    object: str
    size: int


def _in_repository(spec: Spec, top: Path, cwd: Path) -> str:
    """The spec's path from the repository's top ("" for the top itself)."""
    path = spec.path
    if any(ord(c) < 0x20 or c == "\x7f" for c in path):
        raise _problem(spec, f"{spec!s:.80}: a control character in the path")
    if path.startswith("/"):
        raise _problem(spec, f"{spec}: an absolute path, where git takes one in the repository",
                       "write it from the repository's top (plans/2028-2031), or from here "
                       "with ./ or ../, as git show does")
    if path in (".", "..") or path.startswith(("./", "../")):
        here = os.path.normpath(os.path.join(os.path.realpath(cwd), path))
        inside = os.path.relpath(here, os.path.realpath(top)).replace(os.sep, "/")
    else:
        inside = posixpath.normpath(path) if path else "."
    if inside == ".." or inside.startswith("../"):
        raise _problem(spec, f"{spec}: the path is outside the repository")
    return "" if inside == "." else inside


def _blobs(spec: Spec, top: Path, commit: str, inside: str) -> list[_Blob]:
    """The files of the revision a command may read for `inside`: the YAML files under it, beside
    it and in the folders beside it (other cycles, other contributions), in `plans/` above it,
    and the configuration files above it."""
    ancestors = [""]
    for part in [p for p in inside.split("/") if p][:-1]:
        ancestors.append(posixpath.join(ancestors[-1], part))
    folder = posixpath.dirname(inside)
    wanted = {inside or ".", folder or "."}
    wanted |= {posixpath.join(a, "plans") for a in ancestors}
    # A meeting's record names contributions beside it (../contributions/...).
    wanted |= {posixpath.join(a, "contributions") for a in ancestors}
    wanted |= {posixpath.join(a, name) for a in ancestors for name in CONFIG_NAMES}
    listing = _git(top, spec, "ls-tree", "-r", "-z", "-l", "--full-tree", commit, "--",
                   *sorted(wanted))
    if listing is None:
        raise _problem(spec, f"cannot list the files of {spec.revision}")
    out: list[_Blob] = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, name_bytes = entry.partition(b"\t")
        mode, kind, obj, size = meta.split()
        name = name_bytes.decode("utf-8", errors="surrogateescape")
        # Regular files only: a symlink's target or a submodule is nothing a plan holds.
        if kind != b"blob" or mode not in (b"100644", b"100755"):
            continue
        base = posixpath.basename(name)
        if base in CONFIG_NAMES:
            if posixpath.dirname(name) not in ancestors:
                continue
        elif not base.endswith(YAML_SUFFIXES) or not _near(name, inside, folder, ancestors):
            continue
        out.append(_Blob(name, obj.decode("ascii"), int(size)))
    if len(out) > MAX_FILES or sum(b.size for b in out) > MAX_BYTES:
        raise StratplanError([Diagnostic(
            "SP003", Severity.ERROR,
            f"{spec}: the revision has more than {MAX_FILES} YAML files or "
            f"{MAX_BYTES // (1024 * 1024)} MB of them around this path",
            Location(str(spec)), "name a plan folder or a contribution of the revision",
            io=True)])
    return out


def _near(name: str, inside: str, folder: str, ancestors: list[str]) -> bool:
    """Whether a YAML file of the revision is one a command on `inside` may read."""
    def under(root: str, depth: int | None = None) -> bool:
        if root and not name.startswith(root + "/"):
            return False
        rest = name[len(root) + 1:] if root else name
        return depth is None or rest.count("/") < depth

    if inside and (name == inside or under(inside)):
        return True
    if not inside:
        return under("", 2)
    # Beside it, and one folder down beside it (the other cycles' files).
    if under(folder, 2):
        return True
    return any(under(posixpath.join(a, "plans")) or under(posixpath.join(a, "contributions"))
               for a in ancestors)


def _contents(spec: Spec, top: Path, blobs: list[_Blob]) -> dict[str, bytes]:
    """Each blob's bytes, read by one `git cat-file --batch`."""
    if not blobs:
        return {}
    request = "".join(f"{b.object}\n" for b in blobs).encode("ascii")
    output = _git(top, spec, "cat-file", "--batch", stdin=request)
    if output is None:
        raise _problem(spec, f"cannot read the files of {spec.revision}")
    out: dict[str, bytes] = {}
    at = 0
    for blob in blobs:
        header_end = output.index(b"\n", at)
        header = output[at:header_end].split()
        if len(header) != 3 or header[1] != b"blob":
            raise _problem(spec, f"{spec.revision}:{blob.path} cannot be read")
        size = int(header[2])
        out[blob.path] = output[header_end + 1: header_end + 1 + size]
        at = header_end + 1 + size + 1
    return out


class _Snapshots:
    """The revisions read in this process, each in a folder of its own under one temporary
    folder (removed when the process ends): (repository, revision, commit) -> folder."""

    def __init__(self) -> None:
        self._temporary: tempfile.TemporaryDirectory[str] | None = None
        self.folders: dict[tuple[str, str, str], Path] = {}
        self.read: dict[Path, set[str]] = {}
        self.tops: dict[Path, Path] = {}  # snapshot folder -> the repository's working tree

    def root(self) -> Path:
        if self._temporary is None:
            self._temporary = tempfile.TemporaryDirectory(prefix="stratplan-revisions-")
        return Path(self._temporary.name)

    def is_inside(self, path: Path) -> bool:
        return self.folder_of(path) is not None

    def folder_of(self, path: Path) -> Path | None:
        """The snapshot folder `path` is in, or None."""
        if self._temporary is None:
            return None
        real = os.path.realpath(path)
        for folder in self.tops:
            if real.startswith(os.path.realpath(folder) + os.sep) or real == os.path.realpath(
                    folder):
                return folder
        return None


_SNAPSHOTS = _Snapshots()


def checkout(spec: Spec, cwd: Path | None = None) -> Path:
    """The file or folder `spec` names, in its revision's snapshot folder (made, or completed,
    as needed); StratplanError (SP010) for a revision or path git does not know."""
    cwd = Path.cwd() if cwd is None else cwd
    top_out = _git(cwd, spec, "rev-parse", "--show-toplevel")
    if top_out is None:
        raise _problem(spec, f"{spec}: not in a git repository",
                       "REV:path reads a revision of the repository of the working directory")
    top = Path(top_out.decode("utf-8", errors="surrogateescape").strip())
    commit_out = _git(top, spec, "rev-parse", "--verify", "--quiet", "--end-of-options",
                      f"{spec.revision}^{{commit}}")
    if commit_out is None:
        raise _problem(spec, f"unknown revision {spec.revision!r} (in {spec})",
                       "a branch, a tag or a commit of this repository (git log, git tag)")
    commit = commit_out.decode("ascii").strip()
    inside = _in_repository(spec, top, cwd)
    if inside:
        entry = _git(top, spec, "ls-tree", "-z", "--full-tree", commit, "--", inside)
        if not entry:
            raise _problem(spec, f"{inside} is not in revision {spec.revision} (in {spec})",
                           f"git ls-tree --name-only {spec.revision} lists what it has")
    key = (str(top), spec.revision, commit)
    folder = _SNAPSHOTS.folders.get(key)
    if folder is None:
        folder = _SNAPSHOTS.root() / f"{len(_SNAPSHOTS.folders)}-{commit[:12]}"
        folder.mkdir()
        _SNAPSHOTS.folders[key] = folder
        _SNAPSHOTS.read[folder] = set()
        _SNAPSHOTS.tops[folder] = top
        name_folder(folder, f"{spec.revision}:")
    done = _SNAPSHOTS.read[folder]
    if inside not in done:
        blobs = [b for b in _blobs(spec, top, commit, inside)
                 if not (folder / b.path).exists()]
        for path, data in _contents(spec, top, blobs).items():
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        done.add(inside)
    out = folder / inside if inside else folder
    if not out.exists():
        # A folder of the revision with no file a plan is made of: there, but empty.
        out.mkdir(parents=True, exist_ok=True)
    return out


def local(path: Path | str) -> Path:
    """What a command reads for a path it is given: the path itself, or, for `REV:path`, the
    file or folder in the revision's snapshot."""
    if is_spec(path):
        spec = parse(path)
        assert spec is not None
        return checkout(spec)
    return Path(path)


def is_revision(path: Path | str) -> bool:
    """Whether `path` is a file or folder of a revision's snapshot: read only."""
    return _SNAPSHOTS.is_inside(Path(path))


def in_working_tree(path: Path | str) -> Path:
    """For a revision's file or folder, the same path in the repository's working tree (where
    a command that starts from a revision writes by default); else `path`."""
    folder = _SNAPSHOTS.folder_of(Path(path))
    if folder is None:
        return Path(path)
    inside = os.path.relpath(os.path.realpath(path), os.path.realpath(folder))
    return _SNAPSHOTS.tops[folder] / inside


def at_revision(path: Path, revision: str) -> Path:
    """The file or folder `path` of a repository's working tree (or of a revision's snapshot)
    as it is at `revision`; StratplanError (SP010) when git does not know the revision, or the
    path is not in it."""
    here = in_working_tree(path)
    spec = Spec(revision, f"./{here.name}")
    return checkout(spec, cwd=here.parent)


def revision_of(folder: Path) -> tuple[str | None, str]:
    """The revision a folder's files are at: for a revision's snapshot, that revision; for a
    folder of a repository's working tree with no change since the last commit, that commit's
    id; else None, with the reason."""
    snapshot = _SNAPSHOTS.folder_of(folder)
    if snapshot is not None:
        return next(rev for (_, rev, _), f in _SNAPSHOTS.folders.items() if f == snapshot), ""
    spec = Spec("HEAD", str(folder))
    if _git(folder, spec, "rev-parse", "--show-toplevel") is None:
        return None, "it is not in a git repository"
    status = _git(folder, spec, "status", "--porcelain", "--", ".")
    if status is None:
        return None, "git status cannot say whether it changed"
    if status.strip():
        return None, "it has changes that are not committed"
    head = _git(folder, spec, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    if head is None:
        return None, "the repository has no commit"
    return head.decode("ascii").strip(), ""


def refuse_revision(path: Path | str, what: str) -> None:
    """SP010 when `path` is a revision's: `what` would be written into it."""
    if is_revision(path):
        raise StratplanError([Diagnostic(
            "SP010", Severity.ERROR,
            f"{display_path(path)} is a git revision's: {what} would be written into it",
            Location(display_path(path)), "a revision is read only; write into a folder on disk",
            io=True)])
