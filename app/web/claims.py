"""A claim's page: the claim, its first appearance, every appearance and a timeline, with its
JSON twin; editors split a statement out of the claim or merge another claim into it."""

import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from app.db import RowId, SessionDep, done_reading
from app.groups.pages import ClaimPage, claim_page
from app.groups.service import GroupError, merge, split
from app.models.groups import ClaimGroup
from app.models.statements import Statement
from app.web.csrf import check_csrf
from app.web.deps import EditorUser
from app.web.templating import templates
from app.web.timeline import timeline_svg

router = APIRouter()

# "123", "#123", "/claims/123" or a whole address of a claim page.
_OTHER_CLAIM = re.compile(r"^\s*(?:.*/claims/|#)?(\d{1,10})/?\s*$")
MAX_ROW_ID = 2_147_483_647


def _claim_or_404(session: Session, group_id: int) -> ClaimPage:
    page = claim_page(session, group_id)
    if page is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"there is no claim {group_id}")
    return page


def _render(request: Request, claim: ClaimPage, extra: dict[str, Any], code: int = 200) -> Response:
    context = {"claim": claim, "timeline_svg": timeline_svg(claim.days), **extra}
    return templates.TemplateResponse(request, "claims/show.html", context, code)


@router.get("/claims/{group_id}", response_class=HTMLResponse, include_in_schema=False)
def claim_view(request: Request, session: SessionDep, group_id: RowId) -> Response:
    claim = _claim_or_404(session, group_id)
    done_reading(session)
    return _render(request, claim, {"errors": {}, "other": ""})


@router.get("/api/claims/{group_id}", tags=["claims"])
def api_claim(session: SessionDep, group_id: RowId) -> dict[str, Any]:
    """One claim group: its words (the first appearance's), speaker, counts of statements,
    articles and outlets, the first appearance, every appearance earliest first (at most
    500; each with `copy_of` when its article is a wire copy), a per-day timeline and the
    outlets that carried it."""
    claim = _claim_or_404(session, group_id)
    done_reading(session)
    return claim.as_dict()


def _statement_in(session: Session, group_id: int, statement_id: int) -> Statement:
    statement = session.get(Statement, statement_id) if statement_id <= MAX_ROW_ID else None
    if statement is None or statement.claim_group_id != group_id:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, f"statement {statement_id} is not one of claim {group_id}"
        )
    return statement


@router.get("/claims/{group_id}/split", response_class=HTMLResponse, include_in_schema=False)
def split_page(
    request: Request,
    session: SessionDep,
    group_id: RowId,
    user: EditorUser,
    statement: Annotated[int, Query(ge=1)],
) -> Response:
    claim = _claim_or_404(session, group_id)
    chosen = _statement_in(session, group_id, statement)
    context = {"claim": claim, "statement": chosen}
    return templates.TemplateResponse(request, "claims/split.html", context)


@router.post("/claims/{group_id}/split", include_in_schema=False)
def split_form(
    request: Request,
    session: SessionDep,
    group_id: RowId,
    user: EditorUser,
    statement: Annotated[int, Form(ge=1)],
    confirm: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    chosen = _statement_in(session, group_id, statement)
    if confirm != "yes":
        return RedirectResponse(
            f"/claims/{group_id}/split?statement={statement}", status.HTTP_303_SEE_OTHER
        )
    try:
        group = split(session, chosen, user)
    except GroupError as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from None
    return RedirectResponse(f"/claims/{group.id}", status.HTTP_303_SEE_OTHER)


def _other_claim(value: str) -> int | None:
    match = _OTHER_CLAIM.match(value)
    number = int(match.group(1)) if match else 0
    return number if 1 <= number <= MAX_ROW_ID else None


def _merge_error(
    request: Request, session: Session, group_id: int, other: str, message: str
) -> Response:
    session.rollback()
    claim = _claim_or_404(session, group_id)
    return _render(request, claim, {"errors": {"other": message}, "other": other}, 422)


def _merge_target(session: Session, group_id: int, other: str) -> tuple[int | None, str | None]:
    """The other claim's id, or what is wrong with what was typed."""
    other_id = _other_claim(other)
    if other_id is None:
        return None, "Give the other claim's number or its address, e.g. 42 or /claims/42."
    if other_id == group_id:
        return None, "That is this claim: give another one."
    if session.get(ClaimGroup, other_id) is None:
        return None, f"There is no claim {other_id}."
    return other_id, None


@router.get("/claims/{group_id}/merge", response_class=HTMLResponse, include_in_schema=False)
def merge_page(
    request: Request,
    session: SessionDep,
    group_id: RowId,
    user: EditorUser,
    other: Annotated[str, Query(max_length=2000)] = "",
) -> Response:
    claim = _claim_or_404(session, group_id)
    other_id, problem = _merge_target(session, group_id, other)
    if other_id is None:
        return _render(request, claim, {"errors": {"other": problem}, "other": other}, 422)
    context = {"claim": claim, "other_claim": _claim_or_404(session, other_id)}
    return templates.TemplateResponse(request, "claims/merge.html", context)


@router.post("/claims/{group_id}/merge", include_in_schema=False)
def merge_form(
    request: Request,
    session: SessionDep,
    group_id: RowId,
    user: EditorUser,
    other: Annotated[str, Form(max_length=2000)] = "",
    confirm: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    """Merge the other claim into this one: its statements move here, it is gone."""
    check_csrf(request, csrf_token)
    _claim_or_404(session, group_id)
    other_id, problem = _merge_target(session, group_id, other)
    if other_id is None:
        return _merge_error(request, session, group_id, other, problem or "")
    if confirm != "yes":
        return RedirectResponse(
            f"/claims/{group_id}/merge?other={other_id}", status.HTTP_303_SEE_OTHER
        )
    source = session.get_one(ClaimGroup, other_id)
    target = session.get_one(ClaimGroup, group_id)
    try:
        merge(session, source, target, user)
    except GroupError as error:
        return _merge_error(request, session, group_id, other, str(error).capitalize() + ".")
    return RedirectResponse(f"/claims/{group_id}", status.HTTP_303_SEE_OTHER)
