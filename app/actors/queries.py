"""Queries about actors: the directory, one actor's profile, timeline and co-occurring actors."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    String,
    bindparam,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    text,
    union,
    union_all,
)
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import Session

from app.db import FixedQuery
from app.extract import normalise_alias
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


# --- finding an actor by name, and likely duplicates -------------------------------------------

# How alike two names must be (pg_trgm similarity, 0 to 1) to be offered as duplicates.
DUPLICATE_THRESHOLD = 0.5
DUPLICATES_SHOWN = 100


def _brief(actor: Any) -> dict[str, Any]:
    return {
        "id": actor.id,
        "slug": actor.slug,
        "name": actor.name,
        "kind": actor.kind,
        "country": actor.country,
        "statement_count": actor.statement_count,
    }


def actors_named(session: Session, name: str, exclude_id: int | None = None) -> list[Actor]:
    """Actors whose name or one of whose aliases is `name` (normalised), most quoted first."""
    return [actor for actor in by_name(session, name) if actor.id != exclude_id][:20]


def similar_actors(
    session: Session, name: str, exclude_id: int | None = None, limit: int = 8
) -> list[Actor]:
    """Actors whose names or aliases look like `name` (trigram similarity, served by the
    trigram indexes on both)."""
    key = normalise_alias(name)
    if not key:
        return []
    by_alias = select(
        ActorAlias.actor_id.label("actor_id"),
        func.similarity(ActorAlias.normalised, key).label("score"),
    ).where(ActorAlias.normalised.op("%")(key))
    by_name = select(
        Actor.id.label("actor_id"), func.similarity(Actor.name, name).label("score")
    ).where(Actor.name.op("%")(name))
    both = union(by_alias, by_name).subquery()
    close = (
        select(both.c.actor_id, func.max(both.c.score).label("score"))
        .group_by(both.c.actor_id)
        .subquery()
    )
    query = (
        select(Actor)
        .join(close, close.c.actor_id == Actor.id)
        .order_by(close.c.score.desc(), Actor.statement_count.desc(), Actor.id)
        .limit(limit)
    )
    if exclude_id is not None:
        query = query.where(Actor.id != exclude_id)
    # The planner prices the trigram indexes a little above reading every name (1,470 against
    # 1,390 on 50,000 actors) although they answer in 43 ms against 600: it is told to use them.
    session.execute(select(func.set_config("enable_seqscan", "off", True)))
    try:
        return list(session.scalars(query))
    finally:
        session.execute(select(func.set_config("enable_seqscan", "on", True)))


_DUPLICATE_PAIRS = text(
    """
    WITH names AS MATERIALIZED (
        SELECT actor_id, normalised::text AS name,
               split_part(normalised, ' ', -1) COLLATE "C" AS surname
        -- A one-word alias ("Putin", "Zelensky") is shared by relatives and namesakes: it is
        -- no evidence of a duplicate unless it is an actor's very name (the second half).
        FROM actor_aliases WHERE normalised NOT LIKE '~%' AND strpos(normalised, ' ') > 0
        UNION
        SELECT id, lower(name), lower(split_part(name, ' ', -1)) COLLATE "C" FROM actors
    ), pairs AS (
        SELECT x.actor_id AS first_id, y.actor_id AS second_id,
               max(similarity(x.name, y.name)) AS score
        FROM names x JOIN names y ON x.surname = y.surname AND x.actor_id < y.actor_id
        WHERE x.name % y.name
        GROUP BY 1, 2
    )
    SELECT p.first_id, p.second_id, p.score FROM pairs p
    JOIN actors a ON a.id = p.first_id
    JOIN actors b ON b.id = p.second_id
    WHERE (a.kind = b.kind OR 'unknown' IN (a.kind, b.kind))
      AND (a.country IS NULL OR b.country IS NULL OR a.country = b.country)
    ORDER BY p.score DESC, a.statement_count + b.statement_count DESC, p.first_id, p.second_id
    LIMIT :limit
    """
)


def duplicate_pairs(
    session: Session, threshold: float = DUPLICATE_THRESHOLD, limit: int = DUPLICATES_SHOWN
) -> list[dict[str, Any]]:
    """Likely duplicate actors: names or aliases alike (trigram similarity ≥ threshold) with the
    same last word, and the same kind and country where both are known; most alike first.

    Each pair holds both actors, the one with more statements first (the one to keep).
    """
    # The pairs come from one join of all names on their last word (compared bytewise:
    # sorting by the locale's collation cost half the time), then `%` keeps the alike ones.
    # A trigram-index probe per name instead took 18 s on 50,000 actors (see README).
    session.execute(
        select(
            func.set_config("pg_trgm.similarity_threshold", str(threshold), True),
            func.set_config("work_mem", "32MB", True),
        )
    )
    rows = session.execute(_DUPLICATE_PAIRS, {"limit": limit}).all()
    ids = {row.first_id for row in rows} | {row.second_id for row in rows}
    # Rows, not mapped objects: counts are kept by a trigger, so a session's objects may lag.
    columns = (Actor.id, Actor.slug, Actor.name, Actor.kind, Actor.country, Actor.statement_count)
    actors = {row.id: row for row in session.execute(select(*columns).where(Actor.id.in_(ids)))}
    pairs = []
    for row in rows:
        first, second = actors[row.first_id], actors[row.second_id]
        if (second.statement_count, -second.id) > (first.statement_count, -first.id):
            first, second = second, first
        pairs.append({"score": round(row.score, 2), "kept": _brief(first), "other": _brief(second)})
    return pairs


# --- the speaker picker: actors by name or alias, never by slug ------------------------------

# pg_trgm's default threshold for `%`: below it a name is not offered at all.
SUGGEST_SIMILARITY = 0.3
# A new actor this close to an existing name is probably that actor ("did you mean …?").
NEAR_DUPLICATE_SIMILARITY = 0.5
SUGGEST_LIMIT = 10


def _needle(typed: str) -> str:
    return normalise_alias(typed) or " ".join(typed.casefold().split())


def _name_hits(needle: str) -> Any:
    """Every name and alias that contains the typed text or is like it, scored: the start of
    the name first, then the start of a word, then anywhere, each plus its similarity."""
    contains = f"%{_escape_like(needle)}%"
    starts = f"{_escape_like(needle)}%"
    word_starts = f"% {_escape_like(needle)}%"

    def scored(key: Any) -> Any:
        return (
            case(
                (key.ilike(starts, escape="\\"), 3.0),
                (key.ilike(word_starts, escape="\\"), 2.0),
                (key.ilike(contains, escape="\\"), 1.0),
                else_=0.0,
            )
            + func.similarity(key, needle)
        ).label("score")

    names = select(
        Actor.id.label("actor_id"),
        Actor.name.label("text"),
        literal(False).label("is_alias"),
        scored(Actor.name),
    ).where(or_(Actor.name.ilike(contains, escape="\\"), Actor.name.op("%")(needle)))
    aliases = select(
        ActorAlias.actor_id,
        ActorAlias.alias.label("text"),
        literal(True).label("is_alias"),
        scored(ActorAlias.normalised),
    ).where(
        or_(
            ActorAlias.normalised.like(contains, escape="\\"),
            ActorAlias.normalised.op("%")(needle),
        )
    )
    return union_all(names, aliases).subquery()


def suggest(session: Session, typed: str, limit: int = SUGGEST_LIMIT) -> list[dict[str, Any]]:
    """Actors for a typed speaker name (type-ahead): by name and alias, prefix matches first,
    then trigram similarity, then the most quoted; each with the alias it matched by."""
    needle = _needle(typed)
    if len(needle) < 2:
        return []
    hits = _name_hits(needle)
    best = (
        select(hits)
        .ext(distinct_on(hits.c.actor_id))
        .order_by(hits.c.actor_id, hits.c.score.desc(), hits.c.is_alias)
        .subquery()
    )
    query = (
        select(
            Actor.id,
            Actor.name,
            Actor.kind,
            Actor.slug,
            Actor.statement_count,
            best.c.text,
            best.c.is_alias,
            best.c.score,
        )
        .join(best, best.c.actor_id == Actor.id)
        .order_by(best.c.score.desc(), Actor.statement_count.desc(), Actor.name, Actor.id)
        .limit(limit)
    )
    return [_choice(row, row.text if row.is_alias else None) for row in session.execute(query)]


def _choice(row: Any, matched_alias: str | None = None) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "kind": row.kind,
        "slug": row.slug,
        "statement_count": row.statement_count,
        "matched_alias": matched_alias if matched_alias != row.name else None,
    }


def actor_choice(actor: Actor) -> dict[str, Any]:
    """An actor as the picker lists it."""
    return _choice(actor)


def by_name(session: Session, typed: str) -> list[Actor]:
    """The actors whose name or an alias is the typed text, normalised ("Mr. Putin" = Putin)."""
    needle = _needle(typed)
    if not needle:
        return []
    aliased = select(ActorAlias.actor_id).where(ActorAlias.normalised == needle)
    # Names without an alias row: compared case-insensitively through the trigram index.
    named = select(Actor.id).where(Actor.name.ilike(_escape_like(typed.strip()), escape="\\"))
    query = (
        select(Actor)
        .where(or_(Actor.id.in_(aliased), Actor.id.in_(named)))
        .order_by(Actor.statement_count.desc(), Actor.id)
    )
    return list(session.scalars(query))


def answers_to(session: Session, actor: Actor, typed: str) -> bool:
    """Whether this actor goes by the typed text (its name or an alias, normalised)."""
    return actor.id in {match.id for match in by_name(session, typed)}


def near_duplicates(session: Session, name: str) -> list[dict[str, Any]]:
    """Existing actors a new name probably means: a name or alias with trigram similarity of
    at least NEAR_DUPLICATE_SIMILARITY, or the same surname (the last word, normalised)."""
    needle = _needle(name)
    if not needle:
        return []
    words = needle.split()
    similar = func.similarity(ActorAlias.normalised, needle)
    conditions = [similar >= NEAR_DUPLICATE_SIMILARITY, ActorAlias.normalised == needle]
    if len(words) > 1:
        surname = _escape_like(words[-1])
        conditions.append(ActorAlias.normalised.like(f"% {surname}", escape="\\"))
    aliased = select(ActorAlias.actor_id).where(or_(*conditions))
    named = select(Actor.id).where(func.similarity(Actor.name, name) >= NEAR_DUPLICATE_SIMILARITY)
    query = (
        select(Actor)
        .where(or_(Actor.id.in_(aliased), Actor.id.in_(named)))
        .order_by(Actor.statement_count.desc(), Actor.id)
        .limit(SUGGEST_LIMIT)
    )
    return [actor_choice(actor) for actor in session.scalars(query)]
