"""Who is signed in, for the whole site: signed session cookies, the sign-in wall when
reading is not public, and the current user in every template."""

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.middleware.sessions import SessionMiddleware

from app.accounts.secret import secret_key
from app.accounts.service import user_for_token
from app.models.accounts import User
from app.settings import get_settings
from app.web.csrf import csrf_token
from app.web.deps import SignInRequired, signed_in_user
from app.web.errors import error_response, wants_json
from app.web.templating import templates

SESSION_COOKIE = "claimtracker_session"


def account_context(request: Request) -> dict[str, Any]:
    """Every page gets the signed-in user (or None) and the form token."""
    if "session" not in request.scope:
        return {"current_user": None, "csrf_token": ""}
    user = None
    user_id = request.session.get("user_id")
    if isinstance(user_id, int):
        with request.app.state.sessionmaker() as session:
            user = signed_in_user(request, session.get(User, user_id))
            if user is not None:
                session.expunge(user)
    return {"current_user": user, "csrf_token": csrf_token(request)}


OPEN_PATHS = ("/login", "/logout", "/healthz", "/static/")


def _signed_in(request: Request) -> bool:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        with request.app.state.sessionmaker.begin() as session:
            return user_for_token(session, token.strip()) is not None
    return account_context(request)["current_user"] is not None


async def require_sign_in(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """With CLAIMTRACKER_PUBLIC_READ=false, nothing but the sign-in page is shown to strangers."""
    path = request.url.path
    if path.startswith(OPEN_PATHS) or await run_in_threadpool(_signed_in, request):
        return await call_next(request)
    if path.startswith("/api/") or path in ("/openapi.json", "/docs", "/redoc"):
        return JSONResponse({"detail": "sign in or send an API token"}, 401)
    return RedirectResponse(f"/login?next={quote(path)}", 303)


async def sign_in_again(request: Request, error: Exception) -> Response:
    """An API client gets 401; a person whose session ended is sent to sign in, and back to
    the page they were on (a form's page, not the address it posts to)."""
    if wants_json(request) or request.headers.get("authorization"):
        response = error_response(request, 401, str(getattr(error, "detail", "")))
        response.headers["WWW-Authenticate"] = "Bearer"
        return response
    target = request.url.path
    if request.method != "GET":
        referer = urlsplit(request.headers.get("referer", ""))
        same_site = referer.netloc == request.url.netloc
        target = referer.path if same_site and referer.path.startswith("/") else "/"
    return RedirectResponse(f"/login?next={quote(target)}", 303)


def install_auth(app: FastAPI) -> None:
    settings = get_settings()
    app.add_exception_handler(SignInRequired, sign_in_again)
    if not settings.public_read:
        # Added before the session middleware, so it runs inside it and can read the session.
        app.add_middleware(BaseHTTPMiddleware, dispatch=require_sign_in)
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret_key(settings),
        session_cookie=SESSION_COOKIE,
        max_age=int(settings.session_hours * 3600),
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    if account_context not in templates.context_processors:
        templates.context_processors.append(account_context)
