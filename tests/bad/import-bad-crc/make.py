"""A reviewed file with a bad CRC in word/document.xml: not a readable Word file (SP807), not an
internal error."""

from pathlib import Path

from tests.hostile_docx import bad_crc

from stratplan.api import render


def make(folder: Path) -> Path:
    review = folder / "review.docx"
    render([folder], review)
    review.write_bytes(bad_crc(review.read_bytes(), "word/document.xml"))
    return folder
