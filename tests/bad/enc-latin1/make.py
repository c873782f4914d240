"""Generates the enc latin1 case at test time."""

from pathlib import Path


def make(folder: Path) -> Path:
    (folder / "vision.yaml").write_bytes(b"vision: >\n  Union internationale caf\xe9\n")
    return folder
