"""CSRF protection for forms: a per-session token that every form POST must send back."""

import hmac
import secrets

from fastapi import HTTPException, Request, status

FIELD = "csrf_token"
HEADER = "x-csrf-token"


def csrf_token(request: Request) -> str:
    """The session's token (created on first use); forms put it in a hidden field."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def check_csrf(request: Request, sent: str | None) -> None:
    expected = request.session.get("csrf") if "session" in request.scope else None
    if not isinstance(expected, str) or not sent or not hmac.compare_digest(expected, sent):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "the form has expired or did not come from this site: reload the page and try again",
        )
