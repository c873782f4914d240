"""A template with a bad CRC in its styles part: not a readable Word file (SP031), not an internal
error."""

from pathlib import Path

from tests.hostile_docx import bad_crc, plain_template


def make(folder: Path) -> Path:
    house = folder / "house.docx"
    house.write_bytes(bad_crc(plain_template(house).read_bytes(), "word/styles.xml"))
    return folder
