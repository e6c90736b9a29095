"""Queries about statements, and the stable export shape outside tooling reads."""

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from app.actors.models import Actor
from app.articles.models import Article, Source
from app.statements.models import Statement

# Flat column names of the CSV export, in order; keep them stable.
CSV_COLUMNS = (
    "id",
    "article_id",
    "article_external_id",
    "article_title",
    "article_source",
    "article_url",
    "article_published_at",
    "speaker_id",
    "speaker_slug",
    "speaker_name",
    "speaker_kind",
    "speaker_mention",
    "cue",
    "kind",
    "content",
    "start",
    "end",
)


def export_query(actor_slug: str | None = None) -> Select[Any]:
    speaker = aliased(Actor)
    query = (
        select(Statement, Article, Source.name.label("source_name"), speaker)
        .join(Article, Article.id == Statement.article_id)
        .outerjoin(Source, Source.id == Article.source_id)
        .outerjoin(speaker, speaker.id == Statement.speaker_id)
        .order_by(Statement.id)
    )
    if actor_slug is not None:
        query = query.where(speaker.slug == actor_slug)
    return query


def export_record(
    statement: Statement, article: Article, source_name: str | None, speaker: Actor | None
) -> dict[str, Any]:
    """One statement in the export shape (`claimtracker export`, the JSON API)."""
    return {
        "id": statement.id,
        "article": {
            "id": article.id,
            "external_id": article.external_id,
            "title": article.title,
            "source": source_name,
            "url": article.url,
            "published_at": article.published_at.isoformat() if article.published_at else None,
        },
        "speaker": (
            {"id": speaker.id, "slug": speaker.slug, "name": speaker.name, "kind": speaker.kind}
            if speaker
            else None
        ),
        "speaker_mention": statement.speaker_mention,
        "cue": statement.cue,
        "kind": statement.kind,
        "content": statement.content,
        "start": statement.start,
        "end": statement.end,
    }


def flatten_record(record: dict[str, Any]) -> dict[str, Any]:
    article = record["article"]
    speaker = record["speaker"] or {}
    return {
        "id": record["id"],
        "article_id": article["id"],
        "article_external_id": article["external_id"],
        "article_title": article["title"],
        "article_source": article["source"],
        "article_url": article["url"],
        "article_published_at": article["published_at"],
        "speaker_id": speaker.get("id"),
        "speaker_slug": speaker.get("slug"),
        "speaker_name": speaker.get("name"),
        "speaker_kind": speaker.get("kind"),
        "speaker_mention": record["speaker_mention"],
        "cue": record["cue"],
        "kind": record["kind"],
        "content": record["content"],
        "start": record["start"],
        "end": record["end"],
    }


def export_records(session: Session, actor_slug: str | None = None) -> Iterator[dict[str, Any]]:
    """Every statement (of one actor) in export shape, streamed from the database."""
    result = session.execute(export_query(actor_slug).execution_options(yield_per=500))
    for statement, article, source_name, speaker in result:
        yield export_record(statement, article, source_name, speaker)
