"""Topics: named searches ("who claimed what about X"), made by editors or loaded from the seeds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ARRAY, DateTime, ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class TopicRow(Base):
    """A topic as stored: seeds/topics.yaml's entries are loaded once, editors' edits win."""

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Web-search queries; a statement is about the topic when it matches any of them.
    terms: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")
    # "seed" (from the file, never edited) or "editor" (made or changed on the site).
    origin: Mapped[str] = mapped_column(String(20), default="editor")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class TopicActor(Base):
    """An actor whose claims a topic includes, whatever their words."""

    __tablename__ = "topic_actors"

    topic_id: Mapped[int] = mapped_column(
        ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True
    )
    actor_id: Mapped[int] = mapped_column(
        ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True, index=True
    )
