"""The change list of a redline: one entry per plan item, marked as in ITU conference
proposals (ADD added, MOD modified, SUP suppressed, NOC no change), grouped by section, with two
marks of the redline's own: MOV for an item moved to another place (another thematic priority,
another goal; its text may have changed too) and NUM for one whose only change is its display
number (renumbered because items before it came or went)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from stratplan import ir, keys
from stratplan.keys import is_section
from stratplan.model.walk import item_of

MARKS = ("ADD", "MOD", "MOV", "NUM", "SUP", "NOC")
MEANINGS = {
    "ADD": "added",
    "MOD": "modified",
    "MOV": "moved (to another place; its text may have changed too)",
    "NUM": "renumbered only (its display number changed, nothing else)",
    "SUP": "suppressed",
    "NOC": "no change",
}
LEGEND = "Marks: " + "; ".join(f"{mark} {MEANINGS[mark]}" for mark in MARKS) + "."
FRONT = "(front matter)"


@dataclass
class Entry:
    key: str
    mark: str
    text: str
    # Who made the change, where a redline knows (the outcome of a meeting): the proposals
    # ("Proposal 4: CWG-SFP-4/12 (Member State A)"), and the Secretariat for its own edits.
    by: list[str] = field(default_factory=list)


@dataclass
class AcceptedProposal:
    """A proposal a meeting accepted, in the redline of its outcome."""

    number: int | None  # its number in the meeting's record
    by: str  # "CWG-SFP-4/12 (Member State A)"
    proposes: str  # "MOD targets/broadband-coverage (text)"
    decision: str  # accepted, accepted-as-amended
    change: int  # its number in its contribution

    def __str__(self) -> str:
        number = f"Proposal {self.number}: " if self.number is not None else ""
        return (f"{number}{self.by}, change {self.change}: {self.proposes} "
                f"({self.decision.replace('-', ' ')})")


@dataclass
class SectionSummary:
    key: str  # the heading's key ("s:<id>"), "" before the first heading
    title: str  # number and title of the heading
    entries: list[Entry] = field(default_factory=list)
    paragraphs: Counter[str] = field(default_factory=Counter)  # other text, mark -> count

    def counts_of_paragraphs(self) -> dict[str, int]:
        return {mark: self.paragraphs[mark] for mark in MARKS}

    @property
    def counts(self) -> dict[str, int]:
        counts = Counter(e.mark for e in self.entries) + self.paragraphs
        return {mark: counts[mark] for mark in MARKS}


@dataclass
class Summary:
    sections: list[SectionSummary] = field(default_factory=list)
    # The proposals a meeting accepted, in the redline of its outcome: each change of the
    # redline that one of them made carries its reference (`Entry.by`).
    proposals: list[AcceptedProposal] = field(default_factory=list)

    @property
    def entries(self) -> list[Entry]:
        return [e for s in self.sections for e in s.entries]

    @property
    def counts(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for section in self.sections:
            total.update(section.counts)
        return {mark: total[mark] for mark in MARKS}

    def mark(self, key: str) -> str | None:
        return next((e.mark for e in self.entries if e.key == key), None)


def paragraph_status(paragraph: ir.Paragraph) -> str:
    if paragraph.move:
        return "MOV"
    if paragraph.change == "ins":
        return "ADD"
    if paragraph.change == "del":
        return "SUP"
    if any(r.change for r in paragraph.runs):
        return "MOD"
    return "NUM" if paragraph.number_was is not None else "NOC"


def row_status(row: ir.Row) -> str:
    if row.move:
        return "MOV"
    if row.change == "ins":
        return "ADD"
    if row.change == "del":
        return "SUP"
    return combine({paragraph_status(p) for cell in row.cells for p in cell.blocks} or {"NOC"})


def combine(marks: set[str]) -> str:
    """One mark for an item from the marks of its blocks: moved if any block moved, NUM if
    nothing changed but numbers, else the one mark they share, else MOD."""
    if "MOV" in marks:
        return "MOV"
    if marks - {"NOC"} == {"NUM"}:
        return "NUM"
    return next(iter(marks)) if len(marks) == 1 else "MOD"


def labels(*documents: ir.Document) -> dict[str, str]:
    """Item key -> a short text naming it, from the first document that has it."""
    out: dict[str, str] = {}
    rank: dict[str, int] = {}
    for document in documents:
        seen: set[str] = set()
        for paragraph in ir.iter_paragraphs(document.blocks):
            item = item_of(paragraph.key)
            if item is None or (item in out and item not in seen) or not paragraph.text:
                continue
            seen.add(item)
            text_key = keys.sub(item, "text")
            order = 0 if paragraph.key == item else 1 if paragraph.key == text_key else 2
            if order < rank.get(item, 3):
                text = paragraph.text
                if is_section(item) and paragraph.number:
                    text = f"{paragraph.number} {text}"
                out[item], rank[item] = " ".join(text.split())[:100], order
    return out


def summarize(
    merged: ir.Document,
    old: ir.Document,
    new: ir.Document,
    aliases: Mapping[str, str] | None = None,
) -> Summary:
    """The change list of a merged document. An old item that a new one replaces (lineage
    aliases) counts as that item: deleted here and inserted there, it is modified."""
    names = labels(new, old)
    aliases = aliases or {}
    summary = Summary([SectionSummary("", FRONT)])
    marks: dict[str, set[str]] = {}
    where: dict[str, SectionSummary] = {}

    def unit(key: str, mark: str) -> None:
        item = item_of(key)
        if item is None:
            summary.sections[-1].paragraphs[mark] += 1
            return
        item = aliases.get(item, item)
        marks.setdefault(item, set()).add(mark)
        where.setdefault(item, summary.sections[-1])

    for block in merged.blocks:
        if isinstance(block, ir.Paragraph):
            if is_section(block.key) and block.style.startswith("heading"):
                summary.sections.append(SectionSummary(block.key, names.get(block.key, "")))
            unit(block.key, paragraph_status(block))
            continue
        for row in block.rows:
            unit(row.key, row_status(row))
            for cell in row.cells:
                for paragraph in cell.blocks:
                    own = item_of(paragraph.key)
                    if own is not None and own != item_of(row.key):
                        unit(paragraph.key, paragraph_status(paragraph))
    for item, section in where.items():
        section.entries.append(Entry(item, combine(marks[item]), names.get(item, "")))
    summary.sections = [s for s in summary.sections if s.entries or s.paragraphs or s.key]
    return summary


# --- formatters ----------------------------------------------------------------------------


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{mark} {counts[mark]}" for mark in MARKS if counts[mark])


def summary_text(summary: Summary, changed_only: bool = False) -> str:
    lines: list[str] = []
    for section in summary.sections:
        lines.append(f"{section.title or section.key}: {_counts(section.counts)}")
        for e in section.entries:
            if not changed_only or e.mark != "NOC":
                lines.append(f"  {e.mark}  {e.key}  {e.text}".rstrip())
                if e.by:
                    lines.append(f"        by {'; '.join(e.by)}")
        if section.paragraphs:
            lines.append(f"  paragraphs: {_counts(section.counts_of_paragraphs())}")
    lines.append(f"Total: {_counts(summary.counts)}")
    if summary.proposals:
        lines.append("Accepted proposals:")
        lines += [f"  {p}" for p in summary.proposals]
    lines.append(LEGEND)
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def summary_markdown(summary: Summary, changed_only: bool = False) -> str:
    out = ["# Changes", "", LEGEND, ""]
    out += ["| Section | " + " | ".join(MARKS) + " |", "| --- |" + " ---: |" * len(MARKS)]
    for section in summary.sections:
        counts = section.counts
        out.append(
            f"| {_cell(section.title or section.key)} | "
            + " | ".join(str(counts[m]) for m in MARKS)
            + " |"
        )
    totals = summary.counts
    out.append("| **Total** | " + " | ".join(f"**{totals[m]}**" for m in MARKS) + " |")
    if summary.proposals:
        out += ["", "## Accepted proposals", ""]
        out += [f"- {_cell(str(p))}" for p in summary.proposals]
    for section in summary.sections:
        entries = [e for e in section.entries if not changed_only or e.mark != "NOC"]
        if not entries and not section.paragraphs:
            continue
        out += ["", f"## {_cell(section.title or section.key)}", ""]
        if entries and any(e.by for e in entries):
            out += ["| Mark | Item | Text | By |", "| --- | --- | --- | --- |"]
            out += [f"| {e.mark} | `{e.key}` | {_cell(e.text)} | {_cell('; '.join(e.by))} |"
                    for e in entries]
        elif entries:
            out += ["| Mark | Item | Text |", "| --- | --- | --- |"]
            out += [f"| {e.mark} | `{e.key}` | {_cell(e.text)} |" for e in entries]
        if section.paragraphs:
            out += ["", f"Paragraphs: {_counts(section.counts_of_paragraphs())}"]
    return "\n".join(out) + "\n"


def summary_json(summary: Summary) -> str:
    data: dict[str, object] = {
        "marks": MEANINGS,
        "counts": summary.counts,
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "counts": s.counts,
                "paragraphs": s.counts_of_paragraphs(),
                "entries": [{"key": e.key, "mark": e.mark, "text": e.text}
                            | ({"by": e.by} if e.by else {}) for e in s.entries],
            }
            for s in summary.sections
        ],
    }
    if summary.proposals:
        data["proposals"] = [
            {"number": p.number, "by": p.by, "change": p.change, "proposes": p.proposes,
             "decision": p.decision}
            for p in summary.proposals
        ]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
