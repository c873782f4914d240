"""The changes an import finds, typed: a `Modify` of a field, an `Add` to a list, a `Suppress`
of an item, each with who made it, when, and where in the document it was found.

`data` is the change as a contribution writes it (stratplan.model.contribution): the typed
change is what the stages build and test; the mapping is what is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stratplan.diagnostics import shorten


@dataclass(kw_only=True)
class FoundChange:
    """One change found in a reviewed file, before it is written as a contribution's."""

    author: str
    date: str  # YYYY-MM-DD, "" when the file gives none
    place: str  # where in the document, as the document names it
    comments: list[str] = field(default_factory=list)  # the reviewer's comments on it

    @property
    def data(self) -> dict[str, Any]:
        raise NotImplementedError

    @property
    def address(self) -> str:
        raise NotImplementedError

    def describe(self) -> str:
        """The change in a few words: "suppress targets/x", "add to outcomes: “text …”"."""
        data = self.data
        verb = next(v for v in ("modify", "add", "suppress") if v in data)
        what = f"{verb} {data[verb]}"
        if "field" in data:
            what += f" {data['field']}"
        item = data.get("item", data.get("value"))
        text = item.get("text") if isinstance(item, dict) else item
        return f"{what}: “{shorten(str(text))}”" if isinstance(text, str) else what


@dataclass(kw_only=True)
class Modify(FoundChange):
    """A new value of `field` of the item at `target` (no field: the value at `target`)."""

    target: str
    field: str | None = None
    value: Any

    @property
    def address(self) -> str:
        return self.target

    @property
    def data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"modify": self.target}
        if self.field is not None:
            out["field"] = self.field
        out["value"] = self.value
        return out


@dataclass(kw_only=True)
class Add(FoundChange):
    """A new `item` in the list at `listing`, after the item named `after` (its id, or its
    1-based position; 0 first; None at the end)."""

    listing: str
    after: str | int | None = None
    item: Any

    @property
    def address(self) -> str:
        return self.listing

    @property
    def data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"add": self.listing}
        if self.after is not None:
            out["after"] = self.after
        out["item"] = self.item
        return out


@dataclass(kw_only=True)
class Suppress(FoundChange):
    """The item at `target` taken out."""

    target: str

    @property
    def address(self) -> str:
        return self.target

    @property
    def data(self) -> dict[str, Any]:
        return {"suppress": self.target}


AnyChange = Modify | Add | Suppress
