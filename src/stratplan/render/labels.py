"""The words the templates print of their own ("Purpose", "Goal 1", "Table 2"), in the
document's language, and its conventions for numbers and dates.

Each language has a message catalog shipped in the package, `templates/labels/<lang>.yaml`: the
English label as the key, its translation as the value, for translators to review; a
`--template-dir` may hold `labels/<lang>.yaml` whose entries override the packaged ones. The
templates print every label through the `_()` global: `_("Purpose")`, `_("Goal {number}",
number=3)`. A label a catalog lacks is printed in English.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from markupsafe import Markup, escape
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path
from stratplan.ir import UNTRANSLATED_END, UNTRANSLATED_START
from stratplan.model.errors import schema_diagnostics
from stratplan.model.finance import format_amount, format_percent
from stratplan.source.reader import read_yaml
from stratplan.templates import ROOT

__all__ = ["CATALOGS", "Labels", "catalog_path", "labels_for"]

CATALOGS = ROOT / "labels"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
_ENGLISH_DATE = re.compile(rf"^\s*(\d{{1,2}}) ({'|'.join(MONTHS)}) (\d{{4}})\s*$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NumberConventions(_Model):
    decimal: str = ","
    """The decimal separator."""
    group: str = " "
    """The thousands separator."""
    percent: str = "{value}%"
    """How a percentage is written: `{value}` is the number."""


class DateConventions(_Model):
    format: str = "{day} {month} {year}"
    """How a date is written: `{day}`, `{month}` (its name), `{year}`."""
    months: list[str] = Field(default_factory=lambda: list(MONTHS), min_length=12, max_length=12)
    """The names of the months, January first, as `{month}` prints them."""


class CatalogFile(_Model):
    """A message catalog: the labels of the document in one language."""

    language: str
    direction: Literal["ltr", "rtl"] = "ltr"
    numbers: NumberConventions = NumberConventions()
    dates: DateConventions = DateConventions()
    labels: dict[str, str] = Field(default_factory=dict)


@dataclass(frozen=True)
class Labels:
    """One language's labels and conventions, as the templates use them."""

    language: str = "en"
    labels: Mapping[str, str] = field(default_factory=dict)
    numbers: NumberConventions = field(default_factory=NumberConventions)
    dates: DateConventions = field(default_factory=DateConventions)
    direction: str = "ltr"

    def __call__(self, message: str, **values: Any) -> Markup:
        """The label `message` in this language, escaped, with `{name}` filled from `values`
        (escaped unless markup already). A translation that does not format is not used."""
        for text in (self.labels.get(message), message):
            if text is None:
                continue
            try:
                return Markup(escape(text)).format(**values) if values else Markup(escape(text))
            except (KeyError, IndexError, ValueError):
                continue
        return Markup(escape(message))

    def text(self, message: str) -> str:
        """The label `message` in this language, as plain text (for code, not templates)."""
        return self.labels.get(message, message)

    def amount(self, value: int) -> str:
        """An amount with this language's thousands separator: 651 671, -1 000."""
        return format_amount(value, self.numbers.group)

    def percent(self, value: Decimal) -> str:
        """A percentage with two decimals: 36,07% (English, as seed 004), 36,07 % (French)."""
        return format_percent(value, self.numbers.decimal, self.numbers.percent)

    def date(self, text: str | None) -> str:
        """A date written in English ("15 January 2026") in this language; any other text,
        which cannot be read as a date, is left in English, marked as such in an edition."""
        if not text:
            return ""
        if self.language == "en":
            return text
        found = _ENGLISH_DATE.match(text)
        if found is None:
            return f"{UNTRANSLATED_START}{text}{UNTRANSLATED_END}"
        day, month, year = int(found.group(1)), MONTHS.index(found.group(2)) + 1, found.group(3)
        try:
            dt.date(int(year), month, day)
        except ValueError:
            return f"{UNTRANSLATED_START}{text}{UNTRANSLATED_END}"
        return (self.dates.format.replace("{day}", str(day))
                .replace("{month}", self.dates.months[month - 1]).replace("{year}", year))


def catalog_path(language: str, folder: Path = CATALOGS) -> Path:
    return folder / f"{language}.yaml"


def _read(path: Path, language: str) -> CatalogFile:
    """A catalog file, checked; StratplanError (SP020, at the file) when it is unusable."""
    document = read_yaml(path)
    try:
        catalog = CatalogFile.model_validate(document.data)
    except ValidationError as exc:
        raise StratplanError([
            Diagnostic("SP020", Severity.ERROR, d.message, d.location, d.hint, io=True)
            for d in schema_diagnostics(exc, document.data, document.sources, CatalogFile)
        ]) from None
    if catalog.language != language:
        raise StratplanError([Diagnostic(
            "SP020", Severity.ERROR, f"the catalog says it is {catalog.language!r}, not "
            f"{language!r}", Location(display_path(path), 1, 1), io=True)])
    return catalog


@functools.lru_cache(maxsize=16)
def labels_for(language: str = "en", template_dir: Path | None = None) -> Labels:
    """The labels of `language`: the packaged catalog, its entries overridden by those of
    `<template_dir>/labels/<language>.yaml` where there is one."""
    packaged = catalog_path(language)
    catalog = _read(packaged, language) if packaged.is_file() else CatalogFile(language=language)
    labels = dict(catalog.labels)
    if template_dir is not None:
        override = catalog_path(language, template_dir / "labels")
        if override.is_file():
            own = _read(override, language)
            labels.update(own.labels)
            catalog = catalog.model_copy(update={
                name: getattr(own, name) for name in own.model_fields_set
                if name in ("direction", "numbers", "dates")})
    return Labels(language, labels, catalog.numbers, catalog.dates, catalog.direction)
