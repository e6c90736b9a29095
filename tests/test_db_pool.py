"""Pooled connections: no round trip on a checkout while all is well, a ping after a long idle
spell, and a connection the server closed is replaced before anyone uses it."""

import time
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app import db


@pytest.fixture
def pooled(database_url: str) -> Iterator[Engine]:
    engine = db.make_engine(db.normalise_url(database_url))
    yield engine
    engine.dispose()


def _backend(engine: Engine, marker: str) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(text(f"SELECT pg_backend_pid() /* {marker} */")))


def _admin(database_url: str) -> psycopg.Connection:
    return psycopg.connect(database_url.replace("+psycopg", "", 1), autocommit=True)


def _last_query(database_url: str, pid: int) -> str:
    with _admin(database_url) as admin:
        row = admin.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone()
    assert row is not None
    return str(row[0])


def test_a_checkout_sends_nothing_while_the_connection_is_fresh(
    pooled: Engine, database_url: str
) -> None:
    pid = _backend(pooled, "first")
    before = _last_query(database_url, pid)  # the reset when it went back to the pool
    with pooled.connect():  # the same pooled connection, checked out again
        assert _last_query(database_url, pid) == before


def test_a_connection_idle_too_long_is_pinged(
    pooled: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = _backend(pooled, "first")
    before = _last_query(database_url, pid)
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)
    with pooled.connect():
        assert _last_query(database_url, pid) != before


def test_a_connection_the_server_closed_is_replaced_unseen(
    pooled: Engine, database_url: str
) -> None:
    pid = _backend(pooled, "first")
    with _admin(database_url) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    time.sleep(0.2)  # the server's goodbye reaches the pooled socket
    assert _backend(pooled, "second") != pid
