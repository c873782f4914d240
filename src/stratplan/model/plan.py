"""The strategic plan as pydantic models: one schema for three generations of the framework.

Identity is not numbering: every item that a reader can point at has a stable `id` (a slug);
goal, target, outcome, paragraph and section numbers are computed from order when rendering.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from stratplan.model.facts import LINEAGE, PROSE, RefTo
from stratplan.source.scalars import RawBool, raw_text


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _text(value: Any) -> Any:
    # YAML reads `1.10` as a float and `2026` as an int; text fields keep what was written.
    return raw_text(value)


def _not_blank(value: str) -> str:
    # An empty title or paragraph renders as an empty line of the document, and a diff
    # aligns nothing with it: a text field says something or is left out.
    if not value.strip():
        raise ValueError("the text is empty (or only spaces); write it, or leave the key out")
    return value


def _number(value: Any) -> Any:
    # YAML's true/false are ints to Python, and pydantic would read `true` as the amount 1.
    if isinstance(value, RawBool | bool):
        raise ValueError(f"{raw_text(value)} is not a number")
    return value


# Text that is a name, a code or a source, not prose of the document.
Text = Annotated[str, BeforeValidator(_text)]
# Text of the document: what a reader reads (footnote references, brackets are checked in it).
Prose = Annotated[str, BeforeValidator(_text), AfterValidator(_not_blank), PROSE]
# Text of the document that may be empty, where the source documents have it empty: a
# footnote, a table's column heading or cell (seeds 001 and 004).
BlankProse = Annotated[str, BeforeValidator(_text), PROSE]
# Word keeps a document's title and subject in its core properties, at most 255 characters.
MAX_PROPERTY = 255
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
REF_PATTERN = r"^([0-9]{4}-[0-9]{4}/)?[a-z0-9][a-z0-9-]*$"
PERIOD_PATTERN = r"^[0-9]{4}-[0-9]{4}$"
# Constraints before the validator: that order keeps the pattern in the JSON Schema.
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN), BeforeValidator(_text)]
Ref = Annotated[str, StringConstraints(pattern=REF_PATTERN), BeforeValidator(_text)]
# References are declared on the field: rule SP102 checks every `RefTo`, SP601 every LINEAGE.
GoalRef = Annotated[Ref, RefTo("goals")]
PriorityRef = Annotated[Ref, RefTo("priorities")]
SectorRef = Annotated[Ref, RefTo("sectors")]
ObjectiveRef = Annotated[Ref, RefTo("objectives")]
OutcomeRef = Annotated[Ref, RefTo("outcomes")]
LineageRef = Annotated[Ref, LINEAGE]
FIRST_YEAR, LAST_YEAR = 1865, 2200  # the ITU's founding; far enough ahead for any plan


def _period(value: str) -> str:
    first, last = (int(year) for year in value.split("-"))
    if not FIRST_YEAR <= first <= LAST_YEAR or not FIRST_YEAR <= last <= LAST_YEAR:
        raise ValueError(f"period {value} is not between {FIRST_YEAR} and {LAST_YEAR}")
    if last <= first:
        raise ValueError(f"period {value} does not end after it starts")
    return value


def _date(value: str) -> str:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value} is not a date of the calendar") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"{value} is not between {FIRST_YEAR} and {LAST_YEAR}")
    return value


Period = Annotated[
    str,
    StringConstraints(pattern=PERIOD_PATTERN),
    BeforeValidator(_text),
    AfterValidator(_period),
]
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR), BeforeValidator(_number)]
Amount = Annotated[int, BeforeValidator(_number)]
IsoDate = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
    BeforeValidator(_text),
    AfterValidator(_date),
]
# A BCP 47 language tag, as Word's w:lang takes it: en, fr, en-GB, zh-Hans-CN.
Language = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$", max_length=35),
    BeforeValidator(_text),
]

FOOTNOTE_REF = re.compile(r"\[\^([A-Za-z0-9_-]+)\]")


# --- drafting data -------------------------------------------------------------------------


class Comment(Model):
    """An editorial comment (a Word comment), anchored on the element that carries it."""

    author: Text
    text: Prose
    date: IsoDate | None = None
    anchor: Text | None = Field(
        default=None, description="The words of the element the comment covers (default: all)."
    )


class Alternative(Model):
    """Alternative wording proposed by a named source, shown after the base text."""

    source: Text = Field(description="Who proposes it, e.g. 'CWG-SFP Chair' or 'TSAG'.")
    text: Prose


class Para(Model):
    """A paragraph: text with `[^footnote-id]` references, comments, alternatives, sub-items."""

    kind: ClassVar[str] = "p"  # the IR key prefix of its blocks

    id: Id | None = None
    text: Prose
    numbered: bool = Field(
        default=True, description="Takes a paragraph number where the plan numbers paragraphs."
    )
    items: list[Rich] = Field(default_factory=list, description="A list under this paragraph.")
    list_style: Literal["bullet", "dash", "number", "letter", "paren-number", "plain"] = "bullet"
    comments: list[Comment] = Field(default_factory=list)
    alternatives: list[Alternative] = Field(default_factory=list)


def _to_para(value: Any) -> Any:
    value = raw_text(value)
    if isinstance(value, str):
        return {"text": value}
    return value


Rich = Annotated[Para, BeforeValidator(_to_para, json_schema_input_type=str | Para)]


class Cell(Para):
    """A table cell: a paragraph that may be empty."""

    text: BlankProse


CellRich = Annotated[Cell, BeforeValidator(_to_para, json_schema_input_type=str | Cell)]


class Show(Model):
    """A block of structured content placed in a section: `show: targets`, `show: table:rbm`."""

    show: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z-]*(:[A-Za-z0-9][A-Za-z0-9-]*)?$")]


def _to_block(value: Any) -> Any:
    value = raw_text(value)
    if isinstance(value, str):
        return {"text": value}
    return value


def _block_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "show" if "show" in value else "para"
    return "show" if isinstance(value, Show) else "para"


# A mapping with `show:` is a placement, anything else a paragraph: one discriminator keeps
# pydantic from reporting each wrong block twice (once per union member).
Block = Annotated[
    Annotated[Show, Tag("show")] | Annotated[Para, Tag("para")],
    Discriminator(_block_kind),
    BeforeValidator(_to_block, json_schema_input_type=str | Show | Para),
]


# --- metadata ------------------------------------------------------------------------------


class PlanMeta(Model):
    title: Prose = Field(
        max_length=MAX_PROPERTY, description="e.g. 'ITU strategic plan for 2024-2027'"
    )
    period: Period
    framework: Literal["sectoral", "objectives", "thematic"] = Field(
        description="sectoral: 2012-2015; objectives: 2020-2023; thematic: 2024-2027 onwards"
    )
    resolution: Prose = Field(
        max_length=MAX_PROPERTY, description="e.g. 'Resolution 71 (Rev. Bucharest, 2022)'"
    )
    annex: Prose | None = Field(
        default=None, max_length=MAX_PROPERTY, description="The annex heading, as the seed has it."
    )
    status: Literal["draft", "adopted"]
    previous: Period | None = None
    date: IsoDate | None = Field(
        default=None,
        description="Date of this text (YYYY-MM-DD), where the seed states it; documents take "
        "their dates from it (else 1 January of the period's first year).",
    )
    target_horizon: Year | None = Field(
        default=None, description="Last year a target deadline may have (e.g. 2030)."
    )
    paragraph_numbering: Literal["global", "section", "none"] = "none"
    language: Language = "en"
    subject: Prose | None = Field(default=None, max_length=MAX_PROPERTY)

    @field_validator("previous")
    @classmethod
    def _previous_comes_before(cls, value: str | None, info: ValidationInfo) -> str | None:
        period = info.data.get("period")
        if value is not None and period is not None and value.split("-")[0] >= period[:4]:
            raise ValueError(f"the previous cycle {value} does not start before {period}")
        return value

    @property
    def document_date(self) -> str:
        """The date every dated thing of the document carries: `date`, else 1 January of the
        period's first year (never the clock, so a render is reproducible)."""
        return self.date or f"{self.period.split('-')[0]}-01-01"


class Cover(Model):
    """The Council cover block."""

    heading: Prose | None = Field(default=None, description="e.g. 'ITU STRATEGIC PLAN 2020-2023'")
    meeting: Prose | None = None
    place_dates: Prose | None = None
    agenda_item: Prose | None = None
    document: Prose | None = None
    date: Text | None = None
    original: Prose | None = None
    title: Prose | None = None
    purpose: list[Rich] = Field(default_factory=list)
    action_required: list[Rich] = Field(default_factory=list)
    references: list[Rich] = Field(default_factory=list)


class Value(Model):
    name: Prose
    text: Prose


class Term(Model):
    term: Prose
    description: Rich


class Table(Model):
    """A table of plain text that is not part of the results chain (e.g. the RBM framework)."""

    id: Id
    title: Prose | None = None
    columns: list[BlankProse] = Field(default_factory=list)
    rows: list[list[CellRich]] = Field(default_factory=list)
    comments: list[Comment] = Field(default_factory=list)


class Section(Model):
    kind: ClassVar[str] = "s"  # the IR key prefix of its blocks

    id: Id
    title: Rich | None = None
    numbered: bool = True
    child_numbering: Literal["decimal", "letter"] = "decimal"
    content: list[Block] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    comments: list[Comment] = Field(default_factory=list)


# --- SMART fields --------------------------------------------------------------------------


class Baseline(Model):
    value: Text | None = None
    year: Year | None = None


class SdgLink(Model):
    target: Text = Field(description="SDG target code, e.g. '9.c'")
    indicators: list[Text] = Field(default_factory=list, description="e.g. ['9.c.1']")


class Smart(Model):
    unit: Text | None = None
    data_source: Text | None = None
    custodian: Text | None = None
    sdg_indicators: list[Text] = Field(default_factory=list)
    baseline: Baseline | None = None
    target_value: Text | None = None
    deadline: Year | None = None
    disaggregation: list[Text] = Field(default_factory=list)


class Indicator(Smart):
    kind: ClassVar[str] = "indicator"  # the IR key prefix of its blocks

    id: Id
    text: Prose
    items: list[Prose] = Field(default_factory=list, description="Sub-indicators (bullets).")
    comments: list[Comment] = Field(default_factory=list)
    alternatives: list[Alternative] = Field(default_factory=list)


# --- the results chain ---------------------------------------------------------------------


class Goal(Model):
    kind: ClassVar[str] = "goal"  # the IR key prefix of its blocks

    id: Id
    title: Prose = Field(description="e.g. 'Universal Connectivity' or 'Growth'")
    statement: Prose | None = None
    description: list[Rich] = Field(default_factory=list)
    owner: Prose | None = Field(default=None, description="2012-2015: the Sector or GS")
    points: list[Rich] = Field(default_factory=list)
    sdg_links: list[SdgLink] = Field(default_factory=list)
    comments: list[Comment] = Field(default_factory=list)
    alternatives: list[Alternative] = Field(default_factory=list)


class Target(Smart):
    kind: ClassVar[str] = "target"  # the IR key prefix of its blocks

    id: Id
    goal: GoalRef
    text: Prose
    indicators: list[Indicator] = Field(default_factory=list)
    replaces: list[LineageRef] = Field(
        default_factory=list, description="Items of the previous cycle this target replaces."
    )
    lineage_note: Prose | None = None
    comments: list[Comment] = Field(default_factory=list)
    alternatives: list[Alternative] = Field(default_factory=list)


class Outcome(Model):
    """An outcome of a thematic priority, with its outcome indicators."""

    kind: ClassVar[str] = "outcome"  # the IR key prefix of its blocks

    id: Id
    priority: PriorityRef
    text: Prose
    proposed_by: Text | None = Field(
        default=None,
        description="Set when the outcome belongs to a named source's alternative for the "
        "priority (see Priority.alternatives).",
    )
    items: list[Rich] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    goals: list[GoalRef] = Field(default_factory=list)
    replaces: list[LineageRef] = Field(default_factory=list)
    comments: list[Comment] = Field(default_factory=list)
    alternatives: list[Alternative] = Field(default_factory=list)


class PriorityAlternative(Model):
    """A named source's alternative title for a thematic priority; its outcomes are the
    outcomes of the priority whose `proposed_by` names the same source."""

    source: Text
    title: Prose


class Priority(Model):
    """A thematic priority (2024-2027 onwards)."""

    kind: ClassVar[str] = "priority"  # the IR key prefix of its blocks

    id: Id
    title: Prose
    short_title: Prose | None = Field(default=None, description="Label in Appendix A.")
    paragraphs: list[Rich] = Field(default_factory=list)
    alternatives: list[PriorityAlternative] = Field(default_factory=list)
    comments: list[Comment] = Field(default_factory=list)


class Offering(Model):
    kind: ClassVar[str] = "offering"  # the IR key prefix of its blocks

    id: Id
    title: Prose
    paragraphs: list[Rich] = Field(default_factory=list)
    comments: list[Comment] = Field(default_factory=list)


class Enabler(Model):
    kind: ClassVar[str] = "enabler"  # the IR key prefix of its blocks

    id: Id
    title: Prose | None = None
    sector: SectorRef | None = None
    supports: list[ObjectiveRef] = Field(default_factory=list, description="Objectives supported.")
    supports_all: bool = False
    paragraphs: list[Rich] = Field(default_factory=list)
    activities: list[Rich] = Field(default_factory=list)
    contributions: list[Rich] = Field(default_factory=list)
    results: list[Rich] = Field(default_factory=list)
    comments: list[Comment] = Field(default_factory=list)


class Risk(Model):
    kind: ClassVar[str] = "risk"  # the IR key prefix of its blocks

    id: Id
    title: Prose
    details: list[Rich] = Field(default_factory=list)
    mitigations: list[Rich] = Field(default_factory=list)
    comments: list[Comment] = Field(default_factory=list)


class Sector(Model):
    id: Id
    name: Prose = Field(description="e.g. 'Radiocommunication Sector (ITU-R)'")
    code: Text | None = Field(default=None, description="Objective prefix, e.g. 'R'")
    goal: GoalRef | None = None
    vision: Rich | None = None
    mission: Rich | None = None


class GoalLink(Model):
    goal: GoalRef
    link: Literal["primary", "secondary"] = "primary"


class Item(Model):
    """An outcome or output of an objective (2020-2023)."""

    id: Id
    text: Prose
    comments: list[Comment] = Field(default_factory=list)
    alternatives: list[Alternative] = Field(default_factory=list)


class Objective(Model):
    kind: ClassVar[str] = "objective"  # the IR key prefix of its blocks

    id: Id
    sector: SectorRef
    title: Prose | None = None
    statement: Rich | None = None
    points: list[Rich] = Field(default_factory=list)
    goals: list[GoalLink] = Field(default_factory=list)
    outcomes: list[Item] = Field(default_factory=list)
    outputs: list[Item] = Field(default_factory=list)
    # 2012-2015: Table x.2
    output_list: list[Rich] = Field(default_factory=list)
    expected_results: list[Rich] = Field(default_factory=list)
    kpis: list[Rich] = Field(default_factory=list)
    comments: list[Comment] = Field(default_factory=list)
    alternatives: list[Alternative] = Field(default_factory=list)


class MatrixOutput(Model):
    """A row of a 2012-2015 output-objective matrix (Tables 4.1, 5.1, 6.1, 7.1)."""

    id: Id
    sector: SectorRef
    text: Prose
    note: Prose | None = None
    objectives: list[ObjectiveRef] = Field(default_factory=list)


# --- resources -----------------------------------------------------------------------------


class ResourceRow(Model):
    # Rows have no id: a contribution names a row by its priority (resources/rows/<priority>).
    identity: ClassVar[str] = "priority"

    priority: PriorityRef
    label: Prose | None = None
    amounts: list[Amount]


class Adjustment(Model):
    id: Id
    label: Prose
    amounts: list[Amount]


class Resources(Model):
    """Appendix A: amounts per priority and year; subtotals, totals and % are computed."""

    title: Prose | None = None
    unit: Text | None = Field(default=None, description="e.g. 'CHF thousands', if stated.")
    years: list[Year]
    rows: list[ResourceRow]
    adjustments: list[Adjustment] = Field(default_factory=list)
    note: list[Rich] = Field(default_factory=list)
    comments: list[Comment] = Field(default_factory=list)

    @model_validator(mode="after")
    def _total_is_positive(self) -> Resources:
        # Percentages are of the total: a total of zero or less makes them meaningless
        # (0,00% everywhere, or signs reversed).
        total = sum(sum(row.amounts) for row in self.rows)
        total += sum(sum(adjustment.amounts) for adjustment in self.adjustments)
        if total <= 0:
            raise ValueError(
                f"the amounts add up to {total}: the total must be positive, as every "
                "percentage is of it"
            )
        return self


# --- lineage -------------------------------------------------------------------------------


class Moved(Model):
    item: LineageRef
    to: list[OutcomeRef] = Field(default_factory=list)
    note: Prose | None = None


class Dropped(Model):
    item: LineageRef
    reason: Prose


class Lineage(Model):
    moved: list[Moved] = Field(default_factory=list)
    dropped: list[Dropped] = Field(default_factory=list)


# --- the plan ------------------------------------------------------------------------------


class Plan(Model):
    """A whole plan: the merge of the YAML files of one `plans/<period>/` folder."""

    plan: PlanMeta
    cover: Cover | None = None
    vision: Rich | None = None
    mission: Rich | None = None
    values: list[Value] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    appendices: list[Section] = Field(default_factory=list)
    goals: list[Goal] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    priorities: list[Priority] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(default_factory=list)
    offerings: list[Offering] = Field(default_factory=list)
    enablers: list[Enabler] = Field(default_factory=list)
    risks: list[Risk] = Field(default_factory=list)
    sectors: list[Sector] = Field(default_factory=list)
    objectives: list[Objective] = Field(default_factory=list)
    outputs: list[MatrixOutput] = Field(default_factory=list)
    resources: Resources | None = None
    glossary: list[Term] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    footnotes: dict[
        Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+$")], BlankProse
    ] = Field(
        default_factory=dict
    )
    lineage: Lineage | None = None


Para.model_rebuild()
Cell.model_rebuild()
Section.model_rebuild()


def plan_file_schema() -> dict[str, Any]:
    """JSON Schema of one plan file: a Plan whose top-level keys are all optional."""
    schema = Plan.model_json_schema(mode="validation")
    schema.pop("required", None)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "stratplan plan file"
    schema["description"] = (
        "One YAML file of a stratplan plan folder. The files of a folder are merged; "
        "together they must define `plan`."
    )
    return schema
