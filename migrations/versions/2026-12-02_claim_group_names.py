"""claim groups keep the names their claim mentions (two claims of one speaker that name
different places are different claims, however alike their words); their LSH band hashes move
to rows of their own under a btree, since an array overlap with a batch's thousands of bands
is rechecked row by row against all of them (minutes, measured)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 01:20:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Groups made before this have no names and no band rows: `claimtracker groups rebuild`.
    op.add_column("claim_groups", sa.Column("names", sa.Text(), server_default="", nullable=False))
    op.drop_index("ix_claim_groups_bands", table_name="claim_groups")
    op.drop_column("claim_groups", "bands")
    op.create_table(
        "claim_group_bands",
        sa.Column("band", sa.BigInteger(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["claim_groups.id"],
            name=op.f("fk_claim_group_bands_group_id_claim_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("band", "group_id", name=op.f("pk_claim_group_bands")),
    )
    op.create_index("ix_claim_group_bands_group_id", "claim_group_bands", ["group_id"])


def downgrade() -> None:
    op.drop_table("claim_group_bands")
    op.add_column(
        "claim_groups",
        sa.Column("bands", postgresql.ARRAY(sa.BigInteger()), server_default="{}", nullable=False),
    )
    op.create_index("ix_claim_groups_bands", "claim_groups", ["bands"], postgresql_using="gin")
    op.drop_column("claim_groups", "names")
