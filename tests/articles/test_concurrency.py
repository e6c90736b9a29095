"""Concurrent writers of the same article answer as if they had come one after another."""

import threading
from collections import Counter

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from app.accounts.service import create_token, create_user
from app.db import make_sessionmaker
from app.models import Article
from app.web.app import create_app

BODY = (
    "Concurrent report\n\nThe ministry said on Monday that the exercises would end soon and "
    "that the troops would go home."
)


def test_eight_concurrent_posts_of_one_body_store_it_once(
    engine: Engine, committed_db: str
) -> None:
    factory = make_sessionmaker(engine)
    with factory.begin() as session:
        user = create_user(session, "racer@example.org", "a long enough password", "editor")
        token = create_token(session, user)
    app = create_app(engine)
    barrier = threading.Barrier(8)
    answers: list[tuple[int, dict[str, object]]] = []
    lock = threading.Lock()

    def post() -> None:
        with TestClient(app) as client:
            barrier.wait()
            response = client.post(
                "/api/articles",
                json={"body": BODY, "source": "Race Wire"},
                headers={"Authorization": f"Bearer {token}"},
            )
            with lock:
                answers.append((response.status_code, response.json()))

    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(code for code, _ in answers) == {201: 1, 200: 7}, answers
    ids = {body["id"] for _, body in answers}
    assert len(ids) == 1
    assert all(body["created"] is False for code, body in answers if code == 200)
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 1
