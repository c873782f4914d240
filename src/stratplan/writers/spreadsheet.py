"""CSV for spreadsheets: the one writer every command's `-f csv` uses.

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is one a
spreadsheet reads as a formula (CSV injection: `=HYPERLINK(...)` in a plan's text would be a
live link), so it is written with a leading apostrophe, which spreadsheets show as text and
do not evaluate (the OWASP rule). Numbers are written as they are; RFC 4180 quoting.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

__all__ = ["Cell", "csv_text", "spreadsheet_safe"]

Cell = str | int | float | None
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Cell) -> Cell:
    """A CSV cell that no spreadsheet evaluates: text starting with =, +, -, @, a tab or a
    carriage return gets a leading `'`; numbers and other text are as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]], line_end: str = "\n") -> str:
    """The header and rows as CSV, every cell made safe; None is an empty cell."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator=line_end)
    for row in (header, *rows):
        writer.writerow(["" if cell is None else spreadsheet_safe(cell) for cell in row])
    return stream.getvalue()
