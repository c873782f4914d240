"""Key aliases from lineage: the old keys of an item that a new item `replaces`."""

from __future__ import annotations

from stratplan.model import Plan

# Keys each kind of item carries in the IR.
_KEYS = {"target": ("target", "targets-table"), "outcome": ("outcome",)}


def key_aliases(old_plan: Plan, new_plan: Plan) -> dict[str, str]:
    """Old key -> new key for every new target/outcome that replaces `<old period>/<id>`.

    A new item that replaces several old ones is aligned with the first that exists in the old
    plan (the others are deletions); an old item that is carried over under its own id, or that
    an earlier new item already took, is not aliased again. Kinds are not crossed: a target
    replaces a target and an outcome an outcome.
    """
    prefix = f"{old_plan.plan.period}/"
    old_ids = {
        "target": {t.id for t in old_plan.targets},
        "outcome": {o.id for o in old_plan.outcomes},
    }
    new_items = {
        "target": [(t.id, t.replaces) for t in new_plan.targets],
        "outcome": [(o.id, o.replaces) for o in new_plan.outcomes],
    }
    aliases: dict[str, str] = {}
    for kind, items in new_items.items():
        new_ids = {item_id for item_id, _ in items}
        for new_id, replaces in items:
            if new_id in old_ids[kind]:
                continue  # carried over: its own old item is its counterpart
            for ref in replaces:
                if not ref.startswith(prefix):
                    continue
                old_id = ref[len(prefix) :]
                if old_id not in old_ids[kind] or old_id in new_ids:
                    continue
                if f"{kind}:{old_id}" in aliases:
                    continue
                for name in _KEYS[kind]:
                    aliases[f"{name}:{old_id}"] = f"{name}:{new_id}"
                break
    return aliases
