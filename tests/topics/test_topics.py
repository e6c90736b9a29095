"""Topics made and changed on the site: a preview first, errors by field, audited, file as seed."""

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.accounts import User
from app.models.review import AuditEntry
from app.models.topics import TopicActor, TopicRow
from app.settings import get_settings
from app.topics.catalog import all_topics
from app.topics.queries import find_topic, list_topics
from app.topics.service import load_seed_topics
from tests.accounts.conftest import form_token
from tests.factories import make_actor, make_article, make_statement

SEED = "belarus-military-exercises"


@pytest.fixture
def claims(session: Session) -> dict[str, int]:
    """Three claims: two about a grain deal, one by a minister about something else."""
    article = make_article(
        session,
        body="The grain corridor will stay open. Grain exports rose. The weather was fine.",
    )
    minister = make_actor(session, "Dmytro Kuleba")
    other = make_actor(session, "Jane Doe")
    make_statement(session, article, other, 0, 33)
    make_statement(session, article, other, 35, 53)
    make_statement(session, article, minister, 55, 76)
    session.commit()
    return {"minister": minister.id}


def test_an_editor_previews_then_saves_a_new_topic(
    client: TestClient,
    session: Session,
    sign_in: Callable[[str], User],
    claims: dict[str, int],
) -> None:
    editor = sign_in("editor")
    assert "New topic" in client.get("/topics").text
    token = form_token(client, "/topics/new")
    form = {
        "title": "Grain deal",
        "description": "Ukraine's grain exports by sea.",
        "terms": "grain\ncorridor",
        "actors": "dmytro kuleba",
        "csrf_token": token,
    }
    preview = client.post("/topics/new", data={**form, "action": "preview"})
    assert preview.status_code == 200
    assert "It catches 3 claims" in preview.text
    assert "The grain corridor will stay open" in preview.text
    assert 'value="save"' in preview.text
    assert session.scalar(select(TopicRow).where(TopicRow.slug == "grain-deal")) is None

    saved = client.post("/topics/new", data={**form, "action": "save"}, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/topics/grain-deal"
    page = client.get("/topics/grain-deal").text
    assert "Who claimed what: Grain deal" in page and "Dmytro Kuleba" in page
    assert "The weather was fine" in page  # included with the actor
    api = client.get("/api/topics/grain-deal").json()
    assert api["total"] == 3 and api["actors"][0]["name"] == "Dmytro Kuleba"
    [entry] = session.scalars(select(AuditEntry).where(AuditEntry.entity == "topic")).all()
    assert (entry.action, entry.user_id, entry.before) == ("create_topic", editor.id, None)
    assert entry.after is not None and entry.after["terms"] == ["grain", "corridor"]
    assert "grain-deal" in {t["slug"] for t in client.get("/api/topics").json()}

    # The same form again: the address is taken, nothing is stored twice.
    again = client.post("/topics/new", data={**form, "action": "save"})
    assert again.status_code == 422 and "already has the address /topics/grain-deal" in again.text


def test_bad_input_is_named_by_field_and_the_form_keeps_what_was_typed(
    client: TestClient,
    session: Session,
    sign_in: Callable[[str], User],
    claims: dict[str, int],
) -> None:
    sign_in("editor")
    token = form_token(client, "/topics/new")
    response = client.post(
        "/topics/new",
        data={
            "title": "  ",
            "terms": "grain\nthe of",
            "actors": "Dmytro Kuleb",
            "action": "save",
            "csrf_token": token,
        },
    )
    assert response.status_code == 422
    text = response.text
    assert "a topic needs a title" in text
    assert "line 2, “the of”, has no word that can be searched" in text
    assert "no actor is called “Dmytro Kuleb” — did you mean Dmytro Kuleba?" in text
    assert "grain\nthe of</textarea>" in text and ">Dmytro Kuleb</textarea>" in text
    assert not session.scalars(select(TopicRow)).all()
    assert not session.scalars(select(AuditEntry)).all()
    empty = client.post(
        "/topics/new", data={"title": "Nothing", "action": "save", "csrf_token": token}
    )
    assert "write at least one search, or name an actor" in empty.text


def test_editing_a_seed_topic_stores_the_editors_version_which_wins_over_the_file(
    client: TestClient,
    session: Session,
    sign_in: Callable[[str], User],
    claims: dict[str, int],
) -> None:
    seed = next(topic for topic in all_topics() if topic.slug == SEED)
    assert load_seed_topics(session) == len(all_topics())
    assert load_seed_topics(session) == 0  # idempotent
    session.commit()
    sign_in("editor")
    edit = client.get(f"/topics/{SEED}/edit")
    assert edit.status_code == 200 and seed.title in edit.text
    token = form_token(client, f"/topics/{SEED}/edit")
    form = {
        "title": "Belarus drills",
        "description": seed.description,
        "terms": "\n".join(seed.terms),
        "actors": "",
        "csrf_token": token,
    }
    response = client.post(f"/topics/{SEED}/edit", data={**form, "action": "save"})
    assert response.status_code == 200  # followed to the topic page
    assert "Who claimed what: Belarus drills" in response.text
    assert "title “Belarus military exercises” → “Belarus drills”" in response.text
    [entry] = session.scalars(select(AuditEntry).where(AuditEntry.entity == "topic")).all()
    assert entry.action == "edit_topic"
    assert entry.before is not None and entry.before["title"] == seed.title
    assert entry.after is not None and entry.after["title"] == "Belarus drills"
    # Saving it unchanged changes nothing and logs nothing.
    client.post(f"/topics/{SEED}/edit", data={**form, "action": "save"})
    assert len(session.scalars(select(AuditEntry)).all()) == 1
    # On the next start the file is loaded again: the editor's version stays.
    assert load_seed_topics(session) == 0
    topic = find_topic(session, SEED)
    assert topic is not None and topic.title == "Belarus drills"
    assert [t.slug for t in list_topics(session)].count(SEED) == 1


def test_a_changed_seed_file_updates_topics_no_editor_touched(
    session: Session, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    topics = tmp_path / "topics.yaml"
    topics.write_text("- slug: grain\n  title: Grain\n  terms: [grain]\n", encoding="utf-8")
    monkeypatch.setenv("CLAIMTRACKER_TOPICS", str(topics))
    get_settings.cache_clear()
    all_topics.cache_clear()
    try:
        assert load_seed_topics(session) == 1
        topics.write_text("- slug: grain\n  title: Grain exports\n  terms: [grain]\n")
        all_topics.cache_clear()
        assert load_seed_topics(session) == 1
        row = session.scalars(select(TopicRow).where(TopicRow.slug == "grain")).one()
        assert (row.title, row.origin) == ("Grain exports", "seed")
    finally:
        get_settings.cache_clear()
        all_topics.cache_clear()


def test_topic_forms_are_for_editors_with_a_csrf_token(
    client: TestClient, session: Session, sign_in: Callable[[str], User]
) -> None:
    page = client.get("/topics/new", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/topics/new"
    assert "New topic" not in client.get("/topics").text
    assert "Edit this topic" not in client.get(f"/topics/{SEED}").text
    sign_in("viewer")
    assert client.get("/topics/new").status_code == 403
    sign_in("editor")
    response = client.post("/topics/new", data={"title": "X", "terms": "x", "action": "save"})
    assert response.status_code == 403
    assert not session.scalars(select(TopicRow)).all()


def test_a_merge_moves_topic_actors_and_undo_moves_them_back(
    session: Session, make_user: Callable[[str, str], User]
) -> None:
    from app.review import service as review

    duplicate = make_actor(session, "D. Kuleba")
    kept = make_actor(session, "Dmytro Kuleba")
    topic = TopicRow(slug="diplomacy", title="Diplomacy", terms=["talks"], origin="editor")
    session.add(topic)
    session.flush()
    session.add(TopicActor(topic_id=topic.id, actor_id=duplicate.id))
    session.flush()
    editor = make_user("editor@example.org", "editor")
    entry = review.merge(session, duplicate, kept, editor)
    found = find_topic(session, "diplomacy")
    assert found is not None and [a.id for a in found.actors] == [kept.id]
    review.undo_merge(session, entry, editor)
    found = find_topic(session, "diplomacy")
    assert found is not None and [a.id for a in found.actors] == [duplicate.id]
    make_statement(session, make_article(session), duplicate)
