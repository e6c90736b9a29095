"""The claims page (home) and the statements API: JSON pages and a streamed CSV."""

from collections.abc import Iterator
from dataclasses import replace
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from sqlalchemy.orm import Session, sessionmaker

from app.db import SessionDep, done_reading, read_outside_transaction
from app.groups.pages import annotate_groups
from app.models.statements import CUE_CLASSES, STATEMENT_KINDS
from app.search.suggest import suggest
from app.settings import get_settings
from app.statements.counts import CountCache
from app.statements.export import WEB_CSV_COLUMNS, flatten_record
from app.statements.facets import statement_facets
from app.statements.filters import RANK_WINDOW, ResolvedFilters, resolve_filters
from app.statements.listing import iter_statement_items, list_statements
from app.topics.queries import list_topics
from app.web.downloads import csv_download
from app.web.params import LIST_OPENAPI, ListQuery, list_query
from app.web.schemas import StatementList
from app.web.templating import templates
from app.web.urls import Here

router = APIRouter()

ListQueryDep = Annotated[ListQuery, Depends(list_query)]


def count_cache(request: Request) -> CountCache:
    """The app's cache of list counts, made on first use."""
    cache = getattr(request.app.state, "count_cache", None)
    if cache is None:
        cache = request.app.state.count_cache = CountCache(get_settings().count_cache_seconds)
    return cache


def page_context(
    request: Request, session: Session, query: ListQuery, with_actor_facet: bool = True
) -> dict[str, Any]:
    """What every statement list page shows: the page, its count, facets and links; for a
    search that finds nothing, the nearest known words (searched at once when they are
    clearly what was meant, unless as_typed is asked)."""
    cache = count_cache(request)
    resolved = resolve_filters(session, query.filters, estimates=cache)
    facets = statement_facets(session, resolved, with_actor_facet, cache)
    # The facets have counted the whole result: the page's total is theirs.
    page = list_statements(
        session,
        resolved,
        query.sort,
        query.limit,
        query.cursor,
        counts=facets.counts,
        cache=cache,
    )
    suggestion, corrected_from = None, None
    if query.filters.q and not page.items and query.cursor is None:
        found = suggest(session, query.filters.q)
        if found is not None and found.strong and "as_typed" not in request.query_params:
            corrected_from = query.filters.q
            query = replace(query, filters=replace(query.filters, q=found.query))
            resolved = resolve_filters(session, query.filters, estimates=cache)
            facets = statement_facets(session, resolved, with_actor_facet, cache)
            page = list_statements(
                session, resolved, query.sort, query.limit, None, counts=facets.counts, cache=cache
            )
        elif found is not None:
            suggestion = found.query
    annotate_groups(session, page.items)
    return {
        "suggestion": suggestion,
        "corrected_from": corrected_from,
        "filters": query.filters,
        "resolved": resolved,
        "page": page,
        "facets": facets,
        "here": Here.of(request.url),
        "rank_window": RANK_WINDOW,
        "kinds": STATEMENT_KINDS,
        "cue_classes": CUE_CLASSES[:-1],
        "is_first_page": query.cursor is None,
        "at": query.at,
        "page_limit": query.limit,
    }


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def claims_page(request: Request, session: SessionDep, query: ListQueryDep) -> Response:
    read_outside_transaction(session)
    context = page_context(request, session, query)
    context["has_any"] = context["page"].items or query.filters.active
    # The topics strip is the home page's way in; a filtered list does not show it.
    context["topics"] = [] if query.filters.active else list_topics(session)
    done_reading(session)
    return templates.TemplateResponse(request, "statements/index.html", context)


@router.get(
    "/api/statements",
    tags=["statements"],
    response_model=StatementList,
    openapi_extra=LIST_OPENAPI,
)
def api_statements(request: Request, session: SessionDep, query: ListQueryDep) -> Response:
    """Statements matching the filters, newest first (or by relevance when searching).

    Keyset-paginated: pass `next_cursor` back as `cursor`. Each item has the keys of a
    `claimtracker export` line, plus `cue_class` and `confidence`. `total` counts the whole
    result exactly, except for a result too large to count quickly (by default one expected
    to exceed 50,000 statements): it is then an estimate to two figures and `estimated` is
    true. `total_capped` is the older name of `estimated`.
    """
    read_outside_transaction(session)
    cache = count_cache(request)
    resolved = resolve_filters(session, query.filters, estimates=cache)
    page = list_statements(
        session, resolved, query.sort, query.limit, query.cursor, headlines=False, cache=cache
    )
    found = suggest(session, query.filters.q) if query.filters.q and not page.items else None
    done_reading(session)
    # Built from plain dicts already in the documented shape: skip re-validating each item;
    # orjson encodes a page of 50 in a tenth of json.dumps's time.
    body = orjson.dumps(
        {
            **({"suggestion": found.query} if found else {}),
            "items": page.items,
            "total": page.total,
            "estimated": page.estimated,
            "total_capped": page.estimated,
            "next_cursor": page.next_cursor,
            "prev_cursor": page.prev_cursor,
        },
        option=orjson.OPT_NON_STR_KEYS,
    )
    return Response(body, media_type="application/json")


def _csv_rows(
    factory: sessionmaker[Session], resolved: ResolvedFilters, sort: Any
) -> Iterator[dict[str, Any]]:
    # Its own session: the response outlives the request's session.
    with factory() as session:
        for item in iter_statement_items(session, resolved, sort):
            yield flatten_record(item)


@router.get(
    "/api/statements.csv",
    tags=["statements"],
    openapi_extra=LIST_OPENAPI,
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "Every matching statement."}},
)
def api_statements_csv(request: Request, session: SessionDep, query: ListQueryDep) -> Response:
    """The whole filtered result as CSV, streamed (same filters and order; no paging).

    Columns: those of `claimtracker export --format csv`, then cue_class and confidence.
    """
    resolved = resolve_filters(session, query.filters)
    rows = _csv_rows(request.app.state.sessionmaker, resolved, query.sort)
    return csv_download(rows, WEB_CSV_COLUMNS, "statements.csv")
