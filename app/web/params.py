"""Reading list filters from the query string: one parser for pages and the API."""

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from fastapi import Request

from app.models.actors import ACTOR_KINDS
from app.models.statements import CLAIM_TYPES, CUE_CLASSES, REVIEW_STATUSES, STATEMENT_KINDS
from app.statements.filters import MAX_LIMIT, SORTS, InvalidFilter, Sort, StatementFilters

REVIEW_FILTERS = ("all", *REVIEW_STATUSES)
TYPE_FILTERS = ("all", *CLAIM_TYPES)


@dataclass(frozen=True)
class ListQuery:
    filters: StatementFilters
    sort: Sort | None
    limit: int
    cursor: str | None
    # Where the page starts in the whole result (carried by the site's own page links).
    at: int = 0

    @classmethod
    def for_actor(cls, slug: str) -> "ListQuery":
        return cls(StatementFilters(actors=(slug,)), None, 50, None)


def _blank_to_none(value: str | None) -> str | None:
    value = value.strip() if value is not None else None
    return value or None


def _choice(name: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    value = _blank_to_none(value)
    if value is not None and value not in allowed:
        raise InvalidFilter(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
    return value


def _date(name: str, value: str | None) -> date | None:
    value = _blank_to_none(value)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidFilter(f"{name} must be a date like 2022-12-01; got {value!r}") from None


def _limit(value: str | None, default: int) -> int:
    value = _blank_to_none(value)
    if value is None:
        return default
    if not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise InvalidFilter(f"limit must be a whole number from 1 to {MAX_LIMIT}; got {value!r}")
    return int(value)


def parse_filters(
    actor: list[str] | None = None,
    actor_kind: str | None = None,
    source: str | None = None,
    kind: str | None = None,
    cue_class: str | None = None,
    q: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    review: str | None = None,
    type: str | None = None,
    speakers: str | None = None,
    collapse: str | None = None,
    copies: str | None = None,
) -> StatementFilters:
    """Filters from raw query values; empty form fields mean "no filter"."""
    start, end = _date("from", date_from), _date("to", date_to)
    if start and end and start > end:
        raise InvalidFilter(f"from ({start}) is after to ({end})")
    query = _blank_to_none(q)
    if query is not None and len(query) > 500:
        raise InvalidFilter("the search is longer than 500 characters")
    return StatementFilters(
        actors=tuple(dict.fromkeys(slug for slug in actor or () if slug.strip())),
        actor_kind=_choice("actor_kind", actor_kind, ACTOR_KINDS),
        source=_blank_to_none(source),
        kind=_choice("kind", kind, STATEMENT_KINDS),
        cue_class=_choice("cue_class", cue_class, CUE_CLASSES),
        q=query,
        date_from=start,
        date_to=end,
        review=_choice("review", review, REVIEW_FILTERS),
        # "statement" is the default, written as no filter so that links and URLs stay short.
        type=None if _choice("type", type, TYPE_FILTERS) == "statement" else _blank_to_none(type),
        speakers_in_q=_choice("speakers", speakers, ("on", "off")) != "off",
        collapse=_choice("collapse", collapse, ("0", "1")) == "1",
        copies_once=_choice("copies", copies, ("all", "once")) == "once",
    )


@dataclass(frozen=True)
class ListParam:
    """One query parameter of the statement lists, as the API documents it."""

    name: str
    description: str
    repeated: bool = False
    format: str | None = None
    example: str | None = None


# Read from the query string by list_query itself, not one by one by FastAPI (measured: 0.25 ms
# of CPU a request for these seventeen strings), and documented from this table.
LIST_PARAMS = (
    ListParam(
        "actor", "Speaker slug; repeat for several (any of them).", repeated=True, example="peskov"
    ),
    ListParam("actor_kind", f"Speaker kind: one of {', '.join(ACTOR_KINDS)}."),
    ListParam("source", "Source (outlet) name, exactly."),
    ListParam("kind", f"Statement kind: one of {', '.join(STATEMENT_KINDS)}."),
    ListParam("cue_class", f"Cue class: one of {', '.join(CUE_CLASSES)}."),
    ListParam(
        "q",
        'Full-text search on the content: words, "a phrase", or, -word. '
        "Stemmed English; ranked by relevance unless another sort is asked for.",
    ),
    ListParam("from", "Article published on or after this ISO date (YYYY-MM-DD).", format="date"),
    ListParam("to", "Article published on or before this ISO date (YYYY-MM-DD).", format="date"),
    ListParam(
        "review",
        "Statements an editor rejected are hidden; 'all' shows every statement, "
        "or one review status: " + ", ".join(REVIEW_STATUSES) + ".",
    ),
    ListParam(
        "type",
        "Claims (statement, the default), what a speaker believes (belief) or "
        "intends (intention), other attributions (other: a noun-phrase object, an observation); "
        "'all' for every type.",
    ),
    ListParam(
        "speakers",
        "on (the default): words of q that name a speaker choose that speaker "
        "(q=Lukashenko S-400: his claims matching S-400); off: search every word in the text.",
    ),
    ListParam(
        "collapse",
        "1: one statement per claim group (its newest matching appearance), so a "
        "claim repeated across articles is one row; 0 (the default): every statement. A "
        "collapsed list's total and facets count claims (distinct groups; an ungrouped "
        "statement is one), exactly or, beyond the budget, estimated (see estimated).",
    ),
    ListParam(
        "copies",
        "once: leave out statements of articles marked as wire copies of an "
        "earlier article, so a copied claim counts once; all (the default): keep them.",
    ),
    ListParam("sort", "newest, oldest or relevance (the default when q is given)."),
    ListParam("limit", f"Page size, 1 to {MAX_LIMIT} (default 50)."),
    ListParam("cursor", "next_cursor (or prev_cursor) of the page seen before; opaque."),
    ListParam("at", "The page's first position in the result (for display)."),
)


def _openapi_parameter(param: ListParam) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if param.format:
        schema["format"] = param.format
    if param.repeated:
        schema = {"type": "array", "items": schema}
    if param.example:
        schema["examples"] = [[param.example] if param.repeated else param.example]
    return {
        "name": param.name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": param.description,
        **({"explode": True} if param.repeated else {}),
    }


# A list route's `openapi_extra`: its parameters, as list_query reads them.
LIST_OPENAPI: dict[str, Any] = {"parameters": [_openapi_parameter(p) for p in LIST_PARAMS]}


async def list_query(request: Request) -> ListQuery:
    """The dependency every statement list uses (the claims page, an actor's page, the API):
    the parameters of LIST_PARAMS (a route documents them with openapi_extra=LIST_OPENAPI).

    A coroutine only because it does no I/O: FastAPI would run a plain function in its thread
    pool, a round trip that costs more than the parsing.
    """
    values = request.query_params
    filters = parse_filters(
        values.getlist("actor"),
        values.get("actor_kind"),
        values.get("source"),
        values.get("kind"),
        values.get("cue_class"),
        values.get("q"),
        values.get("from"),
        values.get("to"),
        values.get("review"),
        values.get("type"),
        values.get("speakers"),
        values.get("collapse"),
        values.get("copies"),
    )
    chosen = _choice("sort", values.get("sort"), SORTS)
    position = _blank_to_none(values.get("at"))
    start = int(position) if position is not None and position.isdigit() else 0
    cursor_value = _blank_to_none(values.get("cursor"))
    return ListQuery(
        filters,
        cast(Sort | None, chosen),
        _limit(values.get("limit"), 50),
        cursor_value,
        start if cursor_value else 0,
    )
