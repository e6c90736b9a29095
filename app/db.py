"""Database engine and sessions: one session per request (SessionDep), one per ingest unit."""

import select
import time
from collections.abc import AsyncIterator, Sequence
from functools import lru_cache
from typing import Annotated, Any

from fastapi import Depends, Path, Request
from sqlalchemy import Row, create_engine, event
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg as psycopg_dialect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.sql.elements import ClauseElement
from starlette.concurrency import run_in_threadpool

from app import embedded
from app.settings import Settings, get_settings


def normalise_url(url: str) -> str:
    """Accept the plain postgres URLs people paste and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if not url.startswith("postgresql+"):
        raise ValueError(f"DATABASE_URL must be a PostgreSQL URL, got {url.split(':', 1)[0]}://…")
    return url


def database_url(settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    if settings.database_url:
        return normalise_url(settings.database_url)
    return embedded.start(settings.data_dir)


# A pooled connection idle longer than this is checked with a round trip before use.
PING_AFTER_IDLE_SECONDS = 30.0


def make_engine(url: str) -> Engine:
    engine = create_engine(
        url,
        pool_size=10,
        max_overflow=10,
        connect_args={"connect_timeout": 5},
        # An error's message never carries the values sent (an article's whole body) into
        # the log.
        hide_parameters=True,
    )
    check_connections_on_checkout(engine)
    return engine


def check_connections_on_checkout(engine: Engine) -> None:
    """Hand out no connection the server has closed, without a round trip on every checkout.

    SQLAlchemy's pool_pre_ping sends a query at every checkout: a third of the round trips
    of one actor's statements as JSON. Here a connection is pinged only when the server has
    sent it something while it sat in the pool (a restarted or terminated server says so
    before closing the socket, which then reads as ready) or when it has been idle for
    PING_AFTER_IDLE_SECONDS (a connection dropped silently on the way); one that fails is
    replaced by a new one before the caller sees it.
    """

    @event.listens_for(engine, "checkin")
    def note_idle(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def check(dbapi_connection: Any, record: ConnectionPoolEntry, proxy: Any) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None:  # just connected
            return
        idle = time.monotonic() - idle_since
        if idle < PING_AFTER_IDLE_SECONDS and not _has_input(dbapi_connection):
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError(f"a pooled connection was closed: {error}") from error


def _has_input(dbapi_connection: Any) -> bool:
    """Whether an idle connection's socket has something to read (or has been closed)."""
    try:
        readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError):  # closed already
        return True
    return bool(readable)


@lru_cache
def get_engine() -> Engine:
    return make_engine(database_url())


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def _commit_and_close(session: Session) -> None:
    try:
        session.commit()
    finally:
        session.close()


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request, committed once when the route returns without error.

    A coroutine, so opening the session (no I/O: it connects on first use) costs no trip to
    the thread pool; committing and closing, which do I/O, take one unless the route ended
    its transaction itself (done_reading).
    """
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    session = factory()
    try:
        yield session
    except BaseException:
        await run_in_threadpool(session.close)
        raise
    if session.in_transaction() or session.new or session.dirty or session.deleted:
        await run_in_threadpool(_commit_and_close, session)
    else:
        session.close()  # nothing begun, nothing pending: no I/O, no trip to the pool


def read_outside_transaction(session: Session) -> None:
    """Run a read-only route's queries each on its own, in autocommit, with no BEGIN or COMMIT.

    Two round trips fewer a request (a third of those of one actor's JSON); the price is that
    the route's queries no longer share one snapshot, which a list page does not need: its
    counts come from a cache anyway. Call it before the first query; the connection goes
    back to the pool in its usual mode. A session bound to one connection already in a
    transaction (the tests') reads inside that transaction as before.
    """
    if isinstance(session.get_bind(), Engine):
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def done_reading(session: Session) -> None:
    """End a read-only route's transaction in the route's own thread.

    The request's teardown then has no I/O left and skips a trip to the thread pool (about
    1.3 ms a request on a 2-core machine, more than the queries of a short page).
    """
    session.commit()


# Committed when the route returns, before the response goes out: a redirect after a form
# post must find the change when the browser follows it.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]

# Row ids are PostgreSQL integers: a larger number in a URL can only be "not found", not an error.
RowId = Annotated[int, Path(ge=1, le=2_147_483_647, description="A row id.")]


class FixedQuery:
    """A query whose shape never changes, compiled to SQL once.

    Building a SQLAlchemy statement and computing its cache key cost more than running a
    short indexed query (measured: 2–3 ms against 0.3 ms for an actor's timeline); this
    keeps the construction readable and pays for it once. Parameters are `bindparam`s
    named in the statement.
    """

    def __init__(self, statement: ClauseElement) -> None:
        compiled = statement.compile(dialect=psycopg_dialect())
        self.sql = str(compiled)
        self.defaults = dict(compiled.params)

    def rows(self, session: Session, **params: object) -> Sequence[Row[Any]]:
        result = session.connection().exec_driver_sql(self.sql, {**self.defaults, **params})
        return result.all()
