"""claim groups: statements that make the same claim, found by MinHash LSH band hashes (a GIN
index lookup), with first appearance and counts; statements point to their group and may be
pinned to it by an editor

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 01:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "claim_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=True),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("polarity", sa.String(length=10), nullable=False),
        sa.Column("signature", sa.Text(), server_default="", nullable=False),
        sa.Column("claim_type", sa.String(length=20), nullable=False),
        sa.Column("bands", postgresql.ARRAY(sa.BigInteger()), nullable=False),
        sa.Column("first_statement_id", sa.Integer(), nullable=True),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("statement_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("article_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("fixed", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            "polarity IN ('positive', 'negative')", name=op.f("ck_claim_groups_polarity")
        ),
        sa.ForeignKeyConstraint(
            ["speaker_id"],
            ["actors.id"],
            name=op.f("fk_claim_groups_speaker_id_actors"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["first_statement_id"],
            ["statements.id"],
            name=op.f("fk_claim_groups_first_statement_id_statements"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_groups")),
    )
    op.create_index("ix_claim_groups_bands", "claim_groups", ["bands"], postgresql_using="gin")
    op.create_index("ix_claim_groups_speaker_id", "claim_groups", ["speaker_id"])
    op.create_index(
        "ix_claim_groups_repeated",
        "claim_groups",
        ["speaker_id", sa.text("statement_count DESC"), "id"],
        postgresql_where=sa.text("statement_count > 1"),
    )
    op.add_column("statements", sa.Column("claim_group_id", sa.Integer(), nullable=True))
    op.add_column(
        "statements",
        sa.Column("group_fixed", sa.Boolean(), server_default="false", nullable=False),
    )
    op.create_foreign_key(
        op.f("fk_statements_claim_group_id_claim_groups"),
        "statements",
        "claim_groups",
        ["claim_group_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.create_index("ix_statements_claim_group_id", "statements", ["claim_group_id"])


def downgrade() -> None:
    op.drop_index("ix_statements_claim_group_id", table_name="statements")
    op.drop_constraint(
        op.f("fk_statements_claim_group_id_claim_groups"), "statements", type_="foreignkey"
    )
    op.drop_column("statements", "group_fixed")
    op.drop_column("statements", "claim_group_id")
    op.drop_table("claim_groups")
