"""Talking to PostgreSQL's planner: plans per value for searches, and row estimates from
EXPLAIN without reading a row."""

from typing import Any

from sqlalchemy import (
    Select,
    literal_column,
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.visitors import InternalTraversal


def plan_for_values(session: Session) -> None:
    """Plan this transaction's queries for their actual values, not with a generic plan.

    A search's best plan depends on the word: a rare one wants the text index, one in a
    statement in ten wants the date index. psycopg prepares repeated queries, and PostgreSQL
    then settles on one generic plan for every word (measured: 200 ms instead of 50 ms).
    Called before each word-dependent read, it sets the mode once a transaction, and not at
    all when every such read was answered from the cache.
    """
    current = session.get_transaction()
    if current is None or session.info.get(_CUSTOM_PLANS) is not current:
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
        session.info[_CUSTOM_PLANS] = session.get_transaction()


def plan_generically(session: Session) -> None:
    """Let the rest of the transaction reuse cached plans again.

    Once a search has read its matches, its remaining queries (rows by id, names, kinds) have
    one best plan whatever the word; planning the page's rows afresh cost 2 ms.
    """
    noted = session.info.pop(_CUSTOM_PLANS, None)
    if noted is not None and noted is session.get_transaction():
        session.execute(text("SET LOCAL plan_cache_mode = auto"))


# Where a session notes the transaction whose queries it plans for their values.
_CUSTOM_PLANS = "plans_for_values"


class Explain(Executable, ClauseElement):
    """EXPLAIN (FORMAT JSON) of a statement: compiled once and cached like any query."""

    inherit_cache = True
    _traverse_internals = [("statement", InternalTraversal.dp_clauseelement)]  # noqa: RUF012

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement

    @property
    def _all_selected_columns(self) -> list[Any]:
        # One column, the plan, whatever the statement selects.
        return [literal_column('"QUERY PLAN"')]


@compiles(Explain, "postgresql")
def _compile_explain(element: Explain, compiler: Any, **kw: Any) -> str:
    return f"EXPLAIN (FORMAT JSON) {compiler.process(element.statement, **kw)}"


def planned_rows(session: Session, query: Select[Any]) -> float:
    """How many rows the planner expects the query to return: one EXPLAIN, no rows read."""
    plan = session.connection().execute(Explain(query)).scalar_one()
    return float(plan[0]["Plan"]["Plan Rows"])
