"""Generates the enc utf16 case at test time."""

from pathlib import Path


def make(folder: Path) -> Path:
    (folder / "vision.yaml").write_bytes("vision: A world\n".encode("utf-16"))
    return folder
