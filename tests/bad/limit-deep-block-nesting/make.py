"""Generates the limit deep block nesting case at test time."""

from pathlib import Path


def make(folder: Path) -> Path:
    lines = [" " * (2 * n) + f"k{n}:" for n in range(100)]
    (folder / "cover.yaml").write_text("cover:\n" + "\n".join("  " + x for x in lines) + " x\n")
    return folder
