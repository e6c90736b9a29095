"""The audit log of human changes, the editors' decisions it groups, and the old slugs of
merged actors."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base

if TYPE_CHECKING:
    from app.models.accounts import User


class ReviewBatch(Base):
    """One decision of one editor, on one claim or a selection: what Undo takes back whole."""

    __tablename__ = "review_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set on the batch an Undo made: which decision it took back.
    undo_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_batches.id", ondelete="SET NULL")
    )


class AuditEntry(Base):
    """Who changed what, when, with the values before and after."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    user_email: Mapped[str | None] = mapped_column(String(320))
    entity: Mapped[str] = mapped_column(String(20))  # "statement" | "actor" | "article"
    entity_id: Mapped[int] = mapped_column()
    action: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # The decision this change belongs to (null for changes older than batches, and actors').
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_batches.id", ondelete="SET NULL"), index=True
    )
    # Why a claim was rejected, when the editor said.
    reason: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User | None] = relationship(lazy="joined")

    @property
    def who(self) -> str:
        """Who made the change, as shown to everyone: their public name, never the email."""
        if self.user is not None:
            return self.user.public_name
        return "an editor since removed" if self.user_email else "the system"


class ActorRedirect(Base):
    """The slug of an actor merged into another, so old links still lead somewhere."""

    __tablename__ = "actor_redirects"

    old_slug: Mapped[str] = mapped_column(String(300), primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
