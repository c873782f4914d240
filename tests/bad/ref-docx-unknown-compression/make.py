"""A template with a styles part compressed by a method Word does not use: not a readable Word file
(SP031), not an internal error."""

from pathlib import Path

from tests.hostile_docx import plain_template, unknown_method


def make(folder: Path) -> Path:
    house = folder / "house.docx"
    house.write_bytes(unknown_method(plain_template(house).read_bytes(), "word/styles.xml"))
    return folder
