"""Generates the limit 200k keys nested case at test time."""

from pathlib import Path


def make(folder: Path) -> Path:
    lines = (f"  key{n}: {n}\n" for n in range(200_000))
    (folder / "cover.yaml").write_text("cover:\n" + "".join(lines), encoding="utf-8")
    return folder
