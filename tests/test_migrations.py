"""The migrations build the schema from nothing and take it back down."""

from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from app import migrate
from tests.conftest import TABLES


def test_upgrade_downgrade_upgrade(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    assert set(TABLES) <= set(inspect(empty_engine).get_table_names())
    indexes = {ix["name"] for ix in inspect(empty_engine).get_indexes("statements")}
    assert {"ix_statements_content_tsv", "ix_statements_speaker_id_id"} <= indexes

    migrate.downgrade(empty_engine, "base")
    assert set(inspect(empty_engine).get_table_names()) == {"alembic_version"}

    migrate.upgrade(empty_engine)
    assert set(TABLES) <= set(inspect(empty_engine).get_table_names())


def test_models_and_migrations_agree(engine: Engine) -> None:
    """What autogenerate would write next is nothing: no model change lacks its revision."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from app.migrate import include_object
    from app.models import Base

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object})
        assert compare_metadata(context, Base.metadata) == []
