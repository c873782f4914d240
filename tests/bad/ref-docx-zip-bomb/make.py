"""A template with a styles part that inflates a thousand times: not a readable Word file (SP031),
not an internal error."""

from pathlib import Path

from tests.hostile_docx import plain_template, zip_bomb


def make(folder: Path) -> Path:
    house = folder / "house.docx"
    house.write_bytes(zip_bomb(plain_template(house).read_bytes(), "word/styles.xml"))
    return folder
