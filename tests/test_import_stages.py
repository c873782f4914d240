"""The stages of `stratplan import`, each alone: the review model read from a few lines of
Word XML, the units built from hand-made paragraphs, the alignment with its keys as claims,
the texts compared, and each interpreter on a unit of the real 2028-2031 plan."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from stratplan import ir
from stratplan.diagnostics import StratplanError
from stratplan.proposals.importing import comments, footnotes, modify, paragraphs
from stratplan.proposals.importing.alignment import align, check_render, claims_hold
from stratplan.proposals.importing.base import BaseParagraph, base_paragraphs, row_label
from stratplan.proposals.importing.changes import Add, Modify, Suppress
from stratplan.proposals.importing.state import Reading
from stratplan.proposals.importing.texts import (
    TextDiff,
    differing,
    same,
    same_words,
    untyped,
)
from stratplan.proposals.importing.units import Notes, Piece, Unit, build_units
from stratplan.proposals.review import (
    Bounds,
    Paragraph,
    Review,
    Revision,
    Span,
    by_authors,
    read_review,
)
from stratplan.render.document import plan_document
from stratplan.workspace import Workspace
from tests.conftest import PLANS

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = (f'xmlns:w="{W}" '
              'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
              'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" '
              'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
              'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"')
ADA = 'w:author="Ada" w:date="2026-03-01T10:00:00Z"'
BO = 'w:author="Bo" w:date="2026-03-02T10:00:00Z"'


def package(tmp_path: Path, body: str, **parts: str) -> Path:
    """A .docx of `body` (the inside of w:body) and the other parts given (by file name in
    word/, or docProps_core for docProps/core.xml)."""
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    types = {"commentsExtended": "http://schemas.microsoft.com/office/2011/relationships/"
                                 "commentsExtended"}
    core = ("http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
            "core-properties")

    def relationships(*entries: tuple[str, str]) -> str:
        return ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                'relationships">' + "".join(
                    f'<Relationship Id="rId{n}" Type="{kind}" Target="{target}"/>'
                    for n, (kind, target) in enumerate(entries, 1)) + "</Relationships>")

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", f"<w:document {NAMESPACES}><w:body>{body}</w:body>"
                   "</w:document>")
        package_relations = [(f"{office}/officeDocument", "word/document.xml")]
        document_relations = []
        for name, text in parts.items():
            if name == "docProps_core":
                z.writestr("docProps/core.xml", text)
                package_relations.append((core, "docProps/core.xml"))
            else:
                z.writestr(f"word/{name}.xml", text)
                document_relations.append((types.get(name, f"{office}/{name}"), f"{name}.xml"))
        z.writestr("_rels/.rels", relationships(*package_relations))
        z.writestr("word/_rels/document.xml.rels", relationships(*document_relations))
    path = tmp_path / "review.docx"
    path.write_bytes(out.getvalue())
    return path


# --- the review model --------------------------------------------------------------------------


def test_revisions_nest_and_every_text_element_is_read(tmp_path: Path) -> None:
    body = (
        "<w:p><w:r><w:t>Digital </w:t></w:r>"
        f"<w:ins w:id='1' {ADA}><w:r><w:t>and meaningful </w:t></w:r></w:ins>"
        f"<w:ins w:id='2' {ADA}><w:del w:id='3' {BO}><w:r><w:delText>free </w:delText></w:r>"
        "</w:del></w:ins>"
        f"<w:dir w:val='rtl'><w:ins w:id='4' {BO}><w:r><w:t>الاتصال</w:t></w:r></w:ins></w:dir>"
        "<w:bdo w:val='rtl'><w:r><w:t xml:space='preserve'> ok </w:t></w:r></w:bdo>"
        "<w:r><w:t>e</w:t><w:noBreakHyphen/><w:t>government </w:t>"
        "<w:sym w:font='Symbol' w:char='F0B3'/><w:t> 5</w:t></w:r>"
        "</w:p>"
    )
    (p,) = read_review(package(tmp_path, body)).paragraphs
    assert p.text("accept") == "Digital and meaningful الاتصال ok e\u2011government ≥ 5"
    assert p.text("reject") == "Digital  ok e\u2011government ≥ 5"
    nested = next(s for s in p.spans if s.text == "free ")
    assert [(r.kind, r.author) for r in nested.revisions] == [("ins", "Ada"), ("del", "Bo")]
    # Each reviewer's view: Bo's deletion is inside Ada's insertion.
    assert p.text(by_authors(frozenset({"Ada"}))) == (
        "Digital and meaningful free  ok e\u2011government ≥ 5")
    assert p.text(by_authors(frozenset({"Ada", "Bo"}))) == p.text("accept")


def test_what_a_reader_cannot_see_or_the_plan_cannot_hold_is_set_apart(tmp_path: Path) -> None:
    body = (
        "<w:p><w:r><w:t>Visible</w:t></w:r>"
        "<w:r><w:rPr><w:vanish/></w:rPr><w:t> hidden</w:t></w:r>"
        "<w:r><w:rPr><w:vanish/></w:rPr><w:t> words</w:t></w:r>"
        "<w:r><w:rPr><w:vanish w:val='0'/></w:rPr><w:t> shown</w:t></w:r>"
        "<w:r><w:rPr><w:rStyle w:val='Secret'/></w:rPr><w:t> styled</w:t></w:r>"
        "<m:oMath><m:r><m:t>x=2</m:t></m:r></m:oMath>"
        "<w:r><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing><w:txbxContent><w:p>"
        "<w:r><w:t>In a box</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>In a box</w:t></w:r></w:p>"
        "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        "<w:r><w:rPr><w:b/><w:rPrChange w:id='9' w:author='Ada' w:date='2026-03-01'>"
        "<w:rPr/></w:rPrChange></w:rPr><w:t> bold</w:t></w:r></w:p>"
    )
    styles = (f"<w:styles {NAMESPACES}><w:style w:type='character' w:styleId='Secret'>"
              "<w:rPr><w:vanish/></w:rPr></w:style></w:styles>")
    review = read_review(package(tmp_path, body, styles=styles))
    (p,) = review.paragraphs
    assert p.text("accept") == "Visible shown bold"
    assert [(u.what, u.text) for u in p.unseen] == [
        ("hidden text", " hidden words"), ("hidden text", " styled"), ("an equation", "x=2"),
        ("a text box", "In a box")]
    assert [f.what for f in p.formatting] == ["the words “bold”"]
    assert review.tracked  # formatting is a revision: not "no tracked changes"


def test_footnotes_comments_replies_and_properties(tmp_path: Path) -> None:
    body = ("<w:p><w:commentRangeStart w:id='0'/><w:r><w:t>Text</w:t></w:r>"
            "<w:r><w:footnoteReference w:id='2'/></w:r><w:commentRangeEnd w:id='0'/></w:p>")
    notes = (f"<w:footnotes {NAMESPACES}><w:footnote w:type='separator' w:id='0'/>"
             "<w:footnote w:id='2'><w:p><w:r><w:footnoteRef/></w:r><w:r><w:tab/></w:r>"
             f"<w:r><w:t>Old</w:t></w:r><w:del w:id='5' {ADA}><w:r><w:delText> words"
             f"</w:delText></w:r></w:del><w:ins w:id='6' {ADA}><w:r><w:t> text</w:t></w:r>"
             "</w:ins></w:p></w:footnote></w:footnotes>")
    comments_xml = (f"<w:comments {NAMESPACES}>"
                    "<w:comment w:id='0' w:author='Ada' w:date='2026-03-01T00:00:00Z'>"
                    "<w:p w14:paraId='0000000A'><w:r><w:t>Why?</w:t></w:r></w:p></w:comment>"
                    "<w:comment w:id='1' w:author='Bo' w:date='0-00-00T00:00:00Z'>"
                    "<w:p w14:paraId='0000000B'><w:r><w:t>Because.</w:t></w:r></w:p>"
                    "</w:comment></w:comments>")
    extended = (f"<w15:commentsEx {NAMESPACES}><w15:commentEx w15:paraId='0000000A'/>"
                "<w15:commentEx w15:paraId='0000000b' w15:paraIdParent='0000000a' "
                "w15:done='1'/></w15:commentsEx>")
    core = ("<cp:coreProperties xmlns:cp='http://schemas.openxmlformats.org/package/2006/"
            "metadata/core-properties' xmlns:dcterms='http://purl.org/dc/terms/'>"
            "<cp:lastModifiedBy>Member State X</cp:lastModifiedBy>"
            "<dcterms:modified>2026-04-02T10:00:00Z</dcterms:modified></cp:coreProperties>")
    review = read_review(package(tmp_path, body, footnotes=notes, comments=comments_xml,
                                 commentsExtended=extended, docProps_core=core))
    (p,) = review.paragraphs
    assert p.text("accept") == "Text\x002\x00" and p.comments == ["0"]
    note = review.footnotes["2"]
    assert (note.text("reject"), note.text("accept")) == ("Old words", "Old text")
    assert review.comments["1"].parent == "0" and review.comments["1"].done
    assert review.comments["1"].date == ""  # LibreOffice's 0-00-00 is no date
    assert (review.properties.editor, review.properties.date) == ("Member State X",
                                                                  "2026-04-02")


def test_a_file_past_a_bound_is_refused(tmp_path: Path) -> None:
    path = package(tmp_path, "<w:p><w:r><w:t>" + "x" * 300 + "</w:t></w:r></w:p>")
    with pytest.raises(StratplanError) as refused:
        read_review(path, Bounds(paragraph=200))
    (problem,) = refused.value.diagnostics
    assert problem.code == "SP814"
    assert "has 300 characters, over the limit of 200" in problem.message
    comments_xml = f"<w:comments {NAMESPACES}>" + "".join(
        f"<w:comment w:id='{n}' w:author='A{n}'><w:p/></w:comment>" for n in range(5)) + \
        "</w:comments>"
    path = package(tmp_path, "<w:p/>", comments=comments_xml)
    with pytest.raises(StratplanError, match="5 comments, over the limit of 4"):
        read_review(path, Bounds(comments=4))
    with pytest.raises(StratplanError, match="5 authors of revisions and comments"):
        read_review(path, Bounds(authors=4))
    assert read_review(path).comments["4"].author == "A4"


# --- the units ---------------------------------------------------------------------------------

INS = Revision("ins", "Ada", "2026-03-01")
DEL = Revision("del", "Ada", "2026-03-01")


def paragraph(index: int, *spans: Span, mark: Revision | None = None) -> Paragraph:
    return Paragraph(index, spans=list(spans), mark=mark)


def units_of(*paragraphs_: Paragraph) -> list[Unit]:
    review = Review(Path("r.docx"), list(paragraphs_), {}, {}, "")
    return build_units(review, {}, Notes(ir.Document("t", "s", "2026-01-01"), {}))


def test_a_deleted_paragraph_mark_merges_and_an_inserted_one_splits() -> None:
    merged = units_of(paragraph(0, Span("First.")), paragraph(1, Span(" Second.")), )
    assert [u.accept for u in merged] == ["First.", " Second."]
    merged = units_of(paragraph(0, Span("First."), mark=DEL), paragraph(1, Span("2\tSecond.")))
    assert [(u.reject, u.accept) for u in merged] == [("First.", "First.Second."),
                                                      ("2\tSecond.", "")]
    assert merged[1].revisions == [DEL]  # who merged it away
    split = units_of(paragraph(0, Span("One half"), mark=INS), paragraph(1, Span(" other")))
    (unit,) = split
    assert unit.reject == "One half other" and unit.accept == "One half"
    assert [p.accept for p in unit.after] == [" other"] and unit.after[0].revisions == [INS]
    # A new paragraph typed after another: its mark inserted, the new text inserted.
    typed = units_of(paragraph(0, Span("Kept."), mark=INS), paragraph(1, Span("New.", (INS,))))
    (unit,) = typed
    assert unit.accept == "Kept." and [p.accept for p in unit.after] == ["New."]
    # A paragraph deleted whole (its text and its mark): the next is itself.
    gone = units_of(paragraph(0, Span("Gone.", (DEL,)), mark=DEL), paragraph(1, Span("Next.")))
    assert [(u.reject, u.accept) for u in gone] == [("Gone.", ""), ("Next.", "Next.")]


# --- alignment -------------------------------------------------------------------------------


def base(*texts: tuple[str, str]) -> list[BaseParagraph]:
    return [BaseParagraph(n, ir.Paragraph(key, "body", (ir.Run(text),)), text, f"p{n}")
            for n, (key, text) in enumerate(texts)]


def unit(key: str | None, text: str) -> Unit:
    source = paragraph(0, Span(text))
    return Unit((source,), key, text, Piece((source,), text,
                                            Notes(ir.Document("t", "s", "d"), {})))


def test_a_key_is_an_identity_only_on_the_base_text_for_it() -> None:
    plan = base(("target:a", "Universal broadband coverage"),
                ("target:b", "Affordable connectivity for all"))
    swapped = [unit("target:b", "Universal broadband coverage"),
               unit("target:a", "Affordable connectivity for all")]
    assert claims_hold(plan, swapped) == {}
    pairs = align(plan, swapped)
    assert [(b.key if b else None, u.accept if u else None) for b, u in pairs] == [
        ("target:a", "Universal broadband coverage"),
        ("target:b", "Affordable connectivity for all")]
    honest = [unit("target:a", "Universal broadband coverage"),
              unit("target:b", "Affordable connectivity for everyone, everywhere")]
    assert list(claims_hold(plan, honest).values()) == ["target:a"]


def test_which_plan_a_file_renders_is_decided_from_its_text(tmp_path: Path) -> None:
    plan = base(*[(f"#s:x/p{n}", f"Paragraph number {n} of the plan") for n in range(10)])
    review = Review(tmp_path / "r.docx", [], {}, {}, "2028-2031")  # it says so: a claim
    mostly = [unit(None, f"Paragraph number {n} of the plan") for n in range(8)]
    check_render(review, plan, mostly, "2028-2031")
    with pytest.raises(StratplanError) as refused:
        check_render(review, plan, mostly[:7], "2028-2031")
    assert refused.value.diagnostics[0].message.endswith(
        "is not a render of this plan (though its key table names plan 2028-2031: its text "
        "does not): only 70% of the plan's paragraphs are in it as the plan has them")


# --- texts -------------------------------------------------------------------------------------


def test_what_is_a_difference() -> None:
    assert same("1.1:\tUniversal  broadband", "1.1: Universal broadband")
    assert same("Row\u200d", "Row")  # LibreOffice's invisible mark of an inserted row
    assert same_words("3\tThe Sectors", "4\tThe Sectors")
    assert same_words("A\tStrategic goals", "A Strategic goals", number="A")
    assert not same_words("A new paragraph", "new paragraph")


@pytest.mark.parametrize(("typed", "text"), [
    ("1.7: Meaningful connectivity", "Meaningful connectivity"),
    ("1.7:\t Meaningful connectivity", "Meaningful connectivity"),
    ("3) An outcome", "An outcome"), ("a) An item", "An item"), ("–\tAn indicator", "An indicator"),
    ("5G coverage of all cities", "5G coverage of all cities"),
    ("ensure that the Sectors report", "ensure that the Sectors report"),
    ("e.g. this", "e.g. this"), ("2030 Agenda", "2030 Agenda"),
])
def test_a_typed_number_goes_and_nothing_else(typed: str, text: str) -> None:
    assert untyped(typed) == text


def test_a_quote_shows_the_words_that_differ() -> None:
    long = " ".join(f"word{n}" for n in range(60))
    changed = long.replace("word40", "changed40")
    mine, theirs = differing(long, changed)
    assert mine.startswith("word0 word1") and "word40" in mine and "changed40" in theirs
    assert "…" in mine and len(mine) < len(long)
    diff = TextDiff("Universal broadband coverage", "Universal and meaningful coverage")
    assert diff.map(10, 19) == "and meaningful"  # "broadband" became


# --- the interpreters, each alone, on the real plan -------------------------------------------


@pytest.fixture(scope="module")
def plan_2028() -> tuple[Any, Any, ir.Document, list[BaseParagraph]]:
    loaded = Workspace().plan(PLANS / "2028-2031")
    assert loaded.plan is not None and loaded.sources is not None
    document = plan_document(loaded.plan)
    return loaded.plan, loaded.sources.data, document, base_paragraphs(document)


def reading(plan_2028: Any, tracked: bool = True) -> Reading:
    plan, data, document, paragraphs_ = plan_2028
    spans = [Span("x", (INS,))] if tracked else []
    review = Review(Path("review.docx"), [paragraph(0, *spans)], {}, {}, "")
    return Reading.of(review, plan, data, document, paragraphs_, Notes(document, {}))


def base_with(plan_2028: Any, text: str) -> BaseParagraph:
    found: list[BaseParagraph] = [b for b in plan_2028[3] if text in b.text]
    return found[0]


def edited(b: BaseParagraph, new: str, revision: Revision = INS) -> Unit:
    """`b` edited to `new` by one reviewer (the whole text inserted, the old deleted)."""
    source = paragraph(0, Span(b.text, (Revision("del", revision.author, revision.date),)),
                       Span(new, (revision,)))
    notes = Notes(ir.Document("t", "s", "d"), {})
    return Unit((source,), b.key, b.text, Piece((source,), new, notes))


def test_modify_a_targets_text(plan_2028: Any) -> None:
    r = reading(plan_2028)
    b = base_with(plan_2028, "Universal broadband coverage")
    modify.paired(r, b, edited(b, "1.1:\tUniversal and meaningful broadband coverage"))
    (change,) = r.changes
    assert isinstance(change, Modify)
    assert change.data == {"modify": "targets/broadband-coverage", "field": "text",
                           "value": "Universal and meaningful broadband coverage"}
    assert (change.author, change.date) == ("Ada", "2026-03-01")


def test_a_deleted_paragraph_and_a_new_one(plan_2028: Any) -> None:
    r = reading(plan_2028)
    b = base_with(plan_2028, "The ITU Sectors have complementary mandates")
    r.kept_bases = {x.index for x in plan_2028[3]} - {b.index}
    paragraphs.deleted(r, b, ("Ada", "2026-03-01"))
    anchor = base_with(plan_2028, "As outlined in ITU's basic instruments")
    source = paragraph(1, Span("A new paragraph.", (INS,)))
    paragraphs.inserted(r, anchor, Piece((source,), "A new paragraph.",
                                         Notes(plan_2028[2], {})))
    suppress, add = r.changes
    assert isinstance(suppress, Suppress) and suppress.target == "sections/overview/content/5"
    assert isinstance(add, Add) and add.data == {
        "add": "sections/overview/content", "after": 2, "item": "A new paragraph."}


def test_a_footnote_edited_without_track_changes(plan_2028: Any) -> None:
    r = reading(plan_2028, tracked=False)
    b = base_with(plan_2028, "The functions of ITU-T are to fulfil")
    fresh = r.notes.marker("These include only the least developed countries.")
    new = footnotes.edited_in_place(r, b, b.text.replace("[^developing-countries]", fresh),
                                    "Reviewer", "")
    assert new == b.text
    (change,) = r.changes
    assert change.data == {"modify": "footnotes/developing-countries",
                           "value": "These include only the least developed countries."}
    assert change.place.startswith("footnote 1 (“These include the least developed")


def test_a_prose_paragraph_holds_its_own_comments(plan_2028: Any) -> None:
    r = reading(plan_2028)
    b = base_with(plan_2028, "The functions of ITU-D include")
    holder = comments.comment_holder(r, b)
    assert holder is not None and r.index.address(holder) == "sections/overview/content/4"


def test_places_are_the_documents(plan_2028: Any) -> None:
    places = {b.text: b.place for b in plan_2028[3] if b.row is None}
    assert places["1.2:\tAffordable connectivity for all"] == (
        "2.5 Targets for the Union's Connect 2030 Agenda, “Affordable connectivity for all”")
    row = next(b for b in plan_2028[3] if b.row == "target:affordable-broadband/row"
               and b.cell == 1)
    assert row.place == "A Strategic goals and targets, table row 1.2"
    assert row_label(ir.Row("r", (ir.Cell((ir.Paragraph("k", "table-text",
                                                         (ir.Run("Vision"),)),)),)), 3) == \
        "“Vision”"
