"""An address segment of 5 000 digits (a position Python will not even convert): it was an
internal error; it is an address that names nothing."""

from pathlib import Path


def make(folder: Path) -> Path:
    path = folder / "contribution.yaml"
    path.write_text(
        "contribution:\n  base: 2028-2031\n  contributor: Member State A\n  title: T\n"
        f"changes:\n  - modify: targets/{'9' * 5000}\n    field: text\n    value: New text\n",
        encoding="utf-8",
    )
    return path
