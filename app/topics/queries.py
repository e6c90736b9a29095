"""Who claimed what about a topic: its matching statements, grouped by speaker."""

from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from app.models.statements import Statement
from app.statements.export import statement_record
from app.statements.filters import ResolvedFilters, StatementFilters, tsquery
from app.statements.listing import listing_query, order_and_seek
from app.statements.planner import plan_for_values
from app.topics.catalog import Topic

# The topic page reads the newest statements about the topic, at most this many.
TOPIC_SAMPLE = 500
CUE_ORDER = ("assert", "deny", "predict", "speculate", "other")


def topic_tsquery(topic: Topic) -> ColumnElement[Any]:
    """The OR of the topic's terms, each read as a web-search query."""
    return reduce(lambda left, right: left.op("||")(right), (tsquery(t) for t in topic.terms))


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


def topic_claims(session: Session, topic: Topic) -> TopicClaims:
    """The newest statements about the topic, grouped by speaker, busiest speaker first."""
    plan_for_values(session)
    query = order_and_seek(
        listing_query(ResolvedFilters(StatementFilters()), "newest"), "newest", None, None
    )
    query = query.where(Statement.content_tsv.op("@@")(topic_tsquery(topic)))
    rows = session.execute(query.limit(TOPIC_SAMPLE + 1)).all()
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
