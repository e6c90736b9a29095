"""Schema migrations (Alembic) run from code: the CLI, `serve` and the tests use these."""

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection, Engine

from app.settings import PROJECT_ROOT


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """procrastinate's tables come from its own schema file (revision 0004), not the models."""
    return not (type_ == "table" and reflected and (name or "").startswith("procrastinate_"))


def alembic_config(connection: Connection) -> Config:
    """Alembic's configuration, running on the caller's connection (see migrations/env.py)."""
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), revision)
