"""The feeds page for editors: the feeds followed, their last poll and its outcome; follow a
new feed, stop following one, ask for a poll soon."""

from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.db import RowId, SessionDep
from app.feeds.service import FeedFailure, add_feed, list_feeds, next_poll, remove_feed
from app.models import Feed
from app.web.csrf import check_csrf
from app.web.deps import EditorUser
from app.web.templating import templates

router = APIRouter(include_in_schema=False)


def _page(
    request: Request, session: SessionDep, error: str | None = None, url: str = ""
) -> Response:
    feeds = list_feeds(session)
    context = {"feeds": feeds, "next_poll": next_poll, "error": error, "url": url}
    return templates.TemplateResponse(
        request,
        "feeds/index.html",
        context,
        status.HTTP_422_UNPROCESSABLE_CONTENT if error else 200,
    )


@router.get("/feeds", response_class=HTMLResponse)
def feeds_page(request: Request, session: SessionDep, user: EditorUser) -> Response:
    return _page(request, session)


@router.post("/feeds")
def follow_feed(
    request: Request,
    session: SessionDep,
    user: EditorUser,
    url: Annotated[str, Form(max_length=2000)] = "",
    interval_minutes: Annotated[int, Form(ge=5, le=10080)] = 60,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    try:
        add_feed(session, url, interval_minutes)
    except FeedFailure as error:
        return _page(request, session, str(error)[0].upper() + str(error)[1:] + ".", url)
    return RedirectResponse("/feeds", status.HTTP_303_SEE_OTHER)


@router.post("/feeds/{feed_id}/remove")
def unfollow_feed(
    request: Request,
    session: SessionDep,
    feed_id: RowId,
    user: EditorUser,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    remove_feed(session, feed_id)
    return RedirectResponse("/feeds", status.HTTP_303_SEE_OTHER)


@router.post("/feeds/{feed_id}/poll")
def poll_soon(
    request: Request,
    session: SessionDep,
    feed_id: RowId,
    user: EditorUser,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    """Due at once: the next worker to look (within a minute) polls it."""
    check_csrf(request, csrf_token)
    feed = session.get(Feed, feed_id)
    if feed is not None:
        feed.last_polled_at = None
    return RedirectResponse("/feeds", status.HTTP_303_SEE_OTHER)
