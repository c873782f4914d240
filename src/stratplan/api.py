"""The library API that the CLI, the tests and other programs call."""

from __future__ import annotations

import json
from pathlib import Path

from stratplan.config import Config
from stratplan.model import plan_file_schema
from stratplan.validate import LoadedPlan, ValidationResult, load_plan, validate_paths

__all__ = ["LoadedPlan", "ValidationResult", "load_plan", "schema_json", "validate"]


def validate(
    paths: list[Path] | list[str], stage: str | None = None, config: Config | None = None
) -> ValidationResult:
    """Validate plan folders or files; see `stratplan.validate.validate_paths`."""
    return validate_paths([Path(p) for p in paths], stage=stage, config=config)


def schema_json() -> str:
    """The JSON Schema of a plan file, as editors and check-jsonschema use it."""
    return json.dumps(plan_file_schema(), indent=2, ensure_ascii=False)
