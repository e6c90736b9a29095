"""browse indexes: article date and source on statements, keyset orders, actor name search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 22:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Undated statements sort as the oldest, so keyset pagination never compares NULLs.
SORT_KEY = "coalesce(published_at, '-infinity'::timestamptz)"


def upgrade() -> None:
    op.add_column(
        "statements", sa.Column("published_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("statements", sa.Column("source_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE statements SET published_at = articles.published_at, "
        "source_id = articles.source_id "
        "FROM articles WHERE articles.id = statements.article_id"
    )
    # The copy follows its article, whoever inserts the statement (ingest, COPY, tests).
    op.execute(
        """
        CREATE FUNCTION statements_copy_published_at() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.published_at IS NULL OR NEW.source_id IS NULL THEN
                SELECT coalesce(NEW.published_at, published_at), coalesce(NEW.source_id, source_id)
                INTO NEW.published_at, NEW.source_id FROM articles WHERE id = NEW.article_id;
            END IF;
            RETURN NEW;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER statements_copy_published_at BEFORE INSERT OR UPDATE OF article_id "
        "ON statements FOR EACH ROW EXECUTE FUNCTION statements_copy_published_at()"
    )
    op.execute(
        """
        CREATE FUNCTION articles_share_published_at() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE statements SET published_at = NEW.published_at, source_id = NEW.source_id
            WHERE article_id = NEW.id;
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER articles_share_published_at "
        "AFTER UPDATE OF published_at, source_id ON articles FOR EACH ROW "
        "WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at "
        "OR OLD.source_id IS DISTINCT FROM NEW.source_id) "
        "EXECUTE FUNCTION articles_share_published_at()"
    )
    # The INCLUDE columns are what facets count: a facet sample is an index-only scan.
    op.create_index(
        "ix_statements_published_order",
        "statements",
        [sa.text(SORT_KEY), "id"],
        unique=False,
        postgresql_include=["speaker_id", "kind", "cue_class", "source_id", "published_at"],
    )
    op.create_index(
        "ix_statements_speaker_published_order",
        "statements",
        ["speaker_id", sa.text(SORT_KEY), "id"],
        unique=False,
        postgresql_include=["kind", "cue_class", "source_id", "published_at"],
    )
    # Who speaks in an article, without visiting the table ("appears with" on actor pages).
    op.create_index(
        "ix_statements_article_id_speaker_id",
        "statements",
        ["article_id", "speaker_id"],
        unique=False,
    )
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index(
        "ix_actors_name_trgm",
        "actors",
        ["name"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"name": "gin_trgm_ops"},
    )


def downgrade() -> None:
    op.drop_index("ix_actors_name_trgm", table_name="actors", postgresql_using="gin")
    op.execute("DROP EXTENSION IF EXISTS pg_trgm")
    op.drop_index("ix_statements_article_id_speaker_id", table_name="statements")
    op.drop_index("ix_statements_speaker_published_order", table_name="statements")
    op.drop_index("ix_statements_published_order", table_name="statements")
    op.execute("DROP TRIGGER articles_share_published_at ON articles")
    op.execute("DROP FUNCTION articles_share_published_at()")
    op.execute("DROP TRIGGER statements_copy_published_at ON statements")
    op.execute("DROP FUNCTION statements_copy_published_at()")
    op.drop_column("statements", "source_id")
    op.drop_column("statements", "published_at")
