"""`serve` stopped with SIGTERM leaves no process behind within 10 s, whatever the database is
doing: up, just restarted (every connection dropped), or unreachable (connections accepted and
never answered). The database is played by a proxy in front of PostgreSQL. The signal goes to
serve alone (as `kill PID` or a container stop sends it), or to its whole process group (as a
service manager or a terminal's Ctrl-C does)."""

import os
import signal
import time
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.faults.conftest import (
    Proxy,
    Serve,
    article_count,
    group_members,
    synthetic_article,
    through,
    wait_until,
)


@pytest.mark.parametrize("database", ["up", "restarted", "unreachable"])
def test_serve_stopped_mid_batch_leaves_no_process_within_10_s(
    database: str,
    serve: Callable[..., Serve],
    proxy: Proxy,
    database_url: str,
    committed: sessionmaker[Session],
    editor_token: str,
) -> None:
    server = serve(through(database_url, proxy))
    server.start()
    server.wait_healthy()
    files = [("files", (f"{n}.txt", synthetic_article(n).encode())) for n in range(1, 21)]
    response = httpx.post(
        f"{server.base_url}/api/articles/batch",
        files=files,
        headers={"Authorization": f"Bearer {editor_token}"},
        timeout=30,
    )
    assert response.status_code == 202, response.text
    # The worker is mid-batch: it holds connections, a job and a file in hand.
    assert wait_until(lambda: article_count(committed) >= 1, 90, step=0.02) is not None

    if database == "restarted":
        proxy.cut()
    elif database == "unreachable":
        # Connections accepted and never answered: the worst case, every wait runs its time.
        proxy.down(blackhole=True)
        time.sleep(2)  # long enough for the worker to find its connections gone
    group = server.group
    assert len(group_members(group)) >= 2  # serve and its worker
    if database == "restarted":  # to the whole group, as a service manager stops it
        os.killpg(group, signal.SIGTERM)
    else:
        server.terminate()
    stopped = wait_until(lambda: not group_members(group), 10, step=0.1)
    server.reap(1)
    assert stopped is not None, (
        f"still running 10 s after SIGTERM: {group_members(group)}\n{server.log()}"
    )
    assert server.process is not None and server.process.returncode == 0, server.log()
    if database in ("up", "restarted"):
        # The worker stopped on its own (its job back in the queue), not killed by serve.
        assert "the worker did not stop" not in server.log()
        assert "asked again to stop" not in server.log()
        assert "Stopped worker" in server.log()
    print(f"{database}: no process left {stopped:.1f} s after SIGTERM")
