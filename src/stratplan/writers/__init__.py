"""Writers: the document IR to bytes (`docx`, `text` for HTML and Markdown), and writing files
safely (`files`: atomic, never over an input)."""

from __future__ import annotations

from stratplan import ir


def encode(document: ir.Document, fmt: str, reference: bytes | None = None) -> bytes:
    """The document as `fmt` (docx, pdf, html or md) bytes; the writers import only when
    needed. `reference`: a reference .docx for docx and pdf (its styles and page setup)."""
    if fmt in ("docx", "pdf"):
        from stratplan.writers.docx import write_docx

        data = write_docx(document, reference)
        if fmt == "docx":
            return data
        from stratplan.writers.pdf import docx_to_pdf

        return docx_to_pdf(data, document.date)
    from stratplan.writers.text import write_html, write_markdown

    text = write_html(document) if fmt == "html" else write_markdown(document)
    return text.encode("utf-8")
