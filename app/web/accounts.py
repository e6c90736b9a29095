"""Sign-in and sign-out, and a person's own account page (their public name, their password)."""

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts import service
from app.db import SessionDep
from app.models.accounts import User
from app.settings import get_settings
from app.web.csrf import check_csrf
from app.web.deps import SignedInUser, now
from app.web.templating import templates

router = APIRouter(include_in_schema=False)
NOTICE = "account_notice"


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


def _account_page(
    request: Request,
    user: User,
    *,
    errors: dict[str, str] | None = None,
    name: str | None = None,
    code: int = 200,
) -> Response:
    context = {
        "user": user,
        "errors": errors or {},
        "name": (user.display_name or "") if name is None else name,
        "notice": request.session.pop(NOTICE, None),
    }
    return templates.TemplateResponse(request, "accounts/account.html", context, code)


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, user: SignedInUser) -> Response:
    return _account_page(request, user)


@router.post("/account/name", response_class=HTMLResponse)
def change_name(
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    display_name: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    try:
        changed = service.set_display_name(session, user, display_name, user)
    except service.AccountError as error:
        session.rollback()
        return _account_page(
            request, user, errors={"display_name": str(error)}, name=display_name, code=422
        )
    request.session[NOTICE] = (
        f"Others now see you as {user.public_name}." if changed else "Nothing changed."
    )
    return RedirectResponse("/account", status.HTTP_303_SEE_OTHER)


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    current_password: Annotated[str, Form(max_length=1024)],
    new_password: Annotated[str, Form(max_length=1024)],
    repeat_password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    """A new password ends every other session of the person; this one goes on. The current
    password first, so a borrowed session cannot take the account, with the sign-in's limit
    on guesses."""
    check_csrf(request, csrf_token)

    def again(field: str, message: str, code: int = 422) -> Response:
        return _account_page(request, user, errors={field: message}, code=code)

    ip = client_ip(request)
    if service.too_many_failures(session, user.email, ip):
        return again("current_password", "Too many wrong passwords. Wait 15 minutes.", 429)
    if not service.password_matches(user, current_password):
        service.record_failure(session, user.email, ip)
        return again("current_password", "The current password is not right.")
    if new_password != repeat_password:
        return again("repeat_password", "The two new passwords differ.")
    try:
        service.set_password(session, user, new_password, user)
    except service.AccountError as error:
        return again("new_password", str(error)[0].upper() + str(error)[1:] + ".")
    request.session["sv"] = user.session_version
    request.session[NOTICE] = "Your password is changed; your other sessions have ended."
    return RedirectResponse("/account", status.HTTP_303_SEE_OTHER)
