"""The speaker picker's suggestions: by name and alias, prefix first, then similarity."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.actors.queries import suggest
from app.models.actors import ActorAlias
from tests.factories import make_actor


def _actor(session: Session, name: str, *aliases: str, count: int = 0) -> int:
    actor = make_actor(session, name)
    actor.statement_count = count
    for alias in (name, *aliases):
        session.add(ActorAlias(actor_id=actor.id, alias=alias, normalised=alias.casefold()))
    session.flush()
    return actor.id


def test_prefix_of_a_word_then_similarity_then_most_quoted(session: Session) -> None:
    girkin = _actor(session, "Igor Girkin", "Strelkov", count=3)
    giraffe = _actor(session, "Giraffe Party", count=50)
    _actor(session, "Vladimir Putin", count=900)
    names = [item["name"] for item in suggest(session, "gir")]
    # "Giraffe" starts the name, "Girkin" starts a word; Putin does not match at all.
    assert names == ["Giraffe Party", "Igor Girkin"]
    [item] = suggest(session, "strelk")
    assert item["id"] == girkin and item["matched_alias"] == "Strelkov"
    assert {"id", "name", "kind", "slug", "statement_count", "matched_alias"} == set(item)
    # A misspelling is still found, by trigram similarity.
    misspelt = [item["id"] for item in suggest(session, "Igor Grikin")]
    assert misspelt[:1] == [girkin] and giraffe not in misspelt[:1]
    assert suggest(session, "g") == []


def test_suggest_api_is_json_and_escapes_nothing_it_should_not(
    client: TestClient, session: Session
) -> None:
    _actor(session, "Jane 100% Doe")
    session.commit()
    found = client.get("/api/actors/suggest", params={"q": "100%"}).json()
    assert [item["name"] for item in found] == ["Jane 100% Doe"]
    assert client.get("/api/actors/suggest", params={"q": "%"}).json() == []
    assert client.get("/api/actors/suggest", params={"q": "x" * 301}).status_code == 422
