"""Fault tests' helpers: the real `claimtracker serve` in a process group of its own, and a
loopback TCP proxy in front of PostgreSQL that can drop every connection and refuse new ones,
so a database restart or outage is played without touching the machine's PostgreSQL."""

import contextlib
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.accounts.service import create_token, create_user
from app.models import Article
from app.models.jobs import IngestJob
from app.settings import PROJECT_ROOT
from tests.jobs.conftest import committed

__all__ = ["committed"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def synthetic_article(number: int, sentences: int = 3) -> str:
    """A short made-up article, distinct by number, with statements for the extractor."""
    lines = [
        f"The ministry said on Monday that exercise {number} would end soon.",
        f"Officials told reporters that the {number} units would return home.",
        "The spokesman denied that more troops were on their way.",
    ]
    body = " ".join(lines[n % len(lines)] for n in range(sentences))
    return f"Synthetic report {number}\n\n{body}\n"


class Proxy:
    """A TCP proxy on 127.0.0.1 to one upstream server, in threads.

    cut(): every proxied connection is closed at once (as when the server restarts); while
    refusing, a new connection is accepted and closed at once (the server is not answering).
    """

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = int(self.listener.getsockname()[1])
        self.refusing = threading.Event()
        self.closed = threading.Event()
        self.lock = threading.Lock()
        self.open: set[socket.socket] = set()
        self.held: list[socket.socket] = []
        self.blackhole = False
        self.accepted = 0
        self.thread = threading.Thread(target=self._accept, name="pg-proxy", daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.closed.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self.refusing.is_set():
                if self.blackhole:  # accepted and never answered, as behind a dead route
                    self.held.append(client)
                else:
                    client.close()
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.open.update((client, server))
                self.accepted += 1
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        """Copy bytes both ways until either side closes (or cut() closes both)."""
        pair = {client: server, server: client}
        with selectors.DefaultSelector() as selector:
            for end in pair:
                end.setblocking(True)
                selector.register(end, selectors.EVENT_READ)
            try:
                while not self.closed.is_set():
                    for key, _ in selector.select(0.5):
                        data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                        if not data:
                            return
                        pair[key.fileobj].sendall(data)  # type: ignore[index]
            except (OSError, ValueError):
                return
            finally:
                self._close(client, server)

    def _close(self, *ends: socket.socket) -> None:
        with self.lock:
            for end in ends:
                self.open.discard(end)
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()

    def cut(self) -> None:
        """Drop every proxied connection now."""
        with self.lock:
            ends = list(self.open)
        self._close(*ends)

    def down(self, blackhole: bool = False) -> None:
        """The database goes away: connections dropped, new ones refused (or, blackhole,
        left unanswered) until up()."""
        self.blackhole = blackhole
        self.refusing.set()
        self.cut()

    def up(self) -> None:
        self.refusing.clear()
        for client in self.held:
            client.close()
        self.held.clear()

    def close(self) -> None:
        self.closed.set()
        self.up()
        self.cut()
        self.listener.close()
        self.thread.join(5)


def group_members(group: int) -> list[int]:
    """The live (not zombie) processes of a process group, read from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid pgrp ...: comm may hold spaces, so split after its ")".
        state, _ppid, pgrp, *_ = stat.rpartition(")")[2].split()
        if int(pgrp) == group and state != "Z":
            members.append(int(entry.name))
    return members


class Serve:
    """`claimtracker serve` against a database, on a free port, in its own process group."""

    def __init__(self, database_url: str, work_dir: Path, env: dict[str, str]) -> None:
        self.database_url = database_url
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = work_dir / "serve.log"
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None
        self.groups: list[int] = []
        self._log: IO[bytes] | None = None

    def start(self) -> None:
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable, "-c", "from app.cli import cli; cli()",
                "serve", "--host", "127.0.0.1", "--port", str(self.port),
            ],
            cwd=PROJECT_ROOT,
            env={**os.environ, **self.env, "DATABASE_URL": self.database_url},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.groups.append(self.process.pid)

    @property
    def group(self) -> int:
        assert self.process is not None
        return self.process.pid

    def wait_healthy(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process is not None and self.process.poll() is None, self.log()
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"serve did not answer within {seconds} s\n{self.log()}")

    def wait_for_worker(self, seconds: float = 60) -> None:
        """Until the worker beside the server has loaded its model and taken the queue."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if "worker" in self.log() and "Starting worker" in self.log():
                return
            time.sleep(0.1)
        raise AssertionError(f"serve's worker did not start within {seconds} s\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL the whole process group, as in a power cut."""
        os.killpg(self.group, signal.SIGKILL)
        self.reap()

    def terminate(self) -> None:
        """SIGTERM to serve alone, as a container stop or `kill PID` sends it."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)

    def reap(self, seconds: float = 10) -> None:
        assert self.process is not None
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(seconds)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def stop_everything(self) -> None:
        """After a test: nothing of any serve it started lives on."""
        for group in self.groups:
            if group_members(group):
                os.killpg(group, signal.SIGKILL)
        if self.process is not None:
            self.process.kill()
            self.process.wait()
        if self._log is not None:
            self._log.close()


@pytest.fixture
def editor_token(committed: sessionmaker[Session]) -> str:
    with committed.begin() as session:
        user = create_user(session, "faults@example.org", "a long enough password", "editor")
        return create_token(session, user)


@pytest.fixture
def serve_env(tmp_path: Path) -> dict[str, str]:
    """serve's settings: no seed articles (an empty folder), the real gazetteer and topics."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    return {
        "CLAIMTRACKER_SEEDS_DIR": str(seeds),
        "CLAIMTRACKER_GAZETTEER": str(PROJECT_ROOT / "seeds" / "actors.yaml"),
        "CLAIMTRACKER_TOPICS": str(PROJECT_ROOT / "seeds" / "topics.yaml"),
        "CLAIMTRACKER_DATA_DIR": str(tmp_path / "var"),
        "CLAIMTRACKER_RUN_WORKER": "true",
    }


@pytest.fixture
def proxy(database_url: str) -> Iterator[Proxy]:
    parsed = make_url(database_url)
    proxy = Proxy((parsed.host or "127.0.0.1", parsed.port or 5432))
    yield proxy
    proxy.close()


def through(database_url: str, proxy: Proxy) -> str:
    """The database URL by way of the proxy."""
    return (
        make_url(database_url)
        .set(host="127.0.0.1", port=proxy.port)
        .render_as_string(hide_password=False)
    )


@pytest.fixture
def serve(
    database_url: str,
    serve_env: dict[str, str],
    tmp_path: Path,
    committed: sessionmaker[Session],
) -> Iterator[Callable[..., Serve]]:
    """make(url=None, worker=True): a Serve (not started) on the test database or the given
    URL, with its worker or without (CLAIMTRACKER_RUN_WORKER=false: a faster start)."""
    made: list[Serve] = []

    def make(url: str | None = None, worker: bool = True) -> Serve:
        env = {**serve_env, "CLAIMTRACKER_RUN_WORKER": "true" if worker else "false"}
        server = Serve(url or database_url, tmp_path, env)
        made.append(server)
        return server

    yield make
    for server in made:
        server.stop_everything()


def article_count(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(Article)) or 0


def job_state(factory: sessionmaker[Session], job_id: int) -> tuple[str, int, int, int]:
    """(status, created, existing, failed) of an ingest job."""
    with factory() as session:
        job = session.get(IngestJob, job_id)
        assert job is not None
        return (job.status, job.created_count, job.existing_count, job.failed_count)


def wait_until(check: Callable[[], bool], seconds: float, step: float = 0.05) -> float | None:
    """Seconds until check() held, or None if it did not within `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if check():
            return time.monotonic() - started
        time.sleep(step)
    return None
