"""Editors' corrections: review statements, fix their speaker, merge actors, add aliases."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import RowId, SessionDep
from app.models.actors import ACTOR_KINDS, Actor
from app.models.statements import CUE_CLASSES, STATEMENT_KINDS, Statement
from app.review import service
from app.review.service import AliasConflict, ReviewError
from app.web.csrf import check_csrf
from app.web.deps import ApiEditorUser, CurrentUser, EditorUser
from app.web.templating import templates

router = APIRouter()

Action = Literal["confirm", "reject", "restore"]
ACTIONS = {"confirm": service.confirm, "reject": service.reject, "restore": service.restore}


def _statement_or_404(session: Session, statement_id: RowId) -> Statement:
    statement = session.get(Statement, statement_id)
    if statement is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"there is no statement {statement_id}")
    return statement


def _actor_or_404(session: Session, slug: str) -> Actor:
    actor = session.scalar(select(Actor).where(Actor.slug == slug))
    if actor is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"there is no actor {slug!r}")
    return actor


def _unprocessable(error: ReviewError) -> HTTPException:
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error))


def _back(request: Request, fallback: str) -> RedirectResponse:
    """Back to the page the form was on (same site only), else the fallback."""
    referer = request.headers.get("referer", "")
    base = str(request.base_url)
    target = "/" + referer[len(base) :] if referer.startswith(base) else fallback
    return RedirectResponse(target, status.HTTP_303_SEE_OTHER)


def _speaker_for(
    session: Session, speaker: str | None, new_name: str | None, new_kind: str | None
) -> Actor | None:
    if new_name and new_name.strip():
        return service.new_actor(session, new_name, new_kind or "unknown")
    if speaker:
        return _actor_or_404(session, speaker)
    return None


# --- pages -----------------------------------------------------------------------------------


@router.get("/statements/{statement_id}", response_class=HTMLResponse, include_in_schema=False)
def statement_page(
    request: Request, session: SessionDep, statement_id: RowId, user: CurrentUser
) -> Response:
    statement = _statement_or_404(session, statement_id)
    context: dict[str, Any] = {
        "statement": statement,
        "article": statement.article,
        "speaker": statement.speaker,
        "sentence": statement.article.body[statement.sentence_start : statement.sentence_end],
        "history": service.history(session, "statement", statement.id),
        "kinds": STATEMENT_KINDS,
        "cue_classes": CUE_CLASSES,
        "actor_kinds": ACTOR_KINDS,
    }
    return templates.TemplateResponse(request, "review/statement.html", context)


@router.post("/statements/{statement_id}/review", include_in_schema=False)
def review_form(
    request: Request,
    session: SessionDep,
    statement_id: RowId,
    user: EditorUser,
    action: Annotated[Action, Form()],
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    ACTIONS[action](session, _statement_or_404(session, statement_id), user)
    return _back(request, f"/statements/{statement_id}")


@router.post("/statements/{statement_id}/correct", include_in_schema=False)
def correct_form(
    request: Request,
    session: SessionDep,
    statement_id: RowId,
    user: EditorUser,
    speaker: Annotated[str | None, Form()] = None,
    new_speaker_name: Annotated[str | None, Form(max_length=300)] = None,
    new_speaker_kind: Annotated[str | None, Form()] = None,
    kind: Annotated[str | None, Form()] = None,
    cue_class: Annotated[str | None, Form()] = None,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    statement = _statement_or_404(session, statement_id)
    try:
        new_speaker = _speaker_for(session, speaker, new_speaker_name, new_speaker_kind)
        service.correct(
            session,
            statement,
            user,
            speaker=new_speaker,
            kind=kind or None,
            cue_class=cue_class or None,
        )
    except ReviewError as error:
        raise _unprocessable(error) from None
    return RedirectResponse(f"/statements/{statement_id}", status.HTTP_303_SEE_OTHER)


# --- API -------------------------------------------------------------------------------------


class ReviewRequest(BaseModel):
    action: Action


class Correction(BaseModel):
    speaker: str | None = Field(None, description="Slug of an existing actor.")
    new_speaker_name: str | None = Field(None, max_length=300, description="Create this actor.")
    new_speaker_kind: Literal[ACTOR_KINDS] | None = None  # type: ignore[valid-type]
    kind: Literal[STATEMENT_KINDS] | None = None  # type: ignore[valid-type]
    cue_class: Literal[CUE_CLASSES] | None = None  # type: ignore[valid-type]


class AliasRequest(BaseModel):
    alias: str = Field(..., min_length=1, max_length=300)
    confirm: bool = Field(
        False, description="Add it although other actors go by this name already."
    )


class MergeRequest(BaseModel):
    into: str = Field(..., min_length=1, max_length=300, description="Slug of the actor kept.")


def _state(session: Session, statement: Statement) -> dict[str, Any]:
    return {"id": statement.id, **service.statement_state(session, statement)}


@router.post("/api/statements/{statement_id}/review", tags=["review"])
def api_review(
    session: SessionDep, statement_id: RowId, body: ReviewRequest, user: ApiEditorUser
) -> dict[str, Any]:
    """Confirm, reject or restore a statement (editors; bearer token)."""
    statement = _statement_or_404(session, statement_id)
    ACTIONS[body.action](session, statement, user)
    return _state(session, statement)


@router.patch("/api/statements/{statement_id}", tags=["review"])
def api_correct(
    session: SessionDep, statement_id: RowId, body: Correction, user: ApiEditorUser
) -> dict[str, Any]:
    """Change a statement's speaker, kind or cue class (editors; bearer token)."""
    statement = _statement_or_404(session, statement_id)
    try:
        speaker = _speaker_for(session, body.speaker, body.new_speaker_name, body.new_speaker_kind)
        service.correct(
            session, statement, user, speaker=speaker, kind=body.kind, cue_class=body.cue_class
        )
    except ReviewError as error:
        raise _unprocessable(error) from None
    return _state(session, statement)


@router.get("/api/statements/{statement_id}/history", tags=["review"])
def api_history(session: SessionDep, statement_id: RowId, user: CurrentUser) -> dict[str, Any]:
    """Every human change to a statement, newest first."""
    _statement_or_404(session, statement_id)
    admin = user is not None and user.role == "admin"
    entries = service.history(session, "statement", statement_id)
    return {"items": [_entry(entry, admin) for entry in entries]}


@router.post("/api/actors/{slug}/aliases", tags=["review"], status_code=201)
def api_alias(
    session: SessionDep, slug: str, body: AliasRequest, user: ApiEditorUser
) -> dict[str, Any]:
    """Add a name an actor goes by (editors; bearer token)."""
    actor = _actor_or_404(session, slug)
    try:
        service.add_alias(session, actor, body.alias, user, confirm=body.confirm)
    except AliasConflict as conflict:
        raise HTTPException(status.HTTP_409_CONFLICT, str(conflict)) from None
    except ReviewError as error:
        raise _unprocessable(error) from None
    return {"slug": actor.slug, "alias": body.alias}


@router.post("/api/actors/{slug}/merge", tags=["review"])
def api_merge(
    session: SessionDep, slug: str, body: MergeRequest, user: ApiEditorUser
) -> dict[str, Any]:
    """Merge this actor into another; its statements and aliases move (editors; bearer token)."""
    duplicate = _actor_or_404(session, slug)
    kept = _actor_or_404(session, body.into)
    try:
        entry = service.merge(session, duplicate, kept, user)
    except ReviewError as error:
        raise _unprocessable(error) from None
    session.flush()
    return {"slug": kept.slug, "merged": slug, "merge_id": entry.id}


def _entry(entry: Any, admin: bool) -> dict[str, Any]:
    """An audit entry for the API: who by public name; their email only to admins."""
    return {
        "at": entry.at.isoformat(),
        "user": entry.who,
        **({"email": entry.user_email} if admin else {}),
        "action": entry.action,
        "before": entry.before,
        "after": entry.after,
    }
