"""Editors' corrections: the review queue, decisions and their undo, correcting one claim
(speaker by name, span, cue, type, kind), the speaker picker's suggestions; merging actors
and adding aliases."""

from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs, quote, urlencode

from fastapi import APIRouter, Form, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actors import queries as actor_queries
from app.db import RowId, SessionDep
from app.models.actors import ACTOR_KINDS, Actor
from app.models.statements import CLAIM_TYPES, CUE_CLASSES, STATEMENT_KINDS, Statement
from app.review import service
from app.review.queries import PAGE_SIZE, QueueFilters, review_queue, rules_in_queue
from app.review.service import AliasConflict, ReviewError
from app.web.csrf import check_csrf
from app.web.deps import ApiEditorUser, CurrentUser, EditorUser
from app.web.errors import error_response
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
    session: Session,
    speaker: str | None,
    new_name: str | None,
    new_kind: str | None,
    confirmed: bool = False,
) -> Actor | None:
    """The API's speaker: a new actor by name (near-duplicates refused unless confirmed), or
    an existing one by slug."""
    if new_name and new_name.strip():
        return service.new_actor(session, new_name, new_kind or "unknown", confirmed=confirmed)
    if speaker:
        return _actor_or_404(session, speaker)
    return None


def _int_or_none(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _local_path(target: str | None, fallback: str) -> str:
    """A path on this site to go back to (never another site's address)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return fallback


def _note(request: Request, text: str, batch: int | None = None) -> None:
    """A line for the next page: what the decision did, with its Undo."""
    request.session["review_note"] = {"text": text, "batch": batch}


def _take_note(request: Request) -> dict[str, Any] | None:
    note = request.session.pop("review_note", None) if "session" in request.scope else None
    return note if isinstance(note, dict) else None


def _refuse_page(request: Request, user: Any, next_path: str) -> Response | None:
    if user is None:
        return RedirectResponse(f"/login?next={quote(next_path)}", status.HTTP_303_SEE_OTHER)
    if not user.can_edit:
        return error_response(request, 403, "Only editors may review claims.")
    return None


@dataclass
class SpeakerInput:
    """The speaker fields of a form: the typed name, the picker's choice, a listed choice."""

    typed: str = ""
    picked: int | None = None  # from the picker, while the text still names that actor
    chosen: int | None = None  # a candidate the editor chose from the list shown

    def resolve(self, session: Session) -> Actor:
        if self.chosen is not None:
            actor = session.get(Actor, self.chosen)
            if actor is None:
                raise ReviewError("that actor no longer exists: type the name again")
            return actor
        return service.speaker_by_choice(session, self.picked, self.typed)


# --- the review queue ------------------------------------------------------------------------

ClaimType = Literal[CLAIM_TYPES]  # type: ignore[valid-type]


def _filters_from(query: str) -> QueueFilters:
    """The queue's filters from a query string a form sent back (bad values dropped)."""
    values = {name: items[0] for name, items in parse_qs(query).items() if items}
    claim_type = values.get("type")
    return QueueFilters(
        article=_int_or_none(values.get("article")),
        actor=values.get("actor") or None,
        type=claim_type if claim_type in CLAIM_TYPES else None,
        rule=values.get("rule"),
        page=max(1, min(_int_or_none(values.get("page")) or 1, 100_000)),
    )


def _queue_response(
    request: Request,
    session: Session,
    user: Any,
    filters: QueueFilters,
    *,
    error: str | None = None,
    candidates: list[dict[str, Any]] | None = None,
    values: dict[str, Any] | None = None,
    selected: set[int] | None = None,
    code: int = 200,
) -> Response:
    page = review_queue(session, filters)
    recent = [
        {"batch": batch, "size": service.batch_size(session, batch)}
        for batch in service.recent_batches(session, user)
    ]
    context: dict[str, Any] = {
        "queue": page,
        "filters": filters,
        "back": urlencode(filters.params()),
        "rules": rules_in_queue(session),
        "claim_types": CLAIM_TYPES,
        "recent": recent,
        "note": _take_note(request),
        "error": error,
        "candidates": candidates or [],
        "values": values or {},
        "selected": selected or set(),
        "query": lambda **changes: urlencode(filters.params(**changes)),
    }
    return templates.TemplateResponse(request, "review/queue.html", context, status_code=code)


@router.get("/review", response_class=HTMLResponse, include_in_schema=False)
def queue_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    article: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    actor: Annotated[str | None, Query(max_length=300)] = None,
    type: Annotated[ClaimType | None, Query()] = None,
    rule: Annotated[str | None, Query(max_length=60)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    refused = _refuse_page(request, user, "/review")
    if refused is not None:
        return refused
    filters = QueueFilters(article, actor or None, type, rule or None, page)
    return _queue_response(request, session, user, filters)


@router.post("/review/decide", include_in_schema=False)
def decide_form(
    request: Request,
    session: SessionDep,
    user: EditorUser,
    ids: Annotated[list[int], Form()] = [],  # noqa: B006 (FastAPI copies form defaults)
    row: Annotated[str | None, Form(max_length=40)] = None,
    action: Annotated[str | None, Form(max_length=40)] = None,
    reason: Annotated[str | None, Form(max_length=2000)] = None,
    speaker: Annotated[str | None, Form(max_length=300)] = None,
    speaker_id: Annotated[str | None, Form(max_length=12)] = None,
    choose_speaker: Annotated[str | None, Form(max_length=12)] = None,
    article_id: Annotated[str | None, Form(max_length=12)] = None,
    back: Annotated[str, Form(max_length=2000)] = "",
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    """A decision from the queue: one row's button, or the selection's."""
    check_csrf(request, csrf_token)
    filters = _filters_from(back)
    selected = set(ids)
    speaker_input = SpeakerInput(
        speaker or "", _int_or_none(speaker_id), _int_or_none(choose_speaker)
    )
    try:
        if row:
            row_action, _, row_id = row.partition(":")
            statement_id = _int_or_none(row_id)
            if row_action not in ("confirm", "reject") or statement_id is None:
                raise ReviewError("that button does not name a claim and a decision")
            outcome = service.decide(session, user, [statement_id], row_action, reason=reason)
        elif action == "reject_article":
            article = _int_or_none(article_id)
            if article is None:
                raise ReviewError("filter the queue by an article first")
            outcome = service.reject_article(session, user, article, reason)
        elif action == "reassign":
            if not selected:
                raise ReviewError("select at least one claim")
            new_speaker = speaker_input.resolve(session)
            outcome = service.decide(session, user, ids, "reassign", speaker=new_speaker)
        elif action in ("confirm", "reject"):
            outcome = service.decide(session, user, ids, action, reason=reason)
        else:
            raise ReviewError("choose what to do with the selected claims")
    except ReviewError as problem:
        session.rollback()
        candidates = problem.candidates if isinstance(problem, service.SpeakerChoice) else None
        values = {"speaker": speaker or "", "reason": reason or ""}
        return _queue_response(
            request,
            session,
            user,
            filters,
            error=str(problem),
            candidates=candidates,
            values=values,
            selected=selected,
            code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )
    _note(request, outcome.summary, outcome.batch.id if outcome.batch else None)
    target = "/review" + (f"?{back}" if filters.params() else "")
    return RedirectResponse(target, status.HTTP_303_SEE_OTHER)


@router.post("/review/undo", include_in_schema=False)
def undo_form(
    request: Request,
    session: SessionDep,
    user: EditorUser,
    batch_id: Annotated[int, Form(ge=1, le=2_147_483_647)],
    next: Annotated[str | None, Form(max_length=2000)] = None,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    try:
        outcome = service.undo(session, user, batch_id)
    except service.NotYours as problem:
        session.rollback()
        return error_response(request, 403, str(problem))
    except ReviewError as problem:
        session.rollback()
        return error_response(request, 422, str(problem))
    _note(request, outcome.summary)
    return RedirectResponse(_local_path(next, "/review"), status.HTTP_303_SEE_OTHER)


# --- one statement -----------------------------------------------------------------------------


def _statement_response(
    request: Request,
    session: Session,
    statement: Statement,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    candidates: list[dict[str, Any]] | None = None,
    preview: dict[str, str] | None = None,
    code: int = 200,
) -> Response:
    body = statement.article.body
    speaker = statement.speaker
    defaults = {
        "speaker": speaker.name if speaker else "",
        "span": statement.content,
        "cue": statement.cue,
        "kind": statement.kind,
        "cue_class": statement.cue_class,
        "type": statement.type,
    }
    context: dict[str, Any] = {
        "statement": statement,
        "article": statement.article,
        "speaker": speaker,
        "sentence": body[statement.sentence_start : statement.sentence_end],
        "context": _in_sentence(statement, statement.start, statement.end),
        "history": service.history(session, "statement", statement.id),
        "kinds": STATEMENT_KINDS,
        "cue_classes": CUE_CLASSES,
        "claim_types": CLAIM_TYPES,
        "actor_kinds": ACTOR_KINDS,
        "values": {**defaults, **(values or {})},
        "errors": errors or {},
        "candidates": candidates or [],
        "preview": preview,
        "note": _take_note(request),
    }
    return templates.TemplateResponse(request, "review/statement.html", context, status_code=code)


def _in_sentence(statement: Statement, start: int, end: int) -> dict[str, str]:
    body = statement.article.body
    return {
        "before": body[statement.sentence_start : start],
        "claim": body[start:end],
        "after": body[end : statement.sentence_end],
    }


@router.get("/statements/{statement_id}", response_class=HTMLResponse, include_in_schema=False)
def statement_page(
    request: Request, session: SessionDep, statement_id: RowId, user: CurrentUser
) -> Response:
    return _statement_response(request, session, _statement_or_404(session, statement_id))


@router.post("/statements/{statement_id}/review", include_in_schema=False)
def review_form(
    request: Request,
    session: SessionDep,
    statement_id: RowId,
    user: EditorUser,
    action: Annotated[Action, Form()],
    reason: Annotated[str | None, Form(max_length=2000)] = None,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    statement = _statement_or_404(session, statement_id)
    try:
        outcome = service.decide(
            session, user, [statement.id], action, reason=reason if action == "reject" else None
        )
    except ReviewError as error:
        raise _unprocessable(error) from None
    _note(request, outcome.summary, outcome.batch.id if outcome.batch else None)
    return _back(request, f"/statements/{statement_id}")


@router.post("/statements/{statement_id}/correct", include_in_schema=False)
def correct_form(
    request: Request,
    session: SessionDep,
    statement_id: RowId,
    user: EditorUser,
    speaker: Annotated[str | None, Form(max_length=300)] = None,
    speaker_id: Annotated[str | None, Form(max_length=12)] = None,
    choose_speaker: Annotated[str | None, Form(max_length=12)] = None,
    new_speaker_name: Annotated[str | None, Form(max_length=300)] = None,
    new_speaker_kind: Annotated[str | None, Form(max_length=20)] = None,
    confirm_new: Annotated[str | None, Form(max_length=10)] = None,
    kind: Annotated[str | None, Form(max_length=20)] = None,
    cue_class: Annotated[str | None, Form(max_length=20)] = None,
    type: Annotated[str | None, Form(max_length=20)] = None,
    cue: Annotated[str | None, Form(max_length=300)] = None,
    span: Annotated[str | None, Form(max_length=20_000)] = None,
    previewed: Annotated[str | None, Form(max_length=20_000)] = None,
    step: Annotated[str | None, Form(max_length=10)] = None,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    """Correct a claim: nothing is stored until every field is right, a changed span is
    shown before it is saved, and a new speaker near an existing one needs a confirmation."""
    check_csrf(request, csrf_token)
    statement = _statement_or_404(session, statement_id)
    # Browsers send a textarea's line breaks as CRLF; the body keeps them as LF.
    span = span.replace("\r\n", "\n") if span is not None else None
    previewed = previewed.replace("\r\n", "\n") if previewed is not None else None
    values: dict[str, Any] = {
        "speaker": speaker or "",
        "new_speaker_name": new_speaker_name or "",
        "new_speaker_kind": new_speaker_kind or "",
        "kind": kind or statement.kind,
        "cue_class": cue_class or statement.cue_class,
        "type": type or statement.type,
        "cue": cue if cue is not None else statement.cue,
        "span": span if span is not None else statement.content,
    }
    errors: dict[str, str] = {}
    candidates: list[dict[str, Any]] = []
    new_span: tuple[int, int] | None = None
    if span is not None and span.strip() and span.strip() != statement.content.strip():
        try:
            new_span = service.locate_span(statement, span)
        except ReviewError as problem:
            errors["span"] = str(problem)
    elif span is not None and not span.strip():
        errors["span"] = "the claim's words cannot be empty"
    new_speaker: Actor | None = None
    create = " ".join((new_speaker_name or "").split())
    chosen = SpeakerInput(speaker or "", _int_or_none(speaker_id), _int_or_none(choose_speaker))
    current = statement.speaker.name if statement.speaker else ""
    try:
        if chosen.chosen is not None:
            new_speaker = chosen.resolve(session)
        elif create:
            if (new_speaker_kind or "unknown") not in ACTOR_KINDS:
                raise ReviewError(f"kind must be one of {', '.join(ACTOR_KINDS)}")
            near = [] if confirm_new else actor_queries.near_duplicates(session, create)
            if near:
                names = " or ".join(candidate["name"] for candidate in near[:3])
                raise service.SpeakerChoice(
                    f"Did you mean {names}? Choose one below, or tick “Yes, {create} is a new"
                    " actor” to create it.",
                    near,
                )
        elif chosen.typed.strip() and " ".join(chosen.typed.split()) != current:
            new_speaker = chosen.resolve(session)
    except service.SpeakerChoice as problem:
        errors["new_speaker_name" if create else "speaker"] = str(problem)
        candidates = problem.candidates
    except ReviewError as problem:
        errors["new_speaker_name" if create else "speaker"] = str(problem)
    try:
        if kind and kind not in STATEMENT_KINDS:
            raise ReviewError(f"kind must be one of {', '.join(STATEMENT_KINDS)}")
    except ReviewError as problem:
        errors["kind"] = str(problem)
    if errors:
        return _statement_response(
            request,
            session,
            statement,
            values=values,
            errors=errors,
            candidates=candidates,
            code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )
    if step == "preview" or (new_span is not None and previewed != span):
        shown = new_span or (statement.start, statement.end)
        preview = {**_in_sentence(statement, *shown), "span": span or ""}
        return _statement_response(request, session, statement, values=values, preview=preview)
    try:
        if create and chosen.chosen is None:
            new_speaker = service.new_actor(session, create, new_speaker_kind or "unknown")
        outcome = service.correct(
            session,
            statement,
            user,
            speaker=new_speaker,
            kind=kind or None,
            cue_class=cue_class or None,
            claim_type=type or None,
            cue=cue,
            span=new_span,
        )
    except ReviewError as problem:
        session.rollback()
        errors["form"] = str(problem)
        return _statement_response(
            request,
            session,
            statement,
            values=values,
            errors=errors,
            code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )
    if outcome.batch is None:
        _note(request, "Nothing changed, so nothing was saved.")
    else:
        _note(request, "Correction saved.", outcome.batch.id)
    return RedirectResponse(f"/statements/{statement_id}", status.HTTP_303_SEE_OTHER)


# --- API -------------------------------------------------------------------------------------


class ReviewRequest(BaseModel):
    action: Action


class Correction(BaseModel):
    speaker: str | None = Field(None, description="Slug of an existing actor.")
    new_speaker_name: str | None = Field(None, max_length=300, description="Create this actor.")
    new_speaker_kind: Literal[ACTOR_KINDS] | None = None  # type: ignore[valid-type]
    confirm_new: bool = Field(
        False, description="Create the new speaker even when its name is near a known actor's."
    )
    kind: Literal[STATEMENT_KINDS] | None = None  # type: ignore[valid-type]
    cue_class: Literal[CUE_CLASSES] | None = None  # type: ignore[valid-type]
    type: Literal[CLAIM_TYPES] | None = None  # type: ignore[valid-type]
    cue: str | None = Field(None, max_length=100, description="The cue, as in the sentence.")
    span: str | None = Field(
        None, max_length=20_000, description="The claim's new words: part of its sentence."
    )
    speaker_name: str | None = Field(
        None, max_length=300, description="An existing actor's name or alias."
    )


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
    """Change a statement's speaker, words, cue, type, kind or cue class (editors; bearer
    token). Fields left out stay; a request that changes nothing stores and logs nothing."""
    statement = _statement_or_404(session, statement_id)
    try:
        span = service.locate_span(statement, body.span) if body.span is not None else None
        if body.speaker_name:
            speaker: Actor | None = service.resolve_speaker(session, body.speaker_name)
        else:
            speaker = _speaker_for(
                session,
                body.speaker,
                body.new_speaker_name,
                body.new_speaker_kind,
                body.confirm_new,
            )
        service.correct(
            session,
            statement,
            user,
            speaker=speaker,
            kind=body.kind,
            cue_class=body.cue_class,
            claim_type=body.type,
            cue=body.cue,
            span=span,
        )
    except ReviewError as error:
        session.rollback()
        raise _choice_error(error) from None
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
        "reason": entry.reason,
        "before": entry.before,
        "after": entry.after,
    }


# --- the review queue's API ------------------------------------------------------------------


@router.get("/api/review", tags=["review"])
def api_queue(
    session: SessionDep,
    user: EditorUser,
    article: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    actor: Annotated[str | None, Query(max_length=300, description="An actor's slug.")] = None,
    type: Annotated[ClaimType | None, Query()] = None,
    rule: Annotated[str | None, Query(max_length=60)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> dict[str, Any]:
    """Machine claims no editor decided on, lowest confidence first (editors)."""
    filters = QueueFilters(article, actor or None, type, rule or None, page)
    queue = review_queue(session, filters)
    following = filters.params(page=page + 1) if page < queue.pages or queue.more else None
    return {
        "items": queue.items,
        "total": queue.total,
        "total_is_lower_bound": queue.more,
        "page": page,
        "pages": queue.pages,
        "page_size": PAGE_SIZE,
        "next": f"/api/review?{urlencode(following)}" if following else None,
    }


class DecisionRequest(BaseModel):
    action: Literal["confirm", "reject", "restore", "reassign", "reject_article"]
    ids: list[int] = Field(default_factory=list, max_length=10_000)
    article_id: int | None = Field(None, description="For reject_article: the article.")
    reason: str | None = Field(None, max_length=1000, description="Why they are rejected.")
    speaker: str | None = Field(
        None, max_length=300, description="For reassign: the speaker's name or alias."
    )
    speaker_id: int | None = Field(None, description="For reassign: the speaker's id.")


def _choice_error(problem: ReviewError) -> HTTPException:
    """A 422 whose message names the candidates (by id, to send back as speaker_id)."""
    if isinstance(problem, service.SpeakerChoice) and problem.candidates:
        named = ", ".join(f"{c['name']} (id {c['id']})" for c in problem.candidates)
        return HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, f"{problem}. Candidates: {named}"
        )
    return _unprocessable(problem)


@router.post("/api/review/decisions", tags=["review"])
def api_decide(session: SessionDep, body: DecisionRequest, user: ApiEditorUser) -> dict[str, Any]:
    """One decision on a selection of claims, undone as a whole (editors; bearer token)."""
    try:
        if body.action == "reject_article":
            if body.article_id is None:
                raise ReviewError("reject_article needs article_id")
            outcome = service.reject_article(session, user, body.article_id, body.reason)
        else:
            speaker = None
            if body.action == "reassign":
                if body.speaker_id is not None:
                    speaker = session.get(Actor, body.speaker_id)
                    if speaker is None:
                        raise ReviewError(f"there is no actor {body.speaker_id}")
                else:
                    speaker = service.resolve_speaker(session, body.speaker or "")
            outcome = service.decide(
                session, user, body.ids, body.action, reason=body.reason, speaker=speaker
            )
    except ReviewError as problem:
        session.rollback()
        raise _choice_error(problem) from None
    return {
        "batch_id": outcome.batch.id if outcome.batch else None,
        "changed": outcome.changed,
        "missing": outcome.missing,
        "summary": outcome.summary,
    }


@router.post("/api/review/batches/{batch_id}/undo", tags=["review"])
def api_undo(session: SessionDep, batch_id: RowId, user: ApiEditorUser) -> dict[str, Any]:
    """Put the claims of one of your decisions back as they were (editors; bearer token)."""
    try:
        outcome = service.undo(session, user, batch_id)
    except service.NotYours as problem:
        session.rollback()
        raise HTTPException(status.HTTP_403_FORBIDDEN, str(problem)) from None
    except ReviewError as problem:
        session.rollback()
        raise _unprocessable(problem) from None
    return {
        "undone": outcome.undone.id,
        "batch_id": outcome.batch.id if outcome.batch else None,
        "restored": outcome.restored,
        "skipped": outcome.skipped,
        "already": outcome.already,
        "summary": outcome.summary,
    }


@router.get("/api/actors/suggest", tags=["actors"])
def api_suggest(
    session: SessionDep, q: Annotated[str, Query(max_length=300)] = ""
) -> list[dict[str, Any]]:
    """Actors for a typed name, for a speaker picker: by name and alias, best first."""
    return actor_queries.suggest(session, q)
