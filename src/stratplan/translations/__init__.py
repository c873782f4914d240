"""Translations: data about the English text of a plan.

Each translatable field of each item (every `PROSE` field of the model, addressed as
contributions address it) has, per language, a text, a state and the hash of the English it
translates (`plans/<cycle>/translations/<lang>.yaml`). A translation is current when that hash
is the English's, stale when the English changed, missing when there is none: exactly, never
by similarity (`units`, `store`, `status`). Translators get what a language needs as XLIFF 2
and give it back (`xliff`); an edition is the plan with its translated texts (`edition`);
a new cycle keeps every translation whose English it keeps (`memory`).
"""
