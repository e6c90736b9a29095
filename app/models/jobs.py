"""Background ingest jobs: one row per upload batch and one per uploaded file with its outcome."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base

JOB_STATUSES = ("queued", "running", "done", "failed")
FILE_STATUSES = ("pending", "created", "existing", "failed")


class IngestJob(Base):
    """A batch of uploaded files to ingest in the background; counts are kept as files finish.

    Status: queued (waiting for a worker), running, done (every file has an outcome, some may
    have failed), failed (the job itself gave up, e.g. retries exhausted; `message` says why).
    """

    __tablename__ = "ingest_jobs"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), default="queued", server_default="queued")
    file_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    existing_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    failed_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    message: Mapped[str | None] = mapped_column(Text)
    # procrastinate's job id, for operators; not a foreign key since procrastinate owns that table.
    queue_job_id: Mapped[int | None] = mapped_column(BigInteger)

    files: Mapped[list[IngestJobFile]] = relationship(
        back_populates="job",
        order_by="IngestJobFile.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def pending_count(self) -> int:
        return self.file_count - self.created_count - self.existing_count - self.failed_count

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")


class IngestJobFile(Base):
    """One uploaded file: its bytes (so a worker on any machine can read them) and its outcome.

    The bytes of a file that went in are dropped once its article is stored (the article keeps
    the text); a failed file keeps them so an operator can look at what was sent.
    """

    __tablename__ = "ingest_job_files"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'created', 'existing', 'failed')", name="status"),
    )

    job_id: Mapped[int] = mapped_column(
        ForeignKey("ingest_jobs.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    status: Mapped[str] = mapped_column(String(20), default="pending", server_default="pending")
    message: Mapped[str | None] = mapped_column(Text)
    # The first article of the file (a .json or .jsonl file may hold several).
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    article_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    statements: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    job: Mapped[IngestJob] = relationship(back_populates="files")
