"""Alignment: which paragraph of the base each unit of the reviewed file was, and whether the
file renders the base at all.

What a file says of itself is a claim. A unit's key (its bookmark, named in the file's key
table) counts as its identity only where its text before the revisions is the base's text for
that key: a copy whose key table was tampered with (two entries swapped) aligns by its text,
as a file with no keys does. Which plan the file renders is decided the same way: from its
text before the revisions against the base's, never from the plan its key table names.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from stratplan import keys
from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path
from stratplan.diff.align import Aligner
from stratplan.proposals.importing.base import BaseParagraph
from stratplan.proposals.importing.texts import bag, plain, without_number
from stratplan.proposals.importing.units import MARKER, Unit
from stratplan.proposals.review import Review

FREE = ""  # the aligner's name for a paragraph whose key is no identity: paired by text
# Of the base document's paragraphs, the share a file must have word for word (before its
# revisions; numbers aside) to be a render of it. A file with Track Changes has them all; a
# copy edited without, most (a reviewer edits a tenth of a plan); the render of the
# neighbouring cycle has 68-71%.
MIN_SAME_TEXT = 0.8

Pair = tuple[BaseParagraph | None, Unit | None]


def as_written(text: str) -> str:
    """A paragraph's words as they identify it: spacing, the templates' number and
    footnote markers aside."""
    return without_number(MARKER.sub("", text))


def claims_hold(base: list[BaseParagraph], units: list[Unit]) -> dict[int, str]:
    """The units whose key is an identity (unit id -> key): a key of the base, once in the
    base and once in the file, on the base's text for it."""
    once = Counter(b.key for b in base)
    known = {b.key: b for b in base if once[b.key] == 1}
    claimed = Counter(u.key for u in units if u.key)
    out: dict[int, str] = {}
    for unit in units:
        b = known.get(unit.key or "")
        if b is not None and claimed[b.key] == 1 and as_written(b.text) == as_written(
                unit.reject):
            out[id(unit)] = b.key
    return out


Cell = tuple[str, int]  # a table row's key and a cell of it


def cell_of(b: BaseParagraph) -> Cell | None:
    """The cell of a table row that names an item a paragraph is in (`resource:spectrum`;
    not a row that counts places, `table:x/row3`, which a new row before it renumbers)."""
    if b.row is None or b.cell is None or keys.is_positional(b.row) or any(
            ch.isdigit() for part in keys.parse(b.row).parts for ch in part):
        return None
    return b.row, b.cell


def align(base: list[BaseParagraph], units: list[Unit],
          before: Callable[[Unit], str] = lambda u: u.reject,
          cells: dict[int, Cell] | None = None) -> list[Pair]:
    """Pairs (base paragraph, unit): by key where the key holds (or, given `cells`, by the
    same place in a table row that names an item: an Appendix A figure the changes compute
    anew), then by text between those anchors; (base, None) a paragraph gone, (None, unit)
    one added."""
    holding = claims_hold(base, units)
    anchors = set(holding.values())
    places: dict[int, str] = {}
    if cells:
        mine = {id(b): found for b in base if (found := cell_of(b)) is not None}
        once = Counter(mine.values())
        theirs = Counter(cells.values())
        for ident, found in [*mine.items(), *cells.items()]:
            if once[found] == 1 and theirs[found] == 1:
                places[ident] = "\x1f".join(map(str, found))

    def key(x: Any) -> str:
        if isinstance(x, BaseParagraph):
            return x.key if x.key in anchors else places.get(id(x), FREE)
        return holding.get(id(x)) or places.get(id(x), FREE)

    def words(x: Any) -> Counter[str]:
        return bag(x.text if isinstance(x, BaseParagraph) else before(x))

    first = Aligner[Any](key=key, free=lambda k: k == FREE, bag=words)
    second = Aligner[Any](key=lambda _: FREE, free=lambda k: k == FREE, bag=words)
    pairs: list[Pair] = []
    gap_old: list[Any] = []
    gap_new: list[Any] = []

    def flush() -> None:
        if gap_old or gap_new:
            pairs.extend(second(list(gap_old), list(gap_new)))
            gap_old.clear()
            gap_new.clear()

    # Between the anchors, pair by text alone (a paragraph whose key was lost or damaged).
    for old, new in first(list(base), list(units)):
        if old is not None and new is not None:
            flush()
            pairs.append((old, new))
        elif old is not None:
            gap_old.append(old)
        else:
            gap_new.append(new)
    flush()
    return pairs


def share_of_base(base: list[BaseParagraph], units: list[Unit]) -> float:
    """The share of the base's paragraphs the file has word for word before its revisions."""
    wanted = Counter(as_written(b.text) for b in base if plain(b.text))
    found = Counter(as_written(u.reject) for u in units if plain(u.reject))
    return sum((wanted & found).values()) / max(sum(wanted.values()), 1)


def check_render(review: Review, base: list[BaseParagraph], units: list[Unit],
                 period: str) -> None:
    """StratplanError (SP807) unless the file, before its revisions, is the base's render:
    most of the base's paragraphs word for word."""
    share = share_of_base(base, units)
    if share >= MIN_SAME_TEXT:
        return
    said = ""
    if review.plan and review.plan != period:
        said = f" (its key table names plan {review.plan})"
    elif review.plan:
        said = f" (though its key table names plan {review.plan}: its text does not)"
    raise StratplanError([Diagnostic(
        "SP807", Severity.ERROR,
        f"{display_path(review.path)} is not a render of this plan{said}: only {share:.0%} of "
        f"the plan's paragraphs are in it as the plan has them",
        Location(display_path(review.path)),
        "import a file made by `stratplan render` (or `diff`) of the plan given with --base, "
        "edited in Word or LibreOffice (a copy edited without Track Changes must keep four "
        "fifths of the plan's paragraphs as they are)",
    )])
