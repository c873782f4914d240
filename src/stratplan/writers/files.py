"""Writing output files: atomically, and never over an input.

The data goes to a temporary file in the target directory, is flushed and fsynced, then
`os.replace`d over the target, so a reader sees either the old file or the new one. On any
failure (KeyboardInterrupt included) the temporary file is removed and an existing output is
left untouched.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path

CODE = "SP010"


def _error(path: Path, message: str, hint: str = "") -> StratplanError:
    shown = display_path(path)
    return StratplanError(
        [
            Diagnostic(
                CODE,
                Severity.ERROR,
                f"cannot write {shown}: {message}",
                Location(shown),
                hint=hint,
                io=True,
            )
        ]
    )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def _mode_for(path: Path) -> int:
    """Keep an existing output's permissions; a new file gets 0666 less the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def ensure_folder(folder: Path) -> Path:
    """`folder`, created with its parents if missing: for output folders the user named as
    folders, and the default `build/` (StratplanError SP010 if it cannot be made)."""
    folder = Path(folder)
    if folder.is_dir():
        return folder
    if folder.exists():
        raise _error(folder, "it is a file, not a folder", "choose a folder for the output")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _error(folder, f"cannot create the folder ({exc.strerror or exc})") from None
    return folder


def output_path(output: str | Path | None, name: str, folder: bool = False) -> Path:
    """Where an output goes: `output` itself, or `name` inside it when it is a folder (an
    existing one, a path ending in /, or any path when `folder`); with no `output`,
    build/`name`. A folder named this way, and build/, are created when missing."""
    if output is None:
        return ensure_folder(Path("build")) / name
    path = Path(output)
    if folder or str(output).endswith(("/", os.sep)) or path.is_dir():
        return ensure_folder(path) / name
    return path


def write_atomically(path: Path, data: bytes, inputs: Iterable[Path]) -> None:
    """Write `data` to `path` atomically; refuse to overwrite any of `inputs` or to write
    into a missing directory (StratplanError SP010, an I/O problem)."""
    path = Path(path)
    for source in inputs:
        if _same_file(path, Path(source)):
            raise _error(path, "it is an input file", "choose another output path")
    parent = path.parent
    if not parent.is_dir():
        raise _error(path, f"directory {display_path(parent)} does not exist", "create it first")
    if path.is_dir():
        raise _error(path, "it is a directory")

    temp: str | None = None
    try:
        fd, temp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            if hasattr(os, "fchmod"):  # mkstemp makes 0600; give the file its usual mode
                os.fchmod(handle.fileno(), _mode_for(path))
        os.replace(temp, path)
        temp = None
        _sync_directory(parent)
    except OSError as exc:
        raise _error(path, exc.strerror or str(exc)) from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def _sync_directory(directory: Path) -> None:
    """Make the rename durable where the platform allows it (best effort)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def write_folder(
    dest: Path, source: Path, replaced: Mapping[Path, str], omit: Iterable[Path] = ()
) -> Path:
    """A copy of the folder `source` at `dest`, with the files in `replaced` (paths inside
    `source`) given new texts and the files in `omit` left out. The copy is made in a temporary
    folder beside `dest` and renamed into place, so a failure leaves nothing behind; refused
    (SP010) when `dest` exists or lies inside `source`."""
    dest = Path(dest)
    if dest.exists() or dest.is_symlink():
        raise _error(dest, "it already exists", "choose a new folder")
    if _inside(dest, source):
        raise _error(dest, f"it is inside {display_path(source)}, which it is copied from",
                     "choose a folder outside the plan")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    except OSError as exc:
        raise _error(dest, exc.strerror or str(exc)) from None
    try:
        copy = staging / dest.name
        shutil.copytree(source, copy, symlinks=False)
        for path in omit:
            (copy / Path(path).relative_to(source)).unlink()
        for path, text in replaced.items():
            target = copy / Path(path).relative_to(source)
            with target.open("w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        if dest.exists() or dest.is_symlink():
            raise _error(dest, "it already exists", "choose a new folder")
        os.rename(copy, dest)
    except (OSError, shutil.Error) as exc:
        raise _error(dest, getattr(exc, "strerror", None) or str(exc)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return dest


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def replace_files(files: Mapping[Path, bytes]) -> None:
    """Rewrite several existing files (a plan amended in place): every new text is written to
    a temporary file beside its target first, and only when all are written are they renamed
    over their targets, each keeping its mode; a failure before that changes nothing."""
    temps: list[tuple[str, Path]] = []
    try:
        for path, data in sorted(files.items()):
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            temps.append((temp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
                if hasattr(os, "fchmod"):
                    os.fchmod(handle.fileno(), _mode_for(path))
        for temp, path in temps:
            os.replace(temp, path)
    except OSError as exc:
        failed = temps[-1][1] if temps else next(iter(files))
        raise _error(failed, exc.strerror or str(exc)) from None
    finally:
        for temp, _ in temps:
            with contextlib.suppress(OSError):
                os.unlink(temp)
