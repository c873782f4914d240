"""Generates the limit 200k keys case at test time."""

from pathlib import Path


def make(folder: Path) -> Path:
    lines = (f"key{n}: {n}\n" for n in range(200_000))
    (folder / "keys.yaml").write_text("".join(lines), encoding="utf-8")
    return folder
