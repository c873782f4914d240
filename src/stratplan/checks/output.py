"""Rules of the output stage: what stops a document from being written in the form asked for.
They are I/O problems (exit status 2), not problems of the plan."""

from __future__ import annotations

from stratplan.checks.rule import Rule, register
from stratplan.diagnostics import Severity


@register
class PdfConversionRule(Rule):
    """The PDF could not be made.

    What it does: `-f pdf` (for `render`, `diff` and `compile`) writes the Word document and has
    LibreOffice convert it (`soffice --headless`, with a profile of its own and a time limit).
    This reports that LibreOffice is not installed, that it failed (with its last message), or
    that it did not finish in time. Nothing is written then. As a warning, it says that the PDF
    was made, but LibreOffice could not be run without network and the user's files
    (bubblewrap missing, or user namespaces forbidden): only its profile kept it from loading
    what a document links to (docs/security.md).

    Why: the PDF is LibreOffice's layout of the .docx; without it there is no PDF to give.

    How to fix: install LibreOffice (Debian/Ubuntu: `apt-get install libreoffice-writer`), or
    point `STRATPLAN_SOFFICE` at its `soffice`; or write the .docx (`-f docx`) and convert it
    elsewhere. For the warning: install bubblewrap (`apt-get install bubblewrap`).
    """

    code = "SP030"
    name = "pdf-conversion"
    title = "PDF conversion failed"
    severity = Severity.ERROR
    stage = "write"


@register
class ReferenceDocxRule(Rule):
    """The `--reference-docx` file cannot be used.

    What it does: the reference document (as pandoc's `--reference-doc`) gives the output its
    styles, page size and margins, header and footer. This reports a file that is not a Word
    document (.docx: a zip with `word/document.xml` and `word/styles.xml`), that cannot be
    read (a damaged or encrypted zip, a part past the size bounds), or from which the writer
    could only make a document that does not open: a part that is not well-formed XML or
    declares a DOCTYPE, numbering ids that are not whole numbers, a header or footer
    reference to a relationship the package does not have. It is reported before anything is
    written.

    How to fix: save the Secretariat's template from Word as a .docx (not .doc or .odt), or
    drop the option to use the built-in house style.
    """

    code = "SP031"
    name = "reference-docx"
    title = "reference document unusable"
    severity = Severity.ERROR
    stage = "write"


@register
class ReferenceDocxDroppedRule(Rule):
    """Part of the `--reference-docx` file was left out of the document.

    What it does: a reference document is input from outside, and only its house style is
    taken: styles, numbering, theme, fonts, page setup, and the header and footer with the
    images they embed. This names each thing left out that would link, load or run something
    when the document is opened or converted: an external relationship (an image or OLE
    object linked to a URL or a file, a hyperlink, an attached template), a field that is not
    one a header or footer shows (INCLUDETEXT, INCLUDEPICTURE, LINK, DDE, ...: its shown text
    stays), an OLE object, an ActiveX control, an embedded font, macros.

    Why: a document built on the template is opened in Word and converted by LibreOffice on
    the Secretariat's machine; a link in it would make that machine fetch a URL or embed a
    local file in the PDF.

    How to fix: nothing, if the document looks right; else embed the header's images in the
    template (Insert > Pictures, not "Link to file") and type its text in place of the field.
    """

    code = "SP032"
    name = "reference-docx-dropped"
    title = "part of the reference document left out"
    severity = Severity.WARNING
    stage = "write"


@register
class PdfFontSubstitutedRule(Rule):
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

    code = "SP033"
    name = "pdf-font-substituted"
    title = "PDF font substituted"
    severity = Severity.WARNING
    stage = "write"
