"""A contribution whose `contribution:` key comes after 20 000 characters of changes."""

from pathlib import Path


def make(folder: Path) -> Path:
    reason = "Clearer wording. " * 1500
    (folder / "contribution.yaml").write_text(
        "changes:\n  - modify: goals/g1\n    field: title\n    value: Goal one, amended\n"
        f"    rationale: {reason.strip()}\n"
        "contribution:\n  base: 2028-2031\n  contributor: A Member State\n"
        "  title: A proposal\n"
    )
    return folder / "contribution.yaml"
