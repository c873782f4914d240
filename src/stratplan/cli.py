"""The `stratplan` command: parses options and calls the library API; no plan logic here."""

from __future__ import annotations

import gc
import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from stratplan.diagnostics import EXIT_ERROR, EXIT_OK

app = typer.Typer(
    name="stratplan",
    help="Strategic plans as code: validate, render and redline the ITU strategic plan.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_state = {"debug": False}


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


class Stage(str, Enum):
    draft = "draft"
    final = "final"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


@app.callback()
def _main(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
) -> None:
    _state["debug"] = debug


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Plan folders, or files of plan folders.")],
    format: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.text,
    stage: Annotated[
        Stage | None, typer.Option(help="final: brackets and alternatives are errors.")
    ] = None,
    fail_on: Annotated[
        FailOn | None, typer.Option(help="Lowest severity that makes the exit status 1.")
    ] = None,
) -> None:
    """Check plans: structure, references, results chain, SMART, resources, drafting, lineage.

    Exit status: 0 clean, 1 problems at or above --fail-on, 2 usage or I/O error.
    """
    from stratplan.api import validate as run
    from stratplan.report import render_report

    result = run(paths, stage=stage.value if stage else None)
    threshold = fail_on.value if fail_on else "error"
    typer.echo(render_report(format.value, result.diagnostics, result.checked))
    raise typer.Exit(result.exit_code(threshold))


class DocFormat(str, Enum):
    docx = "docx"
    html = "html"
    md = "md"


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
        raise typer.Exit(EXIT_ERROR if any(d.io for d in exc.diagnostics) else 1) from None


def _output_path(output: str | Path | None, name: str, folder: bool = False) -> Path:
    """Where an output goes: `output` itself, or `name` inside it when it is a folder (an
    existing one, a path ending in /, or any path when `folder`); with no `output`,
    build/`name`. A folder named this way, and build/, are created when missing."""
    from stratplan.output import ensure_folder

    if output is None:
        return ensure_folder(Path("build")) / name
    path = Path(output)
    if folder or str(output).endswith(("/", os.sep)) or path.is_dir():
        return ensure_folder(path) / name
    return path


def _write(target: Path, data: bytes, inputs: list[Path]) -> None:
    """Write `data` to `target` atomically, refusing to overwrite any of `inputs`."""
    from stratplan.output import write_atomically

    write_atomically(target, data, inputs=inputs)
    typer.echo(f"wrote {target}")


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
    format: Annotated[DocFormat, typer.Option("--format", "-f")] = DocFormat.docx,
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
) -> None:
    """Compile plans into the Council document (Annex 1 to Resolution 71)."""
    from stratplan.api import render as run

    if contribution:
        from stratplan.api import contribution_redline, input_files
        from stratplan.render import encode

        if len(plans) != 1:
            typer.echo("stratplan: --contribution takes one plan, the one amended", err=True)
            raise typer.Exit(EXIT_ERROR)
        stem = "+".join(c.stem for c in contribution)
        with _diagnosed():
            result = contribution_redline(
                contribution, template_dir=template_dir, base=plans[0]
            )
            _write(
                _output_path(output, f"{stem}.{format.value}"),
                encode(result.document, format.value),
                [p for c in [plans[0], *contribution] for p in input_files(c)],
            )
        return

    if template_dir is not None and not template_dir.is_dir():
        typer.echo(f"stratplan: --template-dir {template_dir} is not a folder", err=True)
        raise typer.Exit(EXIT_ERROR)
    for plan in plans:
        period = (plan.parent if plan.is_file() else plan).resolve().name
        with _diagnosed():
            target = _output_path(output, f"{period}.{format.value}", folder=len(plans) > 1)
            written = run(plan, target, format.value, template_dir)
        typer.echo(f"wrote {written}")


class DiffFormat(str, Enum):
    docx = "docx"
    md = "md"
    json = "json"
    text = "text"


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="The earlier plan (or a base plan).")],
    new: Annotated[Path, typer.Argument(help="The later plan.")],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="File, or folder (existing or ending in /) for the default name. Default: "
            "build/redline-OLD_NEW.docx; the md, json and text summaries go to stdout.",
        ),
    ] = None,
    format: Annotated[DiffFormat, typer.Option("--format", "-f")] = DiffFormat.docx,
    author: Annotated[str, typer.Option(help="Author of every revision.")] = "stratplan",
    date: Annotated[
        str | None, typer.Option(help="Date of every revision, YYYY-MM-DD (default: new plan's).")
    ] = None,
    template_dir: Annotated[Path | None, typer.Option()] = None,
) -> None:
    """The redline between two plans as a Word file with native tracked changes, or the change
    summary (each item ADD, MOD, SUP or NOC, with counts per section) as md, json or text."""
    import re

    from stratplan.api import diff as run
    from stratplan.api import input_files

    if date is not None and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", date):
        typer.echo(f"stratplan: --date {date!r} is not YYYY-MM-DD", err=True)
        raise typer.Exit(EXIT_ERROR)
    from stratplan.contribution import contribution_files

    with _diagnosed():
        if contribution_files(new):
            from stratplan.api import contribution_redline

            result = contribution_redline(contribution_files(new), date, template_dir, base=old)
        else:
            result = run(old, new, author=author, date=date, template_dir=template_dir)
        pair = f"{_label(old)}_{_label(new)}"
        if format is DiffFormat.docx:
            from stratplan.docx import write_docx

            data = write_docx(result.document)
            name = f"redline-{pair}.docx"
        else:
            from stratplan.diff import summary_json, summary_markdown, summary_text

            text = {"md": summary_markdown, "json": summary_json, "text": summary_text}[
                format.value
            ](result.changes)
            if output is None:
                typer.echo(text)
                return
            data = text.encode("utf-8")
            name = f"changes-{pair}.{'txt' if format is DiffFormat.text else format.value}"
        _write(_output_path(output, name), data, input_files(old) + input_files(new))


def _label(path: Path) -> str:
    """A plan folder's name, or a contribution file's name without its suffix."""
    resolved = path.resolve()
    return resolved.stem if resolved.is_file() else resolved.name


class LineageFormat(str, Enum):
    md = "md"
    csv = "csv"
    docx = "docx"


@app.command()
def lineage(
    old: Annotated[Path, typer.Argument(help="The earlier cycle's plan folder.")],
    new: Annotated[Path, typer.Argument(help="The later cycle's plan folder.")],
    format: Annotated[LineageFormat, typer.Option("--format", "-f")] = LineageFormat.md,
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
    from stratplan.api import input_files
    from stratplan.api import lineage as run

    with _diagnosed():
        data = run(old, new, format.value)
        if output is None and format is not LineageFormat.docx:
            typer.echo(data.decode("utf-8"), nl=False)
            return
        name = f"lineage-{_label(old)}_{_label(new)}.{format.value}"
        _write(_output_path(output, name), data, input_files(old) + input_files(new))


@app.command()
def apply(
    contributions: Annotated[list[Path], typer.Argument(help="Contribution files.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="New folder for the plan.")],
) -> None:
    """Write the base plan with the contributions' changes applied (comments and order kept)."""
    from stratplan.contribution import apply_contributions

    with _diagnosed():
        apply_contributions(contributions, output)
    typer.echo(f"wrote {output}")


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
    from stratplan.fmt import format_paths

    with _diagnosed():
        result = format_paths(paths, check=check)
    verb = "would reformat" if check else "reformatted"
    for path in result.changed:
        typer.echo(f"{verb} {path}")
    typer.echo(f"{len(result.changed)} of {len(result.checked)} files {verb}")
    raise typer.Exit(1 if check and result.changed else 0)


@app.command()
def new(
    period: Annotated[str, typer.Argument(help="The new cycle, e.g. 2032-2035.")],
    source: Annotated[Path, typer.Option("--from", help="The plan to start from.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Default: plans/<period> beside it.")
    ] = None,
) -> None:
    """Start the next cycle from a plan: same ids (lineage is automatic), status draft,
    deadlines moved to the new horizon, meeting data cleared, comments kept."""
    from stratplan.newcycle import new_cycle

    dest = output or source.resolve().parent / period
    with _diagnosed():
        new_cycle(source, period, dest)
    typer.echo(f"wrote {dest}")


class ExportFormat(str, Enum):
    json = "json"
    csv = "csv"


@app.command()
def export(
    plan: Annotated[Path, typer.Argument(help="A plan folder.")],
    format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.json,
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
    from stratplan.api import input_files, load_valid_plan
    from stratplan.export import export_tables, write_csv, write_json

    with _diagnosed():
        _, loaded = load_valid_plan(plan)
        tables = export_tables(loaded)
        if format is ExportFormat.csv:
            folder = Path(output) if output else Path("build") / f"{_label(plan)}-export"
            for path in write_csv(tables, folder):
                typer.echo(f"wrote {path}")
            return
        text = write_json(tables)
        if output is None:
            typer.echo(text)
            return
        target = _output_path(output, f"{_label(plan)}.json")
        _write(target, text.encode("utf-8"), input_files(plan))


@app.command()
def schema() -> None:
    """Print the JSON Schema of a plan file (for editors and check-jsonschema)."""
    from stratplan.api import schema_json

    typer.echo(schema_json())


@app.command()
def explain(code: Annotated[str, typer.Argument(help="A rule code, e.g. SP101.")]) -> None:
    """Print a rule's documentation."""
    from stratplan.checks import get_rule

    rule = get_rule(code)
    if rule is None:
        typer.echo(f"stratplan: no rule {code!r}; `stratplan rules` lists them", err=True)
        raise typer.Exit(EXIT_ERROR)
    typer.echo(f"{rule.code} {rule.name} ({rule.severity.value}): {rule.title}\n")
    typer.echo(rule.doc())
    if rule.code == "SP103":
        from stratplan.model import SHOW_KINDS

        kinds = []
        for kind, (collection, argument) in SHOW_KINDS.items():
            if argument == "none":
                kinds.append(kind)
            else:
                arg = f"<{collection} id>" if argument == "required" else f"[<{collection} id>]"
                kinds.append(f"{kind}:{arg}")
        typer.echo("\nKinds: " + ", ".join(kinds))


@app.command()
def rules() -> None:
    """List the rules with their codes and default severities."""
    from stratplan.checks import all_rules

    for rule in all_rules():
        typer.echo(f"{rule.code}  {rule.severity.value:<7}  {rule.name:<28} {rule.title}")


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
            typer.echo(
                f"stratplan: internal error: {type(exc).__name__}: {exc}\n"
                "This is a bug in stratplan, not in your plan. Run again with --debug for the "
                "traceback and report it at https://github.com/stratplan/stratplan/issues",
                err=True,
            )
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_OK)


if __name__ == "__main__":
    main()
