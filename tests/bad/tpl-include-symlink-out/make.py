"""A template including a symlink that leads out of the template folder: refused."""

import os
from pathlib import Path


def make(folder: Path) -> Path:
    os.symlink("../secret.txt", folder / "mytpl" / "part.xml.j2")
    return folder
