"""Zip packages from outside (a reviewed Word file, a reference document), read with bounds.

Python's `zipfile` documentation warns ("Decompression pitfalls") that a small archive may
inflate to gigabytes and that a damaged one fails in many ways. A `Package` is a zip opened
with limits: the package's own size, its number of entries, each part's declared and actual
size and compression ratio, and the total inflated by one reader; every part is read in
chunks, so a part that inflates past what it declared stops at the limit, not at the end of
memory. Every way a zip can fail (not a zip, a truncated file, a bad CRC, an encrypted entry,
an unknown compression method, a corrupt deflate stream, a bound reached) is one
`ArchiveError` with a message a user can act on; callers make it their located diagnostic.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ArchiveError", "Limits", "Package", "read_package"]

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds for one package. The defaults hold a 100x synthetic plan's render (a 20 MB
    document.xml, compressed about 10:1) with room to spare."""

    package: int = 256 * MiB  # bytes of the .docx file itself
    entries: int = 10_000  # members of the zip
    part: int = 64 * MiB  # bytes of one part, inflated (declared and actual)
    total: int = 256 * MiB  # bytes inflated from one package, all parts read
    ratio: int = 200  # inflated / compressed, for a part of more than `ratio_floor` bytes
    ratio_floor: int = 1 * MiB


DEFAULT = Limits()
_CHUNK = 1 * MiB


class ArchiveError(ValueError):
    """The package cannot be read (damaged, encrypted, or past a bound): `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def read_package(path: Path, limits: Limits = DEFAULT) -> Package:
    """The file at `path` opened as a package; OSError when it cannot be read at all,
    ArchiveError when it is no readable zip or too large."""
    size = path.stat().st_size
    if size > limits.package:
        raise ArchiveError(f"the file is {size} bytes, over the {limits.package}-byte limit")
    return Package(path.read_bytes(), limits)


class Package:
    """A zip in memory, its parts read with bounds (see the module's docstring)."""

    def __init__(self, data: bytes, limits: Limits = DEFAULT) -> None:
        if len(data) > limits.package:
            raise ArchiveError(
                f"the file is {len(data)} bytes, over the {limits.package}-byte limit"
            )
        self.limits = limits
        self.inflated = 0  # bytes read so far, all parts
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError,
                NotImplementedError, RuntimeError, IndexError, KeyError) as exc:
            raise ArchiveError(f"it is not a zip package ({_reason(exc)})") from None
        if len(infos) > limits.entries:
            raise ArchiveError(
                f"it has {len(infos)} entries, over the limit of {limits.entries}"
            )
        self._infos = {info.filename: info for info in infos}
        # Part names are case-insensitive (ECMA-376 Part 2, 6.2.2.3): two entries whose names
        # differ only in case, or a name given twice, are two documents where a reader takes
        # one, and which one depends on the program.
        self._folded: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            folded = info.filename.casefold()
            if folded in self._folded:
                raise ArchiveError(f"it holds two parts named {info.filename}: a package "
                                   "names each part once")
            self._folded[folded] = info
        declared = sum(info.file_size for info in infos)
        if declared > limits.total:
            raise ArchiveError(
                f"its parts declare {declared} bytes in all, over the {limits.total}-byte limit"
            )

    def names(self) -> list[str]:
        return list(self._infos)

    def __contains__(self, name: str) -> bool:
        return name.casefold() in self._folded

    def read(self, name: str) -> bytes | None:
        """The part `name` inflated, None when the package has none (ArchiveError when it
        cannot be read or passes a bound)."""
        info = self._infos.get(name) or self._folded.get(name.casefold())
        if info is None:
            return None
        self._check(info)
        budget = min(self.limits.part, self.limits.total - self.inflated)
        out = io.BytesIO()
        try:
            with self._zip.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    out.write(chunk)
                    if out.tell() > budget:
                        raise ArchiveError(f"{name} inflates past its bound ({budget} bytes)")
        except ArchiveError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
                NotImplementedError, RuntimeError, IndexError, KeyError) as exc:
            raise ArchiveError(f"{name} cannot be read ({_reason(exc)})") from None
        self.inflated += out.tell()
        return out.getvalue()

    def _check(self, info: zipfile.ZipInfo) -> None:
        name = info.filename
        if info.flag_bits & 0x1:
            raise ArchiveError(f"{name} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ArchiveError(
                f"{name} uses compression method {info.compress_type}, which Word files do "
                "not use (only stored and deflated)"
            )
        if info.file_size > self.limits.part:
            raise ArchiveError(
                f"{name} is {info.file_size} bytes, over the {self.limits.part}-byte limit "
                "of one part"
            )
        if (
            info.file_size > self.limits.ratio_floor
            and info.file_size > self.limits.ratio * max(info.compress_size, 1)
        ):
            raise ArchiveError(
                f"{name} inflates {info.file_size // max(info.compress_size, 1)} times "
                f"(over {self.limits.ratio}): a zip bomb, not a document"
            )


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    if isinstance(exc, zlib.error):
        return f"corrupt compressed data: {text}"
    return text
