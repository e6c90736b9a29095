"""Accounts: creating users and API tokens, checking passwords and tokens, limiting guesses,
and what an operator or admin does to them (disable, role, password, revoke) — audited."""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, joinedload

from app.models.accounts import ROLES, ApiToken, LoginAttempt, User
from app.models.review import AuditEntry
from app.review.service import record

_hasher = PasswordHasher()
# A hash to verify against when the email is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("not a real password")

TOKEN_PREFIX = "ct_"
MAX_FAILURES = 5
# Failures from one address, whatever the accounts, before it must wait.
MAX_ADDRESS_FAILURES = 50
FAILURE_WINDOW = timedelta(minutes=15)
MIN_PASSWORD = 8


class AccountError(ValueError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(session: Session, email: str, password: str, role: str = "viewer") -> User:
    email = normalise_email(email)
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if "@" not in email or len(email) > 320:
        raise AccountError(f"{email!r} is not an email address")
    check_password(password)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AccountError(f"a user with email {email} already exists")
    user = User(email=email, password_hash=_hasher.hash(password), role=role)
    session.add(user)
    session.flush()
    return user


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > 1024:
        raise AccountError("the password must have at most 1024 characters")


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or user.disabled:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, user: User) -> str:
    """A new API token for the user; returned once, stored only as its hash."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=hash_token(token), prefix=token[:10]))
    session.flush()
    return token


def user_for_token(session: Session, token: str) -> User | None:
    api_token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if api_token is None or api_token.user.disabled:
        return None
    api_token.last_used_at = datetime.now(UTC)
    return api_token.user


def too_many_failures(session: Session, email: str, ip: str) -> bool:
    """Whether this address must wait before trying again: five failures for this account
    from this address, or many from this address for any account. Failures from elsewhere do
    not count, so nobody can lock a person out of their own account by guessing."""
    since = datetime.now(UTC) - FAILURE_WINDOW
    recent = select(func.count()).select_from(LoginAttempt).where(LoginAttempt.at > since)
    pair = session.scalar(
        recent.where(LoginAttempt.email == normalise_email(email), LoginAttempt.ip == ip)
    )
    address = session.scalar(recent.where(LoginAttempt.ip == ip))
    return (pair or 0) >= MAX_FAILURES or (address or 0) >= MAX_ADDRESS_FAILURES


def record_failure(session: Session, email: str, ip: str) -> None:
    session.add(LoginAttempt(email=normalise_email(email)[:320], ip=ip[:64]))
    # Old attempts say nothing any more.
    session.execute(
        delete(LoginAttempt).where(LoginAttempt.at < datetime.now(UTC) - timedelta(days=1))
    )


def clear_failures(session: Session, email: str, ip: str) -> None:
    session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.email == normalise_email(email), LoginAttempt.ip == ip
        )
    )


def end_sessions(session: Session, user_id: int) -> None:
    """Sign the person out everywhere: every session cookie made so far stops working."""
    user = session.get(User, user_id)
    if user is not None:
        user.session_version += 1


def user_by_email(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise AccountError(f"there is no user with email {normalise_email(email)}")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.id)))


def list_tokens(session: Session) -> list[ApiToken]:
    query = select(ApiToken).options(joinedload(ApiToken.user)).order_by(ApiToken.id)
    return list(session.scalars(query))


def _state(user: User) -> dict[str, object]:
    return {"role": user.role, "disabled": user.disabled}


def _keeps_an_admin(session: Session, user: User, role: str, disabled: bool) -> None:
    """Refuse a change that would leave no enabled admin: nobody could manage the site then."""
    if user.role != "admin" or user.disabled or (role == "admin" and not disabled):
        return
    # The other admins' rows are locked, so two admins cannot each demote the other at once.
    others = session.scalars(
        select(User.id)
        .where(User.role == "admin", User.disabled.is_(False), User.id != user.id)
        .with_for_update()
    ).all()
    if not others:
        raise AccountError(
            f"{user.email} is the last admin who can sign in: make another person admin first"
        )


def set_role(session: Session, user: User, role: str, by: User | None) -> bool:
    """Give the user a role; False when they had it already (nothing changes, nothing logged)."""
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if role == user.role:
        return False
    _keeps_an_admin(session, user, role, user.disabled)
    before = _state(user)
    user.role = role
    record(session, by, "user", user.id, "set_role", before, _state(user))
    return True


def set_disabled(session: Session, user: User, disabled: bool, by: User | None) -> bool:
    """Disable (every session and token stops at once) or enable a user; False when the user
    was so already."""
    if disabled == user.disabled:
        return False
    if disabled:
        _keeps_an_admin(session, user, user.role, True)
    before = _state(user)
    user.disabled = disabled
    if disabled:
        user.session_version += 1
    record(session, by, "user", user.id, "disable" if disabled else "enable", before, _state(user))
    return True


def set_password(session: Session, user: User, password: str, by: User | None) -> None:
    """A new password; every session of the user ends (their tokens stay)."""
    check_password(password)
    user.password_hash = _hasher.hash(password)
    user.session_version += 1
    # The audit says that it changed, never what to.
    record(session, by, "user", user.id, "set_password", None, None)


def new_password() -> str:
    """A password for an admin to hand over once: 16 characters, easy to read aloud."""
    return secrets.token_urlsafe(12)


def revoke_token(session: Session, token_id: int, by: User | None) -> ApiToken:
    """Delete a token: the next request that sends it gets 401."""
    token = session.get(
        ApiToken,
        token_id,
        with_for_update=True,
        options=[joinedload(ApiToken.user, innerjoin=True)],
    )
    if token is None:
        raise AccountError(f"there is no API token {token_id}")
    state = {"token_id": token.id, "prefix": token.prefix}
    session.delete(token)
    record(session, by, "user", token.user_id, "revoke_token", state, None)
    session.flush()
    return token


def note_sign_in(user: User) -> None:
    user.last_login_at = datetime.now(UTC)


def recent_changes(session: Session, limit: int = 30) -> list[AuditEntry]:
    """The latest changes made to accounts (roles, disabling, passwords, tokens)."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.entity == "user")
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


MAX_DISPLAY_NAME = 100


def set_display_name(session: Session, user: User, name: str, by: User | None) -> bool:
    """How the person is shown to others (empty: "Editor #12"); no two people share a name,
    so nobody can pass for somebody else. False when nothing changed."""
    cleaned = " ".join(name.split()) or None
    if cleaned is not None and len(cleaned) > MAX_DISPLAY_NAME:
        raise AccountError(f"the name must have at most {MAX_DISPLAY_NAME} characters")
    if cleaned == user.display_name:
        return False
    if cleaned is not None:
        taken = session.scalar(
            select(User.id).where(
                func.lower(User.display_name) == cleaned.lower(), User.id != user.id
            )
        )
        if taken is not None:
            raise AccountError(f"another person is already shown as {cleaned!r}")
    before = {"display_name": user.display_name}
    user.display_name = cleaned
    record(session, by, "user", user.id, "set_name", before, {"display_name": cleaned})
    return True


def password_matches(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def add_user(session: Session, email: str, password: str, role: str, by: User | None) -> User:
    """create_user, kept in the audit log (who added whom, with which role)."""
    user = create_user(session, email, password, role)
    record(session, by, "user", user.id, "create", None, _state(user))
    return user


def issue_token(session: Session, user: User, by: User | None) -> str:
    """create_token, kept in the audit log by its id and prefix (never the secret)."""
    if user.disabled:
        raise AccountError(f"{user.email} is disabled: enable them before giving them a token")
    token = create_token(session, user)
    issued = session.scalars(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).one()
    after = {"token_id": issued.id, "prefix": issued.prefix}
    record(session, by, "user", user.id, "create_token", None, after)
    return token
