"""The contribution model: a change set against a plan, addressed by the plan's ids.

A contribution (a Member State's or an advisory group's proposal) names who proposes it, its
document reference and date, and lists changes: `modify` an item or one of its fields, `add`
an item to a list (after a sibling), `suppress` an item; each may carry its reasons.

An address is a path through the plan, as the model names it: a field, then an item of a list
by its id (or, where items have no id, by the field that identifies them or by 1-based
position), and so on: `targets/broadband-coverage`, `targets/broadband-coverage/indicators/
population-covered-4g`, `vision`, `sections/overview/content/3`, `resources/rows/
digital-infrastructure`. Ids are unique in a plan, so `indicators/population-covered-4g`
finds the indicator wherever it is.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AliasChoices, BeforeValidator, Discriminator, Field, StringConstraints, Tag

from stratplan.model.plan import (
    MAX_PROPERTY,
    BlankProse,
    IsoDate,
    Model,
    Period,
    Prose,
    Rich,
    Text,
)
from stratplan.source.scalars import raw_text

ADDRESS_PATTERN = r"^[a-z_]+(/[A-Za-z0-9_-]+)*$"
Address = Annotated[
    str,
    StringConstraints(pattern=ADDRESS_PATTERN),
    Field(description="A path through the plan: targets/<id>, targets/<id>/indicators/<id>, "
          "vision, sections/<id>/content/<n>, resources/rows/<priority id>, ..."),
]
Selector = Annotated[
    str | int,
    Field(description="A sibling: its id (or identifying field), or its 1-based position; "
          "0 puts the new item first."),
]
Reasons = Annotated[
    Prose | None,
    Field(
        description="Why: printed with the proposal as its Reasons (the contributor's words).",
        # `rationale` was its name before; files that use it keep working.
        validation_alias=AliasChoices("reasons", "rationale"),
    ),
]

# A person's or a body's name; as long as Word's document properties hold.
# (Constraints before the validator, which reads a number as its text: `Text`'s order.)
Name = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_PROPERTY), BeforeValidator(raw_text)
]
DIGEST_PATTERN = r"^sha256:[0-9a-f]{64}$"


class ImportRecord(Model):
    """What `stratplan import` wrote: from which file, and a digest of the contribution file
    as it wrote it, so that a later import of the same review does not replace the file once
    someone has edited it (unless asked, with `--force`)."""

    file: Text
    """The reviewed Word file's name."""
    tracked: bool
    """Whether its changes were tracked (else it was an edited copy, compared word by word)."""
    digest: Annotated[str, StringConstraints(pattern=DIGEST_PATTERN)]
    """sha256 of the contribution file as written, with this digest written as 64 zeros."""


class FoundAt(Model):
    """Where `stratplan import` found a change in a reviewed Word file."""

    place: Text
    """The place in the document, as its reader finds it (section, paragraph, table, row)."""
    date: IsoDate | None = None
    """The date of the revision (YYYY-MM-DD), when the file gives one."""


class ContributionMeta(Model):
    """Who proposes the changes, in which document, against which plan."""

    base: Period = Field(description="The period of the plan it amends: plans/<base>/.")
    contributor: Name = Field(description="e.g. 'Member State X', 'TSAG', 'CWG-SFP Chair'")
    title: Prose
    """The contribution's title."""
    reference: Text | None = Field(
        default=None, description="The contribution's document number, e.g. 'CWG-SFP-4/12'."
    )
    date: IsoDate | None = Field(
        default=None, description="Its date (YYYY-MM-DD); its revisions carry it."
    )
    summary: list[Rich] = Field(default_factory=list)
    """Paragraphs that introduce it."""
    imported: ImportRecord | None = None
    """Written by `stratplan import`: the Word file it came from."""

    @property
    def label(self) -> str:
        """How documents name it: 'CWG-SFP-4/12 (Member State X)', or the contributor."""
        return f"{self.reference} ({self.contributor})" if self.reference else self.contributor


class Modify(Model):
    """Set a field of an item (`field`), or replace what the address names (no `field`)."""

    modify: Address
    field: Annotated[str, StringConstraints(pattern=r"^[a-z_]+$")] | None = None
    """The field of the addressed item to set; without it, the value replaces what the
    address names."""
    value: Any = Field(description="The new value, as it would be written in the plan.")
    reasons: Reasons = None
    found_at: FoundAt | None = None
    """Where `stratplan import` found it in a reviewed Word file."""


class Add(Model):
    """Insert `item` into the list the address names, after a sibling (default: at the end)."""

    add: Address
    after: Selector | None = None
    """The sibling to insert after (default: at the end)."""
    item: Any = Field(description="The new item, as it would be written in the plan.")
    reasons: Reasons = None
    found_at: FoundAt | None = None
    """Where `stratplan import` found it in a reviewed Word file."""


class Suppress(Model):
    """Remove the item (or the optional field) the address names."""

    suppress: Address
    reasons: Reasons = None
    found_at: FoundAt | None = None
    """Where `stratplan import` found it in a reviewed Word file."""


def _change_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        kinds = [k for k in ("modify", "add", "suppress") if k in value]
        return kinds[0] if len(kinds) == 1 else None
    if isinstance(value, Modify | Add | Suppress):
        return type(value).__name__.lower()
    return None


# Which kind a change is comes from its key: one discriminator keeps pydantic from reporting a
# change against every kind it is not ("required field 'add' is missing").
# One change of a contribution, as a type (for `isinstance`), and as the model reads it.
AnyChange = Modify | Add | Suppress
Change = Annotated[
    Annotated[Modify, Tag("modify")] | Annotated[Add, Tag("add")]
    | Annotated[Suppress, Tag("suppress")],
    Discriminator(
        _change_kind,
        custom_error_type="change_kind",
        custom_error_message="a change has exactly one of `modify`, `add` or `suppress`",
    ),
]


class Contribution(Model):
    contribution: ContributionMeta
    """Who proposes the changes, in which document, against which plan."""
    changes: list[Change] = Field(default_factory=list)
    """The changes, each `modify`, `add` or `suppress`, in order."""
    footnotes: dict[
        Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+$")], BlankProse
    ] = (
        Field(default_factory=dict, description="Footnotes the changes' texts refer to.")
    )


def address_of(change: Modify | Add | Suppress) -> str:
    """What a change is addressed to."""
    if isinstance(change, Modify):
        return change.modify
    if isinstance(change, Suppress):
        return change.suppress
    return change.add


def mark_of(change: Modify | Add | Suppress) -> str:
    """Its mark as ITU conference proposals print it."""
    return {Modify: "MOD", Add: "ADD", Suppress: "SUP"}[type(change)]


def contribution_file_schema() -> dict[str, Any]:
    """JSON Schema of a contribution file, for editors (yaml-language-server) and CI."""
    schema = Contribution.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "stratplan contribution"
    schema["description"] = (
        "A change set against a plan: `contribution` says who proposes it and which plan it "
        "amends; `changes` modify, add or suppress items addressed by the plan's ids."
    )
    return schema
