"""The HTML and Markdown writers, parsed back with real parsers (lxml.html, markdown-it,
pandoc when installed)."""

from __future__ import annotations

import subprocess

import pytest
from lxml import html as lxml_html

from stratplan import ir
from stratplan.writers.text import write_html, write_markdown

needs_pandoc = pytest.mark.tools("pandoc")


def p(key: str, text: str, style: str = "body", **kw: object) -> ir.Paragraph:
    return ir.Paragraph(key, style, (ir.Run(text),), **kw)  # type: ignore[arg-type]


def document() -> ir.Document:
    table = ir.Table(
        "t",
        (
            ir.Row("h", (ir.Cell((p("h1", "Goal", "table-heading"),)),) * 2, header=True),
            ir.Row(
                "r1",
                (ir.Cell((p("a", "Connectivity | access", "table-text"),), span=2),),
            ),
            ir.Row(
                "r2",
                (ir.Cell((p("b", "new", "table-text"),)), ir.Cell((p("c", "row", "table-text"),))),
                change="ins",
            ),
        ),
        widths=(1, 3),
    )
    return ir.Document(
        title="Plan <2028>",
        subject="Draft & more",
        date="2025-01-31",
        blocks=(
            p("title", "Strategic plan", "title"),
            p("h1", "Goals", "heading1", number="1"),
            p("h2", "Targets", "heading2"),
            p("h3", "Detail", "heading3"),
            ir.Paragraph(
                "p17",
                "numbered",
                (
                    ir.Run("ITU's <script>alert(1)</script> work "),
                    ir.Run("bold", bold=True),
                    ir.Run(" and "),
                    ir.Run("italic", italic=True),
                    ir.Run(footnote="n1"),
                    ir.Run(" old", change="del"),
                    ir.Run(" new", change="ins"),
                    ir.Run(footnote="n1"),
                ),
                number="17",
                comments=(ir.Comment("c", "ITU Secretariat", "2025-01-15", "Check *this*"),),
            ),
            p("l1", "first bullet", "list", list_kind="bullet"),
            p("l2", "nested dash", "list", list_kind="dash", level=1),
            p("l3", "second bullet", "list", list_kind="bullet"),
            p("x", "1. not a list", "body"),
            p("gone", "Deleted paragraph", "body", change="del"),
            table,
        ),
        footnotes=(
            ir.Footnote("unused", (ir.Run("never"),)),
            ir.Footnote("n1", (ir.Run("The note."),)),
        ),
        footer="C25/35-E",
    )


# -- HTML -------------------------------------------------------------------------------------


def parsed() -> lxml_html.HtmlElement:
    text = write_html(document())
    assert text.startswith('<!DOCTYPE html>\n<html lang="en">')
    return lxml_html.document_fromstring(text)


def test_html_page_headings_and_escaping() -> None:
    page = parsed()
    assert page.findtext(".//title") == "Plan <2028>"
    assert page.xpath("string(//meta[@name='description']/@content)") == "Draft & more"
    assert [h.text_content() for h in page.xpath("//h1")] == ["Strategic plan", "1 Goals"]
    assert page.xpath("//h2")[0].text_content() == "Targets"
    assert page.xpath("//h3")[0].text_content() == "Detail"
    assert page.xpath("//script") == []  # escaped, not markup
    numbered = page.xpath("//p[contains(@class, 'numbered')]")[0]
    assert "<script>alert(1)</script>" in numbered.text_content()
    assert numbered.xpath("string(span[@class='number'])") == "17"
    assert numbered.xpath("string(strong)") == "bold"
    assert numbered.xpath("string(em)") == "italic"
    assert page.xpath("string(//footer)") == "C25/35-E"


def test_html_lists_nest() -> None:
    page = parsed()
    (outer,) = page.xpath("//main/ul")
    assert outer.get("class") == "bullet"
    items = outer.findall("li")
    assert len(items) == 2
    assert items[0].xpath("normalize-space(ul[@class='dash']/li)") == "nested dash"
    assert items[1].text_content().strip() == "second bullet"


def test_html_table_thead_and_spans() -> None:
    page = parsed()
    table = page.xpath("//table")[0]
    assert table.get("class") == "grid"
    assert [th.text_content() for th in table.xpath("thead/tr/th")] == ["Goal", "Goal"]
    body_rows = table.xpath("tbody/tr")
    assert body_rows[0].xpath("td/@colspan") == ["2"]
    assert body_rows[0].text_content() == "Connectivity | access"
    assert body_rows[1].get("class") == "ins"
    assert [c.xpath("string(.//ins)") for c in body_rows[1].xpath("td")] == ["new", "row"]
    assert len(table.xpath("colgroup/col")) == 2


def test_html_footnotes_comments_revisions() -> None:
    page = parsed()
    refs = page.xpath("//sup[@class='footnote-ref']/a")
    assert [a.get("href") for a in refs] == ["#fn-1", "#fn-1"]
    assert [a.get("id") for a in refs] == ["fnref-1", "fnref-1-2"]
    notes = page.xpath("//section[@class='footnotes']/ol/li")
    assert len(notes) == 1  # the unreferenced footnote is not written
    assert notes[0].get("id") == "fn-1"
    assert notes[0].text_content().startswith("The note.")
    assert notes[0].xpath("a/@href | p/a/@href") == ["#fnref-1", "#fnref-1-2"]
    (aside,) = page.xpath("//aside[@class='comment']")
    assert "ITU Secretariat" in aside.text_content()
    assert "Check *this*" in aside.text_content()
    assert aside.xpath("string(.//time/@datetime)") == "2025-01-15"
    numbered = page.xpath("//p[contains(@class, 'numbered')]")[0]
    assert numbered.xpath("string(del)") == " old"
    assert numbered.xpath("string(ins[1])") == " new"
    gone = page.xpath("//p[contains(@class, 'del')]")[0]
    assert gone.xpath("string(del)") == "Deleted paragraph"
    assert page.xpath("//ins//ins | //del//del | //ins//del | //del//ins") == []


# -- Markdown ---------------------------------------------------------------------------------


def test_markdown_text() -> None:
    md = write_markdown(document())
    lines = md.splitlines()
    assert lines[0] == "# Strategic plan"
    assert "# 1 Goals" in lines and "## Targets" in lines and "### Detail" in lines
    para = next(line for line in lines if line.startswith("17 "))
    assert "\\<script\\>" in para
    assert "**bold**" in para and "*italic*" in para
    assert para.count("[^1]") == 2
    assert "{-- old--}{++ new++}" in para
    assert "> **Comment** (ITU Secretariat, 2025-01-15): Check \\*this\\*" in lines
    assert "* first bullet" in lines and "  - nested dash" in lines
    assert "1\\. not a list" in lines
    assert "{--Deleted paragraph--}" in lines
    assert "| Goal | Goal |" in lines
    assert "| --- | --- |" in lines
    assert "| Connectivity \\| access |  |" in lines
    assert "| {++new++} | {++row++} |" in lines
    assert lines[-1] == "[^1]: The note."
    assert "never" not in md


def test_markdown_parses_as_commonmark_with_tables() -> None:
    markdown_it = pytest.importorskip(
        "markdown_it", reason="needs markdown-it-py (installed with typer's rich)"
    )
    rendered = (
        markdown_it.MarkdownIt("commonmark").enable("table").render(write_markdown(document()))
    )
    page = lxml_html.fragment_fromstring(rendered, create_parent="div")
    assert [h.text_content() for h in page.xpath("h1")] == ["Strategic plan", "1 Goals"]
    assert page.xpath("//script") == []
    assert page.xpath("//ol") == []  # "1. not a list" stayed a paragraph
    assert len(page.xpath("ul/li")) == 2 and len(page.xpath("ul/li/ul/li")) == 1
    assert page.xpath("string(//table/thead/tr/th[1])") == "Goal"
    assert page.xpath("string(//table/tbody/tr[1]/td[1])") == "Connectivity | access"
    assert page.xpath("string(blockquote)").strip().startswith("Comment (ITU Secretariat")


@needs_pandoc
def test_pandoc_reads_markdown_footnotes() -> None:
    result = subprocess.run(
        ["pandoc", "-f", "markdown", "-t", "plain", "--wrap=none"],
        input=write_markdown(document()),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "[1] The note." in result.stdout
    assert "Connectivity | access" in result.stdout


def test_no_footnotes_no_section_and_unknown_footnote_fails() -> None:
    doc = ir.Document("T", "S", "2025-01-31", blocks=(p("a", "plain"),))
    assert '<section class="footnotes">' not in write_html(doc)
    assert write_markdown(doc) == "plain\n"
    bad = ir.Document(
        "T", "S", "2025-01-31", blocks=(ir.Paragraph("a", "body", (ir.Run(footnote="x"),)),)
    )
    with pytest.raises(ValueError, match="footnote 'x'"):
        write_html(bad)
    with pytest.raises(ValueError, match="footnote 'x'"):
        write_markdown(bad)


def test_html_group_label_spans_its_rows() -> None:
    label = ir.Cell((p("l", "Goal 1", "table-text"),), merge="g")
    rows = (
        ir.Row("a", (label, ir.Cell((p("a1", "1.1", "table-text"),)))),
        ir.Row("b", (ir.Cell(merge="g"), ir.Cell((p("b1", "1.2", "table-text"),))), change="del"),
    )
    doc = ir.Document("t", "s", "2025-01-01", blocks=(ir.Table("t", rows),))
    tree = lxml_html.fromstring(write_html(doc))
    cells = [[td.text_content() for td in tr.findall("td")] for tr in tree.iter("tr")]
    assert cells == [["Goal 1", "1.1"], ["1.2"]]
    assert tree.xpath("//td[@rowspan='2']/p/text()") == ["Goal 1"]
