"""Factories for stored rows, so tests say only what matters to them."""

import itertools

from sqlalchemy.orm import Session

from app.extract import EXTRACTOR_VERSION
from app.ingest.service import content_hash
from app.models.actors import Actor
from app.models.articles import Article, Source
from app.models.statements import Statement

_numbers = itertools.count(1)


def make_source(session: Session, name: str | None = None) -> Source:
    source = Source(name=name or f"Outlet {next(_numbers)}")
    session.add(source)
    session.flush()
    return source


def make_article(
    session: Session, body: str | None = None, title: str = "An article", **fields: object
) -> Article:
    body = body or f"Body number {next(_numbers)}. The minister said the talks would go on."
    article = Article(title=title, body=body, content_hash=content_hash(body), **fields)
    session.add(article)
    session.flush()
    return article


def make_actor(session: Session, name: str = "Jane Doe", kind: str = "person") -> Actor:
    actor = Actor(name=name, slug=f"{name.lower().replace(' ', '-')}-{next(_numbers)}", kind=kind)
    session.add(actor)
    session.flush()
    return actor


def make_statement(
    session: Session, article: Article, speaker: Actor | None, start: int = 0, end: int = 10
) -> Statement:
    statement = Statement(
        article_id=article.id,
        speaker_id=speaker.id if speaker else None,
        speaker_mention=speaker.name if speaker else "they",
        cue="said",
        cue_class="assert",
        kind="indirect",
        content=article.body[start:end],
        start=start,
        end=end,
        sentence_start=start,
        sentence_end=end,
        confidence=1.0,
        extractor_version=EXTRACTOR_VERSION,
    )
    session.add(statement)
    session.flush()
    return statement
