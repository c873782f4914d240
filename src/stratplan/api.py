"""The library API: one function per command, which the CLI, the tests and other programs call.

Every function takes paths and options, does the whole job (reading each file once through a
`Workspace`, writing outputs atomically and never over anything it read) and returns a
`Result`: the files written, the text for standard output, the diagnostics, the exit status.
Everything a user can cause, bad input or a bad argument (a format the command does not write,
a date that is not one), is a `StratplanError` carrying diagnostics. Nothing here prints.

    from stratplan import api

    result = api.validate(["plans/2028-2031"], stage="final")
    for d in result.diagnostics:
        print(d.location, d.code, d.message)
    api.render(["plans/2028-2031"], "build/2028-2031.docx")
    api.diff("plans/2024-2027", "plans/2028-2031", "build/redline.docx", author="Secretariat")
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stratplan import ir
from stratplan.checks.runner import ValidationResult, validate_plan
from stratplan.config import Config
from stratplan.diagnostics import (
    Diagnostic,
    Location,
    Result,
    Severity,
    StratplanError,
    display_path,
    usage_error,
)
from stratplan.formats import (
    SOURCE_LANGUAGE,
    CompileFormat,
    DiffFormat,
    ExportFormat,
    Language,
    LineageFormat,
    RenderFormat,
    SmartFormat,
    Stage,
    choices,
)
from stratplan.ir import Document
from stratplan.model.address import split as split_address
from stratplan.model.contribution import address_of
from stratplan.model.meeting import DECISION_WORDS
from stratplan.model.plan import Plan
from stratplan.source.revisions import in_working_tree, local, refuse_revision
from stratplan.workspace import LoadedContribution, LoadedPlan, Workspace, plan_folder, real

if TYPE_CHECKING:
    from stratplan.changes.apply import AppliedChange
    from stratplan.checks import Rule
    from stratplan.diff import RedlineResult

__all__ = [
    "CompileFormat",
    "Diagnostic",
    "DiffFormat",
    "Document",
    "ExportFormat",
    "Language",
    "LineageFormat",
    "LoadedPlan",
    "RedlineResult",
    "RenderFormat",
    "Result",
    "Rule",
    "Severity",
    "SmartFormat",
    "Stage",
    "StratplanError",
    "ValidationResult",
    "apply",
    "compile_contributions",
    "contribution_redline",
    "diff",
    "explain",
    "export",
    "format_files",
    "import_review",
    "lineage",
    "load_plan",
    "load_valid_plan",
    "meeting",
    "new_cycle",
    "redline",
    "render",
    "render_document",
    "rules",
    "rules_table",
    "schema_json",
    "smart",
    "translations_carry",
    "translations_export",
    "translations_import",
    "translations_status",
    "validate",
    "write_baseline",
]


def __getattr__(name: str) -> Any:
    """Names whose modules are slow to import (the renderer's), imported when first asked for:
    a command that does not render does not pay for them."""
    if name == "RedlineResult":
        from stratplan.diff import RedlineResult

        return RedlineResult
    if name == "Rule":
        from stratplan.checks import Rule

        return Rule
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _choice(value: Any, kind: Any, option: str = "--format") -> Any:
    """`value` when it is one of the choices of `kind` (a Literal of stratplan.formats), else
    a usage error naming them."""
    allowed = choices(kind)
    if value not in allowed:
        raise usage_error(f"{option} {value!r} is not one of: {', '.join(allowed)}", option)
    return value


def is_stream(path: Path) -> bool:
    """Whether an output path is a character device or a pipe, such as /dev/stdout: written
    through, so a "wrote" message would land in the output itself."""
    from stratplan.writers.files import is_stream as stream

    return stream(path)


# --- validate ----------------------------------------------------------------------------


def validate(
    paths: Iterable[Path | str],
    stage: Stage | None = None,
    config: Config | None = None,
    baseline: Path | str | None = None,
    languages: Iterable[str] = (),
) -> ValidationResult:
    """Validate plan folders (a file stands for its folder) and contribution files; every
    problem is a Diagnostic, sorted by file and position. With `baseline` (a file written by
    `write_baseline`), the findings it accepts are left out and counted (`baselined`); a
    baseline that cannot be read raises StratplanError (SP010). With `languages`, each plan's
    translations into them too: what is missing (SP711) or stale (SP712), warnings, errors at
    the final stage."""
    if stage is not None:
        _choice(stage, Stage, "--stage")
    wanted = [_language(lang) for lang in languages]
    result, workspace = _validate(paths, stage, config)
    for folder, plan in result.plans.items():
        result.diagnostics += _translation_findings(workspace, folder, plan, wanted, stage,
                                                    config)
    result.diagnostics.sort(key=Diagnostic.sort_key)
    if baseline is not None:
        from stratplan.checks.baseline import read_baseline

        kept, accepted = read_baseline(Path(baseline)).split(result.diagnostics)
        result.diagnostics = kept
        result.baselined += accepted
    return result


def _validate(
    paths: Iterable[Path | str], stage: str | None, config: Config | None
) -> tuple[ValidationResult, Workspace]:
    from stratplan.changes.validate import validate_contributions, validate_meetings

    workspace = Workspace()
    targets = workspace.targets([Path(p) for p in paths])
    result = ValidationResult(diagnostics=list(targets.missing))
    if targets.contributions:
        result.add(validate_contributions(workspace, targets.contributions, stage))
    if targets.meetings:
        result.add(validate_meetings(workspace, targets.meetings, stage))
    for folder in targets.plans:
        result.add(validate_plan(workspace, folder, stage, config))
    result.diagnostics.sort(key=Diagnostic.sort_key)
    return result, workspace


def write_baseline(
    paths: Iterable[Path | str],
    baseline: Path | str,
    stage: Stage | None = None,
    config: Config | None = None,
) -> ValidationResult:
    """Validate, and write every finding to the baseline file `baseline` (atomically, never
    over a file the validation read): later runs with `validate(..., baseline=...)` report
    only findings it does not hold. The result's `diagnostics` are the findings written."""
    from stratplan.checks.baseline import baseline_json
    from stratplan.writers.files import write_atomically

    if stage is not None:
        _choice(stage, Stage, "--stage")
    result, workspace = _validate(paths, stage, config)
    io = [d for d in result.diagnostics if d.io]
    if io:
        raise StratplanError(io)
    target = Path(baseline)
    write_atomically(target, baseline_json(result.diagnostics, target).encode("utf-8"),
                     workspace.files_read())
    result.written.append(target)
    return result


def _language(language: Any, option: str = "--lang") -> str:
    return str(_choice(language, Language, option))


def _translation_findings(
    workspace: Workspace, folder: Path, plan: Plan, languages: list[str], stage: str | None,
    config: Config | None,
) -> list[Diagnostic]:
    """A plan's translations into `languages` checked against its English (SP711-SP714), at
    the severity the configuration sets."""
    from stratplan.translations.status import language_status, status_diagnostics
    from stratplan.translations.store import load_translation
    from stratplan.translations.units import plan_units

    languages = [lang for lang in languages if lang != SOURCE_LANGUAGE]
    if not languages:
        return []
    settings, _ = (config, []) if config is not None else workspace.config(folder)
    sources = workspace.plan(folder).sources
    units = plan_units(plan)
    final = (stage or settings.stage) == "final"
    out: list[Diagnostic] = []
    for language in languages:
        status = language_status(units, load_translation(folder, language, workspace.document))
        located = sources.sources.locate if sources is not None else (lambda path: None)
        for d in status_diagnostics(status, final, located):
            severity = settings.severity_for(d.code, d.severity)
            if severity is not None:
                out.append(d.with_severity(severity))
    return out


def schema_json(contribution: bool = False) -> str:
    """The JSON Schema of a plan file (or of a contribution file), for editors and CI."""
    from stratplan.model.contribution import contribution_file_schema
    from stratplan.model.plan import plan_file_schema

    schema = contribution_file_schema() if contribution else plan_file_schema()
    return json.dumps(schema, indent=2, ensure_ascii=False)


def load_plan(path: Path | str) -> LoadedPlan:
    """A plan folder (or a file of one) read and fitted to the model, without the rules."""
    return Workspace().plan(plan_folder(local(path)))


def load_valid_plan(path: Path | str, workspace: Workspace | None = None) -> tuple[Path, Plan]:
    """A plan folder (or a file of one) that validates without errors; else StratplanError."""
    workspace = workspace or Workspace()
    folder = plan_folder(local(path))
    if not folder.exists():
        raise StratplanError(
            [Diagnostic("SP010", Severity.ERROR, "no such file or folder",
                        Location(display_path(folder)), io=True)]
        )
    result = validate_plan(workspace, folder)
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    if errors or folder not in result.plans:
        raise StratplanError(errors or result.diagnostics)
    return folder, result.plans[folder]


# --- render ------------------------------------------------------------------------------


def _check_template_dir(template_dir: Path | None) -> None:
    if template_dir is not None and not template_dir.is_dir():
        raise StratplanError(
            [Diagnostic("SP010", Severity.ERROR, "--template-dir is not a folder",
                        Location(display_path(template_dir)), io=True)]
        )


def _template_files(template_dir: Path | None) -> list[Path]:
    if template_dir is None:
        return []
    return [p for p in template_dir.rglob("*") if p.is_file()]


def _render_ir(plan: Plan, template_dir: Path | None) -> ir.Document:
    """A plan's document: the templates' IR, then the alternatives that are edits of their
    base shown as tracked changes (which takes the word diff, so it comes after render)."""
    from stratplan.render.document import plan_document

    return plan_document(plan, template_dir)


def _document(
    path: Path, template_dir: Path | None, language: str | None = None
) -> tuple[ir.Document, list[Path]]:
    """A plan's IR (its edition in `language`) and every file read to make it. The plan is
    dropped on return, so the writer has the memory to itself."""
    workspace = Workspace()
    folder, plan = load_valid_plan(path, workspace)
    plan = _edition(workspace, folder, plan, language)
    return _render_ir(plan, template_dir), workspace.files_read()


def _edition(workspace: Workspace, folder: Path, plan: Plan, language: str | None) -> Plan:
    """The plan in `language`: its current translations in place of the English, the English
    of the other fields marked as such; the plan itself for English. A translation file that
    cannot be used is an error here (its diagnostics)."""
    if language is None or language == SOURCE_LANGUAGE:
        return plan
    from stratplan.translations.edition import edition_plan
    from stratplan.translations.status import language_status
    from stratplan.translations.store import load_translation
    from stratplan.translations.units import plan_units

    loaded = load_translation(folder, language, workspace.document)
    if any(d.severity is Severity.ERROR for d in loaded.diagnostics):
        raise StratplanError(loaded.diagnostics)
    return edition_plan(plan, language_status(plan_units(plan), loaded)).plan


def render_document(
    path: Path | str, template_dir: Path | None = None, language: Language | None = None
) -> ir.Document:
    """The IR of a plan's Council document (its edition in `language`)."""
    _check_template_dir(template_dir)
    return _document(Path(path), template_dir,
                     _language(language) if language is not None else None)[0]


def render(
    paths: Iterable[Path | str],
    output: str | Path | None = None,
    fmt: RenderFormat = "docx",
    template_dir: Path | None = None,
    contributions: Iterable[Path | str] = (),
    reference_docx: Path | str | None = None,
    language: Language | None = None,
) -> Result:
    """Render plans to `output` (docx, pdf, html or md): a file for one plan, else a folder of
    <period>.<fmt> files (default build/; <period>-<language>.<fmt> for an edition). With
    `contributions`, the one plan they amend, their changes shown as tracked changes by their
    contributors. `reference_docx` (else the config's `reference-docx`) gives the Word and
    PDF output its styles and page setup. `language`: the plan's edition in that language
    (ar, zh, fr, ru, es), its untranslated fields in English, marked."""
    from stratplan.writers.files import output_path, write_atomically

    _choice(fmt, RenderFormat)
    edition = _language(language) if language is not None else None
    suffix = f"-{edition}" if edition and edition != SOURCE_LANGUAGE else ""
    _check_template_dir(template_dir)
    plans = [Path(p) for p in paths]
    if not plans:
        raise usage_error("name a plan to render")
    files = [Path(c) for c in contributions]
    result = Result()
    reference, reference_files, result.diagnostics = _reference(
        reference_docx, plans[0], Workspace(), fmt
    )
    if files:
        if len(plans) != 1:
            raise usage_error("--contribution takes one plan, the one amended")
        if suffix:
            raise usage_error("--contribution shows the English text; leave out --lang")
        redlined, inputs = _contribution_redline(files, None, template_dir, plans[0])
        stem = "+".join(c.stem for c in files)
        target = output_path(output, f"{stem}.{fmt}")
        data, fonts = _encode(redlined.document, fmt, reference, reference_files)
        write_atomically(target, data, inputs + reference_files)
        result.written.append(target)
        result.diagnostics += _isolation_warning(fmt)
        result.diagnostics += _located(fonts, target)
        return result
    # Each plan once (a folder and a file of it name one plan); then every output path is
    # known before anything is written: a second plan of the same period, from another
    # folder, would replace the first one's document.
    plans = [p for n, p in enumerate(plans)
             if real(plan_folder(p)) not in {real(plan_folder(q)) for q in plans[:n]}]
    targets: list[Path] = []
    for plan in plans:
        period = real(plan_folder(plan)).name
        target = output_path(output, f"{period}{suffix}.{fmt}", folder=len(plans) > 1)
        if real(target) in {real(t) for t in targets}:
            raise usage_error(f"two plans would be written to {display_path(target)}",
                              display_path(target))
        targets.append(target)
    for plan, target in zip(plans, targets, strict=True):
        document, inputs = _document(plan, template_dir, edition)
        data, fonts = _encode(document, fmt, reference, reference_files)
        write_atomically(target, data, inputs + _template_files(template_dir) + reference_files)
        result.written.append(target)
        result.diagnostics += _located(fonts, target)
    result.diagnostics += _isolation_warning(fmt)
    return result


def _reference(
    path: Path | str | None, plan: Path, workspace: Workspace, fmt: str = "docx"
) -> tuple[bytes | None, list[Path], list[Diagnostic]]:
    """The reference .docx (the option, else the project config's `reference-docx`) as its
    house style only, the file (which no output may replace), and a warning (SP032) for each
    thing left out of it that links, loads or runs. A file that cannot be used is SP031 here,
    before anything is written. For html and md it is only an input."""
    if path is None:
        config, _problems = workspace.config(plan_folder(local(plan)))
        path = config.reference_docx
    if path is None:
        return None, [], []
    path = Path(path)
    where = Location(display_path(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StratplanError(
            [Diagnostic("SP031", Severity.ERROR, f"cannot read the reference document: "
                        f"{exc.strerror or exc}", where, io=True)]
        ) from None
    if fmt not in ("docx", "pdf"):
        return data, [path], []
    from dataclasses import replace

    from stratplan.writers.docx import clean_reference
    from stratplan.writers.errors import ReferenceDocxError

    try:
        clean = clean_reference(data)
    except ReferenceDocxError as exc:
        raise StratplanError(
            [replace(d, location=d.location or where) for d in exc.diagnostics]
        ) from None
    warnings = [Diagnostic("SP032", Severity.WARNING, dropped, where) for dropped in clean.dropped]
    return clean.data, [path], warnings


def _isolation_warning(fmt: str) -> list[Diagnostic]:
    """SP030 as a warning when LibreOffice could not be isolated from the network and the
    user's files on this machine (its profile still blocks what documents link to)."""
    if fmt != "pdf":
        return []
    from stratplan.writers.isolation import isolation

    found = isolation()
    if found.complete:
        return []
    return [Diagnostic(
        "SP030", Severity.WARNING,
        f"LibreOffice ran without full isolation ({found.kind}: {found.detail}); its profile "
        "still blocks whatever a document links to",
        None, "install bubblewrap (apt-get install bubblewrap) where user namespaces are allowed",
    )]


def _encode(
    document: ir.Document, fmt: str, reference: bytes | None, where: list[Path] | None = None
) -> tuple[bytes, list[Diagnostic]]:
    """The bytes, and for a PDF a warning (SP033, without its location: the caller's output)
    for each font the document names that the PDF was set in another font instead; a
    reference document that cannot be used is SP031 at the reference file."""
    from dataclasses import replace

    from stratplan.writers import encode_checked
    from stratplan.writers.errors import ReferenceDocxError

    try:
        data, substitutions = encode_checked(document, fmt, reference)
        return data, [
            Diagnostic("SP033", Severity.WARNING, s.message, None, s.hint)
            for s in substitutions
        ]
    except ReferenceDocxError as exc:
        located = Location(display_path(where[0])) if where else None
        raise StratplanError(
            [replace(d, location=d.location or located) for d in exc.diagnostics]
        ) from None


def _located(diagnostics: list[Diagnostic], target: Path) -> list[Diagnostic]:
    """Warnings about an output, located at the file written."""
    from dataclasses import replace

    return [replace(d, location=Location(display_path(target))) for d in diagnostics]


# --- diff --------------------------------------------------------------------------------


def _check_date(date: str | None) -> None:
    """A revision date must be a real day: the writer stamps every revision with it."""
    import datetime as dt
    import re

    if date is None or date == "today":  # "today": the clock, asked for by name
        return
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", date):
            raise ValueError(date)
        dt.date.fromisoformat(date)
    except ValueError:
        raise usage_error(f"--date {date!r} is not a date (YYYY-MM-DD, or today)",
                          "--date") from None


def _check_author(author: str | None, option: str = "--author") -> None:
    """The revision author is written into every w:ins and w:del (a contributor into a
    contribution): text Word can hold."""
    if author is None:
        return  # the config's, or "stratplan"
    if not author.strip():
        raise usage_error(f"{option} is empty", option)
    if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or c in "\ufffe\uffff" for c in author):
        raise usage_error(f"{option} {author!r} holds a control character", option)


def redline(
    old_path: Path | str,
    new_path: Path | str,
    author: str | None = None,
    date: str | None = None,
    template_dir: Path | None = None,
) -> RedlineResult:
    """The redline between two cycles' plans: the new plan's document with every change from
    the old one as a revision by `author` on `date` (default: `revision-author` and
    `revision-date` of the config, else "stratplan" and the new plan's document date)."""
    _check_date(date)
    _check_author(author)
    return _redline(Path(old_path), Path(new_path), author, date, template_dir)[0]


def revision_identity(
    new_path: Path | str, author: str | None, date: str | None,
    workspace: Workspace | None = None,
) -> tuple[str, str | None, list[str]]:
    """Who and when a redline's revisions are by: `author` and `date` (YYYY-MM-DD, or "today":
    the clock, only when asked for), else the config's `revision-author` and `revision-date`
    ([tool.stratplan] above the new plan). Returns the author, the date (None: the new plan's
    document date) and which of the two were set by neither."""
    import datetime as dt

    settings, problems = (workspace or Workspace()).config(plan_folder(local(new_path)))
    if problems:
        raise StratplanError(problems)
    author = author or settings.revision_author
    date = date or settings.revision_date
    unset = [name for name, value in (("author", author), ("date", date)) if value is None]
    if date == "today":
        date = dt.date.today().isoformat()
    return author or "stratplan", date, unset


def _redline(
    old_path: Path,
    new_path: Path,
    author: str | None,
    date: str | None,
    template_dir: Path | None,
    language: str | None = None,
) -> tuple[RedlineResult, list[Path], list[Diagnostic]]:
    from stratplan.diff import redline as compare

    workspace = Workspace()
    who, when, unset = revision_identity(new_path, author, date, workspace)
    old_doc, new_doc, aliases, inputs, dated = _rendered_pair(
        old_path, new_path, template_dir, workspace, language)
    result = compare(old_doc, new_doc, aliases, author=who, date=when)
    if dated and "date" in unset:
        unset.remove("date")  # the new plan states its date
    warnings = []
    if unset:
        used = {"author": f"by {who!r}", "date": f"dated {result.document.revision_date}"}
        default_date = "" if "date" not in unset else (
            f" ({display_path(new_path)} has no plan.date: the draft's default date)"
        )
        warnings.append(Diagnostic(
            "SP014", Severity.WARNING,
            "the revisions are " + " and ".join(used[n] for n in unset) + default_date,
            Location(display_path(new_path)),
            "set " + " and ".join(f"--{n}" for n in unset) + ", or "
            + " and ".join(f"revision-{n}" for n in unset) + " under [tool.stratplan]",
        ))
    return result, inputs, warnings


def _rendered_pair(
    old_path: Path, new_path: Path, template_dir: Path | None, workspace: Workspace,
    language: str | None = None,
) -> tuple[ir.Document, ir.Document, dict[str, str], list[Path], bool]:
    """Both plans' documents (their editions in `language`), the key aliases between them,
    the files read, and whether the new plan states its date. The plans themselves are
    dropped on return, before the comparison and the writer need the memory."""
    from stratplan.diff import key_aliases

    old_folder, old = load_valid_plan(old_path, workspace)
    new_folder, new = load_valid_plan(new_path, workspace)
    documents = (_render_ir(_edition(workspace, old_folder, old, language), template_dir),
                 _render_ir(_edition(workspace, new_folder, new, language), template_dir))
    return (*documents, key_aliases(old, new), workspace.files_read(),
            new.plan.date is not None)


def contribution_redline(
    paths: Iterable[Path | str],
    date: str | None = None,
    template_dir: Path | None = None,
    base: Path | str | None = None,
) -> RedlineResult:
    """The base plan's document with the contributions' changes as tracked changes, each
    revision attributed to the contributor whose change set made it. `base`, when given, must
    be the plan the contributions amend (their `base:`)."""
    files = [Path(p) for p in paths]
    _check_date(date)
    return _contribution_redline(files, date, template_dir, Path(base) if base else None)[0]


def _contribution_redline(
    files: list[Path], date: str | None, template_dir: Path | None, base: Path | None
) -> tuple[RedlineResult, list[Path]]:
    from stratplan.proposals.present import present_contributions

    workspace = Workspace()
    loaded, base_dir = workspace.common_base(files, base)
    result = present_contributions(workspace, loaded, base_dir, template_dir, date)
    return result, workspace.files_read() + _template_files(template_dir)


def diff(
    old: Path | str,
    new: Path | str,
    output: str | Path | None = None,
    fmt: DiffFormat = "docx",
    author: str | None = None,
    date: str | None = None,
    template_dir: Path | None = None,
    reference_docx: Path | str | None = None,
    language: Language | None = None,
    meeting: Path | str | None = None,
) -> Result:
    """The redline between two plans (or a plan and contributions to it) as a Word file (or
    its PDF), or the change summary as md, json or text (to `output`, else returned as text).
    `language`: between the two plans' editions in that language.
    `reference_docx` (else the config's) gives the Word and PDF output its house style. The
    revisions' author and date: see `revision_identity`; a warning (SP014, in
    `Result.diagnostics`) says when neither the options nor the config set them. With
    `meeting`, a meeting's record, the redline is its outcome (`old` the plan before it, `new`
    the amended plan): each change a proposal accepted is a revision by its proposer, the
    others by `author` (else the record's secretariat) on `date` (else the meeting's), and the
    summary names the proposals that changed each item."""
    from stratplan.writers.files import output_path, write_atomically

    _choice(fmt, DiffFormat)
    _check_template_dir(template_dir)
    _check_date(date)
    _check_author(author)
    edition = _language(language) if language is not None else None
    old_path, new_path = Path(old), Path(new)
    contributions = Workspace().contribution_files(new_path)
    warnings: list[Diagnostic] = []
    fonts: list[Diagnostic] = []
    if meeting is not None:
        if contributions:
            raise usage_error("--meeting goes with two plans: the plan before the meeting and "
                              "the amended plan")
        if edition and edition != SOURCE_LANGUAGE:
            raise usage_error("a meeting's outcome shows the English text; leave out --lang")
        result, inputs = _outcome(old_path, new_path, Path(meeting), author, date, template_dir)
    elif contributions:
        if edition and edition != SOURCE_LANGUAGE:
            raise usage_error("a redline of contributions shows the English text; leave out "
                              "--lang")
        result, inputs = _contribution_redline(contributions, date, template_dir, old_path)
    else:
        result, inputs, warnings = _redline(old_path, new_path, author, date, template_dir,
                                            edition)
    pair = f"{_label(old_path)}_{_label(new_path)}"
    if edition and edition != SOURCE_LANGUAGE:
        pair += f"-{edition}"
    if fmt in ("docx", "pdf"):
        reference, reference_files, dropped = _reference(reference_docx, old_path, Workspace(),
                                                          fmt)
        warnings += dropped
        data, fonts = _encode(result.document, fmt, reference, reference_files)
        inputs = inputs + reference_files
        name = f"redline-{pair}.{fmt}"
    else:
        from stratplan.diff import summary_json, summary_markdown, summary_text

        text = {"md": summary_markdown, "json": summary_json, "text": summary_text}[fmt](
            result.changes
        )
        if output is None:
            return Result(text=text, diagnostics=warnings)
        data = text.encode("utf-8")
        name = f"changes-{pair}.{'txt' if fmt == 'text' else fmt}"
    target = output_path(output, name)
    write_atomically(target, data, inputs)
    return Result(written=[target], diagnostics=warnings + _isolation_warning(fmt)
                  + _located(fonts, target))


def _outcome(
    old: Path, new: Path, record: Path, author: str | None, date: str | None,
    template_dir: Path | None,
) -> tuple[RedlineResult, list[Path]]:
    from stratplan.changes.decisions import read_decisions
    from stratplan.proposals.outcome import outcome_redline

    workspace = Workspace()
    decided = read_decisions(workspace, workspace.meeting(local(record)))
    if decided.problems:
        raise StratplanError(decided.problems)
    if date == "today":
        import datetime as dt

        date = dt.date.today().isoformat()
    result = outcome_redline(workspace, load_valid_plan(old, workspace),
                             load_valid_plan(new, workspace), decided, author, date,
                             template_dir)
    return result, workspace.files_read() + _template_files(template_dir)


def _label(path: Path) -> str:
    """A plan folder's name, or a contribution file's name without its suffix."""
    resolved = real(path)
    return resolved.stem if resolved.is_file() else resolved.name


# --- the compilation ---------------------------------------------------------------------


def compile_contributions(
    base: Path | str,
    contributions: Iterable[Path | str],
    output: str | Path | None = None,
    fmt: CompileFormat = "docx",
    template_dir: Path | None = None,
    full: bool = False,
    meeting: Path | str | None = None,
) -> Result:
    """The compilation of contributions to a plan, for the meeting: a cover listing them, then
    each part of the plan a contribution changes, its draft text and every proposal for it as
    tracked changes by its contributor, with mark, number, reference and reasons (`full`: every
    part). With `meeting`, a meeting's record: its numbers, a mark for the proposals it does
    not have yet (new), its decisions, and its withdrawn proposals listed apart. docx, pdf,
    html, md (to `output`, default build/compilation-<period>.<fmt>) or json (text when no
    `output`)."""
    import json as json_module

    from stratplan.changes.decisions import decided_before, read_decisions
    from stratplan.proposals.compile import compile_contributions as compiling
    from stratplan.proposals.compile import to_ir, to_json
    from stratplan.writers.files import output_path, write_atomically

    _choice(fmt, CompileFormat)
    _check_template_dir(template_dir)
    workspace = Workspace()
    files = [Path(p) for p in contributions]
    if not files:
        raise usage_error("name the contributions to compile")
    loaded, base_dir = workspace.common_base(files, Path(base))
    load_valid_plan(base_dir, workspace)
    decided = None
    if meeting is not None:
        decided = read_decisions(workspace, workspace.meeting(local(meeting)))
        if decided.problems:
            raise StratplanError(decided.problems)
    # A contribution an earlier meeting decided on an earlier text is listed, not compiled.
    earlier = {lc.path: decided_before(workspace, lc, base_dir) for lc in loaded}
    compilation = compiling(workspace, [lc for lc in loaded if earlier[lc.path] is None],
                            base_dir, template_dir, full, decided)
    compilation.earlier = [(lc, record) for lc in loaded
                           if (record := earlier[lc.path]) is not None]
    inputs = workspace.files_read() + _template_files(template_dir)
    fonts: list[Diagnostic] = []
    if fmt == "json":
        text = json_module.dumps(to_json(compilation), indent=2, ensure_ascii=False) + "\n"
        if output is None:
            return Result(text=text)
        data = text.encode("utf-8")
    else:
        data, fonts = _encode(to_ir(compilation), fmt, None)
    target = output_path(output, f"compilation-{compilation.period}.{fmt}")
    write_atomically(target, data, inputs)
    return Result(written=[target], diagnostics=_located(fonts, target))


def meeting(
    base: Path | str,
    contributions: Iterable[Path | str],
    record: Path | str,
    reference: str | None = None,
    date: str | None = None,
    title: str | None = None,
    revision: str | None = None,
) -> Result:
    """Start a meeting's record from the compilation of `contributions` to `base` (a file of
    one entry per proposal, numbered as the compilation numbers them, decisions pending), or
    bring an existing record up to date: its entries kept, the proposals it lacks added with
    the next numbers. A new record needs `reference` and `date`; its `revision` (the plan
    before the meeting) is the one given, else the revision `base` is read from, else the
    commit of an unchanged plan folder (a warning when there is none)."""
    from stratplan.changes.decisions import read_decisions
    from stratplan.model.meeting import MeetingMeta
    from stratplan.proposals.compile import compile_contributions as compiling
    from stratplan.proposals.meeting import record_text
    from stratplan.source.revisions import revision_of
    from stratplan.writers.files import ensure_folder, write_atomically

    workspace = Workspace()
    files = [Path(p) for p in contributions]
    if not files:
        raise usage_error("name the contributions the meeting takes up")
    target = Path(record)
    refuse_revision(target, "the record")
    loaded, base_dir = workspace.common_base(files, Path(base))
    _, plan = load_valid_plan(base_dir, workspace)
    result = Result()
    existing: str | None = None
    meta = None
    decided = None
    if target.exists():
        if reference or date or title or revision:
            raise usage_error(f"{display_path(target)} exists: its meeting is as it says "
                              "(edit it to change it)", display_path(target))
        decided = read_decisions(workspace, workspace.meeting(target))
        if decided.problems:
            raise StratplanError(decided.problems)
        existing = workspace.document(target).text
    else:
        if not reference or not date:
            raise usage_error("a new record needs --reference (the meeting) and --date")
        _check_date(date)
        if revision is None:
            revision, why = revision_of(base_dir)
            if revision is None:
                result.diagnostics.append(Diagnostic(
                    "SP810", Severity.WARNING,
                    f"the record names no revision of the plan before the meeting: "
                    f"{display_path(base_dir)}: {why}", Location(display_path(target)),
                    "commit the plan and give --revision (a tag, e.g. the meeting's): once "
                    "decided, contributions are checked against it"))
        try:
            meta = MeetingMeta(reference=reference, date=date, base=plan.plan.period,
                               title=title, revision=revision)
        except ValueError as exc:
            raise usage_error(f"the meeting: {exc}") from None
    compilation = compiling(workspace, loaded, base_dir, decided=decided)
    text, added = record_text(compilation, target, existing, meta)
    inputs = [p for p in workspace.files_read() if real(p) != real(target)]
    if existing is None:
        ensure_folder(target.parent)  # meetings/, the first time
    write_atomically(target, text.encode("utf-8"), inputs)
    result.written.append(target)
    result.text = (f"{len(added)} proposal(s) recorded" + (
        f", numbers {added[0]}-{added[-1]}" if len(added) > 1 else
        f", number {added[0]}" if added else "") + f", {len(compilation.order) - len(added)} "
        "already there")
    return result


# --- Word in -----------------------------------------------------------------------------


def import_review(
    review: Path | str,
    base: Path | str,
    output: str | Path | None = None,
    contributor: str | None = None,
    reference: str | None = None,
    author: str | None = None,
    force: bool = False,
) -> Result:
    """A reviewed Word file (a render or redline of `base`, edited with Track Changes on, or
    an edited copy without) as contributions to `base`: one per reviewer (or only `author`'s),
    to `output` (a file for one contribution, else a folder; default build/), all written or
    none. What the plan cannot express is in `diagnostics` (SP806, a warning: the exit status
    is 1), and so is a reviewer whose contribution cannot be written (SP812); everything else
    is written; `text` says how many changes were imported and left out. A contribution file
    already there is replaced only if it is as an import wrote it, or with `force`."""
    from stratplan.proposals.changeset import contribution_files, review_stem
    from stratplan.proposals.importer import import_review as run
    from stratplan.proposals.review import read_review
    from stratplan.proposals.untrusted import clean_name, clean_review, clean_text
    from stratplan.writers.files import ensure_folder, write_set

    _check_author(contributor, "--contributor")
    workspace = Workspace()
    folder, _ = load_valid_plan(base, workspace)
    review_path = Path(review)
    where = Location(display_path(review_path))
    reviewed, cleaned = clean_review(read_review(review_path), review_path)
    imported = run(workspace, reviewed, folder, contributor)
    wanted = clean_name(author) if author is not None else None
    changes = contribution_files(imported, clean_text(review_path.name), where, reference, wanted,
                                 workspace, folder)
    files = changes.files
    result = Result(diagnostics=[*cleaned, *imported.diagnostics, *changes.diagnostics],
                    checked=1, fail_on="warning")
    taken = sum(f.changes for f in files)
    left_out = sum(1 for d in imported.diagnostics if d.code == "SP806")
    result.text = f"{taken} change(s) imported, {left_out} left out" + (
        f", {changes.refused} not written" if changes.refused else "")
    if not reviewed.tracked:
        result.diagnostics.append(Diagnostic(
            "SP808", Severity.INFO,
            "the file carries no tracked changes: it was compared with the plan's render word "
            f"by word, and its changes are attributed to {imported.editor}", where,
        ))
    if wanted is not None and not changes.reviewers:
        raise usage_error(f"no change by {author!r} in {display_path(review_path)}; reviewers: "
                     + (", ".join(reviewed.authors) or "none"))
    inputs = [*workspace.files_read(), review_path]
    many = changes.reviewers > 1
    if output is not None and not many and not str(output).endswith(("/", "\\")) and not \
            Path(output).is_dir():
        targets = {f.contributor: Path(output) for f in files}
    else:
        if output is not None and many and Path(output).suffix in (".yaml", ".yml"):
            raise usage_error(f"{changes.reviewers} reviewers made changes: give a folder for "
                              "-o, or --author NAME for one of them")
        folder_out = ensure_folder(Path(output) if output is not None else Path("build"))
        stem = review_stem(review_path)
        targets = {f.contributor: folder_out / (f"{stem}-{f.name}.yaml" if many else
                                                f"{stem}.yaml") for f in files}
    if not force:
        _refuse_edited(list(targets.values()))
    write_set({targets[f.contributor]: f.text.encode("utf-8") for f in files}, inputs)
    result.written = [targets[f.contributor] for f in files]
    return result


def _refuse_edited(targets: list[Path]) -> None:
    """A contribution file someone may have edited since an import wrote it is not replaced
    (SP813, exit status 2, nothing written): it is as import wrote it (its digest says so), or
    `--force` was given."""
    from stratplan.proposals.changeset import edited_since_import
    from stratplan.source.reader import DEFAULT_LIMITS
    from stratplan.writers.files import is_stream

    refused = []
    for target in targets:
        if is_stream(target) or not target.exists():
            continue
        try:
            with target.open("rb") as handle:
                data = handle.read(DEFAULT_LIMITS.max_bytes + 1)
            why = edited_since_import(data.decode("utf-8"))
        except (OSError, UnicodeDecodeError):
            why = "it was not written by stratplan import"
        if why is not None:
            refused.append(Diagnostic(
                "SP813", Severity.ERROR, f"{display_path(target)} is not replaced: {why}",
                Location(display_path(target)), "give --force to replace it, or another -o; "
                "nothing was written", io=True,
            ))
    if refused:
        raise StratplanError(refused)


# --- lineage, export ---------------------------------------------------------------------


def lineage(
    old: Path | str, new: Path | str, fmt: LineageFormat = "md",
    output: str | Path | None = None,
) -> Result:
    """The crosswalk of targets between two cycles, as md or csv (text when no `output`) or
    docx (a file, default build/)."""
    from stratplan.tools.crosswalk import build_crosswalk, to_csv, to_ir, to_markdown
    from stratplan.writers.files import output_path, write_atomically

    _choice(fmt, LineageFormat)
    workspace = Workspace()
    _, old_plan = load_valid_plan(old, workspace)
    _, new_plan = load_valid_plan(new, workspace)
    crosswalk = build_crosswalk(old_plan, new_plan)
    if fmt == "docx":
        from stratplan.writers.docx import write_docx

        data = write_docx(to_ir(crosswalk, new_plan.plan.document_date))
    else:
        text = to_csv(crosswalk) if fmt == "csv" else to_markdown(crosswalk)
        if output is None:
            return Result(text=text)
        data = text.encode("utf-8")
    target = output_path(output, f"lineage-{_label(Path(old))}_{_label(Path(new))}.{fmt}")
    write_atomically(target, data, workspace.files_read())
    return Result(written=[target])


def export(
    plan: Path | str, fmt: ExportFormat = "json", output: str | Path | None = None
) -> Result:
    """The results framework as flat tables: JSON (text when no `output`) or one CSV file per
    table in a folder (default build/<period>-export/)."""
    from stratplan.tools.export import export_tables, write_csv, write_json
    from stratplan.writers.files import output_path, write_atomically

    _choice(fmt, ExportFormat)
    workspace = Workspace()
    _, loaded = load_valid_plan(plan, workspace)
    tables = export_tables(loaded)
    label = _label(Path(plan))
    if fmt == "csv":
        folder = Path(output) if output else Path("build") / f"{label}-export"
        return Result(written=write_csv(tables, folder, workspace.files_read()))
    text = write_json(tables)
    if output is None:
        return Result(text=text)
    target = output_path(output, f"{label}.json")
    write_atomically(target, text.encode("utf-8"), workspace.files_read())
    return Result(written=[target])


def smart(
    plans: Iterable[Path | str], fmt: SmartFormat = "text", output: str | Path | None = None
) -> Result:
    """The SMART scorecard of a plan (one path), or of two cycles side by side (two paths, the
    earlier first): text, md or csv (text when no `output`), docx or html (a file, default
    build/smart-<period>.<fmt>)."""
    from stratplan.tools import smart as scorecard
    from stratplan.writers import encode
    from stratplan.writers.files import output_path, write_atomically

    _choice(fmt, SmartFormat)
    paths = [Path(p) for p in plans]
    if len(paths) not in (1, 2):
        raise usage_error("smart takes one plan, or two to compare (the earlier first)")
    workspace = Workspace()
    cards = [scorecard.build_scorecard(load_valid_plan(p, workspace)[1]) for p in paths]
    _, last = load_valid_plan(paths[-1], workspace)
    date = last.plan.document_date
    if len(cards) == 1:
        card = cards[0]
        texts = {"text": scorecard.to_text, "md": scorecard.to_markdown, "csv": scorecard.to_csv}
        label = f"smart-{_label(paths[0])}"
        make_text = texts.get(fmt)
        text = make_text(card) if make_text else None
        document = None if make_text else scorecard.to_ir(card, date)
    else:
        old, new = cards
        pairs = {"text": scorecard.compare_text, "md": scorecard.compare_markdown,
                 "csv": scorecard.compare_csv}
        label = f"smart-{_label(paths[0])}_{_label(paths[1])}"
        make_pair = pairs.get(fmt)
        text = make_pair(old, new) if make_pair else None
        document = None if make_pair else scorecard.compare_ir(old, new, date)
    if text is not None:
        if output is None:
            return Result(text=text)
        data = text.encode("utf-8")
    else:
        assert document is not None
        data = encode(document, fmt)
    suffix = "txt" if fmt == "text" else fmt
    target = output_path(output, f"{label}.{suffix}")
    write_atomically(target, data, workspace.files_read())
    return Result(written=[target])


# --- contributions, drafting tools ------------------------------------------------------


def apply(
    contributions: Iterable[Path | str],
    output: Path | str | None = None,
    in_place: bool = False,
    select: Iterable[str] = (),
    meeting: Path | str | None = None,
) -> Result:
    """The base plan with the contributions' changes applied: written to `output` (a new
    folder, the base's other files copied byte for byte), or with `in_place` into the base
    plan's own files (atomically, comments kept). `select` takes only some changes: `N` (the
    Nth change of each file), `FILE:N`, or an item id the change addresses. `meeting`, a
    meeting's record, takes the contributions it names and applies what it accepted (the
    agreed texts of those accepted as amended). Overlapping changes of different
    contributions cannot both be applied (SP805)."""
    from stratplan.changes.decisions import read_decisions
    from stratplan.writers.inplace import locked, recover

    if (output is None) == (not in_place):
        raise usage_error("give either --output FOLDER or --in-place")
    workspace = Workspace()
    files = [Path(p) for p in contributions]
    selected = list(select)
    chosen = _selection(selected)
    text = None
    if meeting is not None:
        if files:
            raise usage_error("--meeting names the contributions: give no others")
        decided = read_decisions(workspace, workspace.meeting(local(meeting)))
        if decided.problems:
            raise StratplanError(decided.problems)
        if not decided.contributions:
            raise usage_error("the record names no proposal", display_path(Path(meeting)))
        loaded = decided.contributions
        base = workspace.base_folder(loaded[0])
        keep = chosen

        def adopted(change: AppliedChange) -> bool:
            return decided.adopted(change) and (keep is None or keep(change))

        chosen = adopted
        counts = decided.by_decision()
        text = "the proposals were " + ", ".join(
            f"{counts[d]} {DECISION_WORDS[d]}" for d in DECISION_WORDS if counts.get(d))
    else:
        loaded, base = workspace.common_base(files)
    if not in_place:
        return _apply(workspace, loaded, base, chosen, bool(selected), output, text)
    refuse_revision(base, "apply --in-place")
    # The plan is read, amended and rewritten under its lock, after undoing an apply that
    # was killed half-way (see writers.inplace).
    with locked(base):
        restored = recover(base)
        rewritten = _apply(workspace, loaded, base, chosen, bool(selected), None, text)
    if restored:
        rewritten.diagnostics.append(Diagnostic(
            "SP010", Severity.WARNING, "an apply interrupted before it finished was undone "
            f"first: {', '.join(restored)} put back as they were", Location(display_path(base))))
    return rewritten


def _apply(workspace: Workspace, loaded: list[LoadedContribution], base: Path,
           chosen: Callable[[AppliedChange], bool] | None, selected: bool,
           output: Path | str | None, text: str | None) -> Result:
    from stratplan.changes.amend import amend
    from stratplan.changes.overlap import conflicts, overlap_diagnostics
    from stratplan.source.reader import yaml_files
    from stratplan.writers.files import like_original, write_folder
    from stratplan.writers.inplace import rewrite

    problems = [d for lc in loaded for d in lc.diagnostics]
    amendment = amend(workspace, loaded, base, keep=chosen, texts=True)
    applied = amendment.applied
    problems += applied.problems
    problems += overlap_diagnostics(conflicts(applied.changes), final=True)
    if problems:
        raise StratplanError(problems)
    if not applied.changes:
        raise usage_error("no change was selected" if selected
                          else "the contributions change nothing")
    amendment.valid_plan()
    if text is not None:
        text = f"applied {len(applied.changes)} change(s): {text}"
    if output is not None:
        return Result(written=[write_folder(Path(output), base, applied.texts)], text=text)
    # Each file in its own line ends and byte-order mark, as write_folder writes them; the
    # folder's files as they were read, to check nobody wrote one since.
    sources = workspace.plan(base).sources
    files_read = sources.files if sources is not None else yaml_files(base)
    read = {path: workspace.document(path).text for path in files_read}
    rewrite(base, {path: like_original(new_text, path.read_bytes())
                   for path, new_text in applied.texts.items()}, read)
    return Result(written=sorted(applied.texts), text=text)


def _selection(select: list[str]) -> Callable[[AppliedChange], bool] | None:
    """Which changes `--change` takes: N, FILE:N or an item id."""
    if not select:
        return None

    def keep(change: AppliedChange) -> bool:
        for wanted in select:
            file, colon, number = wanted.rpartition(":")
            if number.isdigit() and (
                not colon or Path(file).name == change.source.path.name
                or real(Path(file)) == real(change.source.path)
            ):
                if int(number) == change.number:
                    return True
            elif wanted in split_address(address_of(change.change)):
                return True
        return False

    return keep


def format_files(paths: Iterable[Path | str], check: bool = False) -> Result:
    """Rewrite plan files in the canonical layout (`written`), or, with `check`, change
    nothing and report each file that would change (SP015, a warning: the exit status is 1).
    `text` says how many of the files looked at changed."""
    from stratplan.tools.fmt import format_paths

    files = [local(p) for p in paths]
    if not check:
        for path in files:
            refuse_revision(path, "fmt (without --check)")
    formatted = format_paths(files, check=check)
    result = Result(checked=len(formatted.checked), fail_on="warning")
    verb = "would reformat" if check else "reformatted"
    if check:
        result.diagnostics = [
            Diagnostic("SP015", Severity.WARNING, "not in the canonical layout",
                       Location(display_path(path)), "run `stratplan fmt` on it")
            for path in formatted.changed
        ]
    else:
        result.written = list(formatted.changed)
    result.text = f"{len(formatted.changed)} of {len(formatted.checked)} files {verb}"
    return result


def new_cycle(period: str, source: Path | str, output: Path | str | None = None) -> Result:
    """Start the cycle `period` from the plan `source`: a new folder (default: beside it).
    `text` says what `new` moved, left behind and left to decide; `diagnostics` are the new
    plan's findings, what the drafters must still decide."""
    from stratplan.tools.newcycle import new_cycle as start
    from stratplan.tools.newcycle import open_drafting

    source = local(source)
    # From a git revision, beside the plan's folder in the working tree, not in the revision.
    dest = Path(output) if output is not None else real(in_working_tree(source)).parent / period
    old = Workspace().plan(plan_folder(source)).plan
    made = start(source, period, dest)
    checked = validate([made.folder])
    lines = [f"wrote {display_path(made.folder)} (from {display_path(made.source)})"]
    if old is not None and old.plan.status == "draft":
        lines.append(f"  {display_path(made.source)} is still a draft (status: draft): what it "
                     "has not agreed is carried over, listed below")
    lines += [f"  {file}: {'; '.join(notes)}" for file, notes in made.changed.items()]
    lines += [f"  not copied: {item}" for item in made.left_behind]
    new = Workspace().plan(made.folder)
    carried = open_drafting(new.plan, new.sources.data) if new.plan and new.sources else []
    if made.to_decide or carried:
        lines.append("left to decide:")
        lines += [f"  {item}" for item in made.to_decide]
        lines += [f"  {item} (carried over)" for item in carried]
    if made.translations:
        lines.append("translations:")
        lines += [f"  {line}" for line in made.translations]
    return Result(written=[made.folder], text="\n".join(lines),
                  diagnostics=checked.diagnostics, checked=1)


def explain(code: str) -> str | None:
    """A rule's documentation, or None when no rule has that code."""
    from stratplan.checks.catalogue import explanation

    return explanation(code)


def rules_table() -> str:
    """The rules, one line each: code, default severity, name and title (`stratplan rules`)."""
    from stratplan.checks.catalogue import listing

    return listing()


def rules() -> list[type[Rule]]:
    """Every rule, by code."""
    from stratplan.checks import all_rules

    return all_rules()


# --- translations ------------------------------------------------------------------------


def _translation_state(plan: Path | str, languages: Iterable[str]) -> tuple[
    Workspace, Path, Plan, list[Any]
]:
    from stratplan.translations.status import language_status
    from stratplan.translations.store import load_translation
    from stratplan.translations.units import plan_units

    workspace = Workspace()
    folder, loaded = load_valid_plan(plan, workspace)
    units = plan_units(loaded)
    statuses = [language_status(units, load_translation(folder, lang, workspace.document))
                for lang in languages]
    return workspace, folder, loaded, statuses


def translations_status(plan: Path | str, languages: Iterable[str] = ()) -> Result:
    """How far the plan's translations are, per language (all five when none is given): the
    fields and English words current, stale and missing (`text`); a translation file that
    cannot be used is in `diagnostics`."""
    from stratplan.formats import translated_languages
    from stratplan.translations.status import status_table

    wanted = [_language(lang) for lang in languages] or list(translated_languages())
    wanted = [lang for lang in wanted if lang != SOURCE_LANGUAGE]
    _, _, loaded, statuses = _translation_state(plan, wanted)
    problems = [d for status in statuses for d in status.translation.diagnostics]
    return Result(text=status_table(loaded.plan.period, statuses), diagnostics=problems,
                  checked=1)


def translations_export(
    plan: Path | str, language: Language, output: str | Path | None = None,
    everything: bool = False,
) -> Result:
    """An XLIFF 2.0 file of what `language` needs of the plan (its stale and missing fields;
    `everything`: every field) for the translators, to `output` (default
    build/<period>-<language>.xlf). `text` says how many fields and words it holds."""
    from stratplan.translations.xliff import export_xliff
    from stratplan.writers.files import output_path, write_atomically

    lang = _language(language)
    if lang == SOURCE_LANGUAGE:
        raise usage_error("the plan is written in English: --lang is the language to "
                          "translate it into", "--lang")
    workspace, folder, loaded, (status,) = _translation_state(plan, [lang])
    if any(d.severity is Severity.ERROR for d in status.translation.diagnostics):
        raise StratplanError(status.translation.diagnostics)
    units = status.units if everything else status.needed()
    data = export_xliff(loaded.plan.period, display_path(folder), lang, units)
    target = output_path(output, f"{loaded.plan.period}-{lang}.xlf")
    write_atomically(target, data, workspace.files_read())
    words = sum(u.unit.words for u in units)
    return Result(written=[target], checked=1,
                  text=f"{len(units)} field(s), {words} English words, for translation into "
                  f"{lang}" + ("" if everything else
                               f" ({len(status.of('stale'))} stale, "
                               f"{len(status.of('missing'))} missing)"))


def translations_import(xliff: Path | str, plan: Path | str | None = None) -> Result:
    """Take a translated XLIFF 2 file back into the plan's translation file (the plan named by
    `plan`, else the folder the file was exported from): each unit whose id is a field of the
    plan, whose English is still the plan's and whose translation keeps the English's footnote
    references and brackets; each other unit is a diagnostic (SP715) and is not written. The
    translation file is written atomically, the units taken in the plan's order."""
    from stratplan.translations.store import translation_path, translation_yaml
    from stratplan.translations.xliff import import_units, read_xliff
    from stratplan.writers.files import write_atomically

    source = Path(xliff)
    read = read_xliff(source)
    folder_path = Path(plan) if plan is not None else Path(read.original)
    if not read.original and plan is None:
        raise usage_error("the file does not say which plan it was exported from: give --plan")
    workspace, folder, loaded, (status,) = _translation_state(folder_path, [read.language])
    if loaded.plan.period != read.period:
        raise StratplanError([Diagnostic(
            "SP716", Severity.ERROR, f"the file translates the {read.period or 'unnamed'} "
            f"plan, not the {loaded.plan.period} plan of {display_path(folder)}",
            Location(display_path(source)), "give the plan it was exported from: --plan",
            io=True)])
    if any(d.severity is Severity.ERROR for d in status.translation.diagnostics):
        raise StratplanError(status.translation.diagnostics)
    taken, refused, untranslated = import_units(read, [u.unit for u in status.units])
    result = Result(diagnostics=refused, checked=1)
    if taken:
        units = {**status.translation.units, **taken}
        order = [u.unit.address for u in status.units] + status.orphans
        text = translation_yaml(read.language, [(a, units[a]) for a in order if a in units])
        target = translation_path(folder, read.language)
        target.parent.mkdir(exist_ok=True)
        # The translation file is read and replaced: it is this command's output, the plan's
        # files and the XLIFF file are its inputs.
        inputs = [p for p in workspace.files_read() if real(p) != real(target)]
        write_atomically(target, text.encode("utf-8"), [*inputs, source])
        result.written.append(target)
    result.text = (f"{len(taken)} unit(s) taken, {len(refused)} refused, {untranslated} "
                   "without a translation")
    return result


def translations_carry(old: Path | str, new: Path | str, write: bool = True) -> Result:
    """Carry the translations of plan `old` into plan `new` (a later cycle): each one whose
    English `new` keeps, current, and each one whose English changed, stale (its translator
    sees it and the old English), where `new` has none of its own; by lineage (same id, or an
    item that `replaces` the old one). `text` reports how many English words of `new` are new,
    changed and reused from `old` ("previously published text"); `write=False` writes
    nothing."""
    from stratplan.formats import translated_languages
    from stratplan.translations.memory import carry, reuse, reuse_report
    from stratplan.translations.store import load_translation, translation_path, translation_yaml
    from stratplan.translations.units import plan_units
    from stratplan.writers.files import write_atomically

    workspace = Workspace()
    old_folder, old_plan = load_valid_plan(old, workspace)
    new_folder, new_plan = load_valid_plan(new, workspace)
    old_units, new_units = plan_units(old_plan), plan_units(new_plan)
    found = reuse(old_units, new_units)
    lines = [reuse_report(old_plan.plan.period, new_plan.plan.period, found)]
    result = Result(checked=2)
    for lang in translated_languages():
        before = load_translation(old_folder, lang, workspace.document)
        after = load_translation(new_folder, lang, workspace.document)
        problems = [d for d in before.diagnostics + after.diagnostics
                    if d.severity is Severity.ERROR]
        if problems:
            raise StratplanError(problems)
        if not before.units:
            continue
        carried, current, stale = carry(found, before.units, after.units)
        lines.append(f"{lang}: {current} translation(s) carried current, {stale} stale")
        if write and (current or stale):
            order = [u.address for u in new_units] + [a for a in after.units
                                                      if a not in {u.address for u in new_units}]
            text = translation_yaml(lang, [(a, carried[a]) for a in order if a in carried])
            target = translation_path(new_folder, lang)
            target.parent.mkdir(exist_ok=True)
            inputs = [p for p in workspace.files_read() if real(p) != real(target)]
            write_atomically(target, text.encode("utf-8"), inputs)
            result.written.append(target)
    result.text = "\n".join(lines)
    return result
