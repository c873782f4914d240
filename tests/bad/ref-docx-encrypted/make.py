"""A template with an encrypted styles part: not a readable Word file (SP031), not an internal
error."""

from pathlib import Path

from tests.hostile_docx import encrypted, plain_template


def make(folder: Path) -> Path:
    house = folder / "house.docx"
    house.write_bytes(encrypted(plain_template(house).read_bytes(), "word/styles.xml"))
    return folder
