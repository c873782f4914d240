"""A numbering part whose numId is not a whole number: it was an internal error (int())."""

import re
import zipfile
from pathlib import Path

from tests.hostile_docx import edit_package, plain_template


def make(folder: Path) -> Path:
    house = folder / "house.docx"
    data = plain_template(house).read_bytes()
    numbering = zipfile.ZipFile(house).read("word/numbering.xml").decode()
    numbering = re.sub(r'w:numId="\d+"', 'w:numId="one"', numbering, count=1)
    house.write_bytes(edit_package(data, {"word/numbering.xml": numbering.encode()}))
    return folder
