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

from stratplan.model.facts import HISTORY, LINEAGE, MEETING, PROSE, TITLE, RefTo
from stratplan.source.scalars import RawBool, raw_text


class Model(BaseModel):
    # A field's meaning is its docstring (the string after it), read by the field reference
    # (docs/fields.md); pydantic's `use_attribute_docstrings` would read every class's source
    # at import, 0.1 s of every command.
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
# A title that names the plan's period ("ITU strategic plan for 2028-2031"): moved with it.
Title = Annotated[str, BeforeValidator(_text), AfterValidator(_not_blank), PROSE, TITLE]
# What a cover says of one Council meeting: a new cycle leaves it to be decided.
MeetingText = Annotated[str, BeforeValidator(_text), AfterValidator(_not_blank), PROSE, MEETING]
# Prose about the previous cycle's items (why a target was dropped): may name its period.
History = Annotated[str, BeforeValidator(_text), AfterValidator(_not_blank), PROSE, HISTORY]
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
    """Who wrote it (Word shows the name and initials)."""
    text: Prose
    """The comment."""
    date: IsoDate | None = None
    """Its date (YYYY-MM-DD); else the document's date."""
    anchor: Text | None = Field(
        default=None, description="The words of the element the comment covers (default: all)."
    )


class Alternative(Model):
    """Alternative wording proposed by a named source, shown after the base text."""

    source: Text = Field(description="Who proposes it, e.g. 'CWG-SFP Chair' or 'TSAG'.")
    text: Prose
    """The alternative wording."""
    tracked: bool = False
    """The wording is an edit of the base text (as seed 004's CWG-SFP Chair mission, which
    inserts 'trusted' and 'digital'): shown as tracked changes against the base, by `source`,
    instead of as plain text. `text` stays the final wording."""


class Para(Model):
    """A paragraph: text with `[^footnote-id]` references, comments, alternatives, sub-items."""

    kind: ClassVar[str] = "p"  # the IR key prefix of its blocks

    id: Id | None = None
    """An id, only where something must address this paragraph."""
    text: Prose
    """The paragraph's text, with `[^id]` footnote references and [square brackets] for text
    not yet agreed."""
    numbered: bool = Field(
        default=True, description="Takes a paragraph number where the plan numbers paragraphs."
    )
    items: list[Rich] = Field(default_factory=list, description="A list under this paragraph.")
    list_style: Literal["bullet", "dash", "number", "letter", "paren-number", "plain"] = "bullet"
    """How `items` are marked: bullet, dash, number (1.), letter (a)), paren-number (1)) or
    plain."""
    comments: list[Comment] = Field(default_factory=list)
    """Editorial comments (Word comments) on this paragraph."""
    alternatives: list[Alternative] = Field(default_factory=list)
    """Alternative wordings proposed by named sources, shown after the text."""


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
    """What to place here: a kind (`targets`, `goals`, `risks` ...), with an id after ':'
    where the kind takes one (`table:rbm`)."""
    caption: Prose | None = None
    """The caption above what is placed, without its number: 'Strategic risks and mitigation
    strategies' is printed 'Table 2. Strategic risks and mitigation strategies', numbered by
    the document (see plan.table_numbering)."""


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
    title: Title = Field(
        max_length=MAX_PROPERTY, description="e.g. 'ITU strategic plan for 2024-2027'"
    )
    period: Period
    """The cycle, YYYY-YYYY; the plan's folder is named after it."""
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
    """`draft`, or `adopted`: an adopted plan may carry no brackets, alternatives or
    comments."""
    previous: Period | None = None
    """The period of the cycle this plan follows; lineage (`replaces`, `lineage:`) names its
    items."""
    date: IsoDate | None = Field(
        default=None,
        description="Date of this text (YYYY-MM-DD), where the seed states it; documents take "
        "their dates from it (else, adopted: 1 January of the period's first year; draft: 1 "
        "January of the previous cycle's first year, a date that is never in the future for a "
        "draft written during that cycle).",
    )
    target_horizon: Year | None = Field(
        default=None, description="Last year a target deadline may have (e.g. 2030)."
    )
    paragraph_numbering: Literal["global", "section", "none"] = "none"
    """`global` (1, 2, 3 ... across the annex), `section` (1.1, 2.1.1), or `none`."""
    table_numbering: Literal["global", "section"] = "global"
    """How captions (`caption:` on a `show:`) are numbered: across the document (Table 1,
    Table 2 ...) or by top-level section (Table 4.1, Table 4.2 in section 4)."""
    caption_separator: Text = ". "
    """What stands between a caption's number and its text: '. ' (Table 2. Strategic risks)
    or ' - ' (Table 4.1 - ITU-R Outputs and Objectives)."""
    language: Language = "en"
    """The document's language tag."""
    subject: Title | None = Field(default=None, max_length=MAX_PROPERTY)
    """The document's subject (its properties), where it is not the title."""

    @field_validator("previous")
    @classmethod
    def _previous_comes_before(cls, value: str | None, info: ValidationInfo) -> str | None:
        period = info.data.get("period")
        if value is not None and period is not None and value.split("-")[0] >= period[:4]:
            raise ValueError(f"the previous cycle {value} does not start before {period}")
        return value

    @property
    def document_date(self) -> str:
        """The date every dated thing of the document carries (never the clock, so a render is
        reproducible): `date`; else, for an adopted plan, 1 January of its period's first year
        (when it took effect); else, for a draft, 1 January of the first year of the cycle
        before it (`previous`, else the period as long just before): a draft is written during
        that cycle, so the date is never one in its future."""
        if self.date:
            return self.date
        first, last = (int(year) for year in self.period.split("-"))
        if self.status == "adopted":
            return f"{first}-01-01"
        before = int(self.previous.split("-")[0]) if self.previous else first - (last - first + 1)
        return f"{before}-01-01"


class Cover(Model):
    """The Council cover block."""

    heading: Title | None = Field(default=None, description="e.g. 'ITU STRATEGIC PLAN 2020-2023'")
    meeting: MeetingText | None = None
    """The Council session, e.g. 'Council 2018'."""
    place_dates: MeetingText | None = None
    """Where and when the session meets, e.g. 'Geneva, 17-27 April 2018'."""
    agenda_item: MeetingText | None = None
    """The agenda item(s), e.g. 'PL 3.2, ADM 24': printed 'Agenda item: PL 3.2, ADM 24' (a
    value that already starts with 'Agenda item' is printed as it is)."""
    document: MeetingText | None = None
    """The document number, e.g. 'Addendum 1 to Document C18/64-E'."""
    date: Annotated[Text | None, MEETING] = None
    """The document's date as printed, e.g. '18 April 2018'."""
    original: Prose | None = None
    """The original language, e.g. 'English': printed 'Original: English' (a value that
    already starts with 'Original' is printed as it is)."""
    title: Title | None = None
    """The title on the cover, where it differs from the plan's."""
    purpose: Annotated[list[Rich], MEETING] = Field(default_factory=list)
    """The 'Purpose' paragraphs."""
    action_required: Annotated[list[Rich], MEETING] = Field(default_factory=list)
    """The 'Action required' paragraphs."""
    references: Annotated[list[Rich], MEETING] = Field(default_factory=list)
    """The 'References' paragraphs."""


class Value(Model):
    name: Prose
    """The value's name, e.g. 'Efficiency'."""
    text: Prose
    """What it means for the Union."""


class Term(Model):
    term: Prose
    """The term."""
    description: Rich
    """What it means."""


class Table(Model):
    """A table of plain text that is not part of the results chain (e.g. the RBM framework)."""

    kind: ClassVar[str] = "table"  # the IR key prefix of its blocks

    id: Id
    """The table's identity (a slug): `show: table:<id>` places it."""
    title: Title | None = None
    """Its caption."""
    columns: list[BlankProse] = Field(default_factory=list)
    """The column headings."""
    rows: list[list[CellRich]] = Field(default_factory=list)
    """The rows, each a list of cells (a text, or a paragraph mapping)."""
    comments: list[Comment] = Field(default_factory=list)
    """Editorial comments on the table."""


class Section(Model):
    kind: ClassVar[str] = "s"  # the IR key prefix of its blocks

    id: Id
    """The section's identity (a slug): its number is computed from its place."""
    title: Annotated[Rich | None, TITLE] = None
    """The heading, without its number."""
    numbered: bool = True
    """false for a section whose heading takes no number."""
    child_numbering: Literal["decimal", "letter"] = "decimal"
    """`letter` numbers the subsections A, B, ... instead of 1.1, 1.2."""
    content: list[Block] = Field(default_factory=list)
    """Paragraphs (a text, or a mapping with `text`) and placements (`show: targets`), in
    order."""
    sections: list[Section] = Field(default_factory=list)
    """Subsections."""
    comments: list[Comment] = Field(default_factory=list)
    """Editorial comments on the section heading."""


# --- SMART fields --------------------------------------------------------------------------


class Baseline(Model):
    value: Text | None = None
    """The starting value, as written."""
    year: Year | None = None
    """The year of the starting value."""


class SdgLink(Model):
    target: Text = Field(description="SDG target code, e.g. '9.c'")
    indicators: list[Text] = Field(default_factory=list, description="e.g. ['9.c.1']")


class Smart(Model):
    unit: Text | None = None
    """What the measure counts, e.g. 'percent of population'."""
    data_source: Text | None = None
    """Where the values come from, e.g. 'ITU World Telecommunication/ICT Indicators'."""
    custodian: Text | None = None
    """The custodian agency of the SDG indicator, e.g. 'ITU'."""
    sdg_indicators: list[Text] = Field(default_factory=list)
    """SDG indicator codes, e.g. ['9.c.1']."""
    baseline: Baseline | None = None
    """The value the measure starts from, and its year."""
    target_value: Text | None = None
    """The value to reach, as written (e.g. '65%')."""
    deadline: Year | None = None
    """The year to reach it by; an indicator without one takes its target's."""
    disaggregation: list[Text] = Field(default_factory=list)
    """How values are broken down, e.g. ['rural/urban location']."""


class Indicator(Smart):
    kind: ClassVar[str] = "indicator"  # the IR key prefix of its blocks

    id: Id
    """The indicator's identity (a slug)."""
    text: Prose
    """The indicator as the plan states it."""
    items: list[Prose] = Field(default_factory=list, description="Sub-indicators (bullets).")
    comments: list[Comment] = Field(default_factory=list)
    """Editorial comments on the indicator."""
    alternatives: list[Alternative] = Field(default_factory=list)
    """Alternative wordings of the indicator by named sources."""


# --- the results chain ---------------------------------------------------------------------


class Goal(Model):
    kind: ClassVar[str] = "goal"  # the IR key prefix of its blocks

    id: Id
    """The goal's identity (a slug); 'Goal 1' is computed from order."""
    title: Prose = Field(description="e.g. 'Universal Connectivity' or 'Growth'")
    statement: Prose | None = None
    """The goal's statement, after its title."""
    description: list[Rich] = Field(default_factory=list)
    """Paragraphs that describe the goal."""
    owner: Prose | None = Field(default=None, description="2012-2015: the Sector or GS")
    points: list[Rich] = Field(default_factory=list)
    """Bulleted points under the goal."""
    sdg_links: list[SdgLink] = Field(default_factory=list)
    """The SDG targets the goal contributes to."""
    comments: list[Comment] = Field(default_factory=list)
    """Editorial comments on the goal."""
    alternatives: list[Alternative] = Field(default_factory=list)
    """Alternative wordings of the goal by named sources."""


class Target(Smart):
    kind: ClassVar[str] = "target"  # the IR key prefix of its blocks

    id: Id
    """The target's identity (a slug) across cycles; 'Target 1.2' is computed from order."""
    goal: GoalRef
    """The goal the target serves."""
    text: Prose
    """The target as the plan states it."""
    indicators: list[Indicator] = Field(default_factory=list)
    """Its target indicators (thematic plans measure targets through them)."""
    replaces: list[LineageRef] = Field(
        default_factory=list, description="Items of the previous cycle this target replaces."
    )
    lineage_note: History | None = Field(
        default=None, description="What the target stands for instead of earlier targets."
    )
    comments: list[Comment] = Field(default_factory=list)
    """Editorial comments on the target."""
    alternatives: list[Alternative] = Field(default_factory=list)
    """Alternative wordings of the target by named sources."""


class Outcome(Model):
    """An outcome of a thematic priority, with its outcome indicators."""

    kind: ClassVar[str] = "outcome"  # the IR key prefix of its blocks

    id: Id
    """The outcome's identity (a slug); 'outcome 3)' is computed from its place under its
    priority."""
    priority: PriorityRef
    """The thematic priority it belongs to."""
    text: Prose
    """The outcome as the plan states it."""
    proposed_by: Text | None = Field(
        default=None,
        description="Set when the outcome belongs to a named source's alternative for the "
        "priority (see Priority.alternatives).",
    )
    items: list[Rich] = Field(default_factory=list)
    """Sub-items (a), b) ...) of the outcome."""
    indicators: list[Indicator] = Field(default_factory=list)
    """Its outcome indicators."""
    goals: list[GoalRef] = Field(default_factory=list)
    """The strategic goals it contributes to."""
    replaces: list[LineageRef] = Field(default_factory=list)
    """Items of the previous cycle it replaces (`<period>/<id>`)."""
    comments: list[Comment] = Field(default_factory=list)
    """Editorial comments on the outcome."""
    alternatives: list[Alternative] = Field(default_factory=list)
    """Alternative wordings of the outcome by named sources."""


class PriorityAlternative(Model):
    """A named source's alternative title for a thematic priority; its outcomes are the
    outcomes of the priority whose `proposed_by` names the same source."""

    source: Text
    """Who proposes it, e.g. 'TSAG'."""
    title: Prose
    """The alternative title."""


class Priority(Model):
    """A thematic priority (2024-2027 onwards)."""

    kind: ClassVar[str] = "priority"  # the IR key prefix of its blocks

    id: Id
    """The priority's identity (a slug); its number is computed from order."""
    title: Prose
    """The priority's title."""
    short_title: Prose | None = Field(default=None, description="Label in Appendix A.")
    paragraphs: list[Rich] = Field(default_factory=list)
    """Paragraphs that describe the priority."""
    alternatives: list[PriorityAlternative] = Field(default_factory=list)
    """Alternative titles by named sources (their outcomes name the same source in
    `proposed_by`)."""
    comments: list[Comment] = Field(default_factory=list)
    """Editorial comments on the priority."""


class Offering(Model):
    kind: ClassVar[str] = "offering"  # the IR key prefix of its blocks

    id: Id
    """The offering's identity (a slug)."""
    title: Prose
    """The offering's title."""
    paragraphs: list[Rich] = Field(default_factory=list)
    """Paragraphs that describe it."""
    comments: list[Comment] = Field(default_factory=list)
    """Editorial comments on the offering."""


class Enabler(Model):
    kind: ClassVar[str] = "enabler"  # the IR key prefix of its blocks

    id: Id
    """The enabler's identity (a slug)."""
    title: Prose | None = None
    """The enabler's title."""
    sector: SectorRef | None = None
    """The Sector (or General Secretariat) whose enabler it is (2020-2023)."""
    supports: list[ObjectiveRef] = Field(default_factory=list, description="Objectives supported.")
    supports_all: bool = False
    """true where it supports every objective of its Sector."""
    paragraphs: list[Rich] = Field(default_factory=list)
    """Paragraphs that describe it."""
    activities: list[Rich] = Field(default_factory=list)
    """Its activities (2020-2023 tables)."""
    contributions: list[Rich] = Field(default_factory=list)
    """What it contributes (2020-2023 tables)."""
    results: list[Rich] = Field(default_factory=list)
    """Its results (2020-2023 tables)."""
    comments: list[Comment] = Field(default_factory=list)
    """Editorial comments on the enabler."""


class Risk(Model):
    kind: ClassVar[str] = "risk"  # the IR key prefix of its blocks

    id: Id
    """The risk's identity (a slug)."""
    title: Prose
    """The risk."""
    details: list[Rich] = Field(default_factory=list)
    """What the risk consists of."""
    mitigations: list[Rich] = Field(default_factory=list)
    """How it is mitigated."""
    comments: list[Comment] = Field(default_factory=list)
    """Editorial comments on the risk."""


class Sector(Model):
    id: Id
    """The Sector's identity (a slug), e.g. 'itu-r'."""
    name: Prose = Field(description="e.g. 'Radiocommunication Sector (ITU-R)'")
    code: Text | None = Field(default=None, description="Objective prefix, e.g. 'R'")
    goal: GoalRef | None = None
    """The Sector's goal (2012-2015)."""
    vision: Rich | None = None
    """The Sector's vision (2012-2015)."""
    mission: Rich | None = None
    """The Sector's mission (2012-2015)."""


class GoalLink(Model):
    goal: GoalRef
    """The goal."""
    link: Literal["primary", "secondary"] = "primary"
    """`primary` or `secondary`."""


class Item(Model):
    """An outcome or output of an objective (2020-2023)."""

    id: Id
    """The item's identity (a slug)."""
    text: Prose
    """The outcome or output."""
    comments: list[Comment] = Field(default_factory=list)
    """Editorial comments on it."""
    alternatives: list[Alternative] = Field(default_factory=list)
    """Alternative wordings by named sources."""


class Objective(Model):
    kind: ClassVar[str] = "objective"  # the IR key prefix of its blocks

    id: Id
    """The objective's identity (a slug); 'R.1' is computed from its Sector's code and order."""
    sector: SectorRef
    """The Sector (or inter-sectoral group) the objective belongs to."""
    title: Prose | None = None
    """The objective's title."""
    statement: Rich | None = None
    """The objective's statement."""
    points: list[Rich] = Field(default_factory=list)
    """Bulleted points under it."""
    goals: list[GoalLink] = Field(default_factory=list)
    """The strategic goals it serves, each primary or secondary (the linkage table)."""
    outcomes: list[Item] = Field(default_factory=list)
    """Its outcomes (2020-2023)."""
    outputs: list[Item] = Field(default_factory=list)
    """Its outputs (2020-2023)."""
    # 2012-2015: Table x.2
    output_list: list[Rich] = Field(default_factory=list)
    """Its outputs as listed (2012-2015, Table x.2)."""
    expected_results: list[Rich] = Field(default_factory=list)
    """Its expected results (2012-2015)."""
    kpis: list[Rich] = Field(default_factory=list)
    """Its key performance indicators (2012-2015)."""
    comments: list[Comment] = Field(default_factory=list)
    """Editorial comments on the objective."""
    alternatives: list[Alternative] = Field(default_factory=list)
    """Alternative wordings of the objective by named sources."""


class MatrixOutput(Model):
    """A row of a 2012-2015 output-objective matrix (Tables 4.1, 5.1, 6.1, 7.1)."""

    kind: ClassVar[str] = "matrix-output"  # the IR key prefix of its blocks

    id: Id
    """The output's identity (a slug)."""
    sector: SectorRef
    """The Sector whose matrix it is in."""
    text: Prose
    """The output."""
    note: Prose | None = None
    """A note printed with it."""
    objectives: list[ObjectiveRef] = Field(default_factory=list)
    """The objectives it serves (the matrix's marks)."""


# --- resources -----------------------------------------------------------------------------


class ResourceRow(Model):
    # Rows have no id: a contribution names a row by its priority (resources/rows/<priority>).
    identity: ClassVar[str] = "priority"

    priority: PriorityRef
    """The thematic priority funded."""
    label: Prose | None = None
    """The row's label, where it differs from the priority's short title."""
    amounts: list[Amount]
    """One amount per year of `years` (no negatives: reductions are adjustments)."""


class Adjustment(Model):
    id: Id
    """The adjustment's identity (a slug)."""
    label: Prose
    """Its label in the table."""
    amounts: list[Amount]
    """One amount per year of `years`; may be negative."""


class Resources(Model):
    """Appendix A: amounts per priority and year; subtotals, totals and % are computed."""

    title: Title | None = None
    """The appendix table's caption."""
    unit: Text | None = Field(default=None, description="e.g. 'CHF thousands', if stated.")
    years: list[Year]
    """The years of the columns, in order: the years of the plan's period."""
    rows: list[ResourceRow]
    """One row of amounts per thematic priority."""
    adjustments: list[Adjustment] = Field(default_factory=list)
    """Named adjustments below the rows, which may be negative (e.g. 'Progressive global
    reduction')."""
    note: list[Rich] = Field(default_factory=list)
    """Paragraphs under the table."""
    comments: list[Comment] = Field(default_factory=list)
    """Editorial comments on the table."""

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
    """The previous cycle's target, `<period>/<id>`."""
    to: list[OutcomeRef] = Field(default_factory=list)
    """The outcomes of this plan that take it up."""
    note: History | None = None
    """What the crosswalk prints with it."""


class Dropped(Model):
    item: LineageRef
    """The previous cycle's target, `<period>/<id>`."""
    reason: History
    """Why it was dropped: the crosswalk prints it."""


class Lineage(Model):
    moved: list[Moved] = Field(default_factory=list)
    """Targets of the previous cycle that became outcomes, with where they went."""
    dropped: list[Dropped] = Field(default_factory=list)
    """Targets of the previous cycle that were dropped, with the reason."""


# --- the plan ------------------------------------------------------------------------------


class Plan(Model):
    """A whole plan: the merge of the YAML files of one `plans/<period>/` folder."""

    plan: PlanMeta
    """The plan's metadata: period, framework, resolution, status, previous cycle."""
    cover: Cover | None = None
    """The Council cover block; a plan without one starts at the annex heading."""
    vision: Rich | None = None
    """The vision statement (`show: vision` places it)."""
    mission: Rich | None = None
    """The mission statement (`show: mission` places it)."""
    values: list[Value] = Field(default_factory=list)
    """The Union's values (`show: values`)."""
    sections: list[Section] = Field(default_factory=list)
    """The outline of the annex: numbered sections with their paragraphs and `show:`
    placements."""
    appendices: list[Section] = Field(default_factory=list)
    """Appendices after the sections (Appendix A, ...), with the same fields as sections."""
    goals: list[Goal] = Field(default_factory=list)
    """Strategic goals (2012-2015: Sector and General Secretariat goals)."""
    targets: list[Target] = Field(default_factory=list)
    """Targets of the strategic goals, with their target indicators and SMART fields."""
    priorities: list[Priority] = Field(default_factory=list)
    """Thematic priorities (2024-2027 onwards)."""
    outcomes: list[Outcome] = Field(default_factory=list)
    """Outcomes of the thematic priorities, with their outcome indicators."""
    offerings: list[Offering] = Field(default_factory=list)
    """Product and service offerings."""
    enablers: list[Enabler] = Field(default_factory=list)
    """Enablers (2020-2023: of the Sector and inter-sectoral objectives)."""
    risks: list[Risk] = Field(default_factory=list)
    """Strategic risks, with their mitigations."""
    sectors: list[Sector] = Field(default_factory=list)
    """The Sectors and the General Secretariat (2012-2015, 2020-2023)."""
    objectives: list[Objective] = Field(default_factory=list)
    """Sector and inter-sectoral objectives, with their outcomes and outputs (2012-2015,
    2020-2023)."""
    outputs: list[MatrixOutput] = Field(default_factory=list)
    """The rows of the 2012-2015 output-objective matrices."""
    resources: Resources | None = None
    """Appendix A: amounts per thematic priority and year."""
    glossary: list[Term] = Field(default_factory=list)
    """Terms and their definitions (`show: glossary`)."""
    tables: list[Table] = Field(default_factory=list)
    """Tables of plain text outside the results chain (`show: table:<id>`)."""
    footnotes: dict[
        Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+$")], BlankProse
    ] = Field(
        default_factory=dict
    )
    """Footnote texts by id; a text calls one with `[^id]`."""
    lineage: Lineage | None = None
    """What became of the previous cycle's targets this plan does not carry: moved to
    outcomes, or dropped with the reason."""


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
