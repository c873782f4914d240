"""An output that is a pipe nobody reads: refused, not waited on, and not replaced."""

import os
from pathlib import Path


def make(folder: Path) -> Path:
    os.mkfifo(folder / "pipe.docx")
    return folder
