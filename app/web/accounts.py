"""Sign-in and sign-out pages."""

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts import service
from app.db import SessionDep
from app.web.csrf import check_csrf
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
    return request.client.host if request.client else "unknown"


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
    service.clear_failures(session, email)
    request.session.clear()  # a fresh session (and CSRF token) for the signed-in person
    request.session["user_id"] = user.id
    return RedirectResponse(safe_next(next), status.HTTP_303_SEE_OTHER)


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str | None, Form()] = None) -> Response:
    check_csrf(request, csrf_token)
    request.session.clear()
    return RedirectResponse("/", status.HTTP_303_SEE_OTHER)
