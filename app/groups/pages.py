"""What the pages show of claim groups: a claim with every appearance, its first one, a
timeline and its outlets; the groups' sizes beside a list's statements; an actor's repeated
claims."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Date, cast, func, select
from sqlalchemy.orm import Session

from app.models.actors import Actor
from app.models.articles import Article
from app.models.groups import ClaimGroup
from app.models.statements import Statement
from app.statements.export import statement_record, statement_rows
from app.statements.filters import listed

# A claim page lists at most this many appearances (the counts and timeline cover them all).
MAX_APPEARANCES = 500


@dataclass(frozen=True)
class GroupSize:
    statements: int
    articles: int


@dataclass
class ClaimPage:
    id: int
    text: str  # the first appearance's words
    speaker: dict[str, Any] | None
    polarity: str
    fixed: bool
    statement_count: int
    article_count: int
    outlet_count: int
    first: dict[str, Any] | None
    appearances: list[dict[str, Any]]
    # (day, appearances) of the dated ones, earliest first.
    days: list[tuple[date, int]]
    # (outlet name, appearances), most first; None is "no outlet named".
    outlets: list[tuple[str | None, int]] = field(default_factory=list)
    # Appearances in articles that are wire copies of another: statement id -> original.
    copied_from: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def capped(self) -> bool:
        return self.statement_count > len(self.appearances)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "speaker": self.speaker,
            "polarity": self.polarity,
            "fixed": self.fixed,
            "statement_count": self.statement_count,
            "article_count": self.article_count,
            "outlet_count": self.outlet_count,
            "first_appearance": self.first,
            "appearances": [
                {**item, "copy_of": self.copied_from.get(item["id"])} for item in self.appearances
            ],
            "timeline": [(day.isoformat(), count) for day, count in self.days],
            "outlets": [{"source": name, "statements": n} for name, n in self.outlets],
        }


def claim_page(session: Session, group_id: int) -> ClaimPage | None:
    """A claim group as its page shows it; None when there is no such group."""
    group = session.get(ClaimGroup, group_id)
    if group is None:
        return None
    rows = session.execute(
        statement_rows()
        .add_columns(Article.copy_of_id.label("copy_of_id"))
        .where(Statement.claim_group_id == group_id, listed())
        .order_by(Statement.published_at.asc().nulls_last(), Statement.id)
        .limit(MAX_APPEARANCES)
    ).all()
    appearances = [statement_record(row) for row in rows]
    first = next((item for item in appearances if item["id"] == group.first_statement_id), None)
    if first is None and appearances:
        first = appearances[0]
    speaker = None
    if group.speaker_id is not None:
        actor = session.get(Actor, group.speaker_id)
        if actor is not None:
            speaker = {"id": actor.id, "slug": actor.slug, "name": actor.name, "kind": actor.kind}
    members = (Statement.claim_group_id == group_id, listed())
    day = cast(func.timezone("UTC", Statement.published_at), Date)
    days = [
        (row[0], row[1])
        for row in session.execute(
            select(day, func.count())
            .where(*members, Statement.published_at.is_not(None))
            .group_by(day)
            .order_by(day)
        )
    ]
    outlets = Counter(item["article"]["source"] for item in appearances)
    originals = {row.id: row.copy_of_id for row in rows if row.copy_of_id is not None}
    copied_from: dict[int, dict[str, Any]] = {}
    if originals:
        titles = dict(
            session.execute(
                select(Article.id, Article.title).where(Article.id.in_(set(originals.values())))
            ).all()
        )
        copied_from = {
            statement_id: {"id": article_id, "title": titles.get(article_id, "")}
            for statement_id, article_id in originals.items()
        }
    outlet_count = session.scalar(
        select(func.count(func.distinct(Statement.source_id))).where(*members)
    )
    return ClaimPage(
        id=group.id,
        text=first["content"] if first else group.key,
        speaker=speaker,
        polarity=group.polarity,
        fixed=group.fixed,
        statement_count=group.statement_count,
        article_count=group.article_count,
        outlet_count=outlet_count or 0,
        first=first,
        appearances=appearances,
        days=days,
        outlets=sorted(outlets.items(), key=lambda pair: (-pair[1], pair[0] or "")),
        copied_from=copied_from,
    )


def group_sizes(session: Session, group_ids: Iterable[int | None]) -> dict[int, GroupSize]:
    """How many statements and articles each group has (for a page's "also in N articles")."""
    ids = sorted({group_id for group_id in group_ids if group_id is not None})
    if not ids:
        return {}
    rows = session.execute(
        select(ClaimGroup.id, ClaimGroup.statement_count, ClaimGroup.article_count).where(
            ClaimGroup.id.in_(ids)
        )
    )
    return {row.id: GroupSize(row.statement_count, row.article_count) for row in rows}


def annotate_groups(session: Session, items: list[dict[str, Any]]) -> None:
    """Add each item's group size (`claim_group`: statements, articles) for the pages."""
    sizes = group_sizes(session, (item.get("claim_group_id") for item in items))
    for item in items:
        size = sizes.get(item.get("claim_group_id") or 0)
        item["claim_group"] = (
            {"statements": size.statements, "articles": size.articles} if size else None
        )


@dataclass(frozen=True)
class RepeatedClaim:
    id: int
    text: str
    statement_count: int
    article_count: int
    first_seen: str | None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def repeated_claims(session: Session, actor_id: int, limit: int = 10) -> list[RepeatedClaim]:
    """The actor's claims made in two statements or more, the most repeated first
    (ix_claim_groups_repeated), each with its first appearance's words."""
    first_words = (
        select(Statement.content)
        .where(Statement.id == ClaimGroup.first_statement_id)
        .correlate(ClaimGroup)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            ClaimGroup.id,
            func.coalesce(first_words, ClaimGroup.key).label("text"),
            ClaimGroup.statement_count,
            ClaimGroup.article_count,
            ClaimGroup.first_seen,
        )
        .where(ClaimGroup.speaker_id == actor_id, ClaimGroup.statement_count > 1)
        .order_by(ClaimGroup.statement_count.desc(), ClaimGroup.id)
        .limit(limit)
    ).all()
    return [
        RepeatedClaim(
            row.id,
            row.text,
            row.statement_count,
            row.article_count,
            row.first_seen.isoformat() if row.first_seen else None,
        )
        for row in rows
    ]


def group_of_statement(session: Session, statement_id: int) -> int | None:
    return session.scalar(select(Statement.claim_group_id).where(Statement.id == statement_id))
