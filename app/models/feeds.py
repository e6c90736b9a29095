"""Feeds followed for new articles (RSS or Atom), and the entries already taken from them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class Feed(Base):
    """An outlet's feed, polled by the workers every `interval_minutes`."""

    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    interval_minutes: Mapped[int] = mapped_column(Integer, default=60, server_default="60")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_polled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # What the last poll found new, and what went wrong (None: nothing).
    last_new: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    articles_added: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class FeedEntry(Base):
    """An entry of a feed already dealt with (by its id or link), so it is never fetched twice."""

    __tablename__ = "feed_entries"
    __table_args__ = (UniqueConstraint("feed_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(2000))
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    # Why the entry was not stored, when it was not.
    problem: Mapped[str | None] = mapped_column(Text)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
