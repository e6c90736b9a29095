"""The actors directory and one actor's page, with their JSON twins."""

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actors.queries import (
    DUPLICATE_THRESHOLD,
    DUPLICATES_SHOWN,
    TIMELINE_SAMPLE,
    actors_named,
    duplicate_pairs,
    get_actor,
    list_actors,
    related_actors,
    similar_actors,
    statement_timeline,
)
from app.db import RowId, SessionDep, done_reading
from app.groups.pages import repeated_claims
from app.models.actors import ACTOR_KINDS, Actor
from app.review import service as review
from app.review.service import history, redirect_for
from app.statements.filters import InvalidFilter, ResolvedFilters, SelectedActor
from app.statements.listing import list_statements
from app.web.csrf import check_csrf
from app.web.deps import ApiEditorUser, EditorUser
from app.web.downloads import csv_download
from app.web.params import ListQuery
from app.web.schemas import ActorDetail, ActorList
from app.web.statements import ListQueryDep, page_context
from app.web.templating import templates
from app.web.timeline import timeline_svg
from app.web.urls import Here

router = APIRouter()

ACTOR_CSV_COLUMNS = ("id", "slug", "name", "kind", "statement_count")

ACTORS_PER_PAGE = 100
NameQuery = Annotated[
    str | None, Query(description="Part of the actor's name, any case.", max_length=200)
]
KindQuery = Annotated[str | None, Query(description=f"One of {', '.join(ACTOR_KINDS)}.")]
LimitQuery = Annotated[int, Query(ge=1, le=500, description="Page size, 1 to 500.")]
OffsetQuery = Annotated[int, Query(ge=0, le=1_000_000, description="Actors to skip.")]


def _kind(kind: str | None) -> str | None:
    kind = (kind or "").strip() or None
    if kind is not None and kind not in ACTOR_KINDS:
        raise InvalidFilter(f"kind must be one of {', '.join(ACTOR_KINDS)}; got {kind!r}")
    return kind


class ActorMoved(Exception):
    """The slug belonged to an actor since merged into another."""

    def __init__(self, slug: str) -> None:
        self.slug = slug


def _actor_or_404(session: Session, slug: str) -> dict[str, Any]:
    actor = get_actor(session, slug)
    if actor is None:
        moved_to = redirect_for(session, slug)
        if moved_to is not None:
            raise ActorMoved(moved_to)
        raise HTTPException(404, f"no actor is called {slug!r}")
    return actor


@router.get("/actors", response_class=HTMLResponse, include_in_schema=False)
def actors_page(
    request: Request,
    session: SessionDep,
    q: NameQuery = None,
    kind: KindQuery = None,
    offset: OffsetQuery = 0,
) -> Response:
    q = (q or "").strip() or None
    actors, total = list_actors(session, q, _kind(kind), ACTORS_PER_PAGE, offset)
    done_reading(session)
    return templates.TemplateResponse(
        request,
        "actors/index.html",
        {
            "actors": actors,
            "total": total,
            "q": q,
            "kind": _kind(kind),
            "kinds": ACTOR_KINDS,
            "offset": offset,
            "per_page": ACTORS_PER_PAGE,
            "here": Here.of(request.url),
        },
    )


@router.get("/api/actors", tags=["actors"], response_model=ActorList)
def api_actors(
    session: SessionDep,
    q: NameQuery = None,
    kind: KindQuery = None,
    limit: LimitQuery = 100,
    offset: OffsetQuery = 0,
) -> dict[str, Any]:
    """Actors whose name contains `q`, most quoted first, with their statement counts."""
    items, total = list_actors(session, (q or "").strip() or None, _kind(kind), limit, offset)
    done_reading(session)
    more = offset + len(items) < total
    return {"items": items, "total": total, "next_offset": offset + len(items) if more else None}


@router.get(
    "/api/actors.csv",
    tags=["actors"],
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "Every matching actor."}},
)
def api_actors_csv(session: SessionDep, q: NameQuery = None, kind: KindQuery = None) -> Response:
    """Every actor matching `q` and `kind`, most quoted first, as CSV."""
    items, _ = list_actors(session, (q or "").strip() or None, _kind(kind), limit=None)
    return csv_download(items, ACTOR_CSV_COLUMNS, "actors.csv")


# Before /actors/{slug}, which would take "duplicates" for a slug.
@router.post("/api/actors/merges/{entry_id}/undo", tags=["review"])
def api_undo_merge(session: SessionDep, entry_id: RowId, user: ApiEditorUser) -> dict[str, Any]:
    """Undo a merge (its `merge_id`): the merged actor comes back with its id and slug and
    exactly what moved (editors; bearer token). 409 says why when it is no longer safe."""
    entry = review.merge_entry(session, entry_id)
    if entry is None:
        raise HTTPException(404, f"there is no merge {entry_id} in the history")
    problem = review.merge_undo_problem(session, entry)
    if problem is not None:
        raise HTTPException(409, f"this merge cannot be undone: {problem}")
    restored = review.undo_merge(session, entry, user)
    return {"slug": restored.slug, "id": restored.id, "undone": entry_id}


ThresholdQuery = Annotated[
    float, Query(ge=0.2, le=1.0, description="How alike two names must be (0.2 to 1).")
]


@router.get("/actors/duplicates", response_class=HTMLResponse, include_in_schema=False)
def duplicates_page(
    request: Request,
    session: SessionDep,
    user: EditorUser,
    threshold: ThresholdQuery = DUPLICATE_THRESHOLD,
) -> Response:
    pairs = duplicate_pairs(session, threshold)
    done_reading(session)
    context = {"pairs": pairs, "threshold": threshold, "shown": DUPLICATES_SHOWN}
    return templates.TemplateResponse(request, "actors/duplicates.html", context)


@router.get("/api/actors/duplicates", tags=["actors"])
def api_duplicates(
    session: SessionDep, user: EditorUser, threshold: ThresholdQuery = DUPLICATE_THRESHOLD
) -> dict[str, Any]:
    """Likely duplicate actors, most alike first, the one with more statements as `kept`
    (editors)."""
    pairs = duplicate_pairs(session, threshold)
    done_reading(session)
    return {"threshold": threshold, "items": pairs}


@router.get("/actors/{slug}", response_class=HTMLResponse, include_in_schema=False)
def actor_page(request: Request, session: SessionDep, slug: str, query: ListQueryDep) -> Response:
    actor = _actor_or_404(session, slug)
    # The page lists this actor's statements; other filters narrow them.
    query = replace(query, filters=replace(query.filters, actors=(slug,)))
    context = page_context(request, session, query, with_actor_facet=False)
    timeline = statement_timeline(session, context["resolved"])
    entries = history(session, "actor", actor["id"])
    context.update(
        actor=actor,
        timeline=timeline,
        timeline_svg=timeline_svg(timeline.days),
        timeline_sample=TIMELINE_SAMPLE,
        related=related_actors(session, actor["id"]),
        history=entries,
        undo_problems={
            entry.id: review.merge_undo_problem(session, entry)
            for entry in entries
            if entry.action == "merge"
        },
        repeated=repeated_claims(session, actor["id"]),
    )
    done_reading(session)
    return templates.TemplateResponse(request, "actors/show.html", context)


@router.get("/api/actors/{slug}", tags=["actors"], response_model=ActorDetail)
def api_actor(session: SessionDep, slug: str) -> Response:
    """One actor: names, a per-day timeline, who appears with them, their newest statements."""
    actor = _actor_or_404(session, slug)
    # The actor is already loaded: no need to look the slug up again.
    resolved = ResolvedFilters(
        ListQuery.for_actor(slug).filters,
        (
            SelectedActor(
                actor["id"], actor["slug"], actor["name"], actor["kind"], actor["statement_count"]
            ),
        ),
    )
    page = list_statements(session, resolved, limit=50)
    timeline = statement_timeline(session, resolved)
    related = related_actors(session, actor["id"])
    repeated = [claim.as_dict() for claim in repeated_claims(session, actor["id"])]
    done_reading(session)
    return JSONResponse(
        {
            **actor,
            "statement_count": page.total,
            "statement_count_capped": page.total_capped,
            "timeline": [(day.isoformat(), count) for day, count in timeline.days],
            "related": related,
            "statements": page.items,
            "next_cursor": page.next_cursor,
            "repeated_claims": repeated,
        }
    )


# --- editors: aliases, merge with preview and undo, likely duplicates --------------------------


def _stored_actor(session: Session, slug: str) -> Actor:
    actor = session.scalar(select(Actor).where(Actor.slug == slug))
    if actor is None:
        moved_to = redirect_for(session, slug)
        if moved_to is not None:
            raise ActorMoved(moved_to)
        raise HTTPException(404, f"no actor is called {slug!r}")
    return actor


@router.post("/actors/{slug}/aliases", include_in_schema=False)
def alias_form(
    request: Request,
    session: SessionDep,
    slug: str,
    user: EditorUser,
    alias: Annotated[str, Form(max_length=300)],
    confirm: Annotated[str | None, Form()] = None,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    actor = _stored_actor(session, slug)
    try:
        review.add_alias(session, actor, alias, user, confirm=confirm == "yes")
    except review.AliasConflict as conflict:
        context = {"actor": actor, "alias": conflict.alias, "conflict": conflict}
        return templates.TemplateResponse(
            request, "actors/alias_confirm.html", context, status_code=409
        )
    except review.ReviewError as error:
        raise HTTPException(422, str(error)) from None
    return RedirectResponse(f"/actors/{slug}", 303)


def _merge_page(
    request: Request,
    session: Session,
    duplicate: Actor,
    into: str,
    target: Actor | None,
    status_code: int = 200,
    error: str | None = None,
) -> Response:
    """The merge form: a typed name, then the candidates it names, or the preview of one."""
    into = " ".join(into.split())
    candidates: list[Actor] = []
    similar: list[Actor] = []
    if target is None and into:
        candidates = actors_named(session, into, exclude_id=duplicate.id)
        if len(candidates) == 1:
            target = candidates[0]
        elif not candidates:
            similar = similar_actors(session, into, exclude_id=duplicate.id)
            error = error or f"no other actor is called {into!r}"
        else:
            error = error or f"{len(candidates)} actors are called {into!r}: choose one"
    preview = review.merge_preview(session, duplicate, target) if target is not None else None
    context = {
        "actor": duplicate,
        "into": into,
        "candidates": candidates if len(candidates) > 1 else [],
        "similar": similar,
        "preview": preview,
        "error": error,
    }
    code = status_code if preview is not None or not into else 422
    return templates.TemplateResponse(request, "actors/merge.html", context, status_code=code)


@router.get("/actors/{slug}/merge", response_class=HTMLResponse, include_in_schema=False)
def merge_page(
    request: Request,
    session: SessionDep,
    slug: str,
    user: EditorUser,
    into: Annotated[str, Query(max_length=300)] = "",
    target: Annotated[RowId | None, Query()] = None,
) -> Response:
    duplicate = _stored_actor(session, slug)
    chosen = session.get(Actor, target) if target is not None else None
    if chosen is not None and chosen.id == duplicate.id:
        chosen = None
    return _merge_page(request, session, duplicate, into, chosen)


@router.post("/actors/{slug}/merge", include_in_schema=False)
def merge_form(
    request: Request,
    session: SessionDep,
    slug: str,
    user: EditorUser,
    target: Annotated[RowId, Form()],
    into: Annotated[str, Form(max_length=300)] = "",
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    duplicate = _stored_actor(session, slug)
    kept = session.get(Actor, target)
    if kept is None:
        return _merge_page(request, session, duplicate, into, None)
    try:
        review.merge(session, duplicate, kept, user)
    except review.ReviewError as error:
        raise HTTPException(422, str(error)) from None
    return RedirectResponse(f"/actors/{kept.slug}", 303)


@router.post("/actors/merges/{entry_id}/undo", include_in_schema=False)
def undo_merge_form(
    request: Request,
    session: SessionDep,
    entry_id: RowId,
    user: EditorUser,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    entry = review.merge_entry(session, entry_id)
    if entry is None:
        raise HTTPException(404, f"there is no merge {entry_id} in the history")
    problem = review.merge_undo_problem(session, entry)
    if problem is not None:
        kept = session.get(Actor, (entry.after or {}).get("into"))
        context = {"entry": entry, "problem": problem, "kept": kept}
        return templates.TemplateResponse(
            request, "actors/undo_refused.html", context, status_code=409
        )
    restored = review.undo_merge(session, entry, user)
    return RedirectResponse(f"/actors/{restored.slug}", 303)
