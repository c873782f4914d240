"""Memory across cycles: which English of a new plan is new, changed or reused from an earlier
one (the United Nations' "previously published text", which is not translated again), and the
translations that come along with what is reused.

A field of the new plan is paired with the field of the old plan that it continues: the same
address (ids survive from cycle to cycle), else the same address under the item its item
`replaces` (lineage). Paired, it is reused when its English is the old one's (by hash),
changed otherwise; unpaired, it is reused when the old plan has its English anywhere (a
paragraph moved), else new.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stratplan.model.address import join, read_ref, split
from stratplan.translations.status import condition_of
from stratplan.translations.store import Translated
from stratplan.translations.units import Unit

__all__ = ["Reuse", "carry", "reuse", "reuse_report"]


@dataclass
class Reuse:
    """The new plan's fields by what translating it costs: new, changed, reused; each reused or
    changed field with the old field it continues."""

    new: list[Unit] = field(default_factory=list)
    changed: list[tuple[Unit, Unit]] = field(default_factory=list)
    reused: list[tuple[Unit, Unit]] = field(default_factory=list)

    def words(self) -> tuple[int, int, int]:
        return (sum(u.words for u in self.new), sum(u.words for u, _ in self.changed),
                sum(u.words for u, _ in self.reused))


def _candidates(unit: Unit) -> list[str]:
    """The old addresses a new field may continue: its own, then its address with its item's
    id replaced by each id the item replaces."""
    found = [unit.address]
    segments = split(unit.address)
    at = [i for i, segment in enumerate(segments) if segment == unit.item]
    for ref in unit.lineage if at else ():
        _, old_id = read_ref(ref)
        found.append(join(*segments[: at[-1]], old_id, *segments[at[-1] + 1 :]))
    return found


def reuse(old: list[Unit], new: list[Unit]) -> Reuse:
    """The new plan's fields as new, changed or reused from the old plan's."""
    by_address = {u.address: u for u in old}
    by_hash: dict[str, Unit] = {}
    for unit in old:
        by_hash.setdefault(unit.hash, unit)
    out = Reuse()
    for unit in new:
        before = next((by_address[a] for a in _candidates(unit) if a in by_address), None)
        if before is not None and before.hash == unit.hash:
            out.reused.append((unit, before))
        elif unit.hash in by_hash:
            out.reused.append((unit, by_hash[unit.hash]))
        elif before is not None:
            out.changed.append((unit, before))
        else:
            out.new.append(unit)
    return out


def carry(
    found: Reuse, old: dict[str, Translated], new: dict[str, Translated]
) -> tuple[dict[str, Translated], int, int]:
    """The new plan's translations in one language after carrying the old plan's: each
    translation of a reused field (current), and of a changed field (now stale: its translator
    sees the old translation and the old English), where the new plan has none of its own.
    Returns them, and how many were carried current and stale."""
    out = dict(new)
    current = stale = 0
    for pairs, is_reused in ((found.reused, True), (found.changed, False)):
        for unit, before in pairs:
            translation = old.get(before.address)
            if unit.address in out or translation is None:
                continue
            if condition_of(before, translation) != "current":
                continue
            out[unit.address] = translation
            if is_reused:
                current += 1
            else:
                stale += 1
    return out, current, stale


def reuse_report(old_period: str, new_period: str, found: Reuse) -> str:
    """How many words of the new plan are new, changed and reused from the old one."""
    new, changed, reused = found.words()
    total = new + changed + reused

    def share(words: int) -> str:
        return f"{100 * words / total:.0f}%" if total else "-"

    return "\n".join([
        f"English of the {new_period} plan against the {old_period} plan "
        "(fields / words):",
        f"  new      {len(found.new):>5} / {new:>6}  {share(new):>4}",
        f"  changed  {len(found.changed):>5} / {changed:>6}  {share(changed):>4}",
        f"  reused   {len(found.reused):>5} / {reused:>6}  {share(reused):>4}  "
        "(previously published text)",
    ])
