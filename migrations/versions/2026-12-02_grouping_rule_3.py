"""grouping rule 3: an empty database starts at rule 3, the rule of this release (0017 wrote
2 for it); a database holding groups keeps the rule that made them, so it asks for `claimtracker
groups rebuild`.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 08:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "UPDATE grouping_rule SET version = 3, set_at = now()"
        " WHERE version = 2 AND NOT EXISTS (SELECT FROM claim_groups)"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE grouping_rule SET version = 2, set_at = now()"
        " WHERE version = 3 AND NOT EXISTS (SELECT FROM claim_groups)"
    )
