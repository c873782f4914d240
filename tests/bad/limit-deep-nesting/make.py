"""Generates the limit deep nesting case at test time."""

from pathlib import Path


def make(folder: Path) -> Path:
    (folder / "vision.yaml").write_text("vision: " + "[" * 5000 + "]" * 5000 + "\n")
    return folder
