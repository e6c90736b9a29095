"""Queries about articles: the list and one article with its body."""

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.articles.models import Article, Source
from app.statements.models import Statement


def list_articles(session: Session, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    """Articles, newest first, with their source and statement count."""
    counts = (
        select(Statement.article_id, func.count().label("n"))
        .group_by(Statement.article_id)
        .subquery()
    )
    query = (
        select(
            Article.id,
            Article.title,
            Source.name.label("source"),
            Article.published_at,
            func.coalesce(counts.c.n, 0).label("statement_count"),
        )
        .outerjoin(Source, Source.id == Article.source_id)
        .outerjoin(counts, counts.c.article_id == Article.id)
        .order_by(Article.published_at.desc().nulls_last(), Article.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [
        {
            "id": row.id,
            "title": row.title,
            "source": row.source,
            "published_at": row.published_at.isoformat() if row.published_at else None,
            "statement_count": row.statement_count,
        }
        for row in session.execute(query)
    ]


def get_article(session: Session, article_id: int) -> dict[str, Any] | None:
    """One article with its body and source, or None."""
    row = session.execute(
        select(Article, Source.name.label("source"))
        .outerjoin(Source, Source.id == Article.source_id)
        .where(Article.id == article_id)
    ).first()
    if row is None:
        return None
    article: Article = row.Article
    return {
        "id": article.id,
        "external_id": article.external_id,
        "title": article.title,
        "source": row.source,
        "url": article.url,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "language": article.language,
        "body": article.body,
    }
