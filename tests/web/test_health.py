"""The health check and the minimal article API."""

from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from app.web.app import create_app
from tests.factories import make_actor, make_article, make_source, make_statement


def client_for(engine_factory: sessionmaker[Session], engine: object) -> TestClient:
    app = create_app(engine)  # type: ignore[arg-type]
    app.state.sessionmaker = engine_factory
    return TestClient(app)


def test_healthz_up(engine, factory) -> None:  # type: ignore[no-untyped-def]
    response = client_for(factory, engine).get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}


def test_healthz_down_answers_503() -> None:
    nowhere = create_engine(
        "postgresql+psycopg://postgres@127.0.0.1:1/none", connect_args={"connect_timeout": 1}
    )
    response = TestClient(create_app(nowhere)).get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_api_down_answers_503_not_500() -> None:
    nowhere = create_engine(
        "postgresql+psycopg://postgres@127.0.0.1:1/none", connect_args={"connect_timeout": 1}
    )
    response = TestClient(create_app(nowhere)).get("/api/articles")
    assert response.status_code == 503
    assert "database" in response.json()["detail"]


def test_api_articles_lists_with_statement_counts(engine, factory, session) -> None:  # type: ignore[no-untyped-def]
    source = make_source(session, "The Daily")
    quiet = make_article(session, title="Quiet")
    busy = make_article(session, title="Busy", source_id=source.id)
    speaker = make_actor(session)
    make_statement(session, busy, speaker)
    make_statement(session, busy, speaker, 10, 20)
    session.commit()

    response = client_for(factory, engine).get("/api/articles")
    assert response.status_code == 200
    items = {item["title"]: item for item in response.json()["items"]}
    assert items["Busy"]["statement_count"] == 2
    assert items["Busy"]["source"] == "The Daily"
    assert items["Quiet"]["statement_count"] == 0
    assert items["Quiet"]["id"] == quiet.id


def test_api_articles_rejects_bad_limit(engine, factory) -> None:  # type: ignore[no-untyped-def]
    response = client_for(factory, engine).get("/api/articles?limit=501")
    assert response.status_code == 422
