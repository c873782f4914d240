"""The Council document as a delegate reads it: the PDF LibreOffice makes of each of the four
plans and of the three consecutive redlines, read back page by page (poppler's pdftotext) and
object by object (pikepdf): words whole in table cells, numbers apart from their text, short
rows on one page, header rows on every page of their table, footnotes on their reference's
page, fonts embedded and none substituted, and a tagged PDF with language, title and outline.

Each document is converted once per test session (`council`): LibreOffice dominates the time.
"""

from __future__ import annotations

import io
import itertools
import re
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pikepdf
import pytest

from stratplan import ir
from stratplan.api import redline, render_document
from stratplan.writers.docx import write_docx
from stratplan.writers.docx.layout import printed_number
from stratplan.writers.pdf import font_substitutions
from tests.conftest import PLANS
from tests.pages import (
    broken_pieces,
    footnote_references,
    misplaced_footnotes,
    needs,
    page_texts,
    pdf_of,
)

pytestmark = [pytest.mark.slow, pytest.mark.tools("soffice", "pdftotext", "pdffonts", "pdfinfo")]

CYCLES = ["2012-2015", "2020-2023", "2024-2027", "2028-2031"]
REDLINES = [f"{a}_{b}" for a, b in itertools.pairwise(CYCLES)]
DOCUMENTS = CYCLES + REDLINES


@dataclass
class Council:
    """One document: its IR, .docx, PDF and page texts, each made once."""

    name: str

    @cached_property
    def document(self) -> ir.Document:
        if "_" in self.name:
            old, new = self.name.split("_")
            return redline(PLANS / old, PLANS / new, author="CWG-SFP", date="2026-02-01").document
        return render_document(PLANS / self.name)

    @cached_property
    def docx(self) -> bytes:
        return write_docx(self.document)

    @cached_property
    def pdf(self) -> bytes:
        return pdf_of(self.docx)

    @cached_property
    def pages(self) -> list[str]:
        return page_texts(self.pdf)

    @cached_property
    def layout(self) -> list[str]:
        """Each page's text laid out as on the page (pdftotext -layout), lines kept."""
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "doc.pdf"
            path.write_bytes(self.pdf)
            out = subprocess.run([needs("pdftotext"), "-layout", "-enc", "UTF-8", str(path), "-"],
                                 capture_output=True, check=True, timeout=60).stdout
        return [page.strip("\n") for page in out.decode("utf-8").split("\f")]


class Councils:
    def __init__(self) -> None:
        self._made: dict[str, Council] = {}

    def __getitem__(self, name: str) -> Council:
        return self._made.setdefault(name, Council(name))


@pytest.fixture(scope="session")
def council() -> Councils:
    return Councils()


def printed(paragraph: ir.Paragraph) -> str:
    """A paragraph's text as the page shows it: a redline prints deleted words too."""
    return "".join(r.text for r in paragraph.runs if r.footnote is None)


def after_number(paragraph: ir.Paragraph) -> str:
    """Its text after its number (which a redline writes as the first run of a paragraph it
    inserts or deletes whole, before a tab)."""
    runs = paragraph.runs
    if not paragraph.number and printed_number(paragraph):
        runs = runs[2:]
    return "".join(r.text for r in runs if r.footnote is None)


def tables(document: ir.Document) -> Iterator[ir.Table]:
    return (b for b in document.blocks if isinstance(b, ir.Table))


def cell_paragraphs(row: ir.Row) -> Iterator[ir.Paragraph]:
    return (p for cell in row.cells for p in cell.blocks)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_word_is_broken_in_a_table_cell(council: Councils, name: str) -> None:
    """Every word and figure of every cell on one line: in DejaVu Serif (LibreOffice's stand-in
    for a missing Times New Roman) 2012-2015's Table 4.2 printed "Radiocommunicati / on"."""
    doc = council[name]
    texts = [printed(p) for t in tables(doc.document) for r in t.rows for p in cell_paragraphs(r)]
    assert broken_pieces(doc.pages, texts) == []


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_number_touches_its_text(council: Councils, name: str) -> None:
    """A paragraph's number stands apart from its first word: 2012-2015 printed "2.1.10the
    emergence" and "6.1.10Emergency" where the number was wider than its hanging indent."""
    flat = " ".join(council[name].pages)
    touching = []
    for paragraph in ir.iter_paragraphs(council[name].document.blocks):
        number, text = printed_number(paragraph), after_number(paragraph).split()
        if number and text and paragraph.list_kind is None:
            joined = number + text[0][:12]
            if joined in flat:
                touching.append(joined)
    assert touching == []


@pytest.mark.parametrize("name", DOCUMENTS)
def test_each_footnote_is_printed_on_its_references_page(council: Councils, name: str) -> None:
    """Under each reference mark, on its page, its own footnote's text (a footnote cited
    twice is written once per reference: LibreOffice printed the next one's text under it)."""
    assert footnote_references(council[name].docx)
    assert misplaced_footnotes(council[name].docx) == []


def _row_pages(pdf: bytes) -> list[set[int]]:
    """For each table row of the tagged PDF (/TR), in document order, the pages its content
    is on."""
    document = pikepdf.open(io.BytesIO(pdf))
    numbers = {page.obj.objgen: n for n, page in enumerate(document.pages, start=1)}
    rows: list[set[int]] = []

    def kids(element: pikepdf.Object) -> list[pikepdf.Object]:
        k = element.get("/K")
        return [] if k is None else list(k) if isinstance(k, pikepdf.Array) else [k]

    def content(element: pikepdf.Object, page: pikepdf.Object | None, into: set[int]) -> None:
        if isinstance(element, pikepdf.Dictionary):
            page = element.get("/Pg", page)
            if "/MCID" in element and page is not None:
                into.add(numbers[page.objgen])
            for kid in kids(element):
                content(kid, page, into)
        elif isinstance(element, int) and page is not None:
            into.add(numbers[page.objgen])

    def walk(element: pikepdf.Object, page: pikepdf.Object | None) -> None:
        if isinstance(element, pikepdf.Dictionary):
            page = element.get("/Pg", page)
            if element.get("/S") == "/TR":
                rows.append(set())
                content(element, page, rows[-1])
                return
            for kid in kids(element):
                walk(kid, page)

    walk(document.Root.StructTreeRoot, None)
    return rows


SHORT = 300  # characters in each cell: a row that is short by any measure


@pytest.mark.parametrize("name", DOCUMENTS)
def test_short_rows_stay_on_one_page_and_headers_repeat(council: Councils, name: str) -> None:
    """A row of a few lines is never split across two pages (2012-2015's matrix rows were:
    "Objective / 6"); a table that runs over several pages shows its header row on each."""
    doc = council[name]
    rows = [(t, r) for t in tables(doc.document) for r in t.rows]
    pages = _row_pages(doc.pdf)
    assert len(pages) == len(rows)  # each row of the document is a /TR of the PDF
    split = [
        row.key for (_, row), on in zip(rows, pages, strict=True)
        if len(on) > 1
        and all(sum(len(printed(p)) for p in cell.blocks) <= SHORT for cell in row.cells)
    ]
    assert split == []
    where = iter(pages)
    for table in tables(doc.document):
        spans = set().union(*(next(where) for _ in table.rows))
        leading = next((n for n, r in enumerate(table.rows) if not r.header), len(table.rows))
        headers = [printed(p) for r in table.rows[:leading] for p in cell_paragraphs(r)]
        # A page the table runs onto starts with its header row: its first lines, as poppler
        # lays the page out, hold the start of each header cell.
        for page in sorted(spans)[1:]:
            top = " ".join(doc.layout[page - 1].split("\n")[:6])
            missing = [h for h in headers if h.split() and " ".join(h.split()[:1]) not in top]
            assert missing == [], f"{table.key}: header not repeated on page {page}"


@pytest.mark.parametrize("name", DOCUMENTS)
def test_fonts_are_embedded_and_none_substituted(council: Councils, name: str) -> None:
    """Set in the font the document names (Times New Roman) or one made to its metrics
    (Liberation Serif), never in a stand-in (DejaVu Serif), and every font embedded."""
    doc = council[name]
    pdf = pikepdf.open(io.BytesIO(doc.pdf))
    families = set()
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            descriptors = [font.get("/FontDescriptor")] + [
                d.get("/FontDescriptor") for d in font.get("/DescendantFonts", [])
            ]
            descriptor = next(d for d in descriptors if d is not None)
            assert any(f in descriptor for f in ("/FontFile", "/FontFile2", "/FontFile3")), font
            families.add(re.sub(r"^[A-Z]{6}\+|-.*$", "", str(font.BaseFont)[1:]))
    assert families <= {"LiberationSerif", "TimesNewRomanPSMT", "TimesNewRomanPS"}, families
    assert font_substitutions(doc.docx, doc.pdf) == []


def _outline(pdf: pikepdf.Pdf) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    with pdf.open_outline() as outline:

        def walk(items: list[pikepdf.OutlineItem], depth: int) -> None:
            for item in items:
                out.append((depth, " ".join(item.title.split())))
                walk(item.children, depth + 1)

        walk(outline.root, 1)
    return out


_LEVEL = {"annex": 1, "heading1": 1, "heading2": 2, "heading3": 3}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_pdf_is_tagged_with_language_title_and_outline(council: Councils, name: str) -> None:
    """What a screen reader needs (PDF/UA): a structure tree (headings, tables, lists), the
    document's language and its title shown as the window title; the outline is the
    headings (numbers and titles) in order; every figure has alternative text."""
    doc = council[name]
    pdf = pikepdf.open(io.BytesIO(doc.pdf))
    root = pdf.Root
    assert bool(root.MarkInfo.Marked)
    assert str(root.Lang) == "en-GB"
    assert str(pdf.docinfo.Title) == doc.document.title
    assert bool(root.ViewerPreferences.DisplayDocTitle)
    kinds: dict[str, int] = {}

    def walk(element: pikepdf.Object) -> None:
        if isinstance(element, pikepdf.Dictionary) and "/S" in element:
            kind = str(element.S)
            kinds[kind] = kinds.get(kind, 0) + 1
            if kind == "/Figure":
                assert str(element.get("/Alt", "")).strip(), "a figure without alternative text"
        kids = element.get("/K") if isinstance(element, pikepdf.Dictionary) else None
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids else []):
            walk(kid)

    walk(root.StructTreeRoot)
    assert kinds.get("/H1") and kinds.get("/Table") and kinds.get("/TR")
    headings = [
        (_LEVEL[p.style], " ".join(f"{printed_number(p)} {after_number(p)}".split()))
        for p in doc.document.blocks
        if isinstance(p, ir.Paragraph) and p.style in _LEVEL  # a redline's deleted ones too
    ]
    assert [title for _, title in _outline(pdf)] == [title for _, title in headings]
