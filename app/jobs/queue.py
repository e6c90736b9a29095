"""The procrastinate job queue on PostgreSQL: the app object, queue and task names, retry policy."""

from procrastinate import App, PsycopgConnector, RetryStrategy

INGEST_QUEUE = "ingest"
INGEST_TASK = "claimtracker.ingest"

# A job that raises (database away, worker stopping) is tried again; files already done are
# kept, so a retry only does what is left. Waits: 5 s, 10 s, 20 s, ... about 10 minutes in all.
MAX_ATTEMPTS = 8
RETRY = RetryStrategy(max_attempts=MAX_ATTEMPTS, wait=5, linear_wait=5)

# A worker writes a heartbeat every HEARTBEAT_SECONDS; one silent for STALLED_SECONDS is taken
# for dead (killed, machine gone) and its running jobs are queued again.
HEARTBEAT_SECONDS = 10.0
STALLED_SECONDS = 30.0

# The connector is given no connection settings: the web process defers jobs on the request's
# own connection (same transaction), and each worker run opens its own connector
# (app.jobs.worker), so this one is never opened.
job_queue = App(connector=PsycopgConnector(), import_paths=["app.jobs.tasks"])
