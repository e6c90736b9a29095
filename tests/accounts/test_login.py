"""Signing in and out: passwords, CSRF, rate limiting, cookies, redirects."""

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.service import authenticate, hash_token
from app.models.accounts import ApiToken, User
from tests.accounts.conftest import PASSWORD, form_token


def test_passwords_are_stored_as_argon2_hashes(
    session: Session, make_user: Callable[[str, str], User]
) -> None:
    user = make_user("ed@example.org", "editor")
    assert user.password_hash.startswith("$argon2")
    assert PASSWORD not in user.password_hash
    assert authenticate(session, "ED@example.org ", PASSWORD) is not None
    assert authenticate(session, "ed@example.org", "wrong password") is None
    assert authenticate(session, "nobody@example.org", PASSWORD) is None


def test_sign_in_sets_a_safe_cookie_and_shows_the_user(
    client: TestClient, make_user: Callable[[str, str], User]
) -> None:
    make_user("ed@example.org", "editor")
    token = form_token(client)
    response = client.post(
        "/login",
        data={
            "email": "ed@example.org",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "/actors",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/actors"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "ed@example.org" in client.get("/articles/new").text


def test_sign_in_never_redirects_off_site(
    client: TestClient, make_user: Callable[[str, str], User]
) -> None:
    make_user("ed@example.org", "editor")
    token = form_token(client)
    response = client.post(
        "/login",
        data={"email": "ed@example.org", "password": PASSWORD, "csrf_token": token,
              "next": "https://evil.example/"},
        follow_redirects=False,
    )  # fmt: skip
    assert response.headers["location"] == "/"


def test_login_without_csrf_token_is_forbidden(
    client: TestClient, make_user: Callable[[str, str], User]
) -> None:
    make_user("ed@example.org", "editor")
    client.get("/login")
    response = client.post("/login", data={"email": "ed@example.org", "password": PASSWORD})
    assert response.status_code == 403
    response = client.post(
        "/login", data={"email": "ed@example.org", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 403


def test_wrong_password_then_rate_limited(
    client: TestClient, make_user: Callable[[str, str], User]
) -> None:
    make_user("ed@example.org", "editor")
    token = form_token(client)
    for _ in range(5):
        response = client.post(
            "/login", data={"email": "ed@example.org", "password": "guess", "csrf_token": token}
        )
        assert response.status_code == 401
        assert "Wrong email or password" in response.text
    # Even the right password is refused while the limit holds.
    response = client.post(
        "/login", data={"email": "ed@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 429
    assert "Too many failed attempts" in response.text


def test_logout_forgets_the_user(client: TestClient, sign_in: Callable[[str], User]) -> None:
    sign_in("editor")
    token = form_token(client, "/articles/new")
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/articles/new", follow_redirects=False).status_code == 303


def test_api_tokens_are_stored_hashed(
    session: Session, bearer: Callable[[str], dict[str, str]]
) -> None:
    headers = bearer("editor")
    token = headers["Authorization"].removeprefix("Bearer ")
    stored = session.scalars(select(ApiToken.token_hash)).all()
    assert hash_token(token) in stored
    assert token not in stored


def test_private_site_asks_strangers_to_sign_in(
    engine,
    factory,
    make_user,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    from app.settings import get_settings
    from app.web.app import create_app

    monkeypatch.setenv("CLAIMTRACKER_PUBLIC_READ", "false")
    get_settings.cache_clear()
    try:
        app = create_app(engine)
    finally:
        monkeypatch.delenv("CLAIMTRACKER_PUBLIC_READ")
        get_settings.cache_clear()
    app.state.sessionmaker = factory
    client = TestClient(app)
    page = client.get("/actors", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=/actors"
    assert client.get("/api/articles").status_code == 401
    assert client.get("/healthz").status_code == 200

    make_user("reader@example.org", "viewer")
    token = form_token(client)
    client.post(
        "/login", data={"email": "reader@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert client.get("/api/articles").status_code == 200
