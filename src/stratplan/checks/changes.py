"""Rules over contributions: addresses, the base plan, the plan with the changes applied."""

from __future__ import annotations

from stratplan.checks.rule import Rule, register
from stratplan.diagnostics import Severity


@register
class ContributionAddressRule(Rule):
    """A change addresses something its base plan does not have.

    What it does: every `modify:`, `suppress:` and `add:` address must name something of the
    base plan (`contribution.base`, found as `plans/<base>/`): a field, then an item of a list
    by its id (or by position, `sections/overview/content/3`, where items have no id), and so
    on (`targets/broadband-coverage/indicators/population-covered-4g`); an address may start at
    any list, since ids are unique (`indicators/population-covered-4g`). `field:` must be a
    field of what the address names, and `add:` must name a list. The other changes are still
    applied and checked, so one run reports every problem; a close id or field is suggested.

    Why: a change that names nothing would be lost without a word.

    How to fix: use the ids of the base plan (`stratplan export` lists them), or the hint's
    suggestion.
    """

    code = "SP801"
    name = "contribution-address"
    title = "contribution addresses an unknown item"
    severity = Severity.ERROR
    fields = ("Modify.modify", "Add.add", "Add.after", "Suppress.suppress", "Modify.field")
    stage = "contribution"


@register
class ContributionBaseRule(Rule):
    """A contribution's base plan is not on disk.

    What it does: a contribution names the plan it amends by period (`base: 2020-2023`); the
    plan is looked for as `plans/<base>/` in the folders above the contribution. An I/O
    problem: exit status 2.
    """

    code = "SP803"
    name = "contribution-base"
    title = "contribution's base plan not found"
    severity = Severity.ERROR
    fields = ("ContributionMeta.base",)
    stage = "contribution"


@register
class ContributionResultRule(Rule):
    """With the contribution applied, the plan has errors.

    What it does: applies the change set to the base plan in memory and validates the result;
    each error is reported at the change that causes it (the change whose value holds it, or
    the suppression of an item that references still name: one diagnostic per suppressed item,
    naming every reference left).

    Why: an accepted contribution must leave a valid plan.

    How to fix: complete the change set (e.g. move the targets of a suppressed goal).
    """

    code = "SP804"
    name = "contribution-result"
    title = "applied contribution gives an invalid plan"
    severity = Severity.ERROR
    fields = ("Contribution.changes",)
    stage = "contribution"


@register
class ContributionOverlapRule(Rule):
    """Two contributions change the same text.

    What it does: for the contributions to one plan that are checked together (`validate
    contributions/2032-2035/*.yaml`, `render -c`, `compile`, `apply`), reports each change that
    another contribution's change overlaps: the same field, an item and something inside it, or
    an item one modifies and another suppresses. Each diagnostic names the other proposals. A
    warning while drafting; an error at the final stage and in `apply`, which cannot take both.

    Why: no proposal may be lost in silence; the Working Group decides between them. `render
    -c` and `compile` show overlapping proposals side by side, each attributed, with its reasons.

    How to fix: nothing, while the proposals are discussed; then `apply --change` takes the
    one accepted.
    """

    code = "SP805"
    name = "contribution-overlap"
    title = "two contributions change the same text"
    severity = Severity.WARNING
    fields = ("Contribution.changes",)
    stage = "contribution"


@register
class ImportLeftOutRule(Rule):
    """A change in a reviewed Word file that the plan cannot express.

    What it does: `stratplan import` maps every change of a reviewed file back to the plan's
    data; a change to text the templates generate (a number the document computes, "2.3:" or
    "3)", a label such as "Targets for Goal 1", a table heading, a subtotal, total or
    percentage of Appendix A), a new paragraph where the plan has no list, or a comment on
    such text cannot be. Nor can what the plan's text does not hold: a formatting-only change,
    a text box, an equation, a picture. Text Word does not show (hidden text) is reported and
    never imported, whatever it says: what a reader of the document cannot see is not a
    change. Each is reported with its place as the document names it (section and paragraph
    number, table and row, footnote number) and the words that differ; everything else is
    still imported, and the command exits 1.

    Why: no proposal may be lost in silence, and none may be made where no reader sees it.

    How to fix: make the change in the plan's own data (a contribution written by hand), or
    ask the reviewer to propose it on the text it concerns.
    """

    code = "SP806"
    name = "import-left-out"
    title = "a reviewed change the plan cannot express"
    severity = Severity.WARNING
    stage = "import"


@register
class ImportBoundRule(Rule):
    """A reviewed Word file past one of the import's bounds.

    What it does: `stratplan import` refuses, before reading it further, a file with more
    than 20 000 comments, more than 1 000 authors of revisions and comments, more than
    200 000 tracked changes, or a paragraph (or comment) of more than 200 000 characters,
    naming the bound and where it is passed. (The package itself is read with the bounds of
    any file from outside: its size, its parts' sizes and compression ratios.)

    Why: a Working Group's review is far inside each; a file past one was not made by
    reviewers, and work on it would grow with it.

    How to fix: ask where the file came from; import a file made by `stratplan render`,
    edited in Word or LibreOffice.
    """

    code = "SP814"
    name = "import-bound"
    title = "a reviewed file past a bound"
    severity = Severity.ERROR
    stage = "import"


@register
class ImportKeptRule(Rule):
    """Text the reviewed file lost, kept as the plan has it.

    What it does: informs that the file has lost text no reviewer could have meant to delete
    that way, and that the import kept it: footnotes that came back empty (LibreOffice loses a
    footnote's text when it opens a file it saved), or a file without any of the plan's
    comments (pandoc drops them). Neither is read as a deletion; a footnote is taken out by
    deleting its reference, a comment by deleting it in Word.

    How to fix: nothing; if the text was meant to go, propose it in a contribution.
    """

    code = "SP815"
    name = "import-kept"
    title = "text the file lost, kept"
    severity = Severity.INFO
    stage = "import"


@register
class ImportNotARenderRule(Rule):
    """The Word file to import is not a render of the plan given.

    What it does: `stratplan import REVIEW.docx --base PLAN` refuses a file that is not a Word
    package, or that, before its tracked changes, does not have four fifths of the plan's
    paragraphs word for word (another plan, another cycle: their changes would be noise).
    Which plan a file renders is decided from its text: what its key table says is a claim,
    named in the message when it disagrees.

    How to fix: give `--base` the plan the file was rendered from.
    """

    code = "SP807"
    name = "import-not-a-render"
    title = "not a render of the plan"
    severity = Severity.ERROR
    stage = "import"


@register
class ImportUntrackedRule(Rule):
    """The reviewed Word file carries no tracked changes.

    What it does: informs that the file was edited without Track Changes, so it was compared
    with the plan's render word by word; its changes are attributed to `--contributor`, else to
    the last editor the file's properties name (dated when their date is after the render's),
    else to "Reviewer".

    How to fix: nothing; ask reviewers to switch Track Changes on to keep their names and dates.
    """

    code = "SP808"
    name = "import-untracked"
    title = "an edited copy without tracked changes"
    severity = Severity.INFO
    stage = "import"
