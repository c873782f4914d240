"""Translation files: `plans/<cycle>/translations/<lang>.yaml`, one per language, beside the
plan and in git with it, read with the plans' safe loader and its source map.

    # stratplan translations: French (fr). Written by `stratplan translations import`.
    translation:
      language: fr
    units:
      targets/coverage/text:          # the field's address, as contributions address it
        text: Couverture universelle par le haut débit
        state: translated              # XLIFF's initial, translated, reviewed or final
        hash: 3f9a1c0d2e4b5a6f         # of the English it translates (units.text_hash)
        source: Universal broadband coverage   # that English, for the translator's notes

The folder is a subfolder of the plan's: the plan loader reads the YAML files of the plan
folder itself, never those below it, so a translation is never mistaken for part of the plan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from ruamel.yaml.comments import CommentedMap

from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path
from stratplan.formats import Language, translated_languages
from stratplan.model.errors import schema_diagnostics
from stratplan.source.reader import SourceMap, YamlDocument, read_yaml
from stratplan.source.roundtrip import dump_text, round_trip_yaml
from stratplan.translations.units import HASH_LENGTH

__all__ = [
    "FOLDER",
    "USABLE",
    "LoadedTranslation",
    "State",
    "Translated",
    "TranslationFile",
    "entry",
    "language_name",
    "load_translation",
    "translation_path",
    "translation_yaml",
]

FOLDER = "translations"
# XLIFF 2's states of a translation: `initial` is not one yet (a draft, or none), the others
# are, each a step further: translated, reviewed by a second translator, final.
State = Literal["initial", "translated", "reviewed", "final"]
USABLE: frozenset[str] = frozenset({"translated", "reviewed", "final"})
NAMES = {"ar": "Arabic", "zh": "Chinese", "en": "English", "fr": "French", "ru": "Russian",
         "es": "Spanish"}


def language_name(language: str) -> str:
    """A language's English name: "French" for fr."""
    return NAMES.get(language, language)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("the translation is empty; leave the unit out instead")
    return value


def _translated_language(value: str) -> str:
    if value not in translated_languages():
        raise ValueError(f"{value!r} is not a language plans are translated into: "
                         + ", ".join(translated_languages()))
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Translated(_Model):
    """One field's translation."""

    text: Annotated[str, AfterValidator(_not_blank)]
    """The translated text, with the English's `[^id]` footnote references and square
    brackets."""
    state: State = "translated"
    """initial (not a translation yet), translated, reviewed or final, as in XLIFF 2."""
    hash: Annotated[str, Field(pattern=f"^[0-9a-f]{{{HASH_LENGTH}}}$")]
    """The hash of the English it translates: when the English's hash differs, it is
    stale."""
    source: str | None = None
    """The English it translates, as the translator saw it (shown again when it is stale)."""


class TranslationMeta(_Model):
    language: Annotated[Language, AfterValidator(_translated_language)]
    """The language, a BCP 47 tag: ar, zh, fr, ru or es (the file is named after it)."""


class TranslationFile(_Model):
    """A translation file of a plan."""

    translation: TranslationMeta
    units: dict[str, Translated] = Field(default_factory=dict)
    """The translations, by the address of the field they translate."""


def translation_path(folder: Path, language: str) -> Path:
    """Where a plan's translation into `language` is kept."""
    return folder / FOLDER / f"{language}.yaml"


@dataclass
class LoadedTranslation:
    """A plan's translation file as read: its model (None when it is absent or cannot be
    used), where its values are, and its problems."""

    path: Path
    language: str
    file: TranslationFile | None = None
    sources: SourceMap | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def units(self) -> dict[str, Translated]:
        return self.file.units if self.file is not None else {}

    def locate(self, address: str) -> Location:
        """Where the translation of `address` is in the file (or the file)."""
        where = self.sources.locate(("units", address)) if self.sources is not None else None
        return where or Location(display_path(self.path))


def load_translation(
    folder: Path, language: str, read: Callable[[Path], YamlDocument] = read_yaml
) -> LoadedTranslation:
    """The translation of the plan in `folder` into `language`; an absent file is an empty
    translation, a file that cannot be used one with its problems (located)."""
    path = translation_path(folder, language)
    loaded = LoadedTranslation(path, language)
    if not path.exists():
        return loaded
    try:
        document = read(path)
    except StratplanError as exc:
        loaded.diagnostics = list(exc.diagnostics)
        return loaded
    loaded.sources = document.sources
    data = document.data if document.data is not None else {}
    try:
        loaded.file = TranslationFile.model_validate(data)
    except ValidationError as exc:
        loaded.diagnostics = schema_diagnostics(exc, data, document.sources, TranslationFile)
        return loaded
    if loaded.file.translation.language != language:
        loaded.diagnostics.append(Diagnostic(
            "SP714", Severity.ERROR,
            f"the file says it is {language_name(loaded.file.translation.language)} "
            f"({loaded.file.translation.language}), but it is the {language_name(language)} "
            f"file ({path.name})",
            document.sources.locate(("translation", "language")),
            f"rename it {loaded.file.translation.language}.yaml, or correct `language:`",
        ))
        loaded.file = None
    return loaded


def translation_yaml(language: str, units: Iterable[tuple[str, Translated]]) -> str:
    """A translation file's text: its units in the order given (the plan's)."""
    document = CommentedMap()
    document["translation"] = CommentedMap(language=language)
    entries = CommentedMap()
    for address, unit in units:
        entry = CommentedMap()
        entry["text"] = unit.text
        entry["state"] = unit.state
        entry["hash"] = unit.hash
        if unit.source is not None:
            entry["source"] = unit.source
        entries[address] = entry
    document["units"] = entries
    document.yaml_set_start_comment(
        f"stratplan translations: {language_name(language)} ({language}) of the plan in the "
        "folder above.\nWritten by `stratplan translations import` and `stratplan new`; each "
        "unit records the\nhash of the English it translates (docs/guide/translations.md).")
    return dump_text(round_trip_yaml(), document)


def entry(text: str, english: str, hash_: str, state: State = "translated") -> Translated:
    """A translation of `english` (whose hash is `hash_`)."""
    return Translated(text=text, state=state, hash=hash_, source=english)
