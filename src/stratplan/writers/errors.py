"""The writers' errors, apart from the writers: catching one imports neither python-docx nor
lxml on the paths that write no Word file."""

from __future__ import annotations


class ReferenceDocxError(ValueError):
    """The reference document cannot be used (not a .docx, or one without a styles part)."""
