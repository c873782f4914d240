"""Generates the unreadable symlink loop case at test time."""

from pathlib import Path


def make(folder: Path) -> Path:
    (folder / "loop.yaml").symlink_to("loop.yaml")
    return folder
