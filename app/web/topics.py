"""Topic pages: who claimed what about X, grouped by speaker, side by side."""

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from app.db import SessionDep, done_reading
from app.statements.export import WEB_CSV_COLUMNS, flatten_record
from app.topics.catalog import Topic, all_topics, find_topic
from app.topics.queries import CUE_ORDER, TOPIC_SAMPLE, TopicClaims, topic_claims
from app.web.downloads import csv_download
from app.web.schemas import TopicDetail, TopicSummary
from app.web.templating import templates

router = APIRouter()


def _topic_or_404(slug: str) -> Topic:
    topic = find_topic(slug)
    if topic is None:
        raise HTTPException(404, f"there is no topic {slug!r}")
    return topic


def _summary(topic: Topic) -> dict[str, Any]:
    return {
        "slug": topic.slug,
        "title": topic.title,
        "description": topic.description,
        "terms": list(topic.terms),
    }


@router.get("/topics", response_class=HTMLResponse, include_in_schema=False)
def topics_page(request: Request) -> Response:
    return templates.TemplateResponse(request, "topics/index.html", {})


@router.get("/topics/{slug}", response_class=HTMLResponse, include_in_schema=False)
def topic_page(request: Request, session: SessionDep, slug: str) -> Response:
    topic = _topic_or_404(slug)
    claims = topic_claims(session, topic)
    done_reading(session)
    return templates.TemplateResponse(
        request,
        "topics/show.html",
        {"topic": topic, "claims": claims, "cue_order": CUE_ORDER, "sample": TOPIC_SAMPLE},
    )


@router.get("/api/topics", tags=["topics"], response_model=list[TopicSummary])
def api_topics() -> list[dict[str, Any]]:
    """The topics defined in seeds/topics.yaml."""
    return [_summary(topic) for topic in all_topics()]


@router.get(
    "/api/topics/{slug}.csv",
    tags=["topics"],
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "The topic's statements."}},
)
def api_topic_csv(session: SessionDep, slug: str) -> Response:
    """The topic's newest statements (at most 500), grouped by speaker, in the export columns."""
    topic = _topic_or_404(slug)
    rows = [
        flatten_record(item)
        for group in topic_claims(session, topic).groups
        for item in group.statements
    ]
    return csv_download(rows, WEB_CSV_COLUMNS, f"{topic.slug}.csv")


@router.get("/api/topics/{slug}", tags=["topics"], response_model=TopicDetail)
def api_topic(session: SessionDep, slug: str) -> dict[str, Any]:
    """Who claimed what about the topic: its newest statements grouped by speaker."""
    topic = _topic_or_404(slug)
    claims: TopicClaims = topic_claims(session, topic)
    done_reading(session)
    return {
        **_summary(topic),
        "total": claims.total,
        "sampled": claims.sampled,
        "groups": [
            {
                "speaker": group.statements[0]["speaker"],
                "speaker_mention": group.statements[0]["speaker_mention"],
                "cue_counts": group.cue_counts,
                "statements": group.statements,
            }
            for group in claims.groups
        ],
    }
