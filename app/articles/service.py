"""Editors' changes to an article: its metadata (title, date, outlet, address) and its removal
with every statement in it; both audited."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.ingest.service import get_or_create_source
from app.models import Article, Source, Statement, User
from app.review.service import record


class ArticleError(ValueError):
    """A change that cannot be made; the message says why, for the form."""


@dataclass(frozen=True)
class ArticleChanges:
    title: str
    published_at: datetime | None
    source: str | None
    url: str | None


def _state(session: Session, article: Article) -> dict[str, Any]:
    source = session.get(Source, article.source_id) if article.source_id else None
    return {
        "title": article.title,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "source": source.name if source else None,
        "url": article.url,
    }


def update_article(session: Session, article: Article, changes: ArticleChanges, user: User) -> bool:
    """Apply the changes; False (and nothing logged) when they change nothing."""
    title = " ".join(changes.title.split())
    if not title or len(title) > 1000:
        raise ArticleError("the title must have 1 to 1,000 characters")
    source_name = " ".join((changes.source or "").split()) or None
    if source_name is not None and len(source_name) > 200:
        raise ArticleError("the outlet's name must have at most 200 characters")
    before = _state(session, article)
    article.title = title
    article.published_at = changes.published_at
    article.url = changes.url
    article.source_id = (
        get_or_create_source(session, source_name, changes.url).id if source_name else None
    )
    session.flush()
    after = _state(session, article)
    if after == before:
        return False
    changed = {key: value for key, value in after.items() if before[key] != value}
    was = {key: before[key] for key in changed}
    record(session, user, "article", article.id, "edit", was, changed)
    return True


def statement_count(session: Session, article: Article) -> int:
    query = select(func.count()).select_from(Statement).where(Statement.article_id == article.id)
    return session.scalar(query) or 0


def delete_article(session: Session, article: Article, user: User) -> int:
    """Remove the article with its statements and mentions; returns how many statements went."""
    removed = statement_count(session, article)
    before = {**_state(session, article), "statements": removed}
    record(session, user, "article", article.id, "delete", before, None)
    session.delete(article)
    session.flush()
    return removed
