"""The review queue: machine claims no editor has decided on, lowest confidence first."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.actors.queries import by_name
from app.models.actors import Actor
from app.models.articles import Article
from app.models.statements import UNREVIEWED, Statement

PAGE_SIZE = 50
COUNT_LIMIT = 10_000
# A distinct list of rules over every unreviewed claim; past this many the filter is typed.
RULE_CHOICES = 200


@dataclass(frozen=True)
class QueueFilters:
    """The queue's state, as its URL carries it."""

    article: int | None = None
    actor: str | None = None  # an actor's slug (a link from a row) or name, or None
    type: str | None = None
    rule: str | None = None
    page: int = 1

    def params(self, **changes: Any) -> dict[str, str]:
        """The query string of these filters (with changes), without empty ones."""
        values = {
            "article": self.article,
            "actor": self.actor,
            "type": self.type,
            "rule": self.rule,
            "page": self.page if self.page > 1 else None,
        }
        values.update(changes)
        return {name: str(value) for name, value in values.items() if value not in (None, "")}


def _conditions(session: Session, filters: QueueFilters) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [Statement.review_status == UNREVIEWED]
    if filters.article is not None:
        where.append(Statement.article_id == filters.article)
    if filters.actor:
        where.append(Statement.speaker_id == (_actor_id(session, filters.actor) or -1))
    if filters.type:
        where.append(Statement.type == filters.type)
    if filters.rule is not None and filters.rule != "":
        where.append(Statement.rule == filters.rule)
    return where


def _actor_id(session: Session, actor: str) -> int | None:
    """The speaker filter: a slug (from a link) or a name or alias only one actor goes by."""
    by_slug = session.scalar(select(Actor.id).where(Actor.slug == actor))
    if by_slug is not None:
        return by_slug
    named = by_name(session, actor)
    return named[0].id if len(named) == 1 else None


@dataclass
class QueuePage:
    items: list[dict[str, Any]]
    total: int
    filters: QueueFilters
    more: bool = False  # more claims wait than total (the count stops at COUNT_LIMIT)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def review_queue(session: Session, filters: QueueFilters) -> QueuePage:
    """One page of the queue: each claim with its sentence around it, speaker and article."""
    where = _conditions(session, filters)
    # The page's ids first, from the queue's index alone; bodies are read for those 50 only.
    page_ids = (
        select(Statement.id, Statement.confidence)
        .where(*where)
        .order_by(Statement.confidence, Statement.id)
        .limit(PAGE_SIZE)
        .offset((filters.page - 1) * PAGE_SIZE)
        .subquery()
    )
    sentence = func.substr(
        Article.body,
        Statement.sentence_start + 1,
        Statement.sentence_end - Statement.sentence_start,
    )
    query = (
        select(
            Statement.id,
            Statement.article_id,
            Statement.start,
            Statement.end,
            Statement.sentence_start,
            Statement.cue,
            Statement.cue_class,
            Statement.kind,
            Statement.type,
            Statement.rule,
            Statement.confidence,
            Statement.speaker_mention,
            Actor.name.label("speaker_name"),
            Actor.slug.label("speaker_slug"),
            Article.title.label("article_title"),
            sentence.label("sentence"),
        )
        .join(page_ids, page_ids.c.id == Statement.id)
        .join(Article, Article.id == Statement.article_id)
        .outerjoin(Actor, Actor.id == Statement.speaker_id)
        .order_by(page_ids.c.confidence, page_ids.c.id)
    )
    items = [_item(row) for row in session.execute(query)]
    # Counted up to a bound: past it the page says "more than", and no count reads it all.
    counted = select(Statement.id).where(*where).limit(COUNT_LIMIT + 1).subquery()
    total = session.scalar(select(func.count()).select_from(counted)) or 0
    return QueuePage(items, min(total, COUNT_LIMIT), filters, more=total > COUNT_LIMIT)


def _item(row: Any) -> dict[str, Any]:
    # The claim's words in its sentence: before, the claim, after (offsets into the body).
    head = max(0, row.start - row.sentence_start)
    tail = head + (row.end - row.start)
    sentence = row.sentence or ""
    return {
        "id": row.id,
        "article": {"id": row.article_id, "title": row.article_title},
        "speaker": (
            {"name": row.speaker_name, "slug": row.speaker_slug} if row.speaker_slug else None
        ),
        "speaker_mention": row.speaker_mention,
        "cue": row.cue,
        "cue_class": row.cue_class,
        "kind": row.kind,
        "type": row.type,
        "rule": row.rule,
        "confidence": round(row.confidence, 3),
        "context": {
            "before": sentence[:head],
            "claim": sentence[head:tail],
            "after": sentence[tail:],
        },
        "start": row.start,
        "end": row.end,
    }


def rules_in_queue(session: Session) -> list[str]:
    """The extractor rules of claims waiting for review, for the filter."""
    query = (
        select(Statement.rule)
        .where(Statement.review_status == UNREVIEWED)
        .group_by(Statement.rule)
        .order_by(Statement.rule)
        .limit(RULE_CHOICES)
    )
    return [rule for rule in session.scalars(query)]
