"""Ingest workers: `claimtracker worker` (any number, on any machine) and one beside `serve`.

A worker loads spaCy once, then takes jobs from the queue in PostgreSQL until it is stopped
(SIGINT/SIGTERM: it finishes the file in hand, and the job goes back to the queue; a second
signal, or no stop within HARD_STOP_SECONDS, ends it at once). If the database goes away it
starts again by itself once the database answers. On every start, and every RECOVER_SECONDS,
the jobs of workers that died (no heartbeat for STALLED_SECONDS) are queued again.
"""

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
import threading
import time
from multiprocessing.process import BaseProcess

from procrastinate import PsycopgConnector
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.db import database_url, make_engine, make_sessionmaker
from app.jobs.queue import HEARTBEAT_SECONDS, STALLED_SECONDS, job_queue
from app.jobs.tasks import recover_orphaned_jobs, recover_stalled_jobs

logger = logging.getLogger(__name__)

# How long a stopping worker lets the job in hand run on before asking it to stop between files.
SHUTDOWN_GRACE_SECONDS = 10.0
# How often a worker looks for the jobs of workers that died: with STALLED_SECONDS, a job is
# taken up again at most STALLED_SECONDS + RECOVER_SECONDS after its worker died.
RECOVER_SECONDS = 10.0
# How often a worker looks for feeds due for a poll (each feed has its own interval).
FEED_CHECK_SECONDS = 60.0
# A worker asked to stop that has not stopped this long after (a stuck connection, a thread
# that never returns) ends its process anyway: a stop always finishes.
HARD_STOP_SECONDS = SHUTDOWN_GRACE_SECONDS + 20.0
# The longest wait for a connection of the pool (not 30 s): a stopping worker whose database
# is away must not wait that long to record its job's state, then give up.
POOL_WAIT_SECONDS = 3.0
# Two stop signals this close together are one stop (see _Stop).
SAME_STOP_SECONDS = 1.0
# Waits between attempts to reach a database that is away: 1 s, 2 s, 4 s ... at most 15 s.
MAX_BACKOFF_SECONDS = 15.0


def libpq_url(sqlalchemy_url: str) -> str:
    """The database URL as psycopg's pool wants it (no "+psycopg" driver part)."""
    return (
        make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(hide_password=False)
    )


async def _run_once(
    factory: sessionmaker[Session], conninfo: str, concurrency: int, wait: bool
) -> None:
    """One worker session on a fresh connection pool, from start to stop (or a failure)."""
    connector = PsycopgConnector(
        conninfo=conninfo,
        min_size=1,
        max_size=concurrency + 4,
        kwargs={"connect_timeout": 5},
        timeout=POOL_WAIT_SECONDS,
    )
    with job_queue.replace_connector(connector):
        async with job_queue.open_async():
            await recover_stalled_jobs(job_queue)
            recovering = asyncio.create_task(_recover_periodically())
            polling = asyncio.create_task(_poll_feeds_periodically(factory))
            try:
                await job_queue.run_worker_async(
                    name=f"ingest-{os.getpid()}",
                    concurrency=concurrency,
                    wait=wait,
                    additional_context={"sessionmaker": factory},
                    install_signal_handlers=False,
                    shutdown_graceful_timeout=SHUTDOWN_GRACE_SECONDS,
                    update_heartbeat_interval=HEARTBEAT_SECONDS,
                    stalled_worker_timeout=STALLED_SECONDS,
                    delete_jobs="successful",
                )
            finally:
                for side in (recovering, polling):
                    side.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await side


async def _poll_feeds_periodically(factory: sessionmaker[Session]) -> None:
    """Poll the feeds that are due, every FEED_CHECK_SECONDS, in a thread (fetching and
    extracting are blocking work); feeds are locked, so several workers share them."""
    from app.feeds.service import poll_due_feeds
    from app.ingest.fetch import fetcher_from_settings

    loop = asyncio.get_running_loop()
    while True:
        await asyncio.sleep(FEED_CHECK_SECONDS)
        try:
            results = await loop.run_in_executor(
                None, poll_due_feeds, factory, fetcher_from_settings()
            )
        except Exception as error:  # the database is away: the worker's own loop notices
            logger.warning("could not poll the feeds: %s", error)
            continue
        for result in results:
            logger.info(
                "polled feed %s: %d new, %s", result.feed_id, result.new, result.error or "ok"
            )


async def _recover_periodically() -> None:
    """Queue again the jobs of dead workers, every RECOVER_SECONDS, whatever this worker is
    doing: a queued recovery task would wait behind the long ingest jobs of a busy worker.
    Also the jobs this worker lost track of (app.jobs.tasks.recover_orphaned_jobs)."""
    suspects: set[int] = set()
    while True:
        await asyncio.sleep(RECOVER_SECONDS)
        try:
            recovered = await recover_stalled_jobs(job_queue)
            orphans, suspects = await recover_orphaned_jobs(job_queue, suspects)
        except Exception as error:  # the database is away: the worker's own loop notices
            logger.warning("could not look for the jobs of dead workers: %s", error)
            continue
        if recovered:
            logger.warning("took up again jobs %s of workers that died", recovered)
        if orphans:
            logger.warning("took up again jobs %s whose outcome was lost", orphans)


async def _watch_parent(parent_pid: int, stop: asyncio.Event) -> None:
    """Stop when the process that started this one is gone (serve was killed)."""
    while not stop.is_set():
        if os.getppid() != parent_pid:
            logger.warning("the server process %s is gone; stopping the worker", parent_pid)
            stop.set()
        await asyncio.sleep(1)


class _Stop(asyncio.Event):
    """The worker's stop: once asked, the process ends within HARD_STOP_SECONDS whatever
    happens; a second signal ends it at once, unless it comes within SAME_STOP_SECONDS of the
    first (one stop reaching it twice: a terminal's Ctrl-C, or a service manager's SIGTERM,
    to the whole process group, and serve passing its own on)."""

    asked_at = 0.0

    def set(self) -> None:
        if self.is_set():
            if time.monotonic() - self.asked_at < SAME_STOP_SECONDS:
                return
            logger.warning("asked again to stop: stopping now")
            os._exit(1)
        self.asked_at = time.monotonic()
        super().set()
        timer = threading.Timer(HARD_STOP_SECONDS, _hard_stop)
        timer.daemon = True
        timer.start()


def _hard_stop() -> None:
    logger.error(
        "the worker did not stop within %.0f s of being asked; ending it", HARD_STOP_SECONDS
    )
    logging.shutdown()
    os._exit(1)


async def _serve(
    factory: sessionmaker[Session],
    conninfo: str,
    concurrency: int,
    parent_pid: int | None,
) -> None:
    """Run worker sessions until asked to stop, starting again after any failure."""
    stop = _Stop()
    if threading.current_thread() is threading.main_thread():
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
    watcher = (
        asyncio.create_task(_watch_parent(parent_pid, stop)) if parent_pid is not None else None
    )
    backoff = 1.0
    try:
        while not stop.is_set():
            run = asyncio.create_task(_run_once(factory, conninfo, concurrency, wait=True))
            stopping = asyncio.create_task(stop.wait())
            await asyncio.wait({run, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if stop.is_set() and not run.done():
                # Cancelling run_worker_async is procrastinate's graceful stop.
                run.cancel()
            try:
                await run
                backoff = 1.0
            except asyncio.CancelledError:
                if not stop.is_set():
                    raise
            except Exception as error:
                logger.warning(
                    "the worker stopped (%s); starting again in %.0f s",
                    str(error).splitlines()[0] if str(error) else type(error).__name__,
                    backoff,
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
    finally:
        if watcher is not None:
            watcher.cancel()
    logger.info("worker stopped")


def run_worker(
    concurrency: int = 1,
    *,
    wait: bool = True,
    url: str | None = None,
    parent_pid: int | None = None,
) -> None:
    """Take ingest jobs from the queue (blocking) until SIGINT/SIGTERM.

    concurrency: jobs at a time in this process (each file is CPU-bound spaCy work, so more
    processes, on this or other machines, scale better than more concurrency). wait=False:
    return once the queue holds nothing to do now (tests, one-off runs); errors are raised.
    url: the database (SQLAlchemy URL); by default DATABASE_URL or the embedded server.
    """
    from app.extract import load_nlp

    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    url = url or database_url()
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    conninfo = libpq_url(url)
    load_nlp()  # once, before the first job, so every job runs at full speed
    try:
        if wait:
            asyncio.run(_serve(factory, conninfo, concurrency, parent_pid))
        else:
            asyncio.run(_run_once(factory, conninfo, concurrency, wait=False))
    finally:
        engine.dispose()


def _worker_process_main(url: str, parent_pid: int) -> None:
    code = 1
    try:
        run_worker(url=url, parent_pid=parent_pid)
        code = 0
    finally:
        # End here, whatever threads a library left behind (a connection pool's workers):
        # a worker whose server is gone must not linger.
        logging.shutdown()
        os._exit(code)


def start_worker_process(url: str | None = None) -> BaseProcess:
    """Start one worker in a child process (for `serve`); it stops when the server stops.

    A separate process keeps spaCy's CPU work off the server's event loop. The child is a
    daemon, so it is stopped when the server exits; it also stops on its own if the server
    is killed. url: the server's database (SQLAlchemy URL), so both use the same one.
    """
    context = multiprocessing.get_context("spawn")
    process = context.Process(
        target=_worker_process_main,
        args=(url or database_url(), os.getpid()),
        name="claimtracker-worker",
        daemon=True,
    )
    process.start()
    return process


def ask_worker_to_stop(process: BaseProcess) -> None:
    """SIGTERM, once: the worker finishes the file in hand, and its job goes back to the queue.
    (A second SIGTERM would end it at once.)"""
    if process.is_alive():
        process.terminate()


def stop_worker_process(
    process: BaseProcess, timeout: float = SHUTDOWN_GRACE_SECONDS + 5, asked: bool = False
) -> None:
    """Stop a worker started by start_worker_process: SIGTERM (unless asked already), then
    SIGKILL if it is still running after `timeout` seconds."""
    if not asked:
        ask_worker_to_stop(process)
    process.join(timeout)
    if process.is_alive():
        logger.warning("the worker did not stop within %.0f s; killing it", timeout)
        process.kill()
        process.join()
