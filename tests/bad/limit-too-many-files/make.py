"""Generates the limit too many files case at test time."""

from pathlib import Path


def make(folder: Path) -> Path:
    for n in range(501):
        (folder / f"part{n:03d}.yaml").write_text(f"key{n}: {n}\n")
    return folder
