"""The issue's check on the seed article: a speaker's name and words of their claim find that
claim and only theirs, a typo in the words too."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.ingest.service import ingest_paths
from app.settings import PROJECT_ROOT

SEED_ARTICLE = next((PROJECT_ROOT / "seeds").glob("000_*.txt"))


def test_lukashenko_conspiracy_finds_his_claim_and_only_his(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    summary = ingest_paths(factory, [SEED_ARTICLE])
    assert not summary.failed, summary
    for q in ("Lukashenko conspiracy", "Lukashenko conspiracy theoris"):
        body = client.get("/api/statements", params={"q": q}).json()
        items = body["items"]
        if not items and "suggestion" in body:
            items = client.get("/api/statements", params={"q": body["suggestion"]}).json()["items"]
        assert items, q
        assert {item["speaker"]["name"] for item in items} == {"Aleksandr G. Lukashenko"}, q
        assert any("conspiracy theories" in item["content"] for item in items), q
        page = client.get("/", params={"q": q}).text
        assert "theories" in page and "Claims by" in page and "Lukashenko" in page, q
