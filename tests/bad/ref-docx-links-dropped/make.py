"""A house-style template whose header links out every way Word knows (images by http:// and
file://, INCLUDEPICTURE, INCLUDETEXT, DDEAUTO, LINK, an OLE object, a hyperlink), with macros
and an attached template: each is dropped with an SP032 warning, and the document is written."""

from pathlib import Path

from tests.hostile_docx import hostile_template


def make(folder: Path) -> Path:
    house = folder / "house.docx"
    hostile_template(house, "http://127.0.0.1:9", "file:///etc/hostname")
    return folder
