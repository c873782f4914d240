"""`make bench`: medians and peak memory of validate, render and diff, beside reference tools.

Each measurement runs the command as a user would (a fresh process), several times; the table
shows the median wall time and the peak resident memory of the process (GNU time). Side by side
in the same run: check-jsonschema validating the same YAML files against `stratplan schema`,
and python-redlines (Docxodus engine) comparing the two rendered .docx files of each pair.
Synthetic plans 10x and 100x the size of 2028-2031 come from benchmarks/synth.py, and so do
the contributions of 200 and 2 000 chained adds (each `after:` the one before) and
the pathological pair: 2028-2031 with one more paragraph of 10 000 words, different in each.

Where the figure is a ratio to a peer or a baseline (start-up to `python -c pass`, `fmt
--check` to yamllint on the same files, compiling 20 synthetic contributions to rendering the
plan), the two commands are measured in turn, run after run, so that both see the same load.
Import of a reviewed file is timed in pairs with a render of its plan, and the corpus of
reviewed files (tests/reviews/) is scored per family of edit (benchmarks/review_score.py).
"""

from __future__ import annotations

import itertools
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WORK = ROOT / "build" / "bench"
CYCLES = ["2012-2015", "2020-2023", "2024-2027", "2028-2031"]
PAIRS = list(itertools.pairwise(CYCLES))


@dataclass
class Result:
    task: str
    times: list[float]
    peak_mb: float
    ok: bool

    @property
    def median(self) -> float:
        return statistics.median(self.times)


LIMIT_S = 600  # one run of one task; past this the task is reported as too slow


def measure(task: str, command: list[str], runs: int = 3) -> Result:
    """Median wall time and peak memory of `command`, run `runs` times.

    Peak memory comes from GNU time's %M (the child's maximum resident set): a child forked
    from this (large) process would carry our own size into its ru_maxrss.
    """
    times: list[float] = []
    peak = 0.0
    ok = True
    for _ in range(runs):
        one = _run_once(task, command)
        times.append(one.median)
        peak = max(peak, one.peak_mb)
        ok = ok and one.ok
        if one.median >= LIMIT_S:
            break
    return _shown(Result(task, times, peak, ok))


def measure_pair(
    a: tuple[str, list[str]], b: tuple[str, list[str]], runs: int
) -> tuple[Result, Result]:
    """Two commands measured in turn (a, b, a, b, ...), so that both see the same load of a
    shared machine: their ratio is the figure, more than either time."""
    times: dict[str, list[float]] = {a[0]: [], b[0]: []}
    peaks: dict[str, float] = {a[0]: 0.0, b[0]: 0.0}
    ok = True
    for _ in range(runs):
        for task, command in (a, b):
            one = _run_once(task, command)
            times[task].append(one.median)
            peaks[task] = max(peaks[task], one.peak_mb)
            ok = ok and one.ok
    return (
        _shown(Result(a[0], times[a[0]], peaks[a[0]], ok)),
        _shown(Result(b[0], times[b[0]], peaks[b[0]], ok)),
    )


def _shown(result: Result) -> Result:
    flag = "" if result.ok else "  (FAILED)"
    print(f"  {result.task:<48} {result.median:8.3f} s {result.peak_mb:8.1f} MB{flag}", flush=True)
    return result


def _run_once(task: str, command: list[str]) -> Result:
    timer = shutil.which("time") or "/usr/bin/time"
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [timer, "-f", "%M", *command],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=LIMIT_S,
        )
    except subprocess.TimeoutExpired:
        print(f"  ! {task}: stopped after {LIMIT_S} s", file=sys.stderr)
        return Result(task, [float(LIMIT_S)], 0.0, False)
    elapsed = time.perf_counter() - start
    lines = proc.stderr.decode(errors="replace").strip().splitlines()
    peak = int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else 0.0
    ok = proc.returncode in (0, 1)
    if not ok:
        print(f"  ! {task}: exit {proc.returncode}: {' '.join(lines)[:300]}", file=sys.stderr)
    return Result(task, [elapsed], peak, ok)
def paired(first: list[str], second: list[str], runs: int = 5) -> float:
    """The median of `second`'s time over `first`'s, each pair run one after the other."""
    ratios = []
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for command, kept in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=LIMIT_S)
            kept.append(time.perf_counter() - start)
        ratios.append(times[1][-1] / times[0][-1])
    for label, kept in (("render 2028-2031 (paired)", times[0]),
                        ("import a reviewed 2028-2031 file (paired)", times[1])):
        print(f"  {label:<48} {statistics.median(kept):8.3f} s")
    return statistics.median(ratios)


def stratplan(*args: str) -> list[str]:
    return [str(BIN / "stratplan"), *args]


def redlines_command(old: Path, new: Path, out: Path) -> list[str] | None:
    """The Docxodus binary's own command line, so that its process is what is measured."""
    try:
        from python_redlines.engines import DocxodusEngine
    except ImportError:
        return None
    engine = DocxodusEngine()
    return [str(c) for c in engine._build_command("bench", str(old), str(new), str(out))]


def changed_words(path: Path) -> tuple[int, int]:
    """Words inside w:ins and w:del of a redline .docx: what a reviewer has to read."""
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    inserted = sum(
        len("".join(t.text or "" for t in ins.iter(f"{w}t")).split())
        for ins in root.iter(f"{w}ins")
    )
    deleted = sum(
        len("".join(t.text or "" for t in d.iter(f"{w}delText")).split())
        for d in root.iter(f"{w}del")
    )
    return inserted, deleted


def main() -> int:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    plans = ROOT / "plans"
    results: dict[str, Result] = {}
    print(f"{'task':<50} {'median':>10} {'peak':>11}")

    # Synthetic plans: 10x and 100x of 2028-2031 (and of 2024-2027, for the diff).
    from benchmarks.synth import synthesize

    for factor in (10, 100):
        for cycle in ("2024-2027", "2028-2031"):
            synthesize(plans / cycle, factor, WORK / f"x{factor}" / cycle)

    print("start-up and fmt (paired: each against its reference, in turn)")
    results["version"], results["python"] = measure_pair(
        ("stratplan --version", stratplan("--version")),
        ("python -c pass", [str(BIN / "python"), "-c", "pass"]),
        runs=21,
    )
    yaml_files = sorted(str(p) for c in CYCLES for p in (plans / c).glob("*.yaml"))
    all_yaml = sorted(str(p) for p in plans.rglob("*") if p.suffix in (".yaml", ".yml"))
    yamllint = BIN / "yamllint"
    if yamllint.exists():
        # The same files as `fmt --check plans/` reads, with yamllint's default rules.
        results["fmt check"], results["yamllint"] = measure_pair(
            ("fmt --check plans/", stratplan("fmt", "--check", str(plans))),
            ("yamllint -d default, same files", [str(yamllint), "-d", "default", *all_yaml]),
            runs=7,
        )

    print("validate")
    for cycle in CYCLES:
        results[f"validate {cycle}"] = measure(
            f"validate {cycle}", stratplan("validate", str(plans / cycle))
        )
    all_plans = [str(plans / c) for c in CYCLES]
    results["validate all"] = measure("validate all four plans", stratplan("validate", *all_plans))
    schema = WORK / "plan.schema.json"
    schema.write_bytes(subprocess.run(stratplan("schema"), capture_output=True, check=True).stdout)
    checker = BIN / "check-jsonschema"
    if checker.exists():
        results["check-jsonschema all"] = measure(
            "check-jsonschema, same files", [str(checker), "--schemafile", str(schema), *yaml_files]
        )

    print("render")
    for cycle in CYCLES:
        out = WORK / f"{cycle}.docx"
        results[f"render {cycle}"] = measure(
            f"render {cycle}", stratplan("render", str(plans / cycle), "-o", str(out))
        )

    print("compile (paired with a render of the same plan)")
    # SYNTHETIC contributions (benchmarks/synth.py): 20, each changing a different target's or
    # outcome's text and adding an indicator to it; a meeting's worth.
    from benchmarks.synth import synthetic_contributions

    contributions = synthetic_contributions(plans / "2028-2031", 20, WORK / "contributions")
    results["compile 20"], results["render for compile"] = measure_pair(
        (
            "compile, 20 synthetic contributions",
            stratplan("compile", str(plans / "2028-2031"), str(contributions),
                      "-o", str(WORK / "compilation.docx")),
        ),
        (
            "render 2028-2031 (its pair)",
            stratplan("render", str(plans / "2028-2031"), "-o", str(WORK / "pair.docx")),
        ),
        runs=3,
    )

    print("a meeting's compilation (synthetic contributions: benchmarks/meeting.py)")
    from benchmarks.meeting import meeting_contributions

    for count in (20, 60):  # 20 against a render of the plan, 60 in under 5 s
        folder = meeting_contributions(plans / "2028-2031", count, WORK / f"meeting-{count}")
        results[f"compile meeting {count}"] = measure(
            f"compile, {count} synthetic contributions",
            stratplan("compile", str(plans / "2028-2031"), str(folder),
                      "-o", str(WORK / f"compilation-{count}.docx")),
        )

    print("diff")
    for old, new in PAIRS:
        out = WORK / f"redline-{old}_{new}.docx"
        results[f"diff {old}"] = measure(
            f"diff {old} -> {new}",
            stratplan("diff", str(plans / old), str(plans / new), "-o", str(out)),
        )
        command = redlines_command(
            WORK / f"{old}.docx", WORK / f"{new}.docx", WORK / f"py-{old}.docx"
        )
        if command:
            results[f"redlines {old}"] = measure(f"python-redlines {old} -> {new}", command)

    print("synthetic")
    for factor in (10, 100):
        base = WORK / f"x{factor}"
        runs = 3 if factor == 10 else 1
        results[f"validate x{factor}"] = measure(
            f"validate 2028-2031 x{factor}", stratplan("validate", str(base / "2028-2031")), runs
        )
        results[f"render x{factor}"] = measure(
            f"render 2028-2031 x{factor}",
            stratplan("render", str(base / "2028-2031"), "-o", str(base / "new.docx")),
            runs,
        )
        stratplan_render_old = stratplan(
            "render", str(base / "2024-2027"), "-o", str(base / "old.docx")
        )
        subprocess.run(stratplan_render_old, capture_output=True)
        results[f"diff x{factor}"] = measure(
            f"diff 2024-2027 -> 2028-2031 x{factor}",
            stratplan(
                "diff", str(base / "2024-2027"), str(base / "2028-2031"), "-o", str(base / "r.docx")
            ),
            runs,
        )

    print("pathological")
    # Two different paragraphs of 10 000 words under one id: the word diff's worst case (it
    # took 100 s before the diff had a budget of steps).
    from benchmarks.synth import long_paragraph_pair

    old_long, new_long = long_paragraph_pair(plans / "2028-2031", 10_000, WORK / "long")
    results["diff long"] = measure(
        "diff, two different 10 000-word paragraphs",
        stratplan("diff", str(old_long), str(new_long), "-o", str(WORK / "long" / "r.docx")),
    )

    print("contributions")
    # Validate of a contribution of chained adds (each `after:` the one before): each change
    # re-walked the whole plan, so 5 000 took 255 s.
    from benchmarks.synth import chained_adds

    for count in (200, 2000):
        chain = chained_adds(plans / "2028-2031", count, WORK / f"chain{count}")
        results[f"chain {count}"] = measure(
            f"validate a contribution of {count} chained adds", stratplan("validate", str(chain))
        )

    print("import")
    # A reviewed 2028-2031 file (the corpus's, Word 365's XML) imported, and the same plan
    # rendered, one after the other in pairs, so that both see the same load on the machine.
    from tests.review_corpus import corpus_folder

    reviewed_base = WORK / "reviewed" / "plans" / "2028-2031"
    shutil.copytree(plans / "2028-2031", reviewed_base)
    folder, _ = corpus_folder(reviewed_base, WORK / "reviewed")
    pair = paired(
        stratplan("render", str(reviewed_base), "-o", str(WORK / "reviewed" / "draft.docx")),
        stratplan("import", str(folder / "word-comment-threads.docx"), "--base",
                  str(reviewed_base), "-o", f"{WORK / 'reviewed' / 'out'}/"),
    )

    # Import of a file with 2 000 comments beside one with 200, in turn (each comment a change
    # whose holder is found once: 10 000 took 247 s when each re-walked the plan).
    from benchmarks.synth import commented_review

    draft = WORK / "reviewed" / "draft.docx"
    for count in (200, 2000):
        commented_review(draft, count, WORK / "comments" / f"c{count}.docx")
    def import_comments(count: int) -> tuple[str, list[str]]:
        return (f"import a file with {count} comments",
                stratplan("import", str(WORK / "comments" / f"c{count}.docx"), "--base",
                          str(reviewed_base), "-o", f"{WORK / 'comments' / str(count)}/",
                          "--force"))

    results["import 2000 comments"], results["import 200 comments"] = measure_pair(
        import_comments(2000), import_comments(200), runs=3
    )

    print("\nreviewed files (tests/reviews/): import's score per family")
    from tests.review_corpus import score_corpus

    from benchmarks.review_score import table

    cases, scores = score_corpus(WORK / "scored")
    print(table(cases, scores))

    print("\nratios and targets")

    def ratio(a: str, b: str, label: str) -> None:
        if a in results and b in results:
            print(f"  {label:<60} {results[a].median / results[b].median:6.2f}")

    ratio("version", "python", "stratplan --version / python -c pass (target <= 3)")
    ratio("fmt check", "yamllint", "fmt --check plans/ / yamllint, same files (target <= 1)")
    ratio("compile 20", "render for compile", "compile 20 contributions / render (target <= 2)")
    ratio("validate all", "check-jsonschema all", "validate all / check-jsonschema (target <= 1)")
    ratio("chain 2000", "chain 200", "validate 2 000 chained adds / 200 (target <= 10)")
    ratio("import 2000 comments", "import 200 comments",
          "import 2 000 comments / 200 (target <= 10)")
    for old, new in PAIRS:
        ratio(f"diff {old}", f"render {new}", f"diff {old}->{new} / render {new}")
        ratio(
            f"diff {old}", f"redlines {old}", f"diff {old}->{new} / python-redlines (target <= 0.5)"
        )
    for task in ("validate", "render", "diff"):
        reference = f"{task} 2028-2031" if task != "diff" else "diff 2024-2027"
        ratio(f"{task} x10", reference, f"{task} x10 / x1 (target <= 12)")
        ratio(f"{task} x100", reference, f"{task} x100 / x1")
    for old, new in PAIRS:
        ours = WORK / f"redline-{old}_{new}.docx"
        theirs = WORK / f"py-{old}.docx"
        if ours.exists() and theirs.exists():
            a, b = changed_words(ours), changed_words(theirs)
            label = f"changed words {old}->{new} (ins+del), ours / python-redlines"
            print(f"  {label:<60} {a[0] + a[1]:6d} / {b[0] + b[1]}")
    worst_render = max(results[f"render {c}"].median for c in CYCLES)
    worst_diff = max(
        (results[f"diff {o}"].median for o, _ in PAIRS if f"diff {o}" in results), default=0
    )
    peak_100 = max(r.peak_mb for k, r in results.items() if k.endswith("x100"))
    print(f"  {'slowest render (target < 1 s)':<60} {worst_render:6.2f} s")
    print(f"  {'slowest redline (target < 1.5 s)':<60} {worst_diff:6.2f} s")
    print(f"  {'peak memory at 100x (target < 500 MB)':<60} {peak_100:6.0f} MB")
    label = "import of a reviewed 2028-2031 file / its render, paired (target <= 2)"
    print(f"  {label:<60} {pair:6.2f}")
    label = "pathological diff, 10 000-word paragraphs (target < 2 s)"
    print(f"  {label:<60} {results['diff long'].median:6.2f} s")
    ratio("compile meeting 20", "render 2028-2031",
          "compile 20 meeting contributions / render (target <= 2)")
    label = "compile 60 contributions (target < 5 s)"
    print(f"  {label:<60} {results['compile meeting 60'].median:6.2f} s")
    return 0 if all(r.ok for r in results.values()) else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
