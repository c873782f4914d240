"""The rule runner: every rule over a loaded plan, severities from the config, suppressions
applied, and each finding located through the source map."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from stratplan.checks import Finding, PlanContext, all_rules
from stratplan.config import Config, find_config, load_config
from stratplan.diagnostics import EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS, Diagnostic, Severity
from stratplan.model.plan import Plan
from stratplan.source.reader import SourceMap
from stratplan.source.suppress import apply_suppressions, find_suppressions
from stratplan.workspace import LoadedPlan, Workspace

# Input that could not be read stays an error, whatever the config says.
UNSILENCEABLE = frozenset({"SP001", "SP002", "SP003", "SP004", "SP005", "SP006", "SP007"})


def check_plan(ctx: PlanContext, sources: SourceMap, config: Config) -> list[Diagnostic]:
    """Every rule with a check() over one plan, located, at the severity the config sets."""
    out: list[Diagnostic] = []
    for rule_class in all_rules():
        severity = config.severity_for(rule_class.code, rule_class.severity)
        if severity is None or rule_class.stage != "plan":
            continue
        for finding in rule_class().check(ctx):
            found = severity
            if finding.severity is not None and rule_class.code not in config.rules:
                found = finding.severity
            out.append(_locate(rule_class.code, found, finding, sources))
    return out


def _locate(code: str, severity: Severity, finding: Finding, sources: SourceMap) -> Diagnostic:
    location = None
    if finding.at_key:
        location = sources.key_positions.get(finding.path)
    location = location or sources.locate(finding.path)
    return Diagnostic(code, severity, finding.message, location, finding.hint,
                      path=finding.path)


@dataclass
class ValidationResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    plans: dict[Path, Plan] = field(default_factory=dict)
    checked: int = 0  # plans and contributions looked at, loadable or not
    # The lowest severity that fails the run, from the config (`fail-on`); None: errors only.
    fail_on: str | None = None

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    def exit_code(self, fail_on: str | None = None) -> int:
        """0 clean, 1 problems at or above `fail_on` (else the config's, else errors), 2 for
        usage or I/O problems."""
        if any(d.io for d in self.diagnostics):
            return EXIT_ERROR
        threshold = Severity(fail_on or self.fail_on or "error").rank
        if any(d.severity.rank >= threshold for d in self.diagnostics):
            return EXIT_PROBLEMS
        return EXIT_OK

    def add(self, other: ValidationResult) -> None:
        self.diagnostics += other.diagnostics
        self.plans.update(other.plans)
        self.checked += other.checked
        if other.fail_on and (
            self.fail_on is None or Severity(other.fail_on).rank < Severity(self.fail_on).rank
        ):
            self.fail_on = other.fail_on


def folder_config(folder: Path, config: Config | None) -> tuple[Config, list[Diagnostic]]:
    """`config` when given, else the nearest config file above `folder`."""
    if config is not None:
        return config, []
    return load_config(find_config(folder))


def validate_plan(
    workspace: Workspace,
    folder: Path,
    stage: str | None = None,
    config: Config | None = None,
    loaded: LoadedPlan | None = None,
) -> ValidationResult:
    """One plan folder through the model and every rule; `loaded` when the plan was read
    another way (an amended copy)."""
    result = ValidationResult(checked=1)
    settings, problems = folder_config(folder, config)
    result.diagnostics += problems
    result.fail_on = settings.fail_on
    loaded = loaded or workspace.plan(folder)
    diagnostics = list(loaded.diagnostics)
    if loaded.plan is not None and loaded.sources is not None:
        cycles, missing = workspace.cycles(folder, loaded.plan)
        ctx = PlanContext(loaded.plan, stage or settings.stage or "draft", cycles, missing)
        ctx.unreadable_cycles = workspace.unreadable_cycles(folder, missing)
        diagnostics += check_plan(ctx, loaded.sources.sources, settings)
        result.plans[folder] = loaded.plan
    if loaded.sources is not None:
        suppressions = [
            s
            for file, text in loaded.sources.texts.items()
            for s in find_suppressions(file, text)
        ]
        diagnostics = apply_suppressions(diagnostics, suppressions)
    # Config may turn any rule down, but input that could not be read stays an error.
    for d in diagnostics:
        severity = settings.severity_for(d.code, d.severity)
        if severity is None and (d.io or d.code in UNSILENCEABLE):
            severity = d.severity
        if severity is not None:
            result.diagnostics.append(d.with_severity(severity))
    return result
