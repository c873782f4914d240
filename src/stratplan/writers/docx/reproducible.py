"""Zip normalisation: the same parts always give the same bytes.

python-docx stamps each zip entry with the current time and writes entries in the order it
walks the package. This rewrites the archive with [Content_Types].xml first and the rest
sorted, every entry dated 1980-01-01 00:00:00, deflated at a fixed level, with Unix
permissions 0600 in external_attr (Word for Mac complains about entries with none).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

CONTENT_TYPES = "[Content_Types].xml"
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
EXTERNAL_ATTR = 0o600 << 16
COMPRESS_LEVEL = 6


def entry_order(names: list[str]) -> list[str]:
    first = [n for n in names if n == CONTENT_TYPES]
    return first + sorted(n for n in names if n != CONTENT_TYPES)


def normalise_zip(data: bytes, replacements: Mapping[str, bytes] | None = None) -> bytes:
    """`data` rewritten in the fixed form, with the entries named in `replacements` (a part
    serialized outside python-docx) given their new contents."""
    replacements = replacements or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in entry_order(source.namelist()):
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.create_system = 3  # Unix, so external_attr reads as permissions everywhere
            info.external_attr = EXTERNAL_ATTR
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(
                info,
                replacements[name] if name in replacements else source.read(name),
                compress_type=zipfile.ZIP_DEFLATED,
                compresslevel=COMPRESS_LEVEL,
            )
    return out.getvalue()
