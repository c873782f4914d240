"""The record of a meeting: what the Working Group decided on each proposal, as data.

A record is a YAML file a person writes and reviews in git (`meetings/cwg-sfp-4.yaml`):
which meeting (its reference and date), the plan it amended and that plan's git revision
before the meeting, and one entry per proposal, one change of a contribution, with its number
(the compilation's, the same from one compilation to the next) and its decision: accepted,
accepted as amended (with the agreed value or item), not accepted, withdrawn, deferred, or
still pending, and an optional note. `stratplan meeting` starts it from the compilation and
numbers the proposals that come later; `compile --meeting` marks what it says; `apply
--meeting` applies what was accepted; `validate` checks a contribution the record decided
against the plan it was written for (the revision).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, PositiveInt, model_validator

from stratplan.model.plan import IsoDate, Model, Period, Prose, Text

Decision = Literal[
    "pending", "accepted", "accepted-as-amended", "not-accepted", "withdrawn", "deferred"
]
# The decisions that change the plan: `apply --meeting` applies these.
ADOPTED: tuple[Decision, ...] = ("accepted", "accepted-as-amended")
# How documents print each decision.
DECISION_WORDS: dict[str, str] = {
    "pending": "pending",
    "accepted": "accepted",
    "accepted-as-amended": "accepted as amended",
    "not-accepted": "not accepted",
    "withdrawn": "withdrawn",
    "deferred": "deferred",
}


class MeetingMeta(Model):
    """Which meeting, and the plan it amended."""

    reference: Text = Field(description="The meeting, e.g. 'CWG-SFP-4'.")
    date: IsoDate = Field(description="Its date (YYYY-MM-DD).")
    base: Period = Field(description="The period of the plan it amended: plans/<base>/.")
    title: Prose | None = None
    """The meeting's name, for documents."""
    revision: Text | None = Field(
        default=None,
        description="The git revision of the plan before the meeting (a tag, a commit): the "
        "plan the contributions were written for, which they are checked against once "
        "decided, and the old side of the outcome redline.",
    )
    secretariat: Text = Field(
        default="Secretariat",
        description="Who the changes of the amended plan that no proposal made are by, in the "
        "outcome redline.",
    )


class ProposalRecord(Model):
    """One proposal, one change of a contribution, and what was decided on it."""

    number: PositiveInt = Field(description="Its number in the compilation.")
    contribution: Text = Field(
        description="The contribution file, from the record's folder "
        "(../contributions/2028-2031/a.yaml)."
    )
    change: PositiveInt = Field(description="The change's number in it (1 for the first).")
    proposes: Text | None = None
    """What it proposes ('MOD targets/broadband-coverage (text)'), as `stratplan meeting`
    writes it: for the reader of the record."""
    decision: Decision = "pending"
    """pending, accepted, accepted-as-amended, not-accepted, withdrawn or deferred."""
    agreed: Any = Field(
        default=None,
        description="With accepted-as-amended: the agreed value (of a `modify`) or item (of an "
        "`add`), written as in a contribution; it replaces the proposal's.",
    )
    note: Prose | None = None
    """A note on the decision, printed with it."""

    @model_validator(mode="after")
    def _agreed_goes_with_amended(self) -> ProposalRecord:
        amended = self.decision == "accepted-as-amended"
        if amended and self.agreed is None:
            raise ValueError("accepted-as-amended needs `agreed:`, the agreed value or item")
        if not amended and self.agreed is not None:
            raise ValueError(f"`agreed:` goes with accepted-as-amended, not {self.decision}")
        return self


class Meeting(Model):
    meeting: MeetingMeta
    """Which meeting, and the plan it amended."""
    proposals: list[ProposalRecord] = Field(default_factory=list)
    """One entry per proposal, by number."""
