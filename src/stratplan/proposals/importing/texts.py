"""Text as the import compares it: what counts as a difference, the words that differ, the
number a reviewer typed, and where an edit of one text lands in another.

Two texts are the same when a reader sees the same words: a tab and a space, a run of
spaces, a no-break space, or the zero-width marks LibreOffice leaves in an inserted row are
not differences. Edits are found word by word (a token diff): linear in the text's words
where a character diff was quadratic in its characters.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter

from stratplan.diagnostics import shorten

_WORDS = re.compile(r"\w+", re.UNICODE)
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
# Characters a reader does not see: zero-width spaces and joiners, the byte order mark, the
# soft hyphen (LibreOffice marks an inserted table row's cells with a zero-width joiner).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# A number the reviewer typed before a new item's text ("1.7: ", "3) ", "a) ", "– "): numbers
# and bullets are computed from order. A number needs its separator (a colon, a stop or a
# closing parenthesis, then a space) or a tab: "5G coverage" and "ensure that" keep theirs.
_TYPED_NUMBER = re.compile(
    r"^\s*(?:(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivx]{1,4})(?:[:.)](?=\s)|(?=\t))"
    r"|[–•\-−](?=\s))\s*(?=\S)")
SOURCED = re.compile(r"^\[([^\]]+)\]\s+(.+)$", re.S)  # "[TSAG] text": a named source's
# The number the templates put before a paragraph's text ("17\t", "1.2:\t", "3)\t", "–\t").
# With a tab, as the writer puts it; with a space, as a copy through another program may
# have it, only what reads as a number ("3 ", "1.2: ", "a) ", "– "), never a word ("A new").
_LEADING_NUMBER = re.compile(
    r"^\s*(?:[\w.()–-]{1,12}:?\t|\d{1,3}(?:\.\d{1,3})*[:.)]?\s|[a-z]\)\s|[–•-]\s)")


def plain(text: str) -> str:
    """The text as a reader sees it: white space of any kind one space, invisible marks
    gone, composed (NFC)."""
    return " ".join(unicodedata.normalize("NFC", text.translate(_INVISIBLE)).split())


def same(a: str, b: str) -> bool:
    return plain(a) == plain(b)


def without_number(text: str) -> str:
    """The text without the number the templates put before it."""
    return plain(_LEADING_NUMBER.sub("", text.translate(_INVISIBLE), count=1))


def same_words(a: str, b: str, number: str = "") -> bool:
    """The same text, but for spacing and the number the templates put before it (`number`,
    when known, however it is spaced)."""
    if number:
        a, b = (re.sub(rf"^\s*{re.escape(number)}\s", "", x, count=1) for x in (a, b))
    return without_number(a) == without_number(b)


def untyped(text: str) -> str:
    """The text without a number the reviewer typed before it ("1.7: ..."): numbers are
    computed."""
    return _TYPED_NUMBER.sub("", text, count=1).strip()


def bag(text: str) -> Counter[str]:
    return Counter(_WORDS.findall(text))


def tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


class TextDiff:
    """The edits that turn `old` into `new`, found over words and punctuation; opcodes in
    characters of each text, as difflib's."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new
        a, b = tokens(old), tokens(new)
        starts_a, starts_b = _starts(a), _starts(b)
        self.codes: list[tuple[str, int, int, int, int]] = []
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            self.codes.append((tag, starts_a[i1], starts_a[i2], starts_b[j1], starts_b[j2]))

    def edits(self) -> list[tuple[str, int, int, int, int]]:
        return [c for c in self.codes if c[0] != "equal"]

    def map(self, start: int, end: int) -> str:
        """The part of `new` that the span [start, end) of `old` became; an insertion at
        either edge belongs to the span."""
        first = 0
        for tag, i1, i2, j1, _ in self.codes:
            if (tag == "equal" and i1 <= start < i2) or (tag != "equal" and i1 <= start <= i2):
                first = j1 + (start - i1 if tag == "equal" else 0)
                break
        last = len(self.new)
        for tag, i1, i2, j1, j2 in reversed(self.codes):
            if (tag == "equal" and i1 < end <= i2) or (tag != "equal" and i1 <= end <= i2):
                last = j1 + (end - i1) if tag == "equal" else j2
                break
        return self.new[first:last]


def _starts(parts: list[str]) -> list[int]:
    out = [0]
    for part in parts:
        out.append(out[-1] + len(part))
    return out


def differing(a: str, b: str, context: int = 6, size: int = 160) -> tuple[str, str]:
    """The words where `a` and `b` differ, with a few words around them, each quoted as a
    reader would find it: "… by 2031 and beyond" against "… by 2031". The whole text when it
    is short."""
    a, b = plain(a), plain(b)
    if len(a) <= size and len(b) <= size:
        return a, b
    ta, tb = tokens(a), tokens(b)
    head = 0
    while head < min(len(ta), len(tb)) and ta[head] == tb[head]:
        head += 1
    tail = 0
    while tail < min(len(ta), len(tb)) - head and ta[-1 - tail] == tb[-1 - tail]:
        tail += 1

    def window(parts: list[str]) -> str:
        start = _back(parts, head, context)
        end = _forward(parts, len(parts) - tail, context)
        text = "".join(parts[start:end]).strip()
        text = shorten(text, size) if len(text) > size else text
        # Its first words, to find it, then the words that differ.
        opening = shorten("".join(parts[:start]), 60).removesuffix(" …") if start else ""
        return (f"{opening} … " if opening else "") + text + (
            " …" if end < len(parts) and not text.endswith("…") else "")

    return window(ta), window(tb)


def _back(parts: list[str], at: int, words: int) -> int:
    while at > 0 and words > 0:
        at -= 1
        if parts[at].strip():
            words -= 1
    return at


def _forward(parts: list[str], at: int, words: int) -> int:
    while at < len(parts) and words > 0:
        if parts[at].strip():
            words -= 1
        at += 1
    return at
