"""Package parts beyond the body, through python-docx's OPC layer and raw OOXML: footnotes,
comments, numbering, settings, footer, document and extended properties.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.coreprops import CoreProperties
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from lxml import etree

from stratplan import ir

from .bookmarks import KEYS_ITEM_ID, KEYS_NS
from .house import BUILT_IN, House
from .numbering import numbering_element
from .revisions import Revisions, paragraph_mark_props
from .runs import (
    COMMENT_REFERENCE_STYLE,
    FOOTNOTE_REFERENCE_STYLE,
    append_runs,
    append_text,
    mark_language,
    run_element,
)
from .styles import Script, word_language
from .xml import NSMAP, SPACE, el, iso_date, sub, to_bytes, w3c_datetime

APP_NAME = "stratplan"
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_EXTENDED_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_WORDS = re.compile(r"[^\W\d_]+")


def _add_part(
    source: Part, partname: str, content_type: str, root: etree._Element, reltype: str
) -> str:
    """A new XML part related from `source`; returns the relationship id."""
    part = XmlPart(PackURI(partname), content_type, root, source.package)
    return source.relate_to(part, reltype)


def _replace_element(source: Part, reltype: str, root: etree._Element) -> None:
    part = source.part_related_by(reltype)
    if not isinstance(part, XmlPart):
        raise TypeError(f"the template's {reltype} part is not XML")
    part._element = root  # XmlPart serialises _element on save


def _drop_rels(rels: dict[str, object], reltypes: Iterable[str]) -> None:
    wanted = set(reltypes)
    for r_id in [r_id for r_id, rel in rels.items() if rel.reltype in wanted]:  # type: ignore[attr-defined]
        del rels[r_id]


# -- footnotes ------------------------------------------------------------------------------


def _separator(kind: str, footnote_id: str) -> etree._Element:
    note = el("footnote", {"type": kind, "id": footnote_id})
    p = sub(note, "p")
    sub(sub(p, "pPr"), "spacing", {"after": "0", "line": "240", "lineRule": "auto"})
    sub(sub(p, "r"), kind)
    return note


def footnotes_element(
    footnotes: list[tuple[ir.Footnote, ir.Revision]], revisions: Revisions, house: House = BUILT_IN,
    script: Script | None = None,
) -> etree._Element:
    """word/footnotes.xml: the two separators (ids -1 and 0) then footnotes 1..n, each with
    the revision of its reference."""
    root = el("footnotes", nsmap=NSMAP)
    root.append(_separator("separator", "-1"))
    root.append(_separator("continuationSeparator", "0"))
    for number, (footnote, change) in enumerate(footnotes, start=1):
        note = sub(root, "footnote", {"id": str(number)})
        p = sub(note, "p")
        ppr = sub(p, "pPr")
        sub(ppr, "pStyle", {"val": house.style("FootnoteText")})
        if script is not None and script.rtl:
            sub(ppr, "bidi")
        if change is not None:
            revisions.mark(paragraph_mark_props(ppr), change)
        mark = el("r")
        mark_pr = sub(mark, "rPr")
        sub(mark_pr, "rStyle", {"val": house.style(FOOTNOTE_REFERENCE_STYLE)})
        mark_language(mark_pr, script)
        sub(mark, "footnoteRef")
        tab = run_element(ir.Run(""), script=script)
        sub(tab, "tab")
        items = [(mark, change), (tab, change)]
        items += [(run_element(run, script=script), change or run.change)
                  for run in footnote.runs]
        append_runs(p, items, revisions)
    return root


def add_footnotes(
    document_part: Part,
    footnotes: list[tuple[ir.Footnote, ir.Revision]],
    revisions: Revisions,
    house: House = BUILT_IN,
    script: Script | None = None,
) -> None:
    root = footnotes_element(footnotes, revisions, house, script)
    _add_part(document_part, "/word/footnotes.xml", CT.WML_FOOTNOTES, root, RT.FOOTNOTES)


# -- comments -------------------------------------------------------------------------------


MAX_INITIALS = 9  # w:initials, ST_String of at most 9 characters
MAX_PROPERTY = 255  # a core property (dc:title, dc:subject, dc:language) in python-docx


def initials(author: str) -> str:
    """Initials for w:initials: "ITU Secretariat" -> "IS", "Jane Doe" -> "JD"; a single
    upper-case word keeps up to three letters ("BDT")."""
    words: list[str] = _WORDS.findall(author)
    if len(words) == 1:
        return words[0][:3].upper() if words[0].isupper() else words[0][0].upper()
    # The schema allows at most 9 characters (an author of ten words or more).
    return "".join(word[0] for word in words).upper()[:MAX_INITIALS]


def comments_element(
    comments: list[tuple[int, ir.Comment]], house: House = BUILT_IN, script: Script | None = None
) -> etree._Element:
    root = el("comments", nsmap=NSMAP)
    for comment_id, comment in comments:
        day = iso_date(comment.date, f"comment {comment.key!r}")
        attrs = {
            "id": str(comment_id),
            "author": comment.author,
            "date": w3c_datetime(day),
            "initials": initials(comment.author),
        }
        node = sub(root, "comment", attrs)
        for index, line in enumerate(comment.text.split("\n")):
            p = sub(node, "p")
            sub(sub(p, "pPr"), "pStyle", {"val": house.style("CommentText")})
            if index == 0:
                ref = sub(p, "r")
                ref_pr = sub(ref, "rPr")
                sub(ref_pr, "rStyle", {"val": house.style(COMMENT_REFERENCE_STYLE)})
                mark_language(ref_pr, script)
                sub(ref, "annotationRef")
            p.append(run_element(ir.Run(line), script=script))
    return root


def add_comments(
    document_part: Part, comments: list[tuple[int, ir.Comment]], house: House = BUILT_IN,
    script: Script | None = None,
) -> None:
    root = comments_element(comments, house, script)
    _add_part(document_part, "/word/comments.xml", CT.WML_COMMENTS, root, RT.COMMENTS)


# -- footer ---------------------------------------------------------------------------------


def _field(p: etree._Element, instruction: str, placeholder: str) -> None:
    sub(sub(p, "r"), "fldChar", {"fldCharType": "begin"})
    instr = sub(sub(p, "r"), "instrText")
    instr.text = f" {instruction} "
    instr.set(SPACE, "preserve")
    sub(sub(p, "r"), "fldChar", {"fldCharType": "separate"})
    append_text(sub(p, "r"), placeholder)
    sub(sub(p, "r"), "fldChar", {"fldCharType": "end"})


def footer_element(text: str, house: House = BUILT_IN, page_of: str = "of",
                   script: Script | None = None) -> etree._Element:
    """The footer text, a tab to the right margin, then "N of M" (PAGE and NUMPAGES; "of" in
    the document's language)."""
    root = el("ftr", nsmap=NSMAP)
    p = sub(root, "p")
    ppr = sub(p, "pPr")
    sub(ppr, "pStyle", {"val": house.style("Footer")})
    if script is not None and script.rtl:
        sub(ppr, "bidi")
    if text:
        p.append(run_element(ir.Run(text), script=script))
    sub(p, "r").append(el("tab"))
    _field(p, "PAGE", "1")
    p.append(run_element(ir.Run(f" {page_of} "), script=script))
    _field(p, "NUMPAGES", "1")
    return root


def add_footer(document_part: Part, text: str, house: House = BUILT_IN, page_of: str = "of",
               script: Script | None = None) -> str:
    """Our footer ("text", a tab, "N of M"), under a part name the package does not use."""
    taken = {str(p.partname) for p in document_part.package.iter_parts()}
    number = 1
    while f"/word/footer{number}.xml" in taken:
        number += 1
    return _add_part(
        document_part,
        f"/word/footer{number}.xml",
        CT.WML_FOOTER,
        footer_element(text, house, page_of, script),
        RT.FOOTER,
    )


# -- numbering, settings ----------------------------------------------------------------------


def set_numbering(document_part: Part) -> None:
    _replace_element(document_part, RT.NUMBERING, numbering_element())


def settings_element(language: str, footnotes: bool) -> etree._Element:
    root = el("settings", nsmap=NSMAP)
    sub(root, "zoom", {"percent": "100"})
    sub(root, "defaultTabStop", {"val": "567"})
    sub(root, "characterSpacingControl", {"val": "doNotCompress"})
    if footnotes:
        props = sub(root, "footnotePr")
        sub(props, "footnote", {"id": "-1"})
        sub(props, "footnote", {"id": "0"})
    compat = sub(root, "compat")
    mode = {"name": "compatibilityMode", "uri": "http://schemas.microsoft.com/office/word"}
    sub(compat, "compatSetting", {**mode, "val": "15"})
    sub(root, "themeFontLang", {"val": word_language(language)})
    sub(root, "decimalSymbol", {"val": "."})
    sub(root, "listSeparator", {"val": ","})
    return root


def set_settings(document_part: Part, language: str, footnotes: bool) -> None:
    _replace_element(document_part, RT.SETTINGS, settings_element(language, footnotes))


# -- properties, template leftovers -----------------------------------------------------------


def set_core_properties(props: CoreProperties, doc: ir.Document, day: dt.date) -> None:
    """Everything from the IR, nothing from the clock."""
    stamp = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    # The plan model bounds its title and subject; a --template-dir template may still join
    # longer ones, which python-docx refuses: the property is cut, the document keeps it all.
    props.title = doc.title[:MAX_PROPERTY]
    props.subject = doc.subject[:MAX_PROPERTY]
    props.language = doc.language[:MAX_PROPERTY]
    props.author = APP_NAME
    props.last_modified_by = APP_NAME
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.revision = 1
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp


def app_properties_xml() -> bytes:
    root = etree.Element(f"{{{_EXTENDED_NS}}}Properties", nsmap={None: _EXTENDED_NS})
    for name, value in (
        ("Template", "Normal.dotm"),
        ("TotalTime", "0"),
        ("Application", APP_NAME),
        ("DocSecurity", "0"),
        ("ScaleCrop", "false"),
        ("LinksUpToDate", "false"),
        ("SharedDoc", "false"),
        ("HyperlinksChanged", "false"),
    ):
        etree.SubElement(root, f"{{{_EXTENDED_NS}}}{name}").text = value
    return to_bytes(root)


def tidy_package(document_part: Part) -> None:
    """Drop the template's leftovers (thumbnail, bibliography custom XML, Word 2010's
    stylesWithEffects) and replace its extended properties ("Microsoft Macintosh Word")."""
    package = document_part.package
    try:
        app = package.part_related_by(RT.EXTENDED_PROPERTIES)
        name, content_type = app.partname, app.content_type
    except KeyError:  # a reference document without docProps/app.xml
        name, content_type = PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES
    _drop_rels(package.rels, [RT.THUMBNAIL, RT.EXTENDED_PROPERTIES])
    new_app = Part(name, content_type, app_properties_xml(), package)
    package.relate_to(new_app, RT.EXTENDED_PROPERTIES)
    _drop_rels(document_part.rels, [RT.CUSTOM_XML, _STYLES_WITH_EFFECTS])


# -- the key table ------------------------------------------------------------------------------


def add_key_table(document_part: Part, keys: dict[str, str], plan: str) -> None:
    """customXml/item1.xml: every bookmark name with the IR key it carries, and the plan the
    document renders (`keys`), with its item properties part, as Word keeps its data store."""
    root = etree.Element(f"{{{KEYS_NS}}}keys", nsmap={"sp": KEYS_NS})
    root.set("version", "1")
    if plan:
        root.set("plan", plan)
    for name, key in keys.items():
        entry = etree.SubElement(root, f"{{{KEYS_NS}}}k", {"b": name})
        entry.text = key
    item = Part(PackURI("/customXml/item1.xml"), "application/xml", to_bytes(root),
                document_part.package)
    ds = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
    props_root = etree.Element(f"{{{ds}}}datastoreItem", nsmap={"ds": ds})
    props_root.set(f"{{{ds}}}itemID", KEYS_ITEM_ID)
    refs = etree.SubElement(props_root, f"{{{ds}}}schemaRefs")
    etree.SubElement(refs, f"{{{ds}}}schemaRef").set(f"{{{ds}}}uri", KEYS_NS)
    props = Part(PackURI("/customXml/itemProps1.xml"), CT.OFC_CUSTOM_XML_PROPERTIES,
                 to_bytes(props_root), document_part.package)
    item.relate_to(props, RT.CUSTOM_XML_PROPS)
    document_part.relate_to(item, RT.CUSTOM_XML)
