"""The whole `serve` killed mid-batch (SIGKILL of its process group, as in a power cut), then
started again: the batch is finished by the new worker, every article stored exactly once."""

import time
from collections.abc import Callable

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.models import Article
from tests.faults.conftest import Serve, article_count, job_state, synthetic_article, wait_until


def test_serve_killed_after_3_of_30_batch_files_finishes_the_batch_after_a_restart(
    serve: Callable[..., Serve],
    committed: sessionmaker[Session],
    editor_token: str,
) -> None:
    server = serve()
    server.start()
    server.wait_healthy()
    files = [("files", (f"{n}.txt", synthetic_article(n).encode())) for n in range(1, 31)]
    response = httpx.post(
        f"{server.base_url}/api/articles/batch",
        files=files,
        headers={"Authorization": f"Bearer {editor_token}"},
        timeout=30,
    )
    assert response.status_code == 202, response.text
    job_id = response.json()["job_id"]

    assert wait_until(lambda: article_count(committed) >= 3, 90, step=0.01) is not None, (
        server.log()
    )
    server.kill()
    stored_at_kill = article_count(committed)
    assert stored_at_kill < 30, "the kill came after the whole batch"
    assert job_state(committed, job_id)[0] == "running"

    server.start()
    restarted = time.monotonic()
    took = wait_until(lambda: job_state(committed, job_id)[0] == "done", 120, step=0.2)
    assert took is not None, f"not done 120 s after the restart: {job_state(committed, job_id)}"
    print(f"stored at kill {stored_at_kill}, done {took:.1f} s after the restart")
    assert time.monotonic() - restarted < 120
    assert job_state(committed, job_id) == ("done", 30, 0, 0)
    with committed() as session:
        assert article_count(committed) == 30
        hashes = session.scalar(select(func.count(func.distinct(Article.content_hash))))
        titles = set(session.scalars(select(Article.title)))
    assert hashes == 30
    assert titles == {f"Synthetic report {n}" for n in range(1, 31)}
    # The log says what happened, and holds no article text.
    log = server.log()
    assert "workers that died" in log or "stopped answering" in log, log
    assert "exercise 17 would end soon" not in log
    assert "[parameters:" not in log  # SQLAlchemy's dump of the values sent
