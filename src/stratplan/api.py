"""The library API that the CLI, the tests and other programs call."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from stratplan import ir
from stratplan.config import Config
from stratplan.diagnostics import Severity, StratplanError
from stratplan.model import Plan, plan_file_schema
from stratplan.validate import (
    LoadedPlan,
    ValidationResult,
    load_plan,
    plan_cache,
    plan_folder,
    validate_paths,
)

if TYPE_CHECKING:
    from stratplan.diff import RedlineResult

__all__ = [
    "LoadedPlan",
    "ValidationResult",
    "contribution_redline",
    "diff",
    "lineage",
    "load_plan",
    "load_valid_plan",
    "plan_cache",
    "render",
    "render_document",
    "schema_json",
    "validate",
]


def validate(
    paths: list[Path] | list[str], stage: str | None = None, config: Config | None = None
) -> ValidationResult:
    """Validate plan folders or files; see `stratplan.validate.validate_paths`."""
    return validate_paths([Path(p) for p in paths], stage=stage, config=config)


def schema_json() -> str:
    """The JSON Schema of a plan file, as editors and check-jsonschema use it."""
    return json.dumps(plan_file_schema(), indent=2, ensure_ascii=False)


def load_valid_plan(path: Path | str) -> tuple[Path, Plan]:
    """A plan folder (or a file of one) that validates without errors; else StratplanError."""
    folder = plan_folder(Path(path))
    result = validate_paths([folder])
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    if errors or folder not in result.plans:
        raise StratplanError(errors or result.diagnostics)
    return folder, result.plans[folder]


def render_document(path: Path | str, template_dir: Path | None = None) -> ir.Document:
    """The IR of a plan's Council document."""
    from stratplan.render import render_ir

    _, plan = load_valid_plan(path)
    return render_ir(plan, template_dir)


def render(
    path: Path | str,
    output: Path | str,
    fmt: str = "docx",
    template_dir: Path | None = None,
) -> Path:
    """Render a plan to `output` (docx, html or md), atomically, never over an input file."""
    from stratplan.output import write_atomically
    from stratplan.render import encode

    # The plan is dropped once its IR is built, so the writer has the memory to itself.
    data = encode(render_document(path, template_dir), fmt)
    target = Path(output)
    write_atomically(target, data, inputs=input_files(plan_folder(Path(path))))
    return target


def input_files(folder: Path) -> list[Path]:
    from stratplan.load import yaml_files

    return yaml_files(folder) if folder.is_dir() else [folder]


def lineage(old_path: Path | str, new_path: Path | str, fmt: str = "md") -> bytes:
    """The crosswalk of targets between two cycles, as md, csv or docx bytes."""
    from stratplan.crosswalk import build_crosswalk, to_csv, to_ir, to_markdown

    with plan_cache():
        _, old = load_valid_plan(old_path)
        _, new = load_valid_plan(new_path)
    crosswalk = build_crosswalk(old, new)
    if fmt == "csv":
        return to_csv(crosswalk).encode("utf-8")
    if fmt == "docx":
        from stratplan.docx import write_docx

        date = new.plan.date or f"{new.plan.period[:4]}-01-01"
        return write_docx(to_ir(crosswalk, date))
    return to_markdown(crosswalk).encode("utf-8")


def diff(
    old_path: Path | str,
    new_path: Path | str,
    author: str = "stratplan",
    date: str | None = None,
    template_dir: Path | None = None,
) -> RedlineResult:
    """The redline between two cycles' plans: the new plan's document with every change from
    the old one as a revision by `author` on `date` (default: the new plan's date)."""
    from stratplan.diff import redline

    old_doc, new_doc, aliases = _rendered_pair(old_path, new_path, template_dir)
    return redline(old_doc, new_doc, aliases, author=author, date=date)


def _rendered_pair(
    old_path: Path | str, new_path: Path | str, template_dir: Path | None
) -> tuple[ir.Document, ir.Document, dict[str, str]]:
    """Both plans' documents and the key aliases between them. The plans themselves are
    dropped on return, before the comparison and the writer need the memory."""
    from stratplan.diff import key_aliases
    from stratplan.render import render_ir

    with plan_cache():
        _, old = load_valid_plan(old_path)
        _, new = load_valid_plan(new_path)
    return render_ir(old, template_dir), render_ir(new, template_dir), key_aliases(old, new)


def contribution_redline(
    paths: list[Path] | list[str],
    date: str | None = None,
    template_dir: Path | None = None,
    base: Path | str | None = None,
) -> RedlineResult:
    """The base plan's document with the contributions' changes as tracked changes, each
    revision attributed to the contributor whose change set made it. `base`, when given, must
    be the plan the contributions amend (their `base:`)."""
    import tempfile
    from dataclasses import replace

    from stratplan.contribution import (
        apply_to_copy,
        attribute,
        base_folder,
        load_contribution,
    )
    from stratplan.diagnostics import Diagnostic, Location
    from stratplan.diff import redline
    from stratplan.render import render_ir

    files = [Path(p) for p in paths]
    loaded = [load_contribution(p) for p in files]
    bases = {lc.contribution.contribution.base for lc in loaded}
    if len(bases) != 1:
        raise StratplanError(
            [Diagnostic("SP803", Severity.ERROR, "contributions amend different plans: "
                        + ", ".join(sorted(bases)), Location(str(files[0])), io=True)]
        )
    base_dir = base_folder(files[0], loaded[0].contribution.contribution)
    if base is not None and plan_folder(Path(base)).resolve() != base_dir.resolve():
        raise StratplanError(
            [Diagnostic("SP803", Severity.ERROR, f"the contributions amend {base_dir}, not "
                        f"{base}", Location(str(files[0])), io=True)]
        )
    with plan_cache(), tempfile.TemporaryDirectory() as tmp:
        _, base_plan = load_valid_plan(base_dir)
        applied = apply_to_copy(loaded, base_dir, Path(tmp) / base_dir.name)
        _, amended = load_valid_plan(applied.folder)
    first = loaded[0].contribution.contribution
    result = redline(
        render_ir(base_plan, template_dir),
        render_ir(amended, template_dir),
        author=first.contributor,
        date=date or first.date or base_plan.plan.date,
    )
    return replace(result, document=attribute(result.document, applied.touched))
