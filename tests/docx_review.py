"""Reviewed copies of a rendered .docx, made by a test as Word writes them: tracked changes in
runs, paragraph marks and table rows, moves, comments, or edits without tracking."""

from __future__ import annotations

import copy
import io
import re
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def q(name: str) -> str:
    return f"{{{W}}}{name}"


def text_of(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(q("t"), q("delText")))


class Review:
    """Edits one .docx; `save()` gives the reviewed file."""

    def __init__(self, data: bytes, author: str = "Ada Reviewer", date: str = "2026-03-01",
                 tracked: bool = True) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.parts = {n: self.zip.read(n) for n in self.zip.namelist()}
        self.doc = etree.fromstring(self.parts["word/document.xml"])
        self.author = author
        self.date = f"{date}T10:00:00Z"
        self.tracked = tracked
        self.next_id = 900_000
        self.comments: list[tuple[str, str, str]] = []

    # -- finding -----------------------------------------------------------------------------

    def paragraph(self, contains: str, nth: int = 0) -> etree._Element:
        found = [p for p in self.doc.iter(q("p")) if contains in text_of(p)]
        assert len(found) > nth, f"no paragraph with {contains!r}"
        return found[nth]

    def _mark(self, tag: str) -> etree._Element:
        self.next_id += 1
        return etree.Element(q(tag), {q("id"): str(self.next_id), q("author"): self.author,
                                      q("date"): self.date})

    def _paragraph_mark(self, p: etree._Element, tag: str) -> None:
        """The paragraph's mark inserted, deleted or moved (w:pPr/w:rPr/w:ins ...)."""
        ppr = p.find(q("pPr"))
        if ppr is None:
            ppr = etree.Element(q("pPr"))
            p.insert(0, ppr)
        rpr = ppr.find(q("rPr"))
        if rpr is None:
            rpr = etree.SubElement(ppr, q("rPr"))
        rpr.insert(0, self._mark(tag))

    def _run(self, text: str, deleted: bool = False) -> etree._Element:
        r = etree.Element(q("r"))
        t = etree.SubElement(r, q("delText" if deleted else "t"))
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return r

    # -- edits -------------------------------------------------------------------------------

    def replace(self, contains: str, old: str, new: str, nth: int = 0) -> None:
        """Replace `old` by `new` inside the paragraph (old deleted, new inserted)."""
        self._replace_in(self.paragraph(contains, nth), old, new)

    def insert_after(self, contains: str, text: str, nth: int = 0) -> etree._Element:
        """A new paragraph after the one containing `contains`, of its style, as Word records
        it: the preceding paragraph's mark inserted, the new text inserted."""
        p = self.paragraph(contains, nth)
        new = etree.Element(q("p"))
        ppr = p.find(q("pPr"))
        if ppr is not None:
            new_ppr = copy.deepcopy(ppr)
            for rpr in new_ppr.findall(q("rPr")):
                new_ppr.remove(rpr)
            new.append(new_ppr)
        if self.tracked:
            insertion = self._mark("ins")
            insertion.append(self._run(text))
            new.append(insertion)
            self._paragraph_mark(p, "ins")
        else:
            new.append(self._run(text))
        p.addnext(new)
        return new

    def delete(self, contains: str, nth: int = 0) -> None:
        """Delete the whole paragraph (its text and its mark)."""
        p = self.paragraph(contains, nth)
        if not self.tracked:
            p.getparent().remove(p)
            return
        self._delete_runs(p)
        self._paragraph_mark(p, "del")

    def _delete_runs(self, p: etree._Element, tag: str = "del") -> None:
        for run in [r for r in p if r.tag == q("r")]:
            for t in run.iter(q("t")):
                t.tag = q("delText")
            wrapper = self._mark(tag)
            run.addprevious(wrapper)
            wrapper.append(run)

    def row(self, contains: str) -> etree._Element:
        p = self.paragraph(contains)
        tr = next(p.iterancestors(q("tr")))
        return tr

    def insert_row_after(self, contains: str, texts: list[str]) -> None:
        """A copy of the row containing `contains` after it, its cells' texts replaced (one
        paragraph each), the row and its text inserted."""
        tr = self.row(contains)
        new = copy.deepcopy(tr)
        for b in list(new.iter(q("bookmarkStart"), q("bookmarkEnd"))):
            b.getparent().remove(b)  # Word drops copied bookmarks: names are unique
        for tc, text in zip(new.findall(q("tc")), texts, strict=False):
            paragraphs = tc.findall(q("p"))
            for extra in paragraphs[1:]:
                tc.remove(extra)
            p = paragraphs[0]
            for child in [c for c in p if c.tag != q("pPr")]:
                p.remove(child)
            if text:
                wrapper = self._mark("ins")
                wrapper.append(self._run(text))
                p.append(wrapper)
        tr_pr = new.find(q("trPr"))
        if tr_pr is None:
            tr_pr = etree.Element(q("trPr"))
            new.insert(0, tr_pr)
        tr_pr.append(self._mark("ins"))
        tr.addnext(new)

    def delete_row(self, contains: str) -> None:
        tr = self.row(contains)
        for p in tr.iter(q("p")):
            self._delete_runs(p)
        tr_pr = tr.find(q("trPr"))
        if tr_pr is None:
            tr_pr = etree.Element(q("trPr"))
            tr.insert(0, tr_pr)
        tr_pr.append(self._mark("del"))

    def move_after(self, contains: str, after: str) -> None:
        """Move the paragraph containing `contains` to after the one containing `after`."""
        source = self.paragraph(contains)
        target = self.paragraph(after)
        moved = copy.deepcopy(source)
        for b in list(moved.iter(q("bookmarkStart"), q("bookmarkEnd"))):
            b.getparent().remove(b)
        for child in [c for c in moved if c.tag not in (q("pPr"),)]:
            moved.remove(child)
        wrapper = self._mark("moveTo")
        for run in [r for r in source if r.tag == q("r")]:
            wrapper.append(copy.deepcopy(run))
        moved.append(wrapper)
        self._delete_runs(source, "moveFrom")
        target.addnext(moved)

    def comment(self, contains: str, text: str, author: str | None = None,
                nth: int = 0) -> None:
        """A comment over the whole paragraph."""
        self.comment_on(self.paragraph(contains, nth), text, author)

    def comment_on(self, p: etree._Element, text: str, author: str | None = None) -> None:
        """A comment over the whole of paragraph `p`."""
        cid = str(800 + len(self.comments))
        self.comments.append((cid, author or self.author, text))
        start = etree.Element(q("commentRangeStart"), {q("id"): cid})
        ppr = p.find(q("pPr"))
        if ppr is not None:
            ppr.addnext(start)
        else:
            p.insert(0, start)
        p.append(etree.Element(q("commentRangeEnd"), {q("id"): cid}))
        ref = etree.SubElement(p, q("r"))
        etree.SubElement(ref, q("commentReference"), {q("id"): cid})

    def insert_hidden(self, contains: str, text: str, nth: int = 0) -> None:
        """Text Word does not show (a run formatted hidden, w:vanish) at the end of the
        paragraph, inserted as a tracked change when the review is tracked."""
        self.insert_formatted(contains, text, {"vanish": {}}, nth)

    def insert_formatted(self, contains: str, text: str, properties: dict[str, dict[str, str]],
                         nth: int = 0) -> None:
        """A run with these run properties (w:color {"val": "FFFFFF"}, ...) at the end of the
        paragraph, inserted as a tracked change when the review is tracked."""
        self.insert_element(contains, self._run(text), properties, nth)

    def insert_element(self, contains: str, run: etree._Element,
                       properties: dict[str, dict[str, str]] | None = None,
                       nth: int = 0) -> None:
        """`run` at the end of the paragraph, with these run properties, inserted as a tracked
        change when the review is tracked."""
        p = self.paragraph(contains, nth)
        if properties:
            rpr = etree.Element(q("rPr"))
            for name, attributes in properties.items():
                etree.SubElement(rpr, q(name), {q(k): v for k, v in attributes.items()})
            run.insert(0, rpr)
        if self.tracked:
            insertion = self._mark("ins")
            insertion.append(run)
            run = insertion
        p.append(run)

    def ruby(self, contains: str, base: str, guide: str) -> None:
        """Words with a phonetic guide (w:ruby: the guide over the base), as Word's Phonetic
        Guide writes them for Chinese or Japanese."""
        run = etree.Element(q("r"))
        ruby = etree.SubElement(run, q("ruby"))
        for holder, text in (("rt", guide), ("rubyBase", base)):
            etree.SubElement(ruby, q(holder)).append(self._run(text))
        self.insert_element(contains, run)

    def alt_chunk(self, after: str, html: str) -> None:
        """A w:altChunk after the paragraph: Word shows the HTML part it names in its place."""
        part = "word/afchunk.htm"
        self.parts[part] = html.encode()
        self._relate(part, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                     "aFChunk", "text/html")
        rid = f"rId{abs(hash(part)) % 10**6}"
        self.paragraph(after).addnext(etree.Element(q("altChunk"), {
            "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id": rid}))

    def edit_footer(self, text: str, pages: tuple[int, int] | None = None,
                    comment: str | None = None) -> None:
        """`text` typed at the end of the page footer (tracked when the review is), its page
        numbers as a program that updated the fields leaves them, or a comment on it."""
        name = next(n for n in sorted(self.parts) if re.fullmatch(r"word/footer\d*\.xml", n))
        root = self._xml(name)
        p = root.find(f"{q('p')}")
        assert p is not None
        if pages is not None:
            numbers = [t for t in p.iter(q("t")) if (t.text or "").strip().isdigit()]
            for t, number in zip(numbers, pages, strict=True):
                t.text = str(number)
        if text:
            run = self._run(text)
            if self.tracked:
                insertion = self._mark("ins")
                insertion.append(run)
                run = insertion
            p.append(run)
        if comment is not None:
            cid = str(800 + len(self.comments))
            self.comments.append((cid, self.author, comment))
            p.insert(0, etree.Element(q("commentRangeStart"), {q("id"): cid}))
            p.append(etree.Element(q("commentRangeEnd"), {q("id"): cid}))
            reference = etree.SubElement(p, q("r"))
            etree.SubElement(reference, q("commentReference"), {q("id"): cid})
        self._store(name, root)

    def main_document_elsewhere(self, shown: bytes) -> None:
        """The package's main document (its officeDocument relationship) becomes a copy at
        word/document2.xml holding `shown`; word/document.xml, as this review edits it, stays
        in the package, related to nothing: Word shows `shown`."""
        self.parts["word/document2.xml"] = shown
        self.parts["word/_rels/document2.xml.rels"] = self.parts["word/_rels/document.xml.rels"]
        self.parts["_rels/.rels"] = self.parts["_rels/.rels"].replace(
            b'Target="word/document.xml"', b'Target="word/document2.xml"')
        types = self.parts["[Content_Types].xml"].decode()
        self.parts["[Content_Types].xml"] = types.replace(
            "</Types>", '<Override PartName="/word/document2.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ).encode()

    def shade_cell(self, contains: str, fill: str, nth: int = 0) -> None:
        """The table cell that holds the paragraph filled with `fill` (w:tcPr/w:shd), as a
        house style's dark header row is."""
        cell = next(self.paragraph(contains, nth).iterancestors(q("tc")))
        properties = cell.find(q("tcPr"))
        if properties is None:
            properties = etree.Element(q("tcPr"))
            cell.insert(0, properties)
        for old in properties.findall(q("shd")):
            properties.remove(old)
        etree.SubElement(properties, q("shd"), {q("val"): "clear", q("color"): "auto",
                                                q("fill"): fill})

    def bind_to_data(self, contains: str, shown: str) -> None:
        """The paragraph's text in a content control bound to a custom XML part that holds
        `shown` (w:dataBinding): Word and LibreOffice show `shown` in its place."""
        p = self.paragraph(contains)
        runs = [c for c in p if c.tag == q("r") and c.find(q("t")) is not None]
        control = etree.Element(q("sdt"))
        properties = etree.SubElement(control, q("sdtPr"))
        store = "{11111111-2222-3333-4444-555555555555}"
        etree.SubElement(properties, q("dataBinding"), {q("xpath"): "/root[1]/v[1]",
                                                        q("storeItemID"): store})
        etree.SubElement(properties, q("text"))
        content = etree.SubElement(control, q("sdtContent"))
        runs[0].addprevious(control)
        for run in runs:
            content.append(run)
        root = etree.Element("root")
        etree.SubElement(root, "v").text = shown
        self.parts["customXml/item9.xml"] = etree.tostring(root)
        self.parts["customXml/itemProps9.xml"] = (
            f'<ds:datastoreItem ds:itemID="{store}" xmlns:ds="http://schemas.openxmlformats.'
            'org/officeDocument/2006/customXml"><ds:schemaRefs/></ds:datastoreItem>').encode()
        self.parts["customXml/_rels/item9.xml.rels"] = (
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/customXmlProps" Target="itemProps9.xml"/>'
            b'</Relationships>')
        rels = self.parts["word/_rels/document.xml.rels"].decode()
        self.parts["word/_rels/document.xml.rels"] = rels.replace(
            "</Relationships>", '<Relationship Id="rIdBound" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/customXml" '
            'Target="../customXml/item9.xml"/></Relationships>').encode()
        types = self.parts["[Content_Types].xml"].decode()
        self.parts["[Content_Types].xml"] = types.replace(
            "</Types>", '<Override PartName="/customXml/itemProps9.xml" ContentType="'
            'application/vnd.openxmlformats-officedocument.customXmlProperties+xml"/></Types>'
        ).encode()

    def hide_by_default(self) -> None:
        """The document's default run properties hide text (w:docDefaults w:vanish), and every
        run of the render is shown again by its own w:vanish w:val="0": the file looks as the
        render does, and what is typed into it without formatting is hidden."""
        styles = self._xml("word/styles.xml")
        defaults = styles.find(f"{q('docDefaults')}/{q('rPrDefault')}")
        assert defaults is not None, "the render has w:docDefaults"
        rpr = defaults.find(q("rPr"))
        if rpr is None:
            rpr = etree.SubElement(defaults, q("rPr"))
        etree.SubElement(rpr, q("vanish"))
        self._store("word/styles.xml", styles)
        others = [n for n in self.parts
                  if re.fullmatch(r"word/(footnotes|comments|footer\d*)\.xml", n)]
        roots = {"word/document.xml": self.doc, **{n: self._xml(n) for n in others}}
        for name, root in roots.items():
            for run in root.iter(q("r")):
                own = run.find(q("rPr"))
                if own is None:
                    own = etree.Element(q("rPr"))
                    run.insert(0, own)
                etree.SubElement(own, q("vanish"), {q("val"): "0"})
            if name in others:
                self._store(name, root)

    # -- the key table -----------------------------------------------------------------------

    def _key_parts(self) -> list[str]:
        return [n for n in self.parts if re.fullmatch(r"customXml/item\d+\.xml", n)
                and b"urn:stratplan:keys" in self.parts[n]]

    def swap_keys(self, first: str, second: str) -> None:
        """Swap the keys two entries of the hidden key table give (each found by its key),
        as someone who wants one item read as another would."""
        for name in self._key_parts():
            root = etree.fromstring(self.parts[name])
            entries = {e.text: e for e in root}
            a, b = entries[first], entries[second]
            a.text, b.text = second, first
            self.parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                              standalone=True)

    def drop_key_table(self) -> None:
        """The file without its key table (the parts, and the relationships to them)."""
        for name in self._key_parts():
            del self.parts[name]
            number = name.removeprefix("customXml/item").removesuffix(".xml")
            for extra in (f"customXml/_rels/item{number}.xml.rels",
                          f"customXml/itemProps{number}.xml"):
                self.parts.pop(extra, None)
            rels = etree.fromstring(self.parts["word/_rels/document.xml.rels"])
            for rel in list(rels):
                if rel.get("Target", "").endswith(name):
                    rels.remove(rel)
            self.parts["word/_rels/document.xml.rels"] = etree.tostring(
                rels, xml_declaration=True, encoding="UTF-8", standalone=True)
            types = etree.fromstring(self.parts["[Content_Types].xml"])
            for override in list(types):
                if override.get("PartName", "").startswith(f"/customXml/itemProps{number}"):
                    types.remove(override)
            self.parts["[Content_Types].xml"] = etree.tostring(
                types, xml_declaration=True, encoding="UTF-8", standalone=True)

    # -- the file ----------------------------------------------------------------------------

    def save(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in self.package().items():  # fixed dates: the same bytes each time
                z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data,
                           zipfile.ZIP_DEFLATED)
        return out.getvalue()

    def package(self) -> dict[str, bytes]:
        """The reviewed file's parts, by name."""
        parts = dict(self.parts)
        parts["word/document.xml"] = etree.tostring(self.doc, xml_declaration=True,
                                                    encoding="UTF-8", standalone=True)
        if self.comments:
            name = "word/comments.xml"
            if name in parts:
                root = etree.fromstring(parts[name])
            else:
                root = etree.Element(q("comments"), nsmap=NS)
                rels = parts["word/_rels/document.xml.rels"].decode()
                parts["word/_rels/document.xml.rels"] = rels.replace(
                    "</Relationships>",
                    '<Relationship Id="rIdReview" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/comments" Target="comments.xml"/>'
                    "</Relationships>").encode()
                types = parts["[Content_Types].xml"].decode()
                parts["[Content_Types].xml"] = types.replace(
                    "</Types>",
                    '<Override PartName="/word/comments.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>'
                    "</Types>").encode()
            for cid, author, text in self.comments:
                node = etree.SubElement(root, q("comment"), {
                    q("id"): cid, q("author"): author, q("date"): self.date,
                    q("initials"): "".join(w[0] for w in author.split())[:9]})
                p = etree.SubElement(node, q("p"))
                etree.SubElement(etree.SubElement(p, q("r")), q("t")).text = text
            parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                         standalone=True)
        return parts

    # -- more of what Word records (issue 20): each family of edit, as Word 365 writes it ----

    def _xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.parts[name])

    def _store(self, name: str, root: etree._Element) -> None:
        self.parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                          standalone=True)

    def _replace_in(self, p: etree._Element, old: str, new: str) -> None:
        for t in p.iter(q("t")):
            if t.text and old in t.text:
                run = t.getparent()
                before, _, after = t.text.partition(old)
                parent = run.getparent()
                index = parent.index(run)
                pieces: list[etree._Element] = []
                if before:
                    pieces.append(self._run(before))
                if self.tracked:
                    deletion = self._mark("del")
                    deletion.append(self._run(old, deleted=True))
                    insertion = self._mark("ins")
                    insertion.append(self._run(new))
                    pieces += [deletion, insertion]
                else:
                    pieces.append(self._run(new))
                if after:
                    pieces.append(self._run(after))
                rest = [c for c in run if c is not t and c.tag not in (q("rPr"), q("t"))]
                if rest:  # a number's run: "5", then a tab; the tab stays
                    tail = etree.Element(q("r"))
                    for child in rest:
                        tail.append(copy.deepcopy(child))
                    pieces.append(tail)
                parent.remove(run)
                for offset, piece in enumerate(pieces):
                    parent.insert(index + offset, piece)
                return
        raise AssertionError(f"{old!r} not in one run of the paragraph “{text_of(p)[:60]}”")

    def _footnote(self, contains: str) -> etree._Element:
        root = self._xml("word/footnotes.xml")
        for note in root.iter(q("footnote")):
            if contains in text_of(note):
                return note
        raise AssertionError(f"no footnote with {contains!r}")

    def footnote_replace(self, contains: str, old: str, new: str) -> None:
        """Words of a footnote replaced (tracked inside the footnote, as Word does)."""
        root = self._xml("word/footnotes.xml")
        note = next(n for n in root.iter(q("footnote")) if contains in text_of(n))
        p = next(p for p in note.iter(q("p")) if old in text_of(p))
        self._replace_in(p, old, new)
        self._store("word/footnotes.xml", root)

    def add_footnote(self, contains: str, after: str, text: str) -> None:
        """A new footnote after the words `after` of the paragraph: its reference (and its
        text) inserted."""
        root = self._xml("word/footnotes.xml")
        ident = str(max(int(n.get(q("id")) or 0) for n in root.iter(q("footnote"))) + 1)
        note = etree.SubElement(root, q("footnote"), {q("id"): ident})
        p = etree.SubElement(note, q("p"))
        ref = etree.Element(q("r"))
        etree.SubElement(ref, q("footnoteRef"))
        body = [ref, self._run(" " + text)]
        if self.tracked:
            insertion = self._mark("ins")
            for run in body:
                insertion.append(run)
            p.append(insertion)
        else:
            for run in body:
                p.append(run)
        self._store("word/footnotes.xml", root)
        reference = etree.Element(q("r"))
        etree.SubElement(etree.SubElement(reference, q("rPr")), q("rStyle"),
                         {q("val"): "FootnoteReference"})
        etree.SubElement(reference, q("footnoteReference"), {q("id"): ident})
        self._insert_at(self.paragraph(contains), after, [reference])

    def remove_footnote(self, contains: str) -> None:
        """The paragraph's footnote reference deleted (the footnote goes with it)."""
        p = self.paragraph(contains)
        run = next(r for r in p.iter(q("r")) if r.find(q("footnoteReference")) is not None)
        if self.tracked:
            deletion = self._mark("del")
            run.addprevious(deletion)
            deletion.append(run)
        else:
            run.getparent().remove(run)

    def _insert_at(self, p: etree._Element, after: str,
                   runs: list[etree._Element]) -> None:
        """`runs` (inserted, when tracked) right after the words `after` of `p`."""
        for t in p.iter(q("t")):
            if t.text and after in t.text:
                run = t.getparent()
                head, rest = t.text[: t.text.index(after) + len(after)], \
                    t.text[t.text.index(after) + len(after):]
                t.text = head
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                items = list(runs)
                if self.tracked:
                    insertion = self._mark("ins")
                    for item in items:
                        insertion.append(item)
                    items = [insertion]
                if rest:
                    items.append(self._run(rest))
                previous = run
                for item in items:
                    previous.addnext(item)
                    previous = item
                return
        raise AssertionError(f"{after!r} not in one run")

    def merge_next(self, contains: str) -> None:
        """The paragraph's mark deleted: it and the next are one paragraph."""
        p = self.paragraph(contains)
        following = p.getnext()
        if not self.tracked:
            for child in [c for c in following if c.tag != q("pPr")]:
                p.append(child)
            following.getparent().remove(following)
            return
        self._paragraph_mark(p, "del")

    def split(self, contains: str, after: str) -> None:
        """The paragraph split after the words `after`: a paragraph mark inserted there (the
        first half a paragraph of its own, the second keeps the paragraph's own mark)."""
        p = self.paragraph(contains)
        t = next(t for t in p.iter(q("t")) if t.text and after in t.text)
        run = t.getparent()
        assert run.getparent() is p, "the words must be in a run of the paragraph itself"
        cut = (t.text or "").index(after) + len(after)
        rest = (t.text or "")[cut:]
        t.text = (t.text or "")[:cut]
        second = self._run(rest)
        run.addnext(second)
        first = etree.Element(q("p"))
        ppr = p.find(q("pPr"))
        if ppr is not None:
            first.append(copy.deepcopy(ppr))
        for child in list(p):
            if child is second:
                break
            if child.tag != q("pPr"):
                first.append(child)
        if self.tracked:
            self._paragraph_mark(first, "ins")
        p.addprevious(first)

    # -- comments already in the document --------------------------------------------------

    def _comment_node(self, root: etree._Element, contains: str) -> etree._Element:
        for node in root.iter(q("comment")):
            if contains in text_of(node):
                return node
        raise AssertionError(f"no comment with {contains!r}")

    def hide_in_comment(self, contains: str, text: str) -> None:
        """Hidden words (w:vanish) at the end of a comment the file already has."""
        root = self._xml("word/comments.xml")
        run = self._run(text)
        properties = etree.Element(q("rPr"))
        etree.SubElement(properties, q("vanish"))
        run.insert(0, properties)
        self._comment_node(root, contains).findall(q("p"))[-1].append(run)
        self._store("word/comments.xml", root)

    def delete_comment(self, contains: str) -> None:
        """A comment deleted: gone from comments.xml and from the text."""
        root = self._xml("word/comments.xml")
        node = self._comment_node(root, contains)
        cid = node.get(q("id"))
        root.remove(node)
        self._store("word/comments.xml", root)
        for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):
            for mark in list(self.doc.iter(q(tag))):
                if mark.get(q("id")) == cid:
                    parent = mark.getparent()
                    if tag == "commentReference" and parent.tag == q("r"):
                        parent.getparent().remove(parent)
                    else:
                        parent.remove(mark)

    def edit_comment(self, contains: str, text: str) -> None:
        """A comment's words changed (Word keeps its author and records no revision)."""
        root = self._xml("word/comments.xml")
        node = self._comment_node(root, contains)
        ts = list(node.iter(q("t")))
        ts[0].text = text
        for t in ts[1:]:
            t.text = ""
        self._store("word/comments.xml", root)

    def answer(self, contains: str, text: str, author: str, anchored: bool = True) -> None:
        """A reply to the comment with `contains`, as Word 365 threads it: a comment of its
        own, its parent named in commentsExtended.xml (w15:paraIdParent), on the same range
        (`anchored`) or on none (as some programs write replies)."""
        w14 = "http://schemas.microsoft.com/office/word/2010/wordml"
        w15 = "http://schemas.microsoft.com/office/word/2012/wordml"
        root = self._xml("word/comments.xml")
        parent = self._comment_node(root, contains)
        parent_p = parent.findall(q("p"))[-1]
        parent_id = parent_p.get(f"{{{w14}}}paraId") or f"{7000 + len(root):08X}"
        parent_p.set(f"{{{w14}}}paraId", parent_id)
        cid = str(900 + len(root))
        node = etree.SubElement(root, q("comment"), {q("id"): cid, q("author"): author,
                                                     q("date"): self.date,
                                                     q("initials"): author[:2]})
        p = etree.SubElement(node, q("p"))
        own = f"{8000 + len(root):08X}"
        p.set(f"{{{w14}}}paraId", own)
        etree.SubElement(etree.SubElement(p, q("r")), q("t")).text = text
        self._store("word/comments.xml", root)
        name = "word/commentsExtended.xml"
        if name in self.parts:
            extended = self._xml(name)
        else:
            extended = etree.Element(f"{{{w15}}}commentsEx", nsmap={"w15": w15})
            self._relate(name, "http://schemas.microsoft.com/office/2011/relationships/"
                         "commentsExtended",
                         "application/vnd.openxmlformats-officedocument.wordprocessingml."
                         "commentsExtended+xml")
        if not any(e.get(f"{{{w15}}}paraId") == parent_id for e in extended):
            etree.SubElement(extended, f"{{{w15}}}commentEx",
                             {f"{{{w15}}}paraId": parent_id, f"{{{w15}}}done": "0"})
        etree.SubElement(extended, f"{{{w15}}}commentEx", {
            f"{{{w15}}}paraId": own, f"{{{w15}}}paraIdParent": parent_id,
            f"{{{w15}}}done": "0"})
        self._store(name, extended)
        if not anchored:
            return
        pid = parent.get(q("id"))
        for tag in ("commentRangeStart", "commentRangeEnd"):
            for mark in list(self.doc.iter(q(tag))):
                if mark.get(q("id")) == pid:
                    mark.addnext(etree.Element(q(tag), {q("id"): cid}))
        for mark in list(self.doc.iter(q("commentReference"))):
            if mark.get(q("id")) == pid:
                run = etree.Element(q("r"))
                etree.SubElement(run, q("commentReference"), {q("id"): cid})
                mark.getparent().addnext(run)

    def _relate(self, part: str, kind: str, content_type: str) -> None:
        target = part.removeprefix("word/")
        rels = self.parts["word/_rels/document.xml.rels"].decode()
        self.parts["word/_rels/document.xml.rels"] = rels.replace(
            "</Relationships>", f'<Relationship Id="rId{abs(hash(part)) % 10**6}" Type="{kind}" '
            f'Target="{target}"/></Relationships>').encode()
        types = self.parts["[Content_Types].xml"].decode()
        self.parts["[Content_Types].xml"] = types.replace(
            "</Types>", f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>'
        ).encode()

    # -- several reviewers, symbols, text Word keeps elsewhere ---------------------------------

    def replace_inside(self, contains: str, old: str, new: str) -> None:
        """Words another reviewer inserted, replaced by this one, as Word records it: the
        other's insertion split, the deleted words inside it (a deletion in an insertion), the
        new words an insertion of this reviewer's beside it."""
        p = self.paragraph(contains)
        for ins in p.iter(q("ins")):
            texts = list(ins.iter(q("t")))
            whole = "".join(t.text or "" for t in texts)
            if old not in whole or len(texts) != 1:
                continue
            before, _, after = whole.partition(old)
            template = copy.deepcopy(ins)
            for child in list(template):
                template.remove(child)
            pieces: list[etree._Element] = []
            if before:
                head = copy.deepcopy(template)
                head.append(self._run(before))
                pieces.append(head)
            inner = copy.deepcopy(template)
            deletion = self._mark("del")
            deletion.append(self._run(old, deleted=True))
            inner.append(deletion)
            pieces.append(inner)
            mine = self._mark("ins")
            mine.append(self._run(new))
            pieces.append(mine)
            if after:
                tail = copy.deepcopy(template)
                tail.append(self._run(after))
                pieces.append(tail)
            for piece in reversed(pieces):
                ins.addnext(piece)
            ins.getparent().remove(ins)
            return
        raise AssertionError(f"{old!r} not in one insertion of {contains!r}")

    def insert_embedded(self, contains: str, after: str, text: str,
                        element: str = "dir") -> None:
        """Right-to-left words after `after`, in a bidirectional embedding (w:dir or w:bdo)
        that holds the revision, as Word writes Arabic or Hebrew in a left-to-right text."""
        run = self._run(text)
        etree.SubElement(etree.Element(q("rPr")), q("rtl"))
        wrapper = etree.Element(q(element), {q("val"): "rtl"})
        p = self.paragraph(contains)
        tracked, self.tracked = self.tracked, False
        holder = etree.Element(q("r"))
        self._insert_at(p, after, [holder])
        self.tracked = tracked
        content: etree._Element = run
        if self.tracked:
            content = self._mark("ins")
            content.append(run)
        wrapper.append(content)
        holder.addprevious(wrapper)
        holder.getparent().remove(holder)

    def insert_special(self, contains: str, after: str, first: str, kind: str,
                       second: str, font: str = "Symbol", char: str = "F0B3") -> None:
        """`first`, a non-breaking hyphen (`kind` "hyphen") or a symbol (`kind` "sym", of
        `font` and `char`), and `second`, typed after `after`."""
        special = etree.Element(q("r"))
        if kind == "hyphen":
            etree.SubElement(special, q("noBreakHyphen"))
        else:
            etree.SubElement(special, q("sym"), {q("font"): font, q("char"): char})
        self._insert_at(self.paragraph(contains), after,
                        [self._run(first), special, self._run(second)])

    def insert_text_box(self, contains: str, text: str) -> None:
        """A text box anchored in the paragraph, as Word writes one (a drawing and its VML
        fallback, each with the text)."""
        mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
        wps = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
        vml = "urn:schemas-microsoft-com:vml"
        run = etree.Element(q("r"))
        alternate = etree.SubElement(run, f"{{{mc}}}AlternateContent")
        choice = etree.SubElement(alternate, f"{{{mc}}}Choice", Requires="wps")
        box = etree.SubElement(etree.SubElement(etree.SubElement(choice, q("drawing")),
                                                f"{{{wps}}}wsp"), f"{{{wps}}}txbx")
        fallback = etree.SubElement(alternate, f"{{{mc}}}Fallback")
        vbox = etree.SubElement(etree.SubElement(etree.SubElement(fallback, q("pict")),
                                                 f"{{{vml}}}shape"), f"{{{vml}}}textbox")
        for holder in (box, vbox):
            content = etree.SubElement(holder, q("txbxContent"))
            para = etree.SubElement(content, q("p"))
            para.append(self._run(text))
        p = self.paragraph(contains)
        if self.tracked:
            insertion = self._mark("ins")
            insertion.append(run)
            run = insertion
        p.append(run)

    def insert_equation(self, contains: str, text: str) -> None:
        """An equation (m:oMath) typed at the end of the paragraph."""
        m = "http://schemas.openxmlformats.org/officeDocument/2006/math"
        math = etree.Element(f"{{{m}}}oMath", nsmap={"m": m})
        holder = math
        if self.tracked:
            holder = self._mark("ins")
            math.append(holder)
        etree.SubElement(etree.SubElement(holder, f"{{{m}}}r"), f"{{{m}}}t").text = text
        self.paragraph(contains).append(math)

    def format_words(self, contains: str, word: str) -> None:
        """`word` made bold: a formatting-only revision (w:rPrChange), whatever the review's
        tracking (Word records formatting as a revision only with Track Changes on)."""
        p = self.paragraph(contains)
        t = next(t for t in p.iter(q("t")) if t.text and word in t.text)
        before, _, after = (t.text or "").partition(word)
        run = t.getparent()
        t.text = before
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        bold = self._run(word)
        rpr = etree.Element(q("rPr"))
        etree.SubElement(rpr, q("b"))
        change = self._mark("rPrChange")
        etree.SubElement(change, q("rPr"))
        rpr.append(change)
        bold.insert(0, rpr)
        run.addnext(bold)
        if after:
            bold.addnext(self._run(after))

    def move_with_ranges(self, contains: str, after: str, name: str = "move1") -> None:
        """A paragraph moved as Word 365 records it with Track Moves on: named move ranges
        around both ends, the paragraph marks moved too."""
        self.move_after(contains, after)
        source = next(p for p in self.doc.iter(q("p")) if any(
            m.tag == q("moveFrom") for m in p))
        target = next(p for p in self.doc.iter(q("p")) if any(
            m.tag == q("moveTo") for m in p))
        for p, kind in ((source, "From"), (target, "To")):
            self.next_id += 1
            start = etree.Element(q(f"move{kind}RangeStart"), {
                q("id"): str(self.next_id), q("name"): name, q("author"): self.author,
                q("date"): self.date})
            ppr = p.find(q("pPr"))
            (ppr.addnext(start) if ppr is not None else p.insert(0, start))
            p.append(etree.Element(q(f"move{kind}RangeEnd"), {q("id"): str(self.next_id)}))
            self._paragraph_mark(p, f"move{kind}")

    def set_properties(self, editor: str, modified: str) -> None:
        """docProps/core.xml as Word leaves it: the last editor and the time of the save."""
        core = self._xml("docProps/core.xml")
        for node in core:
            if node.tag.endswith("}lastModifiedBy"):
                node.text = editor
            elif node.tag.endswith("}modified"):
                node.text = modified
        self._store("docProps/core.xml", core)
