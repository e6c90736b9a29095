"""topics made by editors (and the seeds' topics), and a trigram index on actors' aliases

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 01:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("terms", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topics")),
        sa.UniqueConstraint("slug", name=op.f("uq_topics_slug")),
    )
    op.create_table(
        "topic_actors",
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_topic_actors_actor_id_actors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topics.id"],
            name=op.f("fk_topic_actors_topic_id_topics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("topic_id", "actor_id", name=op.f("pk_topic_actors")),
    )
    op.create_index(op.f("ix_topic_actors_actor_id"), "topic_actors", ["actor_id"])
    op.create_index(
        "ix_actor_aliases_normalised_trgm",
        "actor_aliases",
        ["normalised"],
        postgresql_using="gin",
        postgresql_ops={"normalised": "gin_trgm_ops"},
    )


def downgrade() -> None:
    op.drop_index("ix_actor_aliases_normalised_trgm", table_name="actor_aliases")
    op.drop_index(op.f("ix_topic_actors_actor_id"), table_name="topic_actors")
    op.drop_table("topic_actors")
    op.drop_table("topics")
