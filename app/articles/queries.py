"""Queries about articles: the list and one article with its body."""

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.articles import Article, Source
from app.models.statements import Statement
from app.statements.filters import listed


def list_articles(session: Session, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    """Articles, newest first (undated last), with their source and listed statements' count."""
    # The page of articles first (ix_articles_newest), then a count for those rows alone.
    page = (
        select(Article.id, Article.title, Article.source_id, Article.published_at)
        .order_by(Article.published_at.desc().nulls_last(), Article.id.desc())
        .limit(limit)
        .offset(offset)
        .subquery()
    )
    statement_count = (
        select(func.count())
        .where(Statement.article_id == page.c.id, listed())
        .correlate(page)
        .scalar_subquery()
    )
    query = (
        select(
            page.c.id,
            page.c.title,
            Source.name.label("source"),
            page.c.published_at,
            statement_count.label("statement_count"),
        )
        .outerjoin(Source, Source.id == page.c.source_id)
        .order_by(page.c.published_at.desc().nulls_last(), page.c.id.desc())
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
