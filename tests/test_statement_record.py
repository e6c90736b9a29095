"""statement_record reads rows by position: the columns statement_rows selects must come in
the order it reads them, whatever is added to the row after them."""

from app.statements.export import RECORD_COLUMNS, statement_rows


def test_statement_rows_lead_with_the_record_columns_in_order() -> None:
    names = [column.name for column in statement_rows().selected_columns]
    assert names[: len(RECORD_COLUMNS)] == list(RECORD_COLUMNS)
