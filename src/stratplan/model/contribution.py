"""The contribution model: a change set against a plan, addressed by the plan's ids.

A contribution (a Member State's or an advisory group's proposal) lists changes: `modify` a
field of an item, `add` an item to a collection, `suppress` an item; each with the
contributor's rationale.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StringConstraints

from stratplan.model.plan import BlankProse, Id, IsoDate, Model, Period, Prose, Rich, Text

Address = Annotated[str, StringConstraints(pattern=r"^[a-z_]+/[a-z0-9][a-z0-9-]*$")]


class ContributionMeta(Model):
    base: Period = Field(description="The period of the plan it amends: plans/<base>/.")
    contributor: Text
    title: Prose
    date: IsoDate | None = None
    reference: Text | None = None
    summary: list[Rich] = Field(default_factory=list)


class Modify(Model):
    modify: Address = Field(description="<collection>/<id>, e.g. goals/growth")
    field: Annotated[str, StringConstraints(pattern=r"^[a-z_]+$")]
    value: Any
    rationale: Prose | None = None


class Add(Model):
    add: Annotated[str, StringConstraints(pattern=r"^[a-z_]+$")] = Field(
        description="The collection, e.g. goals"
    )
    after: Id | None = Field(default=None, description="Insert after this id (default: last).")
    item: dict[str, Any]
    rationale: Prose | None = None


class Suppress(Model):
    suppress: Address
    rationale: Prose | None = None


Change = Modify | Add | Suppress


class Contribution(Model):
    contribution: ContributionMeta
    changes: list[Change] = Field(default_factory=list)
    footnotes: dict[str, BlankProse] = Field(default_factory=dict)


def address_of(change: Change) -> str:
    """The collection (and id) a change is addressed to: `goals/growth`, or `goals` for an add."""
    if isinstance(change, Modify):
        return change.modify
    if isinstance(change, Suppress):
        return change.suppress
    return change.add


def collection_of(change: Change) -> str:
    return address_of(change).partition("/")[0]


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
