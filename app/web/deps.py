"""Who is asking: request dependencies for the signed-in user (cookie) or API token (bearer)."""

import time
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from app.accounts.service import user_for_token
from app.db import SessionDep
from app.models.accounts import User
from app.settings import get_settings


def now() -> float:
    """Seconds since the epoch; one place, so tests can move the clock."""
    return time.time()


def _session_user_id(request: Request) -> int | None:
    if "session" not in request.scope:
        return None
    user_id = request.session.get("user_id")
    return user_id if isinstance(user_id, int) else None


def get_current_user(request: Request, session: SessionDep) -> User | None:
    """The user of a bearer token, else of the session cookie, else None (anonymous)."""
    authorization = request.headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        user = user_for_token(session, token.strip())
        if user is None:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "the API token is invalid or revoked",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return user
    user_id = _session_user_id(request)
    if user_id is None:
        return None
    return signed_in_user(request, session.get(User, user_id))


def signed_in_user(request: Request, user: User | None) -> User | None:
    """The session's user, unless disabled, the session was ended (signed out elsewhere: the
    cookie's version is behind the user's) or it is older than CLAIMTRACKER_SESSION_HOURS."""
    if user is None or user.disabled:
        return None
    if request.session.get("sv") != user.session_version:
        return None
    signed_in_at = request.session.get("at")
    if not isinstance(signed_in_at, int):
        return None
    if now() - signed_in_at > get_settings().session_hours * 3600:
        return None
    return user


class SignInRequired(HTTPException):
    """Nobody (or a session that has ended) asks for what needs an account: 401 for the API,
    the sign-in page for a person in a browser (app.web.auth)."""

    def __init__(self) -> None:
        super().__init__(
            status.HTTP_401_UNAUTHORIZED,
            "sign in (or send an API token) to change anything",
            headers={"WWW-Authenticate": "Bearer"},
        )


def require_user(user: Annotated[User | None, Depends(get_current_user)]) -> User:
    if user is None:
        raise SignInRequired()
    return user


def require_editor(user: Annotated[User | None, Depends(get_current_user)]) -> User:
    if user is None:
        raise SignInRequired()
    if not user.can_edit:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only editors and admins may change data")
    return user


def require_api_editor(
    request: Request, user: Annotated[User | None, Depends(get_current_user)]
) -> User:
    """API writes take a bearer token only: a browser's cookie would need a CSRF check."""
    if not request.headers.get("authorization", "").lower().startswith("bearer "):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "send an API token: Authorization: Bearer <token> (claimtracker tokens create EMAIL)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return require_editor(user)


def require_admin(user: Annotated[User, Depends(require_editor)]) -> User:
    if user.role != "admin":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only admins may do this")
    return user


CurrentUser = Annotated[User | None, Depends(get_current_user)]
SignedInUser = Annotated[User, Depends(require_user)]
EditorUser = Annotated[User, Depends(require_editor)]
AdminUser = Annotated[User, Depends(require_admin)]
ApiEditorUser = Annotated[User, Depends(require_api_editor)]
