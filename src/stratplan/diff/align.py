"""Align two block sequences: keyed anchors by patience alignment, the rest by content.

Blocks with a key made from a plan id (not starting with "#") are anchors: the keys that occur
once on each side (after lineage aliases) are aligned in order by the longest increasing
subsequence of their positions (patience alignment), recursively inside each gap. What lies
between two anchors is aligned by a sequence alignment that pairs two blocks only when they may
pair (both positional, or the same key) and their similarity reaches a threshold; everything
else is a deletion or an insertion.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Generic, TypeVar

from stratplan import ir
from stratplan.keys import is_positional, renamed

T = TypeVar("T")
Pair = tuple[T | None, T | None]

THRESHOLD = 0.5  # least similarity for two positional blocks to be one modified block
_WORD = re.compile(r"\w+", re.UNICODE)


def longest_increasing(seq: Sequence[int]) -> list[int]:
    """Indexes into `seq` of a longest strictly increasing subsequence (patience sorting)."""
    tops: list[int] = []  # value on top of each pile
    top_index: list[int] = []  # index in seq of that value
    back: list[int] = [-1] * len(seq)
    for i, value in enumerate(seq):
        pile = bisect_left(tops, value)
        if pile == len(tops):
            tops.append(value)
            top_index.append(i)
        else:
            tops[pile] = value
            top_index[pile] = i
        back[i] = top_index[pile - 1] if pile else -1
    out: list[int] = []
    i = top_index[-1] if top_index else -1
    while i >= 0:
        out.append(i)
        i = back[i]
    return out[::-1]


def words(block: ir.Block) -> Counter[str]:
    if isinstance(block, ir.Paragraph):
        return Counter(_WORD.findall(block.text))
    bag: Counter[str] = Counter()
    for paragraph in ir.iter_paragraphs((block,)):
        bag.update(_WORD.findall(paragraph.text))
    return bag


def row_words(row: ir.Row) -> Counter[str]:
    bag: Counter[str] = Counter()
    for cell in row.cells:
        for paragraph in cell.blocks:
            bag.update(_WORD.findall(paragraph.text))
    return bag


def dice(a: Counter[str], b: Counter[str]) -> float:
    """Similarity of two bags of words: 1.0 the same words, 0.0 none in common."""
    total = sum(a.values()) + sum(b.values())
    if not total:
        return 1.0
    return 2 * sum((a & b).values()) / total


class Aligner(Generic[T]):
    """Aligns `old` with `new`; `key(x)` names an item, `bag(x)` its words for similarity,
    `kind(x)` must be equal for two items to pair by content (e.g. paragraph vs table);
    `free(key)` says a key is no identity (by default, a positional key): such items pair by
    content only."""

    def __init__(
        self,
        key: Callable[[T], str],
        bag: Callable[[T], Counter[str]],
        kind: Callable[[T], object] = lambda _: None,
        aliases: Mapping[str, str] | None = None,
        threshold: float = THRESHOLD,
        free: Callable[[str], bool] = is_positional,
    ) -> None:
        self.key = key
        self.free = free
        self.bag = bag
        self.kind = kind
        self.aliases = aliases or {}
        self.threshold = threshold

    def __call__(self, old: Sequence[T], new: Sequence[T]) -> list[Pair[T]]:
        run = _Alignment(self, old, new)
        run.patience(0, len(old), 0, len(new))
        return [
            (old[i] if i is not None else None, new[j] if j is not None else None)
            for i, j in run.pairs
        ]


class _Alignment(Generic[T]):
    """One alignment of `old` with `new`: index pairs appended to `pairs` in order, an index
    None on the side an item is missing from."""

    def __init__(self, aligner: Aligner[T], old: Sequence[T], new: Sequence[T]) -> None:
        self.aligner = aligner
        self.old, self.new = old, new
        self.okeys = [renamed(aligner.key(x), aligner.aliases) for x in old]
        self.nkeys = [aligner.key(x) for x in new]
        self.pairs: list[tuple[int | None, int | None]] = []

    def unmatched(self, olo: int, ohi: int, nlo: int, nhi: int) -> None:
        self.pairs.extend((i, None) for i in range(olo, ohi))
        self.pairs.extend((None, j) for j in range(nlo, nhi))

    def patience(self, olo: int, ohi: int, nlo: int, nhi: int) -> None:
        """Anchor on the keys unique to both sides of old[olo:ohi] and new[nlo:nhi], in their
        longest common order; recurse between anchors; align what has none by content."""
        if olo == ohi or nlo == nhi:
            self.unmatched(olo, ohi, nlo, nhi)
            return
        okeys, nkeys = self.okeys, self.nkeys
        free = self.aligner.free
        ocount = Counter(k for k in okeys[olo:ohi] if not free(k))
        ncount = Counter(k for k in nkeys[nlo:nhi] if not free(k))
        new_at = {nkeys[j]: j for j in range(nlo, nhi) if ncount[nkeys[j]] == 1}
        common = [
            (i, new_at[okeys[i]])
            for i in range(olo, ohi)
            if ocount[okeys[i]] == 1 and okeys[i] in new_at
        ]
        if not common:
            self.gap(olo, ohi, nlo, nhi)
            return
        anchors = [common[i] for i in longest_increasing([j for _, j in common])]
        oi, nj = olo, nlo
        for i, j in anchors:
            self.patience(oi, i, nj, j)
            self.pairs.append((i, j))
            oi, nj = i + 1, j + 1
        self.patience(oi, ohi, nj, nhi)

    def gap(self, olo: int, ohi: int, nlo: int, nhi: int) -> None:
        """Sequence alignment maximising the summed similarity of the pairs it makes."""
        bag, kind, threshold = self.aligner.bag, self.aligner.kind, self.aligner.threshold
        free = self.aligner.free
        old, new, okeys, nkeys = self.old, self.new, self.okeys, self.nkeys
        n, m = ohi - olo, nhi - nlo
        obags = [bag(old[olo + i]) for i in range(n)]
        nbags = [bag(new[nlo + j]) for j in range(m)]
        osizes = [sum(b.values()) for b in obags]
        nsizes = [sum(b.values()) for b in nbags]
        okinds = [kind(old[olo + i]) for i in range(n)]
        nkinds = [kind(new[nlo + j]) for j in range(m)]
        score = [[0.0] * (m + 1) for _ in range(n + 1)]
        sims: dict[tuple[int, int], float] = {}
        for i in range(1, n + 1):
            ok = okeys[olo + i - 1]
            row, above = score[i], score[i - 1]
            for j in range(1, m + 1):
                best = max(above[j], row[j - 1])
                nk = nkeys[nlo + j - 1]
                small, large = sorted((osizes[i - 1], nsizes[j - 1]))
                if (
                    okinds[i - 1] == nkinds[j - 1]
                    and (ok == nk or (free(ok) and free(nk)))
                    and 2 * small >= threshold * (small + large)  # else dice < threshold
                ):
                    sim = dice(obags[i - 1], nbags[j - 1])
                    if sim >= threshold:
                        sims[i, j] = sim
                        best = max(best, above[j - 1] + sim)
                row[j] = best
        matches: list[tuple[int, int]] = []
        i, j = n, m
        while i and j:
            pair = sims.get((i, j))
            if pair is not None and score[i][j] == score[i - 1][j - 1] + pair:
                matches.append((i - 1, j - 1))
                i, j = i - 1, j - 1
            elif score[i][j] == score[i - 1][j]:
                i -= 1
            else:
                j -= 1
        oi, nj = olo, nlo
        for i, j in reversed(matches):
            self.unmatched(oi, olo + i, nj, nlo + j)
            self.pairs.append((olo + i, nlo + j))
            oi, nj = olo + i + 1, nlo + j + 1
        self.unmatched(oi, ohi, nj, nhi)


def block_kind(block: ir.Block) -> object:
    return "table" if isinstance(block, ir.Table) else "paragraph"


def align_blocks(
    old: Sequence[ir.Block], new: Sequence[ir.Block], aliases: Mapping[str, str] | None = None
) -> list[Pair[ir.Block]]:
    """Pairs (old, new), (old, None) deleted, (None, new) inserted, in merged order."""
    aligner: Aligner[ir.Block] = Aligner(lambda b: b.key, words, block_kind, aliases)
    return aligner(old, new)


def align_rows(
    old: Sequence[ir.Row], new: Sequence[ir.Row], aliases: Mapping[str, str] | None = None
) -> list[Pair[ir.Row]]:
    aligner: Aligner[ir.Row] = Aligner(lambda r: r.key, row_words, lambda r: len(r.cells), aliases)
    return aligner(old, new)


def columns(table: ir.Table) -> int:
    return max((sum(cell.span for cell in row.cells) for row in table.rows), default=0)
