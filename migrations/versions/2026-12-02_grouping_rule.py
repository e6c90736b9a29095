"""grouping rule: which version of the same-claim rule made the stored claim groups and their
bands (one row), so that a database grouped by an earlier rule says it needs `claimtracker
groups rebuild`. Groups stored before this revision were made by rule 1; an empty database
starts at rule 2, the rule of this release.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 05:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "grouping_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "set_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.CheckConstraint("id = 1", name=op.f("ck_grouping_rule_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grouping_rule")),
    )
    op.execute(
        "INSERT INTO grouping_rule (id, version)"
        " SELECT 1, CASE WHEN EXISTS (SELECT FROM claim_groups) THEN 1 ELSE 2 END"
    )


def downgrade() -> None:
    op.drop_table("grouping_rule")
