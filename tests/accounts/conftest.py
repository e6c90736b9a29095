"""A web client on the test transaction, and helpers to sign in as a given role."""

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.accounts.service import create_token, create_user
from app.models.accounts import User
from app.web.app import create_app

PASSWORD = "correct horse battery"


@pytest.fixture
def client(engine: Engine, factory: sessionmaker[Session]) -> TestClient:
    app = create_app(engine)
    app.state.sessionmaker = factory
    return TestClient(app)


def form_token(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


@pytest.fixture
def make_user(factory: sessionmaker[Session]) -> Callable[[str, str], User]:
    def make(email: str, role: str) -> User:
        with factory.begin() as session:
            return create_user(session, email, PASSWORD, role)

    return make


@pytest.fixture
def sign_in(client: TestClient, make_user: Callable[[str, str], User]) -> Callable[[str], User]:
    def sign_in(role: str) -> User:
        user = make_user(f"{role}@example.org", role)
        token = form_token(client)
        response = client.post(
            "/login",
            data={"email": user.email, "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert response.status_code == 303
        return user

    return sign_in


@pytest.fixture
def bearer(
    factory: sessionmaker[Session], make_user: Callable[[str, str], User]
) -> Callable[[str], dict[str, str]]:
    def headers(role: str) -> dict[str, str]:
        user = make_user(f"api-{role}@example.org", role)
        with factory.begin() as session:
            token = create_token(session, session.merge(user))
        return {"Authorization": f"Bearer {token}"}

    return headers
