"""Writers: the document IR to bytes (`docx`, `text` for HTML and Markdown), and writing files
safely (`files`: atomic, never over an input)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stratplan import ir

if TYPE_CHECKING:
    from stratplan.writers.pdf import FontSubstitution


def encode(document: ir.Document, fmt: str, reference: bytes | None = None) -> bytes:
    """The document as `fmt` (docx, pdf, html or md) bytes; the writers import only when
    needed. `reference`: a reference .docx for docx and pdf (its styles and page setup)."""
    return encode_checked(document, fmt, reference)[0]


def encode_checked(
    document: ir.Document, fmt: str, reference: bytes | None = None
) -> tuple[bytes, list[FontSubstitution]]:
    """As `encode`, with the fonts the document names that a PDF was set in others instead."""
    if fmt in ("docx", "pdf"):
        from stratplan.writers.docx import write_docx

        data = write_docx(document, reference)
        if fmt == "docx":
            return data, []
        from stratplan.writers.pdf import docx_to_pdf, font_substitutions

        pdf = docx_to_pdf(data, document.date)
        return pdf, font_substitutions(data, pdf)
    from stratplan.writers.text import write_html, write_markdown

    text = write_html(document) if fmt == "html" else write_markdown(document)
    return text.encode("utf-8"), []
