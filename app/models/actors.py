"""Actors (people, organisations, governments, countries, groups), their aliases and mentions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base

ACTOR_KINDS = ("person", "organization", "government", "country", "group", "unknown")


class Actor(Base):
    __tablename__ = "actors"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('person', 'organization', 'government', 'country', 'group', 'unknown')",
            name="kind",
        ),
        Index(
            "ix_actors_name_trgm",
            "name",
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        ),
        Index("ix_actors_statement_count_name", text("statement_count DESC"), "name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="unknown")
    role: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(100))
    # Statements this actor speaks that no editor rejected, kept by a trigger on statements
    # (revision 0006): the directory sorts by it and an actor's page shows it exactly.
    statement_count: Mapped[int] = mapped_column(Integer, server_default="0")
    # Named by the gazetteer or by an editor: ingest never renames it.
    name_fixed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    aliases: Mapped[list[ActorAlias]] = relationship(
        back_populates="actor", cascade="all, delete-orphan", passive_deletes=True
    )


class ActorDay(Base):
    """How many listed statements an actor made on one day (UTC, by the article's date).

    Kept by the same triggers as Actor.statement_count, so an actor's whole timeline is a
    short index range, whatever their number of statements. Days whose statements were all
    moved or rejected stay with 0.
    """

    __tablename__ = "actor_days"
    # With the count in the index, a timeline is an index-only range read.
    __table_args__ = (PrimaryKeyConstraint("actor_id", "day", postgresql_include=["statements"]),)

    actor_id: Mapped[int] = mapped_column(
        ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    statements: Mapped[int] = mapped_column(Integer)


class ActorAlias(Base):
    """A name an actor goes by. Several people may share a surname alias; resolution decides."""

    __tablename__ = "actor_aliases"
    __table_args__ = (
        UniqueConstraint("actor_id", "normalised"),
        # The speaker picker's type-ahead (substring and similarity over every name), and
        # "did you mean …?" when a typed name matches no actor exactly.
        Index(
            "ix_actor_aliases_normalised_trgm",
            "normalised",
            postgresql_using="gin",
            postgresql_ops={"normalised": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(300))
    # Matching key across articles: see app.extract.normalise_alias.
    normalised: Mapped[str] = mapped_column(String(300), index=True)

    actor: Mapped[Actor] = relationship(back_populates="aliases")


class Mention(Base):
    """An actor named in an article, with its place in the body."""

    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
