"""A header with a DOCTYPE and an entity reference: it was copied as is, and LibreOffice could
not load the document that rendered with exit 0."""

import zipfile
from pathlib import Path

from tests.hostile_docx import edit_package, plain_template


def make(folder: Path) -> Path:
    house = folder / "house.docx"
    data = plain_template(house).read_bytes()
    with zipfile.ZipFile(house) as archive:
        name = next(n for n in archive.namelist() if n.startswith("word/header"))
        header = archive.read(name).decode()
    header = header.replace("?>", '?>\n<!DOCTYPE w:hdr [<!ENTITY h "HEADER">]>', 1)
    header = header.replace("SECRETARIAT HEADER", "SECRETARIAT &h;")
    house.write_bytes(edit_package(data, {name: header.encode()}))
    return folder
