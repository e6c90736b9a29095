"""actors keep their listed statements' count and per-day counts, by triggers on statements

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 00:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LISTED = "review_status <> 'rejected'"
DAY = "(published_at AT TIME ZONE 'UTC')::date"
# The advisory lock actor resolution takes (app.actors.service.ACTOR_LOCK_KEY): every writer
# of statements takes it before touching an actor's counts, so two writers never wait on each
# other's actor rows in opposite orders.
ACTOR_LOCK_KEY = 7_204_311

# Rows going in count +1 if listed, rows going out -1, netted per speaker and day; then the
# actor's total and its day rows follow. One trigger call per SQL statement, not per row: a
# COPY of a million rows touches each actor once per batch.
CHANGES = {
    "inserted": f"SELECT speaker_id, published_at, 1 AS delta FROM new_rows WHERE {LISTED}",
    "deleted": f"SELECT speaker_id, published_at, -1 AS delta FROM old_rows WHERE {LISTED}",
    "updated": (
        f"SELECT speaker_id, published_at, 1 AS delta FROM new_rows WHERE {LISTED} "
        f"UNION ALL SELECT speaker_id, published_at, -1 FROM old_rows WHERE {LISTED}"
    ),
}
FUNCTION = """
CREATE FUNCTION actors_count_{name}() RETURNS trigger
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
TRIGGERS = {
    "inserted": "AFTER INSERT ON statements REFERENCING NEW TABLE AS new_rows",
    "deleted": "AFTER DELETE ON statements REFERENCING OLD TABLE AS old_rows",
    "updated": (
        "AFTER UPDATE ON statements REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
    ),
}


def upgrade() -> None:
    op.add_column(
        "actors",
        sa.Column("statement_count", sa.Integer(), server_default="0", nullable=False),
    )
    op.create_table(
        "actor_days",
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("statements", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_actor_days_actor_id_actors"),
            ondelete="CASCADE",
        ),
        # With the count in the index, a timeline is an index-only range read.
        sa.PrimaryKeyConstraint(
            "actor_id", "day", name=op.f("pk_actor_days"), postgresql_include=["statements"]
        ),
    )
    op.execute(
        f"""
        UPDATE actors SET statement_count = counted.n
        FROM (SELECT speaker_id, count(*) AS n FROM statements
              WHERE speaker_id IS NOT NULL AND {LISTED} GROUP BY speaker_id) AS counted
        WHERE actors.id = counted.speaker_id
        """
    )
    op.execute(
        f"""
        INSERT INTO actor_days (actor_id, day, statements)
        SELECT speaker_id, {DAY}, count(*) FROM statements
        WHERE speaker_id IS NOT NULL AND published_at IS NOT NULL AND {LISTED}
        GROUP BY 1, 2
        """
    )
    for name, changes in CHANGES.items():
        op.execute(FUNCTION.format(name=name, lock=ACTOR_LOCK_KEY, day=DAY, changes=changes))
        op.execute(
            f"CREATE TRIGGER actors_count_{name} {TRIGGERS[name]} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION actors_count_{name}()"
        )
    # The directory lists the most quoted first: a top-N read of this index.
    op.create_index(
        "ix_actors_statement_count_name",
        "actors",
        [sa.text("statement_count DESC"), "name", "id"],
        unique=False,
    )
    # "Appears with" reads the speakers of an actor's articles: from the index alone once it
    # holds only listed statements.
    op.drop_index("ix_statements_article_id_speaker_id", table_name="statements")
    op.create_index(
        "ix_statements_article_id_speaker_id",
        "statements",
        ["article_id", "speaker_id"],
        unique=False,
        postgresql_where=sa.text(LISTED),
    )
    # The articles list, newest first with undated ones last, read in index order.
    op.create_index(
        "ix_articles_newest",
        "articles",
        [sa.text("published_at DESC NULLS LAST"), sa.text("id DESC")],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_articles_newest", table_name="articles")
    op.drop_index("ix_statements_article_id_speaker_id", table_name="statements")
    op.create_index(
        "ix_statements_article_id_speaker_id",
        "statements",
        ["article_id", "speaker_id"],
        unique=False,
    )
    op.drop_index("ix_actors_statement_count_name", table_name="actors")
    for name in CHANGES:
        op.execute(f"DROP TRIGGER actors_count_{name} ON statements")
        op.execute(f"DROP FUNCTION actors_count_{name}()")
    op.drop_table("actor_days")
    op.drop_column("actors", "statement_count")
