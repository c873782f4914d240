"""The word-level diff inside an aligned pair of paragraphs, with diff-match-patch.

Each token (a word, a figure, a run of spaces, a punctuation mark, or a footnote reference)
with its formatting is mapped to one character, the two strings are diffed and semantically
cleaned up (as diff-match-patch's line mode does with lines), and the result is mapped back to
runs, so that a change never splits a word, nor a figure: "3 343" -> "3 400" is the old figure
struck and the new one inserted, not "3 [-343-]{+400+}", and so is "36,07%" -> "36,23%".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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

Token = tuple[str, bool, bool, str | None]  # text, bold, italic, footnote


def tokens(runs: Sequence[ir.Run]) -> list[Token]:
    out: list[Token] = []
    for run in runs:
        if run.footnote is not None:
            out.append((run.text, run.bold, run.italic, run.footnote))
        else:
            out.extend((t, run.bold, run.italic, None) for t in _TOKEN.findall(run.text))
    return out


def _char(index: int) -> str:
    code = _BASE + index
    if code >= _SURROGATES.start:
        code += len(_SURROGATES)
    return chr(code)


def to_runs(toks: Sequence[Token], change: ir.Change) -> list[ir.Run]:
    """Tokens as runs: consecutive tokens of the same formatting make one run."""
    out: list[ir.Run] = []
    for text, bold, italic, footnote in toks:
        if footnote is not None:
            out.append(ir.Run(text, bold, italic, footnote, change))
        elif (
            out
            and out[-1].footnote is None
            and (out[-1].bold, out[-1].italic, out[-1].change) == (bold, italic, change)
        ):
            out[-1] = replace(out[-1], text=out[-1].text + text)
        else:
            out.append(ir.Run(text, bold, italic, None, change))
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

    a, b = encode(old_tokens), encode(new_tokens)
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # deterministic: never cut short by the clock
    diffs = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    back = {c: tok for tok, c in table.items()}
    runs: list[ir.Run] = []
    changes: dict[int, ir.Change] = {0: None, -1: "del", 1: "ins"}
    for op, text in diffs:
        toks = [back[c] for c in text]
        for run in to_runs(toks, changes[op]):
            if (
                runs
                and run.footnote is None
                and runs[-1].footnote is None
                and (runs[-1].bold, runs[-1].italic, runs[-1].change)
                == (run.bold, run.italic, run.change)
            ):
                runs[-1] = replace(runs[-1], text=runs[-1].text + run.text)
            else:
                runs.append(run)
    return tuple(runs)
