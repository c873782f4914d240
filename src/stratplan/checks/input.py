"""Rules raised while reading input, fitting it to the model, rendering and formatting: they
have no check() of their own and are documented here so that `explain` knows them."""

from __future__ import annotations

from stratplan.checks.rule import Rule, register
from stratplan.diagnostics import Severity


@register
class YamlSyntaxRule(Rule):
    """The file is not well-formed YAML.

    What it does: reports YAML syntax errors (bad indentation, tabs used for indentation, an
    unclosed quote or bracket, a key without a value), more than one document in a file, an
    unknown alias, and mapping keys that are not plain scalars.

    Why: nothing else can be checked until the file parses.

    How to fix: correct the YAML at the line and column given. YAML indents with spaces only.
    """

    code = "SP001"
    name = "yaml-syntax"
    title = "YAML syntax error"
    severity = Severity.ERROR
    stage = "load"


@register
class EncodingRule(Rule):
    """The file is not UTF-8 text.

    What it does: refuses files that are not valid UTF-8 (a UTF-8 byte-order mark is accepted),
    UTF-16 files, files with NUL bytes (binary files) and control characters.

    Why: plans are text in git; one encoding keeps diffs and Word output right.

    How to fix: re-save the file as UTF-8 and remove control characters.
    """

    code = "SP002"
    name = "encoding"
    title = "file is not UTF-8 text"
    severity = Severity.ERROR
    stage = "load"


@register
class LimitsRule(Rule):
    """The file exceeds a safety limit: size, nesting depth, aliases, or expanded size.

    What it does: refuses files over the size limit, nesting deeper than the limit, more aliases
    than the limit, and documents whose aliases would expand to too many values (a "billion
    laughs" alias bomb). Limits are checked while reading, before anything walks the data. A
    contribution may hold at most 10 000 changes (at its `changes:` key).

    Why: a plan is small data; these limits keep a hostile or broken file from exhausting memory
    or time in CI.

    How to fix: write values out instead of aliasing them; split large plans into files.
    """

    code = "SP003"
    name = "limits"
    title = "file exceeds a safety limit"
    severity = Severity.ERROR
    stage = "load"


@register
class TagRule(Rule):
    """A YAML tag is used.

    What it does: refuses every explicit tag (`!!python/object`, `!include`, `!!binary`,
    `!!set`...). Only the non-specific `!` (which forces a string) is accepted.

    Why: input is data, never code. Tags are how YAML constructs objects and how some tools
    include other files; plans need neither.

    How to fix: remove the tag and write the value as plain data.
    """

    code = "SP004"
    name = "tag"
    title = "YAML tags are not allowed"
    severity = Severity.ERROR
    stage = "load"


@register
class DuplicateKeyRule(Rule):
    """A mapping has the same key twice.

    What it does: reports the second occurrence of a key in one mapping.

    Why: YAML libraries silently keep one of the two values; the other is lost without a word.

    How to fix: remove or rename one of the keys.
    """

    code = "SP005"
    name = "duplicate-key"
    title = "duplicate key"
    severity = Severity.ERROR
    stage = "load"


@register
class KeyInTwoFilesRule(Rule):
    """A top-level key is defined in two files of the same plan folder.

    What it does: the files of a plan folder are merged into one plan; each top-level key
    (`goals:`, `targets:`...) may come from one file only. The diagnostic names both files.

    Why: merging two lists silently would make the order, and so the numbering, depend on file
    names.

    How to fix: move the items into one file.
    """

    code = "SP006"
    name = "key-in-two-files"
    title = "top-level key defined in two files"
    severity = Severity.ERROR
    stage = "load"


@register
class TopLevelNotMappingRule(Rule):
    """A plan file's top level is a list or a single value.

    What it does: every plan file is a mapping of top-level keys (`plan:`, `goals:`...).

    How to fix: put the content under the right top-level key.
    """

    code = "SP007"
    name = "top-level-not-mapping"
    title = "top level is not a mapping"
    severity = Severity.ERROR
    stage = "load"


@register
class EmptyFileRule(Rule):
    """A plan file is empty or holds only comments.

    Why: usually a leftover or a file whose content was lost.

    How to fix: delete the file or give it content.
    """

    code = "SP008"
    name = "empty-file"
    title = "empty file"
    severity = Severity.WARNING
    stage = "load"


@register
class UnreadablePathRule(Rule):
    """A path given on the command line does not exist or cannot be read.

    This is an I/O problem: `stratplan` exits with status 2.
    """

    code = "SP010"
    name = "unreadable-path"
    title = "path missing or unreadable"
    severity = Severity.ERROR
    stage = "load"


@register
class NoYamlRule(Rule):
    """A folder given as a plan has no `.yaml` or `.yml` files.

    This is a usage problem: `stratplan` exits with status 2.
    """

    code = "SP011"
    name = "no-yaml"
    title = "folder has no YAML files"
    severity = Severity.ERROR
    stage = "load"


@register
class SchemaRule(Rule):
    """A value does not fit the plan model.

    What it does: checks every file against the pydantic model of a plan: required fields
    present, no unknown keys (a misspelt key is an error), the right types, ids as kebab-case
    slugs, periods as `YYYY-YYYY`, years as numbers. A missing field is reported at the mapping
    that lacks it.

    How to fix: follow the message; `stratplan schema` prints the JSON Schema, which editors use
    for completion through a `# yaml-language-server: $schema=...` line.
    """

    code = "SP100"
    name = "schema"
    title = "value does not fit the plan model"
    severity = Severity.ERROR
    stage = "schema"


@register
class UnusedSuppressionRule(Rule):
    """A `# stratplan: ignore[CODE]` comment silences nothing.

    Why: stale suppressions hide future problems on that line.

    How to fix: remove the comment, or move it to the line of the finding.
    """

    code = "SP901"
    name = "unused-suppression"
    title = "suppression comment silences nothing"
    severity = Severity.WARNING
    stage = "suppress"


@register
class SuppressionWithoutReasonRule(Rule):
    """A `# stratplan: ignore[CODE]` comment gives no reason.

    Why: a reviewer must know why a finding is acceptable.

    How to fix: add the reason after the bracket:
    `# stratplan: ignore[SP301] baseline not yet published`.
    """

    code = "SP902"
    name = "suppression-without-reason"
    title = "suppression comment without a reason"
    severity = Severity.WARNING
    stage = "suppress"


@register
class TemplateErrorRule(Rule):
    """The templates could not turn the plan into a document.

    What it does: reports a template that fails (a syntax error, an undefined name, a loop over
    something that is not a list, the sandbox refusing an operation) or markup the templates
    produced that the document parser refuses. The diagnostic names the template file and line.

    Why: with the packaged templates this is a bug to report; with `--template-dir` it is most
    often an error in the user's own template.

    How to fix: correct the template at the line given; `stratplan render` without
    `--template-dir` shows whether the packaged templates render the plan.
    """

    code = "SP020"
    name = "template-error"
    title = "template failed"
    severity = Severity.ERROR
    stage = "render"


@register
class FormatRefusedRule(Rule):
    """`stratplan fmt` (or `apply`, `new`) refused to rewrite a file.

    What it does: `fmt` rewrites a file only when the canonical layout reads back as the same
    data (values and the written form of numbers) and keeps every comment; otherwise the file
    is left as it is and this is reported. `fmt`, `apply` and `new` read files with ruamel's
    round trip, which refuses a little that the plan loader accepts (a tab after `key:`):
    such a file is reported here, at ruamel's position, and left as it is.

    How to fix: write the line in plainer YAML (a space, not a tab, after `key:`); otherwise
    nothing is wrong with the plan: please report the file, since the formatter should
    handle it.
    """

    code = "SP012"
    name = "format-refused"
    title = "fmt would change a value or a comment"
    severity = Severity.ERROR
    stage = "format"


@register
class NotCanonicalRule(Rule):
    """A plan file is not in the canonical layout (`stratplan fmt --check`).

    What it does: `fmt --check` compares each file with what `fmt` would write (key order,
    indentation, quoting), changing nothing.

    Why: a canonical layout keeps reviews and git diffs to the changes that matter.

    How to fix: run `stratplan fmt FILE` and commit the result.
    """

    code = "SP015"
    name = "not-canonical"
    title = "file not in the canonical layout"
    severity = Severity.WARNING
    stage = "load"


@register
class RulesNotRunRule(Rule):
    """Some rules were not run, because part of the plan could not be read.

    What it does: when a file cannot be read (a YAML error) or items do not fit the model
    (SP100), every other rule still runs over what could be read, so one run shows every
    problem it can. The rules that conclude from what is absent (an unresolved reference, a
    goal without targets, an unused footnote, a previous cycle's target unaccounted for) would
    report what is only missing because of those errors; they wait, and this note names them.

    How to fix: fix the errors above; the next run checks the whole plan.
    """

    code = "SP013"
    name = "rules-not-run"
    title = "rules not run over an incomplete plan"
    severity = Severity.INFO
    stage = "schema"


@register
class RevisionIdentityUnsetRule(Rule):
    """The redline's revisions have a default author or date.

    What it does: `stratplan diff` marks every revision with an author and a date: `--author`
    and `--date`, else `revision-author` and `revision-date` under `[tool.stratplan]`. When
    neither sets them, the revisions are by "stratplan" and dated with the new plan's date
    (`plan.date`; for a draft without one, 1 January of the first year of the cycle before
    it, never a date in the draft's future), and this warning says so.

    Why: delegates step through the revisions in Word by author and date; "stratplan" on a
    made-up day tells them nothing about who proposed the text and when.

    How to fix: `--author "CWG-SFP Secretariat" --date 2030-02-01`, or in pyproject.toml:
    `[tool.stratplan]` `revision-author = "CWG-SFP Secretariat"`, `revision-date =
    "2030-02-01"` (`"today"` takes the clock's date, the one way it enters an output).
    """

    code = "SP014"
    name = "revision-identity-unset"
    title = "redline revisions by a default author or date"
    severity = Severity.WARNING
    stage = "diff"
