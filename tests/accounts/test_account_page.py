"""A person's own account page: their public name (unique, shown in histories) and their
password (the current one first; other sessions end, this one goes on)."""

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.service import authenticate
from app.models import AuditEntry, User
from tests.accounts.conftest import PASSWORD, form_token


def _post(client: TestClient, path: str, **data: str):  # type: ignore[no-untyped-def]
    data["csrf_token"] = form_token(client, "/account")
    return client.post(path, data=data, follow_redirects=False)


def test_strangers_are_sent_to_sign_in(client: TestClient) -> None:
    page = client.get("/account", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/account"


def test_a_viewer_sets_a_public_name_shown_in_place_of_their_number(
    client: TestClient, sign_in: Callable[[str], User], session: Session
) -> None:
    viewer = sign_in("viewer")
    page = client.get("/account").text
    assert 'href="/account"' in page and f"Viewer #{viewer.id}" in page
    assert _post(client, "/account/name", display_name="  Ada   Lovelace ").status_code == 303
    assert "Others now see you as Ada Lovelace." in client.get("/account").text
    stored = session.get(User, viewer.id)
    assert stored is not None and stored.display_name == "Ada Lovelace"
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "set_name")).one()
    assert entry.after == {"display_name": "Ada Lovelace"}
    # The same name again changes and logs nothing; empty goes back to the number.
    _post(client, "/account/name", display_name="Ada Lovelace")
    assert len(session.scalars(select(AuditEntry)).all()) == 1
    _post(client, "/account/name", display_name="")
    session.refresh(stored)
    assert stored.display_name is None


def test_a_name_someone_else_has_is_refused(
    client: TestClient,
    sign_in: Callable[[str], User],
    make_user: Callable[[str, str], User],
    session: Session,
) -> None:
    other = make_user("other@example.org", "editor")
    other_stored = session.get(User, other.id)
    assert other_stored is not None
    other_stored.display_name = "Kremlin Watcher"
    session.commit()
    me = sign_in("editor")
    answer = _post(client, "/account/name", display_name="kremlin watcher")
    assert answer.status_code == 422
    assert "another person is already shown as &#39;kremlin watcher&#39;" in answer.text
    assert 'value="kremlin watcher"' in answer.text  # what was typed is kept
    stored = session.get(User, me.id)
    assert stored is not None and stored.display_name is None
    too_long = _post(client, "/account/name", display_name="x" * 101)
    assert too_long.status_code == 422 and "at most 100 characters" in too_long.text


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(
    client: TestClient, sign_in: Callable[[str], User], session: Session
) -> None:
    sign_in("editor")
    elsewhere = TestClient(client.app, cookies=dict(client.cookies))
    assert elsewhere.get("/articles/new", follow_redirects=False).status_code == 200

    new = {"new_password": "a new long password", "repeat_password": "a new long password"}
    wrong = _post(client, "/account/password", current_password="not it", **new)
    assert wrong.status_code == 422 and "The current password is not right." in wrong.text
    differ = _post(client, "/account/password", current_password=PASSWORD,
                   new_password="a new long password", repeat_password="another one")  # fmt: skip
    assert differ.status_code == 422 and "The two new passwords differ." in differ.text
    short = _post(client, "/account/password", current_password=PASSWORD,
                  new_password="short", repeat_password="short")  # fmt: skip
    assert short.status_code == 422 and "at least 8 characters" in short.text
    assert authenticate(session, "editor@example.org", PASSWORD) is not None

    done = _post(client, "/account/password", current_password=PASSWORD, **new)
    assert done.status_code == 303
    assert "your other sessions have ended" in client.get("/account").text
    assert client.get("/articles/new", follow_redirects=False).status_code == 200
    assert elsewhere.get("/articles/new", follow_redirects=False).status_code == 303
    assert authenticate(session, "editor@example.org", "a new long password") is not None


def test_guessing_the_current_password_is_limited_like_signing_in(
    client: TestClient, sign_in: Callable[[str], User]
) -> None:
    sign_in("editor")
    new = {"new_password": "a new long password", "repeat_password": "a new long password"}
    codes = [
        _post(client, "/account/password", current_password=f"guess {n}", **new).status_code
        for n in range(6)
    ]
    assert codes == [422] * 5 + [429]
    right = _post(client, "/account/password", current_password=PASSWORD, **new)
    assert right.status_code == 429 and "Too many wrong passwords" in right.text
