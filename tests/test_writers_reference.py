"""A reference document as untrusted input (stratplan.writers.docx.reference): only its house
style reaches the document; what links, loads or runs is dropped and named; what would make a
document that does not open is refused before anything is written."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest

from stratplan.api import render
from stratplan.diagnostics import StratplanError
from stratplan.writers.docx import ReferenceDocxError, clean_reference, write_docx
from tests.conftest import EXAMPLE, house_docx
from tests.hostile_docx import hostile_template
from tests.test_writers_docx import sample_document

URL = "http://127.0.0.1:9"


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(data: bytes, changes: dict[str, bytes | None]) -> bytes:
    """The package with some parts replaced (None: removed)."""
    files = {**entries(data), **changes}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            if content is not None:
                archive.writestr(name, content)
    return out.getvalue()


def test_a_hostile_template_gives_a_document_with_its_house_style_and_no_link(
    tmp_path: Path,
) -> None:
    secret = tmp_path / "secret.png"
    template = hostile_template(tmp_path / "hostile.docx", URL, secret.as_uri()).read_bytes()
    clean = clean_reference(template)
    said = "\n".join(clean.dropped)
    for expected in (
        f"word/header1.xml: an image linked to '{URL}/header.png' dropped",
        f"word/header1.xml: an image linked to '{secret.as_uri()}' dropped",
        f"word/header1.xml: an OLE object linked to '{URL}/object.docx' dropped",
        f"word/header1.xml: a hyperlink to '{URL}/hyperlink' dropped, its text kept",
        "word/header1.xml: field INCLUDEPICTURE dropped, its shown text kept",
        "word/header1.xml: field INCLUDETEXT dropped, its shown text kept",
        "word/header1.xml: field DDEAUTO dropped, its shown text kept",
        "word/header1.xml: field LINK dropped, its shown text kept",
        "word/header1.xml: an OLE object dropped",
        f"word/header1.xml: an image linked to '{URL}/vml.png' dropped",
        f"word/settings.xml: an attached template linked to '{URL}/template.dotm' dropped",
        "word/vbaProject.bin: macros dropped",
    ):
        assert expected in clean.dropped, said
    data = write_docx(sample_document(), template)  # schema-checked (tests/ooxml.py)
    files = entries(data)
    everything = b"".join(files.values())
    for bad in (b"127.0.0.1", b"secret.png", b"External", b"INCLUDETEXT", b"INCLUDEPICTURE",
                b"DDEAUTO", b" LINK ",
                b"OLEObject", b"vbaProject", b"attachedTemplate", b"must not appear"):
        assert bad not in everything, bad
    header = files["word/header1.xml"].decode()
    for kept in ("SECRETARIAT HEADER", "PICTURE RESULT", "INCLUDED RESULT", "LINK TEXT"):
        assert kept in header
    assert 'r:embed="rIdOwnImage"' in header  # its own image stays, embedded
    assert [n for n in files if n.startswith("word/media/")] == ["word/media/house1.png"]
    assert 'w:instr=" PAGE "' in files["word/footer1.xml"].decode()  # a fair field stays
    assert write_docx(sample_document(), template) == data  # reproducible
    assert clean_reference(clean.data).dropped == []  # what is left is clean


def test_render_warns_sp032_for_each_thing_dropped(tmp_path: Path) -> None:
    template = hostile_template(tmp_path / "hostile.docx", URL, "file:///etc/hostname")
    output = render([EXAMPLE], tmp_path / "out.docx", reference_docx=template)
    assert output.written == [tmp_path / "out.docx"]
    codes = {d.code for d in output.diagnostics}
    assert codes == {"SP032"}
    assert all(d.location is not None and d.location.file.endswith("hostile.docx")
               for d in output.diagnostics)
    assert any("macros dropped" in d.message for d in output.diagnostics)
    # a plain template is no warning
    plain = render([EXAMPLE], tmp_path / "plain.docx",
                   reference_docx=house_docx(tmp_path / "house.docx"))
    assert plain.diagnostics == []


def _house(tmp_path: Path) -> bytes:
    return house_docx(tmp_path / "house.docx").read_bytes()


def _header_name(data: bytes) -> str:
    return next(n for n in entries(data) if re.fullmatch(r"word/header\d*\.xml", n))


@pytest.mark.parametrize("case", ["numbering-id", "abstract-ref", "doctype", "missing-rel",
                                  "not-xml", "wrong-root", "no-styles", "no-main"])
def test_a_template_the_writer_cannot_use_is_refused_before_writing(
    case: str, tmp_path: Path
) -> None:
    """Each of these rendered with exit 0 and a .docx LibreOffice could not load, or was an
    internal error."""
    data = _house(tmp_path)
    files = entries(data)
    header = _header_name(data)
    changes: dict[str, bytes | None]
    if case == "numbering-id":
        numbering = files["word/numbering.xml"].decode()
        changes = {"word/numbering.xml": re.sub(r'w:numId="\d+"', 'w:numId="x"', numbering, count=1)
                   .encode()}
        message = "numId='x', not a whole number"
    elif case == "abstract-ref":
        numbering = files["word/numbering.xml"].decode()
        changes = {"word/numbering.xml": re.sub(
            r'<w:abstractNumId w:val="\d+"', '<w:abstractNumId w:val="1.5"', numbering, count=1
        ).encode()}
        message = "w:val='1.5', not a whole number"
    elif case == "doctype":
        text = files[header].decode()
        text = text.replace("?>", '?>\n<!DOCTYPE w:hdr [<!ENTITY h "HEADER">]>', 1)
        changes = {header: text.replace("SECRETARIAT HEADER", "&h;").encode()}
        message = "declares a DOCTYPE"
    elif case == "missing-rel":
        document = files["word/document.xml"].decode()
        changes = {"word/document.xml": re.sub(
            r'(<w:headerReference [^>]*r:id=")[^"]+"', r'\1rId999"', document
        ).encode()}
        message = "names relationship 'rId999', which the package does not have"
    elif case == "not-xml":
        changes = {"word/styles.xml": b"<w:styles"}
        message = "word/styles.xml is not well-formed XML"
    elif case == "wrong-root":
        changes = {"word/styles.xml": files["word/document.xml"]}
        message = "word/styles.xml should be the styles part, but its root element is 'document'"
    elif case == "no-styles":
        rels = files["word/_rels/document.xml.rels"].decode()
        changes = {"word/_rels/document.xml.rels": re.sub(
            r'<Relationship [^>]*/styles"[^>]*/>', "", rels).encode()}
        message = "it has no styles part"
    else:
        changes = {"_rels/.rels": b'<Relationships xmlns="http://schemas.openxmlformats.org/'
                   b'package/2006/relationships"/>'}
        message = "names no main document part"
    bad = rezip(data, changes)
    with pytest.raises(ReferenceDocxError, match=re.escape(message)):
        write_docx(sample_document(), bad)
    path = tmp_path / "bad.docx"
    path.write_bytes(bad)
    target = tmp_path / "out.docx"
    with pytest.raises(StratplanError) as raised:
        render([EXAMPLE], target, reference_docx=path)
    [problem] = raised.value.diagnostics
    assert problem.code == "SP031" and problem.location is not None
    assert problem.location.file.endswith("bad.docx") and message in problem.message
    assert not target.exists()


def test_a_macro_enabled_or_template_package_gives_a_plain_document(tmp_path: Path) -> None:
    """A .docm's main part is macro-enabled: the document built on it is a plain .docx (Word
    refuses a macro-enabled main part under a .docx name)."""
    data = _house(tmp_path)
    types = entries(data)["[Content_Types].xml"].decode().replace(
        "wordprocessingml.document.main+xml", "wordprocessingml.template.main+xml"
    )
    written = write_docx(sample_document(), rezip(data, {"[Content_Types].xml": types.encode()}))
    assert docx.Document(io.BytesIO(written)).paragraphs  # python-docx accepts only .docx mains


def test_a_template_without_numbering_gets_one(tmp_path: Path) -> None:
    """python-docx cannot make a numbering part (NotImplementedError, an internal error):
    found by the fuzz run (tests/test_fuzz_docx.py)."""
    data = _house(tmp_path)
    rels = entries(data)["word/_rels/document.xml.rels"].decode()
    bare = rezip(data, {"word/numbering.xml": None, "word/_rels/document.xml.rels": re.sub(
        r'<Relationship [^>]*/numbering"[^>]*/>', "", rels).encode()})
    written = entries(write_docx(sample_document(), bare))
    assert b"<w:abstractNum " in written["word/numbering.xml"]
