"""The choices of the commands, each defined once: the formats each one writes, the stages of
a validation, the report formats and severities. The library API checks its arguments
against these (a value outside them is a usage error, SP010) and the CLI takes its choices
from them."""

from __future__ import annotations

from typing import Any, Literal, get_args

RenderFormat = Literal["docx", "pdf", "html", "md"]
DiffFormat = Literal["docx", "pdf", "md", "json", "text"]
CompileFormat = Literal["docx", "pdf", "html", "md", "json"]
LineageFormat = Literal["md", "csv", "docx"]
ExportFormat = Literal["json", "csv"]
SmartFormat = Literal["text", "md", "csv", "docx", "html"]
ReportFormat = Literal["text", "json", "github", "sarif"]
Stage = Literal["draft", "final"]
FailOn = Literal["error", "warning", "info"]
# What the writers encode a document as.
DocumentFormat = Literal["docx", "pdf", "html", "md"]
# The ITU's six official languages, by their BCP 47 tags: a plan is written in English, and
# its editions in the other five (`render --lang`, `translations`).
Language = Literal["ar", "zh", "en", "fr", "ru", "es"]
SOURCE_LANGUAGE = "en"
# The official languages written right to left.
RIGHT_TO_LEFT: frozenset[str] = frozenset({"ar"})


def primary_language(tag: str) -> str:
    """A BCP 47 tag's language: fr for fr-CH, zh for zh-Hans-CN."""
    return tag.partition("-")[0].lower()


def choices(kind: Any) -> tuple[str, ...]:
    """The values of one of the Literals above, in order."""
    return tuple(get_args(kind))


def translated_languages() -> tuple[str, ...]:
    """The languages a plan is translated into: every official language but English."""
    return tuple(lang for lang in choices(Language) if lang != SOURCE_LANGUAGE)
