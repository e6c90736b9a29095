"""editors' decisions as batches (for Undo), reject reasons and the review queue's index (the
speaker picker uses the trigram index over aliases made by 0010)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 01:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undo_of_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_review_batches_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["undo_of_id"],
            ["review_batches.id"],
            name=op.f("fk_review_batches_undo_of_id_review_batches"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_batches")),
    )
    op.create_index(op.f("ix_review_batches_user_id"), "review_batches", ["user_id"])
    op.add_column("audit_log", sa.Column("batch_id", sa.Integer(), nullable=True))
    op.add_column("audit_log", sa.Column("reason", sa.Text(), nullable=True))
    op.create_foreign_key(
        op.f("fk_audit_log_batch_id_review_batches"),
        "audit_log",
        "review_batches",
        ["batch_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.create_index(op.f("ix_audit_log_batch_id"), "audit_log", ["batch_id"])
    op.create_index(
        "ix_statements_review_queue",
        "statements",
        ["confidence", "id"],
        postgresql_where=sa.text("review_status = 'unreviewed'"),
    )


def downgrade() -> None:
    op.drop_index("ix_statements_review_queue", table_name="statements")
    op.drop_index(op.f("ix_audit_log_batch_id"), table_name="audit_log")
    op.drop_constraint(
        op.f("fk_audit_log_batch_id_review_batches"), "audit_log", type_="foreignkey"
    )
    op.drop_column("audit_log", "reason")
    op.drop_column("audit_log", "batch_id")
    op.drop_index(op.f("ix_review_batches_user_id"), table_name="review_batches")
    op.drop_table("review_batches")
