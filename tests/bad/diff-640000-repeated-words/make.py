"""Two plans whose one paragraph (same id, so compared word by word) is
640 000 times the same word, one word longer in the new plan."""

from pathlib import Path


def make(folder: Path) -> Path:
    for side in ("old", "new"):
        plan = folder / side
        plan.mkdir()
        for name in ("plan.yaml", "goals.yaml", "priorities.yaml"):
            (plan / name).write_text((folder / name).read_text())
        text = " ".join(["word"] * (640_000 + (side == "new")))
        (plan / "outline.yaml").write_text(
            "sections:\n  - id: s\n    title: Long\n    content:\n"
            f"      - id: long\n        text: \"{text}\"\n"
        )
    return folder
