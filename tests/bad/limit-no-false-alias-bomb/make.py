"""Generates the limit no false alias bomb case at test time."""

from pathlib import Path


def make(folder: Path) -> Path:
    items = "".join(f"      - Point {n}\n" for n in range(130_000))
    (folder / "goals.yaml").write_text(
        "goals:\n  - id: g1\n    title: Goal one\n    points:\n"
        + items
        + "targets:\n  - id: t1\n    goal: g1\n    text: A target\n    deadline: 2030\n"
        "    indicators:\n      - id: i1\n        text: An indicator\n        unit: percent\n"
        "        data_source: ITU\n        baseline: {year: 2024}\n"
    )
    return folder
