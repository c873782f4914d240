"""The review model: a reviewed Word file parsed into typed paragraphs, runs and revisions.

A reviewer receives a render (or a redline), switches on Track Changes, edits and comments,
and sends the file back, from Word or LibreOffice. This reads what came back as plain data,
the way pandoc's docx reader first parses the package into a typed document and only then
interprets it: for each paragraph of the body (table cells included) and of the footnotes,
its spans of text, each with the revisions that hold it (an insertion, and a deletion inside
it by another reviewer), who made them and when; its paragraph mark's and its table row's
revision; the key its hidden bookmark claims; where it is (table, row, cell); the comments
anchored in it; its formatting-only revisions; and what it holds that the plan cannot hold or
a reader cannot see (text hidden, white or too small, by its own formatting, its styles or the
document's defaults: `Look`; text boxes, equations, markup this does not read, content bound
to data or brought in from another part). Comments come with their replies
(commentsExtended.xml), the page headers, footers and endnotes as margins (the plan has no
text there), and the file's properties with its last editor and date. The parts are those Word
shows, found by their relationships (`stratplan.proposals.package`).

It knows nothing of plans: `stratplan.proposals.importer` maps it back to one. Every part is
read with the bounds of `stratplan.source.archive`, and the file with the bounds below
(`Bounds`): past one, the file is refused with a located diagnostic (SP814), before any
work that grows with it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Literal

from lxml import etree

from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path
from stratplan.proposals.package import WordParts, word_parts
from stratplan.source.archive import ArchiveError, Package, read_package
from stratplan.writers.docx.bookmarks import KEYS_NS
from stratplan.writers.docx.bookmarks import PREFIX as OUR_BOOKMARKS

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
TERMS = "http://purl.org/dc/terms/"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


Kind = Literal["ins", "del"]
# A view of the file: which revisions are taken (True) and which are undone (False).
Taken = Callable[["Revision"], bool]


def q(name: str) -> str:
    return f"{{{W}}}{name}"


@dataclass(frozen=True, slots=True)
class Bounds:
    """What one reviewed file may hold. A Working Group's file has a few hundred comments, a
    handful of reviewers, a few thousand revisions and paragraphs of a few thousand
    characters; each bound is far past that, and past it the file is refused (SP814)."""

    comments: int = 20_000
    authors: int = 1_000  # distinct authors of revisions and comments
    revisions: int = 200_000
    paragraph: int = 200_000  # characters of one paragraph (or comment), all its text


DEFAULT_BOUNDS = Bounds()


@dataclass(frozen=True, slots=True)
class Revision:
    """An insertion or a deletion, by `author` on `date` (YYYY-MM-DD, "" when the file gives
    none). A move is a deletion (at the old place) and an insertion (at the new one) paired by
    `move`, the name of Word's move range ("move" when the file names none)."""

    kind: Kind
    author: str
    date: str
    move: str = ""


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of a paragraph's text (or a footnote reference), with the revisions it is
    inside, outermost first: text one reviewer inserted and another deleted is inside both."""

    text: str
    revisions: tuple[Revision, ...] = ()
    footnote: str | None = None  # the id (in the file) of the footnote it references
    hidden: bool = False  # not shown in Word's print layout (w:vanish, w:specVanish)

    @property
    def revision(self) -> Revision | None:
        """The innermost revision: the one made last."""
        return self.revisions[-1] if self.revisions else None

    def shown(self, taken: Taken) -> bool:
        """Whether the span is there when the revisions `taken` says are made: all of its
        insertions taken, none of its deletions. Hidden text is never there."""
        if self.hidden:
            return False
        return all(taken(r) for r in self.revisions if r.kind == "ins") and not any(
            taken(r) for r in self.revisions if r.kind == "del")


def accept_all(_: Revision) -> bool:
    return True


def reject_all(_: Revision) -> bool:
    return False


VIEWS: dict[str, Taken] = {"accept": accept_all, "reject": reject_all}


def by_authors(authors: frozenset[str]) -> Taken:
    """The view where only `authors`' revisions are made."""
    return lambda revision: revision.author in authors


@dataclass(frozen=True, slots=True)
class Formatting:
    """A formatting-only revision (w:rPrChange, w:pPrChange, a table's): the plan's text holds
    no formatting, so it is reported, never read as a change of the text."""

    author: str
    date: str
    what: str  # "the words “skills”", "the paragraph's style"


@dataclass(frozen=True, slots=True)
class Unseen:
    """Something in a paragraph the import does not read as text: hidden text, a text box,
    an equation, a symbol it cannot name, an endnote. Reported, never imported."""

    what: str  # "hidden text", "a text box", "an equation", ...
    text: str
    revision: Revision | None = None


@dataclass
class Paragraph:
    index: int  # in its part (the body, or all footnotes), table cells in order
    spans: list[Span] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # our bookmark names in it
    mark: Revision | None = None  # its paragraph mark inserted or deleted
    row_revision: Revision | None = None  # its table row inserted or deleted
    table: int | None = None  # which table of the body, which row and cell
    row: int | None = None
    cell: int | None = None
    comments: list[str] = field(default_factory=list)  # ids of comments anchored here
    style: str = ""  # its paragraph style id (w:pStyle), "" for Normal
    formatting: list[Formatting] = field(default_factory=list)
    unseen: list[Unseen] = field(default_factory=list)
    footnote: str | None = None  # the footnote it is a paragraph of (None: the body)
    ids: list[str] = field(default_factory=list)  # w14:paraId (comments' paragraphs)
    # Holds a content control bound to data (w:dataBinding): Word shows, in its place, the
    # value its data part holds, not the text the file stores, which is all this reads.
    bound: bool = False

    def text(self, view: Taken | str) -> str:
        """The text with the revisions `view` says made ("accept" all, "reject" all, or a
        function of the revision); a footnote reference as "\\x00<footnote id>\\x00",
        which the import resolves."""
        taken = VIEWS[view] if isinstance(view, str) else view
        return "".join(f"\x00{s.footnote}\x00" if s.footnote is not None else s.text
                       for s in self.spans if s.shown(taken))

    def accepted(self) -> str:
        return self.text(accept_all)

    def rejected(self) -> str:
        return self.text(reject_all)

    @property
    def revisions(self) -> list[Revision]:
        found = [r for s in self.spans for r in s.revisions]
        for revision in (self.mark, self.row_revision):
            if revision is not None:
                found.append(revision)
        return found


@dataclass
class Footnote:
    id: str
    paragraphs: list[Paragraph]

    def text(self, view: Taken | str) -> str:
        return " ".join(" ".join(p.text(view) for p in self.paragraphs).split())

    @property
    def revisions(self) -> list[Revision]:
        return [r for p in self.paragraphs for r in p.revisions]


@dataclass
class Margin:
    """A part of the file the plan has no text in, read as the body is: a page header or
    footer (the renderer writes them), or the endnotes. Nothing in it is imported; its
    revisions and what is not the render's are reported."""

    where: str  # "the page footer (word/footer1.xml)"
    kind: Literal["header", "footer", "endnotes"]
    paragraphs: list[Paragraph]


@dataclass
class ReviewComment:
    id: str
    author: str
    date: str
    text: str
    parent: str | None = None  # the comment it replies to (commentsExtended.xml)
    done: bool = False  # marked resolved
    unseen: list[Unseen] = field(default_factory=list)  # in it, not in its text


@dataclass(frozen=True, slots=True)
class Properties:
    """What the file says of its last save (docProps/core.xml): data, checked where used."""

    editor: str = ""  # cp:lastModifiedBy
    date: str = ""  # dcterms:modified, YYYY-MM-DD
    creator: str = ""  # dc:creator


@dataclass
class Review:
    path: Path
    paragraphs: list[Paragraph]
    comments: dict[str, ReviewComment]
    keys: dict[str, str]  # bookmark name -> key, from the file's key table
    plan: str  # the plan the file says it renders ("" when it says nothing)
    footnotes: dict[str, Footnote] = field(default_factory=dict)
    properties: Properties = field(default_factory=Properties)
    margins: list[Margin] = field(default_factory=list)

    @property
    def tracked(self) -> bool:
        """Whether it carries any revision: of text, of a paragraph mark or a row, inside a
        footnote or a page's header or footer, or of formatting only."""
        margins = (p for m in self.margins for p in m.paragraphs)
        return any(p.revisions or p.formatting or any(u.revision for u in p.unseen)
                   for p in (*self.all_paragraphs(), *margins))

    def all_paragraphs(self) -> Iterator[Paragraph]:
        yield from self.paragraphs
        for note in self.footnotes.values():
            yield from note.paragraphs

    @property
    def authors(self) -> list[str]:
        seen: dict[str, None] = {}
        for paragraph in self.all_paragraphs():
            for revision in paragraph.revisions:
                seen.setdefault(revision.author, None)
        return list(seen)


def _problem(path: Path, message: str, hint: str = "", code: str = "SP807") -> StratplanError:
    return StratplanError(
        [Diagnostic(code, Severity.ERROR, message, Location(display_path(path)), hint)]
    )


def _day(value: str | None) -> str:
    """A date as YYYY-MM-DD. LibreOffice writes local time with a Z, and an unset comment
    date as 0-00-00: only a real calendar date is kept."""
    if not value or not _DATE.match(value):
        return ""
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return ""


def _revision(element: etree._Element, kind: Kind, move: str = "") -> Revision:
    return Revision(kind, element.get(q("author")) or "", _day(element.get(q("date"))), move)


def _parse(data: bytes, path: Path, part: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise _problem(path, f"{part} is not well-formed XML: {exc}") from None


def read_review(path: Path, bounds: Bounds = DEFAULT_BOUNDS) -> Review:
    """The reviewed file at `path` (StratplanError SP807 when it is not a readable Word file:
    every part is read with the bounds of `stratplan.source.archive`; SP814 when it is past
    one of `bounds`)."""
    try:
        archive = read_package(path)
    except OSError as exc:
        raise StratplanError([Diagnostic("SP010", Severity.ERROR,
                                         f"cannot read file: {exc.strerror or exc}",
                                         Location(display_path(path)), io=True)]) from None
    except ArchiveError as exc:
        raise _unreadable(path, exc) from None
    try:
        review = _read(archive, path)
    except ArchiveError as exc:
        raise _unreadable(path, exc) from None
    _check_bounds(review, bounds)
    return review


def _unreadable(path: Path, exc: ArchiveError) -> StratplanError:
    return _problem(path, f"not a readable Word file (.docx): {exc.message}",
                    "open it in Word or LibreOffice and save it again as .docx")


def _read(archive: Package, path: Path) -> Review:
    """The review, its parts found as Word finds them (`stratplan.proposals.package`)."""
    parts = word_parts(archive)
    if parts is None:
        raise _problem(path, "not a Word document: it names no main document (_rels/.rels)")
    document = archive.read(parts.document)
    if document is None:
        raise _problem(path, f"not a Word document: its main document {parts.document} is "
                       "missing")
    root = _parse(document, path, parts.document)
    body = root.find(q("body"))
    if body is None:
        raise _problem(path, f"{parts.document} has no body")

    def part(kind: str) -> tuple[bytes | None, str]:
        name = parts.of_kind(kind)
        return (archive.read(name) if name else None), name or kind

    looks = _looks(*part("styles"), path)
    footnotes = _footnotes(*part("footnotes"), path, looks)
    comments = _comments(part("comments")[0], part("commentsExtended")[0], path, looks)
    keys, plan = _key_table(archive)
    reader = _Reader(looks)
    reader.blocks(body)
    reader.close()
    core = archive.read(parts.core) if parts.core else None
    return Review(path, reader.paragraphs, comments, keys, plan, footnotes, _properties(core),
                  _margins(archive, path, looks, _margin_parts(root, parts)))


_MARGIN_NAMES = {"header": "the page header", "footer": "the page footer",
                 "endnotes": "the endnotes"}
MarginKind = Literal["header", "footer", "endnotes"]


def _margin_parts(root: etree._Element, parts: WordParts) -> list[tuple[MarginKind, str]]:
    """The headers and footers the sections reference, and the endnotes, by part name."""
    out: list[tuple[MarginKind, str]] = []
    for kind in ("header", "footer"):
        for reference in root.iter(q(f"{kind}Reference")):
            relation = parts.relations.get(reference.get(f"{{{R}}}id") or "")
            if relation is not None and relation.part and (kind, relation.part) not in out:
                out.append((kind, relation.part))
    endnotes = parts.of_kind("endnotes")
    if endnotes:
        out.append(("endnotes", endnotes))
    return out


def _margins(archive: Package, path: Path, looks: Looks,
             names: list[tuple[MarginKind, str]]) -> list[Margin]:
    """The page headers, footers and endnotes, each part read as the body is."""
    out: list[Margin] = []
    for kind, name in names:
        data = archive.read(name)
        if data is None:
            continue
        reader = _Reader(looks)
        root = _parse(data, path, name)
        if kind == "endnotes":
            for note in root.iter(q("endnote")):
                if note.get(q("type")) in (None, "normal"):
                    reader.blocks(note)
        else:
            reader.blocks(root)
        reader.close()
        if reader.paragraphs:
            out.append(Margin(f"{_MARGIN_NAMES[kind]} ({name})", kind, reader.paragraphs))
    return out


def _check_bounds(review: Review, bounds: Bounds) -> None:
    where = review.path

    def refuse(message: str) -> StratplanError:
        return _problem(where, message, "a reviewed file is a Working Group's review of one "
                        "plan: ask where this one came from", code="SP814")

    if len(review.comments) > bounds.comments:
        raise refuse(f"{len(review.comments)} comments, over the limit of {bounds.comments}")
    margins = [p for m in review.margins for p in m.paragraphs]
    authors = {r.author for p in (*review.all_paragraphs(), *margins) for r in p.revisions}
    authors |= {c.author for c in review.comments.values()}
    if len(authors) > bounds.authors:
        raise refuse(f"{len(authors)} authors of revisions and comments, over the limit of "
                     f"{bounds.authors}")
    revisions = 0
    for paragraph in (*review.all_paragraphs(), *margins):
        revisions += len(paragraph.revisions)
        if revisions > bounds.revisions:
            raise refuse(f"more than {bounds.revisions} tracked changes, over the limit")
        size = sum(len(s.text) for s in paragraph.spans)
        if size > bounds.paragraph:
            part = f"footnote {paragraph.footnote}" if paragraph.footnote is not None else \
                "the body"
            first = " ".join("".join(s.text for s in paragraph.spans[:20]).split())[:40]
            raise refuse(f"paragraph {paragraph.index + 1} of {part} (“{first} …”) has {size} "
                         f"characters, over the limit of {bounds.paragraph}")
    for comment in review.comments.values():
        if len(comment.text) > bounds.paragraph:
            raise refuse(f"the comment by {comment.author[:40]} has {len(comment.text)} "
                         f"characters, over the limit of {bounds.paragraph}")


def _properties(data: bytes | None) -> Properties:
    if data is None:
        return Properties()
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return Properties()

    def value(tag: str) -> str:
        node = root.find(tag)
        return (node.text or "").strip() if node is not None else ""

    return Properties(value(f"{{{CORE}}}lastModifiedBy"), _day(value(f"{{{TERMS}}}modified")),
                      value("{http://purl.org/dc/elements/1.1/}creator"))


def _on(element: etree._Element | None) -> bool:
    """A toggle property (w:vanish, w:b) that is set: present, and not w:val false."""
    return element is not None and element.get(q("val"), "true") not in ("0", "false", "off")


@dataclass(frozen=True, slots=True)
class Look:
    """What decides whether a reader sees a run's text, as far as the file sets it (None: not
    set here, inherited): hidden (w:vanish, w:specVanish), its colour, its size in half-points,
    its width in percent, and whether a highlight or shading is behind it."""

    vanish: bool | None = None
    color: str | None = None
    size: int | None = None
    scale: int | None = None
    backdrop: bool | None = None

    def over(self, base: Look) -> Look:
        """This look, with what it does not set taken from `base`."""
        return Look(
            self.vanish if self.vanish is not None else base.vanish,
            self.color if self.color is not None else base.color,
            self.size if self.size is not None else base.size,
            self.scale if self.scale is not None else base.scale,
            self.backdrop if self.backdrop is not None else base.backdrop,
        )

    def unseen(self) -> str | None:
        """Why a reader does not see text of this look (an `Unseen.what`), None when they do."""
        if self.vanish:
            return "hidden text"
        if (self.color or "").upper() in _WHITE and not self.backdrop:
            return "text in white"
        if (self.size is not None and self.size <= _SMALLEST) or \
                (self.scale is not None and self.scale <= _NARROWEST):
            return "text too small to read"
        return None


# White on the white page; 2 points and less, or 10 % of the width and less, cannot be read.
_WHITE = {"FFFFFF", "FEFEFE", "FFFFFE"}
_SMALLEST = 4  # half-points
_NARROWEST = 10  # percent


def _look(rpr: etree._Element | None) -> Look:
    """The look run properties set."""
    if rpr is None:
        return Look()

    def number(tag: str) -> int | None:
        node = rpr.find(q(tag))
        try:
            return int(node.get(q("val")) or "") if node is not None else None
        except ValueError:
            return None

    vanish = rpr.find(q("vanish"))
    special = rpr.find(q("specVanish"))
    hidden = None if vanish is None and special is None else _on(vanish) or _on(special)
    color = rpr.find(q("color"))
    backdrop: bool | None = None
    highlight = rpr.find(q("highlight"))
    shading = rpr.find(q("shd"))
    if highlight is not None or shading is not None:
        backdrop = (highlight is not None and highlight.get(q("val")) not in (
            None, "none", "white")) or _shaded(rpr)
    return Look(hidden, _color(color), number("sz"), number("w"), backdrop)


# The theme colours that are the page's own (the Office theme's Light 1, the background):
# Word takes a run's theme colour over its w:val, so "000000" with w:themeColor="background1"
# is white, unless a shade darkens it.
_PAGE_THEME_COLORS = {"background1", "light1"}


def _color(node: etree._Element | None) -> str | None:
    if node is None:
        return None
    if node.get(q("themeColor")) in _PAGE_THEME_COLORS and node.get(q("themeShade")) is None:
        return "FFFFFF"
    value: str | None = node.get(q("val"))
    return value


@dataclass(frozen=True, slots=True)
class Looks:
    """The looks of a file's styles, each with what it inherits (w:basedOn, then the document's
    defaults), and the styles a paragraph or a run has when it names none."""

    styles: dict[str, Look] = field(default_factory=dict)
    defaults: Look = Look()
    paragraph_style: str = ""
    character_style: str = ""

    def paragraph(self, style: str | None) -> Look:
        name = style if style is not None else self.paragraph_style
        return self.styles.get(name, self.defaults)

    def run(self, style: str | None, paragraph: Look) -> Look:
        name = style if style is not None else self.character_style
        own = self.styles.get(name)
        return own.over(paragraph) if own is not None else paragraph


def _looks(data: bytes | None, name: str, path: Path) -> Looks:
    if data is None:
        return Looks()
    root = _parse(data, path, name)
    defaults = _look(root.find(f"{q('docDefaults')}/{q('rPrDefault')}/{q('rPr')}"))
    own: dict[str, Look] = {}
    based: dict[str, str] = {}
    kinds: dict[str, str] = {}
    default_of: dict[str, str] = {}
    for style in root.iter(q("style")):
        ident = style.get(q("styleId")) or ""
        own[ident] = _look(style.find(q("rPr")))
        kinds[ident] = style.get(q("type")) or "paragraph"
        if style.get(q("default")) in ("1", "true", "on"):
            default_of.setdefault(kinds[ident], ident)
        parent = style.find(q("basedOn"))
        if parent is not None:
            based[ident] = parent.get(q("val")) or ""
    resolved: dict[str, Look] = {}
    for ident in own:
        chain: list[Look] = []
        seen: set[str] = set()
        current: str | None = ident
        while current is not None and current in own and current not in seen:
            seen.add(current)
            chain.append(own[current])
            current = based.get(current)
        look = Look()
        for step in chain:  # the style's own first: each fills what the ones before left
            look = look.over(step)
        # A character style inherits the paragraph's look, not the document's defaults.
        resolved[ident] = look if kinds[ident] == "character" else look.over(defaults)
    return Looks(resolved, defaults, default_of.get("paragraph", ""),
                 default_of.get("character", ""))


def _footnotes(data: bytes | None, name: str, path: Path, looks: Looks) -> dict[str, Footnote]:
    if data is None:
        return {}
    out: dict[str, Footnote] = {}
    reader = _Reader(looks)
    for note in _parse(data, path, name).iter(q("footnote")):
        if note.get(q("type")) not in (None, "normal"):
            continue
        ident = note.get(q("id")) or ""
        reader.footnote = ident
        first = len(reader.paragraphs)
        reader.blocks(note)
        reader.close()
        out[ident] = Footnote(ident, reader.paragraphs[first:])
    return out


def _comments(data: bytes | None, extended: bytes | None, path: Path,
              looks: Looks) -> dict[str, ReviewComment]:
    if data is None:
        return {}
    out: dict[str, ReviewComment] = {}
    by_paragraph: dict[str, str] = {}  # w14:paraId of a comment's last paragraph -> its id
    for node in _parse(data, path, "word/comments.xml").iter(q("comment")):
        ident = node.get(q("id")) or ""
        reader = _Reader(looks)  # as the body is read: what a reader does not see is no text
        reader.blocks(node)
        reader.close()
        text = "\n".join(p.text(accept_all) for p in reader.paragraphs).strip()
        out[ident] = ReviewComment(ident, node.get(q("author")) or "",
                                   _day(node.get(q("date"))), text,
                                   unseen=[u for p in reader.paragraphs for u in p.unseen])
        paragraphs = node.findall(q("p"))
        if paragraphs:
            para_id = paragraphs[-1].get(f"{{{W14}}}paraId")
            if para_id:
                by_paragraph[para_id.upper()] = ident
    if extended is not None:
        for entry in _parse(extended, path, "word/commentsExtended.xml").iter(
                f"{{{W15}}}commentEx"):
            ident = by_paragraph.get((entry.get(f"{{{W15}}}paraId") or "").upper())
            if ident is None:
                continue
            parent = by_paragraph.get((entry.get(f"{{{W15}}}paraIdParent") or "").upper())
            if parent is not None and parent != ident:
                out[ident].parent = parent
            out[ident].done = entry.get(f"{{{W15}}}done") in ("1", "true")
    return out


def _key_table(archive: Package) -> tuple[dict[str, str], str]:
    """Our key table: any customXml item in its namespace (LibreOffice writes it twice). What
    it says is a claim, checked against the text by the import."""
    keys: dict[str, str] = {}
    plan = ""
    for name in archive.names():
        if not (name.startswith("customXml/item") and name.endswith(".xml")) or "Props" in name:
            continue
        try:
            root = etree.fromstring(archive.read(name) or b"",
                                    etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError:
            continue
        if root.tag != f"{{{KEYS_NS}}}keys":
            continue
        plan = plan or root.get("plan", "")
        for entry in root:
            if entry.get("b") and entry.text:
                keys[entry.get("b") or ""] = entry.text
    return keys, plan


# Containers whose content reads as part of the paragraph around them: links, smart tags,
# simple fields' results, content controls, custom XML, and right-to-left embeddings
# (w:dir, w:bdo: Word wraps right-to-left text, and the revisions inside it, in them).
_INLINE_CONTAINERS = {q(n) for n in ("hyperlink", "smartTag", "fldSimple", "sdt", "sdtContent",
                                     "customXml", "dir", "bdo")}
_MOVES = {q("moveFrom"): "del", q("moveTo"): "ins"}
# What the body or a paragraph brings in from another part or file, which Word shows in place.
_BROUGHT_IN = {q("altChunk"), q("subDoc"), q("contentPart")}
# Word's named move ranges: a moveFrom (moveTo) inside one is the move of that name.
_RANGE_STARTS = {q("moveFromRangeStart"): q("moveFrom"), q("moveToRangeStart"): q("moveTo")}
_RANGE_ENDS = {q("moveFromRangeEnd"): q("moveFrom"), q("moveToRangeEnd"): q("moveTo")}
_TABLE_FORMATTING = {q("tblPrChange"), q("trPrChange"), q("tcPrChange"), q("tblGridChange")}
# What a run holds that is read (text, tabs, breaks, symbols, references, drawings) or shows
# nothing the plan holds (fields' codes, marks); anything else with text is reported.
_READ_IN_RUN = {q(n) for n in ("t", "delText", "tab", "ptab", "br", "cr", "noBreakHyphen", "sym",
                               "footnoteReference", "endnoteReference", "drawing", "pict",
                               "object", "commentReference", "rPr", "footnoteRef", "endnoteRef",
                               "annotationRef", "separator", "continuationSeparator",
                               "lastRenderedPageBreak", "instrText", "delInstrText", "fldChar",
                               "softHyphen")}

# Characters of the Symbol font (w:sym w:font="Symbol", in its private-use range F0xx): the
# letters and signs a reviewer types from Word's symbol dialog. Another is reported.
_SYMBOL_FONT = dict(zip(
    "ABGDEZHQIKLMNXOPRSTUFCYWJVabgdezhqiklmnxoprstufcywjv",
    "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩϑςαβγδεζηθικλμνξοπρστυφχψωϕϖ", strict=True))
_SYMBOL_FONT.update({"\xb1": "±", "\xb3": "≥", "\xa3": "≤", "\xb4": "×", "\xb8": "÷",
                     "\xb9": "≠", "\xbb": "≈", "\xa5": "∞", "\xb0": "°", "\xb7": "•",
                     "\xae": "→", "\xac": "←", "\xad": "↑", "\xaf": "↓", "\xd7": "·",
                     "\xe5": "∑", "\xd6": "√", "\xce": "∈", "\xc7": "∩", "\xc8": "∪",
                     "\xa2": "′", "\xb2": "″", "-": "−", "+": "+", "=": "=", "<": "<",
                     ">": ">", "%": "%", "(": "(", ")": ")", " ": " ", "\xbc": "…"})


def _shaded(properties: etree._Element | None) -> bool:
    """Whether cell or paragraph properties fill the ground behind the text (w:shd) with a
    colour other than white."""
    shading = properties.find(q("shd")) if properties is not None else None
    if shading is None:
        return False
    fill = (shading.get(q("fill")) or "auto").upper()
    return fill not in ("AUTO", *_WHITE) or shading.get(q("themeFill")) not in (
        None, *_PAGE_THEME_COLORS)


def _bound(node: etree._Element) -> bool:
    """A content control bound to data (w:dataBinding in its properties)."""
    properties = node.find(q("sdtPr")) if node.tag == q("sdt") else None
    return properties is not None and properties.find(q("dataBinding")) is not None


def _element_name(node: etree._Element) -> str:
    """An element's name as Word's markup writes it (`w:ruby`), its own name in another
    vocabulary."""
    name = etree.QName(node)
    return f"w:{name.localname}" if name.namespace == W else name.localname


def _symbol(node: etree._Element) -> str | None:
    """The character a w:sym shows, None when it cannot be named."""
    code = node.get(q("char")) or ""
    try:
        value = int(code, 16)
    except ValueError:
        return None
    font = (node.get(q("font")) or "").lower()
    if value >= 0xF000:
        value -= 0xF000
        return _SYMBOL_FONT.get(chr(value)) if font == "symbol" else None
    return chr(value) if value >= 0x20 and not 0xD800 <= value < 0xE000 else None


def _compact(spans: list[Span]) -> list[Span]:
    """One span per run of text inside the same revisions (Word splits runs by editing
    session); joined once, so that a long paragraph costs its length, not its square."""
    out: list[Span] = []
    for (revisions, footnote), group in groupby(spans, key=lambda s: (s.revisions, s.footnote)):
        if footnote is not None:
            out.extend(group)
        else:
            out.append(Span("".join(s.text for s in group), revisions))
    return out


class _Reader:
    """One pass over a part: paragraphs, runs with the revisions around them, open comment
    ranges and move ranges."""

    def __init__(self, looks: Looks) -> None:
        self.looks = looks
        self.pending: list[Unseen] = []  # read between paragraphs, for the next one
        self.paragraphs: list[Paragraph] = []
        self.open_comments: set[str] = set()
        self.moves: dict[str, str] = {}  # moveFrom / moveTo -> the name of the open range
        self.tables = 0
        self.footnote: str | None = None
        self.last_unseen = (0, -1)  # where the last unseen text was, to join its runs
        self.shaded = False  # inside a table cell with a fill

    def blocks(self, parent: etree._Element, where: tuple[int, int, int] | None = None,
               row_revision: Revision | None = None) -> None:
        for child in parent:
            tag = child.tag
            if tag == q("p"):
                self.paragraph(child, where, row_revision)
            elif tag == q("tbl"):
                self.table(child)
            elif tag in (q("sdt"), q("customXml")):
                content = child.find(q("sdtContent")) if tag == q("sdt") else child
                if content is not None:
                    first = len(self.paragraphs)
                    self.blocks(content, where, row_revision)
                    if _bound(child):
                        for paragraph in self.paragraphs[first:]:
                            paragraph.bound = True
            elif tag in (q("ins"), q("del"), q("moveFrom"), q("moveTo")):
                self.blocks(child, where, row_revision)  # whole paragraphs inside a revision
            elif tag in _RANGE_STARTS or tag in _RANGE_ENDS:
                self.move_range(child)
            elif tag == q("commentRangeStart"):
                self.open_comments.add(child.get(q("id")) or "")
            elif tag == q("commentRangeEnd"):
                self.open_comments.discard(child.get(q("id")) or "")
            else:  # with the paragraph before it, or the first one when there is none
                self.unread(child, self.paragraphs[-1].unseen if self.paragraphs and
                            self.paragraphs[-1].footnote == self.footnote else self.pending, None)

    def close(self) -> None:
        """What was read after the last paragraph goes with it."""
        if self.pending and self.paragraphs:
            self.paragraphs[-1].unseen.extend(self.pending)
            self.pending = []

    def unread(self, node: etree._Element, into: list[Unseen],
               revision: Revision | None) -> None:
        """An element this reader does not read: reported when Word would show something of
        it (its text, or the content of another part or file it brings in), else skipped."""
        if not isinstance(node.tag, str):
            return
        if node.tag in _BROUGHT_IN:
            into.append(Unseen("content brought in from another part", _element_name(node),
                               revision))
            return
        text = " ".join("".join(t.text or "" for t in node.iter(q("t"), q("delText"))).split())
        if text:
            into.append(Unseen("text the import does not read",
                               f"{text} ({_element_name(node)})", revision))

    def move_range(self, node: etree._Element) -> None:
        if node.tag in _RANGE_STARTS:
            self.moves[_RANGE_STARTS[node.tag]] = node.get(q("name")) or ""
        else:
            self.moves.pop(_RANGE_ENDS[node.tag], None)

    def table(self, tbl: etree._Element) -> None:
        number = self.tables
        self.tables += 1
        first = len(self.paragraphs)
        for r, tr in enumerate(self.rows(tbl)):
            revision = None
            tr_pr = tr.find(q("trPr"))
            if tr_pr is not None:
                for kind, tag in (("ins", q("ins")), ("del", q("del"))):
                    mark = tr_pr.find(tag)
                    if mark is not None:
                        revision = _revision(mark, kind)  # type: ignore[arg-type]
            first_of_row = len(self.paragraphs)
            for c, tc in enumerate(tr.findall(q("tc"))):
                outer, self.shaded = self.shaded, self.shaded or _shaded(tc.find(q("tcPr")))
                self.blocks(tc, (number, r, c), revision)
                self.shaded = outer
            if any(_bound(a) for a in tr.iterancestors(q("sdt"))) or any(
                    _bound(node) for node in tr.iterchildren(q("sdt"))):
                for paragraph in self.paragraphs[first_of_row:]:
                    paragraph.bound = True
        # A change of the table's layout (borders, widths, a cell's shading): one report per
        # reviewer, on the table's first paragraph.
        authors: dict[str, str] = {}
        for node in tbl.iter(*_TABLE_FORMATTING):
            authors.setdefault(node.get(q("author")) or "", _day(node.get(q("date"))))
        if authors and first < len(self.paragraphs):
            for author, date in authors.items():
                self.paragraphs[first].formatting.append(
                    Formatting(author, date, "a table's layout"))

    def rows(self, tbl: etree._Element) -> Iterator[etree._Element]:
        """The table's own rows (a row may sit in a content control); a nested table's rows
        are read with it."""
        for child in tbl:
            if child.tag == q("tr"):
                yield child
            elif child.tag in (q("sdt"), q("customXml")):
                content = child.find(q("sdtContent")) if child.tag == q("sdt") else child
                if content is not None:
                    yield from self.rows(content)

    def paragraph(self, p: etree._Element, where: tuple[int, int, int] | None,
                  row_revision: Revision | None) -> None:
        paragraph = Paragraph(len(self.paragraphs), row_revision=row_revision,
                              footnote=self.footnote)
        if where is not None:
            paragraph.table, paragraph.row, paragraph.cell = where
        paragraph.comments = sorted(self.open_comments)
        para_id = p.get(f"{{{W14}}}paraId")
        if para_id:
            paragraph.ids.append(para_id)
        ppr = p.find(q("pPr"))
        named: str | None = None
        if ppr is not None:
            style = ppr.find(q("pStyle"))
            if style is not None:
                named = paragraph.style = style.get(q("val")) or ""
            rpr = ppr.find(q("rPr"))
            if rpr is not None:
                for kind, tag in (("ins", q("ins")), ("del", q("del")), ("del", q("moveFrom")),
                                  ("ins", q("moveTo"))):
                    mark = rpr.find(tag)
                    if mark is not None:
                        move = (self.moves.get(tag) or "move") if tag in _MOVES else ""
                        paragraph.mark = _revision(mark, kind, move)  # type: ignore[arg-type]
            change = ppr.find(q("pPrChange"))
            if change is not None:
                paragraph.formatting.append(Formatting(
                    change.get(q("author")) or "", _day(change.get(q("date"))),
                    "the paragraph's style or layout"))
        paragraph.unseen.extend(self.pending)
        self.pending = []
        look = self.looks.paragraph(named)
        if self.shaded or _shaded(ppr):  # white text on a shaded cell or paragraph is seen
            look = Look(backdrop=True).over(look)
        self.inline(p, paragraph, (), look)
        paragraph.spans = _compact(paragraph.spans)
        self.paragraphs.append(paragraph)

    def inline(self, parent: etree._Element, paragraph: Paragraph,
               revisions: tuple[Revision, ...], look: Look) -> None:
        for child in parent:
            tag = child.tag
            if tag == q("r"):
                self.run(child, paragraph, revisions, look)
            elif tag in (q("ins"), q("del")):
                kind: Kind = "ins" if tag == q("ins") else "del"
                self.inline(child, paragraph, (*revisions, _revision(child, kind)), look)
            elif tag in _MOVES:
                name = self.moves.get(tag) or "move"
                revision = _revision(child, _MOVES[tag], name)  # type: ignore[arg-type]
                self.inline(child, paragraph, (*revisions, revision), look)
            elif tag in _RANGE_STARTS or tag in _RANGE_ENDS:
                self.move_range(child)
            elif tag == q("bookmarkStart"):
                name = child.get(q("name")) or ""
                if name.startswith(OUR_BOOKMARKS):
                    paragraph.names.append(name)
            elif tag == q("commentRangeStart"):
                cid = child.get(q("id")) or ""
                self.open_comments.add(cid)
                if cid not in paragraph.comments:
                    paragraph.comments.append(cid)
            elif tag == q("commentRangeEnd"):
                self.open_comments.discard(child.get(q("id")) or "")
            elif tag in _INLINE_CONTAINERS:
                if _bound(child):
                    paragraph.bound = True
                self.inline(child, paragraph, revisions, look)
            elif tag in (f"{{{MATH}}}oMathPara", f"{{{MATH}}}oMath"):
                self.unseen(paragraph, "an equation", child, revisions)
            elif tag == f"{{{MC}}}AlternateContent":
                choice = child.find(f"{{{MC}}}Choice")
                self.inline(choice if choice is not None else child, paragraph, revisions,
                            look)
            else:
                self.unread(child, paragraph.unseen, revisions[-1] if revisions else None)

    def run(self, r: etree._Element, paragraph: Paragraph, revisions: tuple[Revision, ...],
            paragraph_look: Look) -> None:
        rpr = r.find(q("rPr"))
        style = rpr.find(q("rStyle")) if rpr is not None else None
        look = _look(rpr).over(self.looks.run(
            style.get(q("val")) or "" if style is not None else None, paragraph_look))
        unseen_as = look.unseen()
        hidden = unseen_as is not None
        if rpr is not None:
            change = rpr.find(q("rPrChange"))
            if change is not None and not any(rv.kind == "ins" for rv in revisions):
                words = " ".join("".join(t.text or "" for t in r.iter(q("t"))).split())
                paragraph.formatting.append(Formatting(
                    change.get(q("author")) or "", _day(change.get(q("date"))),
                    f"the words “{words}”" if words else "a run"))
        revision = revisions[-1] if revisions else None

        def text(value: str) -> None:
            if unseen_as is not None:
                unseen = paragraph.unseen
                if unseen and unseen[-1].what == unseen_as and unseen[-1].revision == \
                        revision and self.last_unseen == (id(paragraph), len(paragraph.spans)):
                    unseen[-1] = Unseen(unseen_as, unseen[-1].text + value, revision)
                elif value.strip():
                    unseen.append(Unseen(unseen_as, value, revision))
                    self.last_unseen = (id(paragraph), len(paragraph.spans))
                return
            paragraph.spans.append(Span(value, revisions))

        for node in r:
            tag = node.tag
            if tag in (q("t"), q("delText")):
                text(node.text or "")
            elif tag in (q("tab"), q("ptab")):
                text("\t")
            elif tag in (q("br"), q("cr")):
                text("\n")
            elif tag == q("noBreakHyphen"):
                text("\u2011")
            elif tag == q("sym"):
                char = _symbol(node)
                if char is None:
                    paragraph.unseen.append(Unseen(
                        "a symbol", f"{node.get(q('font')) or ''} {node.get(q('char')) or ''}"
                        .strip(), revision))
                else:
                    text(char)
            elif tag == q("footnoteReference"):
                if not hidden:
                    paragraph.spans.append(Span("", revisions, footnote=node.get(q("id")) or ""))
            elif tag == q("endnoteReference"):
                paragraph.unseen.append(Unseen("an endnote", "", revision))
            elif tag in (q("drawing"), q("pict"), q("object"), f"{{{MC}}}AlternateContent"):
                self.drawing(node, paragraph, revision)
            elif tag == q("commentReference"):
                cid = node.get(q("id")) or ""
                if cid not in paragraph.comments:
                    paragraph.comments.append(cid)
            elif tag not in _READ_IN_RUN:
                self.unread(node, paragraph.unseen, revision)

    def drawing(self, node: etree._Element, paragraph: Paragraph,
                revision: Revision | None) -> None:
        """A text box (w:txbxContent, in a drawing or its VML fallback: one is read), or
        another drawing: the plan holds no floating text or picture, so it is reported."""
        if node.tag == f"{{{MC}}}AlternateContent":
            choice = node.find(f"{{{MC}}}Choice")
            node = choice if choice is not None else node
        boxes = list(node.iter(q("txbxContent")))
        if boxes:
            text = " ".join(" ".join("".join(t.text or "" for t in box.iter(q("t"))).split())
                            for box in boxes[:1])
            paragraph.unseen.append(Unseen("a text box", text, revision))
        elif revision is not None and revision.kind == "ins":
            paragraph.unseen.append(Unseen("a picture or drawing", "", revision))

    def unseen(self, paragraph: Paragraph, what: str, node: etree._Element,
               revisions: tuple[Revision, ...]) -> None:
        text = "".join(t.text or "" for t in node.iter(f"{{{MATH}}}t", q("t")))
        inner = next((n for n in node.iter(q("ins"), q("del"))), None)
        revision = revisions[-1] if revisions else None
        if inner is not None:
            revision = _revision(inner, "ins" if inner.tag == q("ins") else "del")
        paragraph.unseen.append(Unseen(what, text, revision))
