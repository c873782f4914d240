"""A language edition of a plan: the plan with each translatable field in that language where
its translation is current, and in English, marked, where it is missing or stale.

The marks (`ir.UNTRANSLATED_START` ... `ir.UNTRANSLATED_END`) travel with the text through the
templates, which need not know of them; the markup parser turns the text between them into
runs in English, which every writer shows as such. Never silently: a reader of the edition
sees which texts are not in its language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from stratplan.ir import UNTRANSLATED_END, UNTRANSLATED_START
from stratplan.model.facts import DataPath
from stratplan.model.plan import Plan
from stratplan.translations.status import LanguageStatus
from stratplan.translations.units import Unit

__all__ = ["Edition", "edition_plan", "untranslated"]

_MARKS = str.maketrans("", "", UNTRANSLATED_START + UNTRANSLATED_END)
_LEAF = object()


def untranslated(text: str) -> str:
    """English text marked as such in an edition."""
    return f"{UNTRANSLATED_START}{text.translate(_MARKS)}{UNTRANSLATED_END}"


@dataclass
class Edition:
    """A plan in one language, and what of it is still in English."""

    plan: Plan
    language: str
    translated: int = 0
    in_english: list[Unit] = field(default_factory=list)


def edition_plan(plan: Plan, status: LanguageStatus) -> Edition:
    """The plan in `status.language`: every current translation in place of its English, the
    English of every other field marked as untranslated."""
    texts: dict[DataPath, str] = {}
    edition = Edition(plan, status.language)
    for unit_status in status.units:
        unit = unit_status.unit
        if unit_status.condition == "current" and unit_status.entry is not None:
            texts[unit.path] = unit_status.entry.text.translate(_MARKS)
            edition.translated += 1
        else:
            texts[unit.path] = untranslated(unit.text)
            edition.in_english.append(unit)
    trie: dict[Any, Any] = {}
    for path, text in texts.items():
        node = trie
        for part in path:
            node = node.setdefault(part, {})
        node[_LEAF] = text
    rebuilt = _rebuild(plan, trie)
    meta = rebuilt.plan.model_copy(update={"language": status.language})
    edition.plan = rebuilt.model_copy(update={"plan": meta})
    return edition


def _rebuild(node: Any, trie: dict[Any, Any]) -> Any:
    """`node` with the texts of `trie` put in place, copying only what leads to them."""
    if _LEAF in trie:
        return trie[_LEAF]
    if isinstance(node, BaseModel):
        return node.model_copy(update={
            name: _rebuild(getattr(node, name), inner) for name, inner in trie.items()})
    if isinstance(node, list):
        items = list(node)
        for index, inner in trie.items():
            items[index] = _rebuild(items[index], inner)
        return items
    if isinstance(node, dict):
        copy = dict(node)
        for key, inner in trie.items():
            copy[key] = _rebuild(copy[key], inner)
        return copy
    return node
