"""Rules of the output stage: what stops a document from being written in the form asked for.
They are I/O problems (exit status 2), not problems of the plan."""

from __future__ import annotations

from stratplan.checks.rule import Rule, register
from stratplan.diagnostics import Severity


@register
class PdfConversion(Rule):
    """The PDF could not be made.

    What it does: `-f pdf` (for `render`, `diff` and `compile`) writes the Word document and has
    LibreOffice convert it (`soffice --headless`, with a profile of its own and a time limit).
    This reports that LibreOffice is not installed, that it failed (with its last message), or
    that it did not finish in time. Nothing is written then.

    Why: the PDF is LibreOffice's layout of the .docx; without it there is no PDF to give.

    How to fix: install LibreOffice (Debian/Ubuntu: `apt-get install libreoffice-writer`), or
    point `STRATPLAN_SOFFICE` at its `soffice`; or write the .docx (`-f docx`) and convert it
    elsewhere.
    """

    code = "SP030"
    name = "pdf-conversion"
    title = "PDF conversion failed"
    severity = Severity.ERROR
    stage = "write"


@register
class ReferenceDocx(Rule):
    """The `--reference-docx` file cannot be used.

    What it does: the reference document (as pandoc's `--reference-doc`) gives the output its
    styles, page size and margins, header and footer. This reports a file that is not a Word
    document (.docx: a zip with `word/document.xml` and `word/styles.xml`), or that cannot be
    read.

    How to fix: save the Secretariat's template from Word as a .docx (not .dotx, .doc or
    .odt), or drop the option to use the built-in house style.
    """

    code = "SP031"
    name = "reference-docx"
    title = "reference document unusable"
    severity = Severity.ERROR
    stage = "write"


@register
class PdfFontSubstituted(Rule):
    """The PDF is set in another font than the one the document names.

    What it does: after `-f pdf` (for `render` and `diff`), reads which fonts LibreOffice set
    the PDF in and compares them with the fonts the document names (its default font, the
    styles it uses, its run fonts): where a named font is neither in the PDF nor replaced by a
    font made to its metrics (Times New Roman by Liberation Serif, Arial by Liberation Sans,
    Calibri by Carlito, Cambria by Caladea), and another font is there instead, LibreOffice
    substituted it because it is not installed. The warning names both fonts and where the
    document names the missing one; the PDF is written all the same.

    Why: the table columns, the indents of numbered paragraphs and the page breaks are made for
    the named font's widths. DejaVu Serif, LibreOffice's usual stand-in for Times New Roman,
    is about 15% wider: words break inside table cells ("Radiocommunicati / on"), short rows
    split across pages, and the document differs from the one delegates print from Word.

    How to fix: install the named font or its metric-compatible one (Debian: `apt-get install
    fonts-liberation fonts-crosextra-carlito fonts-crosextra-caladea`; `make tools` does), or
    give a `--reference-docx` whose styles name fonts that are installed.
    """

    code = "SP032"
    name = "pdf-font-substituted"
    title = "PDF font substituted"
    severity = Severity.WARNING
    stage = "write"
