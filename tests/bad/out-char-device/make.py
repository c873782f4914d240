"""An output that is a character device (through a symlink to /dev/full): written
through, so the write fails (no space left) and the link is left as it is."""

import os
from pathlib import Path


def make(folder: Path) -> Path:
    os.symlink("/dev/full", folder / "full.docx")
    return folder
