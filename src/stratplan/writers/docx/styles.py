"""Word styles: a Times New Roman 11 pt body, Word's built-in Title / Heading 1-3 / caption
(with outline levels, for the navigation pane) and named styles for the other IR styles.

The styles are defined here, in code, on python-docx's default template: each definition
replaces the template's style of the same id, so nothing of the template's blue theme fonts
survives. Built-in styles keep the names Word itself writes in styles.xml ("heading 1",
"footnote text", ...), so Word recognises them as its own.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from lxml import etree

from stratplan.formats import RIGHT_TO_LEFT, primary_language

from .xml import W_NS, w

FONT = "Times New Roman"
BODY_SIZE = 22  # half-points: 11 pt
TEXT_WIDTH = 11906 - 2 * 1134  # A4 width minus the left and right margins, in twips

# IR paragraph style -> Word style id.
PARAGRAPH_STYLES: dict[str, str] = {
    "title": "Title",
    "annex": "AnnexTitle",
    "heading1": "Heading1",
    "heading2": "Heading2",
    "heading3": "Heading3",
    "body": "Normal",
    "numbered": "NumberedParagraph",
    "list": "ListItem",
    "alternative": "Alternative",
    "note": "Note",
    "caption": "Caption",
    "cover": "Cover",
    "cover-heading": "CoverHeading",
    "table-text": "TableText",
    "table-heading": "TableHeading",
    "footnote": "FootnoteText",
}

# Word wants a region on w:lang; ITU documents are written in these.
_LANGUAGES = {
    "en": "en-GB",
    "fr": "fr-FR",
    "es": "es-ES",
    "ru": "ru-RU",
    "ar": "ar-SA",
    "zh": "zh-CN",
}

HANGING = 567  # 1 cm: the tab after a paragraph number

# The fonts a language edition needs for its script, beside Times New Roman for Latin text:
# Arabic's complex-script font (Debian: fonts-hosny-amiri) and Chinese's East Asian font
# (fonts-noto-cjk). Times New Roman's stand-in, Liberation Serif, has neither script.
COMPLEX_SCRIPT_FONTS = {"ar": "Amiri"}
EAST_ASIAN_FONTS = {"zh": "Noto Serif CJK SC"}


@dataclass(frozen=True)
class Script:
    """How the runs of a language edition are marked: w:lang on every run (in w:bidi for a
    right-to-left language, w:eastAsia for an East Asian one), w:rtl on right-to-left text."""

    language: str  # the primary language: ar, zh, fr ...
    tag: str  # Word's tag, with a region: ar-SA

    @property
    def rtl(self) -> bool:
        return self.language in RIGHT_TO_LEFT

    def lang_attributes(self) -> dict[str, str]:
        attributes = {"val": self.tag}
        if self.rtl:
            attributes["bidi"] = self.tag
        if self.language in EAST_ASIAN_FONTS:
            attributes["eastAsia"] = self.tag
        return attributes


def script_of(language: str) -> Script | None:
    """The script marks of a document in `language`; None for English, whose runs take the
    document's language from its defaults."""
    primary = primary_language(language)
    if primary in ("", "en"):
        return None
    return Script(primary, word_language(language))


@dataclass(frozen=True)
class StyleSpec:
    style_id: str
    name: str
    ppr: str = ""  # w:pPr children, in schema order
    rpr: str = ""  # w:rPr children, in schema order
    kind: str = "paragraph"
    based_on: str | None = "Normal"
    next: str | None = None
    builtin_ui: bool = False  # shown in Word's style gallery (w:qFormat)
    extra: str = ""  # e.g. w:tblPr of a table style


def _size(half_points: int) -> str:
    return f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'


_BOLD = "<w:b/><w:bCs/>"
_ITALIC = "<w:i/><w:iCs/>"
_FONTS = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
_KEEP = "<w:keepNext/><w:keepLines/>"


def _tab(pos: int = HANGING) -> str:
    return f'<w:tabs><w:tab w:val="left" w:pos="{pos}"/></w:tabs>'


def _ind(left: int = HANGING, hanging: int = HANGING) -> str:
    return f'<w:ind w:left="{left}" w:hanging="{hanging}"/>'


def _spacing(before: int, after: int = 0) -> str:
    return f'<w:spacing w:before="{before}" w:after="{after}"/>'


def _borders(val: str) -> str:
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    return "".join(
        f'<w:{side} w:val="{val}" w:sz="4" w:space="0" w:color="auto"/>' for side in sides
    )


_CELL_MARGINS = (
    '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
    '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
)

STYLES: tuple[StyleSpec, ...] = (
    StyleSpec(
        "Normal",
        "Normal",
        ppr=_spacing(120),
        rpr=_FONTS + _size(BODY_SIZE),
        based_on=None,
        builtin_ui=True,
    ),
    StyleSpec(
        "Title",
        "Title",
        ppr=_KEEP + _spacing(240, 240) + '<w:jc w:val="center"/>',
        rpr=_BOLD + _size(28),
        next="Normal",
        builtin_ui=True,
    ),
    StyleSpec(
        "Heading1",
        "heading 1",
        ppr=_KEEP + _tab() + _spacing(280) + '<w:outlineLvl w:val="0"/>',
        rpr=_BOLD + _size(24),
        next="Normal",
        builtin_ui=True,
    ),
    StyleSpec(
        "Heading2",
        "heading 2",
        ppr=_KEEP + _tab() + _spacing(200) + '<w:outlineLvl w:val="1"/>',
        rpr=_BOLD + _size(BODY_SIZE),
        next="Normal",
        builtin_ui=True,
    ),
    StyleSpec(
        "Heading3",
        "heading 3",
        ppr=_KEEP + _tab() + _spacing(160) + '<w:outlineLvl w:val="2"/>',
        rpr=_BOLD + _ITALIC + _size(BODY_SIZE),
        next="Normal",
        builtin_ui=True,
    ),
    StyleSpec(
        "AnnexTitle",
        "Annex Title",
        ppr=_KEEP + _spacing(480, 120) + '<w:jc w:val="center"/><w:outlineLvl w:val="0"/>',
        rpr="<w:caps/>" + _size(28),
        next="Normal",
        builtin_ui=True,
    ),
    StyleSpec(
        "NumberedParagraph",
        "Numbered Paragraph",
        ppr=_tab() + _ind(),
    ),
    StyleSpec(
        "ListItem",
        "List Item",
        ppr=_tab() + _spacing(80) + _ind(),
    ),
    StyleSpec(
        "Alternative",
        "Alternative",
        ppr=_spacing(80) + _ind(HANGING, 0),
    ),
    StyleSpec("Note", "Note", ppr=_spacing(80), rpr=_size(20)),
    StyleSpec(
        "Caption",
        "caption",
        ppr=_KEEP + _spacing(240, 120) + '<w:jc w:val="center"/>',
        rpr=_BOLD + _size(BODY_SIZE),
        next="Normal",
        builtin_ui=True,
    ),
    StyleSpec("Cover", "Cover", ppr=_spacing(60)),
    StyleSpec("CoverHeading", "Cover Heading", rpr=_BOLD, based_on="Cover", next="Cover"),
    StyleSpec("TableText", "Table Text", ppr=_spacing(40, 40), rpr=_size(20)),
    StyleSpec(
        "TableHeading",
        "Table Heading",
        ppr=_KEEP + '<w:jc w:val="center"/>',
        rpr=_BOLD,
        based_on="TableText",
    ),
    StyleSpec(
        "FootnoteText",
        "footnote text",
        ppr=_tab(255) + _spacing(60) + _ind(255, 255),
        rpr=_size(20),
    ),
    StyleSpec(
        "FootnoteReference",
        "footnote reference",
        rpr='<w:vertAlign w:val="superscript"/>',
        kind="character",
        based_on="DefaultParagraphFont",
    ),
    StyleSpec("CommentText", "annotation text", rpr=_size(20)),
    StyleSpec(
        "CommentReference",
        "annotation reference",
        rpr=_size(16),
        kind="character",
        based_on="DefaultParagraphFont",
    ),
    StyleSpec(
        "Footer",
        "footer",
        ppr=(f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>' + _spacing(0)),
        rpr=_size(18),
    ),
    StyleSpec(
        "TableGrid",
        "Table Grid",
        kind="table",
        based_on="TableNormal",
        ppr=_spacing(0),
        extra=(
            f'<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>{_borders("single")}'
            f"</w:tblBorders>{_CELL_MARGINS}</w:tblPr>"
        ),
    ),
)



_SIZE = re.compile(r'<w:sz w:val="(\d+)"/>')


@functools.cache
def style_font(style_id: str) -> tuple[int, bool]:
    """The font size (half-points) and boldness a paragraph style gives, through `based_on`."""
    specs = {spec.style_id: spec for spec in STYLES}
    size: int | None = None
    bold: bool | None = None
    spec = specs.get(style_id)
    while spec is not None and (size is None or bold is None):
        if size is None and (found := _SIZE.search(spec.rpr)):
            size = int(found.group(1))
        if bold is None and "<w:b/>" in spec.rpr:
            bold = True
        spec = specs.get(spec.based_on) if spec.based_on else None
    return (size or BODY_SIZE, bool(bold))


def word_language(language: str) -> str:
    return _LANGUAGES.get(language.lower(), language) if "-" not in language else language


def style_element(spec: StyleSpec) -> etree._Element:
    parts = [f'<w:name w:val="{spec.name}"/>']
    if spec.based_on:
        parts.append(f'<w:basedOn w:val="{spec.based_on}"/>')
    if spec.next:
        parts.append(f'<w:next w:val="{spec.next}"/>')
    if spec.builtin_ui:
        parts.append("<w:qFormat/>")
    if spec.ppr:
        parts.append(f"<w:pPr>{spec.ppr}</w:pPr>")
    if spec.rpr:
        parts.append(f"<w:rPr>{spec.rpr}</w:rPr>")
    parts.append(spec.extra)
    default = ' w:default="1"' if spec.style_id == "Normal" else ""
    xml = (
        f'<w:style xmlns:w="{W_NS}" w:type="{spec.kind}"{default} '
        f'w:styleId="{spec.style_id}">{"".join(parts)}</w:style>'
    )
    return etree.fromstring(xml)


def apply_styles(styles: etree._Element, language: str) -> None:
    """Rewrite the document defaults and define every style the writers use, in place on
    the styles part's root element; a language edition's script fonts in every w:rFonts."""
    _document_defaults(styles, word_language(language))
    existing = {s.get(w("styleId")): s for s in styles.iterfind(w("style"))}
    for spec in STYLES:
        new = style_element(spec)
        old = existing.get(spec.style_id)
        if old is not None:
            old.getparent().replace(old, new)
        else:
            styles.append(new)
    primary = primary_language(language)
    for fonts in styles.iter(w("rFonts")):
        if primary in COMPLEX_SCRIPT_FONTS:
            fonts.set(w("cs"), COMPLEX_SCRIPT_FONTS[primary])
        if primary in EAST_ASIAN_FONTS:
            fonts.set(w("eastAsia"), EAST_ASIAN_FONTS[primary])
    if primary in EAST_ASIAN_FONTS:
        for lang in styles.iter(w("lang")):
            lang.set(w("eastAsia"), word_language(language))


def _document_defaults(styles: etree._Element, lang: str) -> None:
    defaults = styles.find(w("docDefaults"))
    if defaults is not None:
        styles.remove(defaults)
    xml = (
        f'<w:docDefaults xmlns:w="{W_NS}"><w:rPrDefault><w:rPr>{_FONTS}{_size(BODY_SIZE)}'
        '<w:lang w:val="" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    element = etree.fromstring(xml)
    element.find(f"{w('rPrDefault')}/{w('rPr')}/{w('lang')}").set(w("val"), lang)
    styles.insert(0, element)
