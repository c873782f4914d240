"""No text in the Council document that neither the plan nor the seeds have: every piece of
text the templates write themselves (labels, headers, the words around plan values) is a label
the source documents print, and the front matter has no line the seed lacks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stratplan import ir
from stratplan.api import render_document
from stratplan.templates import FRAMEWORKS, SHOW_SUFFIX, search_path
from tests.conftest import PLANS, ROOT

# The seeds sit beside the checkout (shared/), or beside the folder of worktrees.
SEEDS = next((p for p in (ROOT.parent / "shared" / "seeds", ROOT.parent.parent / "shared" /
              "seeds") if p.is_dir()), ROOT.parent / "shared" / "seeds")


def seed_text(number: str) -> str:
    path = next(SEEDS.glob(f"{number}_*.txt"), None)
    if path is None:
        pytest.skip("the seeds folder is not beside this checkout")
    return path.read_text(encoding="utf-8")


def template_text(source: str) -> list[str]:
    """The text a template writes of its own: what lies outside its Jinja tags and markup
    elements, and the string literals in its tags that read as words (a capital or a space:
    "Agenda item", "X"; not keys such as "cover:" or "table-text"). A label's `{name}` is a
    value the template fills in, not its words: "Goal {number}" writes "Goal"."""
    source = re.sub(r"\{#.*?#\}", "", source, flags=re.S)
    out = []
    for tag in re.finditer(r"\{\{(.*?)\}\}|\{%(.*?)%\}", source, flags=re.S):
        for double, single in re.findall(r'"([^"]*)"|\'([^\']*)\'', tag.group(1) or tag.group(2)):
            literal = " ".join(re.sub(r"\{[a-z_]+\}", " ", double or single).split())
            if re.search(r"[A-Z]", literal) or " " in literal:
                out.append(literal)
    outside = re.sub(r"<[^>]*>", "\0", re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "\0", source, flags=re.S))
    out += [" ".join(p.split()) for p in outside.split("\0") if re.search(r"\w", p)]
    return out


def framework_text(framework: str) -> dict[str, list[str]]:
    """Every template a plan of `framework` renders through (its own folder first, then the
    common one), with the text it writes."""
    found: dict[str, Path] = {}
    for folder in search_path(framework):
        for path in sorted(folder.rglob(f"*{SHOW_SUFFIX}")):
            found.setdefault(str(path.relative_to(folder)), path)
    return {str(p.relative_to(p.parents[len(Path(name).parts) - 1].parent)):
            template_text(p.read_text(encoding="utf-8")) for name, p in sorted(found.items())}


def printed_by_a_seed(text: str, seeds: str) -> bool:
    """Whether a seed prints the text: as it is, or its words in a row (the seeds' "X" for
    "(X)", "– by" around a year)."""
    if text in seeds:
        return True
    words = re.findall(r"\w+", text)
    return bool(words) and re.search(r"\W+".join(map(re.escape, words)), seeds) is not None


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_text_of_the_templates_is_a_label_the_seeds_print(framework: str) -> None:
    """Listed per framework; the cover's labels ("Agenda item", "Purpose") are seed 001's and
    seed 004's, written only where the plan has that field, so any seed may print a label.
    Seed 001's Table 3 is why "The plan states no links between objectives and goals." went."""
    seeds = "\n".join(seed_text(n) for n in ["000", "001", "002", "003", "004"])
    texts = framework_text(framework)
    assert any(texts.values())
    unprinted = {name: [t for t in found if not printed_by_a_seed(t, seeds)]
                 for name, found in texts.items()}
    assert {name: found for name, found in unprinted.items() if found} == {}


def test_the_listing_finds_the_templates_own_words() -> None:
    assert template_text(
        '{#- a comment -#}<p key="cover:x">{{ labelled("Agenda item", c.x) }}</p>'
        '{% if link %}{{ "X" if a else "(X)" }}{% endif %}<b>Targets for Goal {{ n }}</b>'
        '{{ m.para(x, "cover:" ~ key, "table-text") }}'
    ) == ["Agenda item", "X", "(X)", "Targets for Goal"]
    assert not printed_by_a_seed("The plan states no links between objectives and goals.",
                                 seed_text("001"))


def _seed_lines(number: str) -> set[str]:
    """The seed's lines, and the cells of its tab-separated lines, bookmarks left out."""
    out = set()
    for line in seed_text(number).splitlines():
        line = re.sub(r"\[bookmark: [^\]]*\]", "", line)
        out |= {" ".join(cell.split()) for cell in [line, *line.split("\t")]}
    return out


# 2024-2027 and 2028-2031 come from seed 004, whose dump runs the old and the new text together.
@pytest.mark.parametrize("cycle,seed", [("2012-2015", "003"), ("2020-2023", "001")])
def test_the_annex_and_title_lines_are_the_seeds(cycle: str, seed: str) -> None:
    """2020-2023 printed a title line "ITU Strategic Plan 2020-2023" after the annex line
    "ANNEX 1 to Resolution 71: ITU Strategic Plan 2020-2023", which seed 001 does not have."""
    document = render_document(PLANS / cycle)
    front = [p for p in document.blocks
             if isinstance(p, ir.Paragraph) and p.key in ("annex", "title")]
    assert front
    lines = _seed_lines(seed)
    assert [p.text for p in front if p.text not in lines] == []


def test_the_linkage_tables_are_labelled_as_in_the_seeds() -> None:
    """Seed 003's Table 8.1 heads its columns "Goal ITU-R" ... and its groups "ITU-R" ...;
    seed 001's Table 3 "Goal 1: Growth" ... and "ITU-T objectives" ...."""
    lines = _seed_lines("003")
    for cycle, expected in [("2012-2015", ["Goal ITU-R", "Goal ITU-T", "Goal ITU-D", "Goal GS"]),
                            ("2020-2023", ["Goal 1: Growth", "Goal 2: Inclusiveness"])]:
        document = render_document(PLANS / cycle)
        table = next(b for b in document.blocks
                     if isinstance(b, ir.Table) and b.key == "linkage")
        header = [p.text for cell in table.rows[0].cells for p in cell.blocks]
        assert header[1 : 1 + len(expected)] == expected
        groups = [p.text for r in table.rows if r.key.startswith("linkage:sector:")
                  for c in r.cells for p in c.blocks]
        if cycle == "2012-2015":
            assert groups == ["ITU-R", "ITU-T", "ITU-D", "GS"]
            assert set(groups) <= lines and set(header[1:]) <= lines
        else:
            assert groups[1:] == ["ITU-T objectives", "ITU-D objectives",
                                  "Inter-Sectoral objectives"]
            assert {"ITU-T objectives", "Inter-Sectoral objectives"} <= _seed_lines("001")
