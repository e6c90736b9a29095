"""The actors directory and one actor's page, with their JSON twins."""

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from sqlalchemy.orm import Session

from app.actors.queries import (
    TIMELINE_SAMPLE,
    get_actor,
    list_actors,
    related_actors,
    statement_timeline,
)
from app.db import SessionDep, done_reading
from app.groups.pages import repeated_claims
from app.models.actors import ACTOR_KINDS
from app.review.service import history, redirect_for
from app.statements.filters import InvalidFilter, ResolvedFilters, SelectedActor
from app.statements.listing import list_statements
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


@router.get("/actors/{slug}", response_class=HTMLResponse, include_in_schema=False)
def actor_page(request: Request, session: SessionDep, slug: str, query: ListQueryDep) -> Response:
    actor = _actor_or_404(session, slug)
    # The page lists this actor's statements; other filters narrow them.
    query = replace(query, filters=replace(query.filters, actors=(slug,)))
    context = page_context(request, session, query, with_actor_facet=False)
    timeline = statement_timeline(session, context["resolved"])
    context.update(
        actor=actor,
        timeline=timeline,
        timeline_svg=timeline_svg(timeline.days),
        timeline_sample=TIMELINE_SAMPLE,
        related=related_actors(session, actor["id"]),
        history=history(session, "actor", actor["id"]),
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
