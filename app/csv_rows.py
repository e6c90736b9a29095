"""Rows as CSV text, in chunks: the one writer behind every CSV the site and the CLI give out."""

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

# Rows per chunk: a streamed download sends something every few hundred rows.
CHUNK_ROWS = 200


def csv_chunks(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> Iterator[str]:
    """The header, then the rows (keys beyond `columns` are ignored), a chunk at a time."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for number, row in enumerate(rows, 1):
        writer.writerow(row)
        if number % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
