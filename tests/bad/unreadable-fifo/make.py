"""Generates the unreadable fifo case at test time."""

import os
from pathlib import Path


def make(folder: Path) -> Path:
    os.mkfifo(folder / "pipe.yaml")
    return folder
