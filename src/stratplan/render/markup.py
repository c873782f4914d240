"""Parse the templates' document markup into the IR, computing section and paragraph numbers.

The markup is a small XML vocabulary, written by templates (autoescaped, so plan text can never
become markup):

    <doc numbering="global|section|none" tables="global|section" caption-separator=". "
         title=".." subject=".." date=".." footer="..">
      <h level="1" key="s:overview" number="auto|none|A">Title
        <comment author=".." date="..">..</comment></h>
      <p style="numbered" key=".." number="auto" level="0">Text <fn id="x"/> <b>bold</b>
        <value of="targets/x/deadline">2030</value></p>
      <p style="caption" number="table">Strategic risks</p>   (Table 2. Strategic risks)
      <p style="list" list="bullet|dash" level="1">..</p>
      <p style="alternative" tracked="yes" author="CWG-SFP Chair">[CWG-SFP Chair] ..</p>
      <table key=".." widths="20,30,50" borders="no">
        <tr key=".." header="yes"><td span="2" shaded="yes"><p style="table-text">..</p></td></tr>
        <tr key=".."><td merge="goal:x"><p>Label</p></td>..</tr><tr><td merge="goal:x"/>..</tr>
      </table>
      <break/>
      <footnote id="x">Footnote text</footnote>
    </doc>

`<value of="ADDRESS ...">` marks text the template derives from plan fields (named as a
contribution addresses them): `stratplan import` turns an edit of it into changes of those fields.
"""

from __future__ import annotations

import re
import string
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace

from stratplan import keys
from stratplan.diagnostics import Diagnostic, Severity, StratplanError
from stratplan.ir import (
    STYLES,
    UNTRANSLATED_END,
    UNTRANSLATED_START,
    Block,
    Cell,
    Comment,
    Document,
    Footnote,
    Paragraph,
    Row,
    Run,
    Table,
)


class MarkupError(StratplanError):
    """The templates produced markup the parser does not accept (a template bug, SP020): at
    `element`, or at `position` (line, 0-based column) of malformed markup, where known."""

    def __init__(
        self,
        message: str,
        element: ET.Element | None = None,
        position: tuple[int, int] | None = None,
    ) -> None:
        super().__init__([Diagnostic("SP020", Severity.ERROR, message)])
        self.message = message
        self.element = element
        self.position = position


def _int(element: ET.Element, name: str, default: int, low: int = 0, high: int = 10**6) -> int:
    """An integer attribute, within [low, high]; MarkupError at the element otherwise."""
    text = element.get(name)
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        raise MarkupError(f'<{element.tag} {name}="{text}">: not a number', element) from None
    if not low <= value <= high:
        raise MarkupError(
            f'<{element.tag} {name}="{text}">: not between {low} and {high}', element
        )
    return value


def _choice(element: ET.Element, name: str, allowed: tuple[str, ...]) -> str | None:
    value = element.get(name)
    if value is not None and value not in allowed:
        raise MarkupError(
            f'<{element.tag} {name}="{value}">: one of {", ".join(allowed)}', element
        )
    return value


def _runs(element: ET.Element, bold: bool = False, italic: bool = False) -> list[Run]:
    runs: list[Run] = []
    if element.text:
        runs.append(Run(element.text, bold=bold, italic=italic))
    for child in element:
        if child.tag == "fn":
            runs.append(Run("", footnote=child.get("id", "")))
        elif child.tag in ("b", "i"):
            runs += _runs(child, bold or child.tag == "b", italic or child.tag == "i")
        elif child.tag == "value":
            if len(child):
                raise MarkupError("<value> holds text only")
            runs.append(Run(child.text or "", bold=bold, italic=italic,
                            shows=tuple(child.get("of", "").split())))
        elif child.tag == "comment":
            pass
        else:
            raise MarkupError(f"<{child.tag}> is not allowed inside a paragraph", child)
        if child.tail:
            runs.append(Run(child.tail, bold=bold, italic=italic))
    return runs


_MARKS = str.maketrans("", "", UNTRANSLATED_START + UNTRANSLATED_END)
_MARKED = re.compile(f"([{UNTRANSLATED_START}{UNTRANSLATED_END}])")


def unmarked(text: str) -> str:
    """Text without the marks of untranslated English (for a property, a comment)."""
    return text.translate(_MARKS)


def _languages(runs: list[Run]) -> list[Run]:
    """The runs with the text between the marks of untranslated English (an edition's text
    left in English, `ir.UNTRANSLATED_START` ... `END`) as runs of `lang` "en"; the marks
    dropped. A mark left open ends with the paragraph."""
    if not any(UNTRANSLATED_START in r.text or UNTRANSLATED_END in r.text for r in runs):
        return runs
    out: list[Run] = []
    english = False
    for run in runs:
        if run.footnote is not None:
            out.append(replace(run, lang="en" if english else run.lang))
            continue
        for piece in _MARKED.split(run.text):
            if piece == UNTRANSLATED_START:
                english = True
            elif piece == UNTRANSLATED_END:
                english = False
            elif piece:
                out.append(replace(run, text=piece, lang="en" if english else run.lang))
    return out


def _trim(runs: list[Run]) -> tuple[Run, ...]:
    """Drop whitespace the template layout put around a paragraph's text; merge like runs."""
    merged: list[Run] = []
    for run in _languages(runs):
        if (
            merged
            and run.footnote is None
            and merged[-1].footnote is None
            and not run.shows
            and not merged[-1].shows
            and (merged[-1].bold, merged[-1].italic, merged[-1].lang)
            == (run.bold, run.italic, run.lang)
        ):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic, lang=run.lang)
        else:
            merged.append(run)
    if merged and merged[0].footnote is None:
        merged[0] = replace(merged[0], text=merged[0].text.lstrip())
    if merged and merged[-1].footnote is None:
        merged[-1] = replace(merged[-1], text=merged[-1].text.rstrip())
    return tuple(r for r in merged if r.text or r.footnote is not None)


@dataclass
class _State:
    numbering: str
    date: str
    counters: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    labels: list[str] = field(default_factory=lambda: ["", "", "", ""])
    heading_key: str = "doc"
    heading_number: str = ""
    paragraph_count: int = 0  # global, or within the current heading (section numbering)
    last_number: str = ""
    sub_count: int = 0
    positional: dict[str, int] = field(default_factory=dict)
    page_break: bool = False
    comment_count: int = 0
    tables: str = "global"  # caption numbers: Table 1, 2 ... or Table 4.1, 4.2 by top section
    caption_separator: str = ". "
    table_word: str = "Table"  # in the document's language
    table_count: int = 0
    table_section: str = ""  # the top-level section the count runs in ("section" numbering)
    # The number of the current top-level section for its tables; under an unnumbered one
    # (2012-2015's "PART II"), the number the next section would take (seed: Table 8.1).
    top_section: str = ""

    def caption_label(self) -> str:
        """The next caption's label: "Table 2. " or "Table 4.1 - "."""
        section = self.top_section if self.tables == "section" else ""
        if section != self.table_section:
            self.table_section, self.table_count = section, 0
        self.table_count += 1
        number = f"{section}.{self.table_count}" if section else str(self.table_count)
        return f"{self.table_word} {number}{self.caption_separator}"

    def positional_key(self, prefix: str) -> str:
        self.positional[self.heading_key] = self.positional.get(self.heading_key, 0) + 1
        return keys.positional(self.heading_key, f"{prefix}{self.positional[self.heading_key]}")


def _comments(element: ET.Element, state: _State, owner: str) -> tuple[Comment, ...]:
    out: list[Comment] = []
    for child in element.findall("comment"):
        state.comment_count += 1
        out.append(
            Comment(
                key=keys.sub(owner, f"comment{len(out) + 1}"),
                author=child.get("author", ""),
                date=child.get("date") or state.date,
                text=unmarked("".join(child.itertext())).strip(),
            )
        )
    return tuple(out)


def _heading(element: ET.Element, state: _State) -> Paragraph:
    level = _int(element, "level", 1, 1, 3)
    number_attr = element.get("number", "auto")
    key = element.get("key") or state.positional_key("h")
    number = ""
    if number_attr == "auto":
        state.counters[level - 1] += 1
        for deeper in range(level, len(state.counters)):
            state.counters[deeper] = 0
            state.labels[deeper] = ""
        own = str(state.counters[level - 1])
        if element.get("numbering") == "letter":
            own = string.ascii_uppercase[(state.counters[level - 1] - 1) % 26]
            state.labels[level - 1] = own
            number = own
        else:
            state.labels[level - 1] = own
            parents = [label for label in state.labels[: level - 1] if label]
            number = ".".join([*parents, own]) if parents and not parents[-1].isalpha() else own
            if parents and parents[-1].isalpha():
                number = own
    elif number_attr != "none":
        number = number_attr
    state.heading_key = key
    state.heading_number = number
    if level == 1:
        state.top_section = number or str(state.counters[0] + 1)
    if state.numbering == "section":
        state.paragraph_count = 0
    runs = _trim(_runs(element))
    break_before, state.page_break = state.page_break, False
    return Paragraph(
        key=key,
        style=f"heading{level}",
        runs=runs,
        number=number,
        comments=_comments(element, state, key),
        page_break_before=break_before,
    )


def _paragraph(element: ET.Element, state: _State, in_table: bool = False) -> Paragraph:
    style = element.get("style", "table-text" if in_table else "body")
    if style not in STYLES:
        raise MarkupError(f"unknown paragraph style {style!r}", element)
    key = element.get("key") or state.positional_key("p")
    level = _int(element, "level", 0, 0, 8)
    number_attr = element.get("number", "")
    number = ""
    if number_attr == "auto" and state.numbering != "none":
        if level == 0:
            state.paragraph_count += 1
            state.sub_count = 0
            if state.numbering == "global":
                number = str(state.paragraph_count)
            else:
                prefix = state.heading_number
                number = (
                    f"{prefix}.{state.paragraph_count}" if prefix else str(state.paragraph_count)
                )
            state.last_number = number
        else:
            state.sub_count += 1
            number = f"{state.last_number}.{state.sub_count}"
    elif number_attr not in ("", "auto", "table"):
        number = number_attr
    runs = _trim(_runs(element))
    if number_attr == "table":  # a caption: its label leads the text (no tab after it)
        runs = _trim([Run(state.caption_label()), *runs])
    list_kind = _choice(element, "list", ("bullet", "dash"))
    align = _choice(element, "align", ("left", "center", "right"))
    break_before, state.page_break = state.page_break, False
    return Paragraph(
        key=key,
        style=style,
        runs=runs,
        number=number,
        list_kind=list_kind,  # type: ignore[arg-type]
        level=level,
        align=align,  # type: ignore[arg-type]
        comments=_comments(element, state, key),
        page_break_before=break_before,
        author=element.get("author") or None,
        tracked=element.get("tracked") == "yes",
    )


def _table(element: ET.Element, state: _State) -> Table:
    key = element.get("key") or state.positional_key("t")
    rows = []
    for n, tr in enumerate(element.findall("tr"), start=1):
        cells = []
        if not tr.findall("td"):
            raise MarkupError("a <tr> needs at least one <td>", tr)
        for td in tr.findall("td"):
            blocks = tuple(_paragraph(p, state, in_table=True) for p in td.findall("p"))
            if not blocks and (td.text or "").strip():
                blocks = (_paragraph(td, state, in_table=True),)
            cells.append(
                Cell(
                    blocks=blocks,
                    span=_int(td, "span", 1, 1, 63),
                    shaded=td.get("shaded") == "yes",
                    merge=td.get("merge", ""),
                )
            )
        rows.append(
            Row(
                key=tr.get("key") or keys.sub(key, f"row{n}"),
                cells=tuple(cells),
                header=tr.get("header") == "yes",
            )
        )
    if not rows:
        raise MarkupError("a <table> needs at least one <tr>", element)
    widths = tuple(_width(element, w) for w in element.get("widths", "").split(",") if w.strip())
    return Table(key=key, rows=tuple(rows), widths=widths, borders=element.get("borders") != "no")


def _width(element: ET.Element, text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 < value <= 1000:
        raise MarkupError(f'<table widths="{element.get("widths")}">: {text!r} is not a '
                          "width (a positive number)", element)
    return value


def parse_markup(text: str) -> Document:
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise MarkupError("document type declarations are not allowed in the markup")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line, column = exc.position
        problem = re.sub(r": line \d+, column \d+$", "", str(exc))
        raise MarkupError(
            f"the templates produced malformed markup: {problem} (markup line {line}, column "
            f"{column + 1})",
            position=exc.position,
        ) from None
    return markup_document(root)


def markup_document(root: ET.Element) -> Document:
    """The IR of parsed markup; MarkupError, at the element, for markup it does not accept."""
    if root.tag != "doc":
        raise MarkupError("the markup must have a <doc> root", root)
    state = _State(
        numbering=root.get("numbering", "none"),
        date=root.get("date", ""),
        tables=root.get("tables", "global"),
        caption_separator=root.get("caption-separator", ". "),
        table_word=root.get("caption-label", "Table"),
    )
    blocks: list[Block] = []
    footnotes: list[Footnote] = []
    for element in root:
        if element.tag == "h":
            blocks.append(_heading(element, state))
        elif element.tag == "p":
            blocks.append(_paragraph(element, state))
        elif element.tag == "table":
            blocks.append(_table(element, state))
        elif element.tag == "break":
            state.page_break = True
        elif element.tag == "footnote":
            footnotes.append(Footnote(element.get("id", ""), _trim(_runs(element))))
        else:
            raise MarkupError(f"<{element.tag}> is not allowed at the top level", element)
    defined: set[str] = set()
    for element in root.findall("footnote"):
        if element.get("id", "") in defined:
            raise MarkupError(f'<footnote id="{element.get("id", "")}"> twice', element)
        defined.add(element.get("id", ""))
    for fn in root.iter("fn"):
        if fn.get("id", "") not in defined:
            raise MarkupError(f'<fn id="{fn.get("id", "")}"> names no <footnote>', fn)
    return Document(
        title=unmarked(root.get("title", "")),
        subject=unmarked(root.get("subject", "")),
        date=state.date,
        language=root.get("language", "en"),
        blocks=tuple(blocks),
        footnotes=tuple(footnotes),
        footer=unmarked(root.get("footer", "")),
        plan=root.get("plan", ""),
        page_of=root.get("page-word", "of"),
    )
