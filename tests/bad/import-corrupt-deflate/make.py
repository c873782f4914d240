"""A reviewed file with a corrupt deflate stream in word/document.xml: not a readable Word file
(SP807), not an internal error."""

from pathlib import Path

from tests.hostile_docx import corrupt_deflate

from stratplan.api import render


def make(folder: Path) -> Path:
    review = folder / "review.docx"
    render([folder], review)
    review.write_bytes(corrupt_deflate(review.read_bytes(), "word/document.xml"))
    return folder
