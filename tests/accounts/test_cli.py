"""The operator's commands for people and tokens: users list|disable|enable|set-password|
set-role and tokens list|revoke, against a committed database as an operator runs them."""

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.accounts.service import authenticate, create_token, create_user
from app.cli import cli
from app.models import AuditEntry, User
from app.web.app import create_app
from tests.accounts.conftest import PASSWORD, form_token

runner = CliRunner()


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(cli, list(args), input=stdin)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def _users(database_url: str, *people: tuple[str, str]) -> dict[str, str]:
    """Create the users; returns a token per email."""
    engine = create_engine(database_url)
    tokens = {}
    with Session(engine) as session, session.begin():
        for email, role in people:
            tokens[email] = create_token(session, create_user(session, email, PASSWORD, role))
    engine.dispose()
    return tokens


def test_users_list_shows_each_person_and_state(committed_db: str) -> None:
    _users(committed_db, ("ed@example.org", "editor"), ("ada@example.org", "admin"))
    assert run("users", "disable", "ed@example.org")[0] == 0
    code, stdout, _ = run("users", "list")
    assert code == 0
    lines = stdout.splitlines()
    ed = next(line for line in lines if "ed@example.org" in line)
    ada = next(line for line in lines if "ada@example.org" in line)
    assert "editor" in ed and "disabled" in ed and "last sign-in never" in ed
    assert "admin" in ada and "active" in ada


def test_an_unknown_email_is_said_with_exit_status_1(committed_db: str) -> None:
    for command in (
        ["users", "disable", "nobody@example.org"],
        ["users", "enable", "nobody@example.org"],
        ["users", "set-role", "nobody@example.org", "editor"],
    ):
        code, _, stderr = run(*command)
        assert code == 1, command
        assert "there is no user with email nobody@example.org" in stderr
    code, _, stderr = run("users", "set-password", "nobody@example.org", "--password-stdin",
                          stdin="a new long password\n")  # fmt: skip
    assert code == 1 and "no user with email nobody@example.org" in stderr


def test_disable_stops_sessions_and_tokens_at_once_and_enable_restores_tokens(
    committed_db: str,
) -> None:
    tokens = _users(committed_db, ("ed@example.org", "editor"))
    engine = create_engine(committed_db)
    browser = TestClient(create_app(engine))
    browser.post(
        "/login",
        data={"email": "ed@example.org", "password": PASSWORD, "csrf_token": form_token(browser)},
    )
    assert browser.get("/articles/new", follow_redirects=False).status_code == 200
    api = {"Authorization": f"Bearer {tokens['ed@example.org']}"}
    assert browser.get("/api/jobs/1", headers=api).status_code == 404  # accepted; no such job

    code, stdout, _ = run("users", "disable", "ed@example.org")
    assert code == 0 and "disabled ed@example.org" in stdout
    assert browser.get("/articles/new", follow_redirects=False).status_code == 303
    assert browser.get("/api/jobs/1", headers=api).status_code == 401
    assert "already disabled" in run("users", "disable", "ed@example.org")[1]

    assert run("users", "enable", "ed@example.org")[0] == 0
    assert browser.get("/api/jobs/1", headers=api).status_code == 404
    # The session that was open when the account was disabled stays ended.
    assert browser.get("/articles/new", follow_redirects=False).status_code == 303
    engine.dispose()


def test_set_password_from_stdin_replaces_the_old_one_and_is_audited(committed_db: str) -> None:
    _users(committed_db, ("ed@example.org", "editor"))
    code, stdout, _ = run("users", "set-password", "ed@example.org", "--password-stdin",
                          stdin="another long password\n")  # fmt: skip
    assert code == 0 and "new password set" in stdout
    code, _, stderr = run("users", "set-password", "ed@example.org", "--password-stdin",
                          stdin="short\n")  # fmt: skip
    assert code == 1 and "at least 8 characters" in stderr
    engine = create_engine(committed_db)
    with Session(engine) as session:
        assert authenticate(session, "ed@example.org", PASSWORD) is None
        assert authenticate(session, "ed@example.org", "another long password") is not None
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "user"))
        assert list(actions) == ["set_password"]
        entry = session.scalars(select(AuditEntry)).one()
        assert entry.before is None and entry.after is None  # never the password
    engine.dispose()


def test_set_password_prompts_hidden_with_confirmation(committed_db: str) -> None:
    _users(committed_db, ("ed@example.org", "editor"))
    code, stdout, _ = run("users", "set-password", "ed@example.org",
                          stdin="typed long password\ntyped long password\n")  # fmt: skip
    assert code == 0
    assert "typed long password" not in stdout  # hidden input is not echoed
    engine = create_engine(committed_db)
    with Session(engine) as session:
        assert authenticate(session, "ed@example.org", "typed long password") is not None
    engine.dispose()


def test_set_role_and_the_last_admin_is_kept(committed_db: str) -> None:
    _users(committed_db, ("ada@example.org", "admin"), ("ed@example.org", "editor"))
    code, _, stderr = run("users", "set-role", "ada@example.org", "editor")
    assert code == 1 and "last admin" in stderr
    code, _, stderr = run("users", "disable", "ada@example.org")
    assert code == 1 and "last admin" in stderr
    code, _, stderr = run("users", "set-role", "ed@example.org", "owner")
    assert code == 1 and "role must be one of viewer, editor, admin" in stderr

    assert run("users", "set-role", "ed@example.org", "admin")[1].strip() == (
        "ed@example.org is now admin"
    )
    assert run("users", "set-role", "ada@example.org", "viewer")[0] == 0
    engine = create_engine(committed_db)
    with Session(engine) as session:
        roles = {email: role for email, role in session.execute(select(User.email, User.role))}
    assert roles == {"ada@example.org": "viewer", "ed@example.org": "admin"}
    engine.dispose()


def test_tokens_list_shows_prefixes_never_secrets_and_revoke_ends_a_token(
    committed_db: str,
) -> None:
    tokens = _users(committed_db, ("ed@example.org", "editor"), ("vi@example.org", "viewer"))
    code, stdout, _ = run("tokens", "list")
    assert code == 0
    for email, token in tokens.items():
        line = next(line for line in stdout.splitlines() if email in line)
        assert token[:10] in line and token not in line and "last used never" in line
    assert "vi@example.org" not in run("tokens", "list", "--email", "ed@example.org")[1]

    engine = create_engine(committed_db)
    api = TestClient(create_app(engine))
    headers = {"Authorization": f"Bearer {tokens['ed@example.org']}"}
    assert api.get("/api/jobs/1", headers=headers).status_code == 404
    token_id = next(line.split()[0] for line in stdout.splitlines() if "ed@example.org" in line)
    code, stdout, _ = run("tokens", "revoke", token_id)
    assert code == 0 and f"revoked token {token_id}" in stdout
    answer = api.get("/api/jobs/1", headers=headers)
    assert answer.status_code == 401 and "invalid or revoked" in answer.json()["detail"]
    code, _, stderr = run("tokens", "revoke", token_id)
    assert code == 1 and f"there is no API token {token_id}" in stderr
    engine.dispose()


def test_the_account_commands_have_help() -> None:
    for command in ("list", "disable", "enable", "set-password", "set-role"):
        assert run("users", command, "--help")[0] == 0
    for command in ("list", "revoke"):
        assert run("tokens", command, "--help")[0] == 0


def test_users_create_and_tokens_create_are_audited_and_say_an_unknown_email(
    committed_db: str,
) -> None:
    code, stdout, _ = run("users", "create", "new@example.org", "--role", "editor",
                          "--password-stdin", stdin=PASSWORD + "\n")  # fmt: skip
    assert code == 0 and "created editor new@example.org" in stdout
    code, stdout, _ = run("tokens", "create", "new@example.org")
    assert code == 0 and stdout.startswith("ct_")
    code, _, stderr = run("tokens", "create", "nobody@example.org")
    assert code == 1 and "there is no user with email nobody@example.org" in stderr
    engine = create_engine(committed_db)
    with Session(engine) as session:
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["create", "create_token"]
    engine.dispose()
