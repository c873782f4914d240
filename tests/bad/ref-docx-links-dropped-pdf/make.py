"""The same template for a PDF: LibreOffice converts a document that links nowhere, isolated
(tests/test_writers_pdf.py checks that a local listener sees no request)."""

from pathlib import Path

from tests.hostile_docx import hostile_template


def make(folder: Path) -> Path:
    house = folder / "house.docx"
    hostile_template(house, "http://127.0.0.1:9", "file:///etc/hostname")
    return folder
