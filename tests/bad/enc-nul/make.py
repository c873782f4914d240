"""Generates the enc nul case at test time."""

from pathlib import Path


def make(folder: Path) -> Path:
    (folder / "vision.yaml").write_bytes(b"# A NUL byte on line 2\nvision: A wor\x00ld\n")
    return folder
