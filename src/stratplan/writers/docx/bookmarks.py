"""Each paragraph's IR key, carried in the .docx so that a reviewed copy maps back to the plan.

A key travels as a hidden bookmark spanning the paragraph (`w:bookmarkStart` right after the
paragraph's properties, `w:bookmarkEnd` last), the one form of the ones tried that Word's
model and LibreOffice both keep through open, tracked edits, save and accept-all, in the body
and in table cells (content controls, paragraph ids, document variables and styles were lost
or leaked). Bookmark names allow 40 characters of `[A-Za-z0-9_]` (LibreOffice percent-encodes
anything else), so a name is `_sp_` + the key as a slug + 6 hex digits of its SHA-1; the full
key of every name is in a custom XML part of the package (which both keep), and a reader that
lost that part can still match names to the keys of the base plan's render.
"""

from __future__ import annotations

import hashlib
import re

from stratplan import keys

PREFIX = "_sp_"  # a leading underscore: a hidden bookmark in Word
MAX_NAME = 40
KEYS_NS = "urn:stratplan:keys:1"
KEYS_ITEM_ID = "{5C0F8E8A-6D55-4B1E-9B43-7A3F0C2E1D90}"
# Bookmark ids: a range of their own, away from footnotes, comments and revisions.
FIRST_BOOKMARK_ID = 100_000_000


def bookmark_name(key: str, taken: set[str] | None = None) -> str:
    """The bookmark name of `key` ('target:broadband-coverage' ->
    '_sp_target_broadband_coverage_3f9a1c'); a key seen again gets a name of its own."""
    attempt, n = key, 1
    while True:
        digest = hashlib.sha1(attempt.encode("utf-8")).hexdigest()[:6]
        room = MAX_NAME - len(PREFIX) - 1 - len(digest)
        slug = re.sub(r"[^A-Za-z0-9]+", "_", key).strip("_")[:room].rstrip("_")
        name = f"{PREFIX}{slug}_{digest}"
        if taken is None or name not in taken:
            return name
        n += 1
        attempt = keys.repeated(key, n)
