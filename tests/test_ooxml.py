"""The schema check of tests/ooxml.py can fail: planted faults are found, the one allowed
finding (a row whose w:trPr holds only its revision mark) is allowed and nothing more."""

from __future__ import annotations

import io
import zipfile

import pytest

from stratplan import ir
from stratplan.writers.docx import write_docx
from tests.ooxml import assert_valid, audit


def _document(change: ir.Revision = None) -> ir.Document:
    cell = ir.Cell((ir.Paragraph("c", "table-text", (ir.Run("cell"),)),))
    return ir.Document(
        title="t",
        subject="s",
        date="2025-01-31",
        blocks=(
            ir.Paragraph("p", "body", (ir.Run("one "), ir.Run("two", change="del"))),
            ir.Table("t", (ir.Row("r", (cell,), change=change),)),
        ),
    )


def _replace(data: bytes, old: bytes, new: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            blob = source.read(name)
            if name == "word/document.xml":
                assert old in blob
                blob = blob.replace(old, new, 1)
            target.writestr(name, blob)
    return out.getvalue()


def test_a_written_file_passes_and_a_revision_only_row_is_allowed() -> None:
    data = write_docx(_document(change="ins"))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    assert b"<w:trPr><w:cantSplit/><w:ins " in xml  # a short row: kept on one page
    assert audit(data) == []
    # A longer row's w:trPr holds only its revision mark: the strict schema refuses it; Word
    # writes it.
    only = _replace(data, b"<w:trPr><w:cantSplit/><w:ins ", b"<w:trPr><w:ins ")
    assert audit(only) == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (b'<w:pStyle w:val="TableText"/>', b'<w:jc w:val="middle"/>', "not in allowed values"),
        (b"<w:delText xml:space=\"preserve\">two</w:delText>", b"<w:t>two</w:t>", "w:t inside"),
        (b"<w:trPr><w:cantSplit/><w:ins ", b"<w:trPr><w:foo/><w:ins ", "Unexpected element"),
    ],
)
def test_planted_faults_are_found(old: bytes, new: bytes, message: str) -> None:
    planted = _replace(write_docx(_document(change="ins")), old, new)
    with pytest.raises(AssertionError, match=message):
        assert_valid(planted)
