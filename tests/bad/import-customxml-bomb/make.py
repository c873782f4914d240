"""A reviewed file with a key table (customXml) that inflates a thousand times: it was read
unbounded: not a readable Word file (SP807), not an internal error."""

from pathlib import Path

from tests.hostile_docx import zip_bomb

from stratplan.api import render


def make(folder: Path) -> Path:
    review = folder / "review.docx"
    render([folder], review)
    review.write_bytes(zip_bomb(review.read_bytes(), "customXml/item1.xml"))
    return folder
