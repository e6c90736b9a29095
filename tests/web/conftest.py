"""Fixtures for the web tests: a client on the rolled-back test transaction, and a small corpus."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.models.actors import Actor
from app.models.articles import Article
from app.models.statements import Statement
from app.web.app import create_app
from tests.factories import make_actor, make_article, make_source, make_statement


@pytest.fixture
def client(engine: Engine, factory: sessionmaker[Session]) -> Iterator[TestClient]:
    app = create_app(engine)
    app.state.sessionmaker = factory
    with TestClient(app) as client:
        yield client


def claim(
    session: Session,
    article: Article,
    speaker: Actor | None,
    words: str,
    **fields: Any,
) -> Statement:
    """A statement of `words`, which must occur in the article body."""
    start = article.body.index(words)
    statement = make_statement(session, article, speaker, start, start + len(words))
    for name, value in fields.items():
        setattr(statement, name, value)
    session.flush()
    return statement


@dataclass
class Corpus:
    lukashenko: Actor
    peskov: Actor
    isw: Actor
    first: Article
    second: Article
    statements: list[Statement]


@pytest.fixture
def corpus(session: Session) -> Corpus:
    """Two dated articles from two sources; four speakers' worth of claims."""
    wire = make_source(session, "Test Wire")
    daily = make_source(session, "Test Daily")
    lukashenko = make_actor(session, "Aleksandr Lukashenko")
    peskov = make_actor(session, "Dmitri Peskov")
    isw = make_actor(session, "Institute for the Study of War", kind="organization")
    first = make_article(
        session,
        body=(
            "Mr. Lukashenko dismissed as conspiracy theories the talk of an offensive. "
            "“We have been conducting exercises,” he said. "
            "Mr. Peskov called the claims groundless fabrications."
        ),
        title="Belarus plays down drills",
        source_id=wire.id,
        published_at=datetime(2022, 12, 8, 9, tzinfo=UTC),
        url="https://example.com/first",
    )
    second = make_article(
        session,
        body=(
            "The institute said Russia gave Belarus S-400 air defense systems. "
            "It predicted that Russian troops would stay in Belarus."
        ),
        title="S-400 systems for Minsk",
        source_id=daily.id,
        published_at=datetime(2022, 12, 20, 15, tzinfo=UTC),
    )
    statements = [
        claim(session, first, lukashenko, "as conspiracy theories the talk of an offensive",
              cue="dismissed", cue_class="deny", kind="indirect"),
        claim(session, first, lukashenko, "“We have been conducting exercises,”",
              cue="said", cue_class="assert", kind="direct"),
        claim(session, first, peskov, "the claims groundless fabrications",
              cue="called", cue_class="deny", kind="mixed"),
        claim(session, second, isw, "Russia gave Belarus S-400 air defense systems",
              cue="said", cue_class="assert", kind="indirect"),
        claim(session, second, isw, "that Russian troops would stay in Belarus",
              cue="predicted", cue_class="predict", kind="indirect"),
    ]  # fmt: skip
    session.commit()
    return Corpus(lukashenko, peskov, isw, first, second, statements)
