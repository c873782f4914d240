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
class ProposalReasonsRule(Rule):
    """A change without reasons.

    What it does: reports each change of a contribution that has no `reasons:`. A warning
    while drafting; an error at the final stage.

    Why: a proposal is read with its reasons; ITU proposals always carry "Reasons:", and the
    compilation prints them under each proposal. A Working Group asked to decide without them
    asks the contributor first.

    How to fix: give the change `reasons:` (the contributor's words). For a contribution
    imported from Word, the reviewer's comment on a change becomes its reasons.
    """

    code = "SP809"
    name = "proposal-reasons"
    title = "a change without reasons"
    severity = Severity.WARNING
    fields = ("Modify.reasons", "Add.reasons", "Suppress.reasons")
    stage = "contribution"


@register
class MeetingRecordRule(Rule):
    """A meeting's record names a proposal that is not there, or cannot be used.

    What it does: checks a meeting's record (`meetings/<meeting>.yaml`): every entry names a
    contribution file (from the record's folder) and a change it has, once; no proposal number
    is given twice; every contribution amends the plan the meeting amended; only a `modify` or
    an `add` is accepted as amended (with `agreed:`). A contribution a record decided is
    checked against the plan before the meeting, at the record's `revision`: a revision git
    does not know is this error, and a record without one a warning (the contribution is then
    checked against the plan as it is now, which the decisions have changed).

    Why: `apply --meeting` applies what the record says; an entry that names nothing would be
    a decision lost.

    How to fix: correct the entry (`stratplan meeting` writes one for each proposal, with its
    number), or give `revision:` (the tag or commit of the plan before the meeting).
    """

    code = "SP810"
    name = "meeting-record"
    title = "a meeting's record names a proposal that is not there"
    severity = Severity.ERROR
    fields = ("ProposalRecord.contribution", "ProposalRecord.change", "ProposalRecord.number",
              "MeetingMeta.revision")
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


@register
class ImportCleanedRule(Rule):
    """Text of a reviewed Word file that a contribution cannot hold was cleaned.

    What it does: before `stratplan import` reads a reviewed file, every string it carries (an
    author, a date, a comment, the text of a run) is held to what a contribution can hold:
    control characters (C0 but tab and line feed, DEL, C1, U+FFFE, U+FFFF) are removed, an
    author's name is put in Unicode's composed form with its white space (line breaks of every
    kind) made one space, and a date outside 1865-2200 is dropped (the change is imported,
    undated). One warning per reviewer and kind, naming the first place.

    Why: a file comes from outside, and what it carries reaches the contribution only as
    values the contribution model accepts: a line break in an author once ended a YAML comment
    and forged a change; a control character or a date in year 9999 made a contribution that
    did not validate. Word shows none of them.

    How to fix: nothing; the edits are imported. A file full of them was not written by Word
    as the reviewer used it: ask where it came from.
    """

    code = "SP811"
    name = "import-cleaned"
    title = "text of a reviewed file cleaned"
    severity = Severity.WARNING
    stage = "import"


@register
class ImportNotWrittenRule(Rule):
    """A reviewer's changes could not be written as a contribution.

    What it does: each reviewer's contribution is checked against the contribution model, and
    read back as the contribution reader reads it, before anything is written; a reviewer whose
    contribution does not fit (a name over 255 characters, more than 10 000 changes, a text
    that would not read back as written) gets this error, naming the reviewer and the place of
    their first change, and no file. The other reviewers' contributions are written. A file
    with more than 200 reviewers is refused whole.

    Why: a contribution import writes must validate; one that does not would be refused later,
    far from its cause.

    How to fix: import the reviewer's changes under another name (`--author NAME
    --contributor SHORTER`), or write them by hand.
    """

    code = "SP812"
    name = "import-not-written"
    title = "a reviewer's contribution not written"
    severity = Severity.ERROR
    stage = "import"


@register
class ImportWouldReplaceRule(Rule):
    """A contribution file edited since an import wrote it would be replaced.

    What it does: `stratplan import` records in each contribution it writes a digest of the
    file as written (`contribution.imported.digest`). When a file it is about to write is
    already there and was not written by import, or was edited since, nothing is written
    (exit status 2), and each such file is named.

    Why: a drafter who corrected an imported contribution by hand must not lose the work to a
    second import of the same review.

    How to fix: `--force` replaces the files; or write to another folder with `-o` and compare.
    """

    code = "SP813"
    name = "import-would-replace"
    title = "an edited contribution would be replaced"
    severity = Severity.ERROR
    stage = "import"
