"""Small HTML and Markdown writers over the document IR (the same IR as the docx writer).

- `write_html`: a standalone HTML5 page: headings h1-h3, tables with a thead for their
  leading header rows, footnotes as a numbered list at the end with links both ways, comments
  as <aside>s after their paragraph, revisions as <ins>/<del>.
- `write_markdown`: CommonMark with GFM pipe tables and footnotes ([^n]), comments as
  blockquotes, revisions as CriticMarkup ({++ ++} / {-- --}).

Footnotes are numbered 1..n in order of first reference, as in the .docx; unreferenced
footnotes are not written.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from itertools import groupby

from stratplan import ir
from stratplan.formats import RIGHT_TO_LEFT, SOURCE_LANGUAGE, primary_language

_HEADINGS = {"title": "h1", "heading1": "h1", "heading2": "h2", "heading3": "h3"}
_MD_HEADINGS = {"title": "#", "heading1": "#", "heading2": "##", "heading3": "###"}


class _Footnotes:
    """Numbers footnotes in order of first reference and counts references to each."""

    def __init__(self, footnotes: Sequence[ir.Footnote]) -> None:
        self._defined = {f.id: f for f in footnotes}
        self.numbers: dict[str, int] = {}
        self.references: dict[str, int] = {}
        self.order: list[ir.Footnote] = []

    def reference(self, key: str) -> tuple[int, int]:
        """(footnote number, reference count so far) for one more reference to `key`."""
        if key not in self._defined:
            raise ValueError(f"a run refers to footnote {key!r}, which is not defined")
        if key not in self.numbers:
            self.order.append(self._defined[key])
            self.numbers[key] = len(self.order)
        self.references[key] = self.references.get(key, 0) + 1
        return self.numbers[key], self.references[key]


def _grouped(
    runs: Sequence[ir.Run], change: ir.Revision
) -> Iterator[tuple[ir.Revision, list[ir.Run]]]:
    """Runs in consecutive groups of the same effective revision."""
    for key, group in groupby(runs, key=lambda run: change or run.change):
        yield key, list(group)


# -- HTML -----------------------------------------------------------------------------------

_CSS = """\
body { font-family: "Times New Roman", Times, serif; font-size: 11pt; max-width: 48em;
  margin: 2em auto; padding: 0 1em; line-height: 1.35; }
h1.title { text-align: center; }
.number { display: inline-block; min-width: 2.5em; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; }
table.grid th, table.grid td { border: 1px solid #000; padding: 0.2em 0.4em; vertical-align: top; }
table.layout td, table.layout th { padding: 0.2em 0.4em; vertical-align: top; }
th, .shaded { background: #d9d9d9; }
td p, th p { margin: 0.2em 0; }
ul.dash { list-style-type: "\\2013  "; }
aside.comment { border-left: 3px solid #c90; background: #fff8e6; margin: 0.5em 0;
  padding: 0.2em 0.8em; font-size: 0.9em; }
ins { background: #e6ffe6; } del { background: #ffe6e6; }
p.note, section.footnotes { font-size: 0.9em; }
footer { margin-top: 2em; font-size: 0.9em; color: #555; }
"""
# In a language edition: plan text left in English on the grey of the Word edition's highlight.
_EDITION_CSS = ".untranslated { background: #d3d3d3; }\n"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


class _Html:
    def __init__(self, doc: ir.Document) -> None:
        self.doc = doc
        self.notes = _Footnotes(doc.footnotes)
        language = primary_language(doc.language)
        self.edition = language != SOURCE_LANGUAGE
        # Right to left, each paragraph's direction from its first letter: one left in
        # English reads left to right, its full stop at its end.
        self.rtl = language in RIGHT_TO_LEFT

    def page(self) -> str:
        doc = self.doc
        body = self.blocks(doc.blocks)
        out = [
            "<!DOCTYPE html>",
            f'<html lang="{_e(doc.language)}"' + (' dir="rtl">' if self.rtl else ">"),
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(doc.title)}</title>",
        ]
        if doc.subject:
            out.append(f'<meta name="description" content="{_e(doc.subject)}">')
        css = _CSS + (_EDITION_CSS if self.edition else "")
        out += [f'<meta name="date" content="{_e(doc.date)}">', f"<style>\n{css}</style>"]
        out += ["</head>", "<body>", "<main>", *body, "</main>"]
        out += self.footnotes()
        if doc.footer:
            out.append(f"<footer><p>{_e(doc.footer)}</p></footer>")
        out += ["</body>", "</html>", ""]
        return "\n".join(out)

    def blocks(self, blocks: Sequence[ir.Block], change: ir.Revision = None) -> list[str]:
        out: list[str] = []
        lists: list[tuple[str, int]] = []  # open <ul>s: (kind, level)

        def close(until: int) -> None:
            while len(lists) > until:
                out.append("</li></ul>")
                lists.pop()

        for block in blocks:
            if isinstance(block, ir.Table):
                close(0)
                out.extend(self.table(block))
                continue
            kind = block.list_kind
            if kind is None:
                close(0)
                out.append(self.paragraph(block, change))
                out.extend(self.comments(block))
                continue
            while lists and (
                lists[-1][1] > block.level or (lists[-1][1] == block.level and lists[-1][0] != kind)
            ):
                close(len(lists) - 1)
            if lists and lists[-1][1] == block.level:
                out.append("</li>")
            else:
                out.append(f'<ul class="{kind}">')
                lists.append((kind, block.level))
            out.append(f"<li{self._attrs(block, change)}>{self.content(block, change)}")
            out.extend(self.comments(block))
        close(0)
        return out

    def _attrs(self, para: ir.Paragraph, change: ir.Revision, classes: Sequence[str] = ()) -> str:
        names = list(classes)
        revision = change or para.change
        if revision:
            names.append(revision)
        styles = []
        if para.align:
            styles.append(f"text-align: {para.align}")
        if para.page_break_before:
            styles.append("break-before: page")
        attrs = f' class="{" ".join(names)}"' if names else ""
        if self.rtl:
            attrs += ' dir="auto"'
        return attrs + (f' style="{"; ".join(styles)}"' if styles else "")

    def paragraph(self, para: ir.Paragraph, change: ir.Revision = None) -> str:
        tag = _HEADINGS.get(para.style, "p")
        classes = [] if tag != "p" and para.style != "title" else [para.style]
        return f"<{tag}{self._attrs(para, change, classes)}>{self.content(para, change)}</{tag}>"

    def content(self, para: ir.Paragraph, change: ir.Revision = None) -> str:
        change = change or para.change
        shown = _e(para.number)
        if para.number_was is not None:
            shown = f"<del>{_e(para.number_was)}</del><ins>{shown}</ins>"
        number = f'<span class="number">{shown}</span> ' if para.number else ""
        if change:  # the whole paragraph: one wrapper, the runs' own revisions don't count
            text = number + "".join(self.run(run) for run in para.runs)
            return f"<{change}>{text}</{change}>"
        return number + self.runs(para.runs, None)

    def runs(self, runs: Sequence[ir.Run], change: ir.Revision) -> str:
        out = []
        for revision, group in _grouped(runs, change):
            text = "".join(self.run(run) for run in group)
            out.append(f"<{revision}>{text}</{revision}>" if revision else text)
        return "".join(out)

    def run(self, run: ir.Run) -> str:
        if run.footnote is not None:
            number, count = self.notes.reference(run.footnote)
            ref_id = f"fnref-{number}" + (f"-{count}" if count > 1 else "")
            return (
                f'<sup class="footnote-ref"><a href="#fn-{number}" id="{ref_id}">{number}</a></sup>'
            )
        text = _e(run.text).replace("\t", " ").replace("\n", "<br>")
        if run.italic:
            text = f"<em>{text}</em>"
        if run.bold:
            text = f"<strong>{text}</strong>"
        if run.lang:
            text = f'<span lang="{_e(run.lang)}" class="untranslated">{text}</span>'
        return text

    def comments(self, para: ir.Paragraph) -> list[str]:
        return [
            f'<aside class="comment"><p><strong>{_e(c.author)}</strong>, '
            f'<time datetime="{_e(c.date)}">{_e(c.date)}</time></p>'
            + "".join(f"<p>{_e(line)}</p>" for line in c.text.split("\n"))
            + "</aside>"
            for c in para.comments
        ]

    def table(self, table: ir.Table) -> list[str]:
        kind = "grid" if table.borders else "layout"
        out = [f'<table class="{kind}">']
        if table.widths:
            total = sum(table.widths) or 1
            out.append("<colgroup>")
            out += [f'<col style="width: {100 * w / total:.1f}%">' for w in table.widths]
            out.append("</colgroup>")
        rows = list(table.rows)
        # A group label merged down its rows: one cell with a rowspan, the others left out.
        spans: dict[tuple[int, int], int] = {}
        for column, first, last in ir.merge_runs(rows):
            spans[first, column] = last - first + 1
            spans.update({(r, column): 0 for r in range(first + 1, last + 1)})
        head = 0
        while head < len(rows) and rows[head].header:
            head += 1
        if head:
            out.append("<thead>")
            out += [self.row(row, i, spans) for i, row in enumerate(rows[:head])]
            out.append("</thead>")
        if rows[head:]:
            out.append("<tbody>")
            out += [self.row(row, i, spans) for i, row in enumerate(rows) if i >= head]
            out.append("</tbody>")
        out.append("</table>")
        return out

    def row(
        self, row: ir.Row, index: int = 0, spans: dict[tuple[int, int], int] | None = None
    ) -> str:
        tag = "th" if row.header else "td"
        cells = []
        column = 0
        for cell in row.cells:
            rowspan = (spans or {}).get((index, column))
            column += max(cell.span, 1)
            if rowspan == 0:
                continue
            attrs = f' colspan="{cell.span}"' if cell.span > 1 else ""
            if rowspan:
                attrs += f' rowspan="{rowspan}"'
            if cell.shaded:
                attrs += ' class="shaded"'
            # a group label is the group's: not struck with a deleted first row
            inner = "".join(self.blocks(cell.blocks, None if cell.merge else row.change))
            cells.append(f"<{tag}{attrs}>{inner}</{tag}>")
        cls = f' class="{row.change}"' if row.change else ""
        return f"<tr{cls}>{''.join(cells)}</tr>"

    def footnotes(self) -> list[str]:
        if not self.notes.order:
            return []
        out = ['<section class="footnotes">', "<hr>", "<ol>"]
        for number, footnote in enumerate(self.notes.order, start=1):
            uses = self.notes.references[footnote.id]
            back = " ".join(
                f'<a href="#fnref-{number}{"" if n == 1 else f"-{n}"}" class="footnote-back" '
                f'aria-label="back to reference">&#8617;</a>'
                for n in range(1, uses + 1)
            )
            text = self.runs([r for r in footnote.runs if r.footnote is None], None)
            out.append(f'<li id="fn-{number}"><p>{text} {back}</p></li>')
        out += ["</ol>", "</section>"]
        return out


def write_html(doc: ir.Document) -> str:
    """`doc` as a standalone HTML5 page."""
    return _Html(doc).page()


# -- Markdown -------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|{}~])")
_MD_START = re.compile(r"^(\d+)([.)])")


def _md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\t", " ").replace("\n", "<br>")


def _md_block_start(text: str) -> str:
    """Escape what would make a paragraph a heading, list, rule or setext underline."""
    match = _MD_START.match(text)
    if match:
        return f"{match.group(1)}\\{match.group(2)}{text[match.end() :]}"
    if text[:1] in ("#", "-", "+", "="):
        return "\\" + text
    return text


def _md_emphasis(text: str, bold: bool, italic: bool) -> str:
    marks = ("**" if bold else "") + ("*" if italic else "")
    core = text.strip()
    if not marks or not core:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{marks}{core}{marks[::-1]}{trail}"


def _critic(text: str, change: ir.Revision) -> str:
    if change == "ins":
        return f"{{++{text}++}}"
    if change == "del":
        return f"{{--{text}--}}"
    return text


class _Markdown:
    def __init__(self, doc: ir.Document) -> None:
        self.doc = doc
        self.notes = _Footnotes(doc.footnotes)

    def document(self) -> str:
        chunks = self.blocks(self.doc.blocks)
        for number, footnote in enumerate(self.notes.order, start=1):
            text = self.runs([r for r in footnote.runs if r.footnote is None], None)
            chunks.append(f"[^{number}]: {text}")
        return "\n\n".join(chunks) + "\n"

    def blocks(self, blocks: Sequence[ir.Block]) -> list[str]:
        chunks: list[str] = []
        items: list[str] = []  # the list being built, one string per item (with its comments)
        for block in blocks:
            if isinstance(block, ir.Paragraph) and block.list_kind is not None:
                indent = "  " * block.level
                marker = "*" if block.list_kind == "bullet" else "-"
                lines = [f"{indent}{marker} {self.content(block)}"]
                lines += [indent + "  " + q for q in self.comments(block)]
                items.append("\n".join(lines))
                continue
            if items:
                chunks.append("\n".join(items))
                items = []
            if isinstance(block, ir.Table):
                chunks.extend(self.table(block))
            else:
                chunks.append(self.paragraph(block))
                comments = self.comments(block)
                if comments:
                    chunks.append("\n".join(comments))
        if items:
            chunks.append("\n".join(items))
        return chunks

    def paragraph(self, para: ir.Paragraph) -> str:
        marker = _MD_HEADINGS.get(para.style)
        text = self.content(para)
        if marker:
            return f"{marker} {text}"
        return _md_block_start(text)

    def content(self, para: ir.Paragraph, change: ir.Revision = None) -> str:
        change = change or para.change
        number = _md_escape(para.number) + " " if para.number else ""
        if para.number and para.number_was is not None:
            number = f"{{--{_md_escape(para.number_was)}--}}{{++{_md_escape(para.number)}++}} "
        if change:  # the whole paragraph: one wrapper, the runs' own revisions don't count
            return _critic(number + "".join(self.run(run) for run in para.runs), change)
        return number + self.runs(para.runs, None)

    def runs(self, runs: Sequence[ir.Run], change: ir.Revision) -> str:
        out = []
        for revision, group in _grouped(runs, change):
            out.append(_critic("".join(self.run(run) for run in group), revision))
        return "".join(out)

    def run(self, run: ir.Run) -> str:
        if run.footnote is not None:
            number, _count = self.notes.reference(run.footnote)
            return f"[^{number}]"
        text = _md_emphasis(_md_escape(run.text), run.bold, run.italic)
        # Left in English in a language edition: a span with its language (pandoc's
        # bracketed span), visible as such where Markdown is read as text.
        return f"[{text}]{{lang={run.lang}}}" if run.lang and text.strip() else text

    def comments(self, para: ir.Paragraph) -> list[str]:
        out: list[str] = []
        for comment in para.comments:
            if out:
                out.append(">")
            lines = comment.text.split("\n")
            head = f"**Comment** ({_md_escape(comment.author)}, {comment.date}):"
            out.append(f"> {head} {_md_escape(lines[0])}".rstrip())
            out += [f"> {_md_escape(line)}".rstrip() for line in lines[1:]]
        return out

    def table(self, table: ir.Table) -> list[str]:
        columns = max((sum(max(c.span, 1) for c in row.cells) for row in table.rows), default=1)
        columns = max(columns, 1)
        rows: list[list[str]] = []
        notes: list[str] = []
        for row in table.rows:
            cells: list[str] = []
            for cell in row.cells:
                parts = []
                for para in cell.blocks:
                    text = self.content(para, None if cell.merge else row.change)
                    if para.list_kind is not None:
                        text = ("• " if para.list_kind == "bullet" else "– ") + text
                    parts.append(text)
                    notes.extend(self.comments(para))
                cells.append("<br>".join(parts))
                cells += [""] * (max(cell.span, 1) - 1)
            rows.append(cells + [""] * (columns - len(cells)))
        header = rows[0] if table.rows and table.rows[0].header else [""] * columns
        body = rows[1:] if table.rows and table.rows[0].header else rows

        def line(cells: list[str]) -> str:
            return "| " + " | ".join(cells) + " |"

        out = ["\n".join([line(header), line(["---"] * columns), *(line(r) for r in body)])]
        if notes:
            out.append("\n".join(notes))
        return out


def write_markdown(doc: ir.Document) -> str:
    """`doc` as Markdown (GFM tables and footnotes, CriticMarkup revisions)."""
    return _Markdown(doc).document()
