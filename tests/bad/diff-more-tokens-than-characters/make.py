"""Two plans whose one paragraph (same id, so compared word by word) is
600 000 distinct words, with none in common:
more tokens in all than there are characters to map them to."""

from pathlib import Path


def make(folder: Path) -> Path:
    for side in ("old", "new"):
        plan = folder / side
        plan.mkdir()
        for name in ("plan.yaml", "goals.yaml", "priorities.yaml"):
            (plan / name).write_text((folder / name).read_text())
        text = " ".join(f"{side[0]}{i:x}" for i in range(600_000))
        (plan / "outline.yaml").write_text(
            "sections:\n  - id: s\n    title: Long\n    content:\n"
            f"      - id: long\n        text: \"{text}\"\n"
        )
    return folder
