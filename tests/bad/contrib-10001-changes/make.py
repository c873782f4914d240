"""A contribution of 10 001 changes, one more than the limit: refused at its `changes:`
(each change re-walked the plan: 100 000 unknown addresses took more than 5 minutes)."""

from pathlib import Path


def make(folder: Path) -> Path:
    path = folder / "contribution.yaml"
    changes = "".join(f"  - suppress: targets/unknown-{n}\n" for n in range(10_001))
    path.write_text(
        "contribution:\n  base: 2028-2031\n  contributor: Member State A\n  title: T\n"
        f"changes:\n{changes}",
        encoding="utf-8",
    )
    return path
