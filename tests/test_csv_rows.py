"""The CSV writer: spreadsheet-safe cells, a byte-order mark, every row once."""

import csv
import io

from app.csv_rows import BOM, csv_chunks


def test_formula_cells_are_inert_and_text_survives() -> None:
    rows = [
        {"id": 1, "content": '=HYPERLINK("http://x")', "cue": "said"},
        {"id": 2, "content": "+1 more", "cue": "-"},
        {"id": 3, "content": "@SUM(A1)", "cue": "“quoted” — said"},
        {"id": -4, "content": "plain", "cue": "\tTab"},
    ]
    text = "".join(csv_chunks(rows, ("id", "content", "cue")))
    assert text.startswith(BOM)
    read = list(csv.DictReader(io.StringIO(text.removeprefix(BOM))))
    assert [row["content"] for row in read] == [
        "'=HYPERLINK(\"http://x\")", "'+1 more", "'@SUM(A1)", "plain",
    ]  # fmt: skip
    assert [row["cue"] for row in read] == ["said", "'-", "“quoted” — said", "'\tTab"]
    assert read[3]["id"] == "-4"  # numbers are numbers, not formulas


def test_many_rows_stream_in_chunks_without_loss() -> None:
    rows = ({"n": n} for n in range(1, 1001))
    chunks = list(csv_chunks(rows, ("n",)))
    assert len(chunks) > 1
    read = list(csv.DictReader(io.StringIO("".join(chunks).removeprefix(BOM))))
    assert [int(row["n"]) for row in read] == list(range(1, 1001))
