"""the words of the stored claims, for search suggestions

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 23:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "search_words",
        sa.Column("folded", sa.String(length=100), nullable=False),
        sa.Column("word", sa.String(length=100), nullable=False),
        sa.Column("uses", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("folded", name=op.f("pk_search_words")),
    )


def downgrade() -> None:
    op.drop_table("search_words")
