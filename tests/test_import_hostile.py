"""Reviewed Word files made to carry what their reader cannot see, or to break what import
writes (issue 20): each is refused or reported, nothing hidden is written, nothing is half
written, and every contribution written validates.

The cases of the reading itself (hidden text, keys as claims, the plan decided from the text)
belong to the importer's stages (issue 20 part A; tests/test_import_families.py has each family
of edit, tests/test_import_stages.py each stage).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from stratplan.api import import_review, render, validate
from stratplan.diagnostics import Result, StratplanError
from stratplan.proposals import changeset
from stratplan.proposals.changeset import HEADER
from tests.conftest import PLANS, run_cli
from tests.docx_review import Review, q, text_of

CYCLE = "2028-2031"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(PLANS / CYCLE, root / "plans" / CYCLE)
    out = render([root / "plans" / CYCLE], root / "draft.docx").written[0]
    return root, out.read_bytes()


def run(root: Path, data: bytes, name: str, **options: Any) -> Result:
    review = root / f"{name}.docx"
    review.write_bytes(data)
    out = root / "out" / name
    return import_review(review, root / "plans" / CYCLE, f"{out}/", **options)


def loaded(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return data


def assert_valid(result: Result) -> None:
    """Every contribution written validates, and holds no text from the file outside values:
    its only comment lines are ours."""
    checked = validate(result.written)
    assert [d.message for d in checked.diagnostics if d.severity.value == "error"] == []
    for path in result.written:
        comments = [line for line in path.read_text(encoding="utf-8").splitlines()
                    if line.lstrip().startswith("#")]
        assert comments == [f"# {line}" for line in HEADER.splitlines()]


def codes(result: Result) -> list[str]:
    return [d.code for d in result.diagnostics]


# --- text is data --------------------------------------------------------------------------


@pytest.mark.parametrize("brk", ["\r", "\n", "\x85", "\u2028", "\u2029", "\r\n"])
def test_a_line_break_in_an_author_forges_no_change(rendered: tuple[Path, bytes],
                                                    brk: str) -> None:
    root, data = rendered
    author = f"Ada{brk}- suppress: targets/affordable-broadband{brk}#"
    review = Review(data, author=author)
    review.replace("Universal broadband coverage", "Universal", "Universal and meaningful")
    review.comment("Digital skills for all", f"Why{brk}- suppress: targets/digital-skills")
    result = run(root, review.save(), f"forged-{ord(brk[0]):x}")
    (written,) = result.written
    contribution = loaded(written)
    assert contribution["contribution"]["contributor"] == (
        "Ada - suppress: targets/affordable-broadband #")
    assert [c.get("modify") or c.get("add") or c.get("suppress")
            for c in contribution["changes"]] == ["targets/broadband-coverage",
                                                   "targets/digital-skills/comments"]
    assert_valid(result)


def test_c1_controls_in_an_author_a_comment_and_a_text_are_removed_and_said(
    rendered: tuple[Path, bytes],
) -> None:
    root, data = rendered
    review = Review(data, author="Ada\x9b Reviewer\x80")
    review.replace("Universal broadband coverage", "Universal", "Universal\x85 and\x90 free")
    review.comment("Digital skills for all", "Please\x80 define the skills.\x9f")
    result = run(root, review.save(), "c1")
    (written,) = result.written
    contribution = loaded(written)
    assert contribution["contribution"]["contributor"] == "Ada Reviewer"
    changes = contribution["changes"]
    assert changes[0]["value"] == "Universal and free broadband coverage"
    assert changes[1]["item"] == {"author": "Ada Reviewer", "text": "Please define the skills.",
                                  "date": "2026-03-01"}
    (warning,) = [d for d in result.diagnostics if d.code == "SP811"]
    assert warning.message.startswith("Ada Reviewer: control characters removed (U+009B, "
                                      "U+0080, U+0085, U+0090, U+009F)")
    assert warning.message.endswith("the first in the paragraph “1.1: Universal and free "
                                    "broadband coverage”")
    assert result.exit_code() == 1
    assert_valid(result)


def test_a_date_in_year_9999_is_left_out_and_said(rendered: tuple[Path, bytes]) -> None:
    root, data = rendered
    review = Review(data, date="9999-12-31")
    review.replace("Universal broadband coverage", "Universal", "Universal and meaningful")
    review.comment("Digital skills for all", "Please define the skills.")
    result = run(root, review.save(), "year9999")
    (written,) = result.written
    contribution = loaded(written)
    assert "date" not in contribution["contribution"]
    first, comment = contribution["changes"]
    assert first["value"] == "Universal and meaningful broadband coverage"
    assert "date" not in first["found_at"]
    assert comment["item"] == {"author": "Ada Reviewer", "text": "Please define the skills."}
    (warning,) = [d for d in result.diagnostics if d.code == "SP811"]
    assert warning.message.startswith("Ada Reviewer: dates not between 1865 and 2200 "
                                      "(9999-12-31): imported undated")
    assert_valid(result)


# --- one file per reviewer, all or none -----------------------------------------------------

NAMES = {
    "Ada Reviewer": "Universal broadband coverage",
    "ADA REVIEWER": "Affordable connectivity for all",
    "Ada-Reviewer": "Universal access to Internet-enabled devices",
    "محمد علي": "Universal Internet access for all in schools",
    "王小明": "Universal Internet use",
    "Иван Петров": "Digital skills for all",
    "Иван Петров.": "Universal business use of the Internet",
}


def test_reviewers_whose_names_meet_get_a_file_each(rendered: tuple[Path, bytes]) -> None:
    root, data = rendered
    for who, paragraph in NAMES.items():
        review = Review(data, author=who)
        review.replace(paragraph, paragraph.split()[0], f"{paragraph.split()[0]} (revised)")
        data = review.save()
    result = run(root, data, "names")
    assert len(result.written) == len(NAMES)
    assert len({p.name.casefold() for p in result.written}) == len(NAMES)
    by_name = {loaded(p)["contribution"]["contributor"]: p.name for p in result.written}
    assert set(by_name) == set(NAMES)
    assert by_name["محمد علي"].startswith("names-محمد-علي-")
    assert by_name["王小明"].startswith("names-王小明-")
    assert by_name["Иван Петров"].startswith("names-иван-петров-")
    assert by_name["ADA REVIEWER"].startswith("names-ada-reviewer-")
    assert all(len(p.name.encode("utf-8")) <= 160 for p in result.written)
    assert result.text == f"{len(NAMES)} change(s) imported, 0 left out"
    assert_valid(result)


def test_a_300_letter_name_is_refused_and_the_others_written(
    rendered: tuple[Path, bytes],
) -> None:
    root, data = rendered
    long_name = "Ω" * 300
    first = Review(data, author="Ada Reviewer")
    first.replace("Universal broadband coverage", "Universal", "Universal and meaningful")
    second = Review(first.save(), author=long_name)
    second.replace("Digital skills for all", "Digital skills", "Advanced digital skills")
    result = run(root, second.save(), "long")
    (written,) = result.written
    assert loaded(written)["contribution"]["contributor"] == "Ada Reviewer"
    (refused,) = [d for d in result.diagnostics if d.code == "SP812"]
    assert refused.message.startswith("ΩΩΩ")
    assert "(the first at 2.5 Targets for the Union's Connect 2030 Agenda, “Digital skills for " \
           "all”) were not written: contribution.contributor" in refused.message
    assert "at most 255 characters" in refused.message
    assert result.text == "1 change(s) imported, 0 left out, 1 not written"
    assert result.exit_code() == 1
    assert_valid(result)
    assert sorted(p.name for p in written.parent.iterdir()) == [written.name]


def test_more_reviewers_than_the_limit_write_nothing(
    rendered: tuple[Path, bytes], monkeypatch: pytest.MonkeyPatch,
) -> None:
    root, data = rendered
    for who, paragraph in list(NAMES.items())[:3]:
        review = Review(data, author=who)
        review.replace(paragraph, paragraph.split()[0], f"{paragraph.split()[0]} (revised)")
        data = review.save()
    monkeypatch.setattr(changeset, "MAX_REVIEWERS", 2)
    with pytest.raises(StratplanError) as caught:
        run(root, data, "crowd")
    assert "3 reviewers made changes, over the limit of 2" in str(caught.value)
    assert not (root / "out" / "crowd").exists() or not any((root / "out" / "crowd").iterdir())


def test_an_edited_contribution_is_not_replaced_without_force(
    rendered: tuple[Path, bytes],
) -> None:
    root, data = rendered
    first = Review(data, author="Ada Reviewer")
    first.replace("Universal broadband coverage", "Universal", "Universal and meaningful")
    second = Review(first.save(), author="Bo Second")
    second.replace("Digital skills for all", "Digital skills", "Advanced digital skills")
    reviewed = second.save()
    result = run(root, reviewed, "again")
    ada, bo = sorted(result.written)
    assert run(root, reviewed, "again").written == result.written  # as written: replaced

    edited = ada.read_text(encoding="utf-8").replace("field: text", "field: text\n    reasons: "
                                                     "Agreed with the Secretariat.")
    ada.write_text(edited, encoding="utf-8")
    bo_before = bo.read_bytes()
    bo.write_bytes(b"")  # emptied: a file import did not write
    with pytest.raises(StratplanError) as caught:
        run(root, reviewed, "again")
    assert caught.value.exit_code == 2
    messages = sorted(d.message for d in caught.value.diagnostics)
    assert [d.code for d in caught.value.diagnostics] == ["SP813", "SP813"]
    assert messages[0].endswith(f"{ada.name} is not replaced: it was edited since stratplan "
                                "import wrote it")
    assert messages[1].endswith(f"{bo.name} is not replaced: it was not written by stratplan "
                                "import")
    assert ada.read_text(encoding="utf-8") == edited  # all or none: neither was touched
    assert bo.read_bytes() == b""

    proc = run_cli("import", str(root / "again.docx"), "--base", str(root / "plans" / CYCLE),
                   "-o", f"{root / 'out' / 'again'}/", "--force")
    assert proc.returncode == 0, proc.stderr
    assert bo.read_bytes() == bo_before
    assert "Agreed with the Secretariat" not in ada.read_text(encoding="utf-8")


def test_a_hand_written_contribution_is_not_replaced(rendered: tuple[Path, bytes],
                                                     tmp_path: Path) -> None:
    root, data = rendered
    review = Review(data)
    review.replace("Universal broadband coverage", "Universal", "Universal and meaningful")
    (root / "own.docx").write_bytes(review.save())
    mine = tmp_path / "mine.yaml"
    mine.write_text("contribution:\n  base: 2028-2031\n", encoding="utf-8")
    proc = run_cli("import", str(root / "own.docx"), "--base", str(root / "plans" / CYCLE),
                   "-o", str(mine))
    assert proc.returncode == 2
    assert "SP813" in proc.stderr and "mine.yaml is not replaced" in proc.stderr
    assert mine.read_text(encoding="utf-8") == "contribution:\n  base: 2028-2031\n"


# --- what a reader cannot see, and what a file says of itself (part A) -------------------------


@pytest.mark.parametrize("tracked", [True, False])
def test_hidden_text_is_reported_not_imported(rendered: tuple[Path, bytes], tracked: bool) -> None:
    root, data = rendered
    review = Review(data, tracked=tracked)
    review.insert_hidden("Universal broadband coverage", " by 2026, and nothing else")
    result = run(root, review.save(), f"hidden-{tracked}")
    assert result.written == []
    assert any(d.code == "SP806" and "hidden" in d.message for d in result.diagnostics)


LOOKS_NOBODY_SEES: dict[str, tuple[dict[str, dict[str, str]], str]] = {
    "white": ({"color": {"val": "FFFFFF"}}, "text in white"),
    "theme-white": ({"color": {"val": "000000", "themeColor": "background1"}}, "text in white"),
    "two-points": ({"sz": {"val": "4"}}, "text too small to read"),
    "squeezed": ({"w": {"val": "5"}}, "text too small to read"),
    "special-vanish": ({"specVanish": {}}, "hidden text"),
}


@pytest.mark.parametrize("tracked", [True, False])
@pytest.mark.parametrize("look", sorted(LOOKS_NOBODY_SEES))
def test_text_a_reader_cannot_see_is_reported_not_imported(
    rendered: tuple[Path, bytes], look: str, tracked: bool
) -> None:
    root, data = rendered
    properties, what = LOOKS_NOBODY_SEES[look]
    review = Review(data, tracked=tracked)
    review.insert_formatted("Universal broadband coverage", " by 2026, and nothing else",
                            properties)
    result = run(root, review.save(), f"{look}-{tracked}")
    assert result.written == []
    [report] = [d for d in result.diagnostics if d.code == "SP806"]
    assert f"{what} by " in report.message and "by 2026, and nothing else" in report.message


def test_white_text_on_a_dark_highlight_is_read(rendered: tuple[Path, bytes]) -> None:
    root, data = rendered
    review = Review(data)
    review.insert_formatted("Universal broadband coverage", " for all",
                            {"color": {"val": "FFFFFF"}, "highlight": {"val": "darkBlue"}})
    result = run(root, review.save(), "white-on-blue")
    [written] = result.written
    [change] = loaded(written)["changes"]
    assert change["value"] == "Universal broadband coverage for all"


def test_white_text_in_a_dark_cell_is_read(rendered: tuple[Path, bytes]) -> None:
    """A house style's header row (white on dark blue) is seen: white text on a cell's fill
    is read as any other."""
    root, data = rendered
    review = Review(data)
    review.shade_cell("Universal broadband coverage", "1F3864", nth=1)  # its row in table A
    review.insert_formatted("Universal broadband coverage", " for all",
                            {"color": {"val": "FFFFFF"}}, nth=1)
    result = run(root, review.save(), "white-in-dark-cell")
    assert [d.code for d in result.diagnostics] == []
    [written] = result.written
    [change] = loaded(written)["changes"]
    assert change["value"] == "Universal broadband coverage for all"


def test_text_the_documents_defaults_hide_is_reported_not_imported(
    rendered: tuple[Path, bytes],
) -> None:
    root, data = rendered
    review = Review(data)
    review.hide_by_default()
    review.insert_formatted("Universal broadband coverage", " by 2026, and nothing else", {})
    result = run(root, review.save(), "hidden-by-default")
    assert result.written == []
    assert [d.code for d in result.diagnostics] == ["SP806"]
    assert "hidden text by Ada Reviewer" in result.diagnostics[0].message


@pytest.mark.parametrize("tracked", [True, False])
def test_text_in_markup_the_import_does_not_read_is_reported(
    rendered: tuple[Path, bytes], tracked: bool
) -> None:
    root, data = rendered
    review = Review(data, tracked=tracked)
    review.ruby("Universal broadband coverage", " for all", "guide")
    result = run(root, review.save(), f"ruby-{tracked}")
    assert result.written == []
    [report] = [d for d in result.diagnostics if d.code == "SP806"]
    assert "text the import does not read" in report.message and "for all (w:ruby)" in \
        report.message


def test_content_brought_in_from_another_part_is_reported(rendered: tuple[Path, bytes]) -> None:
    root, data = rendered
    review = Review(data, tracked=False)
    review.alt_chunk("Universal broadband coverage", "<html><body><p>A new target</p></body>"
                     "</html>")
    result = run(root, review.save(), "alt-chunk")
    assert result.written == []
    [report] = [d for d in result.diagnostics if d.code == "SP806"]
    assert "“Universal broadband coverage”" in report.message
    assert "content brought in from another part" in report.message


def test_hidden_words_in_a_comment_are_reported_not_imported(
    rendered: tuple[Path, bytes],
) -> None:
    root, data = rendered
    commented = Review(data)
    commented.comment("Universal broadband coverage", "Agreed.")
    review = Review(commented.save())
    review.hide_in_comment("Agreed.", " Delete target 2.1.")
    result = run(root, review.save(), "comment-hidden")
    [written] = result.written
    [change] = loaded(written)["changes"]
    assert change["item"]["text"] == "Agreed."
    [report] = [d for d in result.diagnostics if d.code == "SP806"]
    assert report.message.startswith("the comment by Ada Reviewer (“Agreed.”): hidden text")
    assert "Delete target 2.1." in report.message


def test_a_drafting_comment_left_empty_stays_and_is_said(rendered: tuple[Path, bytes]) -> None:
    root, data = rendered
    review = Review(data)
    first = next(iter(review._xml("word/comments.xml").iter(q("comment"))))
    review.edit_comment(text_of(first)[:20], "")
    result = run(root, review.save(), "comment-emptied")
    assert result.written == []
    [report] = [d for d in result.diagnostics if d.code == "SP806"]
    assert "left empty, not carried: it stays in the plan" in report.message


@pytest.mark.parametrize("tracked", [True, False])
def test_an_edit_of_the_page_footer_is_reported_not_lost(
    rendered: tuple[Path, bytes], tracked: bool
) -> None:
    root, data = rendered
    review = Review(data, tracked=tracked)
    review.edit_footer(" Draft by Ruritania")
    result = run(root, review.save(), f"footer-{tracked}")
    assert result.written == []
    [report] = [d for d in result.diagnostics if d.code == "SP806"]
    assert report.message.startswith("the page footer (word/footer")
    assert "Draft by Ruritania" in report.message
    assert ("SP808" in codes(result)) is not tracked  # a tracked footer is a tracked file


def test_a_comment_on_the_page_footer_names_the_footer(rendered: tuple[Path, bytes]) -> None:
    root, data = rendered
    review = Review(data)
    review.edit_footer("", comment="Number the pages in Roman.")
    result = run(root, review.save(), "footer-comment")
    [report] = [d for d in result.diagnostics if d.code == "SP806"]
    assert "the page footer" in report.message and "Number the pages in Roman." in report.message


def test_page_numbers_a_program_updated_are_no_edit(rendered: tuple[Path, bytes]) -> None:
    root, data = rendered
    review = Review(data, tracked=False)
    review.edit_footer("", pages=(3, 45))
    review.replace("Universal broadband coverage", "Universal", "Universal and meaningful")
    result = run(root, review.save(), "footer-pages")
    assert [d.code for d in result.diagnostics] == ["SP808"]
    [written] = result.written
    assert len(loaded(written)["changes"]) == 1


@pytest.mark.parametrize("shown", ["the render", "the edit"])
def test_the_document_read_is_the_one_the_package_names_as_main(
    rendered: tuple[Path, bytes], shown: str
) -> None:
    """A package can hold word/document.xml and relate its main document elsewhere: Word
    shows the part the relationship names, and so does the import; the other is never read."""
    root, data = rendered
    edited = Review(data)
    edited.replace("Universal broadband coverage", "Universal", "Forged")
    edit = edited.package()["word/document.xml"]
    review = Review(data if shown == "the edit" else edited.save())
    review.main_document_elsewhere(edit if shown == "the edit" else Review(data).package()[
        "word/document.xml"])
    result = run(root, review.save(), f"main-{shown.split()[1]}")
    values = [c.get("value") for path in result.written for c in loaded(path)["changes"]]
    assert values == (["Forged broadband coverage"] if shown == "the edit" else [])


@pytest.mark.parametrize("stored", ["the render's", "an edit"])
def test_text_bound_to_data_is_reported_not_imported(
    rendered: tuple[Path, bytes], stored: str
) -> None:
    """Word (and LibreOffice) show a data-bound content control's data, not the text the file
    stores: whichever of the two differs from the plan, the import reports the paragraph and
    imports nothing of it."""
    root, data = rendered
    review = Review(data, tracked=False)
    if stored == "an edit":
        review.replace("Universal broadband coverage", "Universal", "Forged")
    review.bind_to_data("broadband coverage", "Universal broadband coverage"
                        if stored == "an edit" else "Shown from the data part")
    result = run(root, review.save(), f"bound-{stored.split()[-1]}")
    assert result.written == []
    [report] = [d for d in result.diagnostics if d.code == "SP806"]
    assert report.message.startswith("2.5 Targets for the Union's Connect 2030 Agenda, “")
    assert "a content control bound to data (w:dataBinding), not imported" in report.message


def test_two_parts_whose_names_differ_in_case_are_refused(rendered: tuple[Path, bytes]) -> None:
    root, data = rendered
    review = Review(data)
    review.parts["word/Document.xml"] = review.parts["word/document.xml"]
    with pytest.raises(StratplanError) as caught:
        run(root, review.save(), "case")
    [problem] = caught.value.diagnostics
    assert "not a readable Word file" in problem.message and "two parts named" in problem.message


def test_keys_swapped_in_an_untracked_copy_change_nothing(rendered: tuple[Path, bytes]) -> None:
    root, data = rendered
    review = Review(data, tracked=False)
    review.swap_keys("target:broadband-coverage", "target:affordable-broadband")
    result = run(root, review.save(), "swapped")
    assert result.written == []
    assert [c for c in codes(result) if c != "SP808"] == []


def test_a_render_of_another_cycle_without_its_key_table_is_refused(
    rendered: tuple[Path, bytes],
) -> None:
    root, _ = rendered
    other = root / "plans" / "2024-2027"
    if not other.exists():
        shutil.copytree(PLANS / "2024-2027", other)
    review = Review(render([other], root / "other.docx").written[0].read_bytes(), tracked=False)
    review.drop_key_table()
    with pytest.raises(StratplanError) as caught:
        run(root, review.save(), "other-cycle")
    assert [d.code for d in caught.value.diagnostics] == ["SP807"]


def test_a_contributor_given_with_a_control_character_is_a_usage_error(
    rendered: tuple[Path, bytes],
) -> None:
    root, data = rendered
    with pytest.raises(StratplanError) as caught:
        run(root, data, "contributor", contributor="Member\x85State")
    assert caught.value.exit_code == 2
    assert "--contributor 'Member\\x85State' holds a control character" in str(caught.value)
