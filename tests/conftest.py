"""Test fixtures: a fresh PostgreSQL database per run, built by the migrations.

TEST_DATABASE_URL names a server to use (a database is created on it for the run and dropped
after); without it an embedded server is started in a temporary folder.
"""

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.orm import Session, sessionmaker

from app import embedded, migrate
from app.db import normalise_url

TABLES = (
    "topic_actors",
    "topics",
    "feed_entries",
    "feeds",
    "mentions",
    "statements",
    "claim_group_bands",
    "grouping_rule",
    "claim_groups",
    "actor_aliases",
    "actor_redirects",
    "actors",
    "article_bands",
    "articles",
    "sources",
    "audit_log",
    "review_batches",
    "api_tokens",
    "login_attempts",
    "users",
)


def _server_url() -> str:
    configured = os.environ.get("TEST_DATABASE_URL")
    if configured:
        return normalise_url(configured)
    data_dir = Path(tempfile.mkdtemp(prefix="claimtracker-test-", dir="/tmp"))
    return embedded.start(data_dir)


def _admin_connect(url: str) -> psycopg.Connection:
    parsed = make_url(url)
    return psycopg.connect(
        host=parsed.query.get("host") or parsed.host,
        port=parsed.port,
        user=parsed.username,
        password=parsed.password,
        dbname=parsed.database or "postgres",
        autocommit=True,
    )


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    server_url = _server_url()
    name = f"claimtracker_test_{uuid.uuid4().hex[:10]}"
    with _admin_connect(server_url) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    yield url
    with _admin_connect(server_url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine(database_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back after the test."""
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


@pytest.fixture
def factory(connection: Connection) -> sessionmaker[Session]:
    """Sessions whose commits become savepoints of the test's transaction."""
    return sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )


@pytest.fixture
def session(factory: sessionmaker[Session]) -> Iterator[Session]:
    with factory() as session:
        yield session


@pytest.fixture
def committed_db(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """For code that opens its own connections (the CLI): real commits, tables emptied after."""
    from app.db import get_engine
    from app.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield database_url
    get_engine().dispose()
    get_engine.cache_clear()
    get_settings.cache_clear()
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))


@pytest.fixture
def empty_engine(database_url: str) -> Iterator[Engine]:
    """A database of its own with no schema at all, for migration tests; dropped after."""
    name = f"claimtracker_mig_{uuid.uuid4().hex[:8]}"
    with _admin_connect(database_url) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    engine = create_engine(make_url(database_url).set(database=name))
    yield engine
    engine.dispose()
    with _admin_connect(database_url) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


SEED_ARTICLE = Path(__file__).resolve().parents[1] / "seeds" / "000_a88642a8d23d9c85.txt"
