"""Atom feeds of claims, so a reader follows "new claims by Lukashenko" or a topic in any feed
reader: the twin of every claims list (same filters), of an actor, and of a topic."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from app.db import SessionDep, done_reading
from app.statements.filters import StatementFilters, resolve_filters
from app.statements.listing import created_times, list_statements
from app.topics.queries import find_topic, topic_claims
from app.web.params import LIST_OPENAPI
from app.web.statements import ListQueryDep

router = APIRouter()

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _stamp(moment: datetime | None) -> str:
    return (moment or _EPOCH).astimezone(UTC).isoformat().replace("+00:00", "Z")


def _add(parent: ElementTree.Element, tag: str, text: str | None = None, **attrs: str) -> Any:
    element = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def _title(item: dict[str, Any]) -> str:
    speaker = item["speaker"]["name"] if item["speaker"] else item["speaker_mention"]
    words = item["content"].strip("“”\"' ")
    short = words if len(words) <= 120 else words[:119].rsplit(" ", 1)[0] + "…"
    return f"{speaker} {item['cue']}: {short}"


def atom(
    request: Request, title: str, page_path: str, items: Sequence[dict[str, Any]], times: Any
) -> Response:
    base = str(request.base_url).rstrip("/")
    feed = ElementTree.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", str(request.url))
    _add(feed, "title", title)
    _add(feed, "link", rel="self", href=str(request.url), type="application/atom+xml")
    _add(feed, "link", rel="alternate", href=base + page_path, type="text/html")
    stamps = [times.get(item["id"]) for item in items]
    _add(feed, "updated", _stamp(max((s for s in stamps if s), default=None)))
    author = _add(feed, "author")
    _add(author, "name", "claimtracker")
    for item, stamp in zip(items, stamps, strict=True):
        entry = _add(feed, "entry")
        _add(entry, "id", f"{base}/statements/{item['id']}")
        _add(entry, "title", _title(item))
        link = f"{base}/articles/{item['article']['id']}?s={item['id']}#s-{item['id']}"
        _add(entry, "link", rel="alternate", href=link, type="text/html")
        _add(entry, "updated", _stamp(stamp))
        if item["article"]["published_at"]:
            _add(
                entry, "published", _stamp(datetime.fromisoformat(item["article"]["published_at"]))
            )
        who = _add(entry, "author")
        _add(who, "name", item["speaker"]["name"] if item["speaker"] else item["speaker_mention"])
        source = item["article"]["title"] + (
            f" ({item['article']['source']})" if item["article"]["source"] else ""
        )
        _add(entry, "summary", f"{item['content']} — in “{source}”", type="text")
    body = ElementTree.tostring(feed, encoding="unicode", default_namespace=None)
    return Response('<?xml version="1.0" encoding="utf-8"?>\n' + body, media_type=MEDIA_TYPE)


ElementTree.register_namespace("", ATOM)


def _describe(filters: StatementFilters, names: list[str]) -> str:
    parts = []
    if names:
        parts.append("by " + ", ".join(names))
    if filters.q:
        parts.append(f"matching “{filters.q}”")
    return "Claims " + " ".join(parts) if parts else "Newest claims"


@router.get(
    "/api/statements.atom",
    tags=["statements"],
    openapi_extra=LIST_OPENAPI,
    responses={200: {"content": {"application/atom+xml": {}}, "description": "An Atom feed."}},
)
def statements_feed(request: Request, session: SessionDep, query: ListQueryDep) -> Response:
    """The newest 50 statements matching the filters (the same as /api/statements), as Atom."""
    resolved = resolve_filters(session, query.filters)
    page = list_statements(
        session, resolved, "newest", FEED_SIZE, None, count=False, headlines=False
    )
    times = created_times(session, [item["id"] for item in page.items])
    done_reading(session)
    title = _describe(query.filters, [actor.name for actor in resolved.actors])
    page_path = "/?" + request.url.query if request.url.query else "/"
    return atom(request, f"{title} — claimtracker", page_path, page.items, times)


@router.get(
    "/api/topics/{slug}.atom",
    tags=["topics"],
    responses={200: {"content": {"application/atom+xml": {}}, "description": "An Atom feed."}},
)
def topic_feed(request: Request, session: SessionDep, slug: str) -> Response:
    """The topic's newest 50 statements, as Atom."""
    topic = find_topic(session, slug)
    if topic is None:
        raise HTTPException(404, f"there is no topic {slug!r}")
    claims = topic_claims(session, topic)
    items = sorted(
        (item for group in claims.groups for item in group.statements),
        key=lambda item: item["article"]["published_at"] or "",
        reverse=True,
    )[:FEED_SIZE]
    times = created_times(session, [item["id"] for item in items])
    done_reading(session)
    return atom(request, f"{topic.title} — claimtracker", f"/topics/{slug}", items, times)
