"""Fixtures for ingest jobs: real commits (workers use their own connections), emptied after."""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from app.db import make_sessionmaker
from app.jobs.worker import run_worker
from tests.conftest import SEED_ARTICLE, TABLES

JOB_TABLES = (
    "ingest_job_files",
    "ingest_jobs",
    "api_tokens",
    "users",
    "procrastinate_events",
    "procrastinate_periodic_defers",
    "procrastinate_jobs",
    "procrastinate_workers",
)


@pytest.fixture
def committed(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[sessionmaker[Session]]:
    """Sessions that really commit, as a worker's do; every table touched is emptied after."""
    from app.db import get_engine
    from app.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield make_sessionmaker(engine)
    get_engine().dispose()
    get_engine.cache_clear()
    get_settings.cache_clear()
    with engine.begin() as connection:
        connection.execute(
            text(
                f"TRUNCATE {', '.join(dict.fromkeys(TABLES + JOB_TABLES))} RESTART IDENTITY CASCADE"
            )
        )


@pytest.fixture
def drain(database_url: str, committed: sessionmaker[Session]) -> "Drain":
    """Run a worker in this process until the queue has nothing to do now."""
    return Drain(database_url)


class Drain:
    def __init__(self, url: str) -> None:
        self.url = url

    def __call__(self) -> None:
        run_worker(wait=False, url=self.url)


def seed_variant(number: int) -> bytes:
    """The seed article with a distinct last line, so each is a new article."""
    text_ = SEED_ARTICLE.read_text(encoding="utf-8")
    return f"{text_}\nUpdate {number}: the ministry said more drills would follow.\n".encode()
