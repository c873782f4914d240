"""A template that is a symlink to a file outside the template folder: refused."""

import os
from pathlib import Path


def make(folder: Path) -> Path:
    os.symlink("../secret.txt", folder / "mytpl" / "document.xml.j2")
    return folder
