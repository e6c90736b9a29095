"""Articles: the index (by date, by outlet), one article's page with every attributed span
highlighted, and editors' changes to an article (its metadata, its removal)."""

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from app.articles.queries import (
    ArticleSort,
    count_articles,
    get_article,
    list_articles,
    outlets,
)
from app.articles.service import (
    ArticleChanges,
    ArticleError,
    delete_article,
    statement_count,
    update_article,
)
from app.db import RowId, SessionDep, done_reading
from app.groups.copies import CopyRef, copies_of, original_of
from app.ingest.readers import InputError, check_url
from app.ingest.service import MAX_STATEMENTS
from app.models import Article
from app.review.service import history
from app.statements.listing import (
    count_of_article,
    position_in_article,
    statements_of_article,
)
from app.web.csrf import check_csrf
from app.web.deps import EditorUser
from app.web.downloads import csv_download
from app.web.render import Span, highlight_body, speaker_colours
from app.web.schemas import ArticleDetail
from app.web.templating import templates

router = APIRouter()
MAX_ROW_ID = 2_147_483_647
PAGE_SIZE = 50
STATEMENTS_PER_PAGE = 200
ARTICLE_CSV_COLUMNS = ("id", "title", "source", "published_at", "statement_count")

SortQuery = Annotated[ArticleSort, Query(description="newest (the default) or oldest first.")]
OutletQuery = Annotated[
    str | None, Query(max_length=200, description="Only this outlet's articles (its name).")
]
LimitQuery = Annotated[int, Query(ge=1, le=500)]
OffsetQuery = Annotated[int, Query(ge=0, le=10_000_000)]


def _outlet(source: str | None) -> str | None:
    return source.strip() or None if source else None


@router.get("/articles", response_class=HTMLResponse, include_in_schema=False)
def articles_page(
    request: Request,
    session: SessionDep,
    sort: SortQuery = "newest",
    source: OutletQuery = None,
    offset: OffsetQuery = 0,
) -> Response:
    source = _outlet(source)
    items = list_articles(session, PAGE_SIZE, offset, sort, source)
    total = count_articles(session, source)
    context = {
        "items": items,
        "total": total,
        "sort": sort,
        "source": source,
        "offset": offset,
        "page_size": PAGE_SIZE,
        "outlets": outlets(session),
    }
    done_reading(session)
    return templates.TemplateResponse(request, "articles/index.html", context)


@router.get("/api/articles", tags=["articles"])
def api_articles(
    session: SessionDep,
    limit: LimitQuery = 100,
    offset: OffsetQuery = 0,
    sort: SortQuery = "newest",
    source: OutletQuery = None,
) -> dict[str, Any]:
    """Stored articles by date (undated last), of one outlet if asked, with their statement
    counts; `total` counts every matching article."""
    source = _outlet(source)
    items = list_articles(session, limit, offset, sort, source)
    total = count_articles(session, source)
    done_reading(session)
    return {"items": items, "total": total}


@router.get(
    "/api/articles.csv",
    tags=["articles"],
    responses={200: {"content": {"text/csv": {}}, "description": "Every matching article."}},
)
def api_articles_csv(
    session: SessionDep, sort: SortQuery = "newest", source: OutletQuery = None
) -> Response:
    """Every matching article as CSV, in the same order."""
    items = list_articles(session, None, 0, sort, _outlet(source))
    return csv_download(items, ARTICLE_CSV_COLUMNS, "articles.csv")


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
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    article = _article_or_404(session, article_id)
    total = count_of_article(session, article_id)
    pages = max(1, -(-total // STATEMENTS_PER_PAGE))
    if s is not None and page == 1:
        position = position_in_article(session, article_id, s)
        page = position // STATEMENTS_PER_PAGE + 1 if position is not None else 1
    # The text is shown whole; the statements (and their highlights) a page at a time, so an
    # article with thousands of them stays a page a browser can show.
    statements = statements_of_article(
        session, article_id, STATEMENTS_PER_PAGE, (min(page, pages) - 1) * STATEMENTS_PER_PAGE
    )
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
    original, copies = original_of(session, article_id), copies_of(session, article_id)
    done_reading(session)
    return templates.TemplateResponse(
        request,
        "articles/show.html",
        {
            "original": original,
            "copies": copies,
            "article": article,
            "statements": statements,
            "colours": {item["id"]: colours[_speaker_key(item)] for item in statements},
            "speakers": speakers,
            "body_html": highlight_body(article["body"], spans, s),
            "current": s,
            "total": total,
            "page": min(page, pages),
            "pages": pages,
            "per_page": STATEMENTS_PER_PAGE,
            "capped": total >= MAX_STATEMENTS,
        },
    )


@router.get("/api/articles/{article_id:int}", tags=["articles"], response_model=ArticleDetail)
def api_article(session: SessionDep, article_id: int) -> dict[str, Any]:
    """One article with its body and its statements in reading order; `copy_of` the earlier
    article it is a wire copy of, `copies` the later articles that copy it."""
    article = _article_or_404(session, article_id)
    statements = statements_of_article(session, article_id)
    original, copies = original_of(session, article_id), copies_of(session, article_id)
    done_reading(session)
    return {
        **article,
        "statements": statements,
        "copy_of": _copy_ref(original) if original else None,
        "copies": [_copy_ref(copy) for copy in copies],
    }


def _copy_ref(ref: CopyRef) -> dict[str, Any]:
    published = ref.published_at.isoformat() if ref.published_at else None
    return {"id": ref.id, "title": ref.title, "source": ref.source, "published_at": published}


def _stored_or_404(session: Session, article_id: int) -> Article:
    article = session.get(Article, article_id)
    if article is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"there is no article {article_id}")
    return article


def _edit_page(
    request: Request,
    article: Article,
    values: dict[str, str],
    errors: dict[str, str],
    entries: Any,
    code: int = 200,
) -> Response:
    context = {"article": article, "values": values, "errors": errors, "history": entries}
    return templates.TemplateResponse(request, "articles/edit.html", context, code)


@router.get("/articles/{article_id}/edit", response_class=HTMLResponse, include_in_schema=False)
def edit_article_page(
    request: Request, session: SessionDep, article_id: RowId, user: EditorUser
) -> Response:
    article = _stored_or_404(session, article_id)
    values = {
        "title": article.title,
        "published_at": article.published_at.date().isoformat() if article.published_at else "",
        "source": article.source.name if article.source else "",
        "url": article.url or "",
    }
    return _edit_page(request, article, values, {}, history(session, "article", article.id))


@router.post("/articles/{article_id}/edit", include_in_schema=False)
def edit_article(
    request: Request,
    session: SessionDep,
    article_id: RowId,
    user: EditorUser,
    title: Annotated[str, Form(max_length=1000)] = "",
    published_at: Annotated[str, Form(max_length=40)] = "",
    source: Annotated[str, Form(max_length=200)] = "",
    url: Annotated[str, Form(max_length=2000)] = "",
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    article = _stored_or_404(session, article_id)
    values = {"title": title, "published_at": published_at, "source": source, "url": url}
    errors: dict[str, str] = {}
    day: datetime | None = None
    if published_at.strip():
        try:
            parsed = date.fromisoformat(published_at.strip())
            day = datetime(parsed.year, parsed.month, parsed.day, tzinfo=UTC)
        except ValueError:
            errors["published_at"] = "Give the date as YYYY-MM-DD, e.g. 2022-12-15."
    address: str | None = None
    try:
        address = check_url(url.strip() or None, "url")
    except InputError as error:
        errors["url"] = error.reason[0].upper() + error.reason[1:] + "."
    if not errors:
        try:
            update_article(session, article, ArticleChanges(title, day, source, address), user)
        except ArticleError as error:
            errors["title" if "title" in str(error) else "source"] = str(error).capitalize() + "."
    if errors:
        session.rollback()
        entries = history(session, "article", article_id)
        return _edit_page(
            request, _stored_or_404(session, article_id), values, errors, entries, 422
        )
    return RedirectResponse(f"/articles/{article_id}", status.HTTP_303_SEE_OTHER)


@router.get("/articles/{article_id}/delete", response_class=HTMLResponse, include_in_schema=False)
def delete_article_page(
    request: Request, session: SessionDep, article_id: RowId, user: EditorUser
) -> Response:
    article = _stored_or_404(session, article_id)
    context = {"article": article, "statements": statement_count(session, article)}
    return templates.TemplateResponse(request, "articles/delete.html", context)


@router.post("/articles/{article_id}/delete", include_in_schema=False)
def delete_article_form(
    request: Request,
    session: SessionDep,
    article_id: RowId,
    user: EditorUser,
    confirm: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    article = _stored_or_404(session, article_id)
    if confirm != "yes":
        return RedirectResponse(f"/articles/{article_id}/delete", status.HTTP_303_SEE_OTHER)
    delete_article(session, article, user)
    return RedirectResponse("/articles?deleted=1", status.HTTP_303_SEE_OTHER)
