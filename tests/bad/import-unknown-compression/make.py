"""A reviewed file with word/document.xml compressed by an unknown method: not a readable Word file
(SP807), not an internal error."""

from pathlib import Path

from tests.hostile_docx import unknown_method

from stratplan.api import render


def make(folder: Path) -> Path:
    review = folder / "review.docx"
    render([folder], review)
    review.write_bytes(unknown_method(review.read_bytes(), "word/document.xml"))
    return folder
