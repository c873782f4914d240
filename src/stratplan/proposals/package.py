"""Which parts of a Word package Word shows, found as Word finds them.

A .docx is an Open Packaging Conventions package: the main document is the target of the
package's `officeDocument` relationship (`_rels/.rels`), not whatever part is named
`word/document.xml`; its styles, footnotes, endnotes and comments are the targets of the main
document's relationships; its page headers and footers are those its section properties
reference. A file can hold a part under the conventional name that nothing relates to, which
Word never shows: reading by name would read a document nobody sees. So parts are found here
by their relationships, and a part that nothing relates is not read.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from urllib.parse import unquote

from lxml import etree

from stratplan.source.archive import ArchiveError, Package

__all__ = ["Relation", "WordParts", "word_parts"]

_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@dataclass(frozen=True, slots=True)
class Relation:
    kind: str  # the last segment of the relationship type: "styles", "footnotes", "comments"
    part: str | None  # the target part's name in the package; None for an external target


@dataclass
class WordParts:
    """The main document and the parts it relates to, by relationship id."""

    document: str
    relations: dict[str, Relation] = field(default_factory=dict)
    core: str | None = None  # the core properties (docProps/core.xml, by its relationship)

    def of_kind(self, kind: str) -> str | None:
        """The part the document relates to as `kind` (the first, as Word takes it)."""
        return next((r.part for r in self.relations.values() if r.kind == kind and r.part),
                    None)


def word_parts(archive: Package) -> WordParts | None:
    """The package's main document and its relationships; None when the package names no
    main document. ArchiveError when a relationships part cannot be read."""
    package = _relations(archive, "")
    document = next((r.part for r in package.values() if r.kind == "officeDocument" and r.part),
                    None)
    if document is None:
        return None
    core = next((r.part for r in package.values() if r.kind == "core-properties" and r.part),
                None)
    return WordParts(document, _relations(archive, document), core)


def _relations(archive: Package, source: str) -> dict[str, Relation]:
    """The relationships of the part `source` ("" for the package), by id."""
    folder, name = posixpath.split(source)
    data = archive.read(posixpath.join(folder, "_rels", f"{name}.rels"))
    if data is None:
        return {}
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ArchiveError(f"the relationships of {source or 'the package'} are not XML "
                           f"({exc.msg})") from None
    out: dict[str, Relation] = {}
    for node in root.iter(_RELATIONSHIPS):
        ident, kind, target = (node.get(a) or "" for a in ("Id", "Type", "Target"))
        kind = posixpath.basename(kind)
        if node.get("TargetMode") == "External" or not target:
            out.setdefault(ident, Relation(kind, None))
            continue
        target = unquote(target)
        part = posixpath.normpath(posixpath.relpath(target, posixpath.sep)
                                  if posixpath.isabs(target) else posixpath.join(folder, target))
        out.setdefault(ident, Relation(kind, None if part.startswith("..") else part))
    return out
