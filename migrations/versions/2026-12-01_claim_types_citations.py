"""sessions that can be revoked and editors' public names; actors named by the gazetteer or an
editor keep their name; statements get a type (statement, belief, intention, other), the rule
that made them and the endnotes their sentence cites; articles keep their endnote list; counts
and list indexes follow the type

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 22:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SORT_KEY = "coalesce(published_at, '-infinity'::timestamptz)"
LISTED = "review_status <> 'rejected'"
# What an actor's count and timeline count from now on: their claims, not their beliefs.
COUNTED = f"{LISTED} AND type = 'statement'"
DAY = "(published_at AT TIME ZONE 'UTC')::date"
ACTOR_LOCK_KEY = 7_204_311

FUNCTION = """
CREATE OR REPLACE FUNCTION actors_count_{name}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock({lock});
    WITH moves AS (
        SELECT speaker_id, {day} AS day, sum(delta) AS n
        FROM ({changes}) AS changed
        WHERE speaker_id IS NOT NULL
        GROUP BY 1, 2
        HAVING sum(delta) <> 0
    ), totals AS (
        UPDATE actors SET statement_count = statement_count + per_actor.n
        FROM (SELECT speaker_id, sum(n) AS n FROM moves GROUP BY speaker_id) AS per_actor
        WHERE actors.id = per_actor.speaker_id
    ), more_days AS (
        INSERT INTO actor_days (actor_id, day, statements)
        SELECT speaker_id, day, n FROM moves WHERE n > 0 AND day IS NOT NULL
        ON CONFLICT (actor_id, day)
        DO UPDATE SET statements = actor_days.statements + excluded.statements
    )
    UPDATE actor_days SET statements = actor_days.statements + moves.n
    FROM moves
    WHERE moves.n < 0 AND actor_days.actor_id = moves.speaker_id AND actor_days.day = moves.day;
    RETURN NULL;
END
$$
"""


def _changes(counted: str) -> dict[str, str]:
    return {
        "inserted": f"SELECT speaker_id, published_at, 1 AS delta FROM new_rows WHERE {counted}",
        "deleted": f"SELECT speaker_id, published_at, -1 AS delta FROM old_rows WHERE {counted}",
        "updated": (
            f"SELECT speaker_id, published_at, 1 AS delta FROM new_rows WHERE {counted} "
            f"UNION ALL SELECT speaker_id, published_at, -1 FROM old_rows WHERE {counted}"
        ),
    }


def _count_functions(counted: str) -> None:
    for name, changes in _changes(counted).items():
        op.execute(FUNCTION.format(name=name, lock=ACTOR_LOCK_KEY, day=DAY, changes=changes))


def _recount(counted: str) -> None:
    op.execute("UPDATE actors SET statement_count = 0 WHERE statement_count <> 0")
    op.execute(
        f"""
        UPDATE actors SET statement_count = counted.n
        FROM (SELECT speaker_id, count(*) AS n FROM statements
              WHERE speaker_id IS NOT NULL AND {counted} GROUP BY speaker_id) AS counted
        WHERE actors.id = counted.speaker_id
        """
    )
    op.execute("DELETE FROM actor_days")
    op.execute(
        f"""
        INSERT INTO actor_days (actor_id, day, statements)
        SELECT speaker_id, {DAY}, count(*) FROM statements
        WHERE speaker_id IS NOT NULL AND published_at IS NOT NULL AND {counted}
        GROUP BY 1, 2
        """
    )


def _list_indexes(included: list[str]) -> None:
    op.drop_index("ix_statements_speaker_published_order", table_name="statements")
    op.drop_index("ix_statements_published_order", table_name="statements")
    op.create_index(
        "ix_statements_published_order",
        "statements",
        [sa.text(SORT_KEY), "id"],
        unique=False,
        postgresql_include=["speaker_id", *included],
        postgresql_where=sa.text(LISTED),
    )
    op.create_index(
        "ix_statements_speaker_published_order",
        "statements",
        ["speaker_id", sa.text(SORT_KEY), "id"],
        unique=False,
        postgresql_include=included,
        postgresql_where=sa.text(LISTED),
    )


BEFORE = ["kind", "cue_class", "source_id", "published_at"]


def upgrade() -> None:
    # Constant defaults: PostgreSQL adds these columns without rewriting the table.
    op.add_column(
        "statements",
        sa.Column("type", sa.String(length=20), server_default="statement", nullable=False),
    )
    op.create_check_constraint(
        op.f("ck_statements_type"),
        "statements",
        "type IN ('statement', 'belief', 'intention', 'other')",
    )
    op.add_column(
        "statements", sa.Column("rule", sa.String(length=60), server_default="", nullable=False)
    )
    op.add_column(
        "statements",
        sa.Column("citations", postgresql.ARRAY(sa.Integer()), server_default="{}", nullable=False),
    )
    op.add_column(
        "articles",
        sa.Column(
            "endnotes", postgresql.JSONB(astext_type=sa.Text()), server_default="[]", nullable=False
        ),
    )
    # Ingest names new actors; the gazetteer's and editors' names it leaves alone.
    op.add_column(
        "actors",
        sa.Column("name_fixed", sa.Boolean(), server_default="false", nullable=False),
    )
    op.execute(
        "UPDATE actors SET name_fixed = true WHERE id IN "
        "(SELECT entity_id FROM audit_log WHERE entity = 'actor')"
    )
    # Signing out ends every copy of a session (the cookie carries the version it was made
    # at); editors are shown by a name of their choosing, their email only to admins.
    op.add_column(
        "users",
        sa.Column("session_version", sa.Integer(), server_default="0", nullable=False),
    )
    op.add_column("users", sa.Column("display_name", sa.String(length=100), nullable=True))
    # Lists show claims unless asked for beliefs or intentions: the type filter reads the index.
    _list_indexes([*BEFORE, "type"])
    _count_functions(COUNTED)
    # Every stored statement is of type "statement" now, so the counts stand as they are.
    # The planner needs to know that too: without statistics on the new column it takes
    # `type = 'statement'` for a rare value and misjudges every search (measured on a million
    # statements: a common word's page 7.9 s instead of 28 ms).
    op.execute("ANALYZE statements")


def downgrade() -> None:
    _count_functions(LISTED)
    _recount(LISTED)
    _list_indexes(BEFORE)
    op.drop_column("users", "display_name")
    op.drop_column("users", "session_version")
    op.drop_column("actors", "name_fixed")
    op.drop_column("articles", "endnotes")
    op.drop_column("statements", "citations")
    op.drop_column("statements", "rule")
    op.drop_constraint(op.f("ck_statements_type"), "statements", type_="check")
    op.drop_column("statements", "type")
