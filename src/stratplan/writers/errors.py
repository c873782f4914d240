"""The writers' errors, apart from the writers: catching one imports neither python-docx nor
lxml on the paths that write no Word file."""

from __future__ import annotations

from stratplan.diagnostics import Diagnostic, Severity, StratplanError


class ReferenceDocxError(StratplanError):
    """The reference document cannot be used (not a readable .docx, or one the writer could
    only turn into a document that does not open): SP031, a usage problem."""

    def __init__(self, message: str) -> None:
        super().__init__([Diagnostic(
            "SP031", Severity.ERROR, f"the reference document cannot be used: {message}", None,
            "save the template from Word as .docx", io=True)])
        self.message = message
