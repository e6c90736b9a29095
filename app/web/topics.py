"""Topic pages: who claimed what about X, grouped by speaker; editors make and edit topics."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from app.db import SessionDep, done_reading
from app.review.service import history
from app.statements.export import WEB_CSV_COLUMNS, flatten_record
from app.topics.catalog import Topic
from app.topics.queries import (
    CUE_ORDER,
    TOPIC_SAMPLE,
    TopicClaims,
    find_topic,
    list_topics,
    topic_claims,
    topic_preview,
)
from app.topics.service import TopicDraft, check_topic, save_topic
from app.web.csrf import check_csrf
from app.web.deps import EditorUser
from app.web.downloads import csv_download
from app.web.schemas import TopicDetail, TopicSummary
from app.web.templating import templates

router = APIRouter()


def _topic_or_404(session: Session, slug: str) -> Topic:
    topic = find_topic(session, slug)
    if topic is None:
        raise HTTPException(404, f"there is no topic {slug!r}")
    return topic


def _summary(topic: Topic) -> dict[str, Any]:
    return {
        "slug": topic.slug,
        "title": topic.title,
        "description": topic.description,
        "terms": list(topic.terms),
        "actors": [{"slug": a.slug, "name": a.name} for a in topic.actors],
    }


@router.get("/topics", response_class=HTMLResponse, include_in_schema=False)
def topics_page(request: Request, session: SessionDep) -> Response:
    topics = list_topics(session)
    done_reading(session)
    return templates.TemplateResponse(request, "topics/index.html", {"topics": topics})


# --- editors: make and change topics, with a preview --------------------------------------------

FormAction = Literal["preview", "save"]


def _draft_of(topic: Topic) -> TopicDraft:
    return TopicDraft(
        title=topic.title,
        slug=topic.slug,
        description=topic.description,
        terms="\n".join(topic.terms),
        actors="\n".join(actor.name for actor in topic.actors),
    )


def _form_page(
    request: Request,
    session: Session,
    draft: TopicDraft,
    existing: Topic | None,
    errors: dict[str, str] | None = None,
    preview: Any = None,
) -> Response:
    context = {
        "draft": draft,
        "existing": existing,
        "errors": errors or {},
        "preview": preview,
        "action": f"/topics/{existing.slug}/edit" if existing else "/topics/new",
    }
    code = 422 if errors else 200
    return templates.TemplateResponse(request, "topics/form.html", context, status_code=code)


def _submit(
    request: Request,
    session: Session,
    user: Any,
    draft: TopicDraft,
    existing: Topic | None,
    action: FormAction,
) -> Response:
    checked = check_topic(session, draft, existing)
    if checked.topic is None:
        return _form_page(request, session, draft, existing, checked.errors)
    if action == "preview":
        preview = topic_preview(session, checked.topic)
        return _form_page(request, session, draft, existing, preview=preview)
    save_topic(session, checked.topic, existing, user)
    return RedirectResponse(f"/topics/{checked.topic.slug}", 303)


@router.get("/topics/new", response_class=HTMLResponse, include_in_schema=False)
def new_topic_page(request: Request, session: SessionDep, user: EditorUser) -> Response:
    return _form_page(request, session, TopicDraft(), None)


TextField = Annotated[str, Form(max_length=20_000)]


@router.post("/topics/new", include_in_schema=False)
def new_topic_form(
    request: Request,
    session: SessionDep,
    user: EditorUser,
    action: Annotated[FormAction, Form()],
    title: TextField = "",
    slug: TextField = "",
    description: TextField = "",
    terms: TextField = "",
    actors: TextField = "",
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    draft = TopicDraft(title, slug, description, terms, actors)
    return _submit(request, session, user, draft, None, action)


@router.get("/topics/{slug}/edit", response_class=HTMLResponse, include_in_schema=False)
def edit_topic_page(request: Request, session: SessionDep, slug: str, user: EditorUser) -> Response:
    topic = _topic_or_404(session, slug)
    return _form_page(request, session, _draft_of(topic), topic)


@router.post("/topics/{slug}/edit", include_in_schema=False)
def edit_topic_form(
    request: Request,
    session: SessionDep,
    slug: str,
    user: EditorUser,
    action: Annotated[FormAction, Form()],
    title: TextField = "",
    description: TextField = "",
    terms: TextField = "",
    actors: TextField = "",
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    topic = _topic_or_404(session, slug)
    draft = TopicDraft(title, slug, description, terms, actors)
    return _submit(request, session, user, draft, topic, action)


# --- pages and API ----------------------------------------------------------------------------


@router.get("/topics/{slug}", response_class=HTMLResponse, include_in_schema=False)
def topic_page(request: Request, session: SessionDep, slug: str) -> Response:
    topic = _topic_or_404(session, slug)
    claims = topic_claims(session, topic)
    entries = history(session, "topic", topic.id) if topic.id is not None else []
    done_reading(session)
    return templates.TemplateResponse(
        request,
        "topics/show.html",
        {
            "topic": topic,
            "claims": claims,
            "cue_order": CUE_ORDER,
            "sample": TOPIC_SAMPLE,
            "history": entries,
        },
    )


@router.get("/api/topics", tags=["topics"], response_model=list[TopicSummary])
def api_topics(session: SessionDep) -> list[dict[str, Any]]:
    """Every topic: the seeds file's initial set and those editors made or changed."""
    topics = list_topics(session)
    done_reading(session)
    return [_summary(topic) for topic in topics]


@router.get(
    "/api/topics/{slug}.csv",
    tags=["topics"],
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "The topic's statements."}},
)
def api_topic_csv(session: SessionDep, slug: str) -> Response:
    """The topic's newest statements (at most 500), grouped by speaker, in the export columns."""
    topic = _topic_or_404(session, slug)
    rows = [
        flatten_record(item)
        for group in topic_claims(session, topic).groups
        for item in group.statements
    ]
    return csv_download(rows, WEB_CSV_COLUMNS, f"{topic.slug}.csv")


@router.get("/api/topics/{slug}", tags=["topics"], response_model=TopicDetail)
def api_topic(session: SessionDep, slug: str) -> dict[str, Any]:
    """Who claimed what about the topic: its newest statements grouped by speaker."""
    topic = _topic_or_404(session, slug)
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
