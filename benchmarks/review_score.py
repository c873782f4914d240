"""The score of `stratplan import` on the corpus of reviewed files (tests/reviews/): for each
intended edit, whether it was carried (changes of the contributions written match each change
the edit should become), reported (no such change, but an SP806 quotes it) or lost; for each file,
the spurious changes (matching no edit) and the noise (SP806 reports matching no edit).

A change matches an edit's `change` when every key given agrees:

- `modify`, `add`, `suppress`: the change's kind and address (`*` as in a file pattern:
  `targets/x*` is targets/x and anything in it); `address`: the address, whatever the kind;
- `field`, `after`: equal;
- `text`: the change's text is exactly this (its value, or its item, or the item's `text`);
- `contains`: these words are somewhere in its value, item or reasons;
- `reasons`: these words are in its reasons;
- `by`: the contribution's contributor.
"""

from __future__ import annotations

import json
import traceback
from collections import Counter
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

REPORT_CODES = {"SP806"}  # what names an edit the plan cannot carry
VERBS = ("modify", "add", "suppress")


@dataclass
class Found:
    """One change of the contributions written, with its contributor."""

    by: str
    data: dict[str, Any]


@dataclass
class CaseScore:
    name: str
    outcomes: list[str] = field(default_factory=list)  # per edit, in order
    spurious: list[Found] = field(default_factory=list)
    noise: list[str] = field(default_factory=list)
    crash: str = ""  # a traceback, when import failed otherwise than by a diagnostic
    refused: str = ""  # the refusal, when import refused the file


def _text(data: dict[str, Any]) -> Any:
    value = data.get("value", data.get("item"))
    return value.get("text") if isinstance(value, dict) else value


def matches(spec: dict[str, Any], found: Found) -> bool:
    data = found.data
    address = next((data[v] for v in VERBS if isinstance(data.get(v), str)), "")
    for verb in VERBS:
        if verb in spec and (verb not in data or not fnmatchcase(address, str(spec[verb]))):
            return False
    if "address" in spec and not fnmatchcase(address, str(spec["address"])):
        return False
    for key in ("field", "after"):
        if key in spec and data.get(key) != spec[key]:
            return False
    if "text" in spec and _text(data) != spec["text"]:
        return False
    if "contains" in spec:
        shown = json.dumps([data.get("value", data.get("item")), data.get("reasons")],
                           ensure_ascii=False)
        if spec["contains"] not in shown:
            return False
    if "reasons" in spec and spec["reasons"] not in str(data.get("reasons", "")):
        return False
    return not ("by" in spec and found.by != spec["by"])


def _quote(edit: Any) -> str:
    """The words a report of the edit must quote: given, or what the edit typed."""
    if edit.quote:
        return str(edit.quote)
    for op in edit.do:
        for key in ("with", "text", "word"):
            if op.get(key):
                return str(op[key])
    return ""


def score_case(case: Any, review: Path, base: Path, out: Path) -> CaseScore:
    """Import `review` against `base` (contributions to `out`) and score it against `case`'s
    edits (a `tests.review_corpus.Case`)."""
    from ruamel.yaml import YAML

    from stratplan.api import import_review
    from stratplan.diagnostics import StratplanError

    score = CaseScore(case.name)
    found: list[Found] = []
    reports: list[str] = []
    try:
        result = import_review(review, base, f"{out}/", force=True)
    except StratplanError as exc:
        score.refused = "; ".join(f"{d.code} {d.message}" for d in exc.diagnostics)
        reports = [d.message for d in exc.diagnostics]
    except Exception:  # what the test must catch: any failure that is not a diagnostic
        score.crash = traceback.format_exc()
    else:
        for path in result.written:
            data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
            by = data["contribution"]["contributor"]
            found += [Found(by, {k: v for k, v in c.items() if k != "found_at"})
                      for c in data.get("changes", [])]
        reports = [d.message for d in result.diagnostics if d.code in REPORT_CODES]
    used: set[int] = set()
    quoted: set[int] = set()
    for edit in case.edits:
        hits = [[n for n, f in enumerate(found) if matches(spec, f)] for spec in edit.change]
        carried = bool(hits) and all(hits)
        quote = _quote(edit)
        said = [n for n, r in enumerate(reports) if quote and quote in r]
        used.update(n for each in hits for n in each)
        quoted.update(said)
        score.outcomes.append("carried" if carried else "reported" if said else "lost")
    score.spurious = [f for n, f in enumerate(found) if n not in used]
    score.noise = [r for n, r in enumerate(reports) if n not in quoted]
    return score


def table(cases: list[Any], scores: list[CaseScore]) -> str:
    """The score per family: edits carried, reported, lost, and as expected (`expect`); then
    the spurious changes and noise by the family of the files they came from."""
    rows: dict[str, Counter[str]] = {}
    for case, score in zip(cases, scores, strict=True):
        for edit, outcome in zip(case.edits, score.outcomes, strict=True):
            row = rows.setdefault(edit.family, Counter())
            row["edits"] += 1
            row[outcome] += 1
            row["right"] += outcome == edit.expect
        families = {e.family for e in case.edits}
        for family in families:
            row = rows[family]
            row["spurious"] += len(score.spurious) if len(families) == 1 else 0
            row["noise"] += len(score.noise) if len(families) == 1 else 0
        if len(families) > 1:
            mixed = rows.setdefault("(files of several families)", Counter())
            mixed["spurious"] += len(score.spurious)
            mixed["noise"] += len(score.noise)
    head = (f"  {'family':<30} {'edits':>5} {'carried':>8} {'reported':>9} {'lost':>5} "
            f"{'right':>6} {'spurious':>9} {'noise':>6}")
    lines = [head]
    total: Counter[str] = Counter()
    for family in sorted(rows):
        row = rows[family]
        total.update(row)
        lines.append(f"  {family:<30} {row['edits']:>5} {row['carried']:>8} "
                     f"{row['reported']:>9} {row['lost']:>5} {row['right']:>6} "
                     f"{row['spurious']:>9} {row['noise']:>6}")
    lines.append(f"  {'all':<30} {total['edits']:>5} {total['carried']:>8} "
                 f"{total['reported']:>9} {total['lost']:>5} {total['right']:>6} "
                 f"{total['spurious']:>9} {total['noise']:>6}")
    crashed = [s.name for s in scores if s.crash]
    refused = [s.name for s in scores if s.refused]
    if crashed:
        lines.append(f"  crashed: {', '.join(crashed)}")
    if refused:
        lines.append(f"  refused: {', '.join(refused)}")
    return "\n".join(lines)
