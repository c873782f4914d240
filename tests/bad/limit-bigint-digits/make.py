"""Generates the limit bigint digits case at test time."""

from pathlib import Path


def make(folder: Path) -> Path:
    digits = "9" * 5000
    (folder / "resources.yaml").write_text(
        f"resources:\n  years: [2028]\n  rows:\n    - priority: p1\n      amounts: [{digits}]\n"
    )
    return folder
