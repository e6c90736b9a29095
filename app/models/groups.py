"""Claim groups: statements that make the same claim (a speaker repeating it, outlets
reporting it, reprints of one quote), with the group's first appearance and counts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base

POLARITIES = ("positive", "negative")


class ClaimGroup(Base):
    """One claim. Its members point here (statements.claim_group_id).

    Its MinHash LSH band hashes are rows of ClaimGroupBand: finding a statement's candidate
    groups is a btree lookup of its bands.
    """

    __tablename__ = "claim_groups"
    __table_args__ = (
        CheckConstraint("polarity IN ('positive', 'negative')", name="polarity"),
        Index("ix_claim_groups_speaker_id", "speaker_id"),
        # A page of "repeated claims" reads the most repeated first.
        Index(
            "ix_claim_groups_repeated",
            "speaker_id",
            text("statement_count DESC"),
            "id",
            postgresql_where=text("statement_count > 1"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    # The normalised text of the statement that started the group, compared with newcomers.
    key: Mapped[str] = mapped_column(Text)
    polarity: Mapped[str] = mapped_column(String(10))
    # The numbers and dates the claim states, normalised and sorted ("" when none).
    signature: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The names it mentions (capitalised words, folded, sorted): most must be shared to join.
    names: Mapped[str] = mapped_column(Text, default="", server_default="")
    claim_type: Mapped[str] = mapped_column(String(20), default="statement")
    # The earliest appearance (by article date, undated last; then by id).
    first_statement_id: Mapped[int | None] = mapped_column(
        ForeignKey("statements.id", ondelete="SET NULL", use_alter=True)
    )
    first_seen: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    statement_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    article_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # An editor split from or merged into it: `groups rebuild` keeps it as it is.
    fixed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class GroupingRule(Base):
    """Which version of the same-claim rule (app.groups.rules.RULE_VERSION) made the stored
    groups and their bands: one row. A database grouped by an earlier rule is regrouped with
    `claimtracker groups rebuild`."""

    __tablename__ = "grouping_rule"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    version: Mapped[int] = mapped_column(Integer)
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ClaimGroupBand(Base):
    """One MinHash LSH band hash of a group's representative text, mixed with the speaker,
    type and polarity: a hit is always a group that could hold the claim (numbers are compared
    after the lookup: a longer version of a claim may state more of them)."""

    __tablename__ = "claim_group_bands"
    __table_args__ = (Index("ix_claim_group_bands_group_id", "group_id"),)

    band: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("claim_groups.id", ondelete="CASCADE"), primary_key=True
    )
