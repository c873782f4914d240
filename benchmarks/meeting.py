"""A meeting's worth of SYNTHETIC contributions, for `make bench` only: made-up contributors
and wording, marked so in every file and text. Each contribution changes one item of the plan
(a target, an outcome, an indicator, a priority, an offering, an enabler, in turn) and every
third one also adds an indicator or sets a deadline, as a meeting's contributions might: new
texts, and changes that move what the document prints elsewhere."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from stratplan.api import load_valid_plan


def meeting_contributions(base: Path, count: int, dest: Path) -> Path:
    """`count` contributions to the plan `base`, one file each, in `dest`."""
    _, plan = load_valid_plan(base)
    kinds: list[list[tuple[str, str, str]]] = [
        [("targets", t.id, t.text) for t in plan.targets],
        [("outcomes", o.id, o.text) for o in plan.outcomes],
        [("indicators", i.id, i.text) for o in plan.outcomes for i in o.indicators],
        [("indicators", i.id, i.text) for t in plan.targets for i in t.indicators],
        [("priorities", p.id, str(p.title)) for p in plan.priorities],
        [("offerings", o.id, str(o.title)) for o in plan.offerings],
        [("enablers", e.id, str(e.title)) for e in plan.enablers],
    ]
    items: list[tuple[str, str, str]] = []
    while any(kinds) and len(items) < count:
        for kind in kinds:
            if kind and len(items) < count:
                items.append(kind.pop(0))
    if len(items) < count:
        raise ValueError(f"{base} has {len(items)} items to change, not {count}")
    dest.mkdir(parents=True, exist_ok=True)
    for n, (collection, item, text) in enumerate(items, start=1):
        field = "title" if collection in ("priorities", "offerings", "enablers") else "text"
        changes: list[dict[str, Any]] = [{
            "modify": f"{collection}/{item}", "field": field,
            "value": f"{text} (synthetic wording {n})",
            "reasons": "Synthetic change for the benchmark.",
        }]
        if n % 3 == 0 and collection in ("targets", "outcomes"):
            changes.append({
                "add": f"{collection}/{item}/indicators",
                "item": {"id": f"synthetic-indicator-{n}",
                         "text": f"Synthetic indicator {n} (benchmark only)"},
                "reasons": "Synthetic change for the benchmark.",
            })
        contribution = {
            "contribution": {
                "base": plan.plan.period,
                "contributor": f"Synthetic contributor {n}",
                "reference": f"SYNTHETIC/{n}",
                "title": f"Synthetic contribution {n} (benchmark only)",
            },
            "changes": changes,
        }
        (dest / f"synthetic-{n:03d}.yaml").write_text(
            json.dumps(contribution, ensure_ascii=False, indent=1), encoding="utf-8")
    return dest


if __name__ == "__main__":
    source, count, out = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    print(meeting_contributions(source, count, out))
