"""The stages import one way: each package only from the layers below it, the CLI only the
API, diagnostics and reporting, and no import cycle anywhere (as sqlfluff's import-linter
contracts, here over the source with `ast`)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "stratplan"

# Lowest first. A module may import from its own package or from a lower layer; two packages of
# one layer know nothing of each other.
LAYERS: list[set[str]] = [
    {"__init__", "diagnostics", "ir"},
    {"source", "templates"},
    {"model"},
    {"config", "workspace"},
    {"checks"},
    {"changes"},
    {"render"},
    {"diff"},
    {"writers"},
    {"proposals"},
    {"tools"},
    {"report", "api"},
    {"cli"},
    {"__main__"},  # the program: its quick answers, then the CLI
]
CLI_MAY_IMPORT = {"stratplan", "stratplan.api", "stratplan.diagnostics", "stratplan.report"}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def imports_of(module: str) -> set[str]:
    """Every stratplan module `module` imports, at any depth of the file (functions and
    TYPE_CHECKING blocks included): `from a.b import c` is a.b.c when that is a module."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                child = f"{base}.{alias.name}"
                found.add(child if child in MODULES else base)
    return {name for name in found if name == "stratplan" or name.startswith("stratplan.")}


def layer_of(module: str) -> int:
    top = module.split(".")[1] if "." in module else "__init__"
    for index, layer in enumerate(LAYERS):
        if top in layer:
            return index
    raise AssertionError(f"{module} is in no layer: add its package to LAYERS")


def package_of(module: str) -> str:
    return module.split(".")[1] if "." in module else "__init__"


def test_every_module_is_in_a_layer() -> None:
    for module in MODULES:
        layer_of(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module: str) -> None:
    wrong = [
        target
        for target in sorted(imports_of(module))
        if package_of(target) != package_of(module) and layer_of(target) >= layer_of(module)
        and target != "stratplan"
    ]
    assert not wrong, f"{module} imports {wrong}, which are not below it"


def test_cli_reaches_only_the_api() -> None:
    assert imports_of("stratplan.cli") <= CLI_MAY_IMPORT, imports_of("stratplan.cli")


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 on the path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycle() -> None:
    graph = {module: imports_of(module) - {module} for module in MODULES}
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_the_checker_finds_a_cycle_and_an_upward_import() -> None:
    """The checks above can fail: a cycle and an import against the layers are found."""
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
    assert layer_of("stratplan.model.plan") < layer_of("stratplan.checks.runner")
