"""Sessions that end when they should, editors' emails kept private, guessing that cannot
lock a person out, forged forwarding headers ignored, and security headers on every page."""

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from app.models import User
from app.settings import get_settings
from app.web.app import create_app
from tests.accounts.conftest import PASSWORD, form_token
from tests.factories import make_actor, make_article, make_statement


def test_a_cookie_copied_before_sign_out_is_worth_nothing_after(
    client: TestClient, sign_in: Callable[[str], User]
) -> None:
    sign_in("editor")
    copied = dict(client.cookies)
    assert client.get("/articles/new").status_code == 200
    client.post("/logout", data={"csrf_token": form_token(client, "/")})
    thief = TestClient(client.app, cookies=copied)
    response = thief.get("/articles/new", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    write = thief.post(
        "/api/statements/1/review", json={"action": "reject"}, follow_redirects=False
    )
    assert write.status_code == 401


def test_a_disabled_user_can_do_nothing(
    client: TestClient,
    sign_in: Callable[[str], User],
    factory: sessionmaker[Session],
    bearer: Callable[[str], dict[str, str]],
) -> None:
    editor = sign_in("editor")
    headers = bearer("editor")
    with factory.begin() as session:
        for user in session.scalars(select(User)):
            user.disabled = True
    assert client.get("/articles/new", follow_redirects=False).status_code == 303
    assert client.get("/api/jobs/1", headers=headers).status_code == 401
    assert editor.id


def test_histories_show_public_names_and_emails_only_to_admins(
    client: TestClient,
    session: Session,
    sign_in: Callable[[str], User],
    make_user: Callable[[str, str], User],
) -> None:
    from app.review.service import reject

    article = make_article(session)
    statement = make_statement(session, article, make_actor(session), 0, 10)
    editor = make_user("quiet.editor@example.org", "editor")
    reject(session, statement, session.merge(editor))
    session.commit()
    for path in (f"/statements/{statement.id}", f"/api/statements/{statement.id}/history"):
        shown = client.get(path).text
        assert "quiet.editor@example.org" not in shown and f"Editor #{editor.id}" in shown
    sign_in("admin")
    assert "quiet.editor@example.org" in client.get(f"/statements/{statement.id}").text
    entry = client.get(f"/api/statements/{statement.id}/history").json()["items"][0]
    assert entry["email"] == "quiet.editor@example.org"


def _login(client: TestClient, email: str, password: str) -> int:
    token = form_token(client)
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    return response.status_code


def test_guessing_from_one_address_does_not_lock_the_owner_out(
    engine: Engine, factory: sessionmaker[Session], make_user: Callable[[str, str], User]
) -> None:
    make_user("owner@example.org", "editor")
    app = create_app(engine)
    app.state.sessionmaker = factory
    stranger = TestClient(app, client=("203.0.113.7", 5000))
    codes = [_login(stranger, "owner@example.org", "wrong guess!") for _ in range(10)]
    assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}
    owner = TestClient(app, client=("198.51.100.20", 5000))
    assert _login(owner, "owner@example.org", PASSWORD) == 303


@pytest.mark.parametrize("trusted", [False, True])
def test_x_forwarded_for_counts_only_from_a_trusted_proxy(
    engine: Engine,
    factory: sessionmaker[Session],
    make_user: Callable[[str, str], User],
    monkeypatch: pytest.MonkeyPatch,
    trusted: bool,
) -> None:
    make_user("owner@example.org", "editor")
    if trusted:
        monkeypatch.setenv("CLAIMTRACKER_TRUSTED_PROXIES", "10.0.0.2")
    get_settings.cache_clear()
    try:
        app = create_app(engine)
        app.state.sessionmaker = factory
        proxy = TestClient(app, client=("10.0.0.2", 5000))
        for n in range(5):  # a guesser behind the proxy, claiming a new address each time
            proxy.headers["X-Forwarded-For"] = f"192.0.2.{n}"
            assert _login(proxy, "owner@example.org", "wrong guess!") == 401
        proxy.headers["X-Forwarded-For"] = "192.0.2.99"
        # Believed only from a trusted proxy: then each claimed address is its own; otherwise
        # the five guesses all came from the proxy, which must now wait.
        assert _login(proxy, "owner@example.org", "wrong guess!") == (401 if trusted else 429)
    finally:
        monkeypatch.delenv("CLAIMTRACKER_TRUSTED_PROXIES", raising=False)
        get_settings.cache_clear()


@pytest.mark.parametrize(
    "path", ["/", "/actors", "/articles", "/topics", "/login", "/api/statements", "/nothing-here"]
)
def test_security_headers_on_every_page(client: TestClient, path: str) -> None:
    response = client.get(path)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
