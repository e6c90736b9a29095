"""CSV downloads: every CSV route answers through csv_download."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fastapi.responses import StreamingResponse

from app.csv_rows import csv_chunks


def csv_download(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[str], filename: str
) -> StreamingResponse:
    """Rows streamed as a CSV attachment named `filename`."""
    return StreamingResponse(
        csv_chunks(rows, columns),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
