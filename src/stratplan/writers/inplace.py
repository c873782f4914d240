"""A plan folder rewritten in place, all or nothing (`apply --in-place`).

- **A lock** on the folder while it is read, amended and rewritten: an exclusive `flock` on
  the folder itself (no lock file), so two applies at once run one after the other, each on
  what the other wrote. A command that waits more than a minute stops (SP010).
- **A check** that the files are still the ones read: a program that does not take the lock
  (an editor, a checkout) may have written one since; then nothing is written and the file is
  named (SP010).
- **Every new file written before any is renamed**, each beside its target (a rename is atomic
  within one folder only), then a backup of each target (a hard link: no copy), then a journal
  (`.stratplan-apply.journal`) naming them, then the renames. A rename that fails puts back
  the files renamed so far; an apply killed in the middle leaves the journal, and the next
  `apply --in-place` of that folder puts the plan back as it was before it (it never finished,
  so nobody was told it did) before it reads anything.
- **Nothing left behind**: the new files, the backups and the journal are removed on every way
  out but a kill, and a kill's are removed by the next run.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path
from stratplan.source.reader import decode_yaml_bytes, yaml_files
from stratplan.writers.files import _error, _mode_for, _sync_directory

try:
    import fcntl
except ImportError:  # Windows: no flock; the check of the files still holds
    fcntl = None  # type: ignore[assignment]

__all__ = ["JOURNAL", "locked", "recover", "rewrite"]

JOURNAL = ".stratplan-apply.journal"
LOCK_WAIT = 60.0  # seconds
_NEW, _OLD = ".stratplan-new", ".stratplan-old"


def _side(path: Path, suffix: str) -> Path:
    """The hidden file beside `path` for its new text or its backup (not a YAML name, so no
    reader of the folder takes it for part of the plan)."""
    return path.with_name(f".{path.name}{suffix}")


@contextlib.contextmanager
def locked(folder: Path, wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold the folder's lock (see the module's docstring) for the block."""
    if fcntl is None:
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise _error(folder, exc.strerror or str(exc)) from None
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise _error(folder, f"another command has been rewriting this plan for "
                                 f"{wait:g} s", "try again when it has finished") from None
                time.sleep(0.05)
            except OSError:
                break  # a file system without locks (some network mounts): the check holds
        yield
    finally:
        os.close(fd)  # releases the lock


def recover(folder: Path) -> list[str]:
    """Undo an apply that was killed while renaming (its journal is there): each file it
    replaced gets its backup back, and its other files go. Returns the names restored."""
    journal = folder / JOURNAL
    try:
        entries = json.loads(journal.read_text(encoding="utf-8"))["files"]
        names = [str(name) for name in entries]
    except FileNotFoundError:
        names = []
    except (OSError, ValueError, KeyError, TypeError):
        raise _error(journal, "an interrupted apply left this journal and it cannot be read",
                     "restore the plan's files from version control, then delete it") from None
    restored = []
    for name in names:
        target = folder / Path(name).name
        backup = _side(target, _OLD)
        if backup.exists():
            os.replace(backup, target)
            restored.append(target.name)
        # A backup of a file not yet replaced is a link to it, and a rename onto the same
        # file does nothing: it is still there.
        for leftover in (backup, _side(target, _NEW)):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    with contextlib.suppress(FileNotFoundError):
        journal.unlink()
    _sync_directory(folder)
    return restored


def _changed(path: Path, text: str) -> bool:
    try:
        return decode_yaml_bytes(display_path(path), path.read_bytes()) != text
    except (OSError, StratplanError):
        return True


def rewrite(folder: Path, files: Mapping[Path, bytes], read: Mapping[Path, str]) -> None:
    """Replace `files` (paths in `folder`) all or nothing, when every file of `read` (the
    folder's YAML files as the command read them) still holds the text read and no other has
    appeared; StratplanError SP010 otherwise, naming the file, with nothing written."""
    known = {path.name for path in read}
    appeared = [path for path in yaml_files(folder) if path.name not in known]
    changed = [path for path, text in sorted(read.items()) if _changed(path, text)]
    for path, what in [*((p, "appeared") for p in appeared),
                       *((p, "changed") for p in changed)]:
        raise StratplanError([Diagnostic(
            "SP010", Severity.ERROR,
            f"{display_path(path)} {what} since the plan was read (another program wrote "
            "it): nothing was written", Location(display_path(path)),
            "run the command again", io=True)])
    news: list[Path] = []
    backups: list[Path] = []
    journal = folder / JOURNAL
    renamed: list[Path] = []
    current: Path = folder
    try:
        for path, data in sorted(files.items()):
            current = path
            new = _side(path, _NEW)
            with contextlib.suppress(FileNotFoundError):
                new.unlink()
            fd = os.open(new, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _mode_for(path))
            news.append(new)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
                if hasattr(os, "fchmod"):
                    os.fchmod(handle.fileno(), _mode_for(path))
        for path in sorted(files):
            current = path
            backup = _side(path, _OLD)
            with contextlib.suppress(FileNotFoundError):
                backup.unlink()
            backups.append(backup)
            try:
                os.link(path, backup)
            except OSError:  # a file system without hard links: a copy
                backup.write_bytes(path.read_bytes())
        current = journal
        with open(journal, "w", encoding="utf-8") as handle:
            json.dump({"files": [p.name for p in sorted(files)]}, handle)
            handle.flush()
            os.fsync(handle.fileno())
        _sync_directory(folder)
        for path in sorted(files):
            current = path
            os.replace(_side(path, _NEW), path)
            renamed.append(path)
        _sync_directory(folder)
    except BaseException as exc:
        # Put back what was renamed, from the backups, then clear up.
        for path in renamed:
            with contextlib.suppress(OSError):
                os.replace(_side(path, _OLD), path)
        for leftover in [*news, *backups, journal]:
            with contextlib.suppress(OSError):
                leftover.unlink()
        _sync_directory(folder)
        if isinstance(exc, OSError):
            undone = " (the files renamed before it were put back)" if renamed else ""
            raise _error(current, f"{exc.strerror or exc}{undone}") from None
        raise
    for leftover in [*backups, journal]:
        with contextlib.suppress(OSError):
            leftover.unlink()
    _sync_directory(folder)
