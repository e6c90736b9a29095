"""The queue's task, ingesting an upload batch; and queueing again the jobs of dead workers
(every worker does it on a timer of its own, see app.jobs.worker)."""

import logging

from procrastinate import App, JobContext
from sqlalchemy.orm import Session, sessionmaker

from app.jobs.queue import (
    INGEST_QUEUE,
    INGEST_TASK,
    MAX_ATTEMPTS,
    RETRY,
    STALLED_SECONDS,
    job_queue,
)
from app.jobs.service import mark_job_failed, process_ingest_job

logger = logging.getLogger(__name__)

# The queue jobs whose task runs in this process now, and the ids this process's worker has
# worked under: a job of ours marked running that is not in hand was lost (see
# recover_orphaned_jobs).
_in_hand: set[int] = set()
_worker_ids: set[int] = set()


def session_factory(context: JobContext) -> sessionmaker[Session]:
    """The worker's sessionmaker, handed to every job by app.jobs.worker."""
    factory: sessionmaker[Session] = context.additional_context["sessionmaker"]
    return factory


@job_queue.task(name=INGEST_TASK, queue=INGEST_QUEUE, pass_context=True, retry=RETRY)
def ingest(context: JobContext, ingest_job_id: int) -> None:
    """Ingest the pending files of one job (sync: runs in a worker thread)."""
    factory = session_factory(context)
    assert context.job.id is not None
    _in_hand.add(context.job.id)
    if context.job.worker_id is not None:
        _worker_ids.add(context.job.worker_id)
    try:
        process_ingest_job(factory, ingest_job_id, should_stop=context.should_abort)
    except Exception as error:
        # RETRY gives up once a job has been attempted MAX_ATTEMPTS times: say so on the job.
        if context.job.attempts >= MAX_ATTEMPTS:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
            try:
                mark_job_failed(
                    factory,
                    ingest_job_id,
                    f"gave up after {context.job.attempts + 1} attempts: {reason}",
                )
            except Exception:
                logger.exception("could not mark ingest job %s failed", ingest_job_id)
        raise
    finally:
        _in_hand.discard(context.job.id)


async def recover_stalled_jobs(queue: App) -> list[int]:
    """Queue again the running jobs of workers whose heartbeat stopped; their ids."""
    stalled = await queue.job_manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_SECONDS)
    recovered = []
    for job in stalled:
        try:
            await queue.job_manager.retry_job(job)
        except Exception:  # another worker recovered it first
            logger.info("stalled job %s was already taken care of", job.id, exc_info=True)
            continue
        logger.warning("queued again job %s of a worker that stopped answering", job.id)
        assert job.id is not None
        recovered.append(job.id)
    return recovered


async def recover_orphaned_jobs(queue: App, suspects: set[int]) -> tuple[list[int], set[int]]:
    """Queue again the jobs this process's worker holds as running but no longer works on.

    That happens when the database went away as a job ended: the worker could not record the
    outcome, and lives on (its heartbeat fresh), so the job would stay running for ever. A job
    is queued again once it has been seen so twice in a row (`suspects`, from the last call),
    long after any outcome being recorded. Returns (the jobs queued again, the new suspects).
    """
    orphans: set[int] = set()
    for worker_id in sorted(_worker_ids):
        jobs = await queue.job_manager.list_jobs_async(status="doing", worker_id=worker_id)
        orphans.update(job.id for job in jobs if job.id is not None and job.id not in _in_hand)
    recovered = []
    for job_id in sorted(orphans & suspects):
        found = list(await queue.job_manager.list_jobs_async(id=job_id))
        if not found or found[0].status != "doing" or job_id in _in_hand:
            continue
        job = found[0]
        await queue.job_manager.retry_job(job)
        logger.warning("queued again job %s: its outcome was lost with the database", job_id)
        recovered.append(job_id)
    return recovered, orphans - set(recovered)
