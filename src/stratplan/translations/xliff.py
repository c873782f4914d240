"""XLIFF 2.0 out and in: what a language needs, for translators and their CAT tools, and
their work back, checked unit by unit.

Out (`export_xliff`): one `<file>` per plan (its id the plan's period, `original` its folder),
one `<unit>` per field, its id the field's address as an XML name token (`targets.x.text`:
XLIFF's ids may not hold "/"; `name` carries the address as written), the English as the
source, the current translation as the target where there is one, and notes: the section,
the kind of item, its lineage, and for a stale unit the English its old translation
translated. A unit a translator has to work on is `state="initial"`.

In (`read_xliff`, `import_units`): the file is read as data (no DTD, no entities, no network,
at most `MAX_BYTES`); a unit is taken when its id is a field of the plan, its source is still
that field's English (by hash), and its target keeps the source's inline markup (its `[^id]`
footnote references, and its square brackets, balanced); every other unit is refused with a
diagnostic (SP715) and nothing of it is written.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path
from stratplan.formats import SOURCE_LANGUAGE, translated_languages
from stratplan.model.address import as_token, from_token
from stratplan.model.plan import FOOTNOTE_REF
from stratplan.translations.status import UnitStatus
from stratplan.translations.store import USABLE, State, Translated, entry, language_name
from stratplan.translations.units import Unit, text_hash

__all__ = ["MAX_BYTES", "XLIFF_NS", "ReadXliff", "XliffUnit", "export_xliff", "import_units",
           "read_xliff"]

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
MAX_BYTES = 64 * 1024 * 1024  # a whole plan in one language is under 1 MB
STATES: tuple[State, ...] = ("initial", "translated", "reviewed", "final")


def _q(name: str) -> str:
    return f"{{{XLIFF_NS}}}{name}"


def _sub(parent: etree._Element, tag: str, text: str | None = None,
         **attributes: str) -> etree._Element:
    child = etree.SubElement(parent, _q(tag), attributes)
    if text is not None:
        child.text = text
    return child


def export_xliff(period: str, original: str, language: str, units: list[UnitStatus]) -> bytes:
    """An XLIFF 2.0 file of these units of the plan of `period` (whose folder is `original`)
    for translation into `language`."""
    root = etree.Element(_q("xliff"), {"version": "2.0", "srcLang": SOURCE_LANGUAGE,
                                       "trgLang": language}, nsmap={None: XLIFF_NS})
    body = _sub(root, "file", id=period, original=original)
    notes = _sub(body, "notes")
    _sub(notes, "note",
         f"The {period} plan, {len(units)} field(s) for translation into "
         f"{language_name(language)}. Keep each [^id] footnote reference and each square "
         "bracket of the English: brackets mark text not yet agreed.", category="stratplan")
    for status in units:
        unit = status.unit
        element = _sub(body, "unit", id=as_token(unit.address), name=unit.address)
        unit_notes = _sub(element, "notes")
        _sub(unit_notes, "note", unit.section, category="section")
        _sub(unit_notes, "note", unit.kind, category="kind")
        if unit.lineage:
            _sub(unit_notes, "note", ", ".join(unit.lineage), category="lineage")
        old = status.entry
        if status.condition == "stale" and old is not None and old.source is not None:
            _sub(unit_notes, "note", old.source, category="previous-source")
        state = old.state if status.condition == "current" and old is not None else "initial"
        segment = _sub(element, "segment", state=state)
        source = _sub(segment, "source", unit.text)
        source.set(XML_SPACE, "preserve")
        if old is not None:
            target = _sub(segment, "target", old.text)
            target.set(XML_SPACE, "preserve")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                pretty_print=True))


# --- in -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class XliffUnit:
    """A unit of a translated file, as read."""

    id: str
    name: str | None
    source: str
    target: str | None
    state: str | None
    line: int
    problem: str = ""  # what makes it unreadable (inline code the plan cannot hold)


@dataclass
class ReadXliff:
    path: Path
    language: str
    period: str
    original: str
    units: list[XliffUnit] = field(default_factory=list)


def _file_problem(path: Path, message: str, hint: str = "", line: int = 0) -> StratplanError:
    return StratplanError([Diagnostic("SP716", Severity.ERROR, message,
                                      Location(display_path(path), line), hint, io=True)])


def _parse(path: Path) -> etree._ElementTree:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _file_problem(path, f"the file is {size} bytes, over the {MAX_BYTES}-byte "
                                "bound of an XLIFF file")
        data = path.read_bytes()
    except OSError as exc:
        raise _file_problem(path, f"cannot read it: {exc.strerror or exc}") from None
    # Data only: no DTD loaded, no entity resolved, nothing fetched, no huge-tree mode.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_pis=True)
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser))
    except etree.XMLSyntaxError as exc:
        raise _file_problem(path, f"not well-formed XML: {exc.msg}",
                            line=exc.lineno or 0) from None
    if tree.docinfo.doctype:
        raise _file_problem(path, "the file declares a DOCTYPE: XLIFF has none",
                            "export it again from the CAT tool")
    return tree


def _inline_text(element: etree._Element) -> tuple[str, str]:
    """The text of a source or target, and a problem: XLIFF's inline elements are read as
    their text (mrk, pc) or their `equiv` (ph, sc, ec); one without is a problem."""
    parts: list[str] = [element.text or ""]
    problem = ""
    for child in element:
        if not isinstance(child.tag, str):  # a comment
            parts.append(child.tail or "")
            continue
        local = etree.QName(child).localname
        if local in ("mrk", "pc"):
            text, inner = _inline_text(child)
            parts.append(text)
            problem = problem or inner
        elif child.get("equiv") is not None:
            parts.append(child.get("equiv") or "")
        else:
            problem = problem or f"<{local}> without `equiv`: the plan's text cannot hold it"
        parts.append(child.tail or "")
    return "".join(parts), problem


def read_xliff(path: Path) -> ReadXliff:
    """A translated XLIFF 2 file as data; StratplanError (SP716) for a file that is not one."""
    root = _parse(path).getroot()
    if root.tag != _q("xliff") or not root.get("version", "").startswith("2."):
        raise _file_problem(path, "not an XLIFF 2 file (root <xliff version=\"2.x\"> in "
                            f"{XLIFF_NS})", "export it from the CAT tool as XLIFF 2.0")
    language = root.get("trgLang", "")
    if root.get("srcLang") != SOURCE_LANGUAGE or language not in translated_languages():
        raise _file_problem(
            path, f"srcLang {root.get('srcLang')!r} and trgLang {language!r}: a plan is "
            f"translated from en into one of {', '.join(translated_languages())}")
    files = root.findall(_q("file"))
    if len(files) != 1:
        raise _file_problem(path, f"{len(files)} <file> elements: a file stratplan exported "
                            "has one, for one plan")
    body = files[0]
    read = ReadXliff(path, language, body.get("id", ""), body.get("original", ""))
    for element in body.iter(_q("unit")):
        segments = element.findall(_q("segment"))
        source = segments[0].find(_q("source")) if len(segments) == 1 else None
        target = segments[0].find(_q("target")) if len(segments) == 1 else None
        problem = "" if len(segments) == 1 else f"{len(segments)} segments: one was exported"
        source_text, target_text = "", None
        if source is not None:
            source_text, inner = _inline_text(source)
            problem = problem or inner
        if target is not None:
            target_text, inner = _inline_text(target)
            problem = problem or inner
        read.units.append(XliffUnit(
            element.get("id", ""), element.get("name"), source_text, target_text,
            segments[0].get("state") if segments else None, element.sourceline or 0, problem))
    return read


def markup_problem(source: str, target: str) -> str:
    """What the target lost of the source's inline markup: its footnote references (each
    `[^id]` as often), its square brackets (as many, balanced)."""
    wanted, found = Counter(FOOTNOTE_REF.findall(source)), Counter(FOOTNOTE_REF.findall(target))
    if wanted != found:
        lost = sorted((wanted - found).elements())
        extra = sorted((found - wanted).elements())
        said = [f"lost [^{', [^'.join(lost)}]" if lost else "",
                f"added [^{', [^'.join(extra)}]" if extra else ""]
        return "footnote references differ from the English's: " + "; ".join(
            s for s in said if s)
    english, translated = FOOTNOTE_REF.sub("", source), FOOTNOTE_REF.sub("", target)
    for bracket in "[]":
        if english.count(bracket) != translated.count(bracket):
            return (f"the English has {english.count(bracket)} {bracket!r}, the translation "
                    f"{translated.count(bracket)}: keep the square brackets (text not agreed)")
    depth = 0
    for char in translated:
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth < 0:
            return "a ']' closes no '[': the square brackets are not balanced"
    return "" if depth == 0 else "a '[' is never closed: the square brackets are not balanced"


def import_units(
    read: ReadXliff, units: list[Unit]
) -> tuple[dict[str, Translated], list[Diagnostic], int]:
    """The units of a translated file that can be taken, by address; a diagnostic (SP715) for
    each one refused; and how many came back without a translation (left as they were)."""
    by_address = {u.address: u for u in units}
    where = display_path(read.path)
    taken: dict[str, Translated] = {}
    refused: list[Diagnostic] = []
    untranslated = 0

    def refuse(item: XliffUnit, message: str, hint: str = "") -> None:
        refused.append(Diagnostic("SP715", Severity.ERROR, f"unit {item.id!r}: {message}",
                                  Location(where, item.line), hint,
                                  subject=f"{item.id} in {read.language}"))

    for item in read.units:
        address = from_token(item.id)
        unit = by_address.get(address)
        if item.name is not None and item.name != address:
            refuse(item, f"its name {item.name!r} is not the address its id stands for "
                   f"({address!r})")
        elif unit is None:
            refuse(item, "the plan has no such field", "export again: the field was removed "
                   "or renamed since this file was made")
        elif item.problem:
            refuse(item, item.problem)
        elif text_hash(item.source) != unit.hash:
            refuse(item, "its English is no longer the plan's: the field changed since the "
                   "export", "export again and translate the new English")
        elif item.target is None or not item.target.strip():
            untranslated += 1
        elif item.state is not None and item.state not in STATES:
            refuse(item, f"state {item.state!r} is not one of XLIFF 2's: {', '.join(STATES)}")
        elif problem := markup_problem(unit.text, item.target):
            refuse(item, problem)
        elif address in taken:
            refuse(item, "the file has this unit twice")
        else:
            state: State = "initial"
            for known in STATES:
                if known == (item.state or "translated") and known in USABLE:
                    state = known
            taken[address] = entry(item.target, unit.text, unit.hash, state)
    return taken, refused, untranslated
