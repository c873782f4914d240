"""The word-level diff inside an aligned pair of paragraphs, with diff-match-patch.

Each token (a word, a figure, a run of spaces, a punctuation mark, or a footnote reference)
with its formatting is mapped to one character, the two strings are diffed and semantically
cleaned up (as diff-match-patch's line mode does with lines), and the result is mapped back to
runs, so that a change never splits a word, nor a figure: "3 343" -> "3 400" is the old figure
struck and the new one inserted, not "3 [-343-]{+400+}", and so is "36,07%" -> "36,23%".

The work is bounded, and deterministically so (never by the clock, which would make two runs
differ). Myers' algorithm costs about (N + M) x D for two texts of N and M tokens that are D
edits apart: two different paragraphs of 10 000 words would take minutes. diff-match-patch
takes a deadline, which it checks once per edit distance tried; here that deadline counts the
steps taken instead of the time, and once `MAX_STEPS` are spent, what is left to compare is
shown as the old text deleted and the new text inserted, as diff tools do past a size. Text
with more distinct tokens than there are characters to map them to is shown the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from diff_match_patch import diff_match_patch

from stratplan import ir

# A figure: digits with thousands separated by spaces ("651 671", "-1 000") or not, a decimal
# part ("36,07", "1.5") and a percent sign; then words, white space, single punctuation marks.
_FIGURE = (
    r"(?<![\w.,])[-−]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])(?:[.,]\d+)?%?"
    r"|(?<![\w.,])[-−]?\d+(?:[.,]\d+)*%?"
    r"|\d+(?:[.,]\d+)*%?"
)
_TOKEN = re.compile(rf"{_FIGURE}|\w+|\s+|[^\w\s]", re.UNICODE)
_BASE = 0x100  # first character used for tokens (past ASCII and Latin-1)
_SURROGATES = range(0xD800, 0xE000)
# Distinct tokens that can be mapped to characters.
MAX_TOKENS = 0x110000 - _BASE - len(_SURROGATES)
# Steps of Myers' algorithm per pair of paragraphs (0.3-1 s): a paragraph of 600 words
# rewritten from end to end fits in it; the redlines of the real plans take at most 20 000
# steps for a paragraph.
MAX_STEPS = 1_000_000

Token = tuple[str, bool, bool, str | None, str]  # text, bold, italic, footnote, language


def tokens(runs: Sequence[ir.Run]) -> list[Token]:
    out: list[Token] = []
    for run in runs:
        if run.footnote is not None:
            out.append((run.text, run.bold, run.italic, run.footnote, run.lang))
        else:
            out.extend((t, run.bold, run.italic, None, run.lang)
                       for t in _TOKEN.findall(run.text))
    return out


def _char(index: int) -> str:
    code = _BASE + index
    if code >= _SURROGATES.start:
        code += len(_SURROGATES)
    return chr(code)


class _Budget:
    """diff-match-patch's deadline, in steps instead of seconds.

    `diff_bisect` asks `time.time() > deadline` once per edit distance d it tries, and then
    walks about 2 x d diagonals; Python answers the comparison with `deadline.__lt__(now)`, so
    each question charges those steps and says "too late" once the budget is spent.
    """

    def __init__(self, steps: int) -> None:
        self.left = steps
        self.d = 0

    def restart(self) -> None:
        self.d = 0

    def __lt__(self, now: object) -> bool:
        self.d += 1
        self.left -= 2 * self.d
        return self.left < 0

    def __gt__(self, now: object) -> bool:
        return not self.__lt__(now)


class _BoundedDiff(diff_match_patch):  # type: ignore[misc]
    """diff-match-patch whose bisection restarts the step count of each edit-distance loop."""

    def diff_bisect(self, text1: str, text2: str, deadline: _Budget) -> list[tuple[int, str]]:
        deadline.restart()
        result: list[tuple[int, str]] = super().diff_bisect(text1, text2, deadline)
        return result


def _runs(toks: Iterable[tuple[ir.Revision, Token]]) -> list[ir.Run]:
    """Changed tokens as runs: consecutive tokens of the same formatting and change make one
    run (a footnote reference is a run of its own). Each run's text is joined once: adding
    every token to the run before it would copy the run per token, quadratic in a long
    paragraph."""
    out: list[ir.Run] = []
    texts: list[str] = []
    style: tuple[bool, bool, ir.Revision, str] | None = None

    def flush() -> None:
        if texts and style is not None:
            out.append(ir.Run("".join(texts), style[0], style[1], None, style[2],
                              lang=style[3]))
        texts.clear()

    for change, (text, bold, italic, footnote, lang) in toks:
        if footnote is not None:
            flush()
            style = None
            out.append(ir.Run(text, bold, italic, footnote, change, lang=lang))
            continue
        if style != (bold, italic, change, lang):
            flush()
            style = (bold, italic, change, lang)
        texts.append(text)
    flush()
    return out


def diff_runs(old: Sequence[ir.Run], new: Sequence[ir.Run]) -> tuple[ir.Run, ...]:
    """The runs of `new` with the words of `old` that it lost as "del" runs and the words it
    gained as "ins" runs; an unchanged paragraph comes back with no revision."""
    old_tokens, new_tokens = tokens(old), tokens(new)
    if old_tokens == new_tokens:
        return tuple(replace(r, change=None) for r in new)
    table: dict[Token, str] = {}

    def encode(toks: list[Token]) -> str:
        out = []
        for tok in toks:
            if tok not in table:
                table[tok] = _char(len(table))
            out.append(table[tok])
        return "".join(out)

    pieces: list[tuple[int, list[Token]]]
    if len(set(old_tokens) | set(new_tokens)) > MAX_TOKENS:
        pieces = [(-1, old_tokens), (1, new_tokens)]
    else:
        a, b = encode(old_tokens), encode(new_tokens)
        dmp = _BoundedDiff()
        dmp.Diff_Timeout = 0  # no half-match shortcut; the budget below bounds the work
        diffs = dmp.diff_main(a, b, False, _Budget(MAX_STEPS))
        dmp.diff_cleanupSemantic(diffs)
        back = {c: tok for tok, c in table.items()}
        pieces = [(op, [back[c] for c in text]) for op, text in diffs]
    changes: dict[int, ir.Revision] = {0: None, -1: "del", 1: "ins"}
    return tuple(_runs((changes[op], tok) for op, toks in pieces for tok in toks))
