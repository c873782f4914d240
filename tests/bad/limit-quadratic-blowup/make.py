"""Generates the limit quadratic blowup case at test time."""

from pathlib import Path


def make(folder: Path) -> Path:
    # One 20 000-item list aliased 40 times: few aliases, 800 000 values once expanded.
    items = ",".join(["word"] * 20_000)
    refs = ",".join(["*a"] * 40)
    (folder / "bomb.yaml").write_text(f"a: &a [{items}]\nb: [{refs}]\n")
    return folder
