"""Generates the unreadable directory named yaml case at test time."""

from pathlib import Path


def make(folder: Path) -> Path:
    (folder / "outline.yaml").mkdir()
    return folder
