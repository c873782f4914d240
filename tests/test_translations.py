"""Translations: the units of a plan, stale by hash, XLIFF out and in (through Translate Toolkit
as a CAT tool), each edition rendered, and translations carried into the next cycle."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from ruamel.yaml import YAML
from translate.storage import xliff2

from stratplan import api, ir
from stratplan.api import load_plan
from stratplan.diagnostics import StratplanError
from stratplan.formats import Language
from stratplan.model.address import from_token, resolve
from stratplan.translations.units import normalised, plan_units, text_hash
from stratplan.translations.xliff import XLIFF_NS
from tests.conftest import EXAMPLE, ROOT
from tests.pages import needs, page_texts

FIXTURES = ROOT / "tests" / "fixtures" / "translations"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def fixture_texts(language: str) -> dict[str, str]:
    """The test translations of the example plan (tests/fixtures/translations), by address."""
    data = YAML(typ="safe").load((FIXTURES / f"{language}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return {str(k): str(v) for k, v in data.items()}


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    folder = tmp_path / "2028-2031"
    shutil.copytree(EXAMPLE, folder)
    return folder


def translate_as_a_cat_tool(exported: Path, texts: dict[str, str], done: Path) -> int:
    """What a translator's CAT tool does: read the XLIFF 2 file, fill in each target, mark it
    translated, save (Translate Toolkit's XLIFF 2 store)."""
    store = xliff2.Xliff2File.parsefile(str(exported))  # type: ignore[no-untyped-call]
    filled = 0
    for unit in store.units:
        text = texts.get(from_token(unit.getid()))
        if text is not None:
            unit.target = text
            unit.marktranslated()
            filled += 1
    done.write_bytes(bytes(store))
    return filled


# --- units and hashes ---------------------------------------------------------------------------


def test_units_are_the_prose_fields_addressed_as_contributions_address_them() -> None:
    loaded = load_plan(EXAMPLE)
    assert loaded.plan is not None and loaded.sources is not None
    units = plan_units(loaded.plan)
    addresses = [u.address for u in units]
    assert "targets/coverage/text" in addresses and "footnotes/developing" in addresses
    assert "vision/text" in addresses and "sections/overview/content/2/comments/1/text" in addresses
    # a unit, a data source, an id are not prose: nothing to translate
    assert not any(a.endswith(("/unit", "/data_source", "/id")) for a in addresses)
    for unit in units:  # each address names the English it carries, in the plan's own data
        assert resolve(loaded.sources.data, unit.address).value == unit.text
    assert set(fixture_texts("fr")) == set(addresses) == set(fixture_texts("ar"))


def test_the_hash_sets_aside_spacing_and_sentence_punctuation_only() -> None:
    text = "The Sectors cooperate [under this plan][^x]."
    assert text_hash(text) == text_hash("The  Sectors cooperate\n[under this plan][^x]")
    assert text_hash("ITU's “role” – here") == text_hash("ITU’s \"role\" - here;")
    for changed in ("The Sectors co-operate [under this plan][^x].",  # a word
                    "The sectors cooperate [under this plan][^x].",  # a capital
                    "The Sectors cooperate under this plan[^x].",  # brackets
                    "The Sectors cooperate [under this plan][^y].",  # a footnote reference
                    "The Sectors cooperate [under this plan][^x] 95%."):
        assert text_hash(changed) != text_hash(text), changed
    assert normalised(" a ,b ") == "a b"


# --- the loop ------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.tools("soffice", "pdftotext", "pdffonts")
def test_translated_into_french_and_arabic_through_xliff_and_rendered(
    plan: Path, tmp_path: Path
) -> None:
    for language in ("fr", "ar"):
        exported = tmp_path / f"{language}.xlf"
        result = api.translations_export(plan, language, exported)
        assert result.written == [exported]
        root = etree.parse(str(exported)).getroot()
        assert root.get("trgLang") == language and root.get("srcLang") == "en"
        ids = [u.get("id") for u in root.iter(f"{{{XLIFF_NS}}}unit")]
        assert all(re.fullmatch(r"[\w.:-]+", i or "") for i in ids)  # XML name tokens
        done = tmp_path / f"{language}-done.xlf"
        assert translate_as_a_cat_tool(exported, fixture_texts(language), done) == len(ids)
        taken = api.translations_import(done, plan)
        assert taken.diagnostics == [] and taken.written == [
            plan / "translations" / f"{language}.yaml"]
    status = api.translations_status(plan, ["fr", "ar"])
    assert re.search(r"French \(fr\)\s+53 /\s+234\s+0 /\s+0\s+0 /\s+0", status.text or "")

    # The French edition: the French text, the French labels, numbers the French way.
    french = api.render_document(plan, language="fr")
    texts = [p.text for p in ir.iter_paragraphs(french.blocks)]
    assert "Objet" in texts and "Suite à donner" in texts and "Références" in texts
    assert "Point de l'ordre du jour: ADM 1" in texts and "15 janvier 2026" in texts
    assert any(t.startswith("Cibles relevant du But 1: Connectivité universelle") for t in texts)
    assert not any(r.lang for p in ir.iter_paragraphs(french.blocks) for r in p.runs)
    assert french.language == "fr" and french.page_of == "sur"

    pdfs = {}
    for language in ("fr", "ar"):
        docx = tmp_path / f"edition-{language}.docx"
        pdf = tmp_path / f"edition-{language}.pdf"
        api.render([plan], docx, "docx", language=language)  # type: ignore[arg-type]
        api.render([plan], pdf, "pdf", language=language)  # type: ignore[arg-type]
        pdfs[language] = " ".join(page_texts(pdf.read_bytes()))
        assert "\ufffd" not in pdfs[language]
    assert "Connectivité universelle" in pdfs["fr"] and "Suite à donner" in pdfs["fr"]
    assert "Cibles relevant du But 1" in pdfs["fr"]

    # The Arabic edition: right to left, Arabic glyphs, in Amiri.
    arabic = pdfs["ar"]
    assert "تعرض هذه الوثيقة" in arabic and "الإجراء المطلوب" in arabic
    assert "\u202b" in arabic  # poppler marks right-to-left text as such
    fonts = subprocess.run([needs("pdffonts"), str(tmp_path / "edition-ar.pdf")],
                           capture_output=True, text=True, check=True, timeout=60).stdout
    assert "Amiri" in fonts
    with zipfile.ZipFile(tmp_path / "edition-ar.docx") as package:
        body = etree.fromstring(package.read("word/document.xml"))
        styles = package.read("word/styles.xml").decode("utf-8")
    paragraphs = list(body.iter(f"{W}p"))
    assert all(p.find(f"{W}pPr/{W}bidi") is not None for p in paragraphs if len(p.findall(f"{W}r")))
    assert all(t.find(f"{W}tblPr/{W}bidiVisual") is not None for t in body.iter(f"{W}tbl"))
    assert body.find(f"{W}body/{W}sectPr/{W}bidi") is not None
    runs = [r for r in body.iter(f"{W}r") if r.find(f"{W}t") is not None]
    assert runs and all(r.find(f"{W}rPr/{W}lang") is not None for r in runs)
    assert any(r.find(f"{W}rPr/{W}rtl") is not None for r in runs)
    assert 'w:cs="Amiri"' in styles

    # Two English texts change: exactly those two are stale, and export writes only them.
    targets = plan / "chain.yaml"
    text = targets.read_text(encoding="utf-8")
    text = text.replace("statement: Enable universal access.",
                        "statement: Enable universal and meaningful access.")
    text = text.replace("text: Digital skills for all", "text: Digital skills for everyone")
    targets.write_text(text, encoding="utf-8")
    found = api.validate([plan], languages=["fr"])
    stale = sorted(d.message.split(":")[0] for d in found.diagnostics if d.code == "SP712")
    assert stale == ["goals/connectivity/statement", "targets/skills/text"]
    assert not [d for d in found.diagnostics if d.code in ("SP711", "SP713")]
    final = api.validate([plan], stage="final", languages=["fr"])
    assert {d.severity.value for d in final.diagnostics if d.code == "SP712"} == {"error"}
    again = tmp_path / "fr-again.xlf"
    api.translations_export(plan, "fr", again)
    units = list(etree.parse(str(again)).getroot().iter(f"{{{XLIFF_NS}}}unit"))
    assert sorted(u.get("name") for u in units) == stale
    notes = {u.get("name"): [n.text for n in u.iter(f"{{{XLIFF_NS}}}note")
                             if n.get("category") == "previous-source"] for u in units}
    assert notes["targets/skills/text"] == ["Digital skills for all"]
    # ... and the edition shows them in English, marked, and says so.
    edition = api.render_document(plan, language="fr")
    english = [r.text for p in ir.iter_paragraphs(edition.blocks) for r in p.runs if r.lang]
    assert "Digital skills for everyone" in english
    assert edition.blocks[0].key == "edition-note"


def test_import_refuses_each_unit_it_cannot_take_and_writes_the_others(
    plan: Path, tmp_path: Path
) -> None:
    exported = tmp_path / "fr.xlf"
    api.translations_export(plan, "fr", exported)
    texts = fixture_texts("fr")
    texts["sections/overview/content/1/text"] = "L'Union œuvre pour les pays en développement."
    texts["sections/overview/content/2/text"] = "Les Secteurs coopèrent [au titre du présent plan."
    done = tmp_path / "done.xlf"
    translate_as_a_cat_tool(exported, texts, done)
    tree = etree.parse(str(done))
    unit = next(u for u in tree.getroot().iter(f"{{{XLIFF_NS}}}unit")
                if u.get("name") == "vision/text")
    unit.find(f".//{{{XLIFF_NS}}}source").text = "A world, connected."  # not the plan's English
    tree.write(str(done), xml_declaration=True, encoding="UTF-8")
    result = api.translations_import(done, plan)
    refused = sorted((d.code, d.message.split("'")[1]) for d in result.diagnostics)
    assert refused == [("SP715", "sections.overview.content.1.text"),
                       ("SP715", "sections.overview.content.2.text"),
                       ("SP715", "vision.text")]
    assert result.exit_code() == 1
    written = (plan / "translations" / "fr.yaml").read_text(encoding="utf-8")
    assert "targets/coverage/text" in written and "vision/text" not in written
    assert "sections/overview/content/1/text" not in written


def test_an_xliff_file_is_read_as_data(plan: Path, tmp_path: Path) -> None:
    hostile = tmp_path / "x.xlf"
    hostile.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        f'<xliff xmlns="{XLIFF_NS}" version="2.0" srcLang="en" trgLang="fr">'
        '<file id="2028-2031"><unit id="vision.text"><segment><source>&e;</source>'
        '</segment></unit></file></xliff>', encoding="utf-8")
    with pytest.raises(StratplanError) as exc:
        api.translations_import(hostile, plan)
    assert [d.code for d in exc.value.diagnostics] == ["SP716"]
    assert not (plan / "translations").exists()


def test_new_keeps_the_translations_whose_english_it_keeps(plan: Path, tmp_path: Path) -> None:
    exported = tmp_path / "fr.xlf"
    api.translations_export(plan, "fr", exported)
    translate_as_a_cat_tool(exported, fixture_texts("fr"), tmp_path / "done.xlf")
    api.translations_import(tmp_path / "done.xlf", plan)
    made = api.new_cycle("2032-2035", plan, tmp_path / "2032-2035")
    assert "fr: 42 translation(s) kept current, 10 now stale" in (made.text or "")
    status = api.translations_status(tmp_path / "2032-2035", ["fr"])
    assert re.search(r"French \(fr\)\s+42 /.*10 /.*0 /\s+0", status.text or "")
    # the title moved to the new period: its translation is kept, stale, for its translator
    kept = (tmp_path / "2032-2035" / "translations" / "fr.yaml").read_text(encoding="utf-8")
    assert "Exemple de plan stratégique pour 2028-2031" in kept
    assert "Vérifier le libellé." not in kept  # the drafting comment was left behind


def test_reuse_between_two_cycles_counts_english_words() -> None:
    report = api.translations_carry(ROOT / "plans" / "2024-2027", ROOT / "plans" / "2028-2031",
                                    write=False)
    assert report.written == []
    assert re.search(r"reused\s+\d+ /\s+\d+", report.text or "")


# --- labels ------------------------------------------------------------------------------------

LABEL_CALL = re.compile(r"""_\(\s*("([^"]*)"|'([^']*)')""")


def template_labels() -> set[str]:
    return {m.group(2) if m.group(2) is not None else m.group(3)
            for path in (ROOT / "src" / "stratplan" / "templates").rglob("*.xml.j2")
            for m in LABEL_CALL.finditer(path.read_text(encoding="utf-8"))}


def test_every_label_the_templates_print_goes_through_the_catalog() -> None:
    """The templates' own words (tests/test_templates_text.py lists them) are each the
    argument of a `_()` call, and each language's catalog has every one."""
    from stratplan.render.document import EDITION_NOTE
    from stratplan.render.labels import labels_for
    from stratplan.templates import FRAMEWORKS
    from tests.test_templates_text import framework_text

    labels = template_labels()
    for framework in FRAMEWORKS:
        for name, words in framework_text(framework).items():
            source = (ROOT / "src" / "stratplan" / "templates" / name).read_text(encoding="utf-8")
            outside = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|<[^>]*>", "", source, flags=re.S)
            assert not re.search(r"[A-Za-z]{2}", outside), name  # no word outside the tags
            calls = {re.sub(r"\{[a-z_]+\}", " ", w).strip() for w in labels}
            # Not a rule (___), nor what macros.facts looks for in the plan's own text.
            for word in (w for w in words if re.search(r"[^\W\d_]", w)
                         and w != "is custodian"):
                assert " ".join(word.split()) in {" ".join(c.split()) for c in calls}, (name, word)
    for language in ("ar", "zh", "fr", "ru", "es"):
        catalog = labels_for(language)
        assert labels | {EDITION_NOTE} <= set(catalog.labels), language


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def english_marked_in_revisions(docx: Path) -> list[tuple[str, str]]:
    """(language, text) of each run inside a tracked change that holds English words: the
    words of the plan an edition shows in English, and the lead naming an alternative's
    source."""
    root = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    out = []
    for run in root.iter(f"{{{W_NS}}}r"):
        if not any(a.tag in (f"{{{W_NS}}}ins", f"{{{W_NS}}}del") for a in run.iterancestors()):
            continue
        text = "".join(t.text or "" for t in run.iter(f"{{{W_NS}}}t", f"{{{W_NS}}}delText"))
        if re.search(r"[A-Za-z]{3}", text):
            lang = run.find(f"{{{W_NS}}}rPr/{{{W_NS}}}lang")
            highlight = run.find(f"{{{W_NS}}}rPr/{{{W_NS}}}highlight")
            marked = "en" if lang is not None and lang.get(f"{{{W_NS}}}val") == "en-GB" \
                and highlight is not None else "not marked"
            out.append((marked, text))
    return out


@pytest.mark.parametrize("language", ["zh", "ar"])
def test_english_inside_tracked_changes_is_marked_english_in_an_edition(
    language: Language, tmp_path: Path,
) -> None:
    """The words of a tracked alternative (the Chair's mission) and of an edition's redline
    keep the mark of English the edition gives them: their language for line breaking and
    the reader's grey, through the word diff."""
    plans = ROOT / "plans"
    rendered = api.render([plans / "2028-2031"], tmp_path / "draft.docx",
                          language=language).written[0]
    redline = api.diff(plans / "2024-2027", plans / "2028-2031", tmp_path / "redline.docx",
                       language=language).written[0]
    for docx in (rendered, redline):
        runs = english_marked_in_revisions(docx)
        assert any(text == "trusted " for _, text in runs), docx.name
        unmarked = [text for marked, text in runs if marked != "en"]
        assert all(re.fullmatch(r"\[[^\]]+\] ", text) for text in unmarked), unmarked


def test_english_with_a_name_before_it_reads_left_to_right_in_the_arabic_edition(
    tmp_path: Path,
) -> None:
    """An alternative left in English, "[CWG-SFP Chair] ..." (the source's name is not a
    translation unit), is a left-to-right paragraph in the Arabic edition, its full stop at
    its end; a paragraph with Arabic words (a label) stays right to left."""
    docx = api.render([ROOT / "plans" / "2028-2031"], tmp_path / "ar.docx",
                      language="ar").written[0]
    body = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    w = f"{{{W_NS}}}"

    def text(p: etree._Element) -> str:
        return "".join(t.text or "" for t in p.iter(f"{w}t", f"{w}delText"))

    def right_to_left(p: etree._Element) -> bool:
        return p.find(f"{w}pPr/{w}bidi") is not None

    alternatives = [p for p in body.iter(f"{w}p") if text(p).startswith("[CWG-SFP Chair] ")]
    assert len(alternatives) >= 2 and not any(right_to_left(p) for p in alternatives)
    arabic = [p for p in body.iter(f"{w}p") if re.search("[\u0600-\u06ff]", text(p))]
    assert arabic and all(right_to_left(p) for p in arabic if p.find(f"{w}pPr") is not None)


def test_html_and_markdown_editions_mark_what_is_left_in_english(tmp_path: Path) -> None:
    """As the Word edition greys it: HTML puts English left in an edition in a span of its
    language on the same grey, right to left for Arabic with each paragraph's direction its
    own; Markdown in pandoc's bracketed span with its language. English is untouched."""
    plan = ROOT / "plans" / "2028-2031"
    opening = "This document presents the proposed draft ITU strategic plan"
    arabic = api.render([plan], tmp_path / "ar.html", "html", language="ar").written[0]
    page = arabic.read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page and ".untranslated { background:" in page
    assert f'<p class="cover" dir="auto"><span lang="en" class="untranslated">{opening}' in page
    french = api.render([plan], tmp_path / "fr.md", "md", language="fr").written[0]
    text = french.read_text(encoding="utf-8")
    assert f"\n[{opening}" in text and "plans.]{lang=en}\n" in text
    english = api.render([plan], tmp_path / "en.html", "html").written[0].read_text(
        encoding="utf-8")
    assert "untranslated" not in english and 'dir="' not in english


@pytest.mark.tools("pandoc")
def test_pandoc_reads_the_markdown_editions_english_as_english(tmp_path: Path) -> None:
    from tests.conftest import require_tool

    french = api.render([ROOT / "plans" / "2028-2031"], tmp_path / "fr.md", "md",
                        language="fr").written[0]
    html = subprocess.run([require_tool("pandoc"), str(french), "-f", "markdown", "-t", "html"],
                          capture_output=True, text=True, check=True, timeout=120).stdout
    assert '<span lang="en">This document presents' in html
