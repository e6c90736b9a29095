"""Queries about articles: the list and one article with its body."""

from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.articles import Article, Source
from app.models.statements import Statement
from app.statements.filters import listed

ArticleSort = Literal["newest", "oldest"]


def list_articles(
    session: Session,
    limit: int | None = 100,
    offset: int = 0,
    sort: ArticleSort = "newest",
    source: str | None = None,
) -> list[dict[str, Any]]:
    """Articles by date (undated last), of one outlet if asked, with their source and listed
    statements' count."""
    order: list[Any]
    if sort == "newest":
        order = [Article.published_at.desc().nulls_last(), Article.id.desc()]
    else:
        order = [Article.published_at.asc().nulls_last(), Article.id.asc()]
    # The page of articles first (ix_articles_newest), then a count for those rows alone.
    chosen = select(Article.id, Article.title, Article.source_id, Article.published_at)
    if source is not None:
        chosen = chosen.join(Source, Source.id == Article.source_id).where(Source.name == source)
    page = chosen.order_by(*order).limit(limit).offset(offset).subquery()
    statement_count = (
        select(func.count())
        .where(Statement.article_id == page.c.id, listed())
        .correlate(page)
        .scalar_subquery()
    )
    page_order = (
        [page.c.published_at.desc().nulls_last(), page.c.id.desc()]
        if sort == "newest"
        else [page.c.published_at.asc().nulls_last(), page.c.id.asc()]
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
        .order_by(*page_order)
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


def count_articles(session: Session, source: str | None = None) -> int:
    query = select(func.count()).select_from(Article)
    if source is not None:
        query = query.join(Source, Source.id == Article.source_id).where(Source.name == source)
    return session.scalar(query) or 0


def outlets(session: Session) -> list[tuple[str, int]]:
    """Every outlet with its number of articles, most first."""
    rows = session.execute(
        select(Source.name, func.count(Article.id))
        .join(Article, Article.source_id == Source.id)
        .group_by(Source.name)
        .order_by(func.count(Article.id).desc(), Source.name)
    )
    return [(name, count) for name, count in rows]


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
