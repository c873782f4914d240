"""Writing output files: atomically, and never over an input.

The data goes to a temporary file in the target directory, is flushed and fsynced, then
`os.replace`d over the target, so a reader sees either the old file or the new one. On any
failure (KeyboardInterrupt included) the temporary file is removed and an existing output is
left untouched.

What an output path may name: a new name in an existing folder, or a regular file (which is
replaced; through a symlink, the file it points to is replaced and the link kept). A character
device or a pipe (`/dev/stdout`, `/dev/null`, a shell's `>(...)`) is written through, as a
stream: it cannot be replaced, and writing to it is what the user asked for. Anything else (a
folder where a file is meant, a block device, a socket) is refused, and so is a YAML name in a
folder whose YAML files the command read, which would make the output part of that plan.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path
from stratplan.source.reader import YAML_SUFFIXES

CODE = "SP010"
# Room left in a file name for the temporary file's prefix and suffix: a name of 255 bytes (the
# usual limit) is a valid output, so the temporary name may not be built by adding to it.
_TEMP_STEM = 64
BOM = b"\xef\xbb\xbf"


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
        try:
            return a.resolve() == b.resolve()
        except (OSError, RuntimeError):
            return False


def _is_dir(path: Path) -> bool:
    """`path.is_dir()`, False where the path cannot even be looked at (a name too long)."""
    try:
        return path.is_dir()
    except OSError:
        return False


def _temp_prefix(name: str) -> str:
    return f".{name[:_TEMP_STEM]}."


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
    if _is_dir(folder):
        return folder
    try:
        if folder.exists():
            raise _error(folder, "it is a file, not a folder", "choose a folder for the output")
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
    if folder or str(output).endswith(("/", os.sep)) or _is_dir(path):
        return ensure_folder(path) / name
    return path


def _check_not_input(path: Path, inputs: Iterable[Path]) -> None:
    """Refuse an output that is one of the files read, or a YAML file in a folder whose YAML
    files were read (it would join that plan, or make a folder of contributions a plan)."""
    read = [Path(p) for p in inputs]
    for source in read:
        if _same_file(path, source):
            raise _error(path, "it is an input file", "choose another output path")
    if path.suffix in YAML_SUFFIXES and not path.name.startswith("."):
        folders = {_resolved(p.parent) for p in read if p.suffix in YAML_SUFFIXES}
        if _resolved(path.parent) in folders:
            raise _error(
                path,
                f"a YAML file in {display_path(path.parent)} would become part of the plan "
                "read from there",
                "write it outside the folders the command reads",
            )


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _target(path: Path) -> tuple[Path, bool]:
    """Where to write for `path`, and whether it is a stream (a character device or a pipe,
    written through); StratplanError for anything else that exists and is not a regular file."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        # A new name, or a symlink to one: the file is made where the link points.
        return (_resolved(path) if path.is_symlink() else path), False
    except OSError as exc:
        raise _error(path, exc.strerror or str(exc)) from None
    if stat.S_ISREG(mode):
        return (_resolved(path) if path.is_symlink() else path), False
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return path, True
    if stat.S_ISDIR(mode):
        raise _error(path, "it is a directory")
    kind = "a block device" if stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else (
        "not a regular file"
    )
    raise _error(path, f"it is {kind}", "write to a regular file, or a stream such as /dev/stdout")


def is_stream(path: Path) -> bool:
    """Whether `path` is a character device or a pipe (an output written through)."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def _write_stream(path: Path, data: bytes) -> None:
    """Write through to a character device or a pipe: no temporary file, no rename. A pipe
    with no reader is an error, not a wait that never ends."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise _error(path, "no process reads from this pipe") from None
        raise _error(path, exc.strerror or str(exc)) from None
    try:
        os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    except OSError as exc:
        raise _error(path, exc.strerror or str(exc)) from None
    finally:
        os.close(fd)


def write_atomically(path: Path, data: bytes, inputs: Iterable[Path]) -> None:
    """Write `data` to `path` atomically; refuse to overwrite any of `inputs` or to write
    into a missing directory (StratplanError SP010, an I/O problem). A character device or a
    pipe is written through (see the module's docstring)."""
    path = Path(path)
    _check_not_input(path, inputs)
    target, stream = _target(path)
    if stream:
        _write_stream(target, data)
        return
    parent = target.parent
    if not _is_dir(parent):
        raise _error(path, f"directory {display_path(parent)} does not exist", "create it first")

    temp: str | None = None
    try:
        fd, temp = tempfile.mkstemp(dir=parent, prefix=_temp_prefix(target.name), suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            if hasattr(os, "fchmod"):  # mkstemp makes 0600; give the file its usual mode
                os.fchmod(handle.fileno(), _mode_for(target))
        os.replace(temp, target)
        temp = None
        _sync_directory(parent)
    except OSError as exc:
        raise _error(path, exc.strerror or str(exc)) from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def write_set(files: Mapping[Path, bytes], inputs: Iterable[Path]) -> None:
    """Write several files together or not at all: each is checked as `write_atomically`
    checks it and written to a temporary file beside it, then all are renamed into place;
    on any failure the files renamed so far are put back as they were (removed, or their old
    content restored) and the temporary files removed (StratplanError SP010). One file may be
    a stream, written through, when it is the only one."""
    items = [(Path(path), data) for path, data in files.items()]
    inputs = list(inputs)
    if len(items) == 1:
        write_atomically(items[0][0], items[0][1], inputs)
        return
    targets: list[Path] = []
    for path, _ in items:
        _check_not_input(path, inputs)
        target, stream = _target(path)
        if stream:
            raise _error(path, "it is a stream, and several files are written together",
                         "give a folder")
        if not _is_dir(target.parent):
            raise _error(path, f"directory {display_path(target.parent)} does not exist",
                         "create it first")
        if any(_same_file(target, other) or target == other for other in targets):
            raise _error(path, "two of the files written together are this one")
        targets.append(target)
    staged: list[tuple[Path, str]] = []  # (target, its temporary file), all written first
    placed: list[tuple[Path, str | None]] = []  # (target, its old content's copy) renamed in
    try:
        for target, (path, data) in zip(targets, items, strict=True):
            staged.append((target, _staged(target, path, data)))
        for target, temp in staged:
            placed.append((target, _kept(target)))
            os.replace(temp, target)
    except (OSError, StratplanError) as exc:
        _undo(placed)
        for _, temp in staged:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        if isinstance(exc, StratplanError):
            raise
        failed = placed[-1][0] if placed else targets[len(staged)]
        raise _error(failed, exc.strerror or str(exc),
                     "nothing was written: every file of the set is as it was") from None
    except BaseException:
        _undo(placed)
        for _, temp in staged:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        raise
    for _, old in placed:
        if old is not None:
            with contextlib.suppress(OSError):
                os.unlink(old)
    for parent in {t.parent for t in targets}:
        _sync_directory(parent)


def _staged(target: Path, path: Path, data: bytes) -> str:
    """`data` in a temporary file beside `target`, flushed, with the target's mode."""
    try:
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=_temp_prefix(target.name),
                                    suffix=".tmp")
    except OSError as exc:
        raise _error(path, exc.strerror or str(exc)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), _mode_for(target))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return temp


def _kept(target: Path) -> str | None:
    """A copy of `target`'s present content beside it (a hard link where the file system
    allows), to put back if the set fails; None when there is no file yet."""
    if not target.exists():
        return None
    fd, kept = tempfile.mkstemp(dir=target.parent, prefix=_temp_prefix(target.name),
                                suffix=".old")
    os.close(fd)
    os.unlink(kept)
    try:
        os.link(target, kept)
    except OSError:
        shutil.copy2(target, kept)
    return kept


def _undo(placed: list[tuple[Path, str | None]]) -> None:
    """Put back the files renamed in so far: the old content where there was one, else none."""
    for target, old in reversed(placed):
        with contextlib.suppress(OSError):
            if old is None:
                os.unlink(target)
            else:
                os.replace(old, target)
                # A hard link renamed over the file it links to (the target never replaced)
                # is left where it was: POSIX renames nothing then.
                if os.path.lexists(old):
                    os.unlink(old)


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


def like_original(text: str, original: bytes) -> bytes:
    """`text` (as ruamel writes it: "\n" line ends, no byte-order mark) encoded the way the
    file it replaces was: its line ends ("\r\n" when its first line ends so) and its UTF-8
    byte-order mark, so a rewritten file differs from the old one only where it changed."""
    text = text.replace("\r\n", "\n")  # ruamel keeps a comment's "\r", not a value's
    first = original.find(b"\n")
    if first > 0 and original[first - 1 : first] == b"\r":
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    return BOM + data if original.startswith(BOM) and not data.startswith(BOM) else data


def write_folder(
    dest: Path, source: Path, replaced: Mapping[Path, str], omit: Iterable[Path] = ()
) -> Path:
    """A copy of the folder `source` at `dest`, with the files in `replaced` (paths inside
    `source`) given new texts, each in its old file's line ends and byte-order mark, and the
    files in `omit` left out. The copy is made in a temporary folder beside `dest` and renamed
    into place, so a failure leaves nothing behind; refused (SP010) when `dest` exists or lies
    inside `source`."""
    dest = Path(dest)
    try:
        if dest.exists() or dest.is_symlink():
            raise _error(dest, "it already exists", "choose a new folder")
    except OSError as exc:
        raise _error(dest, exc.strerror or str(exc)) from None
    if _inside(dest, source):
        raise _error(dest, f"it is inside {display_path(source)}, which it is copied from",
                     "choose a folder outside the plan")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=_temp_prefix(dest.name), dir=dest.parent))
    except OSError as exc:
        raise _error(dest, exc.strerror or str(exc)) from None
    try:
        copy = staging / dest.name
        shutil.copytree(source, copy, symlinks=False)
        for path in omit:
            (copy / Path(path).relative_to(source)).unlink()
        for path, text in replaced.items():
            target = copy / Path(path).relative_to(source)
            target.write_bytes(like_original(text, Path(path).read_bytes()))
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
        _resolved(path).relative_to(_resolved(folder))
    except ValueError:
        return False
    return True
