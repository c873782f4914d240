"""The corpus of reviewed files (tests/reviews/, made by tests/review_corpus.py): every file
imports without a crash, every contribution it writes validates, and what import does with
each intended edit (carried, reported, lost), and the spurious changes and the noise of each
file, are exactly what the manifest records as today's (`today` in tests/reviews/corpus.yaml).

These are records, not the goal: the goal of each edit is its `expect`. When import improves,
a case here fails until the manifest records the new score (`make reviews ARGS=--record`
writes it; review the difference before committing it), so no improvement and no regression
passes unseen. `make bench` prints the score per family.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from benchmarks.review_score import CaseScore, Found, matches, score_case

from stratplan.api import validate
from tests.conftest import PLANS
from tests.ooxml import audit
from tests.review_corpus import OUTCOMES, Case, Edit, corpus_folder, load_corpus

PERIOD, CASES = load_corpus()
MADE_BY = {"word", "word-untracked", "libreoffice", "odt", "pandoc"}


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The base plan and the folder of the corpus's files: the committed ones, or, when they
    were made from another render, the same made again now (once for every test process)."""
    # Under xdist, every worker's temporary folder is in the session's: the corpus is made
    # there once for all of them.
    temp = tmp_path_factory.getbasetemp()
    shared = (temp.parent if os.environ.get("PYTEST_XDIST_WORKER") else temp) / "review-corpus"
    shared.mkdir(exist_ok=True)
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        base = shared / "plans" / PERIOD
        if not base.exists():
            shutil.copytree(PLANS / PERIOD, base)
        done = shared / "folder"
        if done.exists():
            return base, Path(done.read_text())
        try:
            folder, _ = corpus_folder(base, shared)
        # Stale, and no LibreOffice or pandoc here to make it again:
        except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
            if os.environ.get("STRATPLAN_REQUIRE_TOOLS"):
                raise
            pytest.skip(f"the corpus is of another render and cannot be made again here: {exc}")
        done.write_text(str(folder))
        return base, folder


def test_the_manifest_says_what_each_edit_is() -> None:
    names = [case.name for case in CASES]
    assert len(set(names)) == len(names)
    for case in CASES:
        assert case.made_by in MADE_BY, case.name
        assert case.edits, case.name
        if case.made_by in ("odt", "pandoc"):
            assert case.source in names[: names.index(case.name)], case.name
        else:
            assert all(e.do for e in case.edits if e.family != "untracked-attribution"), case.name
        for edit in case.edits:
            assert edit.expect in ("carried", "reported") and edit.today in OUTCOMES, case.name
            assert edit.change or edit.expect == "reported", (case.name, edit.family)
            assert edit.change or edit.quote or edit.do, (case.name, edit.family)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_reviewed_file_scores_as_recorded(corpus: tuple[Path, Path], case: Case) -> None:
    base, folder = corpus
    out = base.parents[1] / "out" / case.name  # beside plans/: `validate` finds the base
    score = score_case(case, folder / case.file, base, out)
    assert score.crash == ""
    assert score.refused == ""
    recorded = [(edit.family, edit.today) for edit in case.edits]
    found = [(edit.family, outcome) for edit, outcome in zip(case.edits, score.outcomes,
                                                             strict=True)]
    assert found == recorded, "record the new score: make reviews ARGS=--record"
    assert (len(score.spurious), len(score.noise)) == (case.spurious, case.noise), (
        [f.data for f in score.spurious], score.noise[:5])
    written = sorted(out.glob("*.yaml"))
    if written:
        checked = validate(written)
        assert [d.message for d in checked.diagnostics if d.severity.value == "error"] == []


@pytest.mark.parametrize("case", [c for c in CASES if c.made_by.startswith("word")],
                         ids=lambda c: c.name)
def test_the_files_written_as_word_writes_them_pass_the_schema(
    corpus: tuple[Path, Path], case: Case,
) -> None:
    assert audit(corpus[1] / case.file) == []


def test_the_word_files_carry_what_word_365_writes(corpus: tuple[Path, Path]) -> None:
    """Editing sessions, the speller's marks, threads, named moves, formatting revisions: the
    generator writes them, so the import reads them."""
    folder = corpus[1]

    def part(case: str, name: str) -> str:
        with zipfile.ZipFile(folder / f"{case}.docx") as z:
            return z.read(name).decode("utf-8")

    document = part("word-words", "word/document.xml")
    assert document.count("w:proofErr") > 50 and document.count("w:rsidR=") > 500
    assert 'w:name="_GoBack"' in document and "w14:paraId" in document
    assert "<w:rsids>" in part("word-words", "word/settings.xml")
    assert "w15:paraIdParent" in part("word-comment-threads", "word/commentsExtended.xml")
    moves = part("word-moves", "word/document.xml")
    assert "w:moveFromRangeStart" in moves and 'w:name="move196000001"' in moves
    assert "w:rPrChange" in part("word-formatting", "word/document.xml")
    assert "<w:dir" in part("word-bidi-symbols", "word/document.xml")
    assert "Ada Reviewer" in part("word-untracked", "docProps/core.xml")


def test_the_scorer_counts_a_lost_edit_a_report_and_a_spurious_change(
    corpus: tuple[Path, Path], tmp_path: Path,
) -> None:
    """The scorer can fail: an edit whose change is not there is lost, one whose words a report
    quotes is reported, and a change no edit asked for is spurious."""
    base, folder = corpus
    case = Case("word-words", "word", [
        Edit("words", "carried", "carried",
             change=[{"modify": "targets/broadband-coverage", "text": "Something else"}]),
        Edit("words", "carried", "carried", change=[{"modify": "sections/overview/content/2"}]),
    ])
    score = score_case(case, folder / "word-words.docx", base, tmp_path)
    assert score.outcomes == ["lost", "carried"]
    assert [f.data["modify"] for f in score.spurious] == [
        "targets/broadband-coverage", "outcomes/harmful-interference-avoidance"]
    leading = next(c for c in CASES if c.name == "word-leading-letter")
    assert score_case(leading, folder / leading.file, base, tmp_path / "b").outcomes[0] in (
        "reported", "carried")


def test_a_change_matches_by_kind_address_and_words() -> None:
    found = Found("Ada", {"add": "targets/x/comments", "item": {"text": "Why not?"},
                          "reasons": "Because."})
    assert matches({"add": "targets/x*", "contains": "Why not?"}, found)
    assert matches({"address": "targets/*/comments", "contains": "Because."}, found)
    assert not matches({"modify": "targets/x/comments"}, found)
    assert not matches({"add": "targets/x"}, found)
    assert matches({"text": "Why not?", "by": "Ada"}, found)
    assert not matches({"text": "Why not?", "by": "Bo"}, found)
    assert CaseScore("x").outcomes == []
