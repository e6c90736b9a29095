"""Sign-in and sign-out pages."""

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts import service
from app.db import SessionDep
from app.settings import get_settings
from app.web.csrf import check_csrf
from app.web.deps import now
from app.web.templating import templates

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only a path on this site: never send a person elsewhere after signing in."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def client_ip(request: Request) -> str:
    """The address a request came from: the peer, or, when the peer is one of the proxies
    in CLAIMTRACKER_TRUSTED_PROXIES, the last address before it in X-Forwarded-For."""
    peer = request.client.host if request.client else "unknown"
    trusted = {host.strip() for host in get_settings().trusted_proxies.split(",") if host.strip()}
    if peer not in trusted:
        return peer
    forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",")]
    for address in reversed([part for part in forwarded if part]):
        if address not in trusted:
            return address[:64]
    return peer


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    return templates.TemplateResponse(
        request, "accounts/login.html", {"next": safe_next(next), "email": "", "error": None}
    )


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    session: SessionDep,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str | None, Form()] = None,
    next: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    ip = client_ip(request)

    def again(error: str, code: int) -> Response:
        context = {"next": safe_next(next), "email": email, "error": error}
        return templates.TemplateResponse(request, "accounts/login.html", context, code)

    if service.too_many_failures(session, email, ip):
        return again(
            "Too many failed attempts. Wait 15 minutes before trying again.",
            status.HTTP_429_TOO_MANY_REQUESTS,
        )
    user = service.authenticate(session, email, password)
    if user is None:
        service.record_failure(session, email, ip)
        return again("Wrong email or password.", status.HTTP_401_UNAUTHORIZED)
    service.clear_failures(session, email, ip)
    service.note_sign_in(user)
    request.session.clear()  # a fresh session (and CSRF token) for the signed-in person
    request.session["user_id"] = user.id
    request.session["sv"] = user.session_version
    request.session["at"] = int(now())
    return RedirectResponse(safe_next(next), status.HTTP_303_SEE_OTHER)


@router.post("/logout")
def logout(
    request: Request, session: SessionDep, csrf_token: Annotated[str | None, Form()] = None
) -> Response:
    check_csrf(request, csrf_token)
    user_id = request.session.get("user_id")
    if isinstance(user_id, int):
        # Every copy of this cookie (and of the person's other sessions) ends here.
        service.end_sessions(session, user_id)
    request.session.clear()
    return RedirectResponse("/", status.HTTP_303_SEE_OTHER)
