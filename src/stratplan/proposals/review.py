"""Reading a reviewed Word file: its paragraphs with their tracked changes, keys and comments.

A reviewer receives a render (or a redline), switches on Track Changes, edits and comments,
and sends the file back, from Word or LibreOffice. This reads what came back, as plain data:
for each paragraph of the body (table cells included), its text as the reviewer left it
(accepted) and as it was before (rejected), who changed it and when, the key its hidden
bookmark carries, where it is (table, row, cell), and the comments anchored in it. Moves
(`w:moveFrom` / `w:moveTo`) count as a deletion and an insertion, paired by name.

It knows nothing of plans: `stratplan.proposals.importer` maps it back to one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path
from stratplan.source.archive import ArchiveError, Package, read_package
from stratplan.writers.docx.bookmarks import KEYS_NS

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def q(name: str) -> str:
    return f"{{{W}}}{name}"


_INS = {q("ins"), q("moveTo")}
_DEL = {q("del"), q("moveFrom")}


@dataclass(frozen=True)
class Revision:
    kind: str  # "ins" or "del" (a move is a deletion and an insertion)
    author: str
    date: str  # YYYY-MM-DD, "" when the file gives none
    move: str = ""  # the move's name, for a moveFrom / moveTo


@dataclass
class Span:
    """A piece of a paragraph: text (or a footnote reference), and its revision if any."""

    text: str
    revision: Revision | None = None
    footnote: str | None = None  # the footnote's text (maybe empty), for a footnote reference


@dataclass
class ReviewComment:
    id: str
    author: str
    date: str
    text: str


@dataclass
class Paragraph:
    index: int  # in the document, body and table cells in order
    spans: list[Span] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # our bookmark names in it
    mark: Revision | None = None  # its paragraph mark inserted or deleted
    row_revision: Revision | None = None  # its table row inserted or deleted
    table: int | None = None  # which table of the body, which row and cell
    row: int | None = None
    cell: int | None = None
    comments: list[str] = field(default_factory=list)  # ids of comments anchored here
    style: str = ""  # its paragraph style id (w:pStyle), "" for Normal

    def text(self, view: str) -> str:
        """The text as it is (`accept`) or as it was before the revisions (`reject`);
        footnote references as [^N] markers of their footnote text, resolved by the
        importer."""
        out = []
        for span in self.spans:
            kind = span.revision.kind if span.revision else None
            if (view == "accept" and kind == "del") or (view == "reject" and kind == "ins"):
                continue
            out.append(f"\x00{span.footnote}\x00" if span.footnote is not None else span.text)
        return "".join(out)

    @property
    def revisions(self) -> list[Revision]:
        found = [s.revision for s in self.spans if s.revision]
        for revision in (self.mark, self.row_revision):
            if revision is not None:
                found.append(revision)
        return found


@dataclass
class Review:
    path: Path
    paragraphs: list[Paragraph]
    comments: dict[str, ReviewComment]
    keys: dict[str, str]  # bookmark name -> key, from the file's key table
    plan: str  # the plan the file says it renders ("" when it says nothing)
    tracked: bool  # whether it has any revision at all

    @property
    def authors(self) -> list[str]:
        seen: dict[str, None] = {}
        for paragraph in self.paragraphs:
            for revision in paragraph.revisions:
                seen.setdefault(revision.author, None)
        return list(seen)


def _problem(path: Path, message: str, hint: str = "") -> StratplanError:
    return StratplanError(
        [Diagnostic("SP807", Severity.ERROR, message, Location(display_path(path)), hint)]
    )


def _day(value: str | None) -> str:
    """A revision's date as YYYY-MM-DD. LibreOffice writes local time with a Z, and an
    unset comment date as 0-00-00: only a real calendar date is kept."""
    if not value or not _DATE.match(value):
        return ""
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return ""


def _revision(element: etree._Element, kind: str, move: str = "") -> Revision:
    return Revision(kind, element.get(q("author")) or "", _day(element.get(q("date"))), move)


def _parse(data: bytes, path: Path, part: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise _problem(path, f"{part} is not well-formed XML: {exc}") from None


def read_review(path: Path) -> Review:
    """The reviewed file at `path` (StratplanError SP807 when it is not a readable Word file:
    every part is read with the bounds of `stratplan.source.archive`)."""
    try:
        archive = read_package(path)
    except OSError as exc:
        raise StratplanError([Diagnostic("SP010", Severity.ERROR,
                                         f"cannot read file: {exc.strerror or exc}",
                                         Location(display_path(path)), io=True)]) from None
    except ArchiveError as exc:
        raise _unreadable(path, exc) from None
    try:
        return _read(archive, path)
    except ArchiveError as exc:
        raise _unreadable(path, exc) from None


def _unreadable(path: Path, exc: ArchiveError) -> StratplanError:
    return _problem(path, f"not a readable Word file (.docx): {exc.message}",
                    "open it in Word or LibreOffice and save it again as .docx")


def _read(archive: Package, path: Path) -> Review:
    part = archive.read
    document = part("word/document.xml")
    if document is None:
        raise _problem(path, "not a Word document: it has no word/document.xml")
    root = _parse(document, path, "word/document.xml")
    body = root.find(q("body"))
    if body is None:
        raise _problem(path, "word/document.xml has no body")
    footnotes = _footnotes(part("word/footnotes.xml"), path)
    comments = _comments(part("word/comments.xml"), path)
    keys, plan = _key_table(archive, path)
    reader = _Reader(footnotes)
    reader.blocks(body)
    tracked = any(p.revisions for p in reader.paragraphs)
    return Review(path, reader.paragraphs, comments, keys, plan, tracked)


def _text_of(element: etree._Element) -> str:
    out = []
    for node in element.iter(q("t"), q("delText"), q("tab"), q("br")):
        if node.tag in (q("t"), q("delText")):
            out.append(node.text or "")
        elif node.tag == q("tab"):
            out.append("\t")
        else:
            out.append("\n")
    return "".join(out)


def _footnotes(data: bytes | None, path: Path) -> dict[str, str]:
    if data is None:
        return {}
    out = {}
    for note in _parse(data, path, "word/footnotes.xml").iter(q("footnote")):
        if note.get(q("type")) in (None, "normal"):
            out[note.get(q("id")) or ""] = " ".join(_text_of(note).split())
    return out


def _comments(data: bytes | None, path: Path) -> dict[str, ReviewComment]:
    if data is None:
        return {}
    out = {}
    for node in _parse(data, path, "word/comments.xml").iter(q("comment")):
        paragraphs = ["".join(t.text or "" for t in p.iter(q("t"))) for p in node.iter(q("p"))]
        out[node.get(q("id")) or ""] = ReviewComment(
            node.get(q("id")) or "", node.get(q("author")) or "",
            _day(node.get(q("date"))), "\n".join(paragraphs).strip(),
        )
    return out


def _key_table(archive: Package, path: Path) -> tuple[dict[str, str], str]:
    """Our key table: any customXml item in its namespace (LibreOffice writes it twice)."""
    keys: dict[str, str] = {}
    plan = ""
    for name in archive.names():
        if not (name.startswith("customXml/item") and name.endswith(".xml")) or "Props" in name:
            continue
        try:
            root = etree.fromstring(archive.read(name) or b"",
                                    etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError:
            continue
        if root.tag != f"{{{KEYS_NS}}}keys":
            continue
        plan = plan or root.get("plan", "")
        for entry in root:
            if entry.get("b") and entry.text:
                keys[entry.get("b") or ""] = entry.text
    return keys, plan


class _Reader:
    """One pass over the body: paragraphs, runs with their revisions, open comment ranges."""

    def __init__(self, footnotes: dict[str, str]) -> None:
        self.footnotes = footnotes
        self.paragraphs: list[Paragraph] = []
        self.open_comments: set[str] = set()
        self.tables = 0

    def blocks(self, parent: etree._Element, where: tuple[int, int, int] | None = None,
               row_revision: Revision | None = None) -> None:
        for child in parent:
            if child.tag == q("p"):
                self.paragraph(child, where, row_revision)
            elif child.tag == q("tbl"):
                self.table(child)
            elif child.tag in (q("sdt"), q("customXml")):
                content = child.find(q("sdtContent")) if child.tag == q("sdt") else child
                if content is not None:
                    self.blocks(content, where, row_revision)

    def table(self, tbl: etree._Element) -> None:
        number = self.tables
        self.tables += 1
        for r, tr in enumerate(tbl.iter(q("tr"))):
            if tr.getparent() is not tbl and tr.getparent().tag != q("sdtContent"):
                continue  # a nested table's rows are read with it
            revision = None
            tr_pr = tr.find(q("trPr"))
            if tr_pr is not None:
                for kind, tag in (("ins", q("ins")), ("del", q("del"))):
                    mark = tr_pr.find(tag)
                    if mark is not None:
                        revision = _revision(mark, kind)
            for c, tc in enumerate(tr.findall(q("tc"))):
                self.blocks(tc, (number, r, c), revision)

    def paragraph(self, p: etree._Element, where: tuple[int, int, int] | None,
                  row_revision: Revision | None) -> None:
        paragraph = Paragraph(len(self.paragraphs), row_revision=row_revision)
        if where is not None:
            paragraph.table, paragraph.row, paragraph.cell = where
        paragraph.comments = sorted(self.open_comments)
        style = p.find(f"{q('pPr')}/{q('pStyle')}")
        if style is not None:
            paragraph.style = style.get(q("val")) or ""
        rpr = p.find(f"{q('pPr')}/{q('rPr')}")
        if rpr is not None:
            for kind, tag in (("ins", q("ins")), ("del", q("del"))):
                mark = rpr.find(tag)
                if mark is not None:
                    paragraph.mark = _revision(mark, kind)
        self.inline(p, paragraph, None)
        self.paragraphs.append(paragraph)

    def inline(self, parent: etree._Element, paragraph: Paragraph,
               revision: Revision | None) -> None:
        for child in parent:
            tag = child.tag
            if tag == q("r"):
                self.run(child, paragraph, revision)
            elif tag in _INS or tag in _DEL:
                kind = "ins" if tag in _INS else "del"
                move = "move" if tag in (q("moveFrom"), q("moveTo")) else ""
                self.inline(child, paragraph, _revision(child, kind, move))
            elif tag == q("bookmarkStart"):
                name = child.get(q("name")) or ""
                if name.startswith("_sp_"):
                    paragraph.names.append(name)
            elif tag == q("commentRangeStart"):
                self.open_comments.add(child.get(q("id")) or "")
                paragraph.comments = sorted(set(paragraph.comments) | {child.get(q("id")) or ""})
            elif tag == q("commentRangeEnd"):
                self.open_comments.discard(child.get(q("id")) or "")
            elif tag in (q("hyperlink"), q("smartTag"), q("fldSimple"), q("sdt"),
                         q("sdtContent"), q("customXml")):
                self.inline(child, paragraph, revision)

    def run(self, r: etree._Element, paragraph: Paragraph, revision: Revision | None) -> None:
        for node in r:
            if node.tag in (q("t"), q("delText")):
                paragraph.spans.append(Span(node.text or "", revision))
            elif node.tag == q("tab"):
                paragraph.spans.append(Span("\t", revision))
            elif node.tag in (q("br"), q("cr")):
                paragraph.spans.append(Span("\n", revision))
            elif node.tag == q("footnoteReference"):
                text = self.footnotes.get(node.get(q("id")) or "", "")
                paragraph.spans.append(Span("", revision, footnote=text))
            elif node.tag == q("commentReference"):
                cid = node.get(q("id")) or ""
                if cid not in paragraph.comments:
                    paragraph.comments.append(cid)
