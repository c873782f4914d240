"""The manual: the generated pages (`stratplan.manual`) are current and say what the code does;
every link between the README and the pages of docs/ leads to a file and a heading that exist."""

from __future__ import annotations

import itertools
import re
import shlex
import shutil
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from stratplan import diagnostics
from stratplan.checks import all_rules
from stratplan.config import SETTINGS
from stratplan.manual import MAKE, commands, exit_codes, main, pages, stale_pages
from tests.conftest import ROOT, run_cli

MARKDOWN = MarkdownIt("commonmark").enable("table")
MANUAL = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])


def test_the_generated_pages_are_current() -> None:
    stale = stale_pages(ROOT)
    assert not stale, f"{', '.join(map(str, stale))} out of date: run `{MAKE}` and commit"


def test_a_stale_page_is_found_and_rewritten(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """The check above can fail: a page edited by hand is stale, `--check` names it with the
    command that fixes it, and generating again restores it."""
    for folder in ("plans", "contributions"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    assert stale_pages(tmp_path) == []
    page = tmp_path / "docs" / "rules.md"
    page.write_text(page.read_text(encoding="utf-8").replace("SP301", "SP399", 1))
    assert stale_pages(tmp_path) == [Path("docs/rules.md")]
    assert main(["--check", str(tmp_path)]) == 1
    assert f"docs/rules.md is out of date: run `{MAKE}`" in capsys.readouterr().err
    assert main([str(tmp_path)]) == 0
    assert page.read_text(encoding="utf-8") == (ROOT / "docs" / "rules.md").read_text()


def test_the_reference_shows_each_command_as_the_cli_parses_it() -> None:
    """Choices, defaults and required options as the command line takes them: what the page
    says `validate --fail-on` takes is what the CLI accepts, and nothing else."""
    _main, found = commands()
    by_name = {c.name: c for c in found}
    assert list(by_name)[:3] == ["validate", "render", "diff"]
    fail_on = next(p for p in by_name["validate"].params if "--fail-on" in p.names)
    assert fail_on.takes == "error | warning | info"
    for choice in fail_on.takes.split(" | "):
        assert run_cli("validate", "--fail-on", choice, "--help").returncode == 0
    assert run_cli("validate", "--fail-on", "loud", str(ROOT / "plans")).returncode == 2
    render_format = next(p for p in by_name["render"].params if "--format" in p.names)
    assert (render_format.takes, render_format.default) == ("docx | pdf | html | md", "`docx`")
    base = next(p for p in by_name["import"].params if "--base" in p.names)
    assert base.required
    assert by_name["validate"].usage == "stratplan validate [OPTIONS] PATHS..."
    assert by_name["rules"].usage == "stratplan rules"
    change = next(p for p in by_name["apply"].params if "--change" in p.names)
    assert change.takes == "TEXT (repeatable)"


def test_the_reference_names_every_rule_setting_and_exit_code() -> None:
    reference = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    rules = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in all_rules():
        assert f"\n## {rule.code}\n" in rules and rule.doc() in rules.replace("\\<", "<")
    for setting in SETTINGS:
        assert f"| `{setting.key}` |" in reference
    assert [value for value, _, _ in exit_codes()] == sorted(
        value for name, value in vars(diagnostics).items() if name.startswith("EXIT_")
    )
    assert "| 1 | `EXIT_PROBLEMS` |" in reference


def _tokens(path: Path) -> list[Token]:
    flat: list[Token] = []
    for token in MARKDOWN.parse(path.read_text(encoding="utf-8")):
        flat.append(token)
        flat.extend(token.children or ())
    return flat


@pytest.mark.parametrize("page", sorted(pages(ROOT)), ids=str)
def test_a_generated_page_has_no_raw_html(page: Path) -> None:
    """Text such as `<sectors id>` in a rule's doc would be taken for an HTML tag and vanish
    from the rendered page; only the generated-page banner is HTML (a comment)."""
    html = [t.content for t in _tokens(ROOT / page) if t.type in ("html_inline", "html_block")]
    assert [h for h in html if not h.startswith("<!--")] == []


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation other than - and _ dropped,
    spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    tokens = MARKDOWN.parse(path.read_text(encoding="utf-8"))
    seen: Counter[str] = Counter()
    found = set()
    for opening, inline in itertools.pairwise(tokens):
        if opening.type == "heading_open":
            text = "".join(c.content for c in inline.children or () if c.type in
                           ("text", "code_inline"))
            base = slug(text)
            found.add(base if not seen[base] else f"{base}-{seen[base]}")
            seen[base] += 1
    return found


def links(path: Path) -> list[str]:
    return [str(t.attrs["href"]) for t in _tokens(path) if t.type == "link_open"]


@pytest.mark.parametrize("page", MANUAL, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_of_the_manual_resolves(page: Path) -> None:
    for href in links(page):
        if re.match(r"[a-z]+:", href):
            continue  # an address outside the repository
        target, _, anchor = href.partition("#")
        file = (page.parent / target).resolve() if target else page
        assert file.exists(), f"{page.relative_to(ROOT)}: {href}: no such file"
        if anchor and file.suffix == ".md":
            assert anchor in anchors(file), f"{page.relative_to(ROOT)}: {href}: no such heading"


def test_the_link_check_can_fail(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# A `title`, here\n\n## Twice\n\n## Twice\n\n[x](other.md) [y](#nowhere)\n")
    assert anchors(page) == {"a-title-here", "twice", "twice-1"}
    assert links(page) == ["other.md", "#nowhere"]


# --- the hand-written pages: what they say of the code stays true -----------------------------


def test_the_readme_is_a_first_screen() -> None:
    """What it is and the two commands first; the rest is in docs/, so the README stays short
    as sections are added."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.encode("utf-8")) < 12 * 1024, "README.md: move sections to docs/"
    first_screen = readme[:1200]
    assert first_screen.startswith("# stratplan\n")
    assert "make demo" in first_screen and "make test" in first_screen


def test_the_readme_commands_exist() -> None:
    """Each command line of the README's tour names a real command, its real options, and files
    that are in the repository (or that an earlier line of the tour writes, under build/)."""
    _main, found = commands()
    options = {c.name: {o for p in c.params for o in re.findall(r"`(-[^`]+)`", p.names)}
               for c in found}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = re.findall(r"^\.venv/bin/stratplan (.+?)(?:\s+#.*)?$", readme, flags=re.MULTILINE)
    assert len(lines) >= 5
    for line in lines:
        command, *words = shlex.split(line)
        assert command in options, line
        assert {w for w in words if w.startswith("-")} <= options[command], line
        for word in words:
            if word.startswith(("plans/", "contributions/")):
                assert list(ROOT.glob(word.rstrip("/"))), f"{line}: no {word}"


def test_the_design_names_every_module() -> None:
    """The layout in docs/design.md lists every package and top-level module of the source:
    a new one is placed in the layers there, as in tests/test_layering.py."""
    design = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    source = ROOT / "src" / "stratplan"
    names = [f"{p.name}/" for p in source.iterdir() if (p / "__init__.py").is_file()]
    names += [p.name for p in source.glob("*.py")]
    missing = [name for name in sorted(names) if name not in design]
    assert not missing, f"docs/design.md does not place {missing} in the layout"


def test_the_rule_example_of_contributing_is_the_code() -> None:
    """docs/contributing.md shows SP201 as checks/chain.py has it."""
    page = (ROOT / "docs" / "contributing.md").read_text(encoding="utf-8")
    example = re.search(r"```python\n(.*?)```", page, flags=re.DOTALL)
    assert example is not None
    code = (ROOT / "src" / "stratplan" / "checks" / "chain.py").read_text(encoding="utf-8")
    assert textwrap.dedent(example.group(1)) in code
