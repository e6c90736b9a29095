"""The admin page: people (role, disabled, password) and API tokens, every change audited."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from app.accounts import service
from app.accounts.service import AccountError
from app.db import RowId, SessionDep
from app.models.accounts import ROLES, User
from app.web.csrf import check_csrf
from app.web.deps import AdminUser
from app.web.templating import templates

router = APIRouter()
NOTICE = "admin_notice"


def _user_or_404(session: Session, user_id: int) -> User:
    user = session.get(User, user_id, with_for_update=True)
    if user is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"there is no user {user_id}")
    return user


def _page(
    request: Request,
    session: Session,
    *,
    error: str | None = None,
    new_password: tuple[User, str] | None = None,
    new_token: tuple[User, str] | None = None,
    form: dict[str, str] | None = None,
    code: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "users": service.list_users(session),
        "tokens": service.list_tokens(session),
        "changes": service.recent_changes(session),
        "roles": ROLES,
        "notice": request.session.pop(NOTICE, None),
        "error": error,
        "new_password": new_password,
        "new_token": new_token,
        "form": form or {"email": "", "role": "editor"},
    }
    response = templates.TemplateResponse(request, "admin/index.html", context, code)
    # A password shown once must not stay in a cache.
    response.headers["Cache-Control"] = "no-store"
    return response


def _done(request: Request, notice: str, target: str = "/admin") -> Response:
    request.session[NOTICE] = notice
    return RedirectResponse(target, status.HTTP_303_SEE_OTHER)


def _refused(request: Request, session: Session, error: AccountError) -> Response:
    session.rollback()
    return _page(request, session, error=str(error), code=status.HTTP_409_CONFLICT)


@router.get("/admin", response_class=HTMLResponse, include_in_schema=False)
def admin_page(request: Request, session: SessionDep, admin: AdminUser) -> Response:
    return _page(request, session)


@router.post("/admin/users", response_class=HTMLResponse, include_in_schema=False)
def add_user(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    email: Annotated[str, Form(max_length=320)],
    role: Annotated[str, Form(max_length=20)],
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    """A new person, with the admin's password for them or a generated one shown once."""
    check_csrf(request, csrf_token)
    chosen = password or service.new_password()
    try:
        user = service.add_user(session, email, chosen, role, admin)
    except AccountError as error:
        session.rollback()
        return _page(
            request,
            session,
            error=f"Nobody was added: {error}.",
            form={"email": email, "role": role},
            code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )
    if not password:
        return _page(request, session, new_password=(user, chosen))
    return _done(request, f"{user.email} is added as {user.role}.")


@router.post("/admin/users/{user_id}/token", response_class=HTMLResponse, include_in_schema=False)
def new_token(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    user_id: RowId,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    """A new API token for the person, shown on this answer only."""
    check_csrf(request, csrf_token)
    user = _user_or_404(session, user_id)
    try:
        token = service.issue_token(session, user, admin)
    except AccountError as error:
        return _refused(request, session, error)
    return _page(request, session, new_token=(user, token))


@router.post("/admin/users/{user_id}/role", include_in_schema=False)
def change_role(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    user_id: RowId,
    role: Annotated[str, Form(max_length=20)],
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    user = _user_or_404(session, user_id)
    try:
        changed = service.set_role(session, user, role, admin)
    except AccountError as error:
        return _refused(request, session, error)
    if not changed:
        return _done(request, f"{user.email} was already {role}; nothing changed.")
    # Having given up the admin role, the person can no longer see this page.
    target = "/" if user.id == admin.id else "/admin"
    return _done(request, f"{user.email} is now {role}.", target)


@router.post("/admin/users/{user_id}/disable", include_in_schema=False)
def disable_user(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    user_id: RowId,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    user = _user_or_404(session, user_id)
    try:
        changed = service.set_disabled(session, user, True, admin)
    except AccountError as error:
        return _refused(request, session, error)
    if not changed:
        return _done(request, f"{user.email} was already disabled.")
    return _done(
        request, f"{user.email} is disabled: their sessions and API tokens no longer work."
    )


@router.post("/admin/users/{user_id}/enable", include_in_schema=False)
def enable_user(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    user_id: RowId,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    user = _user_or_404(session, user_id)
    changed = service.set_disabled(session, user, False, admin)
    if not changed:
        return _done(request, f"{user.email} was not disabled.")
    return _done(request, f"{user.email} is enabled again and may sign in.")


@router.post(
    "/admin/users/{user_id}/password", response_class=HTMLResponse, include_in_schema=False
)
def reset_password(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    user_id: RowId,
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    """The admin's password, or a generated one shown on this answer only."""
    check_csrf(request, csrf_token)
    user = _user_or_404(session, user_id)
    generated = not password
    chosen = service.new_password() if generated else password
    try:
        service.set_password(session, user, chosen, admin)
    except AccountError as error:
        return _refused(request, session, error)
    if user.id == admin.id:
        request.session["sv"] = user.session_version  # the admin stays signed in here
    if generated:
        return _page(request, session, new_password=(user, chosen))
    return _done(request, f"{user.email} has a new password; their sessions have ended.")


@router.post("/admin/tokens/{token_id}/revoke", include_in_schema=False)
def revoke_token(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    token_id: RowId,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    try:
        token = service.revoke_token(session, token_id, admin)
    except AccountError:
        # Revoked already (a second click, another admin): what was asked is true.
        return _done(request, f"Token {token_id} is revoked.")
    return _done(request, f"Token {token.prefix}… of {token.user.email} is revoked.")


@router.get("/api/admin/users", tags=["admin"])
def users_json(session: SessionDep, admin: AdminUser) -> dict[str, Any]:
    """Every user, for admins (emails included)."""
    return {
        "items": [
            {
                "id": user.id,
                "email": user.email,
                "display_name": user.display_name,
                "role": user.role,
                "disabled": user.disabled,
                "created_at": user.created_at,
                "last_login_at": user.last_login_at,
            }
            for user in service.list_users(session)
        ]
    }


@router.get("/api/admin/tokens", tags=["admin"])
def tokens_json(session: SessionDep, admin: AdminUser) -> dict[str, Any]:
    """Every API token by id and prefix (never the secret), for admins."""
    return {
        "items": [
            {
                "id": token.id,
                "prefix": token.prefix,
                "user_id": token.user_id,
                "email": token.user.email,
                "created_at": token.created_at,
                "last_used_at": token.last_used_at,
            }
            for token in service.list_tokens(session)
        ]
    }
