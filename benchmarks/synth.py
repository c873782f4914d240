"""Generate synthetic plans N times the size of a real one, with unique ids, for `make bench`.

    python benchmarks/synth.py plans/2028-2031 10 build/bench/x10/2028-2031

Every list of the plan (sections, goals, targets, priorities, outcomes, offerings, enablers,
footnotes, resource rows) is repeated N times; copy k > 0 suffixes every id (and every
reference to it) with `-k`, so the result validates like the original. A block such as
`show: goals` places every goal, copies included, so it is kept in copy 0 only: the rendered
document is then N times the original, not N squared. Files are JSON, which
is YAML, one per top-level key, so each stays under the loader's per-file limit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from stratplan.api import load_valid_plan

REFERENCE_FIELDS = {"goal", "priority", "sector"}


def _shows_everything(block: Any) -> bool:
    """A `show: goals`-style block places every item of its kind, copies included."""
    show = block.get("show") if isinstance(block, dict) else None
    return isinstance(show, str) and ":" not in show


def _suffix_ids(node: Any, k: int) -> Any:
    """A deep copy of `node` with ids, references and footnote refs suffixed by `-k`."""
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in ("id", *REFERENCE_FIELDS) and isinstance(value, str):
                out[key] = f"{value}-{k}"
            elif key == "show" and isinstance(value, str) and ":" in value:
                kind, _, arg = value.partition(":")
                out[key] = f"{kind}:{arg}-{k}"
            elif key in ("replaces", "supports", "objectives", "goals") and isinstance(value, list):
                out[key] = [
                    f"{v}-{k}" if isinstance(v, str) and "/" not in v else _suffix_ids(v, k)
                    for v in value
                ]
            else:
                out[key] = _suffix_ids(value, k)
        return out
    if isinstance(node, list):
        return [_suffix_ids(v, k) for v in node if not _shows_everything(v)]
    if isinstance(node, str) and "[^" in node:
        import re

        return re.sub(r"\[\^([A-Za-z0-9_-]+)\]", lambda m: f"[^{m.group(1)}-{k}]", node)
    return node


def synthesize(source: Path, factor: int, dest: Path) -> Path:
    _, plan = load_valid_plan(source)
    data = plan.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data.pop("lineage", None)  # lineage names the previous cycle's real ids
    for target in data.get("targets", []):
        target.pop("replaces", None)
    out: dict[str, Any] = {"plan": data["plan"]}
    for key, value in data.items():
        if key == "plan":
            continue
        if isinstance(value, list):
            out[key] = [
                _suffix_ids(item, k) if k else item for k in range(factor) for item in value
            ]
        elif key == "footnotes":
            out[key] = {
                (f"{name}-{k}" if k else name): text
                for k in range(factor)
                for name, text in value.items()
            }
        elif key == "resources":
            resources = dict(value)
            resources["rows"] = [
                _suffix_ids(row, k) if k else row for k in range(factor) for row in value["rows"]
            ]
            out[key] = resources
        else:
            out[key] = value
    dest.mkdir(parents=True, exist_ok=True)
    for key, value in out.items():
        (dest / f"{key}.yaml").write_text(
            json.dumps({key: value}, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return dest


def long_paragraph_pair(source: Path, words: int, dest: Path) -> tuple[Path, Path]:
    """Two copies of the plan `source` (old/ and new/ under `dest`), each with one more
    paragraph of `words` words in its first section, under the same id (so the redline
    compares the two word by word) and with no word in common: the worst case of a word diff.
    """
    _, plan = load_valid_plan(source)
    data = plan.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    out: list[Path] = []
    for name, stem in (("old", "alpha"), ("new", "beta")):
        copy = json.loads(json.dumps(data))
        text = " ".join(f"{stem}{i % 997}x{i // 997}" for i in range(words)) + "."
        copy["sections"][0].setdefault("content", []).append({"id": "long", "text": text})
        folder = dest / name / copy["plan"]["period"]
        folder.mkdir(parents=True, exist_ok=True)
        for key, value in copy.items():
            (folder / f"{key}.yaml").write_text(
                json.dumps({key: value}, ensure_ascii=False, indent=1), encoding="utf-8"
            )
        out.append(folder)
    return out[0], out[1]


def synthetic_contributions(base: Path, count: int, dest: Path) -> Path:
    """`count` contributions to the plan `base`, one file each, for `make bench` only: they are
    SYNTHETIC (made-up contributors and wording, marked so in every file and text). Each
    changes the text of a different target (then outcome) of the plan and adds one indicator
    to it, as a meeting's contributions might."""
    _, plan = load_valid_plan(base)
    items = [("targets", t.id, t.text) for t in plan.targets]
    items += [("outcomes", o.id, o.text) for o in plan.outcomes]
    if count > len(items):
        raise ValueError(f"{base} has {len(items)} targets and outcomes, not {count}")
    dest.mkdir(parents=True, exist_ok=True)
    for n, (collection, item, text) in enumerate(items[:count], start=1):
        contribution = {
            "contribution": {
                "base": plan.plan.period,
                "contributor": f"Synthetic contributor {n}",
                "reference": f"SYNTHETIC/{n}",
                "title": f"Synthetic contribution {n} (benchmark only)",
            },
            "changes": [
                {
                    "modify": f"{collection}/{item}",
                    "field": "text",
                    "value": f"{text} (synthetic wording {n})",
                    "reasons": "Synthetic change for the benchmark.",
                },
                {
                    "add": f"{collection}/{item}/indicators",
                    "item": {
                        "id": f"synthetic-indicator-{n}",
                        "text": f"Synthetic indicator {n} (benchmark only)",
                    },
                },
            ],
        }
        (dest / f"synthetic-{n:02d}.yaml").write_text(
            json.dumps(contribution, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return dest


if __name__ == "__main__":
    source, factor, dest = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    print(synthesize(source, factor, dest))


def chained_adds(source: Path, count: int, dest: Path) -> Path:
    """A project at `dest` (the plan at plans/<period>/) and a contribution adding `count`
    targets to it, each `after:` the one added before it: the chain that re-walked the
    whole plan per change. Returns the contribution."""
    import shutil

    _, plan = load_valid_plan(source)
    period = plan.plan.period
    base = dest / "plans" / period
    if base.exists():
        shutil.rmtree(base)
    shutil.copytree(source, base)
    goal = plan.goals[0].id
    changes = []
    after = plan.targets[-1].id
    for k in range(count):
        item = {
            "id": f"chained-{k}", "goal": goal, "text": f"Chained target {k}", "deadline": 2030,
            "indicators": [{"id": f"chained-{k}-share", "text": f"Share for chained target {k}",
                            "unit": "percent", "data_source": "ITU"}],
        }
        changes.append({"add": "targets", "after": after, "item": item,
                        "reasons": "Benchmark."})
        after = f"chained-{k}"
    contribution = {
        "contribution": {"base": period, "contributor": "Bench", "title": f"{count} adds"},
        "changes": changes,
    }
    path = dest / "contributions" / f"chained-{count}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(contribution, indent=1), encoding="utf-8")
    return path


def commented_review(draft: Path, count: int, dest: Path) -> Path:
    """The rendered `draft` with `count` comments (SYNTHETIC text, one reviewer), spread over
    its body paragraphs in turn, as a reviewer who comments on everything leaves it."""
    from tests.docx_review import NS, Review, q, text_of

    review = Review(draft.read_bytes())
    body_styles = {"NumberedParagraph", "ListItem", "TableText"}  # not the front matter's
    body = [p for p in review.doc.iter(q("p")) if len(text_of(p).split()) >= 4
            and p.xpath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS) in body_styles]
    for k in range(count):
        review.comment_on(body[k % len(body)], f"Synthetic comment {k}: please clarify.")
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(review.save())
    return dest
