"""Editors correct the machine: decisions are audited and survive re-extraction."""

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.extract import extract
from app.ingest.service import ingest_paths, store_extraction
from app.models.accounts import User
from app.models.actors import Actor, ActorAlias
from app.models.articles import Article
from app.models.review import ActorRedirect, AuditEntry
from app.models.statements import Statement
from tests.accounts.conftest import form_token
from tests.conftest import SEED_ARTICLE
from tests.factories import make_actor, make_article, make_statement


@pytest.fixture
def statement(session: Session) -> Statement:
    article = make_article(session, body="The minister said the drills were routine.")
    return make_statement(session, article, make_actor(session, "Jane Doe"), 0, 12)


def test_editor_rejects_and_the_log_says_who(
    client: TestClient, session: Session, sign_in: Callable[[str], User], statement: Statement
) -> None:
    editor = sign_in("editor")
    token = form_token(client, f"/statements/{statement.id}")
    response = client.post(
        f"/statements/{statement.id}/review",
        data={"action": "reject", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    session.refresh(statement)
    assert statement.review_status == "rejected"
    [entry] = session.scalars(select(AuditEntry)).all()
    assert (entry.user_email, entry.action) == (editor.email, "reject")
    assert entry.before["review_status"] == "unreviewed"
    assert entry.after["review_status"] == "rejected"
    page = client.get(f"/statements/{statement.id}").text
    # Shown by public name; the email is for admins only.
    assert f"Editor #{editor.id} — reject" in page
    assert "editor@example.org —" not in page
    assert "Restore" in page


def test_visitors_see_no_controls_and_cannot_write(
    client: TestClient, sign_in: Callable[[str], User], statement: Statement
) -> None:
    page = client.get(f"/statements/{statement.id}").text
    assert "Save correction" not in page and "Reject" not in page
    response = client.post(
        f"/statements/{statement.id}/review", data={"action": "reject"}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    sign_in("viewer")
    assert "Reject" not in client.get(f"/statements/{statement.id}").text
    response = client.post(f"/statements/{statement.id}/review", data={"action": "reject"})
    assert response.status_code == 403


def test_form_without_csrf_is_refused(
    client: TestClient, session: Session, sign_in: Callable[[str], User], statement: Statement
) -> None:
    sign_in("editor")
    response = client.post(f"/statements/{statement.id}/review", data={"action": "reject"})
    assert response.status_code == 403
    session.refresh(statement)
    assert statement.review_status == "unreviewed"


def test_reassign_speaker_to_a_new_actor_through_the_api(
    client: TestClient,
    session: Session,
    bearer: Callable[[str], dict[str, str]],
    statement: Statement,
) -> None:
    response = client.patch(
        f"/api/statements/{statement.id}",
        json={
            "new_speaker_name": "Dmitri S. Peskov",
            "new_speaker_kind": "person",
            "cue_class": "deny",
        },
        headers=bearer("editor"),
    )
    assert response.status_code == 200
    assert response.json()["speaker"] == "Dmitri S. Peskov"
    assert response.json()["review_status"] == "corrected"
    history = client.get(f"/api/statements/{statement.id}/history").json()["items"]
    assert history[0]["after"]["speaker"] == "Dmitri S. Peskov"
    assert history[0]["before"]["speaker"] == "Jane Doe"


def test_api_review_needs_a_token(client: TestClient, statement: Statement) -> None:
    response = client.post(f"/api/statements/{statement.id}/review", json={"action": "confirm"})
    assert response.status_code == 401


def test_merge_moves_statements_and_aliases_and_keeps_the_old_slug(
    client: TestClient, session: Session, bearer: Callable[[str], dict[str, str]]
) -> None:
    article = make_article(session, body="Putin said one thing. Vladimir Putin said another.")
    short = make_actor(session, "Putin")
    full = make_actor(session, "Vladimir Putin")
    session.add(ActorAlias(actor_id=short.id, alias="Putin", normalised="putin"))
    make_statement(session, article, short, 0, 20)
    make_statement(session, article, full, 22, 50)
    session.commit()
    old_slug, short_id = short.slug, short.id
    response = client.post(
        f"/api/actors/{old_slug}/merge", json={"into": full.slug}, headers=bearer("editor")
    )
    assert response.status_code == 200
    session.expire_all()
    assert session.get(Actor, short_id) is None
    speakers = set(session.scalars(select(Statement.speaker_id)))
    assert speakers == {full.id}
    assert "putin" in set(
        session.scalars(select(ActorAlias.normalised).where(ActorAlias.actor_id == full.id))
    )
    assert session.get(ActorRedirect, old_slug) is not None


def test_merge_into_itself_is_refused(
    client: TestClient, session: Session, bearer: Callable[[str], dict[str, str]]
) -> None:
    actor = make_actor(session, "Putin")
    session.commit()
    response = client.post(
        f"/api/actors/{actor.slug}/merge", json={"into": actor.slug}, headers=bearer("editor")
    )
    assert response.status_code == 422
    assert "itself" in response.json()["detail"]


def test_human_decisions_survive_reextraction(
    factory: sessionmaker[Session], session: Session, make_user: Callable[[str, str], User]
) -> None:
    from app.review import service

    editor = make_user("ed@example.org", "editor")
    [outcome] = ingest_paths(factory, [SEED_ARTICLE]).outcomes
    article = session.get(Article, outcome.article_id)
    assert article is not None
    machine = session.scalars(
        select(Statement).where(Statement.article_id == article.id).order_by(Statement.start)
    ).all()
    rejected, corrected = machine[0], machine[1]
    other = make_actor(session, "Someone Else")
    service.reject(session, rejected, editor)
    service.correct(session, corrected, editor, speaker=other)
    session.commit()

    with factory.begin() as inner:
        stored = inner.get(Article, article.id)
        assert stored is not None
        store_extraction(inner, stored, extract(stored.body))

    after = session.scalars(select(Statement).where(Statement.article_id == article.id)).all()
    by_span = {(s.start, s.end): s for s in after}
    assert by_span[(rejected.start, rejected.end)].review_status == "rejected"
    assert by_span[(corrected.start, corrected.end)].speaker_id == other.id
    # The machine did not add its own statement again over the decided words.
    assert len(after) == len(machine)
    assert len(by_span) == len(after)


def test_rejected_statements_leave_the_lists_unless_asked_for(
    client: TestClient, session: Session, bearer: Callable[[str], dict[str, str]]
) -> None:
    article = make_article(session, body="The minister said the drills were routine. And more.")
    actor = make_actor(session, "Jane Doe")
    kept = make_statement(session, article, actor, 0, 12)
    rejected = make_statement(session, article, actor, 13, 40)
    session.commit()
    response = client.post(
        f"/api/statements/{rejected.id}/review", json={"action": "reject"}, headers=bearer("editor")
    )
    assert response.status_code == 200

    listed = [item["id"] for item in client.get("/api/statements").json()["items"]]
    assert listed == [kept.id]
    only_rejected = client.get("/api/statements?review=rejected").json()["items"]
    assert [item["id"] for item in only_rejected] == [rejected.id]
    every = {item["id"] for item in client.get("/api/statements?review=all").json()["items"]}
    assert every == {kept.id, rejected.id}
    assert "Show the rejected ones" in client.get("/").text
    assert client.get("/api/statements?review=maybe").status_code == 422


def test_merged_actor_page_redirects_and_shows_the_history(
    client: TestClient, session: Session, sign_in: Callable[[str], User]
) -> None:
    duplicate = make_actor(session, "V. Putin")
    kept = make_actor(session, "Vladimir Putin")
    session.commit()
    sign_in("editor")
    token = form_token(client, f"/actors/{duplicate.slug}")
    response = client.post(
        f"/actors/{duplicate.slug}/merge",
        data={"target": kept.id, "into": kept.name, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    moved = client.get(f"/actors/{duplicate.slug}?kind=direct", follow_redirects=False)
    assert moved.status_code == 301
    assert moved.headers["location"] == f"/actors/{kept.slug}?kind=direct"
    api = client.get(f"/api/actors/{duplicate.slug}", follow_redirects=False)
    assert api.headers["location"] == f"/api/actors/{kept.slug}"
    page = client.get(f"/actors/{kept.slug}").text
    assert "— merge" in page and "editor@example.org —" not in page
    assert "V. Putin" in page

    response = client.post(
        f"/actors/{kept.slug}/aliases",
        data={"alias": "Путин", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "“Путин”" in client.get(f"/actors/{kept.slug}").text


def test_lists_name_the_rejected_status_in_the_sql_itself() -> None:
    """The partial list indexes serve prepared (generic) plans only if the predicate is a
    constant in the SQL text, not a bound parameter."""
    from sqlalchemy.dialects import postgresql

    from app.statements.filters import ResolvedFilters, StatementFilters
    from app.statements.listing import listing_query

    query = listing_query(ResolvedFilters(StatementFilters()), "newest")
    compiled = query.compile(dialect=postgresql.dialect())
    assert "statements.review_status <> 'rejected'" in str(compiled)
    assert "rejected" not in [str(value) for value in compiled.params.values()]


def test_a_trimmed_claim_is_not_added_again_by_reextraction(
    factory: sessionmaker[Session], session: Session, make_user: Callable[[str, str], User]
) -> None:
    """Cut to a few of its words, the claim no longer shares most of the machine's span; the
    audit log's earlier words still say the machine's statement is the one decided on."""
    from app.review import service

    editor = make_user("ed@example.org", "editor")
    [outcome] = ingest_paths(factory, [SEED_ARTICLE]).outcomes
    article = session.get(Article, outcome.article_id)
    assert article is not None
    machine = session.scalars(
        select(Statement).where(Statement.article_id == article.id).order_by(Statement.start)
    ).all()
    trimmed = max(machine, key=lambda s: s.end - s.start)
    was = (trimmed.start, trimmed.end)
    service.correct(session, trimmed, editor, span=(trimmed.start, trimmed.start + 12))
    session.commit()
    assert (trimmed.end - trimmed.start) * 2 < was[1] - was[0]

    with factory.begin() as inner:
        stored = inner.get(Article, article.id)
        assert stored is not None
        store_extraction(inner, stored, extract(stored.body))

    after = session.scalars(select(Statement).where(Statement.article_id == article.id)).all()
    assert len(after) == len(machine)
    assert [s.start for s in after if s.end == was[1] and s.start == was[0]] == []
