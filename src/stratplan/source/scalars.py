"""Scalars that remember how they were written: YAML reads `1.10` as a number and `yes` as
text; a text field of the model keeps `1.10`, a number field gets the number."""

from __future__ import annotations

from typing import Any

__all__ = ["RawBool", "RawFloat", "RawInt", "raw_text"]


class RawInt(int):
    """An int that remembers how it was written, so text fields can keep `007`."""

    raw: str

    def __new__(cls, value: int, raw: str) -> RawInt:
        obj = super().__new__(cls, value)
        obj.raw = raw
        return obj

    # Immutable: a copy of the data (an amendment in memory) shares it.
    def __deepcopy__(self, memo: dict[int, Any]) -> RawInt:
        return self

    def __reduce__(self) -> tuple[type[RawInt], tuple[int, str]]:
        return (type(self), (int(self), self.raw))


class RawFloat(float):
    """A float that remembers how it was written, so text fields keep `1.10`, not 1.1."""

    raw: str

    def __new__(cls, value: float, raw: str) -> RawFloat:
        obj = super().__new__(cls, value)
        obj.raw = raw
        return obj

    # Immutable: a copy of the data (an amendment in memory) shares it.
    def __deepcopy__(self, memo: dict[int, Any]) -> RawFloat:
        return self

    def __reduce__(self) -> tuple[type[RawFloat], tuple[float, str]]:
        return (type(self), (float(self), self.raw))


class RawBool(int):
    """A bool-like scalar (true/false) that remembers its text; bool cannot be subclassed."""

    raw: str

    def __new__(cls, value: bool, raw: str) -> RawBool:
        obj = super().__new__(cls, int(value))
        obj.raw = raw
        return obj

    # Immutable: a copy of the data (an amendment in memory) shares it.
    def __deepcopy__(self, memo: dict[int, Any]) -> RawBool:
        return self

    def __reduce__(self) -> tuple[type[RawBool], tuple[bool, str]]:
        return (type(self), (bool(self), self.raw))


def raw_text(value: Any) -> Any:
    """The source text of a scalar the YAML resolved to a number or bool; else the value."""
    if isinstance(value, RawInt | RawFloat | RawBool):
        return value.raw
    return value
