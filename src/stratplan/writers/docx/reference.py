"""A reference document (`--reference-docx`) taken as untrusted input: only its house style.

A template comes from outside (a Secretariat's .docx, a .docm, anything with a Word
extension), and the document built on it is opened by Word and converted by LibreOffice. So
the package is rebuilt from what a house style needs, and nothing else passes:

- parts: the styles, numbering, theme and font table, the header and footer parts the last
  section names, and the images those parts embed in the package; the settings part is kept
  empty (the writer writes its own). Everything else is left behind: the body and whatever
  only it used (comments, notes, images, custom XML, the glossary), and, each with a warning
  that names it, macros (`vbaProject`), OLE objects, ActiveX controls and every external
  relationship (`TargetMode="External"`: a linked image, an attached template, a hyperlink);
- inside the kept parts: fields that load a file or a URL, or that are not among those a
  header or footer shows (page numbers, dates, document properties...) lose their code and
  keep their shown text; OLE objects, ActiveX controls, embedded fonts, alternative chunks and
  sub-documents are removed; a hyperlink keeps its text; a picture whose image is not in the
  package (linked, or named by a relationship that is gone) is removed. Each is a warning.

Dropping, not refusing: a template saved by Word commonly carries a hyperlink in its footer or
an attached template, and the house style is the same without them. What would make the
written document unreadable is refused instead (`ReferenceDocxError`, SP031): a package that is
not a readable zip (see `stratplan.source.archive`), a part that is not well-formed XML or has
a DOCTYPE (entities), numbering ids that are not whole numbers, a header or footer reference to
a relationship the package does not have.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from stratplan.source.archive import ArchiveError, Package
from stratplan.writers.errors import ReferenceDocxError

from .xml import R_NS, W_NS

__all__ = ["CleanReference", "ReferenceDocxError", "clean_reference"]

_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_V_NS = "urn:schemas-microsoft-com:vml"
_O_NS = "urn:schemas-microsoft-com:office:office"




# The parts of a house style, by relationship type (its last segment, so the transitional and
# the strict namespaces both match): canonical name, content type, relationship type.
_STYLE_PARTS: dict[str, tuple[str, str, str]] = {
    "styles": ("word/styles.xml", CT.WML_STYLES, RT.STYLES),
    "numbering": ("word/numbering.xml", CT.WML_NUMBERING, RT.NUMBERING),
    "settings": ("word/settings.xml", CT.WML_SETTINGS, RT.SETTINGS),
    "fontTable": ("word/fontTable.xml", CT.WML_FONT_TABLE, RT.FONT_TABLE),
    "theme": ("word/theme/theme1.xml", CT.OFC_THEME, RT.THEME),
}
_HEADER_FOOTER = {"header": (CT.WML_HEADER, RT.HEADER), "footer": (CT.WML_FOOTER, RT.FOOTER)}
# Relationships worth a warning when they are left behind: what runs or loads something.
_NOTABLE = {
    "vbaProject": "macros",
    "wordVbaData": "macro data",
    "keyMapCustomizations": "macro key bindings",
    "oleObject": "an OLE object",
    "package": "an embedded package (OLE)",
    "control": "an ActiveX control",
    "activeXControlBinary": "an ActiveX control",
    "attachedTemplate": "an attached template",
    "subDocument": "a sub-document",
    "aFChunk": "an imported chunk (altChunk)",
    "frame": "a frame's source",
    "mailMergeSource": "a mail-merge data source",
    "recipientData": "mail-merge recipients",
    "hyperlink": "a hyperlink",
}
# Fields a header or footer shows; any other (INCLUDETEXT, INCLUDEPICTURE, LINK, DDE,
# DDEAUTO, IMPORT, DATABASE, HYPERLINK, MACROBUTTON, EMBED, RD ...) loses its code.
_FIELDS = {
    "PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "DATE", "TIME", "CREATEDATE", "SAVEDATE",
    "PRINTDATE", "EDITTIME", "TITLE", "SUBJECT", "AUTHOR", "LASTSAVEDBY", "KEYWORDS",
    "COMMENTS", "FILENAME", "DOCPROPERTY", "DOCVARIABLE", "STYLEREF", "REF", "PAGEREF", "SEQ",
    "NUMWORDS", "NUMCHARS", "IF", "=", "QUOTE", "SYMBOL", "LISTNUM", "REVNUM",
}
# Elements that are removed whole wherever they are.
_REMOVED = {
    f"{{{W_NS}}}object": "an OLE object",
    f"{{{W_NS}}}control": "an ActiveX control",
    f"{{{W_NS}}}altChunk": "an imported chunk (altChunk)",
    f"{{{W_NS}}}subDoc": "a sub-document",
    f"{{{_O_NS}}}OLEObject": "an OLE object",
    f"{{{W_NS}}}embedRegular": "an embedded font",
    f"{{{W_NS}}}embedBold": "an embedded font",
    f"{{{W_NS}}}embedItalic": "an embedded font",
    f"{{{W_NS}}}embedBoldItalic": "an embedded font",
}
# Where a reference to a missing image goes, the smallest whole thing removed with it.
_PICTURES = {f"{{{W_NS}}}drawing", f"{{{W_NS}}}pict", f"{{{W_NS}}}object"}
_A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
# The root element each part must have, or python-docx and the writer build on the wrong one.
_ROOTS = {"styles": f"{{{W_NS}}}styles", "numbering": f"{{{W_NS}}}numbering",
          "fontTable": f"{{{W_NS}}}fonts", "theme": f"{{{_A_NS}}}theme",
          "header": f"{{{W_NS}}}hdr", "footer": f"{{{W_NS}}}ftr"}
_R_ATTRIBUTE = f"{{{R_NS}}}"
# VML's own addresses of an image (not through a relationship).
_LINKED = {"href", "src", "althref", f"{{{_O_NS}}}href", f"{{{_O_NS}}}althref",
           f"{{{_V_NS}}}src", f"{{{_V_NS}}}href"}
_IMAGE_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,5}$")


@dataclass
class CleanReference:
    """The rebuilt package and what was left out of it, one message per thing."""

    data: bytes
    dropped: list[str] = field(default_factory=list)


def _q(name: str) -> str:
    return f"{{{W_NS}}}{name}"


def _kind(rel_type: str) -> str:
    return rel_type.rstrip("/").rsplit("/", 1)[-1]


def _parse(data: bytes, name: str) -> etree._Element:
    """A part's XML, refused (ReferenceDocxError) when it is not well-formed or declares a
    DOCTYPE: Word never writes one, and its entities would reach the document unresolved."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ReferenceDocxError(f"{name} is not well-formed XML ({exc})") from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise ReferenceDocxError(f"{name} declares a DOCTYPE, which a Word part never has")
    return root


@dataclass
class _Rel:
    id: str
    kind: str
    target: str
    external: bool


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


class _Builder:
    """Reads the package and writes the house-style package, one part at a time."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self.dropped: list[str] = []
        self.out: dict[str, bytes] = {}
        self.types: dict[str, str] = {}  # part name -> content type
        self.images: dict[str, str] = {}  # source part -> its new name
        self.declared = self._content_types()

    def read(self, name: str) -> bytes | None:
        try:
            return self.package.read(name)
        except ArchiveError as exc:
            raise ReferenceDocxError(f"not a readable Word file: {exc.message}") from None

    def _content_types(self) -> tuple[dict[str, str], dict[str, str]]:
        data = self.read("[Content_Types].xml")
        if data is None:
            raise ReferenceDocxError("not a Word document: it has no [Content_Types].xml")
        root = _parse(data, "[Content_Types].xml")
        defaults = {(d.get("Extension") or "").lower(): d.get("ContentType") or ""
                    for d in root.iter(f"{{{_CT_NS}}}Default")}
        overrides = {(o.get("PartName") or "").lstrip("/"): o.get("ContentType") or ""
                     for o in root.iter(f"{{{_CT_NS}}}Override")}
        return defaults, overrides

    def content_type(self, name: str) -> str:
        defaults, overrides = self.declared
        if name in overrides:
            return overrides[name]
        return defaults.get(posixpath.splitext(name)[1].lstrip(".").lower(), "")

    def rels(self, part: str) -> list[_Rel]:
        name = _rels_name(part) if part else "_rels/.rels"
        data = self.read(name)
        if data is None:
            return []
        out = []
        for rel in _parse(data, name).iter(f"{{{_PKG_RELS}}}Relationship"):
            external = (rel.get("TargetMode") or "").lower() == "external"
            target = rel.get("Target") or ""
            if not external:
                base = posixpath.dirname(part)
                target = posixpath.normpath(
                    target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
                )
            out.append(_Rel(rel.get("Id") or "", _kind(rel.get("Type") or ""), target, external))
        return out

    def note(self, where: str, what: str) -> None:
        message = f"{where}: {what}"
        if message not in self.dropped:
            self.dropped.append(message)

    def note_rel(self, where: str, rel: _Rel) -> None:
        """A relationship left behind: a warning when it is external or something that runs
        or loads; the body's own parts go silently."""
        if rel.external:
            if rel.kind == "hyperlink":
                self.note(where, f"a hyperlink to {rel.target!r} dropped, its text kept")
                return
            label = "an image" if rel.kind == "image" else _NOTABLE.get(rel.kind, "a link")
            self.note(where, f"{label} linked to {rel.target!r} dropped")
        elif rel.kind in _NOTABLE:
            self.note(rel.target, f"{_NOTABLE[rel.kind]} dropped")

    def build(self) -> CleanReference:
        main = next((r for r in self.rels("") if r.kind == "officeDocument" and not r.external),
                    None)
        if main is None or main.target not in self.package:
            raise ReferenceDocxError("not a Word document: it names no main document part")
        data = self.read(main.target)
        assert data is not None
        document = _parse(data, main.target)
        rels = self.rels(main.target)
        by_id = {r.id: r for r in rels}
        kept: dict[str, tuple[str, str]] = {}  # id -> (new name, relationship type)
        counts = {"header": 0, "footer": 0}
        for rel in rels:
            if rel.external or rel.target not in self.package:
                if rel.external:
                    self.note_rel(main.target, rel)
                continue
            if rel.kind in _STYLE_PARTS:
                name, content_type, rel_type = _STYLE_PARTS[rel.kind]
                if name in self.out:
                    continue  # a second styles part: Word reads one
                self.xml_part(rel.target, name, content_type, rel.kind)
                kept[rel.id] = (name, rel_type)
            elif rel.kind in _HEADER_FOOTER:
                counts[rel.kind] += 1
                name = f"word/{rel.kind}{counts[rel.kind]}.xml"
                content_type, rel_type = _HEADER_FOOTER[rel.kind]
                self.xml_part(rel.target, name, content_type, rel.kind)
                kept[rel.id] = (name, rel_type)
            else:
                self.note_rel(main.target, rel)
        for rel in self.rels(""):
            if rel.kind != "officeDocument":
                self.note_rel("_rels/.rels", rel)
        if "word/styles.xml" not in self.out:
            raise ReferenceDocxError("not a Word document with styles (it has no styles part)")
        if "word/numbering.xml" not in self.out:  # the writer adds its lists to one
            name, content_type, rel_type = _STYLE_PARTS["numbering"]
            self.put(name, content_type, etree.Element(_q("numbering"), nsmap={"w": W_NS}))
            kept[_unused_id(rels, "rIdNumbering")] = (name, rel_type)
        self.document(document, main.target, by_id, kept)
        return CleanReference(self.zip(kept), self.dropped)

    def document(self, root: etree._Element, name: str, rels: dict[str, _Rel],
                 kept: dict[str, tuple[str, str]]) -> None:
        """word/document.xml: an empty body with the last section's properties, its header and
        footer references checked against the relationships."""
        body = root.find(_q("body"))
        sections = body.findall(_q("sectPr")) if body is not None else []
        sect = sections[-1] if sections else etree.Element(_q("sectPr"))
        for ref in list(sect):
            rid = ref.get(f"{{{R_NS}}}id")
            if ref.tag in (_q("headerReference"), _q("footerReference")):
                if rid not in rels:
                    raise ReferenceDocxError(
                        f"{name}: a {etree.QName(ref).localname} names relationship {rid!r}, "
                        "which the package does not have"
                    )
                if rid not in kept:
                    sect.remove(ref)  # its part was dropped (external): warned above
            elif rid is not None:
                sect.remove(ref)  # printer settings and the like: the body's, not a style's
        for attribute in [a for a in sect.attrib if a.startswith(f"{{{R_NS}}}")]:
            del sect.attrib[attribute]
        new = etree.Element(_q("document"), nsmap={"w": W_NS, "r": R_NS})
        etree.SubElement(new, _q("body")).append(sect)
        self.put("word/document.xml", CT.WML_DOCUMENT_MAIN, new)

    def xml_part(self, source: str, name: str, content_type: str, kind: str) -> None:
        data = self.read(source)
        assert data is not None
        root = _parse(data, source)
        expected = _ROOTS.get(kind)
        if expected is not None and root.tag != expected:
            raise ReferenceDocxError(
                f"{source} should be the {kind} part, but its root element is "
                f"{etree.QName(root).localname!r}"
            )
        if kind == "settings":
            # The writer writes its own settings; the template's attached template, mail
            # merge and linked styles are links to elsewhere.
            for rel in self.rels(source):
                self.note_rel(source, rel)
            self.put(name, content_type, etree.Element(_q("settings"), nsmap={"w": W_NS}))
            return
        if kind == "numbering":
            _check_numbering(root, source)
        images = self.images_of(source, name)
        # Styles hold no pictures or links (the schema gives them none, and the document's
        # styles part gets no relationships): its thousands of elements need no search.
        _Cleaner(source, images, self.note).clean(root, links=kind != "styles")
        self.put(name, content_type, root)
        if images:
            self.out[_rels_name(name)] = _rels_xml(
                [(rid, target, RT.IMAGE) for rid, target in images.items()], name
            )

    def images_of(self, source: str, name: str) -> dict[str, str]:
        """The part's relationships to images embedded in the package (id -> new image name);
        every other relationship is left behind, with a warning where it links out."""
        out: dict[str, str] = {}
        for rel in self.rels(source):
            content_type = self.content_type(rel.target) if not rel.external else ""
            suffix = posixpath.splitext(rel.target)[1]
            if (rel.kind == "image" and not rel.external and rel.target in self.package
                    and content_type.startswith("image/") and _IMAGE_SUFFIX.match(suffix)):
                if rel.target not in self.images:
                    new = f"word/media/house{len(self.images) + 1}{suffix.lower()}"
                    self.images[rel.target] = new
                    image = self.read(rel.target)
                    assert image is not None
                    self.out[new] = image
                    self.types[new] = content_type
                out[rel.id] = self.images[rel.target]
            else:
                self.note_rel(source, rel)
        return out

    def put(self, name: str, content_type: str, root: etree._Element) -> None:
        self.out[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                        standalone=True)
        self.types[name] = content_type

    def zip(self, kept: dict[str, tuple[str, str]]) -> bytes:
        self.out["word/_rels/document.xml.rels"] = _rels_xml(
            [(rid, name, rel_type) for rid, (name, rel_type) in kept.items()],
            "word/document.xml",
        )
        self.out["_rels/.rels"] = _rels_xml(
            [("rId1", "word/document.xml", RT.OFFICE_DOCUMENT)], ""
        )
        types = etree.Element(f"{{{_CT_NS}}}Types", nsmap={None: _CT_NS})
        for extension, content_type in (("rels", CT.OPC_RELATIONSHIPS), ("xml", CT.XML)):
            etree.SubElement(types, f"{{{_CT_NS}}}Default",
                             {"Extension": extension, "ContentType": content_type})
        for name, content_type in sorted(self.types.items()):
            etree.SubElement(types, f"{{{_CT_NS}}}Override",
                             {"PartName": f"/{name}", "ContentType": content_type})
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", etree.tostring(
                types, xml_declaration=True, encoding="UTF-8", standalone=True))
            for name in sorted(self.out):
                archive.writestr(name, self.out[name])
        return buffer.getvalue()


def _unused_id(rels: list[_Rel], wanted: str) -> str:
    taken = {r.id for r in rels}
    number = 0
    while f"{wanted}{number or ''}" in taken:
        number += 1
    return f"{wanted}{number or ''}"


def _rels_xml(rels: list[tuple[str, str, str]], source: str) -> bytes:
    root = etree.Element(f"{{{_PKG_RELS}}}Relationships", nsmap={None: _PKG_RELS})
    base = posixpath.dirname(source)
    for rid, target, rel_type in rels:
        etree.SubElement(root, f"{{{_PKG_RELS}}}Relationship", {
            "Id": rid, "Type": rel_type, "Target": posixpath.relpath(target, base or "."),
        })
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _check_numbering(root: etree._Element, name: str) -> None:
    """The ids the writer numbers its own lists after must be whole numbers."""
    for tag, attribute in (("abstractNum", "abstractNumId"), ("num", "numId")):
        for element in root.iterfind(_q(tag)):
            value = element.get(_q(attribute), "0")
            if not re.fullmatch(r"\d{1,9}", value):
                raise ReferenceDocxError(
                    f"{name}: w:{tag} has w:{attribute}={value!r}, not a whole number"
                )
    for ref in root.iterfind(f"{_q('num')}/{_q('abstractNumId')}"):
        value = ref.get(_q("val"), "")
        if not re.fullmatch(r"\d{1,9}", value):
            raise ReferenceDocxError(
                f"{name}: w:abstractNumId has w:val={value!r}, not a whole number"
            )


class _Cleaner:
    """Takes out of one part what loads, links or runs (see the module's docstring)."""

    def __init__(self, name: str, images: dict[str, str],
                 note: Callable[[str, str], None]) -> None:
        self.name = name
        self.images = images
        self._note = note

    def note(self, what: str) -> None:
        self._note(self.name, what)

    def clean(self, root: etree._Element, links: bool = True) -> None:
        # Each step lists what it changes before changing it; a change inside something an
        # earlier step removed is harmless (it is in a detached subtree).
        for element in list(root.iter(*_REMOVED)):
            self.note(f"{_REMOVED[element.tag]} dropped")
            _remove(element)
        for element in list(root.iter(_q("fldSimple"))):
            self.simple_field(element)
        self.complex_fields(root)
        for link in list(root.iter(_q("hyperlink"))):
            if link.get(f"{{{R_NS}}}id") is not None:  # its relationship's drop was noted
                _unwrap(link)
        if links:
            self.references(root)

    def simple_field(self, element: etree._Element) -> None:
        code = _field_code(element.get(_q("instr"), ""))
        if code not in _FIELDS:
            self.note(f"field {code or '(empty)'} dropped, its shown text kept")
            _unwrap(element)

    def complex_fields(self, root: etree._Element) -> None:
        """Runs of a field are begin, code (w:instrText), separate, result, end. A field not
        on the list loses its begin, code, separate and end: its result stays as text."""
        stack: list[tuple[list[etree._Element], str, bool]] = []  # (runs to drop, code, in code)
        for run in list(root.iter(_q("r"))):
            char = run.find(_q("fldChar"))
            kind = char.get(_q("fldCharType")) if char is not None else None
            if kind == "begin":
                stack.append(([run], "", True))
            elif not stack:
                continue
            elif kind == "separate":
                runs, code, _ = stack[-1]
                stack[-1] = ([*runs, run], code, False)
            elif kind == "end":
                runs, code, _ = stack.pop()
                name = _field_code(code)
                if name not in _FIELDS:
                    self.note(f"field {name or '(empty)'} dropped, its shown text kept")
                    for dropped in [*runs, run]:
                        _remove(dropped)
            elif stack[-1][2]:  # inside the code: its text, and nested fields' runs
                runs, code, _ = stack[-1]
                text = "".join(t.text or "" for t in run.iter(_q("instrText")))
                stack[-1] = ([*runs, run], code + text, True)
        for runs, code, _ in stack:  # a field never ended: Word would not show it either
            self.note(f"field {_field_code(code) or '(empty)'} dropped (it never ends)")
            for dropped in runs:
                _remove(dropped)

    def references(self, root: etree._Element) -> None:
        """Every r:id / r:embed / r:link to a relationship that is not an embedded image (the
        relationship was left behind), and every VML address (`src`, `o:href`), takes its
        picture (or just itself) away."""
        found = root.xpath(  # in C: a styles part has thousands of elements
            "//@*[namespace-uri() = $r or local-name() = 'href' or local-name() = 'src'"
            " or local-name() = 'althref']", r=R_NS)
        hits = [(value.getparent(), value.attrname, str(value)) for value in found]
        hits = [(element, attribute, value) for element, attribute, value in hits
                if attribute in _LINKED or (attribute.startswith(_R_ATTRIBUTE)
                                            and value not in self.images)]
        for element, attribute, value in hits:
            if attribute in _LINKED:  # a relationship's own drop was noted with it
                self.note(f"an image linked to {value!r} dropped")
            picture = _enclosing(element, _PICTURES)
            if picture is not None:
                _remove(picture)
            elif attribute in element.attrib:
                del element.attrib[attribute]


def _field_code(instruction: str) -> str:
    words = instruction.strip().split()
    return words[0].upper() if words else ""


def _enclosing(element: etree._Element, tags: set[str]) -> etree._Element | None:
    node: etree._Element | None = element
    while node is not None:
        if node.tag in tags:
            return node
        node = node.getparent()
    return None


def _remove(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _unwrap(element: etree._Element) -> None:
    """Replace `element` by its children (a hyperlink's or a simple field's runs)."""
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)


def clean_reference(data: bytes) -> CleanReference:
    """The reference document rebuilt from its house style only (ReferenceDocxError when it
    cannot be used); `dropped` names each thing left out that loads, links or runs."""
    try:
        package = Package(data)
    except ArchiveError as exc:
        raise ReferenceDocxError(f"not a readable Word file: {exc.message}") from None
    return _Builder(package).build()
