"""Accounts: creating users and API tokens, checking passwords and tokens, limiting guesses."""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.models.accounts import ROLES, ApiToken, LoginAttempt, User

_hasher = PasswordHasher()
# A hash to verify against when the email is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("not a real password")

TOKEN_PREFIX = "ct_"
MAX_FAILURES = 5
# Failures from one address, whatever the accounts, before it must wait.
MAX_ADDRESS_FAILURES = 50
FAILURE_WINDOW = timedelta(minutes=15)


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
    if len(password) < 8:
        raise AccountError("the password must have at least 8 characters")
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AccountError(f"a user with email {email} already exists")
    user = User(email=email, password_hash=_hasher.hash(password), role=role)
    session.add(user)
    session.flush()
    return user


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
