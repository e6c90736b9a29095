"""list indexes cover only statements no editor rejected, as the lists do

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 23:20:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SORT_KEY = "coalesce(published_at, '-infinity'::timestamptz)"
LISTED = "review_status <> 'rejected'"


def _create(where: str | None) -> None:
    options = {"postgresql_where": sa.text(where)} if where else {}
    op.create_index(
        "ix_statements_published_order",
        "statements",
        [sa.text(SORT_KEY), "id"],
        unique=False,
        postgresql_include=["speaker_id", "kind", "cue_class", "source_id", "published_at"],
        **options,
    )
    op.create_index(
        "ix_statements_speaker_published_order",
        "statements",
        ["speaker_id", sa.text(SORT_KEY), "id"],
        unique=False,
        postgresql_include=["kind", "cue_class", "source_id", "published_at"],
        **options,
    )


def _drop() -> None:
    op.drop_index("ix_statements_speaker_published_order", table_name="statements")
    op.drop_index("ix_statements_published_order", table_name="statements")


def upgrade() -> None:
    _drop()
    _create(LISTED)


def downgrade() -> None:
    _drop()
    _create(None)
