"""Statements: who said what, where in which article, and how it was said."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
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
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base

if TYPE_CHECKING:
    from app.models.actors import Actor
    from app.models.articles import Article

STATEMENT_KINDS = ("direct", "indirect", "mixed")
# Undated statements sort as the oldest, so keyset pagination never compares NULLs.
SORT_KEY_SQL = "coalesce(published_at, '-infinity'::timestamptz)"
CUE_CLASSES = ("assert", "deny", "predict", "speculate", "other")
# After PARC 3.0: something communicated (a claim), believed, or intended; "other" is an
# attribution that is not a claim (a noun-phrase object: "warned about a threat"; an
# observation: "footage showed"). Lists show claims unless asked for the others; an actor's
# count and timeline count claims only.
CLAIM_TYPES = ("statement", "belief", "intention", "other")
# A person's decision on a machine statement; anything but "unreviewed" survives re-extraction.
REVIEW_STATUSES = ("unreviewed", "confirmed", "rejected", "corrected")
# Lists show what no editor rejected; their indexes cover only those rows.
LISTED_SQL = "review_status <> 'rejected'"
# What a list row shows, kept in the list indexes so a page reads from the index alone.
LIST_COLUMNS = ("kind", "cue_class", "source_id", "published_at", "type")
UNREVIEWED = "unreviewed"


class Statement(Base):
    __tablename__ = "statements"
    __table_args__ = (
        CheckConstraint("kind IN ('direct', 'indirect', 'mixed')", name="kind"),
        CheckConstraint(
            "cue_class IN ('assert', 'deny', 'predict', 'speculate', 'other')", name="cue_class"
        ),
        CheckConstraint('start >= 0 AND "end" > start', name="span"),
        CheckConstraint("type IN ('statement', 'belief', 'intention', 'other')", name="type"),
        CheckConstraint(
            "review_status IN ('unreviewed', 'confirmed', 'rejected', 'corrected')",
            name="review_status",
        ),
        Index("ix_statements_speaker_id_id", "speaker_id", "id"),
        Index("ix_statements_article_id_start", "article_id", "start"),
        Index("ix_statements_content_tsv", "content_tsv", postgresql_using="gin"),
        Index(
            "ix_statements_published_order",
            text(SORT_KEY_SQL),
            "id",
            postgresql_include=["speaker_id", *LIST_COLUMNS, "claim_group_id"],
            postgresql_where=text(LISTED_SQL),
        ),
        # The claim group too: a collapsed list counts distinct claims from the index alone.
        Index(
            "ix_statements_speaker_published_order",
            "speaker_id",
            text(SORT_KEY_SQL),
            "id",
            postgresql_include=[*LIST_COLUMNS, "claim_group_id"],
            postgresql_where=text(LISTED_SQL),
        ),
        Index(
            "ix_statements_article_id_speaker_id",
            "article_id",
            "speaker_id",
            postgresql_where=text(LISTED_SQL),
        ),
        # The review queue: machine claims no one decided on, lowest confidence first.
        Index(
            "ix_statements_review_queue",
            "confidence",
            "id",
            postgresql_where=text(f"review_status = '{UNREVIEWED}'"),
        ),
        # "Collapse repeats": is there a newer listed appearance of this statement's claim?
        Index(
            "ix_statements_group_newest",
            "claim_group_id",
            text(SORT_KEY_SQL),
            "id",
            postgresql_include=["speaker_id", *LIST_COLUMNS],
            postgresql_where=text(f"{LISTED_SQL} AND claim_group_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    # Null when the extractor could not resolve the speaker; speaker_mention keeps what was written.
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    speaker_mention: Mapped[str] = mapped_column(Text)
    cue: Mapped[str] = mapped_column(String(100))
    cue_class: Mapped[str] = mapped_column(String(20), default="other")
    kind: Mapped[str] = mapped_column(String(20))
    type: Mapped[str] = mapped_column(String(20), default="statement", server_default="statement")
    # The extractor's rule that proposed it ("" for statements older than rule names).
    rule: Mapped[str] = mapped_column(String(60), default="", server_default="")
    # The endnote numbers its sentence cites; their URLs are in the article's endnotes.
    citations: Mapped[list[int]] = mapped_column(ARRAY(Integer), default=list, server_default="{}")
    content: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    sentence_start: Mapped[int] = mapped_column(Integer)
    sentence_end: Mapped[int] = mapped_column(Integer)
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    extractor_version: Mapped[str] = mapped_column(String(40))
    review_status: Mapped[str] = mapped_column(
        String(20), default="unreviewed", server_default="unreviewed"
    )
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The article's date, copied by a database trigger so lists sort and filter by an index.
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The article's source, copied the same way, so facets read it from an index.
    source_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    content_tsv: Mapped[str] = mapped_column(
        TSVECTOR, Computed("to_tsvector('english'::regconfig, content)", persisted=True)
    )
    # The claim group it belongs to (app/groups); null until grouped, or when rejected.
    claim_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("claim_groups.id", ondelete="SET NULL"), index=True
    )
    # An editor pinned its membership: regrouping and re-extraction leave it where it is.
    group_fixed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")

    article: Mapped[Article] = relationship(back_populates="statements")
    speaker: Mapped[Actor | None] = relationship()
