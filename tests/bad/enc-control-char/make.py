"""Generates the enc control char case at test time."""

from pathlib import Path


def make(folder: Path) -> Path:
    text = b"vision: >\n  A world\n  with a bell\x07 and escape\x1b\n"
    (folder / "vision.yaml").write_bytes(text)
    return folder
