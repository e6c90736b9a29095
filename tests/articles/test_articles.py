"""Articles: the index by date and outlet, editors' changes to the details, and deletion."""

from collections.abc import Callable
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Actor, Article, AuditEntry, Statement, User
from tests.accounts.conftest import form_token
from tests.factories import make_actor, make_article, make_source, make_statement


def _two_articles(session: Session) -> tuple[Article, Article]:
    wire = make_source(session, "Test Wire")
    older = make_article(
        session, body="The minister said the drills were routine.", title="Routine drills",
        source_id=wire.id, published_at=datetime(2022, 12, 8, tzinfo=UTC),
    )  # fmt: skip
    newer = make_article(
        session, body="Officials said the border was calm.", title="A calm border",
        published_at=datetime(2022, 12, 20, tzinfo=UTC),
    )  # fmt: skip
    speaker = make_actor(session, "Zembla Ministry")
    make_statement(session, older, speaker, 17, 41)
    session.commit()
    return older, newer


def test_index_sorts_by_date_and_filters_by_outlet(client: TestClient, session: Session) -> None:
    older, newer = _two_articles(session)
    body = client.get("/api/articles").json()
    assert [item["id"] for item in body["items"]] == [newer.id, older.id] and body["total"] == 2
    oldest = client.get("/api/articles?sort=oldest").json()["items"]
    assert [item["id"] for item in oldest] == [older.id, newer.id]
    wire = client.get("/api/articles?source=Test%20Wire").json()
    assert [item["id"] for item in wire["items"]] == [older.id] and wire["total"] == 1
    csv = client.get("/api/articles.csv?sort=oldest").text.removeprefix("\ufeff").splitlines()
    assert csv[0] == "id,title,source,published_at,statement_count"
    assert csv[1].startswith(f"{older.id},Routine drills,Test Wire,2022-12-08")
    page = client.get("/articles?source=Test%20Wire").text
    assert "Routine drills" in page and "A calm border" not in page
    assert "1–1 of 1" in page


def test_editor_changes_the_details_and_the_log_keeps_them(
    client: TestClient, session: Session, sign_in: Callable[[str], User]
) -> None:
    older, _ = _two_articles(session)
    editor = sign_in("editor")
    token = form_token(client, f"/articles/{older.id}/edit")
    sent = {
        "title": "Drills were routine, minister says", "published_at": "2022-12-09",
        "source": "The Daily", "url": "https://daily.example/drills", "csrf_token": token,
    }  # fmt: skip
    response = client.post(f"/articles/{older.id}/edit", data=sent, follow_redirects=False)
    assert response.status_code == 303
    session.expire_all()
    stored = session.get(Article, older.id)
    assert stored is not None and stored.title == "Drills were routine, minister says"
    assert stored.published_at == datetime(2022, 12, 9, tzinfo=UTC)
    assert stored.url == "https://daily.example/drills"
    # The statements follow their article's new date (a trigger keeps the copy).
    assert session.scalar(select(Statement.published_at)) == datetime(2022, 12, 9, tzinfo=UTC)
    [entry] = session.scalars(select(AuditEntry).where(AuditEntry.entity == "article")).all()
    assert (entry.action, entry.user_email) == ("edit", editor.email)
    assert entry.before == {
        "title": "Routine drills", "published_at": "2022-12-08T00:00:00+00:00",
        "source": "Test Wire", "url": None,
    }  # fmt: skip
    # Saving the same values again changes nothing and logs nothing.
    client.post(f"/articles/{older.id}/edit", data=sent)
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == 1


def test_bad_details_are_explained_and_nothing_changes(
    client: TestClient, session: Session, sign_in: Callable[[str], User]
) -> None:
    older, _ = _two_articles(session)
    sign_in("editor")
    token = form_token(client, f"/articles/{older.id}/edit")
    bad = {"title": "New", "published_at": "9 Dec", "url": "javascript:alert(1)",
           "csrf_token": token}  # fmt: skip
    response = client.post(f"/articles/{older.id}/edit", data=bad)
    assert response.status_code == 422
    assert "YYYY-MM-DD" in response.text and "not a web address" in response.text
    session.expire_all()
    assert session.get(Article, older.id).title == "Routine drills"  # type: ignore[union-attr]


def test_editor_deletes_an_article_with_its_statements(
    client: TestClient, session: Session, sign_in: Callable[[str], User]
) -> None:
    older, newer = _two_articles(session)
    older_id = older.id
    speaker = session.scalar(select(Actor).where(Actor.name == "Zembla Ministry"))
    assert speaker is not None and speaker.statement_count == 1
    sign_in("editor")
    confirm = client.get(f"/articles/{older.id}/delete")
    assert "1 statement will be removed" in confirm.text
    token = form_token(client, f"/articles/{older.id}/delete")
    # Without the confirmation nothing goes.
    client.post(f"/articles/{older.id}/delete", data={"csrf_token": token})
    assert session.get(Article, older.id) is not None
    response = client.post(
        f"/articles/{older.id}/delete",
        data={"csrf_token": token, "confirm": "yes"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    session.expire_all()
    assert session.get(Article, older_id) is None
    assert session.scalar(select(func.count()).select_from(Statement)) == 0
    assert session.get(Actor, speaker.id).statement_count == 0  # type: ignore[union-attr]
    assert session.get(Article, newer.id) is not None
    [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "delete")).all()
    assert entry.entity_id == older_id and entry.before["statements"] == 1  # type: ignore[index]
    assert client.get(f"/articles/{older_id}").status_code == 404


def test_visitors_and_viewers_cannot_edit_or_delete(
    client: TestClient, session: Session, sign_in: Callable[[str], User]
) -> None:
    older, _ = _two_articles(session)
    edit = client.get(f"/articles/{older.id}/edit", follow_redirects=False)
    assert edit.status_code == 303
    assert edit.headers["location"] == f"/login?next=/articles/{older.id}/edit"
    delete = client.post(
        f"/articles/{older.id}/delete", data={"confirm": "yes"}, follow_redirects=False
    )
    assert delete.status_code in (303, 403)
    sign_in("viewer")
    assert client.get(f"/articles/{older.id}/delete").status_code == 403
    assert session.get(Article, older.id) is not None
