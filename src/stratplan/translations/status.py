"""Which translations of a plan are current, stale or missing, per language, with their words;
and the diagnostics `validate --lang` reports for them (SP711-SP713)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from stratplan.diagnostics import Diagnostic, Location, Severity, shorten
from stratplan.model.facts import DataPath
from stratplan.translations.store import USABLE, LoadedTranslation, Translated, language_name
from stratplan.translations.units import Unit

__all__ = ["Condition", "LanguageStatus", "UnitStatus", "language_status", "status_table"]

# current: translated, and the English is the one it translates; stale: the English changed
# since; missing: no translation, or only a draft of one (state initial).
Condition = Literal["current", "stale", "missing"]


@dataclass(frozen=True)
class UnitStatus:
    unit: Unit
    condition: Condition
    entry: Translated | None = None


@dataclass
class LanguageStatus:
    """One language's translation of a plan."""

    language: str
    units: list[UnitStatus]
    translation: LoadedTranslation
    orphans: list[str] = field(default_factory=list)  # translations of no field of the plan

    def of(self, condition: Condition) -> list[UnitStatus]:
        return [u for u in self.units if u.condition == condition]

    def words(self, condition: Condition) -> int:
        return sum(u.unit.words for u in self.of(condition))

    def needed(self) -> list[UnitStatus]:
        """What a translator has to do: the stale and the missing units, in the plan's order."""
        return [u for u in self.units if u.condition != "current"]

    def current(self) -> dict[str, str]:
        """The current translations' texts, by address."""
        return {u.unit.address: u.entry.text for u in self.units
                if u.condition == "current" and u.entry is not None}


def condition_of(unit: Unit, entry: Translated | None) -> Condition:
    if entry is None or entry.state not in USABLE:
        return "missing"
    return "current" if entry.hash == unit.hash else "stale"


def language_status(units: list[Unit], translation: LoadedTranslation) -> LanguageStatus:
    """How far the translation of these units into its language is."""
    known = translation.units
    statuses = [UnitStatus(u, condition_of(u, known.get(u.address)), known.get(u.address))
                for u in units]
    addresses = {u.address for u in units}
    orphans = [address for address in known if address not in addresses]
    return LanguageStatus(translation.language, statuses, translation, orphans)


def status_table(period: str, statuses: list[LanguageStatus]) -> str:
    """The report over languages (`translations status`): per language, the units and words
    current, stale and missing."""
    lines = [f"translations of the {period} plan (units / English words)",
             f"{'language':<12} {'current':>13} {'stale':>13} {'missing':>13}"]
    for status in statuses:
        cells = [f"{len(status.of(c)):>5} / {status.words(c):>5}"
                 for c in ("current", "stale", "missing")]
        name = f"{language_name(status.language)} ({status.language})"
        lines.append(f"{name:<12} " + " ".join(f"{cell:>13}" for cell in cells))
    return "\n".join(lines)


def status_diagnostics(
    status: LanguageStatus, final: bool, locate: Callable[[DataPath], Location | None]
) -> list[Diagnostic]:
    """A missing (SP711) or stale (SP712) translation is a warning, an error at the final
    stage, where the language's edition must be whole; a translation of a field the plan no
    longer has (SP713) is a warning. `locate` places an English text in the plan's files."""
    severity = Severity.ERROR if final else Severity.WARNING
    name = language_name(status.language)
    command = f"stratplan translations export PLAN --lang {status.language}"
    out = list(status.translation.diagnostics)
    for unit_status in status.units:
        unit = unit_status.unit
        words = f"{unit.words} word{'s' if unit.words != 1 else ''}"
        if unit_status.condition == "missing":
            draft = unit_status.entry is not None
            out.append(Diagnostic(
                "SP711", severity,
                f"{unit.address}: no {name} translation ({words})"
                + (": only a draft (state initial)" if draft else ""),
                locate(unit.path), f"translate it: {command}", path=unit.path,
                subject=f"{unit.address} in {status.language}",
            ))
        elif unit_status.condition == "stale":
            entry = unit_status.entry
            was = f" (was: {shorten(entry.source)!r})" if entry and entry.source else ""
            out.append(Diagnostic(
                "SP712", severity,
                f"{unit.address}: the {name} translation is stale: the English changed since "
                f"it was translated{was} ({words})",
                status.translation.locate(unit.address),
                f"translate it again: {command}",
                subject=f"{unit.address} in {status.language}",
            ))
    for address in status.orphans:
        out.append(Diagnostic(
            "SP713", Severity.WARNING,
            f"{address}: a {name} translation of a field the plan does not have",
            status.translation.locate(address),
            "the field was removed or renamed: delete the unit, or correct its address",
            subject=f"{address} in {status.language}",
        ))
    return out
