"""claim pages and wire copies: an article may be a copy of an earlier one (its body's MinHash
LSH band hashes under a GIN index find the candidates), and an index that finds a group's
newest listed appearance for the claims list's "collapse repeats"

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 01:20:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SORT_KEY_SQL = "coalesce(published_at, '-infinity'::timestamptz)"


def upgrade() -> None:
    op.add_column("articles", sa.Column("copy_of_id", sa.Integer(), nullable=True))
    op.add_column(
        "articles", sa.Column("body_bands", postgresql.ARRAY(sa.BigInteger()), nullable=True)
    )
    op.create_foreign_key(
        op.f("fk_articles_copy_of_id_articles"),
        "articles",
        "articles",
        ["copy_of_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.create_index("ix_articles_copy_of_id", "articles", ["copy_of_id"])
    op.create_index("ix_articles_body_bands", "articles", ["body_bands"], postgresql_using="gin")
    op.create_index(
        "ix_statements_group_newest",
        "statements",
        ["claim_group_id", sa.text(SORT_KEY_SQL), "id"],
        # What the list filters read, so that most probes never visit the table.
        postgresql_include=["speaker_id", "kind", "cue_class", "source_id", "published_at", "type"],
        postgresql_where=sa.text("review_status <> 'rejected' AND claim_group_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_statements_group_newest", table_name="statements")
    op.drop_index("ix_articles_body_bands", table_name="articles")
    op.drop_index("ix_articles_copy_of_id", table_name="articles")
    op.drop_constraint(op.f("fk_articles_copy_of_id_articles"), "articles", type_="foreignkey")
    op.drop_column("articles", "body_bands")
    op.drop_column("articles", "copy_of_id")
