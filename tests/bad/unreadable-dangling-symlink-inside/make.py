"""Generates the unreadable dangling symlink inside case at test time."""

from pathlib import Path


def make(folder: Path) -> Path:
    (folder / "gone.yaml").symlink_to(folder / "deleted.yaml")
    return folder
