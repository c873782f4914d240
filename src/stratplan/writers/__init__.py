"""Writers: the document IR to bytes (`docx`, `text` for HTML and Markdown), and writing files
safely (`files`: atomic, never over an input)."""

from __future__ import annotations

from stratplan import ir


def encode(document: ir.Document, fmt: str) -> bytes:
    """The document as `fmt` (docx, html or md) bytes; the writers import only when needed."""
    if fmt == "docx":
        from stratplan.writers.docx import write_docx

        return write_docx(document)
    from stratplan.writers.text import write_html, write_markdown

    text = write_html(document) if fmt == "html" else write_markdown(document)
    return text.encode("utf-8")
