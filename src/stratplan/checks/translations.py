"""Rules of the translations of a plan (`validate --lang`, `translations import`): what a
language edition lacks, and what a translated file brings back that cannot be taken. The
findings are made by `stratplan.translations`; the rules are their documentation."""

from __future__ import annotations

from stratplan.checks.rule import Rule, register
from stratplan.diagnostics import Severity


@register
class TranslationMissingRule(Rule):
    """A field of the plan has no translation in the language asked for.

    What it does: with `validate --lang L`, every translatable field of the plan (every text a
    reader reads: titles, texts, statements, paragraphs, footnotes, the cover's) is looked up
    in `translations/L.yaml` beside the plan, by its address. This reports each field that has
    none, or only a draft of one (state `initial`), with its count of English words. A warning
    while drafting; with `--stage final`, an error: the language's edition must be whole.

    Why: the edition shows such a field in English, marked, where its readers expect their
    language; the word counts are what is left to translate.

    How to fix: `stratplan translations export PLAN --lang L` writes what the language needs
    as XLIFF for the translators; `stratplan translations import FILE.xlf` takes their work
    back.
    """

    code = "SP711"
    name = "translation-missing"
    title = "field not translated"
    severity = Severity.WARNING
    stage = "translation"


@register
class TranslationStaleRule(Rule):
    """A translation translates an English text the plan no longer has.

    What it does: each translation records the hash of the English it translates. This
    reports each one whose field's English has changed since: exactly, by the hash, never by
    similarity. A change of spacing or of sentence punctuation only (. , ; : ! ? quotation
    marks, dashes) leaves the hash as it was (docs/guide/translations.md); a changed word,
    number, footnote reference or square bracket does not. A warning while drafting; with
    `--stage final`, an error.

    Why: the edition would print a translation of words the plan no longer says.

    How to fix: export again (`stratplan translations export PLAN --lang L`): the stale unit
    goes to the translators with its old translation and, as a note, the English it
    translated.
    """

    code = "SP712"
    name = "translation-stale"
    title = "translation of an English text that changed"
    severity = Severity.WARNING
    stage = "translation"


@register
class TranslationOrphanRule(Rule):
    """A translation file holds a translation of a field the plan does not have.

    What it does: reports each unit of `translations/L.yaml` whose address names no
    translatable field of the plan.

    Why: the field was removed, or renamed (a new id is a new address); its translation is
    used nowhere.

    How to fix: delete the unit, or correct its address to the field's new one.
    """

    code = "SP713"
    name = "translation-orphan"
    title = "translation of no field"
    severity = Severity.WARNING
    stage = "translation"


@register
class TranslationFileRule(Rule):
    """A translation file cannot be used.

    What it does: `translations/L.yaml` is read like a plan file (safe YAML, located
    problems, SP001-SP008, and the shape of a translation file, SP100); this reports a file
    whose `language:` is not the language its name says.

    How to fix: name the file after its language (`fr.yaml` holds `language: fr`).
    """

    code = "SP714"
    name = "translation-file"
    title = "translation file unusable"
    severity = Severity.ERROR
    stage = "translation"


@register
class XliffUnitRefusedRule(Rule):
    """A unit of a translated XLIFF file was not taken.

    What it does: `translations import` takes a unit only when its id is the address of a
    field of the plan, its source is still that field's English (by hash), and its target
    keeps the source's inline markup: each `[^id]` footnote reference as often, and as many
    square brackets, balanced. Each other unit is reported here with what is wrong, and
    nothing of it is written; the units that pass are written.

    Why: a translation of an English text that changed since the export would be recorded as
    current; a lost footnote reference or bracket would change what the edition says.

    How to fix: export again for a changed field; put the footnote references and brackets
    back in the translation.
    """

    code = "SP715"
    name = "xliff-unit-refused"
    title = "XLIFF unit refused"
    severity = Severity.ERROR
    stage = "translation"


@register
class XliffFileRule(Rule):
    """An XLIFF file cannot be imported.

    What it does: `translations import` reads the file as data: XML without a DOCTYPE,
    entities or network access, at most 64 MiB, XLIFF 2 (`<xliff version="2.0">`) from `en`
    into one of ar, zh, fr, ru, es, with one `<file>` for one plan (its id the plan's period).
    This reports a file that is none of these, or whose plan is not the one given.

    How to fix: export the file from the CAT tool as XLIFF 2.0, from the file
    `translations export` wrote.
    """

    code = "SP716"
    name = "xliff-file"
    title = "XLIFF file unusable"
    severity = Severity.ERROR
    stage = "translation"
