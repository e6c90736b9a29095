"""Queries about actors: the directory, one actor's profile, timeline and co-occurring actors."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Date, Integer, String, bindparam, cast, func, select, union
from sqlalchemy.orm import Session

from app.db import FixedQuery
from app.models.actors import Actor, ActorAlias, ActorDay, Mention
from app.models.statements import Statement
from app.statements.filters import ResolvedFilters, conditions, listed, sort_key

# With filters besides the actor, the timeline covers the newest this many matches (without,
# it is the whole history kept in actor_days).
TIMELINE_SAMPLE = 10_000
# How many of an actor's newest articles the "appears with" list looks at.
RELATED_ARTICLES = 200


def list_actors(
    session: Session,
    q: str | None = None,
    kind: str | None = None,
    limit: int | None = 100,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Actors matching a name search and kind, most quoted first, and how many match in all."""
    where: list[ColumnElement[bool]] = []
    if q:
        # The trigram index serves substring matches, so "luka" finds Lukashenko.
        where.append(Actor.name.ilike(f"%{_escape_like(q)}%", escape="\\"))
    if kind:
        where.append(Actor.kind == kind)
    # The count is kept on the actor by a trigger: this is a read of the first rows of
    # ix_actors_statement_count_name, whatever the number of statements.
    query = (
        select(Actor.id, Actor.slug, Actor.name, Actor.kind, Actor.statement_count)
        .where(*where)
        .order_by(Actor.statement_count.desc(), Actor.name, Actor.id)
        .limit(limit)
        .offset(offset)
    )
    rows = session.execute(query).all()
    if limit is None or (offset == 0 and len(rows) < limit):
        total = offset + len(rows)
    else:
        total = session.scalar(select(func.count()).select_from(Actor).where(*where)) or 0
    items = [
        {
            "id": row.id,
            "slug": row.slug,
            "name": row.name,
            "kind": row.kind,
            "statement_count": row.statement_count,
        }
        for row in rows
    ]
    return items, total


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _actor_query() -> FixedQuery:
    aliases = (
        select(ActorAlias.alias)
        .where(ActorAlias.actor_id == Actor.id)
        .order_by(ActorAlias.alias)
        .scalar_subquery()
    )
    return FixedQuery(
        select(
            Actor.id,
            Actor.slug,
            Actor.name,
            Actor.kind,
            Actor.role,
            Actor.country,
            Actor.statement_count,
            func.array(aliases).label("aliases"),
        ).where(Actor.slug == bindparam("slug", type_=String))
    )


_ACTOR = _actor_query()


def get_actor(session: Session, slug: str) -> dict[str, Any] | None:
    """An actor's profile by slug (see actor_record), aliases included, in one query."""
    rows = _ACTOR.rows(session, slug=slug)
    return actor_record(rows[0]) if rows else None


_ACTOR_DAYS = FixedQuery(
    select(ActorDay.day, ActorDay.statements)
    .where(ActorDay.actor_id == bindparam("actor_id"), ActorDay.statements > 0)
    .order_by(ActorDay.day)
)


@dataclass
class Timeline:
    days: list[tuple[date, int]]
    # True when the timeline covers only the newest TIMELINE_SAMPLE statements.
    sampled: bool


def statement_timeline(session: Session, resolved: ResolvedFilters) -> Timeline:
    """Statements per day (UTC, by the article's date).

    One actor with no other filter: their whole history, as kept in actor_days. Otherwise
    the newest TIMELINE_SAMPLE matches, counted per day.
    """
    actor = resolved.sole_actor
    if actor is not None:
        kept = _ACTOR_DAYS.rows(session, actor_id=actor.id)
        return Timeline([(row.day, row.statements) for row in kept], sampled=False)
    sample = (
        select(Statement.published_at)
        .where(*conditions(resolved), Statement.published_at.is_not(None))
        .order_by(sort_key().desc(), Statement.id.desc())
        .limit(TIMELINE_SAMPLE + 1)
        .subquery()
    )
    day = cast(func.timezone("UTC", sample.c.published_at), Date)
    rows = session.execute(
        select(day.label("day"), func.count().label("n")).group_by(day).order_by(day)
    ).all()
    days = [(row.day, row.n) for row in rows]
    return Timeline(days, sum(n for _, n in days) > TIMELINE_SAMPLE)


def _related_query() -> FixedQuery:
    actor_id = bindparam("actor_id", type_=Integer)
    spoken = (
        select(Statement.article_id)
        .where(Statement.speaker_id == actor_id, listed())
        .order_by(sort_key().desc(), Statement.id.desc())
        .limit(RELATED_ARTICLES)
    )
    named = (
        select(Mention.article_id)
        .where(Mention.actor_id == actor_id)
        .order_by(Mention.article_id.desc())
        .limit(RELATED_ARTICLES)
    )
    articles = union(spoken, named).subquery()
    article_ids = select(articles.c.article_id)
    pairs = union(
        select(Statement.article_id, Statement.speaker_id.label("actor_id")).where(
            Statement.article_id.in_(article_ids), Statement.speaker_id != actor_id, listed()
        ),
        select(Mention.article_id, Mention.actor_id).where(
            Mention.article_id.in_(article_ids), Mention.actor_id != actor_id
        ),
    ).subquery()
    # Count per actor id first, then name only the few shown.
    shared = func.count().label("shared_articles")
    top = (
        select(pairs.c.actor_id, shared)
        .group_by(pairs.c.actor_id)
        .order_by(shared.desc(), pairs.c.actor_id)
        .limit(bindparam("limit", type_=Integer))
        .subquery()
    )
    return FixedQuery(
        select(Actor.id, Actor.slug, Actor.name, Actor.kind, top.c.shared_articles)
        .join(top, top.c.actor_id == Actor.id)
        .order_by(top.c.shared_articles.desc(), Actor.name)
    )


_RELATED = _related_query()


def related_actors(session: Session, actor_id: int, limit: int = 15) -> list[dict[str, Any]]:
    """Actors who speak or are named in the same articles, by number of shared articles."""
    rows = _RELATED.rows(session, actor_id=actor_id, limit=limit)
    return [
        {
            "id": row.id,
            "slug": row.slug,
            "name": row.name,
            "kind": row.kind,
            "shared_articles": row.shared_articles,
        }
        for row in rows
    ]


def actor_record(actor: Any) -> dict[str, Any]:
    """An actor as pages and the API show it, from a row of Actor's columns and aliases."""
    return {
        "id": actor.id,
        "slug": actor.slug,
        "name": actor.name,
        "kind": actor.kind,
        "role": actor.role,
        "country": actor.country,
        "aliases": sorted(set(actor.aliases)),
        "statement_count": actor.statement_count,
    }
