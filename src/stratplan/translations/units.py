"""The translatable units of a plan: every prose field of every item, by its address, with
its English text, the hash that a translation of it records, and what a translator is told
about it (its section, the kind of item, its lineage).

Which fields are translatable is what the model declares (`PROSE`, read by the model walk):
no list of field names is kept here. A field whose text is blank has nothing to translate.

The hash is of the English with its spacing and its sentence punctuation set aside
(`normalised`): a translation stays current when the English only gains a comma, loses a
double space or trades a straight quote for a curly one, and goes stale when a word, a number,
a footnote reference or a square bracket changes. Exact, never by similarity.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pydantic import BaseModel

from stratplan.model.address import format_path
from stratplan.model.facts import DataPath, field_facts, leaves
from stratplan.model.plan import FOOTNOTE_REF, Plan

__all__ = ["Unit", "count_words", "normalised", "plan_units", "text_hash"]

# Punctuation whose change alone leaves a translation current: what ends or joins a sentence,
# quotation marks and dashes. Brackets ([...]: text not agreed), "^" (footnote references),
# "%", "/", "(" and ")" are not among them: they change what the text says.
EQUIVALENT_PUNCTUATION = ".,;:!?'\"‘’‚“”„«»‹›-‐‑‒–—―…"
_SPACED = str.maketrans(dict.fromkeys(EQUIVALENT_PUNCTUATION, " "))
_WORD = re.compile(r"\w+")
HASH_LENGTH = 16  # hex digits of SHA-256: 64 bits, enough for every text a plan will have


def normalised(text: str) -> str:
    """The English as its hash sees it: Unicode NFC, the equivalent punctuation and every run
    of spacing as one space, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_SPACED).split())


def text_hash(text: str) -> str:
    """The hash a translation records of the English it translates."""
    digest = hashlib.sha256(normalised(text).encode("utf-8")).hexdigest()
    return digest[:HASH_LENGTH]


def count_words(text: str) -> int:
    """Words of a text as a translation is paid by: footnote references are not words."""
    return len(_WORD.findall(FOOTNOTE_REF.sub(" ", text)))


@dataclass(frozen=True)
class Unit:
    """One translatable field of one item."""

    address: str  # as contributions address it: `targets/coverage/text`
    text: str  # the English
    path: DataPath  # its data path in the plan model
    kind: str  # the item it belongs to, by its model's name: "Target", "Para"
    section: str  # where in the plan it is: `sections/overview`, or the collection `targets`
    lineage: tuple[str, ...] = ()  # the items of earlier cycles its item replaces
    item: str = ""  # the id of the innermost item with one that the field belongs to

    @cached_property
    def hash(self) -> str:
        return text_hash(self.text)

    @cached_property
    def words(self) -> int:
        return count_words(self.text)


def plan_units(plan: Plan) -> list[Unit]:
    """Every translatable unit of the plan, in the plan's order."""
    data = plan.model_dump(exclude_defaults=True)
    out: list[Unit] = []
    for path, text, facts in leaves(plan):
        if not facts.prose or not text.strip():
            continue
        owner, item, lineage = _owner(plan, path)
        out.append(Unit(format_path(data, path), text, path, owner, _section(data, path),
                        lineage, item))
    return out


def _owner(plan: Plan, path: DataPath) -> tuple[str, str, tuple[str, ...]]:
    """The innermost model object on `path` (the item the text belongs to), by its class
    name; and the id and lineage references of the innermost one that has an id."""
    node: Any = plan
    kind = type(plan).__name__
    item = ""
    lineage: tuple[str, ...] = ()
    for part in path:
        node = getattr(node, part) if isinstance(node, BaseModel) and isinstance(part, str) \
            else node[part]
        if isinstance(node, BaseModel):
            kind = type(node).__name__
            if getattr(node, "id", None):
                item = str(getattr(node, "id"))  # noqa: B009
                facts = field_facts(type(node))
                lineage = tuple(
                    ref for name, fact in facts.items() if fact.lineage
                    for ref in (getattr(node, name) or ())
                    if isinstance(ref, str)
                )
    return kind, item, lineage


def _section(data: Any, path: DataPath) -> str:
    """The section of the outline a text is in (`sections/framework/sections/vision`), or
    the plan's collection it belongs to (`targets`)."""
    cut = 1
    for index, part in enumerate(path):
        if part in ("sections", "appendices") and index + 1 < len(path):
            cut = index + 2
    return format_path(data, path[:cut])
