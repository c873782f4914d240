"""The .docx writer, read back with real readers: python-docx, lxml on the parts, pandoc and
LibreOffice when installed (the Makefile installs them for CI)."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from stratplan import ir
from stratplan.writers.docx import write_docx
from stratplan.writers.docx.styles import PARAGRAPH_STYLES, TEXT_WIDTH
from tests.conftest import house_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T00:00:00Z$")

needs_pandoc = pytest.mark.tools("pandoc")
needs_soffice = pytest.mark.tools("soffice")


def style_name(p: DocxParagraph) -> str | None:
    return p.style.name if p.style is not None else None


def q(name: str) -> str:
    return f"{{{W}}}{name}"


def para(key: str, style: str = "body", *runs: ir.Run, **kw: object) -> ir.Paragraph:
    return ir.Paragraph(key, style, tuple(runs), **kw)  # type: ignore[arg-type]


def text_para(key: str, text: str, style: str = "body", **kw: object) -> ir.Paragraph:
    return para(key, style, ir.Run(text), **kw)


def make_doc(*blocks: ir.Block, **kw: object) -> ir.Document:
    fields: dict[str, object] = {
        "title": "Strategic plan",
        "subject": "Draft",
        "date": "2025-01-31",
    }
    fields.update(kw)
    return ir.Document(blocks=tuple(blocks), **fields)  # type: ignore[arg-type]


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def part(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(entries(data)[name])


def body(data: bytes) -> etree._Element:
    return part(data, "word/document.xml").find(q("body"))


def open_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def sample_document() -> ir.Document:
    """A bit of everything: styles, numbers, lists, a table, footnotes, comments, footer."""
    table = ir.Table(
        "t1",
        (
            ir.Row("h", (ir.Cell((text_para("h1", "Target", "table-heading"),)),) * 2, True),
            ir.Row(
                "r1",
                (
                    ir.Cell((text_para("c1", "Coverage", "table-text"),)),
                    ir.Cell((para("c2", "table-text", ir.Run("95%"), ir.Run(footnote="n2")),)),
                ),
            ),
        ),
        widths=(1, 3),
    )
    return make_doc(
        text_para("title", "Strategic plan of the Union", "title"),
        text_para("annex", "Annex 1 to Resolution 71", "annex"),
        text_para("h1", "Introduction", "heading1", number="1"),
        para(
            "p17",
            "numbered",
            ir.Run("ITU's work "),
            ir.Run("matters", bold=True),
            ir.Run(footnote="n1"),
            number="17",
            comments=(ir.Comment("c", "ITU Secretariat", "2025-01-15", "Check this"),),
        ),
        text_para("b1", "first bullet", "list", list_kind="bullet"),
        text_para("b2", "nested dash", "list", list_kind="dash", level=1),
        table,
        text_para("n", "Source: ITU", "note"),
        footnotes=(
            ir.Footnote("n2", (ir.Run("Second note."),)),
            ir.Footnote("n1", (ir.Run("First note."),)),
            ir.Footnote("unused", (ir.Run("Never referenced."),)),
        ),
        footer="C25/35-E",
    )


# -- styles -----------------------------------------------------------------------------------


def test_styles_serif_body_and_builtin_headings() -> None:
    d = open_docx(write_docx(sample_document()))
    normal = d.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(11)
    names = [style_name(p) for p in d.paragraphs]
    assert names[:6] == [
        "Title",
        "Annex Title",
        "Heading 1",
        "Numbered Paragraph",
        "List Item",
        "List Item",
    ]
    for level in (1, 2, 3):
        style = d.styles[f"Heading {level}"]
        assert style.font.bold
        outline = style.element.find(f"{q('pPr')}/{q('outlineLvl')}")
        assert outline is not None and outline.get(q("val")) == str(level - 1)


def test_every_ir_style_has_a_word_style_and_no_theme_fonts() -> None:
    data = write_docx(make_doc(*(text_para(s, s, s) for s in ir.STYLES)))
    styles = part(data, "word/styles.xml")
    ids = {s.get(q("styleId")): s for s in styles.iterfind(q("style"))}
    for style in ir.STYLES:
        assert PARAGRAPH_STYLES[style] in ids, style
    for needed in ("FootnoteReference", "TableGrid", "CommentReference", "Footer"):
        assert needed in ids
    ref = ids["FootnoteReference"]
    assert ref.get(q("type")) == "character"
    assert ref.find(f"{q('rPr')}/{q('vertAlign')}").get(q("val")) == "superscript"
    assert ids["TableGrid"].find(f".//{q('tblBorders')}/{q('insideH')}").get(q("val")) == "single"
    defaults = styles.find(q("docDefaults"))
    assert defaults.find(f".//{q('rFonts')}").get(q("ascii")) == "Times New Roman"
    assert defaults.find(f".//{q('lang')}").get(q("val")) == "en-GB"
    used = [PARAGRAPH_STYLES[s] for s in ir.STYLES] + ["Title", "Heading1"]
    for style_id in used:
        assert ids[style_id].xpath(".//w:rFonts/@w:asciiTheme", namespaces=NS) == []
    # Every paragraph got its named style (Normal is the default, written without pStyle).
    d = open_docx(data)
    assert [p.style.style_id if p.style else None for p in d.paragraphs] == [
        PARAGRAPH_STYLES[s] for s in ir.STYLES
    ]


def test_unknown_style_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown style"):
        write_docx(make_doc(text_para("x", "text", "fancy")))


# -- paragraphs -------------------------------------------------------------------------------


def test_number_tab_text_align_page_break_and_emphasis() -> None:
    doc = make_doc(
        para(
            "p",
            "numbered",
            ir.Run("ITU's "),
            ir.Run("work", bold=True),
            ir.Run(" now", italic=True),
            number="17",
            align="center",
            page_break_before=True,
        ),
        text_para("l", "multi\tpart\nline", "body", align="right"),
    )
    d = open_docx(write_docx(doc))
    first, second = d.paragraphs
    assert first.text == "17\tITU's work now"
    assert first.runs[0].text == "17\t"
    assert [r.bold for r in first.runs[1:]] == [None, True, None]
    assert first.runs[3].italic
    assert first.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert first.paragraph_format.page_break_before
    assert second.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert second.text == "multi\tpart\nline"
    style = d.styles["Numbered Paragraph"].paragraph_format
    assert style.first_line_indent < 0 and style.left_indent > 0  # hanging indent
    assert len(style.tab_stops) == 1


def test_lists_use_a_real_numbering_part() -> None:
    data = write_docx(sample_document())
    numbering = part(data, "word/numbering.xml")
    symbols = {
        a.get(q("abstractNumId")): a.find(f"{q('lvl')}/{q('lvlText')}").get(q("val"))
        for a in numbering.iterfind(q("abstractNum"))
    }
    assert sorted(symbols.values()) == ["–", "•"]
    nums = {
        n.get(q("numId")): symbols[n.find(q("abstractNumId")).get(q("val"))]
        for n in numbering.iterfind(q("num"))
    }
    lists = [p for p in body(data).iterfind(q("p")) if p.find(f".//{q('numPr')}") is not None]
    assert len(lists) == 2
    got = [
        (
            nums[p.find(f".//{q('numId')}").get(q("val"))],
            p.find(f".//{q('ilvl')}").get(q("val")),
        )
        for p in lists
    ]
    assert got == [("•", "0"), ("–", "1")]
    rels = entries(data)["word/_rels/document.xml.rels"].decode()
    assert 'Target="numbering.xml"' in rels


# -- tables -----------------------------------------------------------------------------------


def test_tables_widths_header_rows_spans_shading() -> None:
    table = ir.Table(
        "t",
        (
            ir.Row(
                "h",
                (ir.Cell((text_para("a", "A", "table-heading"),)),) * 3,
                header=True,
            ),
            ir.Row(
                "r",
                (
                    ir.Cell((text_para("b", "wide", "table-text"),), span=2),
                    ir.Cell((text_para("c", "C", "table-text"),), shaded=True),
                ),
            ),
            ir.Row("e", (ir.Cell(), ir.Cell(), ir.Cell())),
        ),
        widths=(1, 1, 2),
    )
    data = write_docx(make_doc(table))
    d = open_docx(data)
    t = d.tables[0]
    assert t.style is not None and t.style.name == "Table Grid"
    assert len(t.rows) == 3
    assert [c.text for c in t.rows[0].cells] == ["A", "A", "A"]
    assert t.rows[1].cells[0].grid_span == 2
    assert t.rows[1].cells[0].text == "wide"
    assert [c.text for c in t.rows[2].cells] == ["", "", ""]  # empty cells hold a paragraph
    tbl = body(data).find(q("tbl"))
    grid = [int(c.get(q("w"))) for c in tbl.iterfind(f"{q('tblGrid')}/{q('gridCol')}")]
    assert sum(grid) == TEXT_WIDTH
    assert grid[2] == pytest.approx(2 * grid[0], abs=2)
    rows = tbl.findall(q("tr"))
    assert rows[0].find(f"{q('trPr')}/{q('tblHeader')}") is not None
    assert rows[1].find(f"{q('trPr')}/{q('tblHeader')}") is None
    fills = [tc.xpath("string(w:tcPr/w:shd/@w:fill)", namespaces=NS) for tc in rows[0]]
    assert all(fills[1:])  # header cells shaded (rows[0][0] is trPr)
    cells = rows[1].findall(q("tc"))
    assert cells[0].find(f"{q('tcPr')}/{q('shd')}") is None
    assert cells[1].find(f"{q('tcPr')}/{q('shd')}") is not None
    assert int(cells[0].find(f"{q('tcPr')}/{q('tcW')}").get(q("w"))) == grid[0] + grid[1]
    # A table may not end the body: a paragraph follows it.
    assert body(data)[-2].tag == q("p")


def test_borderless_layout_table() -> None:
    table = ir.Table(
        "cover",
        (ir.Row("r", (ir.Cell((text_para("a", "Council 2025", "cover-heading"),)),)),),
        borders=False,
    )
    tbl = body(write_docx(make_doc(table, table))).findall(q("tbl"))
    assert len(tbl) == 2  # two adjacent tables stay two tables
    tbl_pr = tbl[0].find(q("tblPr"))
    assert tbl_pr.find(q("tblStyle")) is None
    sides = tbl_pr.find(q("tblBorders"))
    assert {s.get(q("val")) for s in sides} == {"nil"}
    assert len(sides) == 6


# -- footnotes --------------------------------------------------------------------------------


def test_footnotes_part_numbered_by_first_reference() -> None:
    data = write_docx(sample_document())
    parts = entries(data)
    notes = etree.fromstring(parts["word/footnotes.xml"])
    all_notes = notes.findall(q("footnote"))
    assert [(n.get(q("id")), n.get(q("type"))) for n in all_notes[:2]] == [
        ("-1", "separator"),
        ("0", "continuationSeparator"),
    ]
    texts = {
        n.get(q("id")): "".join(n.itertext()).strip() for n in all_notes if not n.get(q("type"))
    }
    # n1 is referenced first (paragraph 17), n2 later (in the table); "unused" is dropped.
    assert texts == {"1": "First note.", "2": "Second note."}
    refs = body(data).xpath(".//w:footnoteReference", namespaces=NS)
    assert [r.get(q("id")) for r in refs] == ["1", "2"]
    for ref in refs:
        assert ref.getparent().xpath("string(w:rPr/w:rStyle/@w:val)", namespaces=NS) == (
            "FootnoteReference"
        )
    assert b"footnotes.xml" in parts["word/_rels/document.xml.rels"]
    assert b'PartName="/word/footnotes.xml"' in parts["[Content_Types].xml"]
    assert b"wordprocessingml.footnotes+xml" in parts["[Content_Types].xml"]
    settings = etree.fromstring(parts["word/settings.xml"])
    assert settings.xpath("w:footnotePr/w:footnote/@w:id", namespaces=NS) == ["-1", "0"]


def test_footnote_referenced_twice_is_written_once_per_reference() -> None:
    """Word expects one reference per footnote (LibreOffice prints another footnote's text
    under a second reference to the same one): each reference gets its own copy, numbered in
    document order, with the revision of its reference."""
    doc = make_doc(
        para("a", "body", ir.Run("one"), ir.Run(footnote="x")),
        para("b", "body", ir.Run("two"), ir.Run(footnote="y", change="ins")),
        para("c", "body", ir.Run("three"), ir.Run(footnote="x", change="del")),
        footnotes=(ir.Footnote("x", (ir.Run("Shared."),)), ir.Footnote("y", (ir.Run("Y."),))),
    )
    data = write_docx(doc)
    notes = part(data, "word/footnotes.xml").xpath("w:footnote[not(@w:type)]", namespaces=NS)
    texts = ["".join(n.xpath(".//w:t/text()|.//w:delText/text()", namespaces=NS)) for n in notes]
    assert texts == ["Shared.", "Y.", "Shared."]
    assert [n.xpath("count(.//w:ins)", namespaces=NS) > 0 for n in notes] == [False, True, False]
    assert [n.xpath("count(.//w:del)", namespaces=NS) > 0 for n in notes] == [False, False, True]
    refs = body(data).xpath(".//w:footnoteReference/@w:id", namespaces=NS)
    assert refs == ["1", "2", "3"]
    comment_ids = body(data).xpath(".//w:commentRangeStart/@w:id", namespaces=NS)
    assert not set(comment_ids) & set(refs)


def test_no_footnotes_part_without_references_and_unknown_reference_fails() -> None:
    doc = make_doc(text_para("a", "plain"), footnotes=(ir.Footnote("x", (ir.Run("no"),)),))
    assert "word/footnotes.xml" not in entries(write_docx(doc))
    with pytest.raises(ValueError, match="footnote 'nope'"):
        write_docx(make_doc(para("a", "body", ir.Run(footnote="nope"))))


# -- comments ---------------------------------------------------------------------------------


def test_comments_anchor_whole_paragraph() -> None:
    c1 = ir.Comment("c1", "ITU Secretariat", "2025-01-15", "First")
    c2 = ir.Comment("c2", "Jane Doe", "2024-12-31", "Second\nline two")
    c3 = ir.Comment("c3", "BDT", "2025-02-01", "In a table")
    table = ir.Table(
        "t", (ir.Row("r", (ir.Cell((text_para("cell", "cell text", comments=(c3,)),)),)),)
    )
    doc = make_doc(
        para("a", "numbered", ir.Run("alpha "), ir.Run("beta"), number="3", comments=(c1, c2)),
        table,
    )
    data = write_docx(doc)
    comments = part(data, "word/comments.xml").findall(q("comment"))
    got = [
        (c.get(q("id")), c.get(q("author")), c.get(q("initials")), c.get(q("date")))
        for c in comments
    ]
    # Ids count on after the footnotes' (here none: from 1); see the LibreOffice test.
    assert got == [
        ("1", "ITU Secretariat", "IS", "2025-01-15T00:00:00Z"),
        ("2", "Jane Doe", "JD", "2024-12-31T00:00:00Z"),
        ("3", "BDT", "BDT", "2025-02-01T00:00:00Z"),
    ]
    assert "".join(comments[1].itertext()) == "Secondline two"
    assert len(comments[1].findall(q("p"))) == 2

    p = body(data).find(q("p"))
    # The paragraph's key bookmark spans it (see test_keys_travel_as_bookmarks).
    tags = [etree.QName(child).localname for child in p if "bookmark" not in child.tag]
    assert tags[:3] == ["pPr", "commentRangeStart", "commentRangeStart"]
    runs = [i for i, t in enumerate(tags) if t == "r"]
    end0, end1 = tags.index("commentRangeEnd"), len(tags) - 2
    assert tags[end1] == "commentRangeEnd"
    assert end0 > runs[2]  # after the number run and both text runs
    refs = p.xpath(".//w:commentReference/@w:id", namespaces=NS)
    assert refs == ["1", "2"]

    # python-docx reads them back as comments.
    d = open_docx(data)
    read = [(c.author, c.initials, c.text) for c in d.comments]
    assert read[0] == ("ITU Secretariat", "IS", "First")
    assert len(read) == 3


# -- footer, properties -----------------------------------------------------------------------


def test_footer_text_and_page_n_of_m() -> None:
    data = write_docx(sample_document())
    d = open_docx(data)
    footer = d.sections[0].footer
    assert not footer.is_linked_to_previous
    assert footer.paragraphs[0].text.startswith("C25/35-E\t")
    instructions = part(data, "word/footer1.xml").xpath("//w:instrText/text()", namespaces=NS)
    assert [i.strip() for i in instructions] == ["PAGE", "NUMPAGES"]
    assert " of " in footer.paragraphs[0].text
    section = d.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def test_core_properties_from_the_ir() -> None:
    props = open_docx(write_docx(sample_document())).core_properties
    midnight = dt.datetime(2025, 1, 31, tzinfo=dt.UTC)
    assert props.title == "Strategic plan"
    assert props.subject == "Draft"
    assert props.language == "en"
    assert props.author == props.last_modified_by == "stratplan"
    assert props.revision == 1
    assert props.created == props.modified == props.last_printed == midnight
    assert props.comments == ""


def test_bad_dates_are_rejected() -> None:
    with pytest.raises(ValueError, match=r"Document\.date"):
        write_docx(make_doc(date="31/01/2025"))
    with pytest.raises(ValueError, match="revision_date"):
        write_docx(make_doc(revision_date="yesterday"))


# -- revisions --------------------------------------------------------------------------------


def revision_document() -> ir.Document:
    return make_doc(
        para(
            "runs",
            "body",
            ir.Run("kept "),
            ir.Run("old", change="del"),
            ir.Run("new", change="ins"),
            ir.Run(" tail"),
            ir.Run(footnote="f", change="ins"),
            comments=(ir.Comment("c", "A Reviewer", "2025-01-02", "why?"),),
        ),
        para("added", "numbered", ir.Run("A new paragraph"), number="18", change="ins"),
        para(
            "gone",
            "numbered",
            ir.Run("An old  paragraph "),
            ir.Run("partly", change="ins"),
            number="19",
            change="del",
        ),
        ir.Table(
            "t",
            (
                ir.Row("keep", (ir.Cell((text_para("k", "same", "table-text"),)),)),
                ir.Row(
                    "new", (ir.Cell((text_para("n", "added row", "table-text"),)),), False, "ins"
                ),
                ir.Row(
                    "old", (ir.Cell((text_para("o", "removed row", "table-text"),)),), False, "del"
                ),
            ),
        ),
        footnotes=(ir.Footnote("f", (ir.Run("An inserted note."),)),),
        revision_author="Redline Bot",
        revision_date="2025-03-04",
    )


def all_revisions(data: bytes) -> list[etree._Element]:
    out = []
    for name, blob in entries(data).items():
        if name in ("word/document.xml", "word/footnotes.xml"):
            out += etree.fromstring(blob).xpath("//w:ins | //w:del", namespaces=NS)
    return out


def test_revision_elements_are_well_formed() -> None:
    data = write_docx(revision_document())
    revs = all_revisions(data)
    assert revs
    ids = [r.get(q("id")) for r in revs]
    assert all(i is not None and i.isdigit() for i in ids)
    assert len(set(ids)) == len(ids)
    # Footnote 1, then the comment (2); revisions count on after both.
    notes = part(data, "word/footnotes.xml").xpath("w:footnote/@w:id", namespaces=NS)
    comments = part(data, "word/comments.xml").xpath("w:comment/@w:id", namespaces=NS)
    assert [int(i) for i in notes] == [-1, 0, 1] and [int(i) for i in comments] == [2]
    assert min(int(i) for i in ids) == 3
    for rev in revs:
        assert rev.get(q("author")) == "Redline Bot"
        assert rev.get(q("date")) == "2025-03-04T00:00:00Z"
        assert DATE_RE.match(rev.get(q("date")))
        assert rev.xpath("ancestor::w:ins | ancestor::w:del", namespaces=NS) == []
        assert rev.xpath(".//w:p | .//w:ins | .//w:del", namespaces=NS) == []
        parent = etree.QName(rev.getparent()).localname
        if parent in ("rPr", "trPr"):
            assert len(rev) == 0  # a mark
        else:
            # runs, and an inserted paragraph's key bookmark (rejecting removes it with them)
            assert parent == "p" and len(rev) and all(
                c.tag == q("r") or (c.tag in (q("bookmarkStart"), q("bookmarkEnd"))
                                    and etree.QName(rev).localname == "ins") for c in rev)
    root = part(data, "word/document.xml")
    assert root.xpath("//w:del//w:t", namespaces=NS) == []
    for text in root.xpath("//w:delText", namespaces=NS):
        assert text.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    assert root.xpath("//w:ins//w:delText", namespaces=NS) == []


def test_run_paragraph_and_row_revisions() -> None:
    root = body(write_docx(revision_document()))
    first, added, gone = root.findall(q("p"))[:3]
    assert first.xpath("string(w:del/w:r/w:delText)", namespaces=NS) == "old"
    assert first.xpath("string(w:ins/w:r[1]/w:t)", namespaces=NS) == "new"
    # The footnote reference run carries its change too.
    assert first.xpath("w:ins/w:r/w:footnoteReference", namespaces=NS)

    assert added.xpath("w:pPr/w:rPr/w:ins", namespaces=NS)
    assert added.xpath("w:r", namespaces=NS) == []  # every run, the number too, is wrapped
    assert "".join(added.xpath("w:ins//w:t/text()", namespaces=NS)) == "18A new paragraph"

    assert gone.xpath("w:pPr/w:rPr/w:del", namespaces=NS)
    assert gone.xpath("w:r | w:ins", namespaces=NS) == []  # the paragraph's change wins
    texts = gone.xpath("w:del//w:delText/text()", namespaces=NS)
    assert "".join(texts) == "19An old  paragraph partly"

    keep, new, old = root.find(q("tbl")).findall(q("tr"))
    assert [c.tag for c in keep.find(q("trPr"))] == [q("cantSplit")]  # a short row, unchanged
    assert new.xpath("w:trPr/w:ins", namespaces=NS)
    assert new.xpath(".//w:p/w:pPr/w:rPr/w:ins", namespaces=NS)
    assert new.xpath(".//w:p/w:r", namespaces=NS) == []
    assert new.xpath("string(.//w:p/w:ins/w:r/w:t)", namespaces=NS) == "added row"
    assert old.xpath("w:trPr/w:del", namespaces=NS)
    assert old.xpath(".//w:p/w:pPr/w:rPr/w:del", namespaces=NS)
    assert old.xpath("string(.//w:p/w:del/w:r/w:delText)", namespaces=NS) == "removed row"


def test_inserted_footnote_is_marked_inserted() -> None:
    notes = part(write_docx(revision_document()), "word/footnotes.xml")
    note = notes.xpath("w:footnote[@w:id='1']", namespaces=NS)[0]
    assert note.xpath("w:p/w:pPr/w:rPr/w:ins", namespaces=NS)
    assert note.xpath("w:p/w:r", namespaces=NS) == []


def test_revision_date_defaults_to_document_date() -> None:
    doc = make_doc(para("p", "body", ir.Run("x", change="ins")))
    (rev,) = all_revisions(write_docx(doc))
    assert rev.get(q("date")) == "2025-01-31T00:00:00Z"
    assert rev.get(q("author")) == "stratplan"
    assert rev.get(q("id")) == "1"


# -- reproducible bytes -----------------------------------------------------------------------


class _LaterDateTime(dt.datetime):
    """A clock six years on."""

    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> _LaterDateTime:
        return cls(2031, 7, 14, 15, 30, 0, tzinfo=tz)

    @classmethod
    def utcnow(cls) -> _LaterDateTime:
        return cls(2031, 7, 14, 15, 30, 0)

    @classmethod
    def today(cls) -> _LaterDateTime:
        return cls(2031, 7, 14, 15, 30, 0)


def test_same_ir_same_bytes_whatever_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = sample_document()
    first = write_docx(doc)
    assert write_docx(doc) == first
    later = time.time() + 6 * 365 * 86400
    monkeypatch.setattr(time, "time", lambda: later)
    monkeypatch.setattr(dt, "datetime", _LaterDateTime)
    assert write_docx(doc) == first
    assert write_docx(revision_document()) == write_docx(revision_document())


def test_zip_entries_are_normalised() -> None:
    data = write_docx(sample_document())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()
        assert z.testzip() is None
    names = [i.filename for i in infos]
    assert names[0] == "[Content_Types].xml"
    assert names[1:] == sorted(names[1:])
    for info in infos:
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert info.external_attr != 0
        assert info.external_attr >> 16 == 0o600
    # No clock in the XML either, nor the template's leftovers.
    for name, blob in entries(data).items():
        assert b"2013-12-23" not in blob, name
        assert b"python-docx" not in blob, name
    assert "docProps/thumbnail.jpeg" not in names


@pytest.mark.slow
def test_large_document_streams_to_the_same_xml_as_one_tree() -> None:
    """The body is serialized one element at a time; the result is exactly what lxml writes
    for the whole tree, with the namespaces declared once, on the root."""

    def cell(key: str) -> ir.Cell:
        return ir.Cell((text_para(key, "x", "table-text"),))

    comment = ir.Comment("c", "A B", "2025-01-01", "note")
    blocks: list[ir.Block] = []
    for i in range(1500):
        runs = (ir.Run(f"Paragraph {i} with <some> & text "), ir.Run("bold", bold=True))
        blocks.append(
            para(f"p{i}", "numbered", *runs, number=str(i), comments=(comment,) * (i % 500 == 0))
        )
    rows = tuple(ir.Row(f"r{j}", tuple(cell(f"c{j}{k}") for k in range(4))) for j in range(100))
    for t in range(4):
        blocks.insert(t * 300, ir.Table(f"t{t}", rows, widths=(1, 2, 3, 4)))
    data = write_docx(make_doc(*blocks))
    xml = entries(data)["word/document.xml"]
    assert xml == etree.tostring(etree.fromstring(xml), encoding="UTF-8", standalone=True)
    assert xml.count(b"xmlns:w=") == 1 and xml.count(b"xmlns:r=") == 1
    document = open_docx(data)
    assert len(document.paragraphs) == 1500
    assert len(document.tables) == 4
    assert document.paragraphs[-1].text == "1499\tParagraph 1499 with <some> & text bold"


# -- real readers: pandoc, LibreOffice --------------------------------------------------------


def pandoc(path: Path, *args: str) -> str:
    result = subprocess.run(
        ["pandoc", *args, "-t", "plain", "--wrap=none", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


@needs_pandoc
def test_pandoc_reads_text_and_footnotes(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    path.write_bytes(write_docx(sample_document()))
    text = pandoc(path, "--standalone")
    assert "Strategic plan of the Union" in text  # the Title style: pandoc's metadata title
    assert "ITU's work matters" in text
    assert "First note." in text and "Second note." in text
    assert "Never referenced." not in text
    assert "Coverage" in text and "95%" in text


@needs_pandoc
def test_pandoc_accepts_and_rejects_revisions(tmp_path: Path) -> None:
    path = tmp_path / "redline.docx"
    path.write_bytes(write_docx(revision_document()))
    accepted = pandoc(path, "--track-changes=accept")
    rejected = pandoc(path, "--track-changes=reject")
    assert "kept new tail" in accepted and "old" not in accepted.split("kept")[1].split("\n")[0]
    assert "kept old tail" in rejected
    assert "A new paragraph" in accepted and "A new paragraph" not in rejected
    assert "An old paragraph" not in accepted and "An old" in rejected
    assert "added row" in accepted and "added row" not in rejected
    assert "removed row" not in accepted and "removed row" in rejected


@needs_soffice
def test_libreoffice_opens_the_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    path.write_bytes(write_docx(sample_document()))
    profile = tmp_path / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "txt:Text",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    text = (tmp_path / "plan.txt").read_text(encoding="utf-8-sig")
    assert "ITU's work matters" in text
    assert "Coverage" in text


@needs_soffice
def test_libreoffice_keeps_each_footnote_and_comment(tmp_path: Path) -> None:
    """LibreOffice (7.4) shows footnote 1's text for footnote 2 when a comment's id equals a
    footnote's: the writer numbers comments after the footnotes. Read back from the ODT
    LibreOffice makes of the file, each note has its own text and the comment is there."""
    path = tmp_path / "notes.docx"
    doc = make_doc(
        para("a", "body", ir.Run("one"), ir.Run(footnote="x")),
        text_para("b", "commented", comments=(ir.Comment("c", "A B", "2025-01-01", "hi"),)),
        para("c", "body", ir.Run("two"), ir.Run(footnote="y")),
        para("d", "body", ir.Run("three"), ir.Run(footnote="z")),
        footnotes=tuple(ir.Footnote(k, (ir.Run(f"Note {k.upper()}"),)) for k in "xyz"),
    )
    path.write_bytes(write_docx(doc))
    profile = tmp_path / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "odt",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    with zipfile.ZipFile(tmp_path / "notes.odt") as odt:
        content = etree.fromstring(odt.read("content.xml"))
    text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    office_ns = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    notes = ["".join(body.itertext()) for body in content.iter(f"{{{text_ns}}}note-body")]
    comments = ["".join(a.itertext()) for a in content.iter(f"{{{office_ns}}}annotation")]
    assert [n.strip() for n in notes] == ["Note X", "Note Y", "Note Z"]
    assert any(c.endswith("hi") for c in comments), comments


def test_keys_travel_as_bookmarks() -> None:
    """Each paragraph with content carries its key as a hidden bookmark spanning it (start
    after the properties, end last), named within Word's rules; the custom XML part holds every
    name's key and the plan. Empty and deleted paragraphs carry none."""
    from stratplan.writers.docx.bookmarks import bookmark_name

    long_key = "outcome:radio-frequency-spectrum-and-orbit-resources/text"
    doc = replace(make_doc(
        text_para("target:broadband-coverage", "Universal broadband coverage"),
        text_para(long_key, "An outcome"),
        para("#s:x/p1", "body"),
        text_para("gone", "Deleted", change="del"),
        ir.Table("t", (ir.Row("r", (ir.Cell((text_para("indicator:i", "In a cell"),)),)),)),
    ), plan="2028-2031")
    data = write_docx(doc)
    paragraphs = body(data).iter(q("p"))
    names = {}
    for p in paragraphs:
        children = list(p)
        starts = [c for c in children if c.tag == q("bookmarkStart")]
        if not starts:
            continue
        (start,) = starts
        assert children.index(start) == (1 if children[0].tag == q("pPr") else 0)
        assert children[-1].tag == q("bookmarkEnd") and children[-1].get(q("id")) == start.get(
            q("id"))
        names[start.get(q("name"))] = "".join(p.itertext())
    assert all(len(n) <= 40 and re.fullmatch(r"_sp_[A-Za-z0-9_]+", n) for n in names)
    assert set(names.values()) == {"Universal broadband coverage", "An outcome", "In a cell"}
    table = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("customXml/item1.xml"))
    assert table.get("plan") == "2028-2031"
    keys = {k.get("b"): k.text for k in table}
    assert keys == {bookmark_name(k): k for k in
                    ("target:broadband-coverage", long_key, "indicator:i")}
    assert bookmark_name("a") != bookmark_name("a", {bookmark_name("a")})


def test_columns_widen_to_hold_their_longest_word_and_figure() -> None:
    """Relative widths 10:45:45 would break "infrastructure" and wrap "101,14%": the first
    column is widened to hold its longest word, from the columns with room to spare."""
    from stratplan.writers.docx.layout import fit_columns, pieces

    assert pieces("TP3 Inclusive and secure infrastructure 3 343 -1 000 2024-2025") == [
        "TP3", "Inclusive", "and", "secure", "infrastructure", "3 343", "-1 000", "2024-", "2025"
    ]
    assert fit_columns([100, 450, 450], [300, 100, 100], 1000) == [300, 350, 350]
    assert fit_columns([500, 500], [900, 300], 1000) == [750, 250]  # cannot fit: shared out

    def row(key: str, *texts: str) -> ir.Row:
        cells = tuple(ir.Cell((text_para(f"{key}{t}", t, "table-text"),)) for t in texts)
        return ir.Row(key, cells)

    table = ir.Table(
        "t",
        (row("a", "TP3 Inclusive and secure infrastructure", "x", "101,14%"),),
        widths=(10, 45, 45),
    )
    grid = [int(g) for g in body(write_docx(make_doc(table))).xpath(
        "w:tbl/w:tblGrid/w:gridCol/@w:w", namespaces=NS)]
    assert sum(grid) == TEXT_WIDTH
    assert grid[0] > TEXT_WIDTH * 10 // 100  # widened for "infrastructure"
    assert all(g < TEXT_WIDTH * 45 // 100 for g in grid[1:])  # the room came from both


def test_lists_in_table_cells_indent_by_half() -> None:
    cell = ir.Cell((text_para("b", "bullet in a cell", "table-text", list_kind="bullet", level=1),))
    data = write_docx(make_doc(ir.Table("t", (ir.Row("r", (cell,)),)), text_para("o", "out")))
    (ind,) = body(data).xpath("w:tbl//w:p/w:pPr/w:ind", namespaces=NS)
    assert (ind.get(q("left")), ind.get(q("hanging"))) == ("566", "283")


def test_group_label_is_merged_down_its_rows() -> None:
    """Cells sharing a `merge` key in one column of consecutive rows are one cell (w:vMerge
    restart, then continue); a single-row group and other columns are not merged."""

    def row(key: str, group: str, label: str, text: str) -> ir.Row:
        first = ir.Cell((text_para(f"{key}l", label, "table-text"),) if label else (), merge=group)
        return ir.Row(key, (first, ir.Cell((text_para(f"{key}t", text, "table-text"),))))

    rows = (
        row("a", "g1", "Goal 1", "1.1"),
        row("b", "g1", "", "1.2"),
        row("c", "g1", "", "1.3"),
        row("d", "g2", "Goal 2", "2.1"),
    )
    assert ir.merge_runs(rows) == [(0, 0, 2)]
    tbl = body(write_docx(make_doc(ir.Table("t", rows), text_para("x", "after")))).find(q("tbl"))
    merges = [
        [(tc.xpath("string(w:tcPr/w:vMerge/@w:val)", namespaces=NS),
          bool(tc.xpath("w:tcPr/w:vMerge", namespaces=NS))) for tc in tr.findall(q("tc"))]
        for tr in tbl.findall(q("tr"))
    ]
    assert merges == [
        [("restart", True), ("", False)],
        [("", True), ("", False)],
        [("", True), ("", False)],
        [("", False), ("", False)],
    ]
    # every cell still has a paragraph (the continued ones an empty one)
    assert all(tc.find(q("p")) is not None for tc in tbl.iter(q("tc")))
    # the label of a deleted first row keeps its own revisions (none), not the row's
    deleted = (ir.Row("a", rows[0].cells, change="del"), *rows[1:])
    tbl = body(write_docx(make_doc(ir.Table("t", deleted), text_para("x", "y")))).find(q("tbl"))
    first = tbl.find(q("tr"))
    assert first.find(f"{q('trPr')}/{q('del')}") is not None
    label, text = first.findall(q("tc"))
    assert label.find(f".//{q('del')}") is None and text.find(f".//{q('del')}") is not None


# -- a reference document (--reference-docx) -----------------------------------------------


def test_reference_docx_gives_its_styles_page_header_and_footer(tmp_path: Path) -> None:
    """As pandoc's --reference-doc: the reference's styles (its Normal's font), page size and
    margins, header and footer; the styles the IR needs that it lacks are added, based on its
    Normal; none of its body text."""
    reference = house_docx(tmp_path / "house.docx").read_bytes()
    data = write_docx(sample_document(), reference)
    styles = part(data, "word/styles.xml")
    [normal] = styles.xpath("w:style[@w:styleId='Normal']", namespaces=NS)
    assert normal.xpath("string(w:rPr/w:rFonts/@w:ascii)", namespaces=NS) == "DejaVu Sans"
    assert "Times New Roman" not in entries(data)["word/styles.xml"].decode()
    [numbered] = styles.xpath("w:style[@w:styleId='NumberedParagraph']", namespaces=NS)
    assert numbered.xpath("string(w:basedOn/@w:val)", namespaces=NS) == "Normal"
    # the reference's own styles stay (python-docx's template has blue headings)
    [heading] = styles.xpath("w:style[w:name/@w:val='heading 1']", namespaces=NS)
    assert heading.get(q("styleId")) == "Heading1" and heading.find(q("rPr")) is not None
    sect = body(data).find(q("sectPr"))
    assert sect.find(q("pgSz")).get(q("w")) == "12240"  # US Letter, from the reference
    assert sect.find(q("pgMar")).get(q("left")) == "1417"
    files = entries(data)
    headers = [n for n in files if n.startswith("word/header")]
    footers = [n for n in files if n.startswith("word/footer")]
    assert len(headers) == 1 and b"SECRETARIAT HEADER" in files[headers[0]]
    assert len(footers) == 1 and b"Secretariat footer" in files[footers[0]]
    assert b"must not appear" not in files["word/document.xml"]
    # the lists point at numbering definitions the numbering part has
    numbering = part(data, "word/numbering.xml")
    used = set(body(data).xpath(".//w:numPr/w:numId/@w:val", namespaces=NS))
    assert used and used <= set(numbering.xpath("w:num/@w:numId", namespaces=NS))
    # the table widths follow the reference's text width (Letter minus 2.5 cm margins)
    grid = body(data).xpath("w:tbl[1]/w:tblGrid/w:gridCol/@w:w", namespaces=NS)
    assert sum(int(g) for g in grid) == 12240 - 2 * 1417
    assert write_docx(sample_document(), reference) == data  # reproducible


def test_reference_without_footer_gets_the_page_numbers(tmp_path: Path) -> None:
    import docx as python_docx

    plain = python_docx.Document()
    plain.save(str(tmp_path / "plain.docx"))
    data = write_docx(sample_document(), (tmp_path / "plain.docx").read_bytes())
    footers = [n for n in entries(data) if n.startswith("word/footer")]
    assert len(footers) == 1 and b"NUMPAGES" in entries(data)[footers[0]]


def test_unusable_reference_is_an_error() -> None:
    from stratplan.writers.docx import ReferenceDocxError

    with pytest.raises(ReferenceDocxError):
        write_docx(sample_document(), b"not a zip")


def test_long_authors_and_properties_stay_within_the_schema() -> None:
    """w:initials holds at most 9 characters (an author of ten words or more gave more), and
    python-docx refuses core properties over 255 (a --template-dir template can join longer
    titles than the plan model allows)."""
    author = "The Chair of the Council Working Group on the Strategic and Financial Plans"
    comment = ir.Comment("c1", author, "2025-01-15", "A remark")
    title = "A title " * 50
    data = write_docx(
        make_doc(text_para("a", "text", comments=(comment,)), title=title, language="en-GB")
    )
    (initials,) = [c.get(q("initials")) for c in part(data, "word/comments.xml")]
    assert initials == "TCOTCWGOT"
    properties = open_docx(data).core_properties
    assert properties.title == title[:255] and properties.language == "en-GB"
