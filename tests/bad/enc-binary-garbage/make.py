"""Generates the enc binary garbage case at test time."""

from pathlib import Path


def make(folder: Path) -> Path:
    # Deterministic garbage: no NUL, no newline, never valid UTF-8 (0xff cannot occur in it).
    data = bytes(((i * 37) % 254) + 1 for i in range(4096)).replace(b"\n", b"x")
    (folder / "blob.yaml").write_bytes(b"\xff" + data)
    return folder
