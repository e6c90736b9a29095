"""Ingest jobs end to end on PostgreSQL: queued with their job, worked through, survive crashes."""

import json
import os
import signal
import subprocess
import sys
import time
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

import app.jobs.service as jobs_service
from app.jobs.service import create_ingest_job
from app.jobs.worker import start_worker_process, stop_worker_process
from app.models.articles import Article
from app.models.jobs import IngestJob, IngestJobFile
from app.models.statements import Statement
from app.settings import PROJECT_ROOT
from tests.jobs.conftest import Drain, seed_variant


def queue_rows(session: Session, job_id: int | None = None) -> list[Any]:
    """procrastinate's rows for one ingest job, or for any."""
    rows = session.execute(
        text("SELECT id, task_name, queue_name, args, status, attempts FROM procrastinate_jobs")
    ).all()
    if job_id is None:
        return list(rows)
    return [row for row in rows if row.args == {"ingest_job_id": job_id}]


def files_of(session: Session, job_id: int) -> list[IngestJobFile]:
    return list(
        session.scalars(
            select(IngestJobFile)
            .where(IngestJobFile.job_id == job_id)
            .order_by(IngestJobFile.position)
        )
    )


def article_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Article)) or 0


def test_a_job_is_queued_in_the_same_transaction(committed: sessionmaker[Session]) -> None:
    with committed() as session:
        queued_before = len(queue_rows(session))
        job = create_ingest_job(session, [("a.txt", b"Title\n\nBody.")], None)
        assert job.queue_job_id is not None
        session.rollback()
    with committed() as session:
        assert session.scalar(select(func.count()).select_from(IngestJob)) == 0
        assert len(queue_rows(session)) == queued_before

    with committed.begin() as session:
        job = create_ingest_job(
            session, [("../../etc/passwd.txt", b"Title\n\nBody."), ("b.md", b"x")], None
        )
        job_id = job.id
    with committed() as session:
        (row,) = queue_rows(session, job_id)
        stored = session.get(IngestJob, job_id)
        assert stored is not None
        assert stored.queue_job_id == row.id
        assert (stored.status, stored.file_count) == ("queued", 2)
        assert row.args == {"ingest_job_id": job_id}
        assert (row.queue_name, row.status) == ("ingest", "todo")
        assert [(f.position, f.filename, f.size) for f in files_of(session, job_id)] == [
            (1, "passwd.txt", 12),
            (2, "b.md", 1),
        ]


def test_a_failed_queue_insert_stores_no_job(committed: sessionmaker[Session]) -> None:
    with committed() as session:
        queued_before = len(queue_rows(session))
        # Without procrastinate's table the defer fails, and the job must go with it.
        session.execute(text("ALTER TABLE procrastinate_jobs RENAME TO procrastinate_jobs_away"))
        with pytest.raises(ProgrammingError, match="procrastinate_jobs"):
            create_ingest_job(session, [("a.txt", b"Title\n\nBody.")], None)
        session.rollback()
    with committed() as session:
        assert session.scalar(select(func.count()).select_from(IngestJob)) == 0
        assert len(queue_rows(session)) == queued_before


def test_a_worker_run_stores_good_files_and_explains_bad_ones(
    committed: sessionmaker[Session], drain: Drain
) -> None:
    records = [
        {"title": "Kremlin reacts", "body": "Dmitri Peskov said the claims were false."},
        {"title": "Kyiv answers", "body": "Ukraine's defence ministry said it was ready."},
    ]
    files = [
        ("seed.txt", seed_variant(1)),
        ("again.txt", seed_variant(1)),
        ("report.pdf", b"%PDF-1.4"),
        ("empty.txt", b"   \n"),
        ("broken.json", b'{"title": "x", "body": '),
        ("two.jsonl", "\n".join(json.dumps(r) for r in records).encode()),
        ("bad-date.json", json.dumps({"body": "Text.", "published_at": "soon"}).encode()),
    ]
    with committed.begin() as session:
        job_id = create_ingest_job(session, files, None).id

    drain()

    with committed() as session:
        job = session.get(IngestJob, job_id)
        assert job is not None
        assert job.status == "done"
        assert job.started_at is not None and job.finished_at is not None
        assert (job.created_count, job.existing_count, job.failed_count) == (2, 1, 4)
        outcomes = [(f.filename, f.status, f.message) for f in files_of(session, job_id)]
        assert outcomes == [
            ("seed.txt", "created", None),
            ("again.txt", "existing", "already stored"),
            (
                "report.pdf",
                "failed",
                "report.pdf: unsupported file type .pdf "
                "(supported: .txt, .md, .html, .htm, .json, .jsonl)",
            ),
            ("empty.txt", "failed", "empty.txt: the file is empty"),
            ("broken.json", "failed", "broken.json:1: invalid JSON (Expecting value, column 24)"),
            ("two.jsonl", "created", "2 articles: 2 new, 0 already stored"),
            (
                "bad-date.json",
                "failed",
                "bad-date.json[0]: published_at 'soon' is not an ISO date (expected e.g. "
                "2022-12-15)",
            ),
        ]
        seed, again, *_, two, _ = files_of(session, job_id)
        article = session.get(Article, seed.article_id)
        assert article is not None and article.title.startswith("Belarus’s leader")
        assert seed.statements > 0
        assert seed.statements == session.scalar(
            select(func.count()).select_from(Statement).where(Statement.article_id == article.id)
        )
        assert again.article_id == seed.article_id
        assert two.article_count == 2
        assert article_count(session) == 3
        # The text lives in the article now; a failed file keeps what was sent.
        contents = session.execute(
            select(IngestJobFile.filename, IngestJobFile.content).where(
                IngestJobFile.job_id == job_id
            )
        ).all()
        assert {name for name, content in contents if content is not None} == {
            "report.pdf",
            "empty.txt",
            "broken.json",
            "bad-date.json",
        }
        assert queue_rows(session, job_id) == []  # finished jobs leave the queue


class SimulatedCrash(BaseException):
    """Stands for the process dying: not an error the task could catch and record."""


def test_a_crash_mid_job_leaves_no_half_article_and_the_retry_completes_it(
    committed: sessionmaker[Session], drain: Drain, monkeypatch: pytest.MonkeyPatch
) -> None:
    with committed.begin() as session:
        job_id = create_ingest_job(
            session, [(f"{n}.txt", seed_variant(n)) for n in (1, 2, 3)], None
        ).id
    real_store = jobs_service.store_article
    calls = []

    def store_then_crash(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        outcome = real_store(*args, **kwargs)
        if len(calls) == 2:
            raise SimulatedCrash("killed after storing the second article")
        return outcome

    monkeypatch.setattr(jobs_service, "store_article", store_then_crash)
    drain()  # the worker survives its job's crash, and queues the job again
    assert len(calls) == 2

    with committed() as session:
        assert [f.status for f in files_of(session, job_id)] == ["created", "pending", "pending"]
        assert article_count(session) == 1  # the second article went with its transaction
        assert session.scalar(select(IngestJob.status).where(IngestJob.id == job_id)) == "running"
        (row,) = queue_rows(session, job_id)
        assert (row.status, row.attempts) == ("todo", 1)  # queued again, to retry later
        session.execute(
            text("UPDATE procrastinate_jobs SET scheduled_at = now() WHERE id = :id"),
            {"id": row.id},
        )
        session.commit()

    monkeypatch.setattr(jobs_service, "store_article", real_store)
    drain()

    with committed() as session:
        job = session.get(IngestJob, job_id)
        assert job is not None
        assert (job.status, job.created_count, job.failed_count) == ("done", 3, 0)
        assert article_count(session) == 3
        stored = {f.article_id for f in files_of(session, job_id)}
        assert stored == set(session.scalars(select(Article.id)))


def worker_process(database_url: str) -> subprocess.Popen[bytes]:
    """`claimtracker worker` in a process of its own, as on another machine."""
    return subprocess.Popen(
        [sys.executable, "-c", "from app.jobs.worker import run_worker; run_worker()"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill_worker_mid_job(committed: sessionmaker[Session], job_id: int, database_url: str) -> None:
    """Start a worker and SIGKILL it as soon as it has stored the job's first file."""
    worker = worker_process(database_url)
    try:
        deadline = time.monotonic() + 60
        done = 0
        while done == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
            with committed() as session:
                done = session.scalar(select(IngestJob.created_count).where(IngestJob.id == job_id))
        assert done, "the worker did not store a file within 60 s"
        worker.send_signal(signal.SIGKILL)
    finally:
        worker.kill()
        worker.wait()


def test_a_worker_killed_mid_job_is_recovered_by_the_next_worker(
    committed: sessionmaker[Session], drain: Drain, database_url: str
) -> None:
    count = 12
    with committed.begin() as session:
        job_id = create_ingest_job(
            session, [(f"{n}.txt", seed_variant(n)) for n in range(count)], None
        ).id
    kill_worker_mid_job(committed, job_id, database_url)

    with committed() as session:
        files = files_of(session, job_id)
        done_files = [f for f in files if f.status == "created"]
        assert 0 < len(done_files) < count, "kill came too late to interrupt the job"
        # Every stored article belongs to a file marked done: nothing half stored.
        assert {f.article_id for f in done_files} == set(session.scalars(select(Article.id)))
        (row,) = queue_rows(session, job_id)
        assert row.status == "doing"
        # Let the dead worker's heartbeat age past the stalled limit instead of waiting 30 s.
        session.execute(
            text("UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 hour'")
        )
        session.commit()

    drain()

    with committed() as session:
        job = session.get(IngestJob, job_id)
        assert job is not None
        assert (job.status, job.created_count, job.failed_count) == ("done", count, 0)
        assert article_count(session) == count
        assert queue_rows(session, job_id) == []


def wait_for_status(
    committed: sessionmaker[Session], job_id: int, wanted: str, seconds: float = 90
) -> str | None:
    deadline = time.monotonic() + seconds
    status = None
    while time.monotonic() < deadline:
        with committed() as session:
            status = session.scalar(select(IngestJob.status).where(IngestJob.id == job_id))
        if status == wanted:
            break
        time.sleep(0.1)
    return status


def test_the_serve_worker_process_survives_lost_connections_and_stops_cleanly(
    committed: sessionmaker[Session], database_url: str, engine: Engine
) -> None:
    process = start_worker_process(database_url)
    try:
        with committed.begin() as session:
            first = create_ingest_job(session, [("1.txt", seed_variant(1))], None).id
        assert wait_for_status(committed, first, "done") == "done"

        # Cut every connection the worker holds, as a database restart would.
        with committed.begin() as session:
            session.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
        engine.dispose()  # this test's own pooled connections went too
        with committed.begin() as session:
            second = create_ingest_job(session, [("2.txt", seed_variant(2))], None).id
        assert wait_for_status(committed, second, "done") == "done"
    finally:
        stop_worker_process(process)
    assert process.exitcode == 0


def test_a_killed_workers_job_is_taken_up_by_a_running_worker_in_bounded_time(
    committed: sessionmaker[Session], database_url: str
) -> None:
    """As in a power cut: SIGKILL mid-job, start a new worker, touch nothing; the new worker
    finds the dead one's job on its own and finishes it, storing no file twice."""
    count = 10
    with committed.begin() as session:
        job_id = create_ingest_job(
            session, [(f"{n}.txt", seed_variant(n)) for n in range(count)], None
        ).id
    kill_worker_mid_job(committed, job_id, database_url)
    killed_at = time.monotonic()
    second = worker_process(database_url)
    try:
        status = wait_for_status(committed, job_id, "done", seconds=150)
        took = time.monotonic() - killed_at
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=60)
    assert status == "done"
    # Taken up within STALLED_SECONDS + RECOVER_SECONDS of the kill, plus the files' own time.
    assert took < 120, took
    with committed() as session:
        job = session.get(IngestJob, job_id)
        assert job is not None
        assert (job.created_count, job.failed_count) == (count, 0)
        assert article_count(session) == count
    assert second.returncode == 0


def test_a_job_whose_outcome_was_lost_is_queued_again_once_seen_twice(
    committed: sessionmaker[Session], database_url: str
) -> None:
    """The database went away as a job ended: the queue still says 'doing' for this live
    worker, which no longer works on it. Its recovery sweep queues it again (the second time
    it sees it, so an outcome being recorded at that moment is not mistaken for a loss)."""
    import asyncio

    from procrastinate import PsycopgConnector

    from app.jobs import tasks
    from app.jobs.queue import job_queue
    from app.jobs.worker import libpq_url

    with committed.begin() as session:
        lost = create_ingest_job(session, [("1.txt", seed_variant(1))], None).queue_job_id
        in_hand = create_ingest_job(session, [("2.txt", seed_variant(2))], None).queue_job_id
        worker_id = session.scalar(
            text("INSERT INTO procrastinate_workers DEFAULT VALUES RETURNING id")
        )
        session.execute(
            text("UPDATE procrastinate_jobs SET status = 'doing', worker_id = :worker"),
            {"worker": worker_id},
        )
    assert lost is not None and in_hand is not None and worker_id is not None

    async def two_sweeps() -> list[tuple[list[int], set[int]]]:
        connector = PsycopgConnector(conninfo=libpq_url(database_url))
        with job_queue.replace_connector(connector):
            async with job_queue.open_async():
                first = await tasks.recover_orphaned_jobs(job_queue, set())
                second = await tasks.recover_orphaned_jobs(job_queue, first[1])
        return [first, second]

    tasks._worker_ids.add(worker_id)
    tasks._in_hand.add(in_hand)
    try:
        first, second = asyncio.run(two_sweeps())
    finally:
        tasks._worker_ids.discard(worker_id)
        tasks._in_hand.discard(in_hand)
    assert first == ([], {lost})
    assert second == ([lost], set())
    with committed() as session:
        statuses = dict(session.execute(text("SELECT id, status FROM procrastinate_jobs")).all())
    assert statuses == {lost: "todo", in_hand: "doing"}
