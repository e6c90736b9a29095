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


def session_factory(context: JobContext) -> sessionmaker[Session]:
    """The worker's sessionmaker, handed to every job by app.jobs.worker."""
    factory: sessionmaker[Session] = context.additional_context["sessionmaker"]
    return factory


@job_queue.task(name=INGEST_TASK, queue=INGEST_QUEUE, pass_context=True, retry=RETRY)
def ingest(context: JobContext, ingest_job_id: int) -> None:
    """Ingest the pending files of one job (sync: runs in a worker thread)."""
    factory = session_factory(context)
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
