"""The self-check: the plan with the changes found applied is rendered and compared with the
file as its reviewers left it (every revision made); every difference that remains is what the
changes cannot carry, reported (SP806) with its place and the words that differ.

First the changes must apply and leave a valid plan, as the contributions written must: a
change that does not (a reading of the file that contradicts another) is left out, and said
so. Differences that are none (spacing, a tab for a space, the numbers the templates compute,
text that follows from a change elsewhere) are not reported.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from stratplan import keys
from stratplan.changes.amend import Amendment, amend
from stratplan.diagnostics import Diagnostic, Location, Severity, display_path, shorten
from stratplan.model.contribution import Contribution
from stratplan.proposals.importing.alignment import Cell, align, cell_of
from stratplan.proposals.importing.base import BaseParagraph, base_paragraphs
from stratplan.proposals.importing.changes import Add, AnyChange
from stratplan.proposals.importing.index import item_key
from stratplan.proposals.importing.state import LEFT_OUT, Reading
from stratplan.proposals.importing.texts import differing, plain, same_words, without_number
from stratplan.proposals.importing.units import Piece, Unit
from stratplan.render.document import plan_document
from stratplan.source.reader import SourceMap
from stratplan.workspace import LoadedContribution, Workspace

ROUNDS = 5  # of leaving out what does not apply: dropping one can expose the next


def _contribution(r: Reading, changes: list[AnyChange]) -> dict[str, Any]:
    return {
        "contribution": {"base": r.plan.plan.period, "contributor": "import",
                         "title": "import"},
        "changes": [c.data for c in changes],
        "footnotes": r.notes.new_ids(),
    }


def _misfits(data: dict[str, Any]) -> dict[int, list[str]]:
    """The changes that do not fit the contribution model, with why."""
    try:
        Contribution.model_validate(data)
    except ValidationError as exc:
        out: dict[int, list[str]] = {}
        for error in exc.errors():
            loc = error["loc"]
            if len(loc) > 1 and loc[0] == "changes" and isinstance(loc[1], int):
                out.setdefault(loc[1], []).append(error["msg"])
        return out or {-1: [str(exc.errors()[0]["msg"])]}
    return {}


def applicable(workspace: Workspace, r: Reading, base: Path) -> tuple[Amendment | None,
                                                                      list[Diagnostic]]:
    """The changes found, made to apply together: the amendment, and what was left out."""
    where = Location(display_path(r.review.path))
    out: list[Diagnostic] = []
    amendment: Amendment | None = None
    for _ in range(ROUNDS):
        data = _contribution(r, r.changes)
        failing = _misfits(data)
        if -1 in failing:
            return None, [*out, Diagnostic(LEFT_OUT, Severity.WARNING, "the imported changes "
                                           f"do not make a contribution: {failing[-1][0]}",
                                           where)]
        if not failing:
            contribution = Contribution.model_validate(data)
            loaded = LoadedContribution(r.review.path, contribution, SourceMap())
            amendment = amend(workspace, [loaded], base)
            applied = amendment.applied
            failing = {i: [d.message.partition(": ")[2] for d in applied.problems
                           if d.message.startswith(f"change {i + 1} ")] or ["it does not apply"]
                       for i in set(range(len(r.changes))) - {c.index for c in applied.changes}}
            if not failing and amendment.loaded.plan is not None:
                failing = amendment.causing_changes()
                if amendment.errors and not failing:
                    problems = "; ".join(d.message for d in amendment.errors[:3])
                    return None, [*out, Diagnostic(LEFT_OUT, Severity.WARNING, "the imported "
                                                   f"changes leave the plan invalid: {problems}",
                                                   where)]
        if not failing:
            return amendment, out
        for index in sorted(failing, reverse=True):
            change = r.changes.pop(index)
            r.changes += r.shadowed.pop(id(change), [])
            out.append(Diagnostic(
                LEFT_OUT, Severity.WARNING,
                f"{change.place}: left out, the change it reads as contradicts the others "
                f"({change.describe()}): {'; '.join(failing[index])}", where,
                "make that change by hand in the contribution, if it is meant",
            ))
        amendment = None
    return amendment, out


def _number(r: Reading, before: BaseParagraph, mine: BaseParagraph,
            text: str) -> list[Diagnostic]:
    """A number the templates compute ("2.3:", "3)", a paragraph's "17") that the file
    changed, where the plan with the changes does not number the item so: reported, as
    numbers follow from the order of the items (a number that changed with the order, as in a
    redline, is no edit)."""
    number = before.paragraph.number
    head, tab, _ = text.strip().partition("\t")
    if not number or not text.strip() or (tab and head.strip() in (
            number, mine.paragraph.number)) or text.strip().startswith(number + " "):
        return []
    what = f"changed to “{head.strip()}”" if tab and len(head) <= 16 else "deleted"
    return [Diagnostic(
        LEFT_OUT, Severity.WARNING,
        f"{mine.place}: the number “{number}” {what}, not carried: numbers follow from the "
        f"order of the items: “{shorten(text, 160)}”", Location(display_path(r.review.path)),
        "to change a number, move the item (or add or delete the items before it)")]


def _pieces(u: Unit) -> list[Piece]:
    return [*u.before, *([u.piece] if u.piece is not None else []), *u.after]


def check(workspace: Workspace, r: Reading, base: Path,
          template_dir: Path | None = None) -> list[Diagnostic]:
    """What the changes cannot carry (see the module's docstring)."""
    where = Location(display_path(r.review.path))
    amendment, out = applicable(workspace, r, base)
    if amendment is None or amendment.loaded.plan is None:
        if not out:
            problems = "; ".join(d.message for d in (
                amendment.loaded.diagnostics if amendment else [])[:3])
            out.append(Diagnostic(LEFT_OUT, Severity.WARNING,
                                  f"the imported changes leave the plan invalid: {problems}",
                                  where))
        return out
    result = base_paragraphs(plan_document(amendment.loaded.plan, template_dir))
    was: dict[int, BaseParagraph] = {}  # a piece (its unit's own) -> the base paragraph
    shown: list[Unit] = []
    cells: dict[int, Cell] = {}
    for unit in r.units:
        for piece in _pieces(unit):
            if not plain(piece.accept):
                continue
            shown.append(Unit(piece.sources, piece.key, piece.accept, piece))
            if piece is unit.piece and id(unit) in r.base_of:
                was[id(piece)] = r.base_of[id(unit)]
                found = cell_of(r.base_of[id(unit)])
                if found is not None:
                    cells[id(shown[-1])] = found
    pairs = align(result, shown, cells=cells)

    def moved(b: BaseParagraph | None) -> bool:
        return b is not None and any(item_key(k or "") in r.moved for k in (b.key, b.row))

    known = {keys.parse(k).name for k in r.index.item_paths}
    added = {c.item["id"] for c in r.changes if isinstance(c, Add) and isinstance(
        c.item, dict) and isinstance(c.item.get("id"), str)} - known  # new, not moved

    def of_added(b: BaseParagraph) -> bool:
        """A row of a table for an item the changes add: it follows from the add (a new
        target typed in its goal's list is in results table A too)."""
        return b.row is not None and any(keys.parse(k).name in added for k in (b.key, b.row)
                                         if k)

    # A text of a moved item that both have, in other places, follows from the move: its row
    # of a table, which the file has, untouched, where it was. No difference.
    elsewhere = Counter(without_number(m.text) for m, t in pairs
                        if t is None and m is not None and moved(m))
    elsewhere &= Counter(without_number(t.accept) for m, t in pairs if m is None and t is not
                         None and t.piece is not None and not t.piece.revisions
                         and moved(was.get(id(t.piece))))
    skip = {True: Counter(elsewhere), False: Counter(elsewhere)}  # by side: the plan's, the file's
    previous = "the start"
    for mine, theirs in pairs:
        if mine is None or theirs is None:
            text = without_number(mine.text if mine is not None else
                                  theirs.accept if theirs is not None else "")
            side = skip[mine is not None]
            if side[text] > 0:
                side[text] -= 1
                previous = mine.place if mine is not None else previous
                continue
        if theirs is not None and any(p.index in r.reported for p in theirs.sources):
            previous = mine.place if mine is not None else previous
            continue
        if mine is not None and theirs is not None:
            previous = mine.place
            before = was.get(id(theirs.piece)) if theirs.piece is not None else None
            if before is not None:
                out += _number(r, before, mine, theirs.accept)
            if same_words(mine.text, r.notes.like(mine.text, theirs.accept),
                          mine.paragraph.number):
                continue
            if before is not None and same_words(theirs.accept, before.text,
                                                 before.paragraph.number):
                continue  # not changed by the reviewers: it follows their change elsewhere
            file_has, plan_has = differing(theirs.accept, mine.text)
            out.append(Diagnostic(
                LEFT_OUT, Severity.WARNING,
                f"{mine.place}: not carried by the changes: the file has “{file_has}”, the plan "
                f"would have “{plan_has}”", where,
                "text the templates generate (a number, a label) follows from the plan's data",
            ))
        elif theirs is not None:
            out.append(Diagnostic(
                LEFT_OUT, Severity.WARNING,
                f"after {previous}: a new paragraph, not carried: “{shorten(theirs.accept, 160)}”",
                where,
            ))
        elif mine is not None:
            previous = mine.place
            if mine.text in r.kept or of_added(mine):
                continue
            out.append(Diagnostic(
                LEFT_OUT, Severity.WARNING,
                f"{mine.place}: the changes would add “{shorten(mine.text, 160)}”, which the file "
                "does not have", where,
            ))
    return out
