"""Two plans whose one paragraph (same id, so compared word by word) is
10 000 words long, with no word in common."""

from pathlib import Path


def make(folder: Path) -> Path:
    for side in ("old", "new"):
        plan = folder / side
        plan.mkdir()
        for name in ("plan.yaml", "goals.yaml", "priorities.yaml"):
            (plan / name).write_text((folder / name).read_text())
        text = " ".join(f"{side}{i}" for i in range(10_000))
        (plan / "outline.yaml").write_text(
            "sections:\n  - id: s\n    title: Long\n    content:\n"
            f"      - id: long\n        text: \"{text}\"\n"
        )
    return folder
