"""House style: the Word styles, list numbering, page setup, header and footer of the document.

The built-in house style (`styles`: A4, Times New Roman 11 pt, numbered paragraphs with hanging
numbers) is written on python-docx's default template. A reference document (`--reference-docx`,
as pandoc's `--reference-doc`) gives its own instead: the writer starts from that package, so
its styles part, theme, fonts, header and footer parts and page setup (the body's last
`w:sectPr`) are the document's; the styles the IR needs are looked up in it by name (Word's
own names, "heading 1", "footnote text", ...) or id, and only those it lacks are added, from
the built-in definitions, based on its Normal style (so they take its font). Its body, comments,
footnotes and endnotes are dropped, and so is every part only they used.

The package python-docx opens is not the file as given but its house style only, rebuilt by
`reference.clean_reference` (no macros, OLE objects, external links or fields that load
anything; numbering and section references checked first).

`House` is what the body and the parts writers need to know of it: the style id to write for
each built-in style id, the numbering ids of the two lists, and the width of the text.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Mapping
from dataclasses import dataclass, field

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import XmlPart
from docx.parts.document import DocumentPart
from lxml import etree

from stratplan.writers.errors import ReferenceDocxError

from .numbering import NUM_IDS, numbering_element
from .reference import clean_reference
from .styles import STYLES, TEXT_WIDTH, style_element
from .xml import w

__all__ = ["BUILT_IN", "House", "ReferenceDocxError", "adopt_reference", "open_reference"]


@dataclass(frozen=True)
class House:
    style_ids: Mapping[str, str] = field(default_factory=dict)  # built-in id -> document's
    num_ids: Mapping[str, str] = field(default_factory=lambda: dict(NUM_IDS))
    text_width: int = TEXT_WIDTH  # twips between the margins
    normal: str = "Normal"  # the document's default paragraph style

    def style(self, style_id: str) -> str:
        return self.style_ids.get(style_id, style_id)


BUILT_IN = House()

# The document part's relationships a new body still needs; the others (images, hyperlinks,
# charts, custom XML of the reference's body) belonged to the text that is dropped.
_KEPT = {
    RT.STYLES,
    RT.NUMBERING,
    RT.SETTINGS,
    RT.FONT_TABLE,
    RT.THEME,
    RT.WEB_SETTINGS,
    RT.HEADER,
    RT.FOOTER,
}
_DROPPED_PARTS = {RT.FOOTNOTES, RT.ENDNOTES, RT.COMMENTS}


def open_reference(data: bytes) -> docx.document.Document:
    """The reference .docx's house style (see `reference`) opened with python-docx, or
    ReferenceDocxError."""
    clean = clean_reference(data).data
    try:
        document = docx.Document(io.BytesIO(clean))
        document.part.part_related_by(RT.STYLES)
    except Exception as exc:  # python-docx raises many kinds for a file that is not a .docx
        raise ReferenceDocxError(f"not a Word document with styles ({exc})") from None
    return document


def adopt_reference(document: docx.document.Document) -> tuple[House, etree._Element]:
    """Make the opened reference package ready for a new body: its styles completed with the
    ones the IR needs, the two lists added to its numbering, the parts of its old body
    dropped. Returns the house style and a copy of its section properties (page size,
    margins, header and footer references)."""
    main = document.part
    style_ids, normal = _adopt_styles(document.styles.element)
    num_ids = _adopt_numbering(main)
    body = main.element.body
    sections = body.findall(w("sectPr"))
    sect_pr = copy.deepcopy(sections[-1]) if sections else etree.Element(w("sectPr"))
    rels = main.rels
    for r_id in [r for r, rel in rels.items() if rel.reltype not in _KEPT]:
        del rels[r_id]
    return House(style_ids, num_ids, _text_width(sect_pr), normal), sect_pr


def has_footer(sect_pr: etree._Element) -> bool:
    return sect_pr.find(w("footerReference")) is not None


def _text_width(sect_pr: etree._Element) -> int:
    size, margins = sect_pr.find(w("pgSz")), sect_pr.find(w("pgMar"))
    try:
        width = int(size.get(w("w"))) if size is not None else 11906
        left = int(margins.get(w("left"), "1134")) if margins is not None else 1134
        right = int(margins.get(w("right"), "1134")) if margins is not None else 1134
    except (TypeError, ValueError):
        return TEXT_WIDTH
    return width - left - right if width - left - right > 1000 else TEXT_WIDTH


def _adopt_styles(styles: etree._Element) -> tuple[dict[str, str], str]:
    """Built-in style id -> the reference's id for each style the IR needs; styles it lacks
    are added from the built-in definitions. Also returns the id of its default paragraph
    style."""
    by_id: dict[tuple[str, str], str] = {}
    by_name: dict[tuple[str, str], str] = {}
    normal = "Normal"
    for style in styles.iterfind(w("style")):
        kind = style.get(w("type"), "paragraph")
        style_id = style.get(w("styleId"), "")
        name = style.find(w("name"))
        by_id[kind, style_id] = style_id
        if name is not None:
            by_name[kind, (name.get(w("val")) or "").lower()] = style_id
        if kind == "paragraph" and style.get(w("default")) in ("1", "true", "on"):
            normal = style_id
    mapping: dict[str, str] = {"Normal": normal}
    added = []
    for spec in STYLES:
        if spec.style_id == "Normal":
            continue
        found = by_name.get((spec.kind, spec.name.lower())) or by_id.get(
            (spec.kind, spec.style_id)
        )
        if found:
            mapping[spec.style_id] = found
        else:
            added.append(spec)
    for spec in added:
        element = style_element(spec)
        based = element.find(w("basedOn"))
        if based is not None:
            based.set(w("val"), mapping.get(based.get(w("val"), ""), based.get(w("val"), "")))
        nxt = element.find(w("next"))
        if nxt is not None:
            nxt.set(w("val"), mapping.get(nxt.get(w("val"), ""), nxt.get(w("val"), "")))
        styles.append(element)
    return mapping, normal


def _adopt_numbering(main: DocumentPart) -> dict[str, str]:
    """The bullet and dash lists added to the reference's numbering part (made if it has
    none), with ids after its own."""
    ours = numbering_element(font=None)  # the bullets take the text's font
    try:
        part = main.part_related_by(RT.NUMBERING)
    except KeyError:  # `reference.clean_reference` gives every package one
        raise ReferenceDocxError("it has no numbering part") from None
    if not isinstance(part, XmlPart):
        raise ReferenceDocxError("its numbering part is not XML")
    root = part.element
    abstract_ids = [int(a.get(w("abstractNumId"), "0")) for a in root.iterfind(w("abstractNum"))]
    num_ids = [int(n.get(w("numId"), "0")) for n in root.iterfind(w("num"))]
    first_abstract = max(abstract_ids, default=-1) + 1
    first_num = max(num_ids, default=0) + 1
    mapping: dict[str, str] = {}
    abstracts = list(ours.iterfind(w("abstractNum")))
    for offset, abstract in enumerate(abstracts):
        abstract.set(w("abstractNumId"), str(first_abstract + offset))
        before = root.findall(w("abstractNum")) or root.findall(w("numPicBullet"))
        if before:
            before[-1].addnext(abstract)  # CT_Numbering: numPicBullet*, abstractNum*, num*
        else:
            root.insert(0, abstract)
    for offset, (kind, _) in enumerate(sorted(NUM_IDS.items(), key=lambda kv: kv[1])):
        num = etree.SubElement(root, w("num"), {w("numId"): str(first_num + offset)})
        etree.SubElement(num, w("abstractNumId"), {w("val"): str(first_abstract + offset)})
        mapping[kind] = str(first_num + offset)
    cleanup = root.find(w("numIdMacAtCleanup"))
    if cleanup is not None:  # CT_Numbering: it comes last
        root.remove(cleanup)
        root.append(cleanup)
    return mapping

