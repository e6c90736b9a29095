"""The likely duplicates page: alike names with the same surname, same kind and country."""

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.actors.queries import duplicate_pairs
from app.models.accounts import User
from app.models.actors import ActorAlias
from tests.factories import make_actor, make_article, make_statement


def test_pairs_need_alike_names_the_same_surname_and_no_known_difference(
    session: Session,
) -> None:
    full = make_actor(session, "Oleksii Reznikov")
    spelt = make_actor(session, "Oleksiy Reznikov")
    article = make_article(session)
    make_statement(session, article, spelt)
    # Alike, but another surname; the same surname, but a different person's name.
    make_actor(session, "Oleksii Reznik")
    make_actor(session, "Anna Reznikov")
    # The same name, but one is a person in Russia, the other an organisation.
    make_actor(session, "Wagner Group", kind="organization").country = "Russia"
    make_actor(session, "Wagner Group", kind="person").country = "Russia"
    # Alike through an alias.
    peskov = make_actor(session, "Dmitry Peskov")
    spokesman = make_actor(session, "Kremlin spokesman")
    session.add(
        ActorAlias(actor_id=spokesman.id, alias="Dmitri Peskov", normalised="dmitri peskov")
    )
    # Two people who share only a one-word alias are not duplicates.
    olena, volodymyr = (
        make_actor(session, "Olena Zelenska"),
        make_actor(session, "Volodymyr Zelensky"),
    )
    for person in (olena, volodymyr):
        session.add(ActorAlias(actor_id=person.id, alias="Zelensky", normalised="zelensky"))
    session.flush()
    pairs = duplicate_pairs(session)
    found = {(p["kept"]["name"], p["other"]["name"]) for p in pairs}
    assert ("Oleksiy Reznikov", "Oleksii Reznikov") in found  # more statements: kept
    assert {tuple(sorted(pair)) for pair in found} == {
        ("Oleksii Reznikov", "Oleksiy Reznikov"),
        ("Dmitry Peskov", "Kremlin spokesman"),
    }
    reznikov = next(p for p in pairs if p["kept"]["id"] == spelt.id)
    assert reznikov["kept"]["statement_count"] == 1 and reznikov["other"]["id"] == full.id
    assert all(0.5 <= p["score"] <= 1 for p in pairs)
    assert peskov.id in {p["kept"]["id"] for p in pairs} | {p["other"]["id"] for p in pairs}


def test_duplicates_page_is_for_editors_and_links_into_the_merge_preview(
    client: TestClient, session: Session, sign_in: Callable[[str], User]
) -> None:
    kept = make_actor(session, "Alexander Lukashenko")
    other = make_actor(session, "Aleksandr Lukashenko")
    make_statement(session, make_article(session), kept)
    session.commit()
    page = client.get("/actors/duplicates", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    assert client.get("/api/actors/duplicates").status_code == 401
    sign_in("editor")
    page = client.get("/actors/duplicates")
    assert page.status_code == 200
    link = f"/actors/{other.slug}/merge?into=Alexander%20Lukashenko&amp;target={kept.id}"
    assert link in page.text
    preview = client.get(link.replace("&amp;", "&"))
    assert "Merge Aleksandr Lukashenko into Alexander Lukashenko" in preview.text
    body = client.get("/api/actors/duplicates").json()
    assert [(p["kept"]["id"], p["other"]["id"]) for p in body["items"]] == [(kept.id, other.id)]
    assert client.get("/api/actors/duplicates?threshold=5").status_code == 422
