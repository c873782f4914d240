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
class ReferenceDocxRule(Rule):
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
