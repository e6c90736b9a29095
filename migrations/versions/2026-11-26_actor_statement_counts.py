"""each actor's number of listed statements, kept by a trigger on statements

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
# The advisory lock actor resolution takes (app.actors.service.ACTOR_LOCK_KEY): every writer
# of statements takes it before touching an actor's count, so two writers never wait on each
# other's actor rows in opposite orders.
ACTOR_LOCK_KEY = 7_204_311


def upgrade() -> None:
    op.add_column(
        "actors",
        sa.Column("statement_count", sa.Integer(), server_default="0", nullable=False),
    )
    op.execute(
        f"""
        UPDATE actors SET statement_count = counted.n
        FROM (SELECT speaker_id, count(*) AS n FROM statements
              WHERE speaker_id IS NOT NULL AND {LISTED} GROUP BY speaker_id) AS counted
        WHERE actors.id = counted.speaker_id
        """
    )
    # One trigger per statement (not per row): a COPY of a million rows updates each actor
    # once per batch. Rows going in count +1 if listed, rows going out -1.
    op.execute(
        f"""
        CREATE FUNCTION actors_count_statements() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock({ACTOR_LOCK_KEY});
            IF TG_OP = 'INSERT' THEN
                UPDATE actors SET statement_count = statement_count + changed.n
                FROM (SELECT speaker_id, count(*) AS n FROM new_rows
                      WHERE speaker_id IS NOT NULL AND {LISTED} GROUP BY speaker_id) AS changed
                WHERE actors.id = changed.speaker_id;
            ELSIF TG_OP = 'DELETE' THEN
                UPDATE actors SET statement_count = statement_count - changed.n
                FROM (SELECT speaker_id, count(*) AS n FROM old_rows
                      WHERE speaker_id IS NOT NULL AND {LISTED} GROUP BY speaker_id) AS changed
                WHERE actors.id = changed.speaker_id;
            ELSE
                UPDATE actors SET statement_count = statement_count + changed.n
                FROM (SELECT speaker_id, sum(delta) AS n FROM (
                          SELECT speaker_id, 1 AS delta FROM new_rows
                          WHERE speaker_id IS NOT NULL AND {LISTED}
                          UNION ALL
                          SELECT speaker_id, -1 FROM old_rows
                          WHERE speaker_id IS NOT NULL AND {LISTED}) AS moves
                      GROUP BY speaker_id HAVING sum(delta) <> 0) AS changed
                WHERE actors.id = changed.speaker_id;
            END IF;
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER actors_count_inserted AFTER INSERT ON statements "
        "REFERENCING NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION actors_count_statements()"
    )
    op.execute(
        "CREATE TRIGGER actors_count_deleted AFTER DELETE ON statements "
        "REFERENCING OLD TABLE AS old_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION actors_count_statements()"
    )
    op.execute(
        "CREATE TRIGGER actors_count_updated AFTER UPDATE ON statements "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION actors_count_statements()"
    )
    # The directory lists the most quoted first: a top-N read of this index.
    op.create_index(
        "ix_actors_statement_count_name",
        "actors",
        [sa.text("statement_count DESC"), "name", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_actors_statement_count_name", table_name="actors")
    op.execute("DROP TRIGGER actors_count_updated ON statements")
    op.execute("DROP TRIGGER actors_count_deleted ON statements")
    op.execute("DROP TRIGGER actors_count_inserted ON statements")
    op.execute("DROP FUNCTION actors_count_statements()")
    op.drop_column("actors", "statement_count")
