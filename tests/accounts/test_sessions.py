"""Sessions end: after CLAIMTRACKER_SESSION_HOURS, at sign-out (every copy of the cookie), when
the password changes or the account is disabled; a revoked token gets 401."""

import time
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.accounts.service import revoke_token, set_disabled, set_password
from app.models import ApiToken, User
from app.web import deps
from tests.accounts.conftest import form_token
from tests.factories import make_actor, make_article, make_statement

HOURS = 12 * 3600


def _later(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    start = time.time()
    monkeypatch.setattr(deps, "now", lambda: start + seconds)


def test_a_session_ends_twelve_hours_after_sign_in(
    client: TestClient, sign_in: Callable[[str], User], monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in("editor")
    _later(monkeypatch, HOURS - 60)
    assert client.get("/articles/new", follow_redirects=False).status_code == 200
    _later(monkeypatch, HOURS + 60)
    page = client.get("/articles/new", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/articles/new"
    write = client.post("/api/statements/1/review", json={"action": "reject"})
    assert write.status_code == 401


def test_the_cookie_itself_expires_with_the_session(
    client: TestClient, make_user: Callable[[str, str], User]
) -> None:
    make_user("ed@example.org", "editor")
    response = client.post(
        "/login",
        data={"email": "ed@example.org", "password": "correct horse battery",
              "csrf_token": form_token(client)},
        follow_redirects=False,
    )  # fmt: skip
    assert f"max-age={HOURS}" in response.headers["set-cookie"].lower()


def test_session_hours_is_configurable(
    client: TestClient,
    sign_in: Callable[[str], User],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.settings import get_settings

    sign_in("editor")
    monkeypatch.setenv("CLAIMTRACKER_SESSION_HOURS", "0.5")
    get_settings.cache_clear()
    try:
        _later(monkeypatch, 29 * 60)
        assert client.get("/articles/new", follow_redirects=False).status_code == 200
        _later(monkeypatch, 31 * 60)
        assert client.get("/articles/new", follow_redirects=False).status_code == 303
    finally:
        monkeypatch.delenv("CLAIMTRACKER_SESSION_HOURS")
        get_settings.cache_clear()


def test_a_copied_cookie_is_sent_to_sign_in_on_a_page_write_after_sign_out(
    client: TestClient, sign_in: Callable[[str], User], session: Session
) -> None:
    statement = make_statement(session, make_article(session), make_actor(session), 0, 10)
    session.commit()
    sign_in("editor")
    token = form_token(client, f"/statements/{statement.id}")
    copied = dict(client.cookies)
    client.post("/logout", data={"csrf_token": token})
    thief = TestClient(client.app, cookies=copied)
    write = thief.post(
        f"/statements/{statement.id}/review",
        data={"action": "reject", "csrf_token": token},
        headers={"referer": f"http://testserver/statements/{statement.id}"},
        follow_redirects=False,
    )
    assert write.status_code == 303
    assert write.headers["location"] == f"/login?next=/statements/{statement.id}"
    session.refresh(statement)
    assert statement.review_status != "rejected"


def test_a_new_password_ends_the_sessions_made_with_the_old_one(
    client: TestClient, sign_in: Callable[[str], User], factory: sessionmaker[Session]
) -> None:
    editor = sign_in("editor")
    with factory.begin() as session:
        set_password(session, session.merge(editor), "a brand new password", None)
    assert client.get("/articles/new", follow_redirects=False).status_code == 303


def test_disabling_ends_sessions_and_tokens_at_once(
    client: TestClient,
    sign_in: Callable[[str], User],
    bearer: Callable[[str], dict[str, str]],
    factory: sessionmaker[Session],
) -> None:
    editor = sign_in("editor")
    headers = bearer("editor")
    assert client.get("/api/jobs/999", headers=headers).status_code == 404
    with factory.begin() as session:
        api_users = session.scalars(select(User).where(User.email.like("api-%")))
        for user in (editor, *api_users):
            set_disabled(session, session.merge(user), True, None)
    assert client.get("/articles/new", follow_redirects=False).status_code == 303
    answer = client.get("/api/jobs/999", headers=headers)
    assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer"


def test_a_revoked_token_gets_401(
    client: TestClient, bearer: Callable[[str], dict[str, str]], factory: sessionmaker[Session]
) -> None:
    headers = bearer("editor")
    body = {"title": "T", "body": "The minister said the talks would go on.", "source": "S"}
    with factory.begin() as session:
        token_id = session.scalars(select(ApiToken.id)).one()
        revoke_token(session, token_id, None)
    answer = client.post("/api/articles", json=body, headers=headers)
    assert answer.status_code == 401
    assert answer.json()["detail"] == "the API token is invalid or revoked"
