"""A plan's document, the one way every command gets it: the templates' IR, then the
alternatives shown as tracked changes. An alternative wording that is an edit of its base text
(`tracked: true` on the alternative) becomes the word diff of the base paragraph and the
alternative, as revisions by the alternative's source, after its "[Source] " lead.

The templates cannot diff; this runs over every rendered document. A redline compares
final texts (`redline` accepts such revisions first), so these revisions are shown in a plan's
own document, not in the redline between two cycles.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from stratplan import ir
from stratplan.diff.words import diff_runs
from stratplan.formats import primary_language
from stratplan.model.plan import Plan
from stratplan.render import render_ir
from stratplan.render.labels import labels_for

# The note that opens a language edition with text left in English (in the edition's language).
EDITION_NOTE = ("Texts on a grey background are in English: their translation is missing or "
                "out of date.")


def plan_document(plan: Plan, template_dir: Path | None = None) -> ir.Document:
    """A plan's document: the templates' IR, then the alternatives that are edits of their
    base shown as tracked changes (which takes the word diff, so it comes after render).
    Every command that shows a plan's document goes through this."""
    return edition_note(track_alternatives(render_ir(plan, template_dir)), template_dir)


def edition_note(document: ir.Document, template_dir: Path | None = None) -> ir.Document:
    """A language edition that shows some text in English opens with a note, in its language,
    saying what the grey text is: never silently."""
    if not any(r.lang for p in ir.iter_paragraphs(document.blocks) for r in p.runs):
        return document
    labels = labels_for(primary_language(document.language), template_dir)
    note = ir.Paragraph(key="edition-note", style="note",
                        runs=(ir.Run(labels.text(EDITION_NOTE), italic=True),))
    return replace(document, blocks=(note, *document.blocks))


def track_alternatives(document: ir.Document) -> ir.Document:
    """`document` with each tracked alternative as revisions against the paragraph before it
    that is not itself an alternative (its base)."""
    if not any(isinstance(b, ir.Paragraph) and b.tracked for b in document.blocks):
        return document
    blocks: list[ir.Block] = []
    base: ir.Paragraph | None = None
    for block in document.blocks:
        if isinstance(block, ir.Paragraph):
            if block.style == "alternative":
                if block.tracked and base is not None:
                    block = tracked(base, block)
            else:
                base = block
        else:
            base = None
        blocks.append(block)
    return replace(document, blocks=tuple(blocks))


def tracked(base: ir.Paragraph, alternative: ir.Paragraph) -> ir.Paragraph:
    """The alternative as its "[Source] " lead, then its changes to the base's words."""
    lead = f"[{alternative.author}] " if alternative.author else ""
    runs = alternative.runs
    if lead and runs and runs[0].footnote is None and runs[0].text.startswith(lead):
        rest = (replace(runs[0], text=runs[0].text[len(lead) :]), *runs[1:])
        return replace(alternative, runs=(ir.Run(lead), *diff_runs(base.runs, rest)))
    return replace(alternative, runs=diff_runs(base.runs, runs))
