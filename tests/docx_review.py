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

    def _run(self, text: str, deleted: bool = False) -> etree._Element:
        r = etree.Element(q("r"))
        t = etree.SubElement(r, q("delText" if deleted else "t"))
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return r

    # -- edits -------------------------------------------------------------------------------

    def replace(self, contains: str, old: str, new: str, nth: int = 0) -> None:
        """Replace `old` by `new` inside the paragraph (old deleted, new inserted)."""
        p = self.paragraph(contains, nth)
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
        raise AssertionError(f"{old!r} not in one run of the paragraph with {contains!r}")

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
            own = p.find(q("pPr"))
            if own is None:
                own = etree.SubElement(p, q("pPr"))
                p.insert(0, own)
            rpr = own.find(q("rPr"))
            if rpr is None:
                rpr = etree.SubElement(own, q("rPr"))
            rpr.insert(0, self._mark("ins"))
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
        ppr = p.find(q("pPr"))
        if ppr is None:
            ppr = etree.Element(q("pPr"))
            p.insert(0, ppr)
        rpr = ppr.find(q("rPr"))
        if rpr is None:
            rpr = etree.SubElement(ppr, q("rPr"))
        rpr.insert(0, self._mark("del"))

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
        p = self.paragraph(contains, nth)
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
        p = self.paragraph(contains, nth)
        run = self._run(text)
        rpr = etree.Element(q("rPr"))
        etree.SubElement(rpr, q("vanish"))
        run.insert(0, rpr)
        if self.tracked:
            insertion = self._mark("ins")
            insertion.append(run)
            run = insertion
        p.append(run)

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
