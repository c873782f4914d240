"""The rendered Council documents, read back with real readers: python-docx, pandoc, LibreOffice."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from stratplan.api import load_valid_plan, render
from tests.conftest import PLANS, require_tool
from tests.ooxml import assert_valid

CYCLES = ["2012-2015", "2020-2023", "2024-2027", "2028-2031"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def needs(tool: str) -> str:
    """The tool's path; the test must be marked `@pytest.mark.tools(...)` (tests/conftest.py)."""
    return require_tool(tool)


def style(p: DocxParagraph) -> str:
    return (p.style.name or "") if p.style is not None else ""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("render")
    return {c: render([PLANS / c], out / f"{c}.docx").written[0] for c in CYCLES}


def body_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts += [p.text for p in cell.paragraphs]
    return "\n".join(parts)


def ordered_text(path: Path) -> str:
    """Every paragraph's text in document order, tables included."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    out = []
    for p in root.iter(f"{W}p"):
        out.append("".join(t.text or "" for t in p.iter(f"{W}t")))
    return "\n".join(out)


def strip_refs(text: str) -> str:
    return re.sub(r"\[\^[A-Za-z0-9_-]+\]", "", text)


def in_order(haystack: str, needles: list[str]) -> None:
    position = 0
    for needle in needles:
        found = haystack.find(needle, position)
        assert found >= 0, f"{needle!r} missing or out of order"
        position = found + len(needle)


@pytest.mark.parametrize("cycle", CYCLES)
@pytest.mark.slow
def test_every_item_is_in_the_docx_in_order(rendered: dict[str, Path], cycle: str) -> None:
    _, plan = load_valid_plan(PLANS / cycle)
    text = ordered_text(rendered[cycle])
    in_order(text, [strip_refs(g.title) for g in plan.goals])
    in_order(text, [strip_refs(t.text) for t in plan.targets])
    for target in plan.targets:
        in_order(text, [strip_refs(i.text) for i in target.indicators])
    for outcome in plan.outcomes:
        assert strip_refs(outcome.text) in text
        in_order(text, [strip_refs(i.text) for i in outcome.indicators])
    for objective in plan.objectives:
        in_order(text, [strip_refs(x.text) for x in objective.outcomes])


@pytest.mark.parametrize("cycle", ["2024-2027", "2028-2031"])
@pytest.mark.slow
def test_numbered_paragraphs_and_headings(rendered: dict[str, Path], cycle: str) -> None:
    document = docx.Document(str(rendered[cycle]))
    numbered = [p.text for p in document.paragraphs if style(p) == "Numbered Paragraph"]
    numbers = [t.split("\t", 1)[0] for t in numbered]
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)]
    headings = [p.text for p in document.paragraphs if style(p).lower() == "heading 2"]
    assert "2.4\tStrategic goals" in headings


@pytest.mark.slow
def test_styles_footer_and_properties(rendered: dict[str, Path]) -> None:
    document = docx.Document(str(rendered["2028-2031"]))
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.core_properties.title == "ITU strategic plan for 2028-2031"
    assert document.core_properties.subject == "ANNEX 1 TO RESOLUTION 71 (REV. DOHA, 2026)"
    with zipfile.ZipFile(rendered["2028-2031"]) as z:
        footer = z.read("word/footer1.xml").decode()
    assert "PAGE" in footer and "NUMPAGES" in footer and " of " in footer
    table = document.tables[-1]  # Appendix A
    header = table.rows[0]._tr
    assert header.find(f"{W}trPr/{W}tblHeader") is not None
    assert "651 671" in body_text(rendered["2028-2031"])
    assert "100,00%" in body_text(rendered["2028-2031"])


@pytest.mark.slow
def test_footnotes_and_comments_parts_hold_the_plan(rendered: dict[str, Path]) -> None:
    _, plan = load_valid_plan(PLANS / "2028-2031")
    with zipfile.ZipFile(rendered["2028-2031"]) as z:
        footnotes = z.read("word/footnotes.xml").decode()
        comments = etree.fromstring(z.read("word/comments.xml"))
    for text in plan.footnotes.values():
        assert text in footnotes
    authors = [c.get(f"{W}author") for c in comments.iter(f"{W}comment")]
    assert len(authors) == 8 and set(authors) == {"ITU"}
    texts = ["".join(t.text or "" for t in c.iter(f"{W}t")) for c in comments.iter(f"{W}comment")]
    assert any(t.startswith("Refer to INF Doc.1") for t in texts)


def test_rendering_twice_is_byte_identical(tmp_path: Path) -> None:
    a = render([PLANS / "2028-2031"], tmp_path / "a.docx").written[0].read_bytes()
    b = render([PLANS / "2028-2031"], tmp_path / "b.docx").written[0].read_bytes()
    assert a == b
    with zipfile.ZipFile(tmp_path / "a.docx") as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert z.namelist()[0] == "[Content_Types].xml"


@pytest.mark.tools("pandoc")
@pytest.mark.parametrize("cycle", CYCLES)
def test_pandoc_reads_every_plan(rendered: dict[str, Path], cycle: str) -> None:
    pandoc = needs("pandoc")
    proc = subprocess.run(
        [pandoc, "-t", "plain", "--wrap=none", str(rendered[cycle])],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    _, plan = load_valid_plan(PLANS / cycle)
    for target in plan.targets:
        assert strip_refs(target.text) in proc.stdout
    for text in plan.footnotes.values():
        if text:
            assert text in proc.stdout


@pytest.mark.tools("soffice", "pdftotext")
def test_libreoffice_converts_every_plan(rendered: dict[str, Path], tmp_path: Path) -> None:
    soffice = needs("soffice")
    pdftotext = needs("pdftotext")
    proc = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, rendered.values())],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    for cycle in CYCLES:
        pdf = tmp_path / f"{cycle}.pdf"
        assert pdf.exists(), proc.stdout + proc.stderr
        text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True).stdout
        _, plan = load_valid_plan(PLANS / cycle)
        flat = " ".join(text.split())
        # (2020-2023's title is in its annex line, which the Annex Title style sets in capitals)
        assert plan.plan.title.lower() in flat.lower()
        for section in plan.sections:
            if section.title:
                assert " ".join(strip_refs(section.title.text).split()) in flat
        pages = re.findall(r"^(\d+) of (\d+)$", text, flags=re.M)
        assert pages and pages[-1][0] == pages[-1][1]  # page numbers "N of M"
        # Every footnote shows its own text on the page (2028-2031 also has comments).
        for note in plan.footnotes.values():
            if note:
                assert " ".join(strip_refs(note).split()) in flat, note


@pytest.mark.tools("soffice", "pdftotext")
@pytest.mark.parametrize("cycle", CYCLES)
def test_every_plan_passes_the_schema_check(rendered: dict[str, Path], cycle: str) -> None:
    assert_valid(rendered[cycle])


# Pages as a delegate reads them (words whole in cells, numbers apart from their text, footnotes
# on their reference's page, fonts, tags): tests/test_council_pages.py, for every plan and redline.
