"""Wiring accounts into the web app: signed session cookies, pages, and template context."""

from typing import Any

from fastapi import FastAPI, Request
from starlette.middleware.sessions import SessionMiddleware

from app.accounts.csrf import csrf_token
from app.accounts.models import User
from app.accounts.secret import secret_key
from app.settings import get_settings
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
            user = session.get(User, user_id)
            if user is not None:
                session.expunge(user)
        if user is not None and user.disabled:
            user = None
    return {"current_user": user, "csrf_token": csrf_token(request)}


def install_accounts(app: FastAPI) -> None:
    from app.accounts.routes import router as accounts_router
    from app.articles.upload_routes import router as upload_router
    from app.review.routes import router as review_router

    settings = get_settings()
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret_key(settings),
        session_cookie=SESSION_COOKIE,
        max_age=14 * 24 * 3600,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    if account_context not in templates.context_processors:
        templates.context_processors.append(account_context)
    app.include_router(accounts_router)
    app.include_router(upload_router)  # before /articles/{id}, so /articles/new is the form
    app.include_router(review_router)
