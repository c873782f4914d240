"""An output that is a symlink to a regular file: the file is replaced, the link kept."""

import os
from pathlib import Path


def make(folder: Path) -> Path:
    (folder / "real.docx").write_bytes(b"an older render")
    os.symlink("real.docx", folder / "link.docx")
    return folder
