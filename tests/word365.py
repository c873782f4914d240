"""Reviewed copies of a render as Word 365 saves them, for the corpus of reviewed files
(tests/reviews/).

`tests/docx_review.Review` writes each edit the way Word records it; `WordReview` adds the
edits it lacks (threaded replies, comments edited or deleted, Track Moves with named ranges,
formatting-only revisions, footnote revisions, merged and split paragraphs, a reviewer's edit
inside another's insertion, right-to-left and symbol runs) and, when saved, rewrites the whole
file as Word 365 leaves it after a few editing sessions: runs split where a session's edit
began (each with its session's `w:rsidR`), `w:proofErr` around words the speller flagged,
`w:lastRenderedPageBreak`, paragraph ids (`w14:paraId`), the sessions in settings.xml,
a `_GoBack` bookmark, and the comment parts Word adds (commentsExtended.xml with
`w15:paraIdParent` for replies, commentsIds.xml, people.xml).

Everything is deterministic: the same render and edits give the same bytes.
"""

from __future__ import annotations

import copy
import itertools
from typing import Any

from lxml import etree

from tests.docx_review import Review, q, text_of

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
W16CID = "http://schemas.microsoft.com/office/word/2016/wordml/cid"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
CT_COMMENTS_EXTENDED = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml")
CT_COMMENTS_IDS = "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsIds+xml"
CT_PEOPLE = "application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml"
REL = "http://schemas.microsoft.com/office/2011/relationships"
REL_IDS = "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds"


_AFTER_RSIDS = {q(n) for n in ("attachedSchema", "themeFontLang", "clrSchemeMapping",
                                "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures",
                                "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
                                "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol",
                                "listSeparator")} | {
    "{http://schemas.openxmlformats.org/officeDocument/2006/math}mathPr"}


def _session(number: int) -> str:
    """An editing session's id, as Word writes them: eight hex digits."""
    return f"{(0x00A1B2C3 + number * 0x1F3D5) & 0xFFFFFFFF:08X}"


class WordReview(Review):
    """Edits one render as Word 365 would; `save()` gives the file Word would write."""

    def __init__(self, data: bytes, author: str = "Ada Reviewer", date: str = "2026-03-01",
                 tracked: bool = True) -> None:
        super().__init__(data, author, date, tracked)
        self.parents: dict[str, str] = {}  # reply comment id -> the comment it answers
        self.comment_edits: dict[str, str | None] = {}  # id -> new text, None: deleted
        self.footnote_doc = etree.fromstring(self.parts["word/footnotes.xml"])
        self.moves = 0
        self.authors: list[str] = [author]
        self.saved = False

    def by(self, author: str) -> None:
        """The edits after this are `author`'s (a second reviewer of the same file)."""
        self.author = author
        if author not in self.authors:
            self.authors.append(author)

    # -- edits Review does not make ----------------------------------------------------------

    def comment_of(self, contains: str) -> str:
        """The id of the first comment anchored in the paragraph containing `contains`."""
        p = self.paragraph(contains)
        for start in p.iter(q("commentRangeStart"), q("commentReference")):
            return start.get(q("id")) or ""
        raise AssertionError(f"no comment in the paragraph with {contains!r}")

    def reply(self, contains: str, text: str) -> None:
        """A reply, in the comment's thread, to the comment on the paragraph: Word anchors it
        on the same range and names its parent in commentsExtended.xml."""
        parent = self.comment_of(contains)
        p = self.paragraph(contains)
        cid = str(800 + len(self.comments))
        self.comments.append((cid, self.author, text))
        self.parents[cid] = parent
        start = next(e for e in p.iter(q("commentRangeStart")) if e.get(q("id")) == parent)
        start.addnext(etree.Element(q("commentRangeStart"), {q("id"): cid}))
        end = next(e for e in p.iter(q("commentRangeEnd")) if e.get(q("id")) == parent)
        end.addnext(etree.Element(q("commentRangeEnd"), {q("id"): cid}))
        reference = next(e for e in p.iter(q("commentReference")) if e.get(q("id")) == parent)
        run = etree.Element(q("r"))
        etree.SubElement(run, q("commentReference"), {q("id"): cid})
        reference.getparent().addnext(run)

    def _existing_comment(self, contains: str) -> str:
        root = etree.fromstring(self.parts["word/comments.xml"])
        for node in root.iter(q("comment")):
            if contains in "".join(t.text or "" for t in node.iter(q("t"))):
                return node.get(q("id")) or ""
        raise AssertionError(f"no comment with {contains!r}")

    def edit_comment(self, contains: str, text: str) -> None:
        """An existing comment's text rewritten: Word tracks no comment edits, and the comment
        keeps its author."""
        self.comment_edits[self._existing_comment(contains)] = text

    def delete_comment(self, contains: str) -> None:
        """An existing comment deleted: gone from comments.xml and from the text."""
        cid = self._existing_comment(contains)
        self.comment_edits[cid] = None
        for node in list(self.doc.iter(q("commentRangeStart"), q("commentRangeEnd"),
                                       q("commentReference"))):
            if node.get(q("id")) == cid:
                holder = node.getparent()
                if node.tag == q("commentReference") and len(holder) <= 2:
                    holder.getparent().remove(holder)
                else:
                    holder.remove(node)

    def move_after(self, contains: str, after: str) -> None:
        """Move the paragraph, as Track Moves records it: named move ranges around a
        w:moveFrom at the old place and a w:moveTo at the new, each paragraph mark moved."""
        self.moves += 1
        name = f"move{196000000 + self.moves}"
        source = self.paragraph(contains)
        target = self.paragraph(after)
        moved = copy.deepcopy(source)
        for child in [c for c in moved if c.tag != q("pPr")]:
            moved.remove(child)
        self._range(moved, "moveToRangeStart", name, first=True)
        wrapper = self._mark("moveTo")
        for run in [r for r in source if r.tag == q("r")]:
            wrapper.append(copy.deepcopy(run))
        moved.append(wrapper)
        self._range(moved, "moveToRangeEnd", name)
        self._paragraph_mark(moved, "moveTo")
        self._range(source, "moveFromRangeStart", name, first=True)
        self._delete_runs(source, "moveFrom")
        self._range(source, "moveFromRangeEnd", name)
        self._paragraph_mark(source, "moveFrom")
        target.addnext(moved)

    def _range(self, p: etree._Element, tag: str, name: str, first: bool = False) -> None:
        self.next_id += 1
        attributes = {q("id"): str(self.next_id)}
        if tag.endswith("Start"):
            attributes |= {q("name"): name, q("author"): self.author, q("date"): self.date}
        node = etree.Element(q(tag), attributes)
        if first:
            ppr = p.find(q("pPr"))
            if ppr is not None:
                ppr.addnext(node)
            else:
                p.insert(0, node)
        else:
            p.append(node)

    def _split_run_at(self, p: etree._Element, word: str) -> etree._Element:
        """The run of exactly `word`, split out of the run that holds it."""
        for t in p.iter(q("t")):
            if t.text and word in t.text:
                run = t.getparent()
                before, _, after = t.text.partition(word)
                pieces = []
                for part in (before, word, after):
                    if part:
                        piece = copy.deepcopy(run)
                        for extra in piece.findall(q("t")):
                            piece.remove(extra)
                        for extra in piece.findall(q("tab")):
                            piece.remove(extra)
                        new_t = etree.SubElement(piece, q("t"))
                        new_t.text = part
                        new_t.set(XML_SPACE, "preserve")
                        pieces.append((part, piece))
                for tab in run.findall(q("tab")):  # a number's run: "1.1:", then a tab
                    pieces[-1][1].append(copy.deepcopy(tab))
                for _, piece in pieces:
                    run.addprevious(piece)
                run.getparent().remove(run)
                return next(piece for part, piece in pieces if part == word)
        raise AssertionError(f"{word!r} not in one run")

    def format(self, contains: str, word: str) -> None:
        """The word made bold, as a tracked formatting change (w:rPrChange): the text is the
        same."""
        run = self._split_run_at(self.paragraph(contains), word)
        rpr = run.find(q("rPr"))
        if rpr is None:
            rpr = etree.Element(q("rPr"))
            run.insert(0, rpr)
        old = copy.deepcopy(rpr)
        etree.SubElement(rpr, q("b"))
        change = self._mark("rPrChange")
        change.append(old)
        rpr.append(change)

    def footnote_replace(self, contains: str, old: str, new: str) -> None:
        """A tracked edit of a footnote's text (in word/footnotes.xml)."""
        saved = self.doc
        self.doc = self.footnote_doc
        try:
            self.replace(contains, old, new)
        finally:
            self.doc = saved

    def merge_next(self, contains: str) -> None:
        """The paragraph's mark deleted: it and the next are one paragraph once accepted."""
        self._paragraph_mark(self.paragraph(contains), "del")

    def split(self, contains: str, after: str) -> None:
        """Enter pressed after `after`: the first half ends with a new (inserted) paragraph
        mark, the second half keeps the paragraph's own mark and style."""
        p = self.paragraph(contains)
        self._split_run_at(p, after)  # `after` ends a run now
        second = etree.Element(q("p"))
        ppr = p.find(q("pPr"))
        if ppr is not None:
            second.append(copy.deepcopy(ppr))
        children = list(p)
        cut = next(i for i, c in enumerate(children)
                   if c.tag == q("r") and text_of(c) == after) + 1
        for child in children[cut:]:
            if child.tag != q("bookmarkEnd"):
                second.append(child)
        if self.tracked:
            self._paragraph_mark(p, "ins")
        p.addnext(second)

    def nested(self, contains: str, after: str, text: str, inner: str, find: str,
               new: str) -> None:
        """This reviewer inserts `text` after `after`; then `inner` replaces `find` inside that
        insertion by `new`: Word nests the inner deletion in the outer insertion and splits
        the outer insertion around the inner one."""
        p = self.paragraph(contains)
        anchor = self._split_run_at(p, after)
        before, _, rest = text.partition(find)
        outer_author = self.author
        pieces: list[etree._Element] = []
        if before:
            first = self._mark("ins")
            first.append(self._run(before))
            pieces.append(first)
        self.by(inner)
        deleted = self._mark("del")
        deleted.append(self._run(find, deleted=True))
        self.author = outer_author
        holder = self._mark("ins")
        holder.append(deleted)
        pieces.append(holder)
        self.by(inner)
        inserted = self._mark("ins")
        inserted.append(self._run(new))
        pieces.append(inserted)
        self.author = outer_author
        if rest:
            last = self._mark("ins")
            last.append(self._run(rest))
            pieces.append(last)
        for piece in reversed(pieces):
            anchor.addnext(piece)

    def insert_in(self, contains: str, after: str, runs: list[etree._Element]) -> None:
        """Tracked insertion of ready-made runs (or run containers) after the run `after`."""
        anchor = self._split_run_at(self.paragraph(contains), after)
        insertion = self._mark("ins")
        for run in runs:
            insertion.append(run)
        anchor.addnext(insertion)

    def bidi_insert(self, contains: str, after: str, text: str, element: str = "dir") -> None:
        """Right-to-left text inserted inside a bidirectional embedding (w:dir) or override
        (w:bdo), as Word writes an Arabic phrase typed into English text."""
        container = etree.Element(q(element), {q("val"): "rtl"})
        run = self._run(text)
        rpr = etree.Element(q("rPr"))
        etree.SubElement(rpr, q("rtl"))
        run.insert(0, rpr)
        container.append(run)
        self.insert_in(contains, after, [container])

    def special(self, contains: str, after: str, first: str, second: str) -> None:
        """Inserted: `first`, a non-breaking hyphen, `second`, then a symbol character (a
        bullet from the Symbol font, as Insert > Symbol writes it)."""
        run = self._run(first)
        etree.SubElement(run, q("noBreakHyphen"))
        tail = etree.SubElement(run, q("t"))
        tail.text = second
        tail.set(XML_SPACE, "preserve")
        etree.SubElement(run, q("sym"), {q("font"): "Symbol", q("char"): "F0B7"})
        self.insert_in(contains, after, [run])

    # -- the manifest's operations -----------------------------------------------------------

    def apply(self, op: dict[str, Any]) -> None:
        """One operation of the corpus manifest ({"op": "replace", "para": ..., ...})."""
        args = {k: v for k, v in op.items() if k not in ("op", "author")}
        if "author" in op:
            self.by(op["author"])
        name = op["op"]
        para = args.pop("para", None)
        calls: dict[str, Any] = {
            "replace": lambda: self.replace(para, args["find"], args["with"]),
            "insert_after": lambda: self.insert_after(para, args["text"]),
            "delete": lambda: self.delete(para),
            "comment": lambda: self.comment(para, args["text"]),
            "reply": lambda: self.reply(para, args["text"]),
            "edit_comment": lambda: self.edit_comment(args["comment"], args["text"]),
            "delete_comment": lambda: self.delete_comment(args["comment"]),
            "move_after": lambda: self.move_after(para, args["after"]),
            "format": lambda: self.format(para, args["word"]),
            "footnote_replace": lambda: self.footnote_replace(para, args["find"], args["with"]),
            "merge_next": lambda: self.merge_next(para),
            "split": lambda: self.split(para, args["after"]),
            "nested": lambda: self.nested(para, args["after"], args["text"], args["inner"],
                                          args["find"], args["with"]),
            "bidi_insert": lambda: self.bidi_insert(para, args["after"], args["text"],
                                                    args.get("element", "dir")),
            "special": lambda: self.special(para, args["after"], args["first"],
                                            args["second"]),
            "insert_hidden": lambda: self.insert_hidden(para, args["text"]),
            "insert_row_after": lambda: self.insert_row_after(para, args["cells"]),
            "delete_row": lambda: self.delete_row(para),
        }
        calls[name]()

    # -- the file as Word 365 writes it ------------------------------------------------------

    def package(self) -> dict[str, bytes]:
        if self.saved:
            raise AssertionError("a WordReview is saved once")
        self.saved = True
        self._as_word(self.doc)
        self._as_word(self.footnote_doc, start=5000)
        self.parts["word/footnotes.xml"] = _xml(_with_namespaces(self.footnote_doc))
        self.doc = _with_namespaces(self.doc)
        parts = super().package()
        self._core(parts)
        self._settings(parts)
        self._comment_parts(parts)
        return parts

    def _as_word(self, root: etree._Element, start: int = 0) -> None:
        """Sessions, speller marks and ids over every paragraph, deterministically."""
        counter = itertools.count(start)
        for number, p in enumerate(list(root.iter(q("p"))), start):
            p.set(f"{{{W14}}}paraId", f"{0x1A2B0000 + number:08X}")
            p.set(f"{{{W14}}}textId", f"{0x77EE0000 + number:08X}")
            p.set(q("rsidR"), _session(number % 5))
            p.set(q("rsidRDefault"), _session(0))
            for run in [r for r in p.iter(q("r"))]:
                self._split_session(run, next(counter))
            if number % 20 == 7:
                first = next(p.iter(q("r")), None)
                if first is not None:
                    rpr = first.find(q("rPr"))
                    index = 1 if rpr is not None else 0
                    first.insert(index, etree.Element(q("lastRenderedPageBreak")))
        body = root.find(q("body"))
        if body is not None and start == 0:
            last = body.findall(q("p"))[-1]
            last.append(etree.Element(q("bookmarkStart"), {q("id"): "0", q("name"): "_GoBack"}))
            last.append(etree.Element(q("bookmarkEnd"), {q("id"): "0"}))

    def _split_session(self, run: etree._Element, number: int) -> None:
        """A run of several words split where a later session typed into it: two runs, the
        same formatting, different rsids; every third split with the speller's marks around
        its second half."""
        run.set(q("rsidR"), _session(number % 7))
        if run.find(q("delText")) is not None:
            run.set(q("rsidDel"), _session(number % 7 + 2))
        texts = run.findall(q("t"))
        if len(texts) != 1 or len(run) != len(texts) + (run.find(q("rPr")) is not None):
            return
        t = texts[0]
        words = (t.text or "").split(" ")
        if len(words) < 4:
            return
        middle = len(words) // 2
        head, tail = " ".join(words[:middle]) + " ", " ".join(words[middle:])
        second = copy.deepcopy(run)
        second.set(q("rsidR"), _session(number % 7 + 1))
        second[list(run).index(t)].text = tail
        t.text = head
        t.set(XML_SPACE, "preserve")
        run.addnext(second)
        if number % 3 == 0:
            second.addprevious(etree.Element(q("proofErr"), {q("type"): "spellStart"}))
            second.addnext(etree.Element(q("proofErr"), {q("type"): "spellEnd"}))

    def _core(self, parts: dict[str, bytes]) -> None:
        """The properties Word sets on every save: who saved it last, and when."""
        cp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
        terms = "http://purl.org/dc/terms/"
        root = etree.fromstring(parts["docProps/core.xml"])
        for node in root.iter(f"{{{cp}}}lastModifiedBy"):
            node.text = self.authors[-1]
        for node in root.iter(f"{{{cp}}}revision"):
            node.text = str(int(node.text or "1") + 3)
        for node in root.iter(f"{{{terms}}}modified"):
            node.text = self.date
        parts["docProps/core.xml"] = _xml(root)

    def _settings(self, parts: dict[str, bytes]) -> None:
        root = etree.fromstring(parts["word/settings.xml"])
        rsids = etree.Element(q("rsids"))
        # In the schema's order: after compat and docVars, before the theme's font language.
        later = next((c for c in root if c.tag in _AFTER_RSIDS), None)
        if later is not None:
            later.addprevious(rsids)
        else:
            root.append(rsids)
        etree.SubElement(rsids, q("rsidRoot"), {q("val"): _session(0)})
        for number in range(9):
            etree.SubElement(rsids, q("rsid"), {q("val"): _session(number)})
        parts["word/settings.xml"] = _xml(root)

    def _comment_parts(self, parts: dict[str, bytes]) -> None:
        """comments.xml with paragraph ids, the existing comments' edits, and the parts Word
        adds beside it: commentsExtended (threads), commentsIds, people."""
        if "word/comments.xml" not in parts:
            return
        root = etree.fromstring(parts["word/comments.xml"])
        para_of: dict[str, str] = {}
        for number, node in enumerate(list(root.iter(q("comment")))):
            cid = node.get(q("id")) or ""
            if cid in self.comment_edits:
                text = self.comment_edits[cid]
                if text is None:
                    root.remove(node)
                    continue
                for p in node.findall(q("p"))[1:]:
                    node.remove(p)
                p = node.find(q("p"))
                assert p is not None
                for child in [c for c in p if c.tag != q("pPr")]:
                    p.remove(child)
                etree.SubElement(etree.SubElement(p, q("r")), q("t")).text = text
            paragraphs = node.findall(q("p"))
            para_id = f"{0x3C4D0000 + number:08X}"
            paragraphs[-1].set(f"{{{W14}}}paraId", para_id)
            para_of[cid] = para_id
        parts["word/comments.xml"] = _xml(_with_namespaces(root))
        extended = etree.Element(f"{{{W15}}}commentsEx", nsmap={"w15": W15, "mc": MC})
        ids = etree.Element(f"{{{W16CID}}}commentsIds", nsmap={"w16cid": W16CID})
        for number, (cid, para_id) in enumerate(para_of.items()):
            entry = etree.SubElement(extended, f"{{{W15}}}commentEx",
                                     {f"{{{W15}}}paraId": para_id, f"{{{W15}}}done": "0"})
            if cid in self.parents:
                entry.set(f"{{{W15}}}paraIdParent", para_of[self.parents[cid]])
            etree.SubElement(ids, f"{{{W16CID}}}commentId", {
                f"{{{W16CID}}}paraId": para_id,
                f"{{{W16CID}}}durableId": f"{0x5E6F0000 + number:08X}"})
        people = etree.Element(f"{{{W15}}}people", nsmap={"w15": W15})
        for author in self.authors:
            person = etree.SubElement(people, f"{{{W15}}}person", {f"{{{W15}}}author": author})
            etree.SubElement(person, f"{{{W15}}}presenceInfo", {
                f"{{{W15}}}providerId": "None", f"{{{W15}}}userId": author})
        added = {"word/commentsExtended.xml": (extended, CT_COMMENTS_EXTENDED,
                                               f"{REL}/commentsExtended"),
                 "word/commentsIds.xml": (ids, CT_COMMENTS_IDS, REL_IDS),
                 "word/people.xml": (people, CT_PEOPLE, f"{REL}/people")}
        rels = parts["word/_rels/document.xml.rels"].decode()
        types = parts["[Content_Types].xml"].decode()
        for number, (name, (part, content_type, rel_type)) in enumerate(added.items()):
            parts[name] = _xml(part)
            target = name.removeprefix("word/")
            rels = rels.replace("</Relationships>", f'<Relationship Id="rIdW{number}" '
                                f'Type="{rel_type}" Target="{target}"/></Relationships>')
            types = types.replace("</Types>", f'<Override PartName="/{name}" '
                                  f'ContentType="{content_type}"/></Types>')
        parts["word/_rels/document.xml.rels"] = rels.encode()
        parts["[Content_Types].xml"] = types.encode()


def _with_namespaces(root: etree._Element) -> etree._Element:
    """The root again with the namespaces Word 365 declares (and marks ignorable)."""
    nsmap = dict(root.nsmap) | {"w14": W14, "w15": W15, "mc": MC, "w": W}
    new = etree.Element(root.tag, dict(root.attrib), nsmap=nsmap)
    new.set(f"{{{MC}}}Ignorable", "w14 w15")
    new.text = root.text
    for child in root:
        new.append(child)
    return new


def _xml(root: etree._Element) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data
