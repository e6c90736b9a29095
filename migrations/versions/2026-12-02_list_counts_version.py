"""a version of the listed data, moved on by every write, so cached list counts go stale

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 01:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A sequence, not a counter row: nextval takes no lock, so concurrent writers never wait on
# each other for it, and a rolled-back write only costs a reader one recount.
TABLES = ("statements", "actors", "sources")


def upgrade() -> None:
    op.execute("CREATE SEQUENCE list_counts_version")
    op.execute(
        "CREATE FUNCTION list_counts_moved_on() RETURNS trigger LANGUAGE plpgsql AS $$"
        " BEGIN PERFORM nextval('list_counts_version'); RETURN NULL; END $$"
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_move_list_counts_on"
            f" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION list_counts_moved_on()"
        )


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP TRIGGER {table}_move_list_counts_on ON {table}")
    op.execute("DROP FUNCTION list_counts_moved_on()")
    op.execute("DROP SEQUENCE list_counts_version")
