"""Reading claim groups: a statement's group and its appearances, counts for `groups stats`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.groups.service import GROUPED_TYPES
from app.models.groups import ClaimGroup
from app.models.statements import Statement


@dataclass(frozen=True)
class GroupStats:
    groups: int
    repeated: int  # groups of more than one statement
    grouped_statements: int
    ungrouped_claims: int
    largest: int
    fixed: int
    multi_article: int  # groups whose statements come from more than one article

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def stats(session: Session) -> GroupStats:
    groups = session.execute(
        select(
            func.count(),
            func.count().filter(ClaimGroup.statement_count > 1),
            func.coalesce(func.sum(ClaimGroup.statement_count), 0),
            func.coalesce(func.max(ClaimGroup.statement_count), 0),
            func.count().filter(ClaimGroup.fixed),
            func.count().filter(ClaimGroup.article_count > 1),
        )
    ).one()
    ungrouped = session.scalar(
        select(func.count())
        .select_from(Statement)
        .where(Statement.claim_group_id.is_(None), Statement.review_status != "rejected")
        .where(Statement.type.in_(GROUPED_TYPES))
    )
    return GroupStats(
        groups=groups[0],
        repeated=groups[1],
        grouped_statements=int(groups[2]),
        ungrouped_claims=ungrouped or 0,
        largest=groups[3],
        fixed=groups[4],
        multi_article=groups[5],
    )


def group_members(session: Session, group_id: int) -> list[Statement]:
    """Every statement of a group, first appearance first (undated last)."""
    return list(
        session.scalars(
            select(Statement)
            .where(Statement.claim_group_id == group_id, Statement.review_status != "rejected")
            .order_by(Statement.published_at.asc().nulls_last(), Statement.id)
        )
    )
