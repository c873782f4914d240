"""A reviewed Word file back into contributions, addressed by the plan's ids: the stages in
order, each a module of `stratplan.proposals.importing` that a test can run alone.

1. the review model (`stratplan.proposals.review`): the package parsed into typed paragraphs,
   spans and revisions, footnotes, comments and replies, what a reader cannot see;
2. the base document (`importing.base`): the render of the base plan, with keys and places;
3. the review's units (`importing.units`): the file's paragraphs as they were and what each
   became (paragraph marks merged or split them), footnote references as markers;
4. the alignment (`importing.alignment`): each unit with the base paragraph it was, keys as
   claims checked against the text; a file that is not the base's render is refused;
5. the index of the plan (`importing.index`) and the interpreters of each kind of edit
   (`importing.modify`, `paragraphs`, `items`, `rows`, `moves`, `marks`, `footnotes`,
   `comments`, `unseen`), walked in order (`importing.walk`): typed changes (`changes`);
6. the self-check (`importing.check`): the plan with the changes applied, rendered and
   compared with the file as the reviewers left it; every difference left is reported.

Several reviewers in one file give one contribution each. Nothing is dropped in silence: what
the plan cannot express is a diagnostic (SP806) that names the place and quotes the words.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stratplan import ir
from stratplan.diagnostics import Diagnostic, StratplanError
from stratplan.model.plan import Plan
from stratplan.proposals.importing.alignment import align, check_render
from stratplan.proposals.importing.base import base_paragraphs
from stratplan.proposals.importing.changes import Add, AnyChange, FoundChange, Modify, Suppress
from stratplan.proposals.importing.check import check
from stratplan.proposals.importing.state import UNTRACKED, Reading
from stratplan.proposals.importing.units import (
    Notes,
    build_units,
    without_the_documents_own_revisions,
)
from stratplan.proposals.importing.walk import interpret
from stratplan.proposals.review import Review
from stratplan.proposals.untrusted import clean_name
from stratplan.render.document import plan_document
from stratplan.workspace import Workspace
from stratplan.writers.docx.bookmarks import bookmark_name
from stratplan.writers.docx.parts import APP_NAME

__all__ = ["Add", "FoundChange", "Imported", "Modify", "Suppress", "import_review"]


@dataclass
class Imported:
    base: Plan
    changes: list[AnyChange]
    diagnostics: list[Diagnostic]
    footnotes: dict[str, str]  # new footnotes the changes' texts refer to
    tracked: bool
    editor: str = UNTRACKED  # to whom the edits the file does not attribute are attributed


def editor_of(review: Review, document: ir.Document, contributor: str | None) -> tuple[str, str]:
    """Who made the edits the file does not attribute (an untracked copy's, a comment's
    edit), and when: the contributor given; else the last editor the file's properties name,
    when that is not the render's own name, dated when the date is a real one after the
    render's; else "Reviewer", undated."""
    if contributor:
        return contributor, ""
    properties = review.properties
    editor = clean_name(properties.editor)
    if not editor or editor == APP_NAME:
        return UNTRACKED, ""
    date = properties.date if properties.date > document.date else ""
    return editor, date


def import_review(
    workspace: Workspace, review: Review, base: Path, contributor: str | None = None,
    template_dir: Path | None = None,
) -> Imported:
    """The changes of `review` against the plan at `base`, checked: the plan with them applied
    is rendered and compared with the file as the reviewers left it, and every difference
    that remains (what the changes cannot carry) is a diagnostic."""
    loaded = workspace.plan(base)
    if loaded.plan is None or loaded.sources is None:
        raise StratplanError(loaded.diagnostics)
    plan = loaded.plan
    document = plan_document(plan, template_dir)
    paragraphs = base_paragraphs(document)
    names = dict(review.keys)
    taken: set[str] = set()
    for paragraph in paragraphs:  # the names the writer gave, for a file without its table
        name = bookmark_name(paragraph.key, taken)
        taken.add(name)
        names.setdefault(name, paragraph.key)
    notes = Notes(document, review.footnotes)
    without_the_documents_own_revisions(review, names, paragraphs)
    units = build_units(review, names, notes)
    check_render(review, paragraphs, units, plan.plan.period)
    pairs = align(paragraphs, units)
    reading = Reading.of(review, plan, loaded.sources.data, document, paragraphs, notes,
                         contributor, editor_of(review, document, contributor))
    reading.units = units
    reading.own_margins = workspace.config(base)[0].reference_docx is None
    interpret(reading, pairs)
    checked = check(workspace, reading, base, template_dir)
    return Imported(plan, reading.changes, reading.problems + checked, notes.new_ids(),
                    review.tracked, reading.editor[0])
