"""Every edit Word and LibreOffice can record is carried or reported by name (issue 20): one
reviewed file per family, made the way Word writes it (tests/docx_review.py), imported, the
contributions validated and applied.

Each test says what the family becomes: the changes written (by reviewer), the reports
(SP806, quoting the words and naming the place as the document does), and that a file where
everything was carried exits 0 with no warning.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from stratplan.api import apply, import_review, load_valid_plan, render, validate
from stratplan.diagnostics import Result
from tests.conftest import PLANS, require_tool
from tests.docx_review import Review

CYCLE = "2028-2031"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    root = tmp_path_factory.mktemp("families")
    shutil.copytree(PLANS / CYCLE, root / "plans" / CYCLE)
    out = render([root / "plans" / CYCLE], root / "draft.docx").written[0]
    return root, out.read_bytes()


class Outcome:
    """What an import of one reviewed file gave."""

    def __init__(self, root: Path, result: Result) -> None:
        self.root = root
        self.result = result
        self.files: dict[str, dict[str, Any]] = {}
        for path in result.written:
            data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
            self.files[data["contribution"]["contributor"]] = data | {"path": path}

    def changes(self, who: str = "Ada Reviewer") -> list[dict[str, Any]]:
        """`who`'s changes, without where each was found."""
        return [{k: v for k, v in c.items() if k != "found_at"}
                for c in self.files[who]["changes"]]

    @property
    def reports(self) -> list[str]:
        return [d.message for d in self.result.diagnostics if d.code == "SP806"]

    @property
    def codes(self) -> list[str]:
        return [d.code for d in self.result.diagnostics]

    def applied(self) -> Any:
        """The plan with every contribution written applied (they must validate first)."""
        paths = [f["path"] for f in self.files.values()]
        checked = validate(paths)
        assert [d.message for d in checked.diagnostics if d.severity.value == "error"] == []
        out = self.root / "applied"
        shutil.rmtree(out, ignore_errors=True)
        apply(paths, out)
        return load_valid_plan(out)[1]


def run(rendered: tuple[Path, bytes], review: Review | bytes, name: str,
        **options: Any) -> Outcome:
    root, _ = rendered
    path = root / f"{name}.docx"
    path.write_bytes(review.save() if isinstance(review, Review) else review)
    out = root / "out" / name
    shutil.rmtree(out, ignore_errors=True)
    return Outcome(root, import_review(path, root / "plans" / CYCLE, f"{out}/", **options))


def quiet(outcome: Outcome) -> None:
    """Everything carried: exit 0, and nothing but information."""
    assert [(d.code, d.message) for d in outcome.result.diagnostics
            if d.severity.value != "info"] == []
    assert outcome.result.exit_code() == 0


def content(plan: Any, section: int = 0) -> list[str]:
    return [getattr(c, "text", c) for c in plan.sections[section].content]


# --- footnotes -----------------------------------------------------------------------------------

DEVELOPING = "These include the least developed countries"


@pytest.mark.parametrize("tracked", [True, False], ids=["tracked", "untracked"])
def test_a_footnote_edited_is_a_change_of_the_footnote(rendered: tuple[Path, bytes],
                                                       tracked: bool) -> None:
    review = Review(rendered[1], tracked=tracked)
    review.footnote_replace(DEVELOPING, "economies in transition",
                            "economies in transition and small States")
    outcome = run(rendered, review, f"footnote-edited-{tracked}")
    who = "Ada Reviewer" if tracked else "Reviewer"
    (change,) = outcome.changes(who)
    assert change["modify"] == "footnotes/developing-countries"
    assert change["value"].endswith("economies in transition and small States.")
    quiet(outcome)
    plan = outcome.applied()
    assert plan.footnotes["developing-countries"].endswith("and small States.")


def test_a_footnote_added(rendered: tuple[Path, bytes]) -> None:
    review = Review(rendered[1])
    review.add_footnote("As outlined in ITU's basic instruments", "radio-frequency spectrum",
                        "As defined in the Radio Regulations.")
    outcome = run(rendered, review, "footnote-added")
    (change,) = outcome.changes()
    assert change["modify"] == "sections/overview/content/2"
    assert "radio-frequency spectrum[^note-1] by all" in change["value"]
    assert outcome.files["Ada Reviewer"]["footnotes"] == {
        "note-1": "As defined in the Radio Regulations."}
    quiet(outcome)
    assert outcome.applied().footnotes["note-1"] == "As defined in the Radio Regulations."


def test_a_footnote_removed_takes_the_footnote_out(rendered: tuple[Path, bytes]) -> None:
    review = Review(rendered[1])
    review.remove_footnote("The functions of ITU-T are to fulfil")
    outcome = run(rendered, review, "footnote-removed")
    modify, suppress = outcome.changes()
    assert modify["modify"] == "sections/overview/content/3"
    assert "[^" not in modify["value"]
    assert suppress == {"suppress": "footnotes/developing-countries"}
    quiet(outcome)
    assert "developing-countries" not in outcome.applied().footnotes


# --- paragraph marks -----------------------------------------------------------------------------

GENERAL = "The functions of the General Secretariat include"
ITU_D = "The functions of ITU-D include"


@pytest.mark.parametrize("tracked", [True, False], ids=["tracked", "untracked"])
def test_two_paragraphs_merged(rendered: tuple[Path, bytes], tracked: bool) -> None:
    review = Review(rendered[1], tracked=tracked)
    review.merge_next(GENERAL)
    outcome = run(rendered, review, f"merged-{tracked}")
    modify, suppress = outcome.changes("Ada Reviewer" if tracked else "Reviewer")
    assert modify["modify"] == "sections/overview/content/6"
    assert modify["value"].startswith(GENERAL)
    assert modify["value"].endswith("ever-evolving global telecommunications/ICTs "
                                    "landscape[^oneitu].")
    assert "\t" not in modify["value"] and " 7 " not in modify["value"]
    assert suppress == {"suppress": "sections/overview/content/7"}
    quiet(outcome)
    texts = content(outcome.applied())
    assert len(texts) == 6 and texts[5].startswith(GENERAL) and "ITU aims" in texts[5]


@pytest.mark.parametrize("tracked", [True, False], ids=["tracked", "untracked"])
def test_a_paragraph_split_in_two(rendered: tuple[Path, bytes], tracked: bool) -> None:
    review = Review(rendered[1], tracked=tracked)
    review.split(ITU_D, "or other funding arrangements")
    outcome = run(rendered, review, f"split-{tracked}")
    modify, add = outcome.changes("Ada Reviewer" if tracked else "Reviewer")
    assert modify == {"modify": "sections/overview/content/4", "field": "text", "value": (
        "The functions of ITU-D include discharging the Union's dual responsibility as a "
        "United Nations specialized agency and executing agency for implementing projects "
        "under the United Nations development system or other funding arrangements")}
    assert add["add"] == "sections/overview/content" and add["after"] == 4
    assert add["item"].startswith("so as to facilitate")
    quiet(outcome)
    texts = content(outcome.applied())
    assert len(texts) == 8  # one paragraph more, none printed twice
    assert texts[3].endswith("funding arrangements") and texts[4].startswith("so as to")


# --- numbers the document computes ---------------------------------------------------------------


def test_a_computed_number_changed_is_reported(rendered: tuple[Path, bytes]) -> None:
    review = Review(rendered[1])
    review.replace("Universal broadband coverage", "1.1:", "1.2:")
    review.replace("The ITU Sectors have complementary mandates", "5", "6")
    outcome = run(rendered, review, "numbers")
    assert outcome.files == {}
    assert outcome.reports == [
        "1 Overview of ITU's structure, paragraph 5: the number “5” changed to “6”, not "
        "carried: numbers follow from the order of the items: “6 The ITU Sectors have "
        "complementary mandates and cooperate under the implementation of this strategic plan "
        "to fulfil the purposes of the Union.”",
        "2.5 Targets for the Union's Connect 2030 Agenda, “Universal broadband coverage”: the "
        "number “1.1:” changed to “1.2:”, not carried: numbers follow from the order of the "
        "items: “1.2: Universal broadband coverage”",
    ]
    assert outcome.result.exit_code() == 1


# --- comments ------------------------------------------------------------------------------------


def test_drafting_comments_deleted_edited_and_answered(rendered: tuple[Path, bytes]) -> None:
    review = Review(rendered[1])
    review.delete_comment("See INF Doc.4 for the link")
    review.edit_comment("To be updated based on the outcomes", "To be updated after the "
                        "fifth meeting.")
    review.answer("Use the term ‘developing countries’", "Agreed; the footnote is now at its "
                 "first mention.", author="Bo Second")
    review.answer("Definitions will be consolidated", "And the Glossary is Annex 2.",
                 author="Cy Third", anchored=False)
    review.set_properties("Ada Reviewer", "2026-03-02T09:00:00Z")
    outcome = run(rendered, review, "comments-existing")
    ada = outcome.changes()
    assert {"modify": "sections/framework/sections/overall-framework/content/1/comments/1",
            "field": "text",
            "value": "To be updated after the fifth meeting."} in ada
    assert any(c.get("suppress", "").endswith("/comments/1") for c in ada)
    assert outcome.changes("Bo Second") == [{
        "add": "sections/overview/content/3/comments",
        "item": {"author": "Bo Second", "text": "Agreed; the footnote is now at its first "
                 "mention.", "date": "2026-03-01"}}]
    (third,) = outcome.changes("Cy Third")
    assert third["item"]["text"] == "And the Glossary is Annex 2."
    quiet(outcome)
    outcome.applied()


def test_a_comment_on_a_prose_paragraph_stays_on_it(rendered: tuple[Path, bytes]) -> None:
    review = Review(rendered[1])
    review.comment(ITU_D, "Please cite the Convention here.")
    outcome = run(rendered, review, "comment-prose")
    (change,) = outcome.changes()
    assert change["add"] == "sections/overview/content/4/comments"
    quiet(outcome)
    assert outcome.applied().sections[0].content[3].comments[0].text == \
        "Please cite the Convention here."


# --- several reviewers -----------------------------------------------------------------------


def test_a_change_inside_another_reviewers_insertion(rendered: tuple[Path, bytes]) -> None:
    first = Review(rendered[1], author="Ada Reviewer")
    first.replace("Universal Internet access for all in schools", "Universal Internet access",
                  "Universal Internet access and meaningful connectivity")
    second = Review(first.save(), author="Bo Second", date="2026-03-02")
    second.replace_inside("Universal Internet access", " and meaningful", " and affordable")
    outcome = run(rendered, second, "nested")
    assert outcome.changes() == [{
        "modify": "targets/schools-access", "field": "text",
        "value": "Universal Internet access and meaningful connectivity for all in schools"}]
    # Bo's proposal is made on Ada's text: both are in it.
    assert outcome.changes("Bo Second") == [{
        "modify": "targets/schools-access", "field": "text",
        "value": "Universal Internet access and affordable connectivity for all in schools"}]
    quiet(outcome)
    for who in ("Ada Reviewer", "Bo Second"):
        assert validate([outcome.files[who]["path"]]).exit_code() == 0


# --- new items ---------------------------------------------------------------------------------


def test_one_new_target_typed_in_its_list_and_in_results_table_a(
    rendered: tuple[Path, bytes],
) -> None:
    review = Review(rendered[1])
    review.insert_after("Universal Internet use", "Meaningful connectivity for all")
    review.insert_row_after("Percentage of individuals using the Internet", [
        "", "1.7:\tMeaningful connectivity for all",
        "–\tPercentage of the population with meaningful connectivity"])
    outcome = run(rendered, review, "typed-twice")
    (add,) = outcome.changes()
    assert add["add"] == "targets" and add["after"] == "internet-use"
    assert add["item"]["id"] == "meaningful-connectivity-for-all"
    assert add["item"]["text"] == "Meaningful connectivity for all"
    assert [i["text"] for i in add["item"]["indicators"]] == [
        "Percentage of the population with meaningful connectivity"]
    quiet(outcome)
    targets = [t.id for t in outcome.applied().targets]
    assert targets.count("meaningful-connectivity-for-all") == 1
    assert "meaningful-connectivity-for-all-2" not in targets


def test_a_new_texts_first_letter_or_number_is_kept(rendered: tuple[Path, bytes]) -> None:
    review = Review(rendered[1])
    review.insert_after("Universal Internet use", "5G coverage of all cities")
    review.insert_after("ITU aims to enhance coordination", "ensure that the Sectors report "
                        "together.")
    review.insert_after("Digital skills for all", "2.4: Skills for older persons")
    outcome = run(rendered, review, "leading")
    assert [c["item"]["text"] if isinstance(c["item"], dict) else c["item"]
            for c in outcome.changes()] == [
        "ensure that the Sectors report together.", "5G coverage of all cities",
        "Skills for older persons"]  # the number typed before it goes: numbers are computed
    quiet(outcome)  # the new targets' rows of results table A follow from the targets


# --- who, for an untracked copy ---------------------------------------------------------------


def test_an_untracked_copy_is_its_last_editors(rendered: tuple[Path, bytes]) -> None:
    review = Review(rendered[1], tracked=False)
    review.replace("Universal broadband coverage", "Universal", "Universal and meaningful")
    review.set_properties("Member State X", "2026-04-02T10:00:00Z")
    outcome = run(rendered, review, "untracked-editor")
    assert list(outcome.files) == ["Member State X"]
    assert outcome.files["Member State X"]["contribution"]["date"] == "2026-04-02"
    (info,) = [d for d in outcome.result.diagnostics if d.code == "SP808"]
    assert info.message.endswith("attributed to Member State X")
    # The render's own properties name no reviewer: "Reviewer", undated.
    plain = Review(rendered[1], tracked=False)
    plain.replace("Universal broadband coverage", "Universal", "Universal and meaningful")
    outcome = run(rendered, plain, "untracked-render-properties")
    assert list(outcome.files) == ["Reviewer"]
    assert "date" not in outcome.files["Reviewer"]["contribution"]


# --- text in elements Word keeps apart ---------------------------------------------------------


@pytest.mark.parametrize("element", ["dir", "bdo"])
def test_right_to_left_text_and_its_revision_are_read(rendered: tuple[Path, bytes],
                                                      element: str) -> None:
    review = Review(rendered[1])
    review.insert_embedded("Affordable connectivity for all", "Affordable connectivity",
                           " (الاتصال الميسور)", element)
    outcome = run(rendered, review, f"bidi-{element}")
    assert outcome.changes() == [{"modify": "targets/affordable-broadband", "field": "text",
                                  "value": "Affordable connectivity (الاتصال الميسور) for all"}]
    assert "SP808" not in outcome.codes  # the file has tracked changes: that one
    quiet(outcome)


def test_a_non_breaking_hyphen_and_a_symbol_are_text(rendered: tuple[Path, bytes]) -> None:
    review = Review(rendered[1])
    review.insert_special("Digital skills for all", "Digital skills", " for e", "hyphen",
                          "government")
    review.insert_special("Affordable connectivity for all", "Affordable connectivity", " ",
                          "sym", " 95%")
    outcome = run(rendered, review, "symbols")
    values = {c["modify"]: c["value"] for c in outcome.changes()}
    assert values == {"targets/digital-skills": "Digital skills for e\u2011government for all",
                      "targets/affordable-broadband": "Affordable connectivity ≥ 95% for all"}
    quiet(outcome)


def test_a_text_box_and_an_equation_are_reported(rendered: tuple[Path, bytes]) -> None:
    review = Review(rendered[1])
    review.insert_text_box("Universal broadband coverage", "See the annex on 5G.")
    review.insert_equation("Digital skills for all", "x=2")
    outcome = run(rendered, review, "boxes")
    assert outcome.files == {}
    place = "2.5 Targets for the Union's Connect 2030 Agenda"
    assert outcome.reports == [
        f"{place}, “Universal broadband coverage”: a text box by Ada Reviewer, not imported: "
        "the plan holds no text boxes (type the text in a paragraph): “See the annex on 5G.”",
        f"{place}, “Digital skills for all”: an equation by Ada Reviewer, not imported: the "
        "plan's text holds no equations (write it in words): “x=2”",
    ]


# --- moves, formatting, hidden text ------------------------------------------------------------


def test_a_move_with_word_365s_named_ranges(rendered: tuple[Path, bytes]) -> None:
    review = Review(rendered[1])
    review.move_with_ranges("Universal Internet use", "Digital skills for all")
    outcome = run(rendered, review, "move-ranges")
    suppress, add = outcome.changes()
    assert suppress == {"suppress": "targets/internet-use"}
    assert add["add"] == "targets" and add["after"] == "digital-skills"
    assert add["item"]["id"] == "internet-use"
    assert add["item"]["goal"] == "sustainable-digital-transformation"
    quiet(outcome)


def test_a_formatting_change_is_reported_as_formatting(rendered: tuple[Path, bytes]) -> None:
    review = Review(rendered[1])
    review.format_words("Digital skills for all", "skills")
    outcome = run(rendered, review, "formatting")
    assert outcome.files == {}
    assert outcome.reports == [
        "2.5 Targets for the Union's Connect 2030 Agenda, “Digital skills for all”: a "
        "formatting change by Ada Reviewer (the words “skills”), not carried: the plan's text "
        "holds no formatting"]
    assert "SP808" not in outcome.codes  # not "no tracked changes"


@pytest.mark.parametrize("tracked", [True, False], ids=["tracked", "untracked"])
def test_hidden_text_is_reported_and_not_imported(rendered: tuple[Path, bytes],
                                                  tracked: bool) -> None:
    review = Review(rendered[1], tracked=tracked)
    review.insert_hidden("Universal broadband coverage", " by 2026, and nothing else")
    outcome = run(rendered, review, f"hidden-{tracked}")
    assert outcome.files == {}
    (report,) = outcome.reports
    assert report.startswith("2.5 Targets for the Union's Connect 2030 Agenda, “Universal "
                             "broadband coverage”: hidden text by ")
    assert report.endswith("Word does not show it, so it is not a change: “by 2026, and "
                           "nothing else”")


# --- quiet when right ----------------------------------------------------------------------


def test_differences_that_are_not_differences_say_nothing(rendered: tuple[Path, bytes]) -> None:
    review = Review(rendered[1], tracked=False)
    # a tab made a space, and LibreOffice's invisible mark of an inserted row's cell
    p = review.paragraph("The ITU Sectors have complementary mandates")
    tab = next(p.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tab"))
    tab.getparent().replace(tab, review._run(" ")[0])
    cell = review.paragraph("Universal Connectivity")
    cell.append(review._run("\u200d"))
    outcome = run(rendered, review, "no-difference")
    assert outcome.files == {}
    quiet(outcome)


@pytest.mark.tools("pandoc")
def test_a_pandoc_round_trip_changes_nothing(rendered: tuple[Path, bytes]) -> None:
    root, data = rendered
    source = root / "pandoc-in.docx"
    source.write_bytes(data)
    out = root / "pandoc-out.docx"
    subprocess.run([require_tool("pandoc"), "-f", "docx", "-t", "docx", str(source), "-o",
                    str(out)], check=True, capture_output=True, timeout=120)
    outcome = run(rendered, out.read_bytes(), "pandoc")
    assert outcome.files == {}
    quiet(outcome)  # the keys are lost; the text says which paragraph each is
    assert outcome.result.text == "0 change(s) imported, 0 left out"
