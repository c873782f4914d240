"""The corpus of reviewed files (tests/reviews/): how each file is made, and what each of its
edits is meant to become.

`tests/reviews/corpus.yaml` lists the cases. Each is a render of the base plan edited the way
delegates edit it, made by one of:

- `word`: Word 365's own XML (`tests/word365.WordReview`: tracked changes as Word records
  them, and the whole file as Word saves it: runs split by editing sessions, w:proofErr,
  rsids, paragraph ids, comment threads in commentsExtended.xml, Track Moves with named
  ranges); `word-untracked`: the same edits with Track Changes off;
- `libreoffice`: LibreOffice itself, headless, driven over UNO (`tests/uno/uno_edit.py`),
  with Track Changes on; an op with an `author` starts a second reviewer's session on the
  file the first left;
- `odt`: another case's file saved as .odt and back to .docx by LibreOffice;
- `pandoc`: another case's file through pandoc, docx to docx (`track: accept` takes the
  tracked changes in, `all` keeps them); both lose the file's hidden keys.

Each edit names its family (words, new-item, footnote, merge, ...), the change it should
become (`change`, matched as `benchmarks/review_score.py` says) or the words a report of it
must quote (`quote`), what is right for it (`expect`: carried or reported) and what import
does with it today (`today`), which tests/test_review_corpus.py checks exactly: an
improvement is recorded by changing `today`.

`python -m tests.review_corpus` (`make reviews`) makes every file again from the current
render; the test and `make bench` make them in a temporary folder when the committed ones are
of another render (tests/reviews/render.sha256), so they never score a stale corpus.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "reviews"
MANIFEST = CORPUS / "corpus.yaml"
RENDER_HASH = CORPUS / "render.sha256"
UNO_EDIT = ROOT / "tests" / "uno" / "uno_edit.py"
SYSTEM_PYTHON = "/usr/bin/python3"
OUTCOMES = ("carried", "reported", "lost")


@dataclass
class Edit:
    family: str
    expect: str  # carried or reported: what is right for it
    today: str  # carried, reported or lost: what import does today
    do: list[dict[str, Any]] = field(default_factory=list)  # how it is made
    change: list[dict[str, Any]] = field(default_factory=list)  # the change(s) it becomes
    quote: str = ""  # words a report of it quotes


@dataclass
class Case:
    name: str
    made_by: str
    edits: list[Edit]
    author: str = "Ada Reviewer"
    source: str = ""  # the case an `odt` or `pandoc` case is made from
    track: str = "accept"  # pandoc's --track-changes
    spurious: int = 0  # changes no edit asked for, today
    noise: int = 0  # reports (SP806) of no edit, today

    @property
    def file(self) -> str:
        return f"{self.name}.docx"


def load_corpus(path: Path = MANIFEST) -> tuple[str, list[Case]]:
    """The base plan's period and the cases of the manifest."""
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    cases = []
    for raw in data["cases"]:
        edits = []
        for edit in raw["edits"]:
            do = edit.get("do", [])
            change = edit.get("change", [])
            edits.append(Edit(edit["family"], edit["expect"], edit["today"],
                              do if isinstance(do, list) else [do],
                              change if isinstance(change, list) else [change],
                              edit.get("quote", "")))
        today = raw.get("today", {})
        cases.append(Case(raw["name"], raw["made_by"], edits, raw.get("author", "Ada Reviewer"),
                          raw.get("from", ""), raw.get("track", "accept"),
                          today.get("spurious", 0), today.get("noise", 0)))
    return data["base"], cases


def render_bytes(base: Path, work: Path) -> bytes:
    from stratplan.api import render

    return render([base], work / "render.docx").written[0].read_bytes()


def render_hash(render: bytes) -> str:
    return hashlib.sha256(render).hexdigest()


# --- making the files -----------------------------------------------------------------------


def _ops(case: Case) -> list[dict[str, Any]]:
    return [op for edit in case.edits for op in edit.do]


def make_word(case: Case, render: bytes) -> bytes:
    from tests.word365 import WordReview

    review = WordReview(render, author=case.author, tracked=case.made_by == "word")
    for op in _ops(case):
        review.apply(op)
    return review.save()


def make_libreoffice(cases: list[Case], render: Path, out: Path, work: Path) -> None:
    """Every `libreoffice` case edited in one LibreOffice session (a case whose ops change
    author is one job per author, each on the file the last left)."""
    jobs: list[dict[str, Any]] = []
    for case in cases:
        source = str(render)
        sessions: list[tuple[str, list[dict[str, Any]]]] = []
        for op in _ops(case):
            author = op.get("author", sessions[-1][0] if sessions else case.author)
            if not sessions or sessions[-1][0] != author:
                sessions.append((author, []))
            sessions[-1][1].append({k: v for k, v in op.items() if k != "author"})
        for number, (author, ops) in enumerate(sessions):
            last = number == len(sessions) - 1
            target = out / case.file if last else work / f"{case.name}-{number}.docx"
            jobs.append({"input": source, "output": str(target), "ops": ops,
                         "author": author})
            source = str(target)
    if not jobs:
        return
    script = work / "jobs.json"
    script.write_text(json.dumps(jobs, ensure_ascii=False), encoding="utf-8")
    env = dict(os.environ, TMPDIR=str(work), TZ="UTC")
    env.pop("PYTHONPATH", None)  # Debian's python3 runs uno_edit, not the venv's
    env.pop("VIRTUAL_ENV", None)
    proc = subprocess.run([SYSTEM_PYTHON, str(UNO_EDIT), "--batch", str(script),
                           "--deadline", "900"], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=1000, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"uno_edit --batch: exit {proc.returncode}: {proc.stderr[-2000:]}")


def make_odt_round_trip(source: Path, out: Path, work: Path) -> None:
    """`source` saved as .odt and back to .docx by LibreOffice (a private profile)."""
    profile = work / "odt-profile"
    for target, folder in (("odt", work / "odt"), ("docx:MS Word 2007 XML", work / "back")):
        folder.mkdir(exist_ok=True)
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                        "--norestore", "--convert-to", target, "--outdir", str(folder),
                        str(source)], capture_output=True, check=True, timeout=300,
                       stdin=subprocess.DEVNULL)
        source = folder / f"{source.stem}.{target.split(':')[0]}"
    shutil.copy(source, out)


def make_pandoc(source: Path, out: Path, track: str) -> None:
    subprocess.run(["pandoc", "-f", "docx", "-t", "docx", f"--track-changes={track}",
                    str(source), "-o", str(out)], capture_output=True, check=True, timeout=300)


def make_corpus(cases: list[Case], render: bytes, out: Path) -> None:
    """Every case's file in `out`, made from `render`."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="review-corpus-") as temp:
        work = Path(temp)
        base = work / "render.docx"
        base.write_bytes(render)
        for case in cases:
            if case.made_by in ("word", "word-untracked"):
                (out / case.file).write_bytes(make_word(case, render))
        make_libreoffice([c for c in cases if c.made_by == "libreoffice"], base, out, work)
        for case in cases:
            if case.made_by == "odt":
                make_odt_round_trip(out / f"{case.source}.docx", out / case.file, work)
            elif case.made_by == "pandoc":
                make_pandoc(out / f"{case.source}.docx", out / case.file, case.track)


def corpus_folder(base: Path, work: Path) -> tuple[Path, bool]:
    """Where the corpus's files are, for the current render of `base`: tests/reviews/ when they
    were made from it, else a folder in `work` where they are made again now (and False)."""
    render = render_bytes(base, work)
    if RENDER_HASH.exists() and RENDER_HASH.read_text().strip() == render_hash(render):
        return CORPUS, True
    _, cases = load_corpus()
    fresh = work / "reviews"
    make_corpus(cases, render, fresh)
    return fresh, False


def score_corpus(work: Path) -> tuple[list[Case], list[Any]]:
    """Every case imported and scored (`benchmarks.review_score`), against a copy of the base
    plan in `work`."""
    from benchmarks.review_score import score_case

    period, cases = load_corpus()
    base = work / "plans" / period
    shutil.copytree(ROOT / "plans" / period, base)
    folder, _ = corpus_folder(base, work)
    scores = [score_case(case, folder / case.file, base, work / "out" / case.name)
              for case in cases]
    return cases, scores


def record_today(cases: list[Case], scores: list[Any], path: Path = MANIFEST) -> None:
    """Write what import does now as each edit's and case's `today` in the manifest (its
    comments and layout kept), for a review of the difference before it is committed."""
    from stratplan.source.roundtrip import dump_text, round_trip_yaml

    yaml = round_trip_yaml()
    data = yaml.load(path.read_text(encoding="utf-8"))
    by_name = {c["name"]: c for c in data["cases"]}
    for case, score in zip(cases, scores, strict=True):
        raw = by_name[case.name]
        raw["today"]["spurious"] = len(score.spurious)
        raw["today"]["noise"] = len(score.noise)
        for edit, outcome in zip(raw["edits"], score.outcomes, strict=True):
            edit["today"] = outcome
    path.write_text(dump_text(yaml, data), encoding="utf-8")


def main(argv: list[str]) -> int:
    """`make reviews`: make tests/reviews/*.docx again from the current render of the
    corpus's base; with --record, also write import's score today into the manifest."""
    from benchmarks.review_score import table

    period, cases = load_corpus()
    with tempfile.TemporaryDirectory() as temp:
        render = render_bytes(ROOT / "plans" / period, Path(temp))
    for old in CORPUS.glob("*.docx"):
        old.unlink()
    make_corpus(cases, render, CORPUS)
    RENDER_HASH.write_text(render_hash(render) + "\n")
    print(f"wrote {len(cases)} reviewed files to {CORPUS.relative_to(ROOT)}/")
    if "--record" in argv:
        with tempfile.TemporaryDirectory() as temp:
            cases, scores = score_corpus(Path(temp))
        record_today(cases, scores)
        print(table(cases, scores))
        print(f"recorded today's score in {MANIFEST.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
