"""Generates the unreadable dangling symlink case at test time."""

from pathlib import Path


def make(folder: Path) -> Path:
    (folder / "gone.yaml").symlink_to("/nonexistent/stratplan-deleted.yaml")
    return folder
