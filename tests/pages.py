"""Pages as a reader sees them: a .docx through LibreOffice to PDF (stratplan.writers.pdf), the
text of each page with poppler's pdftotext, and where each footnote's text is printed.
"""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

from stratplan.writers.pdf import docx_to_pdf
from tests.conftest import require_tool

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def needs(tool: str) -> str:
    """The tool's path; the test must be marked `@pytest.mark.tools(...)` (tests/conftest.py)."""
    return require_tool(tool)


@cache
def pdf_of(data: bytes) -> bytes:
    needs("soffice")
    return docx_to_pdf(data)


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, whitespace folded to single spaces."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(
            [needs("pdftotext"), "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout.decode("utf-8")
    return [" ".join(page.split()) for page in out.split("\f")]


@dataclass(frozen=True)
class Reference:
    number: int  # the footnote's number as printed: its place among the references
    before: str  # the word the reference mark follows ("" at the start of a paragraph)
    text: str  # the text of the footnote it refers to


def footnote_references(data: bytes) -> list[Reference]:
    """Every footnote reference of the body in document order, deleted ones included (a
    redline prints them struck through), with the text of the footnote each one refers to."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
        notes: dict[str, str] = {}
        if "word/footnotes.xml" in archive.namelist():
            for note in etree.fromstring(archive.read("word/footnotes.xml")):
                text = "".join(t.text or "" for t in note.iter(W + "t", W + "delText"))
                notes[note.get(W + "id", "")] = " ".join(text.split())
    out: list[Reference] = []
    for paragraph in body.iter(W + "p"):
        before = ""
        for node in paragraph.iter(W + "t", W + "delText", W + "footnoteReference"):
            if node.tag == W + "footnoteReference":
                words = before.split()
                text = notes.get(node.get(W + "id", ""), "")
                out.append(Reference(len(out) + 1, words[-1] if words else "", text))
            else:
                before += node.text or ""
    return out


def misplaced_footnotes(data: bytes) -> list[str]:
    """Each footnote reference whose footnote's own text is not printed on a page where the
    reference mark is (the word before it, then its number), as LibreOffice lays it out."""
    pages = page_texts(pdf_of(data))
    problems = []
    for ref in footnote_references(data):
        mark = re.compile(rf"{re.escape(ref.before)} ?{ref.number}(?!\d)") if ref.before else None
        where = [i for i, page in enumerate(pages) if mark is None or mark.search(page)]
        if not where:
            problems.append(f"footnote {ref.number}: no page shows {ref.before!r} {ref.number}")
            continue
        start = " ".join(ref.text.split()[:8])
        if start and not any(start in pages[i] for i in where):
            shown = ", ".join(str(i + 1) for i in where)
            problems.append(f"footnote {ref.number}: {start!r} is not on page {shown}")
    return problems


def broken_pieces(pages: list[str], texts: list[str], longest: int = 30) -> list[str]:
    """The pieces of `texts` (words and figures: what no line break may fall inside, as
    stratplan.writers.docx.layout.pieces cuts them) that the pages show broken across lines.

    Each text is looked for in the pages' tokens run together: where its pieces, run together,
    occur starting and ending at token boundaries, every token boundary inside must fall
    between two of its pieces; a boundary inside a piece ("infrastructur" "e", "101,14" "%")
    is a piece broken across lines. Pieces longer than `longest` characters are not checked
    (the writer widens a column for one piece up to 40% of the line only), nor is the space of
    a figure ("114 103": a line break there reads the same in the text)."""
    from stratplan.writers.docx.layout import pieces

    tokens = " ".join(pages).split()
    flat = "".join(tokens)
    boundaries: set[int] = set()
    position = 0
    for token in tokens:
        boundaries.add(position)
        position += len(token)
    boundaries.add(position)
    out: set[str] = set()
    for text in texts:
        cut = pieces(text)
        parts = [p.replace(" ", "") for p in cut]
        joined = "".join(parts)
        if not joined:
            continue
        ends: list[int] = []
        allowed = {0}
        position = 0
        for piece in cut:
            for word in piece.split(" "):  # a figure's own spaces may show as token breaks
                position += len(word)
                allowed.add(position)
            ends.append(position)
        found: set[str] | None = None
        start = flat.find(joined)
        while start >= 0:
            if start in boundaries and start + len(joined) in boundaries:
                inside = {b - start for b in boundaries if start < b < start + len(joined)}
                broken = (next(i for i, e in enumerate(ends) if e > b) for b in inside - allowed)
                bad = {cut[i] for i in broken if len(cut[i]) <= longest}
                found = bad if found is None else found & bad
                if not found:
                    break
            start = flat.find(joined, start + 1)
        out |= found or set()
    return sorted(out)
