"""Rendering a plan to the document IR: every item in order, numbers computed, text literal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from stratplan.api import load_valid_plan, render_document
from stratplan.diagnostics import StratplanError
from stratplan.ir import Document, Paragraph, Table, iter_paragraphs
from stratplan.render import render_ir
from tests.conftest import EXAMPLE, PLANS, run_cli

CYCLES = ["2012-2015", "2020-2023", "2024-2027", "2028-2031"]


def paragraphs(doc: Document) -> list[Paragraph]:
    return iter_paragraphs(doc.blocks)


def full_text(doc: Document) -> str:
    return "\n".join(f"{p.number} {p.text}" for p in paragraphs(doc))


def assert_in_order(haystack: str, needles: list[str]) -> None:
    position = 0
    for needle in needles:
        found = haystack.find(needle, position)
        assert found >= 0, f"{needle!r} missing or out of order"
        position = found + len(needle)


def strip_refs(text: str) -> str:
    import re

    return re.sub(r"\[\^[A-Za-z0-9_-]+\]", "", text)


@pytest.mark.parametrize("cycle", CYCLES)
def test_every_item_appears_in_order(cycle: str) -> None:
    _, plan = load_valid_plan(PLANS / cycle)
    doc = render_document(PLANS / cycle)
    text = full_text(doc)
    assert_in_order(text, [strip_refs(g.title) for g in plan.goals])
    assert_in_order(text, [strip_refs(t.text) for t in plan.targets])
    for target in plan.targets:
        assert_in_order(text, [strip_refs(i.text) for i in target.indicators])
    for priority in plan.priorities:
        outcomes = [o for o in plan.outcomes if o.priority == priority.id and not o.proposed_by]
        assert_in_order(text, [strip_refs(o.text) for o in outcomes])
    for outcome in plan.outcomes:
        assert_in_order(text, [strip_refs(i.text) for i in outcome.indicators])
    for objective in plan.objectives:
        assert_in_order(text, [strip_refs(x.text) for x in objective.outcomes])
        assert_in_order(text, [strip_refs(x.text) for x in objective.outputs])
    keys = [p.key for p in paragraphs(doc)]
    assert len(keys) == len(set(keys)), "keys must be unique"


@pytest.mark.parametrize("cycle", ["2024-2027", "2028-2031"])
def test_paragraph_numbers_run_through_the_annex(cycle: str) -> None:
    doc = render_document(PLANS / cycle)
    numbers = [p.number for p in doc.blocks if isinstance(p, Paragraph) and p.style == "numbered"]
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)]
    assert len(numbers) > 60


def test_2028_2031_numbers_match_the_seed() -> None:
    doc = render_document(PLANS / "2028-2031")
    by_text = {p.text[:40]: p for p in paragraphs(doc)}
    # Seed 004: "87 The figure below ..." (new 8), "1312 Goal 2 ..." (new 13).
    assert by_text["The figure below outlines the key compon"].number == "8"
    goal2 = next(p for p in paragraphs(doc) if p.key == "goal:sustainable-digital-transformation")
    assert goal2.number == "13"
    headings = [(p.number, p.text) for p in doc.blocks if isinstance(p, Paragraph)
                and p.style.startswith("heading") and p.number]
    assert ("2.4", "Strategic goals") in headings
    assert ("A", "Strategic goals and targets") in headings
    targets = {p.key: p.number for p in paragraphs(doc) if p.key.startswith("target:")}
    assert targets["target:device-access"] == "1.3:"
    assert targets["target:internet-use"] == "1.6:"
    assert targets["target:environmental-impact"] == "2.3:"


def test_2012_2015_numbers_by_section() -> None:
    doc = render_document(PLANS / "2012-2015")
    numbers = [p.number for p in paragraphs(doc) if p.style == "numbered"]
    assert numbers[:3] == ["1.1", "1.2", "1.3"]
    assert "2.1.15" in numbers


def test_appendix_a_figures() -> None:
    text = full_text(render_document(PLANS / "2028-2031"))
    for figure in ("57 023", "114 103", "235 043", "36,07%", "659 091", "101,14%", "-7 420",
                   "651 671", "100,00%"):
        assert figure in text


def test_drafting_data_reaches_the_ir() -> None:
    doc = render_document(PLANS / "2028-2031")
    alts = [p.text for p in paragraphs(doc) if p.style == "alternative"]
    assert any(a.startswith("[CWG-SFP Chair] ") for a in alts)
    assert "[TSAG] Global ICT Interoperability" in alts
    comments = [c for p in paragraphs(doc) for c in p.comments]
    assert len(comments) >= 8 and all(c.author == "ITU" for c in comments)
    assert {f.id for f in doc.footnotes} == {"developing-countries", "oneitu"}
    refs = [r.footnote for p in paragraphs(doc) for r in p.runs if r.footnote]
    assert "developing-countries" in refs
    old = render_document(PLANS / "2020-2023")
    assert "[non-discriminatory" in full_text(old)


HOSTILE = "<b>bold</b> & {{ 7*7 }} {% if true %}x{% endif %} <w:p><w:r><w:t>x</w:t></w:r></w:p>"


def test_plan_text_is_literal(tmp_path: Path) -> None:
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    chain = folder / "chain.yaml"
    chain.write_text(
        chain.read_text().replace(
            "text: Universal broadband coverage", f"text: {HOSTILE!r}".replace("'", '"')
        )
    )
    doc = render_document(folder)
    texts = [p.text for p in paragraphs(doc)]
    assert HOSTILE in texts
    assert "49" not in " ".join(t for t in texts if "7*7" in t)


def test_template_dir_overrides_and_is_sandboxed(tmp_path: Path) -> None:
    _, plan = load_valid_plan(EXAMPLE)
    override = tmp_path / "templates"
    (override / "show").mkdir(parents=True)
    (override / "show" / "vision.xml.j2").write_text(
        '<p style="body" key="vision">OVERRIDDEN {{ plan.vision.text }}</p>\n'
    )
    doc = render_ir(plan, override)
    assert any(p.text == "OVERRIDDEN A connected world." for p in paragraphs(doc))
    (override / "show" / "vision.xml.j2").write_text(
        "{{ plan.__class__.__mro__[-1].__subclasses__() }}\n"
    )
    with pytest.raises(StratplanError) as exc:
        render_ir(plan, override)
    assert exc.value.diagnostics[0].code == "SP020"


def test_render_refuses_a_plan_with_errors(tmp_path: Path) -> None:
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    (folder / "plan.yaml").write_text((folder / "plan.yaml").read_text() + "bogus: 1\n")
    proc = run_cli("render", str(folder), "-o", str(tmp_path / "out.docx"))
    assert proc.returncode == 1
    assert "SP100" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out.docx").exists()


def test_plan_text_is_literal_in_the_word_file(tmp_path: Path) -> None:
    import docx

    from stratplan.api import render

    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    chain = folder / "chain.yaml"
    chain.write_text(
        chain.read_text().replace(
            "text: Universal broadband coverage", f"text: {HOSTILE!r}".replace("'", '"')
        )
    )
    out = render([folder], tmp_path / "out.docx").written[0]
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs]
    cells = [c for t in document.tables for r in t.rows for c in r.cells]
    texts += [p.text for c in cells for p in c.paragraphs]
    assert any(HOSTILE in t for t in texts)
    # The OOXML fragment is text: no paragraph of the body holds a bare "x" made from it.
    assert "x" not in texts


SEED_CAPTIONS = {
    # seed 001 (its "Table 4:" written as the others, "Table 4.")
    "2020-2023": [
        "Table 1. Targets",
        "Table 2. Strategic risks and mitigation strategies",
        "Table 3. Linkage of ITU objectives with the Strategic Goals:",
        "Table 4. ITU-R Objectives, Outcomes and Outputs",
        "Table 5. Enablers for ITU-R",
        "Table 6. ITU-T Objectives, Outcomes and Outputs",
        "Table 7. Enablers for ITU-T",
        "Table 8. ITU-D Objectives, Outcomes and Outputs",
        "Table 9. Enablers for ITU-D",
        "Table 10. Inter-Sectoral Objectives, Outcomes and Outputs",
        "Table 11. General Secretariat Enablers / Support Services",
    ],
    # seed 003
    "2012-2015": [
        "Table 4.1 - ITU-R Outputs and Objectives",
        "Table 4.2 - Objectives, outputs, expected results and key performance indicators of ITU-R",
        "Table 5.1 - ITU-T outputs and objectives",
        "Table 5.2 - Objectives, outputs, expected results and key performance indicators of ITU-T",
        "Table 6.1 - ITU-D outputs and objectives",
        "Table 6.2 - Objectives, outputs, expected results and key performance indicators of ITU-D",
        "Table 7.1 - GS outputs and objectives",
        "Table 7.2 - Objectives, outputs, expected results and key performance indicators of the"
        " GS",
        "Table 8.1 - Objectives and strategic goals of the Union",
    ],
}


@pytest.mark.parametrize("cycle", sorted(SEED_CAPTIONS))
def test_tables_have_the_seeds_numbered_captions(cycle: str) -> None:
    """2020-2023 had no "Table 2. Strategic risks and mitigation strategies" (its captions were
    unnumbered headings), 2012-2015 no "Table 4.1 - ..." (unnumbered paragraphs). Captions are
    numbered by the document, each right above its table."""
    doc = render_document(PLANS / cycle)
    captions = [
        (b, after)
        for b, after in zip(doc.blocks, doc.blocks[1:], strict=False)
        if isinstance(b, Paragraph) and b.style == "caption" and b.text.startswith("Table ")
    ]
    assert [b.text for b, _ in captions] == SEED_CAPTIONS[cycle]
    assert all(isinstance(after, Table) for _, after in captions)
    headings = {p.text for p in paragraphs(doc) if p.style.startswith("heading")}
    # no caption is a heading any more (2020-2023 has a "Targets" section of its own)
    assert headings & {c.split(". ", 1)[-1] for c in SEED_CAPTIONS[cycle]} <= {"Targets"}


def test_captions_number_by_section_and_restart() -> None:
    from stratplan.render.markup import parse_markup

    doc = parse_markup(
        '<doc numbering="section" tables="section" caption-separator=" - ">'
        '<h level="1">One</h><p style="caption" number="table">A</p>'
        '<p style="caption" number="table">B<fn id="x"/></p>'
        '<h level="1">Two</h><p style="caption" number="table">C</p>'
        '<h level="1" number="none">Part</h><p style="caption" number="table">D</p>'
        '<footnote id="x">n</footnote></doc>'
    )
    captions = [p.text for p in iter_paragraphs(doc.blocks) if p.style == "caption"]
    # under an unnumbered top-level heading, the number the next section would have
    assert captions == ["Table 1.1 - A", "Table 1.2 - B", "Table 2.1 - C", "Table 3.1 - D"]
    glob = parse_markup('<doc><p style="caption" number="table">A</p><h level="1">X</h>'
                        '<p style="caption" number="table">B</p></doc>')
    assert [p.text for p in iter_paragraphs(glob.blocks)][::2] == ["Table 1. A", "Table 2. B"]


@pytest.mark.parametrize(
    ("agenda", "original"),
    [("ADM 1", "English"), ("Agenda item: ADM 1", "Original: English")],
)
def test_cover_labels_once_and_rule_between_action_and_references(
    tmp_path: Path, agenda: str, original: str
) -> None:
    """`agenda_item: "Agenda item: 2"` rendered "Agenda item: Agenda item: 2" (and so did
    "Original:"); the rule line sat after References where seed 004 has it between Action
    required and References."""
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    plan_file = folder / "plan.yaml"
    text = plan_file.read_text(encoding="utf-8")
    text = text.replace("agenda_item: ADM 1", f'agenda_item: "{agenda}"')
    text = text.replace("original: English", f'original: "{original}"')
    plan_file.write_text(text, encoding="utf-8")
    texts = [p.text for p in paragraphs(render_document(folder))]
    assert "Agenda item: ADM 1" in texts and "Original: English" in texts
    assert "Document C26/1-E" in texts
    cover = texts[: texts.index("ANNEX 1 TO RESOLUTION 71 (REV. EXAMPLE, 2026)")]
    assert cover[-5:] == [
        "Action required",
        "The Council is invited to note this document.",
        "_______________",
        "References",
        "Resolution 71",
    ]


def test_appendix_a_heading_is_the_drafts_with_its_comment() -> None:
    """Seed 004 line 579: "Appendix A – Allocation of resources (linkage with the financial
    plan)", with the ITU comment pointing to INF Doc.4; the plan generated another title."""
    doc = render_document(PLANS / "2028-2031")
    [heading] = [p for p in paragraphs(doc) if p.text.startswith("Appendix A")]
    assert heading.text == "Appendix A – Allocation of resources (linkage with the financial plan)"
    assert heading.style == "heading1" and heading.page_break_before
    assert [c.text for c in heading.comments] == [
        "See INF Doc.4 for the link between strategic and financial plans."
    ]
    captions = [p.text for p in paragraphs(doc) if p.style == "caption"]
    assert captions == [
        "Allocation of resources – Linkage between the 2028-2031 strategic and financial plans"
    ]


def test_table_comment_is_on_the_cell_it_concerns() -> None:
    """Seed 004: "Definitions will be consolidated..." is on the "Definition" header cell; it
    was anchored on an empty paragraph after the table."""
    doc = render_document(PLANS / "2028-2031")
    [table] = [b for b in doc.blocks if b.key == "table:strategic-plan-components"]
    assert isinstance(table, Table)
    header = [p for cell in table.rows[0].cells for p in cell.blocks]
    assert [(p.text, [c.text for c in p.comments]) for p in header] == [
        ("Components of strategic plan", []),
        ("Definition", ["Definitions will be consolidated in the Annex: Glossary of Terms."]),
    ]
    after = doc.blocks[doc.blocks.index(table) + 1]
    assert isinstance(after, Paragraph) and after.text  # no empty paragraph carrying it
