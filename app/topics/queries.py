"""Topics as stored (the seeds file's topics until they are stored), and who claimed what
about one: its matching statements, grouped by speaker."""

from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.orm import Session

from app.models.actors import Actor
from app.models.statements import Statement
from app.models.topics import TopicActor as TopicActorRow
from app.models.topics import TopicRow
from app.statements.export import statement_record
from app.statements.filters import ResolvedFilters, StatementFilters, conditions, tsquery
from app.statements.listing import listing_query, order_and_seek
from app.statements.planner import plan_for_values
from app.topics.catalog import Topic, TopicActor, all_topics

# The topic page reads the newest statements about the topic, at most this many.
TOPIC_SAMPLE = 500
CUE_ORDER = ("assert", "deny", "predict", "speculate", "other")
# A preview counts matches up to this many (beyond, "more than").
PREVIEW_COUNT_CAP = 10_000


def _stored(session: Session, where: Any = None) -> list[Topic]:
    query = select(TopicRow).order_by(TopicRow.title, TopicRow.id)
    if where is not None:
        query = query.where(where)
    rows = list(session.scalars(query))
    actors: dict[int, list[TopicActor]] = {}
    if rows:
        named = session.execute(
            select(TopicActorRow.topic_id, Actor.id, Actor.slug, Actor.name)
            .join(Actor, Actor.id == TopicActorRow.actor_id)
            .where(TopicActorRow.topic_id.in_([row.id for row in rows]))
            .order_by(Actor.name)
        )
        for topic_id, actor_id, slug, name in named:
            actors.setdefault(topic_id, []).append(TopicActor(actor_id, slug, name))
    return [
        Topic(
            slug=row.slug,
            title=row.title,
            description=row.description,
            terms=tuple(row.terms),
            actors=tuple(actors.get(row.id, ())),
            id=row.id,
            origin=row.origin,
        )
        for row in rows
    ]


def list_topics(session: Session) -> list[Topic]:
    """Every topic by title: the stored ones, and the seeds file's not stored yet."""
    stored = _stored(session)
    slugs = {topic.slug for topic in stored}
    topics = stored + [topic for topic in all_topics() if topic.slug not in slugs]
    return sorted(topics, key=lambda topic: topic.title.casefold())


def find_topic(session: Session, slug: str) -> Topic | None:
    stored = _stored(session, TopicRow.slug == slug)
    if stored:
        return stored[0]
    return next((topic for topic in all_topics() if topic.slug == slug), None)


def topic_tsquery(terms: tuple[str, ...]) -> ColumnElement[Any]:
    """The OR of the topic's terms, each read as a web-search query."""
    return reduce(lambda left, right: left.op("||")(right), (tsquery(t) for t in terms))


def topic_condition(topic: Topic) -> ColumnElement[bool]:
    """A statement is about the topic: it matches a term, or an included actor said it."""
    matches: list[ColumnElement[bool]] = []
    if topic.terms:
        matches.append(Statement.content_tsv.op("@@")(topic_tsquery(topic.terms)))
    if topic.actors:
        matches.append(Statement.speaker_id.in_([actor.id for actor in topic.actors]))
    return or_(*matches) if matches else false()


@dataclass
class SpeakerGroup:
    key: str
    name: str
    slug: str | None
    kind: str | None
    statements: list[dict[str, Any]] = field(default_factory=list)
    cue_counts: dict[str, int] = field(default_factory=dict)


@dataclass
class TopicClaims:
    groups: list[SpeakerGroup]
    total: int
    # True when there were more than TOPIC_SAMPLE statements and only the newest are shown.
    sampled: bool


def _newest(session: Session, topic: Topic, limit: int) -> list[Any]:
    plan_for_values(session)
    query = order_and_seek(
        listing_query(ResolvedFilters(StatementFilters()), "newest"), "newest", None, None
    )
    return list(session.execute(query.where(topic_condition(topic)).limit(limit)).all())


def topic_claims(session: Session, topic: Topic) -> TopicClaims:
    """The newest statements about the topic, grouped by speaker, busiest speaker first."""
    rows = _newest(session, topic, TOPIC_SAMPLE + 1)
    groups: dict[str, SpeakerGroup] = {}
    for row in rows[:TOPIC_SAMPLE]:
        item = statement_record(row)
        speaker = item["speaker"]
        key = speaker["slug"] if speaker else f"unresolved:{item['speaker_mention']}"
        group = groups.get(key)
        if group is None:
            group = groups[key] = SpeakerGroup(
                key,
                speaker["name"] if speaker else item["speaker_mention"],
                speaker["slug"] if speaker else None,
                speaker["kind"] if speaker else None,
            )
        group.statements.append(item)
        group.cue_counts[item["cue_class"]] = group.cue_counts.get(item["cue_class"], 0) + 1
    ordered = sorted(groups.values(), key=lambda g: (g.slug is None, -len(g.statements), g.name))
    return TopicClaims(ordered, min(len(rows), TOPIC_SAMPLE), len(rows) > TOPIC_SAMPLE)


@dataclass
class TopicPreview:
    """What a topic being written would catch: how many claims, and the newest few."""

    count: int
    capped: bool
    claims: list[dict[str, Any]]


def topic_preview(session: Session, topic: Topic, shown: int = 10) -> TopicPreview:
    # What the claims list shows by default (listed claims), on the statements table alone.
    listed = conditions(ResolvedFilters(StatementFilters()))
    matching = (
        select(Statement.id)
        .where(*listed, topic_condition(topic))
        .limit(PREVIEW_COUNT_CAP + 1)
        .subquery()
    )
    count = session.scalar(select(func.count()).select_from(matching)) or 0
    claims = [statement_record(row) for row in _newest(session, topic, shown)]
    return TopicPreview(min(count, PREVIEW_COUNT_CAP), count > PREVIEW_COUNT_CAP, claims)
