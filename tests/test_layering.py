"""The stages import one way: each package only from the layers below it, the CLI only the
API, diagnostics and reporting, and no import cycle anywhere (as sqlfluff's import-linter
contracts, here over the source with `ast`). And each grammar has one owner: only
`stratplan/keys.py` builds or splits an IR key, only `stratplan/model/address.py` formats or
splits an address (the templates build keys through its `key()` and `subkey()` globals).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "stratplan"

# Lowest first. A module may import from its own package or from a lower layer; two packages of
# one layer know nothing of each other.
LAYERS: list[set[str]] = [
    {"__init__", "diagnostics", "formats", "ir", "keys"},
    {"source", "templates"},
    {"model"},
    {"config"},
    {"workspace"},
    {"checks"},
    {"changes", "translations"},
    {"diff"},
    {"render"},
    {"writers"},
    {"proposals"},
    {"tools"},
    {"report", "api"},
    {"cli"},
    {"manual"},  # the generated pages of the manual: they read the CLI
    {"__main__"},  # the program: its quick answers, then the CLI
]
CLI_MAY_IMPORT = {"stratplan", "stratplan.api", "stratplan.diagnostics", "stratplan.formats",
                  "stratplan.report"}


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


# --- one owner for the key and address grammars -------------------------------------------------

# (and source/revisions.py the third: a git revision spec, `REV:path`, as `git show` takes it)
GRAMMAR_OWNERS = {"keys.py", "model/address.py", "source/revisions.py"}
# Modules whose every path is of another grammar: a Word package's part names and XPath.
OTHER_GRAMMAR_MODULES = {
    "writers/docx/reference.py": "a Word package's part names, relationships and XPath",
}
# Key and address punctuation: the kind separator, the part and address separator, the
# positional mark. Code elsewhere that splits text on one of them, or puts one between
# formatted values, builds or reads a key or an address by hand.
PUNCTUATION = (":", "/", "#")
STRING_TESTS = {"startswith", "endswith", "lstrip", "rstrip", "strip", "removeprefix",
                "removesuffix"}
KIND_PREFIX = re.compile(r"^#|^[a-z][a-z-]*:$")
# The same punctuation in other grammars, each named: (module, source text, what it is).
OTHER_GRAMMARS = [
    ("api.py", 'str(output).endswith(("/", "\\\\"))', "an output path naming a folder"),
    ("api.py", 'wanted.rpartition(":")', "the FILE:N selection of apply --change"),
    ("checks/references.py", 'value.show.partition(":")', "a section's `show: kind:arg`"),
    ("templates/__init__.py", 'f"{self.name}:{arg}"', "a `show:` kind's usage"),
    ("checks/runner.py", 'f"#{d.subject}"', "a baseline fingerprint's subject"),
    ("diagnostics.py", 'f"{self.file}:{self.line}', "a location: file:line:column"),
    ("report.py", 'f"{d.location.line}:{d.location.column', "a location: line:column"),
    ("report.py", "f\"::{command[d.severity]}", "a GitHub workflow command"),
    ("report.py", "url.rstrip('/')", "a URL"),
    ("cli.py", "url.rstrip('/')", "a URL"),
    ("proposals/compile.py", 'own.number.rstrip(":")', "a display number (`1.2:`)"),
    ("tools/crosswalk.py", 'number=f"{row.number}:"', "a display number (`1.2:`)"),
    ("tools/smart.py", '/{', "a score: stated/expected"),
    ("tools/fieldref.py", '](#', "a Markdown link"),
    ("workspace.py", "looked for plans/", "a folder named in a message"),
    ("proposals/review.py", "{q('pPr')}/", "an XPath"),
    ("proposals/review.py", "{q('docDefaults')}/", "an XPath"),
    ("proposals/review.py", 'f"w:{name.localname}"', "an OOXML element's name in a message"),
    ("writers/docx/styles.py", "{w('rPrDefault')}/", "an XPath"),
    ("writers/docx/styles.py", "f'<w:{side}", "OOXML markup"),
    ("writers/docx/__init__.py", '.lstrip("/")', "a package part name"),
    ("writers/files.py", 'endswith(("/", os.sep))', "an output path naming a folder"),
    ("writers/text.py", '}</{', "HTML markup"),
    ("source/roundtrip.py", 'startswith("#")', "a YAML comment"),
    ("source/layout.py", 'f"{prefix}{key.value}:"', "a YAML mapping key"),
    ("writers/pdf.py", '.find(f"', "an XPath"),
    ("source/suppress.py", 'startswith("#")', "a YAML comment"),
]


def grammar_uses(source: str) -> list[tuple[int, str]]:
    """(line, what) for each place in `source` that splits text on key or address punctuation,
    joins with it, or writes it between formatted values."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name, args = node.func.attr, node.args
            first = args[0] if args else None
            consts = [a.value for a in (first.elts if isinstance(first, ast.Tuple) else [first])
                      if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if name in ("split", "rsplit", "partition", "rpartition") and set(consts) & set(
                    PUNCTUATION):
                found.append((node.lineno, f"splits on {consts[0]!r}"))
            elif name == "join" and isinstance(node.func.value, ast.Constant) and \
                    node.func.value.value in PUNCTUATION:
                found.append((node.lineno, f"joins with {node.func.value.value!r}"))
            elif name in STRING_TESTS and any(c in PUNCTUATION or KIND_PREFIX.match(c)
                                              for c in consts):
                found.append((node.lineno, f"tests text for {consts}"))
        elif isinstance(node, ast.JoinedStr):
            values = node.values
            for i, value in enumerate(values):
                if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                    continue
                text = value.value
                before = i > 0 and isinstance(values[i - 1], ast.FormattedValue)
                after = i + 1 < len(values) and isinstance(values[i + 1], ast.FormattedValue)
                if (after and re.search(r"(^|\S)[:/#]$", text)) or (
                        before and re.match(r"^[:/#](\S|$)", text)):
                    found.append((node.lineno, f"formats {text!r} beside a value"))
                    break
    return sorted(found)


def test_only_the_owners_build_or_split_keys_and_addresses() -> None:
    problems = []
    for path in MODULES.values():
        relative = path.relative_to(SRC).as_posix()
        if relative in GRAMMAR_OWNERS or relative in OTHER_GRAMMAR_MODULES:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for line, what in grammar_uses(path.read_text(encoding="utf-8")):
            text = lines[line - 1]
            if any(relative == m and snippet in text for m, snippet, _ in OTHER_GRAMMARS):
                continue
            problems.append(f"{relative}:{line}: {what}: {text.strip()}")
    assert not problems, (
        "build and read keys with stratplan.keys, addresses with stratplan.model.address "
        "(or name the other grammar in OTHER_GRAMMARS):\n" + "\n".join(problems))


def test_the_grammar_check_finds_keys_and_addresses_built_by_hand() -> None:
    """The check above can fail: each way of building or reading a key by hand is found."""
    hand_made = """
key = f"target:{t.id}"
row = f"{key}/row"
free = f"#{section}/p{n}"
kind, _, name = key.partition(":")
head = key.split("/")[0]
address = "/".join(parts)
prose = key.startswith("#")
resource = row.startswith("resource:")
"""
    assert [line for line, _ in grammar_uses(hand_made)] == [2, 3, 4, 5, 6, 7, 8, 9]
    fine = """
message = f"{code}: {text}"
key = keys.key("target", t.id, "row")
ratio = f"{a} of {b}"
"""
    assert grammar_uses(fine) == []


TEMPLATES = SRC / "templates"
KEY_ATTRIBUTE = re.compile(r'\b(key|merge)="([^"]*)"')
# Built by the globals, a variable holding a key (a macro's argument), or none.
BUILT = re.compile(r"^(\{\{ (key|subkey)\(.*\) \}\}|\{\{ \w+ \}\}|' ~ \w+ ~ '|)$")
HAND_BUILT = re.compile(r"""['"][a-z-]+:['"]\s*~|['"][a-z_-]+/['"]\s*~|~\s*['"][:/]""")
ADDRESS_ATTRIBUTE = re.compile(r'\bof="([^"]*)"')
JINJA_TAG = re.compile(r"\{%.*?%\}", re.S)
ADDRESS_CALL = re.compile(r"\{\{ address\([^{}]*\) \}\}")
INCLUDE = re.compile(r"\{%-? *(include|import|from) .*?%\}", re.S)


def _without_key_calls(text: str) -> str:
    """`text` with every `key(...)` and `subkey(...)` call taken out."""
    out, index = [], 0
    for match in re.finditer(r"\b(sub)?key\(", text):
        if match.start() < index:
            continue
        out.append(text[index : match.start()])
        depth, end = 0, match.end() - 1
        for end in range(match.end() - 1, len(text)):
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            if depth == 0:
                break
        index = end + 1
    out.append(text[index:])
    return "".join(out)


def template_key_problems(name: str, text: str) -> list[str]:
    problems = [f"{name}: {m.group(0)}" for m in KEY_ATTRIBUTE.finditer(text)
                if not BUILT.match(m.group(2))]
    problems += [f"{name}: {m.group(0)!r} builds a key or an address by hand"
                 for m in HAND_BUILT.finditer(_without_key_calls(INCLUDE.sub("", text)))]
    problems += [f"{name}: of={m.group(1)!r} is not built by address()"
                 for m in ADDRESS_ATTRIBUTE.finditer(text)
                 if ADDRESS_CALL.sub("", JINJA_TAG.sub("", m.group(1))).strip()]
    return problems


def test_templates_build_keys_with_the_key_globals() -> None:
    problems = [p for path in sorted(TEMPLATES.rglob("*.j2"))
                for p in template_key_problems(path.relative_to(TEMPLATES).as_posix(),
                                               path.read_text(encoding="utf-8"))]
    assert not problems, "\n".join(problems)


def test_the_template_check_finds_keys_built_by_hand() -> None:
    assert template_key_problems("t", '<p key="target:{{ t.id }}">') != []
    assert template_key_problems("t", "{{ m.para(x, 'goal:' ~ g.id ~ '/d' ~ n) }}") != []
    assert template_key_problems("t", "{{ m.para(x, key('goal', g.id, 'd' ~ n)) }}") == []
    assert template_key_problems("t", '<p key="{{ key(\'annex\') }}"><td merge="{{ g }}">') == []
    assert template_key_problems("t", '<value of="targets/{{ t.id }}/deadline">') != []
    assert template_key_problems("t", "{{ m.facts(t, 'targets/' ~ t.id) }}") != []
    assert template_key_problems("t", '<value of="{{ address(\'targets\', t.id) }}">') == []
