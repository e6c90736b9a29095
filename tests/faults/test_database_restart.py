"""PostgreSQL restarting mid-batch (every connection dropped, none accepted for 3 s, played by a
proxy in front of it): the worker's job completes, every article stored once, and the site
answers again without a restart."""

import time
from collections.abc import Callable

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.models import Article
from tests.faults.conftest import (
    Proxy,
    Serve,
    article_count,
    job_state,
    synthetic_article,
    through,
    wait_until,
)


def test_a_database_restart_mid_batch_and_the_job_completes(
    serve: Callable[..., Serve],
    proxy: Proxy,
    database_url: str,
    committed: sessionmaker[Session],
    editor_token: str,
) -> None:
    count = 20
    server = serve(through(database_url, proxy))
    server.start()
    server.wait_healthy()
    files = [("files", (f"{n}.txt", synthetic_article(n).encode())) for n in range(1, count + 1)]
    response = httpx.post(
        f"{server.base_url}/api/articles/batch",
        files=files,
        headers={"Authorization": f"Bearer {editor_token}"},
        timeout=30,
    )
    assert response.status_code == 202, response.text
    job_id = response.json()["job_id"]
    assert wait_until(lambda: article_count(committed) >= 2, 90, step=0.01) is not None

    proxy.down()
    stored_at_restart = article_count(committed)
    assert httpx.get(f"{server.base_url}/healthz", timeout=10).status_code == 503
    time.sleep(3)
    proxy.up()
    back = time.monotonic()

    took = wait_until(lambda: job_state(committed, job_id)[0] == "done", 90, step=0.2)
    assert took is not None, f"{job_state(committed, job_id)}\n{server.log()[-5000:]}"
    assert stored_at_restart < count, "the restart came after the whole batch"
    assert job_state(committed, job_id) == ("done", count, 0, 0)
    with committed() as session:
        hashes = session.scalar(select(func.count(func.distinct(Article.content_hash))))
    assert article_count(committed) == count
    assert hashes == count
    assert httpx.get(f"{server.base_url}/healthz", timeout=10).status_code == 200
    print(f"{stored_at_restart} of {count} stored at the restart; done {took:.1f} s after it")
    assert time.monotonic() - back < 90
