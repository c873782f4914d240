"""The Word writer: document IR in, .docx bytes out.

It knows nothing of plans, only the IR (`stratplan.ir`). The work is split by job:

- `styles`: the built-in Word styles, defined in code on python-docx's default template;
- `house`: the house style in use, built in or taken from a reference document;
- `body` / `runs`: paragraphs, tables and runs as lxml elements, in one pass;
- `revisions`: w:ins / w:del with unique, deterministic ids;
- `numbering`, `parts`: numbering, footnotes, comments, settings, footer, properties;
- `reproducible`: the zip rewritten so the same IR always gives the same bytes.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable

import docx
from lxml import etree

from stratplan import ir

from . import parts
from .body import BodyWriter
from .house import BUILT_IN, adopt_reference, has_footer, open_reference
from .reference import ReferenceDocxError, clean_reference
from .reproducible import normalise_zip
from .revisions import Revisions
from .styles import apply_styles
from .xml import NSMAP, R_NS, el, iso_date, sub, w3c_datetime

__all__ = ["ReferenceDocxError", "clean_reference", "write_docx"]

# A4 with ITU margins, in twips.
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838
MARGIN_SIDE, MARGIN_TOP = 1134, 1418


def write_docx(doc: ir.Document, reference: bytes | None = None) -> bytes:
    """The .docx file for `doc`, byte-identical for the same IR (and reference document)
    whatever the clock says. With `reference` (a .docx, as pandoc's --reference-doc), its
    styles, page setup, header and footer are the document's (ReferenceDocxError when it
    cannot be used); else the built-in house style."""
    day = iso_date(doc.date, "Document.date")
    revision_day = (
        iso_date(doc.revision_date, "Document.revision_date") if doc.revision_date else day
    )
    if reference is not None:
        document = open_reference(reference)
        house, sect_pr = adopt_reference(document)
    else:
        document = docx.Document()  # python-docx's default template
        house, sect_pr = BUILT_IN, None
    main = document.part

    # Footnotes take ids 1..k (one per reference); comments count on from there, in document
    # order, and revisions after them. LibreOffice (7.4) shows a footnote's text in place of
    # another when a comment's id equals the footnote's, so the ranges never meet.
    paragraphs = ir.iter_paragraphs(doc.blocks)
    first_comment_id = sum(1 for p in paragraphs for r in p.runs if r.footnote is not None) + 1
    comment_count = sum(len(p.comments) for p in paragraphs)
    del paragraphs
    revisions = Revisions(
        doc.revision_author, w3c_datetime(revision_day), first_comment_id + comment_count
    )
    writer = BodyWriter(doc, revisions, first_comment_id, house)
    script = writer.script
    if sect_pr is None:
        sect_pr = _section_properties(
            parts.add_footer(main, doc.footer, page_of=doc.page_of, script=script))
    elif not has_footer(sect_pr):  # the reference's page setup, with our page numbers
        footer = el("footerReference", {"type": "default"})
        footer.set(f"{{{R_NS}}}id",
                   parts.add_footer(main, doc.footer, house, doc.page_of, script))
        sect_pr.insert(0, footer)
    if script is not None and script.rtl:
        _right_to_left(sect_pr)
    document_xml = _document_xml(writer.blocks(doc.blocks), sect_pr)
    # python-docx saves this stand-in; the zip gets `document_xml` in its place.
    main._element = el("document", nsmap=NSMAP)
    if reference is None:
        apply_styles(document.styles.element, doc.language)
        parts.set_numbering(main)
    if writer.footnotes:
        parts.add_footnotes(main, writer.footnotes, revisions, house, script)
    if writer.comments:
        parts.add_comments(main, writer.comments, house, script)
    parts.set_settings(main, doc.language, footnotes=bool(writer.footnotes))
    parts.set_core_properties(document.core_properties, doc, day)
    parts.tidy_package(main)
    if writer.keys:
        parts.add_key_table(main, writer.keys, doc.plan)

    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue(), {main.partname.lstrip("/"): document_xml})


def _document_xml(children: Iterable[etree._Element], sect_pr: etree._Element) -> bytes:
    """word/document.xml, serialized one body element at a time: a whole 100x plan never
    sits in memory as one lxml tree (it took 200 MB for 20 MB of XML)."""
    # The declaration and the open tags, as python-docx writes them, and the closing tags.
    head, tail = etree.tostring(_wrapped(el("p")), encoding="UTF-8", standalone=True).split(
        b"<w:p/>"
    )
    inner_start = len(etree.tostring(_wrapped(el("p")), encoding="UTF-8").split(b"<w:p/>")[0])
    out = io.BytesIO()
    out.write(head)
    for child in itertools.chain(children, [sect_pr]):
        # Serialized inside a document root, so the w: and r: prefixes are declared there
        # and not on every paragraph. A new root each time: lxml's remove() grows costly.
        out.write(etree.tostring(_wrapped(child), encoding="UTF-8")[inner_start : -len(tail)])
    out.write(tail)
    return out.getvalue()


def _wrapped(child: etree._Element) -> etree._Element:
    root = el("document", nsmap=NSMAP)
    sub(root, "body").append(child)
    return root


# The section properties that come after w:bidi in the schema's order.
_AFTER_SECTION_BIDI = frozenset({"rtlGutter", "docGrid", "printerSettings", "sectPrChange"})


def _right_to_left(sect: etree._Element) -> None:
    """A right-to-left section: its pages read from right to left (w:bidi), in schema order."""
    if any(etree.QName(c).localname == "bidi" for c in sect):
        return
    bidi = el("bidi")
    for index, child in enumerate(sect):
        if etree.QName(child).localname in _AFTER_SECTION_BIDI:
            sect.insert(index, bidi)
            return
    sect.append(bidi)


def _section_properties(footer_rid: str) -> etree._Element:
    sect = el("sectPr")
    sub(sect, "footerReference", {"type": "default", f"{{{R_NS}}}id": footer_rid})
    sub(sect, "pgSz", {"w": str(PAGE_WIDTH), "h": str(PAGE_HEIGHT)})
    margins = {
        "top": MARGIN_TOP,
        "right": MARGIN_SIDE,
        "bottom": MARGIN_TOP,
        "left": MARGIN_SIDE,
        "header": 567,
        "footer": 567,
        "gutter": 0,
    }
    sub(sect, "pgMar", {k: str(v) for k, v in margins.items()})
    sub(sect, "cols", {"space": "720"})
    return sect
