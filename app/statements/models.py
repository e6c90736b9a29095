"""Statements: who said what, where in which article, and how it was said."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Computed,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base

if TYPE_CHECKING:
    from app.actors.models import Actor
    from app.articles.models import Article

STATEMENT_KINDS = ("direct", "indirect", "mixed")
CUE_CLASSES = ("assert", "deny", "predict", "speculate", "other")


class Statement(Base):
    __tablename__ = "statements"
    __table_args__ = (
        CheckConstraint("kind IN ('direct', 'indirect', 'mixed')", name="kind"),
        CheckConstraint(
            "cue_class IN ('assert', 'deny', 'predict', 'speculate', 'other')", name="cue_class"
        ),
        CheckConstraint('start >= 0 AND "end" > start', name="span"),
        Index("ix_statements_speaker_id_id", "speaker_id", "id"),
        Index("ix_statements_article_id_start", "article_id", "start"),
        Index("ix_statements_content_tsv", "content_tsv", postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    # Null when the extractor could not resolve the speaker; speaker_mention keeps what was written.
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    speaker_mention: Mapped[str] = mapped_column(Text)
    cue: Mapped[str] = mapped_column(String(100))
    cue_class: Mapped[str] = mapped_column(String(20), default="other")
    kind: Mapped[str] = mapped_column(String(20))
    content: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    sentence_start: Mapped[int] = mapped_column(Integer)
    sentence_end: Mapped[int] = mapped_column(Integer)
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    extractor_version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    content_tsv: Mapped[str] = mapped_column(
        TSVECTOR, Computed("to_tsvector('english'::regconfig, content)", persisted=True)
    )

    article: Mapped[Article] = relationship(back_populates="statements")
    speaker: Mapped[Actor | None] = relationship()
