"""A repeated claim for the pages: three outlets carry one statement on three days, grouped
directly through the models (the grouping itself is the core's and tested there)."""

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from app.groups.service import refresh
from app.models.actors import Actor
from app.models.articles import Article
from app.models.groups import ClaimGroup
from app.models.statements import Statement
from tests.accounts.conftest import bearer, client, make_user, sign_in
from tests.factories import make_actor, make_article, make_source, make_statement

__all__ = ["bearer", "client", "make_user", "sign_in"]

CLAIM = "Belarus will not send troops into Ukraine"


def said(session: Session, article: Article, speaker: Actor | None, words: str) -> Statement:
    start = article.body.index(words)
    return make_statement(session, article, speaker, start, start + len(words))


def grouped(session: Session, statements: list[Statement], speaker: Actor | None) -> ClaimGroup:
    group = ClaimGroup(
        speaker_id=speaker.id if speaker else None,
        key=statements[0].content.lower(),
        polarity="positive",
        claim_type="statement",
    )
    session.add(group)
    session.flush()
    for statement in statements:
        statement.claim_group_id = group.id
    session.flush()
    refresh(session, [group.id])
    session.refresh(group)
    return group


@dataclass
class Repeated:
    speaker: Actor
    articles: list[Article]  # earliest first
    statements: list[Statement]  # the repeated claim, earliest first
    other: Statement  # a claim said once
    group: ClaimGroup


@pytest.fixture
def repeated(session: Session) -> Repeated:
    speaker = make_actor(session, "Aleksandr Lukashenko")
    articles = []
    for day, outlet in ((5, "Test Wire"), (9, "Daily Courier"), (16, "Evening Post")):
        source = make_source(session, outlet)
        articles.append(
            make_article(
                session,
                body=f"On day {day} Lukashenko said {CLAIM}. Officials added that the "
                f"drills near the border were routine and planned months ago ({outlet}).",
                title=f"{outlet} on Belarus, {day} December",
                source_id=source.id,
                published_at=datetime(2022, 12, day, 9, tzinfo=UTC),
            )
        )
    statements = [said(session, article, speaker, CLAIM) for article in articles]
    other = said(session, articles[1], speaker, "the drills near the border were routine")
    group = grouped(session, statements, speaker)
    session.commit()
    return Repeated(speaker, articles, statements, other, group)
