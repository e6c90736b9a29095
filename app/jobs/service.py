"""Ingest jobs: storing an upload batch with its queue entry, and working through its files."""

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from app.extract import ArticleExtraction
from app.ingest.readers import ArticleInput, InputError, safe_filename
from app.ingest.service import (
    Outcome,
    extract_articles,
    prepare_file,
    store_article,
    store_curated_actors,
)
from app.jobs.queue import INGEST_QUEUE, INGEST_TASK
from app.models import IngestJob, IngestJobFile, User

logger = logging.getLogger(__name__)

# A file whose store hits a unique conflict (another worker stored the same actor or article
# at the same moment) is tried again; the second try finds the row the other one stored.
_STORE_TRIES = 3


# procrastinate's own SQL function for deferring (what Task.defer calls), run through the
# session: the queue entry commits or rolls back with the job, and a database error is an
# SQLAlchemy error like any other (the web app answers 503 for those).
DEFER_JOB = text(
    "SELECT unnest(procrastinate_defer_jobs_v1(ARRAY["
    "CAST(ROW(:queue, :task, 0, :lock, NULL, CAST(:args AS jsonb), NULL)"
    " AS procrastinate_job_to_defer_v1)]))"
)


class JobStopped(Exception):
    """The worker is stopping; the job goes back to the queue with its remaining files."""


def create_ingest_job(
    session: Session, files: Sequence[tuple[str, bytes]], user: User | None
) -> IngestJob:
    """Store a job and its files and queue it, all in the caller's transaction.

    The queue entry is written through the same session, so the job is queued exactly when it
    is stored: a rollback leaves neither, a commit both.
    """
    if not files:
        raise ValueError("an ingest job needs at least one file")
    job = IngestJob(
        created_by_id=user.id if user is not None else None,
        status="queued",
        file_count=len(files),
    )
    job.files = [
        IngestJobFile(
            position=position,
            filename=safe_filename(name),
            size=len(data),
            content=data,
            status="pending",
        )
        for position, (name, data) in enumerate(files, start=1)
    ]
    session.add(job)
    session.flush()
    job.queue_job_id = session.scalar(
        DEFER_JOB,
        {
            "queue": INGEST_QUEUE,
            "task": INGEST_TASK,
            # One run per job at a time, even if a stalled run were queued again by mistake.
            "lock": f"ingest-job-{job.id}",
            "args": json.dumps({"ingest_job_id": job.id}),
        },
    )
    return job


def get_ingest_job(session: Session, job_id: int) -> IngestJob | None:
    """A job with its files (without their bytes), or None."""
    return session.scalar(
        select(IngestJob).where(IngestJob.id == job_id).options(selectinload(IngestJob.files))
    )


def is_connection_error(error: BaseException) -> bool:
    """Whether the database went away (worth retrying the job), not a problem with the file."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def _reason(error: BaseException) -> str:
    text_ = str(getattr(error, "orig", None) or error).strip()
    return text_.splitlines()[0] if text_ else type(error).__name__


@dataclass
class FileResult:
    """What became of one file, ready to be written on its row."""

    status: str
    message: str | None = None
    article_id: int | None = None
    article_count: int = 0
    statements: int = 0


def _read_file(filename: str, content: bytes) -> tuple[list[ArticleInput], list[ArticleExtraction]]:
    """Parse and extract outside any transaction: it is the slow part (spaCy)."""
    articles = prepare_file(filename, content)
    return articles, extract_articles(articles)


def _summarise(outcomes: list[Outcome]) -> FileResult:
    created = [outcome for outcome in outcomes if outcome.status == "created"]
    statements = sum(outcome.statements for outcome in outcomes)
    first = outcomes[0].article_id
    if len(outcomes) == 1:
        if created:
            return FileResult("created", None, first, 1, statements)
        return FileResult("existing", "already stored", first, 1, 0)
    existing = len(outcomes) - len(created)
    message = f"{len(outcomes)} articles: {len(created)} new, {existing} already stored"
    status = "created" if created else "existing"
    return FileResult(status, message, first, len(outcomes), statements)


def _store_file(
    session: Session, articles: list[ArticleInput], extractions: list[ArticleExtraction]
) -> FileResult:
    """Store a file's articles in a savepoint, so a failure leaves the file's row writable."""
    for attempt in range(1, _STORE_TRIES + 1):
        try:
            with session.begin_nested():
                outcomes = [
                    store_article(session, article, extraction)
                    for article, extraction in zip(articles, extractions, strict=True)
                ]
            return _summarise(outcomes)
        except IntegrityError as error:
            if attempt == _STORE_TRIES:
                return FileResult("failed", f"not stored: {_reason(error)}")
        except Exception as error:
            if is_connection_error(error):
                raise
            return FileResult("failed", f"not stored: {_reason(error)}")
    raise AssertionError("unreachable")


def _next_pending(factory: sessionmaker[Session], job_id: int) -> int | None:
    """The position of the job's first file still pending, or None."""
    with factory() as session:
        return session.scalar(
            select(IngestJobFile.position)
            .where(IngestJobFile.job_id == job_id, IngestJobFile.status == "pending")
            .order_by(IngestJobFile.position)
            .limit(1)
        )


def _record(session: Session, file: IngestJobFile, result: FileResult) -> None:
    """Write a file's outcome and count it on its job."""
    file.status = result.status
    file.message = result.message
    file.article_id = result.article_id
    file.article_count = result.article_count
    file.statements = result.statements
    file.finished_at = datetime.now(UTC)
    if result.status != "failed":
        file.content = None  # the article holds the text now
    counter = {
        "created": IngestJob.created_count,
        "existing": IngestJob.existing_count,
        "failed": IngestJob.failed_count,
    }[result.status]
    session.execute(
        update(IngestJob).where(IngestJob.id == file.job_id).values({counter: counter + 1})
    )


def ingest_one_file(factory: sessionmaker[Session], job_id: int, position: int) -> None:
    """Parse, extract and store one pending file; its articles and its outcome commit together."""
    with factory() as session:
        found = session.execute(
            select(IngestJobFile.filename, IngestJobFile.content).where(
                IngestJobFile.job_id == job_id, IngestJobFile.position == position
            )
        ).one()
    result: FileResult | None = None
    try:
        articles, extractions = _read_file(found.filename, found.content or b"")
    except InputError as error:
        result = FileResult("failed", f"{error.where}: {error.reason}")
    except Exception as error:  # a bug in extraction must not block the rest of the batch
        logger.exception("extraction failed for %s in ingest job %s", found.filename, job_id)
        result = FileResult("failed", f"the statements could not be extracted: {_reason(error)}")
    with factory.begin() as session:
        # Locked, and checked still pending, so two runs of a job never store a file twice.
        file = session.get(IngestJobFile, (job_id, position), with_for_update=True)
        if file is None or file.status != "pending":
            return
        if result is None:
            result = _store_file(session, articles, extractions)
        _record(session, file, result)


def _start(factory: sessionmaker[Session], job_id: int) -> bool:
    """Mark the job running and make sure the curated actors exist; False if the job is gone."""
    with factory.begin() as session:
        job = session.get(IngestJob, job_id, with_for_update=True)
        if job is None:
            return False
        if job.status == "queued":
            job.status = "running"
            job.started_at = datetime.now(UTC)
        store_curated_actors(session)
    return True


def _finish(factory: sessionmaker[Session], job_id: int) -> None:
    with factory.begin() as session:
        job = session.get(IngestJob, job_id, with_for_update=True)
        if job is None or job.finished:
            return
        pending = session.scalar(
            select(func.count())
            .select_from(IngestJobFile)
            .where(IngestJobFile.job_id == job_id, IngestJobFile.status == "pending")
        )
        if pending == 0:
            job.status = "done"
            job.finished_at = datetime.now(UTC)


def process_ingest_job(
    factory: sessionmaker[Session],
    job_id: int,
    should_stop: Callable[[], bool] = lambda: False,
) -> None:
    """Work through a job's pending files one by one, then mark it done.

    Each file commits on its own (articles and outcome together), so a run that dies leaves
    every file either done or pending, and the next run takes up the pending ones. Raises
    JobStopped between files when asked to stop, and lets database connection errors through
    so the queue retries the job later.
    """
    if not _start(factory, job_id):
        logger.warning("ingest job %s no longer exists; nothing to do", job_id)
        return
    while (position := _next_pending(factory, job_id)) is not None:
        if should_stop():
            raise JobStopped(f"stopped before file {position} of ingest job {job_id}")
        ingest_one_file(factory, job_id, position)
    _finish(factory, job_id)


def mark_job_failed(factory: sessionmaker[Session], job_id: int, reason: str) -> None:
    """Give up on a job (retries exhausted); files left pending stay so."""
    with factory.begin() as session:
        job = session.get(IngestJob, job_id, with_for_update=True)
        if job is not None and not job.finished:
            job.status = "failed"
            job.finished_at = datetime.now(UTC)
            job.message = reason
