"""The batch API and the job pages, over HTTP against the real application and database."""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from app.accounts.service import create_token, create_user
from app.models.jobs import IngestJob, IngestJobFile
from app.settings import get_settings
from app.web.app import create_app
from app.web.jobs import router
from tests.jobs.conftest import Drain, seed_variant


def with_jobs(app: FastAPI) -> FastAPI:
    """The app with the jobs routes, whether or not create_app includes them yet."""
    included = any(
        getattr(route, "original_router", None) is router
        or getattr(route, "path", None) == "/api/articles/batch"
        for route in app.routes
    )
    if not included:
        app.include_router(router)
    return app


@pytest.fixture
def client(engine: Engine, committed: sessionmaker[Session]) -> Iterator[TestClient]:
    app = with_jobs(create_app(engine))
    app.state.sessionmaker = committed
    with TestClient(app) as client:
        yield client


@pytest.fixture
def tokens(committed: sessionmaker[Session]) -> dict[str, str]:
    with committed.begin() as session:
        return {
            role: create_token(
                session, create_user(session, f"{role}@example.org", "pw-123456", role)
            )
            for role in ("viewer", "editor")
        }


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def job_count(committed: sessionmaker[Session]) -> int:
    with committed() as session:
        return session.scalar(select(func.count()).select_from(IngestJob)) or 0


def test_files_are_accepted_as_a_job(
    client: TestClient, tokens: dict[str, str], committed: sessionmaker[Session]
) -> None:
    response = client.post(
        "/api/articles/batch",
        headers=bearer(tokens["editor"]),
        files=[
            ("files", ("one.txt", seed_variant(1), "text/plain")),
            ("files", ("sub/two.md", b"Title\n\nThe minister said so.", "text/markdown")),
        ],
    )
    assert response.status_code == 202, response.text
    body = response.json()
    job_id = body["job_id"]
    assert body == {"job_id": job_id, "url": f"/jobs/{job_id}", "status_url": f"/api/jobs/{job_id}"}
    assert response.headers["location"] == f"/api/jobs/{job_id}"
    with committed() as session:
        job = session.get(IngestJob, job_id)
        assert job is not None and job.created_by_id is not None
        assert [f.filename for f in job.files] == ["one.txt", "two.md"]
        queued = session.execute(
            text("SELECT count(*) FROM procrastinate_jobs WHERE args->>'ingest_job_id' = :id"),
            {"id": str(job_id)},
        ).scalar()
        assert queued == 1


def test_json_articles_are_accepted_as_a_job(
    client: TestClient, tokens: dict[str, str], committed: sessionmaker[Session]
) -> None:
    articles = [
        {"title": "Kremlin reacts", "body": "Dmitri Peskov said the claims were false."},
        {"body": "Kyiv said it would respond.", "published_at": "2022-12-15", "source": "Wire"},
    ]
    response = client.post(
        "/api/articles/batch", headers=bearer(tokens["editor"]), json={"articles": articles}
    )
    assert response.status_code == 202, response.text
    with committed() as session:
        files = session.scalars(
            select(IngestJobFile).where(IngestJobFile.job_id == response.json()["job_id"])
        ).all()
        assert [f.filename for f in files] == ["article-1.json", "article-2.json"]
        assert [json.loads(f.content or b"") for f in files] == articles


def test_only_editors_with_a_token_may_send(
    client: TestClient, tokens: dict[str, str], committed: sessionmaker[Session]
) -> None:
    payload: dict[str, Any] = {"json": {"articles": [{"body": "Text."}]}}
    assert client.post("/api/articles/batch", **payload).status_code == 401
    bad = client.post("/api/articles/batch", headers=bearer("ct_not-a-token"), **payload)
    assert bad.status_code == 401
    viewer = client.post("/api/articles/batch", headers=bearer(tokens["viewer"]), **payload)
    assert viewer.status_code == 403
    assert job_count(committed) == 0


def test_a_file_over_the_limit_is_refused_by_name(
    client: TestClient,
    tokens: dict[str, str],
    committed: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLAIMTRACKER_MAX_UPLOAD_BYTES", "2000")
    get_settings.cache_clear()
    response = client.post(
        "/api/articles/batch",
        headers=bearer(tokens["editor"]),
        files=[
            ("files", ("small.txt", b"Title\n\nShort.", "text/plain")),
            ("files", ("huge.txt", b"Title\n\n" + b"word " * 1000, "text/plain")),
        ],
    )
    assert response.status_code == 413
    assert "huge.txt is larger than the limit" in response.json()["detail"]

    too_long = {"articles": [{"body": "Short."}, {"body": "word " * 1000}]}
    response = client.post("/api/articles/batch", headers=bearer(tokens["editor"]), json=too_long)
    assert response.status_code == 413
    assert "article 2 is larger than the limit" in response.json()["detail"]
    assert job_count(committed) == 0
    get_settings.cache_clear()


@pytest.mark.parametrize(
    ("request_args", "where"),
    [
        ({"json": {"articles": []}}, "articles"),
        ({"json": {"items": [{"body": "x"}]}}, "articles"),
        ({"json": {"articles": [{"title": "No body"}]}}, "articles.0.body"),
        ({"json": {"articles": [{"body": ""}]}}, "articles.0.body"),
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, "body"),
        ({"data": {"files": "not a file"}, "files": [("x", ("", b"", "text/plain"))]}, "files"),
    ],
)
def test_a_batch_without_articles_is_refused(
    client: TestClient,
    tokens: dict[str, str],
    committed: sessionmaker[Session],
    request_args: dict[str, Any],
    where: str,
) -> None:
    headers = {**bearer(tokens["editor"]), **request_args.pop("headers", {})}
    response = client.post("/api/articles/batch", headers=headers, **request_args)
    assert response.status_code == 422, response.text
    (problem,) = response.json()["detail"]
    assert problem["loc"] == ["body", where]
    assert job_count(committed) == 0


def test_other_content_types_are_refused(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.post(
        "/api/articles/batch",
        headers={**bearer(tokens["editor"]), "content-type": "text/plain"},
        content=b"hello",
    )
    assert response.status_code == 415


def test_the_job_reports_each_file_as_json_and_as_a_page(
    client: TestClient, tokens: dict[str, str], drain: Drain
) -> None:
    editor = bearer(tokens["editor"])
    response = client.post(
        "/api/articles/batch",
        headers=editor,
        files=[
            ("files", ("seed.txt", seed_variant(7), "text/plain")),
            ("files", ("<em>notes.pdf", b"%PDF-1.4", "application/pdf")),
        ],
    )
    job_id = response.json()["job_id"]

    waiting = client.get(f"/jobs/{job_id}", headers=editor)
    assert waiting.status_code == 200
    assert waiting.headers["refresh"] == "2"
    assert "Waiting for a worker to start on 2 files." in waiting.text
    assert client.get(f"/api/jobs/{job_id}", headers=editor).json()["status"] == "queued"

    drain()

    report = client.get(f"/api/jobs/{job_id}", headers=editor).json()
    assert report["status"] == "done"
    assert report["counts"] == {"files": 2, "pending": 0, "created": 1, "existing": 0, "failed": 1}
    seed, pdf = report["files"]
    assert seed["status"] == "created" and seed["statements"] > 0
    assert seed["article_url"] == f"/articles/{seed['article_id']}"
    assert pdf["status"] == "failed" and pdf["article_url"] is None
    assert pdf["message"].startswith("<em>notes.pdf: unsupported file type .pdf")

    page = client.get(f"/jobs/{job_id}", headers=editor)
    assert page.status_code == 200
    assert "refresh" not in page.headers
    assert "Done: 1 file stored, 0 already there, 1 failed." in page.text
    assert f'<a href="/articles/{seed["article_id"]}">article {seed["article_id"]}</a>' in page.text
    assert "Failed" in page.text and "unsupported file type .pdf" in page.text
    # What the uploader named the file is shown as text, never as markup.
    assert "<em>notes" not in page.text
    assert "&lt;em&gt;notes.pdf" in page.text


def test_unknown_jobs_and_strangers_get_no_report(
    client: TestClient, tokens: dict[str, str]
) -> None:
    editor = bearer(tokens["editor"])
    assert client.get("/api/jobs/999", headers=editor).status_code == 404
    assert client.get("/jobs/999", headers=editor).status_code == 404
    assert client.get("/api/jobs/99999999999", headers=editor).status_code == 422
    assert client.get("/api/jobs/999").status_code == 401
    assert client.get("/api/jobs/999", headers=bearer(tokens["viewer"])).status_code == 403


def test_the_batch_endpoint_is_documented(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    batch = spec["paths"]["/api/articles/batch"]["post"]
    assert batch["summary"] == "Add many articles in the background"
    assert set(batch["requestBody"]["content"]) == {"multipart/form-data", "application/json"}
    assert {"202", "401", "403", "413", "422"} <= set(batch["responses"])
    assert spec["paths"]["/api/jobs/{job_id}"]["get"]["summary"] == "An ingest job's progress"
