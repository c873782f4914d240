"""A reviewed file with a file cut in half: not a readable Word file (SP807), not an internal
error."""

from pathlib import Path

from tests.hostile_docx import truncated

from stratplan.api import render


def make(folder: Path) -> Path:
    review = folder / "review.docx"
    render([folder], review)
    review.write_bytes(truncated(review.read_bytes(), "word/document.xml"))
    return folder
