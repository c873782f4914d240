"""The `stratplan` command: parses options and calls the library API; no plan logic here."""

from __future__ import annotations

import gc
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stratplan.diagnostics import EXIT_ERROR, EXIT_OK
from stratplan.formats import (
    CompileFormat,
    DiffFormat,
    ExportFormat,
    FailOn,
    Language,
    LineageFormat,
    RenderFormat,
    ReportFormat,
    SmartFormat,
    Stage,
)

if TYPE_CHECKING:
    from stratplan.diagnostics import Result

app = typer.Typer(
    name="stratplan",
    help="Strategic plans as code: validate, render and redline the ITU strategic plan.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_state = {"debug": False}

translations_app = typer.Typer(
    help="Translations of a plan into the other official languages: their status, XLIFF for "
    "the translators and back, carried across cycles.",
    no_args_is_help=True,
)
app.add_typer(translations_app, name="translations")

Lang = Annotated[
    Language | None,
    typer.Option("--lang", help="The language edition (BCP 47: ar, zh, en, fr, ru, es); its "
                 "untranslated fields are shown in English, marked."),
]



def _print_version(value: bool) -> None:
    if value:
        from stratplan import __version__

        typer.echo(f"stratplan {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _main(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True,
                     help="Print the version and exit."),
    ] = False,
) -> None:
    _state["debug"] = debug


@app.command()
def validate(
    paths: Annotated[
        list[Path], typer.Argument(help="Plan folders, files of plan folders, contributions.")
    ],
    format: Annotated[ReportFormat, typer.Option("--format", "-f")] = "text",
    stage: Annotated[
        Stage | None, typer.Option(help="final: brackets and alternatives are errors.")
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(help="Lowest severity that makes the exit status 1 (default: the "
                     "config's fail-on, else error)."),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(help="A file of accepted findings: report only the others (see "
                     "--write-baseline)."),
    ] = None,
    write_baseline: Annotated[
        bool,
        typer.Option("--write-baseline", help="Write every finding to the --baseline file "
                     "instead of reporting them; exit 0."),
    ] = False,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Only the counts by rule and the totals.")
    ] = False,
    lang: Annotated[
        list[str] | None,
        typer.Option("--lang", help="Check the plan's translation into this language too: "
                     "missing and stale fields (SP711, SP712), errors with --stage final; "
                     "repeat for several."),
    ] = None,
) -> None:
    """Check plans: structure, references, results chain, SMART, resources, drafting, lineage.

    Exit status: 0 clean, 1 problems at or above --fail-on, 2 usage or I/O error.
    """
    from stratplan import api
    from stratplan.report import render_report

    if write_baseline:
        if baseline is None:
            typer.echo("stratplan: --write-baseline needs --baseline FILE", err=True)
            raise typer.Exit(EXIT_ERROR)
        with _diagnosed():
            written = api.write_baseline(paths, baseline, stage=stage)
        for path in written.written:
            typer.echo(f"wrote {path}", err=api.is_stream(path))
        typer.echo(f"{len(written.diagnostics)} findings accepted")
        raise typer.Exit(EXIT_OK)
    with _diagnosed():
        result = api.validate(paths, stage=stage, baseline=baseline, languages=lang or ())
    typer.echo(render_report(format, result.diagnostics, result.checked,
                             result.baselined, statistics))
    raise typer.Exit(result.exit_code(fail_on))


ReferenceDocx = Annotated[
    Path | None,
    typer.Option(
        "--reference-docx",
        help="A .docx whose styles, page size, margins, header and footer the Word (and PDF) "
        "output takes, as pandoc's --reference-doc (default: the config's reference-docx, "
        "else the built-in house style).",
    ),
]


@contextmanager
def _diagnosed() -> Iterator[None]:
    """A StratplanError raised inside becomes its diagnostics on stderr and exit status 2
    (usage or I/O) or 1 (problems in the input)."""
    from stratplan.diagnostics import StratplanError
    from stratplan.report import format_text

    try:
        yield
    except StratplanError as exc:
        typer.echo(format_text(exc.diagnostics, 1), err=True)
        raise typer.Exit(exc.exit_code) from None


def _say(text: str, err: bool = False) -> None:
    """Print a message: whatever it quotes (a file name, text from a Word file) with its
    control characters escaped (`report.printable`)."""
    from stratplan.report import printable

    typer.echo(printable(text), err=err)


def _show(output: Result) -> None:
    from stratplan import api

    for d in output.diagnostics:
        where = f"{d.location}: " if d.location else ""
        _say(f"stratplan: {where}{d.severity.value} {d.code}: {d.message}", err=True)
        if d.hint:
            _say(f"  hint: {d.hint}", err=True)
    for path in output.written:
        # Written to /dev/stdout (or a pipe), the message goes to stderr, out of the output.
        _say(f"wrote {path}", err=api.is_stream(path))
    if output.text is not None:
        typer.echo(output.text, nl=not output.text.endswith("\n"))


@app.command()
def render(
    plans: Annotated[list[Path], typer.Argument(help="Plan folders (or files of them).")],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Output file (one plan), or folder (several plans, or a path ending in /). "
            "Default: build/<period>.<format>.",
        ),
    ] = None,
    format: Annotated[RenderFormat, typer.Option("--format", "-f")] = "docx",
    template_dir: Annotated[
        Path | None, typer.Option(help="Templates that override the packaged ones.")
    ] = None,
    contribution: Annotated[
        list[Path] | None,
        typer.Option(
            "--contribution",
            "-c",
            help="Show these contributions' changes as tracked changes by their contributors.",
        ),
    ] = None,
    reference_docx: ReferenceDocx = None,
    lang: Lang = None,
) -> None:
    """Compile plans into the Council document (Annex 1 to Resolution 71); -f pdf through
    LibreOffice; --lang for a language edition."""
    from stratplan import api

    with _diagnosed():
        _show(
            api.render(
                plans, output, format, template_dir, contribution or (), reference_docx, lang
            )
        )


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="The earlier plan (or a base plan).")],
    new: Annotated[Path, typer.Argument(help="The later plan, or contributions to OLD.")],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="File, or folder (existing or ending in /) for the default name. Default: "
            "build/redline-OLD_NEW.docx; the md, json and text summaries go to stdout.",
        ),
    ] = None,
    format: Annotated[DiffFormat, typer.Option("--format", "-f")] = "docx",
    author: Annotated[
        str | None,
        typer.Option(help="Author of every revision (default: the config's revision-author, "
                     "else 'stratplan', with a warning)."),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(help="Date of every revision, YYYY-MM-DD or 'today' (default: the "
                     "config's revision-date, else the new plan's date, with a warning)."),
    ] = None,
    template_dir: Annotated[Path | None, typer.Option()] = None,
    reference_docx: ReferenceDocx = None,
    lang: Lang = None,
    meeting: Annotated[
        Path | None,
        typer.Option("--meeting", help="A meeting's record: the redline is its outcome, each "
                     "accepted change a revision by its proposer, the others by the Secretariat "
                     "(--author, else the record's secretariat)."),
    ] = None,
) -> None:
    """The redline between two plans as a Word file with native tracked changes (or its PDF),
    or the change summary (each item ADD, MOD, MOV, NUM, SUP or NOC, with counts per section)
    as md, json or text. Either plan may be a git revision's: REV:path, as git show takes it
    (cwg-4:plans/2028-2031)."""
    import re

    from stratplan import api

    if date is not None and date != "today" and not re.fullmatch(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}", date
    ):
        typer.echo(f"stratplan: --date {date!r} is not YYYY-MM-DD (or 'today')", err=True)
        raise typer.Exit(EXIT_ERROR)
    with _diagnosed():
        _show(
            api.diff(old, new, output, format, author, date, template_dir, reference_docx,
                     lang, meeting)
        )


@app.command(name="compile")
def compile_(
    base: Annotated[Path, typer.Argument(help="The plan the contributions amend.")],
    contributions: Annotated[list[Path], typer.Argument(help="Contribution files or folders.")],
    output: Annotated[
        str | None,
        typer.Option(
            "--output", "-o",
            help="File, or folder for the default name. Default: build/compilation-<period>."
            "<format>; json goes to stdout.",
        ),
    ] = None,
    format: Annotated[CompileFormat, typer.Option("--format", "-f")] = "docx",
    full: Annotated[
        bool, typer.Option("--full", help="Show every part of the plan, not only those changed.")
    ] = False,
    template_dir: Annotated[Path | None, typer.Option()] = None,
    meeting: Annotated[
        Path | None,
        typer.Option("--meeting", help="The meeting's record (stratplan meeting): its proposal "
                     "numbers, new proposals marked, its decisions shown, withdrawn ones apart."),
    ] = None,
) -> None:
    """The compilation of a meeting's contributions: each part of the plan that a contribution
    changes (grouped by section, in the order of the text), its draft text, then every
    proposal for it as tracked changes by its contributor, with its mark (ADD, MOD, SUP),
    number, reference and reasons; overlapping proposals together. -f pdf through
    LibreOffice."""
    from stratplan import api

    with _diagnosed():
        _show(api.compile_contributions(base, contributions, output, format, template_dir,
                                        full, meeting))


@app.command()
def meeting(
    base: Annotated[Path, typer.Argument(help="The plan the contributions amend.")],
    contributions: Annotated[list[Path], typer.Argument(help="Contribution files or folders.")],
    record: Annotated[
        Path, typer.Option("--record", "-o", help="The meeting's record, e.g. "
                           "meetings/cwg-sfp-4.yaml: started, or brought up to date.")
    ],
    reference: Annotated[
        str | None, typer.Option(help="The meeting, e.g. CWG-SFP-4 (a new record).")
    ] = None,
    date: Annotated[str | None, typer.Option(help="Its date, YYYY-MM-DD (a new record).")] = None,
    title: Annotated[str | None, typer.Option(help="Its name, for documents.")] = None,
    revision: Annotated[
        str | None,
        typer.Option(help="The git revision of the plan before the meeting (default: the "
                     "revision BASE is read from, else the commit of an unchanged plan)."),
    ] = None,
) -> None:
    """Start a meeting's record from the compilation (one entry per proposal, by its number,
    the decision pending), or add to an existing one the proposals it lacks, with the next
    numbers. Write the decisions into it; `apply --meeting` applies them."""
    from stratplan import api

    with _diagnosed():
        _show(api.meeting(base, contributions, record, reference, date, title, revision))


@app.command(name="import")
def import_(
    review: Annotated[Path, typer.Argument(help="The reviewed Word file.")],
    base: Annotated[Path, typer.Option("--base", help="The plan it is a render of.")],
    output: Annotated[
        str | None,
        typer.Option(
            "--output", "-o",
            help="The contribution file, or a folder (one file per reviewer). Default: build/.",
        ),
    ] = None,
    contributor: Annotated[
        str | None,
        typer.Option(help="Who the contribution is from (default: each reviewer's name)."),
    ] = None,
    reference: Annotated[
        str | None, typer.Option(help="The contribution's document number, e.g. CWG-SFP-4/12.")
    ] = None,
    author: Annotated[
        str | None, typer.Option(help="Take only this reviewer's changes.")
    ] = None,
    force: Annotated[
        bool,
        typer.Option(help="Replace contribution files edited since an import wrote them."),
    ] = False,
) -> None:
    """A reviewed Word file (tracked changes, comments) as contributions addressed by the
    plan's ids, one per reviewer, all written or none. Exit 1 when something could not be
    expressed (each is reported), 0 when everything was taken."""
    from stratplan import api
    from stratplan.report import format_text

    with _diagnosed():
        result = api.import_review(review, base, output, contributor, reference, author, force)
    for path in result.written:
        _say(f"wrote {path}")
    if result.diagnostics:
        typer.echo(format_text(result.diagnostics, 1), err=True)
    typer.echo(result.text)
    raise typer.Exit(result.exit_code())


@app.command()
def lineage(
    old: Annotated[Path, typer.Argument(help="The earlier cycle's plan folder.")],
    new: Annotated[Path, typer.Argument(help="The later cycle's plan folder.")],
    format: Annotated[LineageFormat, typer.Option("--format", "-f")] = "md",
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="File, or folder (existing or ending in /), instead of stdout; docx goes to "
            "build/ by default.",
        ),
    ] = None,
) -> None:
    """The crosswalk of targets between two cycles: what each new target replaces, and what
    became of the old targets (carried, moved to outcomes, dropped with the reason)."""
    from stratplan import api

    with _diagnosed():
        _show(api.lineage(old, new, format, output))


@app.command()
def apply(
    contributions: Annotated[
        list[Path] | None, typer.Argument(help="Contribution files (none with --meeting).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="A new folder for the amended plan.")
    ] = None,
    in_place: Annotated[
        bool,
        typer.Option("--in-place", help="Write the changes into the base plan's own files."),
    ] = False,
    change: Annotated[
        list[str] | None,
        typer.Option(
            "--change",
            help="Take only this change: N (the Nth of each file), FILE:N, or an item id; "
            "repeat for several.",
        ),
    ] = None,
    meeting: Annotated[
        Path | None,
        typer.Option("--meeting", help="A meeting's record: apply the proposals it accepted "
                     "(the agreed text of those accepted as amended)."),
    ] = None,
) -> None:
    """Apply contributions to their base plan (comments and order kept): into a new folder
    (-o), or, once the Working Group has decided, into the plan itself (--in-place), the
    decisions taken from the meeting's record (--meeting)."""
    from stratplan import api

    with _diagnosed():
        _show(api.apply(contributions or (), output, in_place, change or (), meeting))


@app.command()
def fmt(
    paths: Annotated[list[Path], typer.Argument(help="Plan files or folders.")],
    check: Annotated[
        bool, typer.Option("--check", help="Change nothing; exit 1 if a file would change.")
    ] = False,
) -> None:
    """Rewrite plan files in the canonical layout (key order, indentation), keeping comments.

    It never changes a value, and running it twice changes nothing the second time.
    """
    from stratplan import api

    with _diagnosed():
        result = api.format_files(paths, check=check)
    for path in result.written:
        _say(f"reformatted {path}")
    for d in result.diagnostics:
        _say(f"would reformat {d.location.file if d.location else d.message}")
    _say(result.text or "")
    raise typer.Exit(result.exit_code())


@app.command()
def new(
    period: Annotated[str, typer.Argument(help="The new cycle, e.g. 2032-2035.")],
    source: Annotated[Path, typer.Option("--from", help="The plan to start from.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Default: plans/<period> beside it.")
    ] = None,
) -> None:
    """Start the next cycle from a plan: same ids (lineage is automatic), status draft, the
    period's years, titles, horizon and deadlines moved; what cannot be known left as [...];
    the old cycle's drafting comments and lineage left behind. Prints what it changed and
    what the drafters must still decide."""
    from stratplan import api
    from stratplan.diagnostics import display_path
    from stratplan.report import by_rule

    with _diagnosed():
        result = api.new_cycle(period, source, output)
    _say(result.text or "")
    typer.echo(f"`stratplan validate {display_path(result.written[0])}` reports:")
    for line in by_rule(result.diagnostics)[1:] or ["  nothing"]:
        typer.echo(line)


@app.command()
def smart(
    plans: Annotated[
        list[Path], typer.Argument(help="A plan folder, or two (the earlier first) to compare.")
    ],
    format: Annotated[SmartFormat, typer.Option("--format", "-f")] = "text",
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="File, or folder (existing or ending in /), "
                     "instead of stdout; docx and html go to build/ by default."),
    ] = None,
) -> None:
    """The SMART scorecard: per target and indicator, which SMART elements the plan states
    (statement; indicators; unit and data source; baseline value and year; target value;
    deadline; custodian and SDG code where relevant), with totals per goal and per plan."""
    from stratplan import api

    with _diagnosed():
        _show(api.smart(plans, format, output))


@app.command()
def export(
    plan: Annotated[Path, typer.Argument(help="A plan folder.")],
    format: Annotated[ExportFormat, typer.Option("--format", "-f")] = "json",
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="json: a file, or a folder (existing or ending in /), default stdout; "
            "csv: a folder, default build/<period>-export/.",
        ),
    ] = None,
) -> None:
    """The results framework as flat tables (goals, targets, indicators with SMART fields,
    priorities, outcomes, resources) for monitoring teams and spreadsheets."""
    from stratplan import api

    with _diagnosed():
        _show(api.export(plan, format, output))


@app.command()
def schema(
    contribution: Annotated[
        bool, typer.Option("--contribution", help="The schema of a contribution file.")
    ] = False,
) -> None:
    """Print the JSON Schema of a plan file (for editors and check-jsonschema)."""
    from stratplan import api

    typer.echo(api.schema_json(contribution=contribution))


@translations_app.command("status")
def translations_status(
    plan: Annotated[Path, typer.Argument(help="A plan folder.")],
    lang: Annotated[
        list[str] | None,
        typer.Option("--lang", help="Only this language (repeat for several); default: all."),
    ] = None,
) -> None:
    """Per language, the plan's fields (and English words) whose translation is current,
    stale (the English changed since) or missing."""
    from stratplan import api

    with _diagnosed():
        result = api.translations_status(plan, lang or ())
    _show(result)
    raise typer.Exit(result.exit_code())


@translations_app.command("export")
def translations_export(
    plan: Annotated[Path, typer.Argument(help="A plan folder.")],
    lang: Annotated[Language, typer.Option("--lang", help="The language to translate into.")],
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="The XLIFF file. Default: "
                     "build/<period>-<lang>.xlf."),
    ] = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Every field, not only the stale and missing ones.")
    ] = False,
) -> None:
    """An XLIFF 2.0 file of what a language needs (its stale and missing fields), for the
    translators' CAT tool: unit ids are the fields' addresses, the English the source, the
    current translation the target, the old English a note of a stale unit."""
    from stratplan import api

    with _diagnosed():
        _show(api.translations_export(plan, lang, output, everything))


@translations_app.command("import")
def translations_import(
    xliff: Annotated[Path, typer.Argument(help="The translated XLIFF 2 file.")],
    plan: Annotated[
        Path | None,
        typer.Option("--plan", help="The plan it translates (default: the folder it was "
                     "exported from)."),
    ] = None,
) -> None:
    """Take a translated XLIFF file back into the plan's translations: each unit checked
    (a field of the plan, its English unchanged, footnote references and brackets kept);
    exit 1 when a unit was refused (each is reported, none of it written)."""
    from stratplan import api
    from stratplan.report import format_text

    with _diagnosed():
        result = api.translations_import(xliff, plan)
    for path in result.written:
        _say(f"wrote {path}")
    if result.diagnostics:
        typer.echo(format_text(result.diagnostics, 1), err=True)
    typer.echo(result.text)
    raise typer.Exit(result.exit_code())


@translations_app.command("carry")
def translations_carry(
    old: Annotated[Path, typer.Argument(help="The earlier cycle's plan.")],
    new: Annotated[Path, typer.Argument(help="The later cycle's plan.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only the report: write nothing.")
    ] = False,
) -> None:
    """Carry the earlier plan's translations into the later one where its English is kept
    (by lineage), and report how many English words of the later plan are new, changed and
    reused (the "previously published text")."""
    from stratplan import api

    with _diagnosed():
        _show(api.translations_carry(old, new, write=not dry_run))


@app.command()
def explain(code: Annotated[str, typer.Argument(help="A rule code, e.g. SP101.")]) -> None:
    """Print a rule's documentation."""
    from stratplan import api

    text = api.explain(code)
    if text is None:
        typer.echo(f"stratplan: no rule {code!r}; `stratplan rules` lists them", err=True)
        raise typer.Exit(EXIT_ERROR)
    typer.echo(text)


@app.command()
def rules() -> None:
    """List the rules with their codes and default severities."""
    from stratplan import api

    typer.echo(api.rules_table())


def main() -> None:
    try:
        _run()
    finally:
        # The process is ending: spare it the interpreter's last garbage collection over every
        # object the command made (0.1-0.15 s of a one-second render). Outputs are already
        # closed and renamed, and the standard streams are flushed at exit all the same.
        gc.freeze()


def _run() -> None:
    try:
        app()
    except SystemExit as exc:
        # click maps usage errors to 2; keep every other code as the command set it.
        raise exc
    except KeyboardInterrupt:
        typer.echo("stratplan: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        if _state["debug"]:
            traceback.print_exc()
        else:
            from stratplan import project_url

            url = project_url()
            where = f"at {url.rstrip('/')}/issues" if url else "to the stratplan maintainers"
            _say(
                f"stratplan: internal error: {type(exc).__name__}: {exc}\n"
                "This is a bug in stratplan, not in your plan. Run again with --debug for the "
                f"traceback and report it {where}",
                err=True,
            )
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_OK)


if __name__ == "__main__":
    main()
