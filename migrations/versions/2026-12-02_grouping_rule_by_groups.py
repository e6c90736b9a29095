"""grouping rule, recorded by the groups: a database holding no group records no rule (0017
wrote one for it); its first groups record the rule that makes them (ingest, `claimtracker
groups rebuild`), so a release with a newer rule needs no revision of its own. A database
holding groups keeps the rule that made them, and asks for `claimtracker groups rebuild` when
that is not this release's.

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
    op.execute("DELETE FROM grouping_rule WHERE NOT EXISTS (SELECT FROM claim_groups)")


def downgrade() -> None:
    # 0017's state: an empty database at rule 2.
    op.execute(
        "INSERT INTO grouping_rule (id, version) SELECT 1, 2"
        " WHERE NOT EXISTS (SELECT FROM claim_groups) ON CONFLICT (id) DO NOTHING"
    )
