"""PDF through LibreOffice: .docx bytes in, PDF bytes out.

`soffice --headless --convert-to pdf` on a copy of the document in a private temporary folder,
with a profile of its own there (a second soffice on a shared profile would only hand its
arguments to the first one, and two runs at once would wait on each other), in a process group
of its own that is killed whole on timeout (soffice is a launcher with a child), with stdin
closed and TZ=UTC; with no network and no files but its own where the machine allows, and a
profile that loads nothing a document links to (`stratplan.writers.isolation`). The PDF is made
reproducible afterwards: the creation and modification dates
LibreOffice stamps from the clock are replaced by the document's own date, in place and with
the same length, so the file's offsets stay right.

A missing LibreOffice, a failed conversion or a timeout is a `PdfError` with a message and a
hint for the user; the API turns it into diagnostic SP030.

The PDF is an accessible one (`export_filter`): tagged, with the document's language and title
and an outline of its headings. `font_substitutions` reads which fonts LibreOffice set it in:
a font the document names that is not installed is replaced by another one, wider or
narrower, and the table columns sized for it no longer hold their words; the API warns (SP033).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from stratplan.diagnostics import Diagnostic, Severity, StratplanError
from stratplan.writers.isolation import isolate, write_profile

__all__ = [
    "DEFAULT_TIMEOUT",
    "FontSubstitution",
    "PdfError",
    "docx_to_pdf",
    "export_filter",
    "find_soffice",
    "font_substitutions",
]

DEFAULT_TIMEOUT = 180.0  # seconds; a 30-page redline takes 3-6 s on a loaded 2-core machine
_COMMANDS = ("soffice", "libreoffice")
_INSTALL = "install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer)"


class PdfError(StratplanError):
    """The PDF could not be made (SP030): LibreOffice missing, failing, or too slow."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__([Diagnostic("SP030", Severity.ERROR, message, None, hint, io=True)])
        self.message = message
        self.hint = hint


def find_soffice() -> str | None:
    """The LibreOffice command on PATH ($STRATPLAN_SOFFICE first), or None."""
    override = os.environ.get("STRATPLAN_SOFFICE")
    if override:
        return shutil.which(override)
    return next((p for p in map(shutil.which, _COMMANDS) if p), None)


def docx_to_pdf(data: bytes, date: str = "", timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """The PDF LibreOffice makes of a .docx. `date` (YYYY-MM-DD) replaces the clock's dates
    in the PDF, so the same input gives the same bytes (see `_fix_dates`)."""
    soffice = find_soffice()
    if soffice is None:
        raise PdfError("LibreOffice (soffice) is not installed: PDF needs it", _INSTALL)
    with tempfile.TemporaryDirectory(prefix="stratplan-pdf-") as folder:
        work = Path(folder)
        source = work / "document.docx"
        source.write_bytes(data)
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            export_filter(),
            "--outdir",
            str(work),
            str(source),
        ]
        write_profile(work / "profile")
        command = isolate(command, work)
        env = {**os.environ, "TZ": "UTC", "HOME": str(work)}
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=work,
            env=env,
            start_new_session=True,
        )
        try:
            _out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(process)
            raise PdfError(
                f"LibreOffice did not finish the PDF within {timeout:g} s",
                "try again on a less loaded machine, or convert the .docx yourself",
            ) from None
        finally:
            _kill(process)
        pdf = work / "document.pdf"
        if process.returncode != 0 or not pdf.is_file():
            detail = err.decode("utf-8", "replace").strip().splitlines()
            last = next((line for line in reversed(detail) if "javaldx" not in line), "")
            raise PdfError(
                f"LibreOffice could not convert the document to PDF (exit {process.returncode}"
                + (f": {last}" if last else "")
                + ")",
                "run `soffice --headless --convert-to pdf` on the .docx to see LibreOffice's error",
            )
        return _fix_dates(pdf.read_bytes(), date)


def _kill(process: subprocess.Popen[bytes]) -> None:
    """End the whole process group (the launcher and soffice.bin)."""
    if process.poll() is None or process.returncode is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\(D:(\d{14})")
_XMP_DATE = re.compile(
    rb"<xmp:(CreateDate|ModifyDate|MetadataDate)>(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)"
)
_DIGESTS = re.compile(rb"(/ID\s*\[\s*<|>\s*<|/DocChecksum\s*/)([0-9A-Fa-f]{32})")


def _fix_dates(pdf: bytes, date: str) -> bytes:
    """The clock's dates replaced by `date` at midnight UTC, and the file identifiers that
    LibreOffice derives from the clock (/ID, /DocChecksum) by a digest of the rest of the file;
    every replacement has the length of what it replaces, so the cross-reference offsets stay
    right."""
    day = re.sub(r"\D", "", date)[:8] if date else "19800101"
    info = (day + "000000").encode()
    iso = f"{day[:4]}-{day[4:6]}-{day[6:8]}T00:00:00".encode()
    pdf = _PDF_DATE.sub(lambda m: b"/" + m.group(1) + b"(D:" + info, pdf)
    pdf = _XMP_DATE.sub(lambda m: b"<xmp:" + m.group(1) + b">" + iso, pdf)
    blanked = _DIGESTS.sub(lambda m: m.group(1) + b"0" * 32, pdf)
    digest = hashlib.md5(blanked, usedforsecurity=False).hexdigest().upper().encode()
    return _DIGESTS.sub(lambda m: m.group(1) + digest, pdf)


# --- export options ----------------------------------------------------------------------

# LibreOffice's PDF export options (filter data of writer_pdf_Export), given on the command line
# as JSON (LibreOffice 7.4 and later). The language is the document's (w:lang of its default
# run properties, which LibreOffice writes as /Lang), the title its core property (/Title).
_EXPORT_OPTIONS: dict[str, bool] = {
    "UseTaggedPDF": True,  # the structure tree a screen reader follows: headings, lists, tables
    "PDFUACompliance": True,  # PDF/UA: tagged, /Lang, alternative text checked by LibreOffice
    "ExportBookmarks": True,  # the outline, from the headings' outline levels
    "DisplayPDFDocTitle": True,  # viewers show the title, not the file name
    "ExportNotes": False,  # Word comments stay out of the PDF's annotations
}


def export_filter() -> str:
    """The `--convert-to` argument: PDF through Writer's export filter, with the options that
    make an accessible PDF."""
    options = {
        name: {"type": "boolean", "value": "true" if value else "false"}
        for name, value in _EXPORT_OPTIONS.items()
    }
    return "pdf:writer_pdf_Export:" + json.dumps(options, separators=(",", ":"))


# --- fonts -------------------------------------------------------------------------------

# Fonts made to the metrics of another (same widths, glyph by glyph): a PDF set in one of these
# where the document names the other has the layout the document was made for. Debian ships
# them as fonts-liberation and fonts-crosextra-carlito / -caladea, as LibreOffice recommends.
METRIC_COMPATIBLE: dict[str, tuple[str, ...]] = {
    "Times New Roman": ("Liberation Serif", "Tinos"),
    "Arial": ("Liberation Sans", "Arimo"),
    "Courier New": ("Liberation Mono", "Cousine"),
    "Calibri": ("Carlito",),
    "Cambria": ("Caladea",),
    "Symbol": ("OpenSymbol",),  # LibreOffice's own replacement for list bullets in Symbol
}
_PACKAGES = {
    "Times New Roman": "fonts-liberation",
    "Arial": "fonts-liberation",
    "Courier New": "fonts-liberation",
    "Calibri": "fonts-crosextra-carlito",
    "Cambria": "fonts-crosextra-caladea",
}

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_LATIN = ("ascii", "hAnsi")  # the slots Latin text is set in (eastAsia, cs: other scripts)
_BASE_FONT = re.compile(rb"/BaseFont\s*/([^\s/\[\]<>()]+)")
_FONT_FILE = re.compile(rb"/FontFile[23]?\b")
_FONT_NAME = re.compile(rb"/FontName\s*/([^\s/\[\]<>()]+)")


@dataclass(frozen=True)
class FontSubstitution:
    """A font the document names (`named`, by `where`: its styles, or a part) that the PDF does
    not use, and the fonts it uses instead (`used`), which the document does not name."""

    named: str
    where: str
    used: tuple[str, ...]

    @property
    def message(self) -> str:
        return (
            f"the PDF is set in {', '.join(self.used)} where the document names "
            f"{self.named} ({self.where}): {self.named} is not installed, and the layout made "
            "for it (table columns, indents) may break words"
        )

    @property
    def hint(self) -> str:
        alike = METRIC_COMPATIBLE.get(self.named)
        if alike is None:
            return f"install {self.named}, then convert again"
        return (
            f"install {self.named} or {' or '.join(alike)}, made to its metrics (Debian: "
            f"apt-get install {_PACKAGES[self.named]}), then convert again"
        )


def _family(name: str) -> str:
    """A font's family compared without spaces, case or PostScript suffixes: "Liberation
    Serif", "LiberationSerif" and "TimesNewRomanPSMT" as "liberationserif", "timesnewroman"."""
    return re.sub(r"(psmt|ps|mt)$", "", re.sub(r"[\s_]", "", name).lower())


def _pdf_family(base_font: str) -> str:
    """The family of a PDF's /BaseFont: "BAAAAA+LiberationSerif-Bold" is "liberationserif"."""
    name = re.sub(r"^[A-Z]{6}\+", "", base_font)
    return _family(re.split(r"[-,]", name, maxsplit=1)[0])


def named_fonts(docx: bytes) -> dict[str, str]:
    """The fonts the document sets its text in, each with where it is named ("style Normal",
    "the document defaults", "word/numbering.xml"): for every run with text in the body,
    notes, comments, headers and footers, its own font, else its character style's, else its
    paragraph style's (through the styles they are based on), else the defaults; the theme's
    font where one of these refers to it; and the font of each list level used. A font that a
    style or the defaults name but no text is set in needs no installing."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        parts = {
            name: etree.fromstring(archive.read(name))
            for name in archive.namelist()
            if name.startswith("word/") and name.endswith(".xml")
        }
    theme: dict[str, str] = {}
    for name, root in parts.items():
        if name.startswith("word/theme/"):
            for kind in ("major", "minor"):
                latin = root.find(f".//{_A}{kind}Font/{_A}latin")
                if latin is not None and latin.get("typeface"):
                    theme[kind] = latin.get("typeface", "")

    def font_of(rpr: etree._Element | None) -> str | None:
        fonts = rpr.find(f"{_W}rFonts") if rpr is not None else None
        if fonts is None:
            return None
        for slot in _LATIN:
            named: str | None = fonts.get(f"{_W}{slot}")
            if named:
                return named
            themed = fonts.get(f"{_W}{slot}Theme", "")
            if themed:
                return theme.get("major" if themed.startswith("major") else "minor")
        return None

    styles = parts.get("word/styles.xml", etree.Element("styles"))
    by_id = {s.get(f"{_W}styleId"): s for s in styles.iter(f"{_W}style")}
    default_font = font_of(styles.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr"))
    defaults = {
        s.get(f"{_W}type"): s.get(f"{_W}styleId")
        for s in by_id.values()
        if s.get(f"{_W}default") in ("1", "true", "on")
    }

    def style_font(style_id: str | None, seen: frozenset[str] = frozenset()) -> tuple[str, str]:
        """A style's font and where it is named, through the styles it is based on."""
        style = by_id.get(style_id or "")
        if style is None or style_id in seen:
            return default_font or "", "the document defaults"
        own = font_of(style.find(f"{_W}rPr"))
        if own:
            label = style.find(f"{_W}name")
            return own, f"style {label.get(f'{_W}val') if label is not None else style_id}"
        based = style.find(f"{_W}basedOn")
        parent = based.get(f"{_W}val") if based is not None else None
        return style_font(parent, seen | {style_id or ""}) if parent else (
            default_font or "", "the document defaults")

    out: dict[str, str] = {}
    lists: set[tuple[str, str]] = set()
    for name, root in sorted(parts.items()):
        if name in ("word/styles.xml", "word/numbering.xml") or name.startswith("word/theme/"):
            continue
        for paragraph in root.iter(f"{_W}p"):
            ppr = paragraph.find(f"{_W}pPr")
            pstyle = ppr.find(f"{_W}pStyle") if ppr is not None else None
            style_id = pstyle.get(f"{_W}val") if pstyle is not None else defaults.get("paragraph")
            numbering = ppr.find(f"{_W}numPr") if ppr is not None else None
            if numbering is not None:
                num, level = numbering.find(f"{_W}numId"), numbering.find(f"{_W}ilvl")
                lists.add((num.get(f"{_W}val", "") if num is not None else "",
                           level.get(f"{_W}val", "0") if level is not None else "0"))
            for run in paragraph.iter(f"{_W}r"):
                if not "".join(run.itertext()).strip():
                    continue
                rpr = run.find(f"{_W}rPr")
                own = font_of(rpr)
                rstyle = rpr.find(f"{_W}rStyle") if rpr is not None else None
                if own:
                    font, where = own, name
                elif rstyle is not None and font_of(
                        by_id.get(rstyle.get(f"{_W}val"), etree.Element("x")).find(f"{_W}rPr")):
                    font, where = style_font(rstyle.get(f"{_W}val"))
                else:
                    font, where = style_font(style_id)
                if font:
                    out.setdefault(font, where)
    numbering_part = parts.get("word/numbering.xml")
    if numbering_part is not None:
        abstract = {a.get(f"{_W}abstractNumId"): a for a in numbering_part.iter(f"{_W}abstractNum")}
        for num in numbering_part.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            definition = abstract.get(ref.get(f"{_W}val") if ref is not None else None)
            for num_id, level in lists:
                if num_id == num.get(f"{_W}numId") and definition is not None:
                    for lvl in definition.iter(f"{_W}lvl"):
                        symbol = font_of(lvl.find(f"{_W}rPr"))
                        if lvl.get(f"{_W}ilvl") == level and symbol:
                            out.setdefault(symbol, "word/numbering.xml")
    return out


def pdf_fonts(pdf: bytes) -> tuple[set[str], set[str]]:
    """The fonts a PDF made by LibreOffice uses (its /BaseFont names) and those of them it does
    not embed (no /FontFile in their descriptor). LibreOffice writes font dictionaries as plain
    objects, so they are read from the bytes."""
    used = {name.decode("latin-1") for name in _BASE_FONT.findall(pdf)}
    embedded = set()
    for chunk in pdf.split(b"endobj"):
        found = _FONT_NAME.search(chunk)
        if found and _FONT_FILE.search(chunk):
            embedded.add(found.group(1).decode("latin-1"))
    return used, {name for name in used if name not in embedded}


def font_substitutions(docx: bytes, pdf: bytes) -> list[FontSubstitution]:
    """The fonts the document names that the PDF replaced by fonts it does not name (neither
    the font itself nor a metric-compatible one is in the PDF, and another font is)."""
    named = named_fonts(docx)
    accepted = {_family(n) for n in named}
    for font in named:
        accepted |= {_family(m) for m in METRIC_COMPATIBLE.get(font, ())}
    used, _ = pdf_fonts(pdf)
    families = {_pdf_family(u): u for u in used}
    strangers = tuple(sorted({_readable(families[f]) for f in families if f not in accepted}))
    if not strangers:
        return []
    out = []
    for font, where in named.items():
        own = {_family(font)} | {_family(m) for m in METRIC_COMPATIBLE.get(font, ())}
        if not own & families.keys():
            out.append(FontSubstitution(font, where, strangers))
    return out


def _readable(base_font: str) -> str:
    """"BAAAAA+DejaVuSerif-Bold" as "DejaVuSerif": the family, without subset and style."""
    return re.split(r"[-,]", re.sub(r"^[A-Z]{6}\+", "", base_font), maxsplit=1)[0]
