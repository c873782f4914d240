"""The redline between two plans' documents: alignment, word diff, revisions, change list."""

from stratplan.diff.lineage import key_aliases
from stratplan.diff.redline import RedlineResult, redline
from stratplan.diff.review import accept_all, reject_all
from stratplan.diff.summary import Summary, summary_json, summary_markdown, summary_text

__all__ = [
    "RedlineResult",
    "Summary",
    "accept_all",
    "key_aliases",
    "redline",
    "reject_all",
    "summary_json",
    "summary_markdown",
    "summary_text",
]
