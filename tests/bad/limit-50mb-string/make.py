"""Generates the limit 50mb string case at test time."""

from pathlib import Path


def make(folder: Path) -> Path:
    with (folder / "vision.yaml").open("wb") as out:
        out.write(b"vision: ")
        chunk = b"x" * (1024 * 1024)
        for _ in range(50):
            out.write(chunk)
        out.write(b"\n")
    return folder
