"""A headerReference to a relationship the package does not have: the document was written
with a dangling reference."""

import re
import zipfile
from pathlib import Path

from tests.hostile_docx import edit_package, plain_template


def make(folder: Path) -> Path:
    house = folder / "house.docx"
    data = plain_template(house).read_bytes()
    document = zipfile.ZipFile(house).read("word/document.xml").decode()
    document = re.sub(r'(<w:headerReference [^>]*r:id=")[^"]+"', r'\1rId999"', document)
    house.write_bytes(edit_package(data, {"word/document.xml": document.encode()}))
    return folder
