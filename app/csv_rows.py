"""Rows as CSV text, in chunks: the one writer behind every CSV the site and the CLI give out.

Fit for spreadsheets: UTF-8 with a byte-order mark (so curly quotes survive Excel), and a text
cell that a spreadsheet would run as a formula is prefixed with an apostrophe (OWASP's rule
against CSV injection): nothing written by an article's author is ever evaluated.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

# Rows per chunk: a streamed download sends something every few hundred rows.
CHUNK_ROWS = 200
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A text cell that would start a formula, made inert; other values as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_chunks(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> Iterator[str]:
    """The header, then the rows (keys beyond `columns` are ignored), a chunk at a time."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for number, row in enumerate(rows, 1):
        writer.writerow({key: spreadsheet_safe(row.get(key)) for key in columns})
        if number % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
