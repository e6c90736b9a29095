"""The admin page: only admins see it; role, disable/enable, password reset and token revoke,
each audited, CSRF-checked, and never leaving the site without an admin."""

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.accounts.service import authenticate, create_token
from app.models import ApiToken, AuditEntry, User
from tests.accounts.conftest import PASSWORD, form_token


def _post(client: TestClient, path: str, **data: str):  # type: ignore[no-untyped-def]
    data["csrf_token"] = form_token(client, "/admin")
    return client.post(path, data=data, follow_redirects=False)


def test_only_admins_see_the_page_and_its_nav_link(
    client: TestClient, sign_in: Callable[[str], User]
) -> None:
    page = client.get("/admin", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/admin"
    assert client.get("/api/admin/users").status_code == 401
    sign_in("editor")
    assert client.get("/admin").status_code == 403
    assert client.get("/api/admin/users").status_code == 403
    assert 'href="/admin"' not in client.get("/").text
    sign_in("admin")
    page = client.get("/admin")
    assert page.status_code == 200 and 'href="/admin"' in page.text
    assert "editor@example.org" in page.text and "admin@example.org" in page.text
    users = client.get("/api/admin/users").json()["items"]
    assert {user["email"] for user in users} == {"editor@example.org", "admin@example.org"}
    assert all(user["last_login_at"] for user in users)  # both have signed in


def test_admin_changes_a_role_and_it_is_audited(
    client: TestClient,
    sign_in: Callable[[str], User],
    make_user: Callable[[str, str], User],
    session: Session,
) -> None:
    viewer = make_user("vi@example.org", "viewer")
    admin = sign_in("admin")
    answer = _post(client, f"/admin/users/{viewer.id}/role", role="editor")
    assert answer.status_code == 303
    page = client.get("/admin").text
    assert "vi@example.org is now editor." in page
    assert session.get(User, viewer.id).role == "editor"  # type: ignore[union-attr]
    entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "user")).one()
    assert (entry.entity_id, entry.action, entry.user_id) == (viewer.id, "set_role", admin.id)
    assert entry.before == {"role": "viewer", "disabled": False}
    assert entry.after == {"role": "editor", "disabled": False}
    # The same change again changes nothing and logs nothing.
    _post(client, f"/admin/users/{viewer.id}/role", role="editor")
    assert "already editor" in client.get("/admin").text
    assert len(session.scalars(select(AuditEntry)).all()) == 1
    bad = _post(client, f"/admin/users/{viewer.id}/role", role="owner")
    assert bad.status_code == 409 and "role must be one of viewer, editor, admin" in bad.text


def test_the_last_admin_cannot_demote_or_disable_themselves(
    client: TestClient, sign_in: Callable[[str], User], session: Session
) -> None:
    admin = sign_in("admin")
    for path, data in ((f"/admin/users/{admin.id}/role", {"role": "editor"}),
                       (f"/admin/users/{admin.id}/disable", {})):  # fmt: skip
        answer = _post(client, path, **data)
        assert answer.status_code == 409
        assert "admin@example.org is the last admin who can sign in" in answer.text
    stored = session.get(User, admin.id)
    assert stored is not None and stored.role == "admin" and not stored.disabled
    assert session.scalars(select(AuditEntry)).all() == []


def test_disable_ends_the_persons_session_and_tokens_and_enable_lets_them_back(
    client: TestClient,
    sign_in: Callable[[str], User],
    make_user: Callable[[str, str], User],
    factory: sessionmaker[Session],
) -> None:
    editor = make_user("ed@example.org", "editor")
    with factory.begin() as session:
        token = create_token(session, session.merge(editor))
    them = TestClient(client.app)
    them.post("/login", data={"email": "ed@example.org", "password": PASSWORD,
                              "csrf_token": form_token(them)})  # fmt: skip
    assert them.get("/articles/new", follow_redirects=False).status_code == 200
    sign_in("admin")
    assert _post(client, f"/admin/users/{editor.id}/disable").status_code == 303
    assert "their sessions and API tokens no longer work" in client.get("/admin").text
    assert them.get("/articles/new", follow_redirects=False).status_code == 303
    api = {"Authorization": f"Bearer {token}"}
    assert them.get("/api/jobs/1", headers=api).status_code == 401
    assert _post(client, f"/admin/users/{editor.id}/enable").status_code == 303
    assert them.get("/api/jobs/1", headers=api).status_code == 404


def test_reset_password_generated_shown_once_or_typed(
    client: TestClient,
    sign_in: Callable[[str], User],
    make_user: Callable[[str, str], User],
    session: Session,
) -> None:
    editor = make_user("ed@example.org", "editor")
    sign_in("admin")
    answer = _post(client, f"/admin/users/{editor.id}/password", password="")
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    shown = re.search(r'<code class="password">([^<]+)</code>', answer.text)
    assert shown, "the generated password is shown"
    assert authenticate(session, "ed@example.org", shown.group(1)) is not None
    assert authenticate(session, "ed@example.org", PASSWORD) is None
    assert shown.group(1) not in client.get("/admin").text  # once only

    short = _post(client, f"/admin/users/{editor.id}/password", password="short")
    assert short.status_code == 409 and "at least 8 characters" in short.text
    assert authenticate(session, "ed@example.org", shown.group(1)) is not None  # kept

    typed = _post(client, f"/admin/users/{editor.id}/password", password="typed by the admin")
    assert typed.status_code == 303
    assert authenticate(session, "ed@example.org", "typed by the admin") is not None
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "set_password"))
    assert [(e.before, e.after) for e in entries] == [(None, None), (None, None)]


def test_an_admin_resetting_their_own_password_stays_signed_in(
    client: TestClient, sign_in: Callable[[str], User]
) -> None:
    admin = sign_in("admin")
    copied = dict(client.cookies)
    assert (
        _post(client, f"/admin/users/{admin.id}/password", password="new admin pass").status_code
        == 303
    )
    assert client.get("/admin").status_code == 200
    assert (
        TestClient(client.app, cookies=copied).get("/admin", follow_redirects=False).status_code
        == 303
    )


def test_admin_revokes_a_token(
    client: TestClient,
    sign_in: Callable[[str], User],
    bearer: Callable[[str], dict[str, str]],
    session: Session,
) -> None:
    headers = bearer("editor")
    sign_in("admin")
    token = session.scalars(select(ApiToken)).one()
    page = client.get("/admin").text
    secret = headers["Authorization"].removeprefix("Bearer ")
    assert token.prefix in page and secret not in page
    tokens = client.get("/api/admin/tokens").json()["items"]
    assert [(t["id"], t["prefix"]) for t in tokens] == [(token.id, token.prefix)]
    assert _post(client, f"/admin/tokens/{token.id}/revoke").status_code == 303
    assert client.get("/api/jobs/1", headers=headers).status_code == 401
    # Twice is the same as once.
    assert _post(client, f"/admin/tokens/{token.id}/revoke").status_code == 303
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "revoke_token"))
    assert [e.before for e in entries] == [{"token_id": token.id, "prefix": token.prefix}]
    assert "revoke token" in client.get("/admin").text


def test_admin_forms_need_the_csrf_token(
    client: TestClient, sign_in: Callable[[str], User], make_user: Callable[[str, str], User],
    session: Session,
) -> None:  # fmt: skip
    editor = make_user("ed@example.org", "editor")
    sign_in("admin")
    answer = client.post(f"/admin/users/{editor.id}/disable", data={"csrf_token": "forged"})
    assert answer.status_code == 403
    stored = session.get(User, editor.id)
    assert stored is not None and not stored.disabled


def test_admin_adds_a_person_with_a_generated_or_typed_password(
    client: TestClient, sign_in: Callable[[str], User], session: Session
) -> None:
    sign_in("admin")
    answer = _post(client, "/admin/users", email="New.Person@example.org", role="editor")
    assert answer.status_code == 200
    shown = re.search(r'<code class="password">([^<]+)</code>', answer.text)
    assert shown and authenticate(session, "new.person@example.org", shown.group(1)) is not None
    typed = _post(client, "/admin/users", email="typed@example.org", role="viewer",
                  password="typed long password")  # fmt: skip
    assert typed.status_code == 303
    assert "typed@example.org is added as viewer." in client.get("/admin").text
    again = _post(client, "/admin/users", email="typed@example.org", role="editor")
    assert again.status_code == 422
    assert "Nobody was added: a user with email typed@example.org already exists." in again.text
    assert 'value="typed@example.org"' in again.text  # the form keeps what was typed
    bad = _post(client, "/admin/users", email="not-an-address", role="editor")
    assert bad.status_code == 422 and "is not an email address" in bad.text
    created = session.scalars(select(AuditEntry).where(AuditEntry.action == "create")).all()
    assert len(created) == 2


def test_admin_gives_a_token_shown_once_that_works(
    client: TestClient,
    sign_in: Callable[[str], User],
    make_user: Callable[[str, str], User],
    session: Session,
) -> None:
    editor = make_user("ed@example.org", "editor")
    sign_in("admin")
    answer = _post(client, f"/admin/users/{editor.id}/token")
    shown = re.search(r'<code class="token">([^<]+)</code>', answer.text)
    assert answer.status_code == 200 and shown
    token = shown.group(1)
    assert (
        client.get("/api/jobs/1", headers={"Authorization": f"Bearer {token}"}).status_code == 404
    )
    page = client.get("/admin").text
    assert token not in page and token[:10] in page
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "create_token")).one()
    assert entry.after is not None and entry.after["prefix"] == token[:10]
    stored = session.get(User, editor.id)
    assert stored is not None
    stored.disabled = True
    session.commit()
    refused = _post(client, f"/admin/users/{editor.id}/token")
    assert refused.status_code == 409 and "is disabled" in refused.text
