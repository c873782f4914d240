"""Key aliases from lineage: the old keys of an item that a new item `replaces`."""

from __future__ import annotations

from stratplan import keys
from stratplan.model.address import read_ref
from stratplan.model.facts import collections, field_facts
from stratplan.model.plan import Plan


def key_aliases(old_plan: Plan, new_plan: Plan) -> dict[str, str]:
    """Old key -> new key for every new item that replaces `<old period>/<id>`.

    The items that can replace are those of the plan's collections with a lineage field
    (`replaces`); their blocks carry keys `<kind>:<id>` (and `<kind>:<id>/<part>`, which the
    aligner resolves through the item's alias). A new item that replaces several old ones is
    aligned with the first that exists in the old plan (the others are deletions); an old item
    that is carried over under its own id, or that an earlier new item already took, is not
    aliased again. Kinds are not crossed: a target replaces a target and an outcome an outcome.
    """
    aliases: dict[str, str] = {}
    for collection, model in collections(Plan).items():
        facts = field_facts(model)
        if not any(f.lineage for f in facts.values()) or "replaces" not in facts:
            continue
        kind = getattr(model, "kind", collection)
        old_ids = {item.id for item in getattr(old_plan, collection)}
        new_items = [(item.id, item.replaces) for item in getattr(new_plan, collection)]
        new_ids = {item_id for item_id, _ in new_items}
        for new_id, replaces in new_items:
            if new_id in old_ids:
                continue  # carried over: its own old item is its counterpart
            for ref in replaces:
                period, old_id = read_ref(ref)
                if period != old_plan.plan.period:
                    continue
                if old_id not in old_ids or old_id in new_ids:
                    continue
                if keys.key(kind, old_id) in aliases:
                    continue
                aliases[keys.key(kind, old_id)] = keys.key(kind, new_id)
                break
    return aliases
