"""Paragraph marks edited in a copy without tracked changes: two paragraphs of the base that
are one paragraph of the file (merged), one of the base that is two of the file (split).

With Track Changes on, a merge and a split are read from the revised paragraph marks
(`units`). Without, only the text tells: the aligner pairs the merged paragraph with one of
its two halves (the other looks deleted), a split one with one of its halves (the other looks
new). Where the two together read as the one better than either half alone, the pair is made
with the first of them, in the document's order: the merged paragraph is the first's text
changed (and the second suppressed), the split one the first half's, the second half new
after it.
"""

from __future__ import annotations

from stratplan.diff.align import dice
from stratplan.proposals.importing.base import BaseParagraph
from stratplan.proposals.importing.texts import bag
from stratplan.proposals.importing.units import Unit

Pair = tuple[BaseParagraph | None, Unit | None]
MARGIN = 0.15  # how much better the two halves together must read than the one alone


def _better(whole: str, one: str, two: str, alone: str) -> bool:
    together = dice(bag(whole), bag(one + " " + two))
    return together >= 0.8 and together >= dice(bag(whole), bag(alone)) + MARGIN


def rejoin(pairs: list[Pair]) -> list[Pair]:
    out = list(pairs)
    n = 0
    while n < len(out) - 1:
        (b1, u1), (b2, u2) = out[n], out[n + 1]
        # merged: (A, file) (B, None) or (A, None) (B, file)
        if b1 is not None and b2 is not None and (u1 is None) != (u2 is None):
            unit = u1 or u2
            assert unit is not None
            if _better(unit.accept, b1.text, b2.text, (b1 if u1 else b2).text):
                out[n], out[n + 1] = (b1, unit), (b2, None)
                if unit.piece is not None and b2.paragraph.number:
                    # the second's number, which the templates computed, goes with its mark
                    unit.piece.accept = unit.piece.accept.replace(
                        f"{b2.paragraph.number}\t", "", 1) if unit.piece.accept.find(
                        f"{b2.paragraph.number}\t") > 0 else unit.piece.accept
                n += 2
                continue
        # split: (base, first) (None, second) or (None, first) (base, second)
        if u1 is not None and u2 is not None and (b1 is None) != (b2 is None):
            base = b1 or b2
            assert base is not None
            if u1.reject.strip() and u2.reject.strip() and _better(
                    base.text, u1.accept, u2.accept, (u1 if b1 else u2).accept):
                out[n], out[n + 1] = (base, u1), (None, u2)
                n += 2
                continue
        n += 1
    return out
