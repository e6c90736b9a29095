"""One article's page: its text with every attributed span highlighted, and its statements."""

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from app.articles.queries import get_article
from app.db import SessionDep, done_reading
from app.statements.listing import statements_of_article
from app.web.render import Span, highlight_body, speaker_colours
from app.web.schemas import ArticleDetail
from app.web.templating import templates

router = APIRouter()
MAX_ROW_ID = 2_147_483_647


def _speaker_key(item: dict[str, Any]) -> str:
    return item["speaker"]["slug"] if item["speaker"] else f"?{item['speaker_mention']}"


def _article_or_404(session: Session, article_id: int) -> dict[str, Any]:
    # Ids beyond the integer column's range name no article; don't ask the database.
    article = get_article(session, article_id) if 1 <= article_id <= MAX_ROW_ID else None
    if article is None:
        raise HTTPException(404, f"there is no article {article_id}")
    return article


@router.get("/articles/{article_id:int}", response_class=HTMLResponse, include_in_schema=False)
def article_page(
    request: Request,
    session: SessionDep,
    article_id: int,
    s: Annotated[int | None, Query(description="The statement to emphasise.")] = None,
) -> Response:
    article = _article_or_404(session, article_id)
    statements = statements_of_article(session, article_id)
    colours = speaker_colours([_speaker_key(item) for item in statements])
    spans = [
        Span(
            item["id"],
            item["start"],
            item["end"],
            item["speaker"]["name"] if item["speaker"] else item["speaker_mention"],
            item["cue"],
            colours[_speaker_key(item)],
        )
        for item in statements
    ]
    speakers: list[dict[str, Any]] = []
    for item in statements:
        key = _speaker_key(item)
        if all(entry["key"] != key for entry in speakers):
            speakers.append({"key": key, "colour": colours[key], "item": item})
    done_reading(session)
    return templates.TemplateResponse(
        request,
        "articles/show.html",
        {
            "article": article,
            "statements": statements,
            "colours": {item["id"]: colours[_speaker_key(item)] for item in statements},
            "speakers": speakers,
            "body_html": highlight_body(article["body"], spans, s),
            "current": s,
        },
    )


@router.get("/api/articles/{article_id:int}", tags=["articles"], response_model=ArticleDetail)
def api_article(session: SessionDep, article_id: int) -> dict[str, Any]:
    """One article with its body and its statements in reading order."""
    article = _article_or_404(session, article_id)
    statements = statements_of_article(session, article_id)
    done_reading(session)
    return {**article, "statements": statements}
