"""Adding articles: the upload form for editors and `POST /api/articles` for API clients."""

import json
from typing import Any

from fastapi import APIRouter, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from app.articles.schemas import ArticleRequest
from app.ingest.fetch import FetchError, fetcher_from_settings
from app.ingest.readers import TOO_DEEP, ArticleInput, InputError, read_record
from app.ingest.service import Outcome, ingest_article, prepare_file
from app.settings import get_settings
from app.web.csrf import check_csrf
from app.web.deps import ApiEditorUser, CurrentUser
from app.web.errors import error_response
from app.web.jobs import queue_files
from app.web.multipart import (
    MalformedUpload,
    UploadForm,
    UploadTooLarge,
    read_body,
    read_multipart,
)
from app.web.templating import templates

router = APIRouter()

PASTE_FIELDS = ("title", "body", "source", "url", "published_at", "external_id")


class ArticleCreated(BaseModel):
    id: int
    created: bool
    statements: int


def _max_bytes() -> int:
    return get_settings().max_upload_bytes


def _form_page(
    request: Request,
    values: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    duplicate: Outcome | None = None,
    code: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "values": values or {},
        "errors": errors or {},
        "duplicate": duplicate,
        "max_mb": _max_bytes() / 1024 / 1024,
    }
    return templates.TemplateResponse(request, "articles/new.html", context, code)


def _refuse_visitor(request: Request, user: Any) -> Response | None:
    if user is None:
        return RedirectResponse("/login?next=/articles/new", status.HTTP_303_SEE_OTHER)
    if not user.can_edit:
        return error_response(request, 403, "Only editors may add articles.")
    return None


def pasted_article(fields: dict[str, str], errors: dict[str, list[str]]) -> ArticleInput | None:
    """The article typed or pasted into the form, or None; problems go to errors by field."""
    values = {name: fields.get(name, "").strip() for name in PASTE_FIELDS}
    if not values["body"]:
        if values["title"]:
            errors.setdefault("body", []).append("Paste the article's text as well as its title.")
        return None
    record: dict[str, Any] = {name: value or None for name, value in values.items()}
    try:
        return read_record(record, "the pasted article", "pasted text")
    except InputError as error:
        field = next((name for name in PASTE_FIELDS if name in error.reason), "body")
        errors.setdefault(field, []).append(error.reason[0].upper() + error.reason[1:] + ".")
        return None


@router.get("/articles/new", response_class=HTMLResponse, include_in_schema=False)
def new_article(request: Request, user: CurrentUser) -> Response:
    return _refuse_visitor(request, user) or _form_page(request)


@router.post("/articles/new", response_class=HTMLResponse, include_in_schema=False)
async def upload_articles(request: Request, user: CurrentUser) -> Response:
    if refused := _refuse_visitor(request, user):
        return refused
    try:
        form = await read_multipart(
            request.headers.get("content-type", ""), request.stream(), _max_bytes()
        )
    except UploadTooLarge as error:
        return _form_page(request, errors={"files": [f"{error}."]}, code=413)
    except MalformedUpload as error:
        return _form_page(request, errors={"files": [f"{error}."]}, code=400)
    check_csrf(request, form.fields.get("csrf_token"))
    if _large(form):
        # Large enough to take a while: the worker reads and extracts it, and the job's page
        # follows it (its errors are shown there).
        return await _start_job(request, user, form)

    errors: dict[str, list[str]] = {}
    articles = _articles_from_files(form, errors)
    pasted = pasted_article(form.fields, errors)
    if pasted is not None:
        articles.append(pasted)
    address = form.fields.get("fetch_url", "").strip()
    if address:
        fetched = await run_in_threadpool(_fetch, address)
        if isinstance(fetched, FetchError):
            reason = fetched.reason[0].upper() + fetched.reason[1:]
            errors.setdefault("fetch_url", []).append(f"{reason}.")
        else:
            articles.append(fetched)
    values = {name: form.fields.get(name, "") for name in (*PASTE_FIELDS, "fetch_url")}
    if not articles and not errors:
        errors["files"] = ["Give a web address, choose a file, or paste an article's text below."]
    if errors:
        return _form_page(request, values, errors, code=422)

    if len(articles) > 1:
        return await _start_job(request, user, form)
    outcome = await run_in_threadpool(ingest_article, request.app.state.sessionmaker, articles[0])
    if outcome.status == "existing":
        return _form_page(request, values, duplicate=outcome)
    return RedirectResponse(f"/articles/{outcome.article_id}", status.HTTP_303_SEE_OTHER)


def _large(form: UploadForm) -> bool:
    limit = get_settings().background_bytes
    pasted = len(form.fields.get("body", "").encode())
    return pasted > limit or any(len(upload.data) > limit for upload in form.files)


def _articles_from_files(form: UploadForm, errors: dict[str, list[str]]) -> list[ArticleInput]:
    articles: list[ArticleInput] = []
    for upload in form.files:
        try:
            articles.extend(prepare_file(upload.filename, upload.data))
        except InputError as error:
            errors.setdefault("files", []).append(f"{error.where}: {error.reason}.")
    return articles


async def _start_job(request: Request, user: Any, form: UploadForm) -> Response:
    """Several articles are ingested in the background; the job page follows them."""
    files = [(upload.filename, upload.data) for upload in form.files]
    pasted = {name: form.fields.get(name, "") for name in PASTE_FIELDS}
    if pasted["body"].strip():
        record = {name: value or None for name, value in pasted.items()}
        files.append(("pasted.json", json.dumps(record).encode()))
    job_id = await queue_files(request, files, user)
    return RedirectResponse(f"/jobs/{job_id}", status.HTTP_303_SEE_OTHER)


def _invalid(field: str, message: str) -> JSONResponse:
    detail = [{"loc": ["body", field], "msg": message, "type": "value_error"}]
    return JSONResponse({"detail": detail}, status.HTTP_422_UNPROCESSABLE_CONTENT)


@router.post(
    "/api/articles",
    tags=["articles"],
    summary="Add one article",
    response_model=ArticleCreated,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": ArticleCreated, "description": "The same body was already stored."},
        202: {"description": "A large article, queued for the worker: follow `status_url`."},
        401: {"description": "No valid API token."},
        403: {"description": "The token's user is not an editor."},
        413: {"description": "The body or file is over the size limit."},
        422: {"description": "Invalid input, with the field."},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": ArticleRequest.model_json_schema()},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            **{
                                name: {"type": "string"}
                                for name in PASTE_FIELDS
                                if name != "external_id"
                            },
                        },
                    }
                },
            },
        }
    },
)
async def create_article(request: Request, user: ApiEditorUser) -> Response:
    """Store one article (JSON, or multipart with one file or text fields) and extract its
    statements. Send an API token: `Authorization: Bearer …`."""
    content_type = request.headers.get("content-type", "")
    limit = _max_bytes()
    try:
        if content_type.startswith("multipart/form-data"):
            form = await read_multipart(content_type, request.stream(), limit)
            errors: dict[str, list[str]] = {}
            articles = _articles_from_files(form, errors)
            pasted = pasted_article(form.fields, errors)
            articles += [pasted] if pasted else []
            if errors:
                field, messages = next(iter(errors.items()))
                return _invalid(field, messages[0])
            if len(articles) != 1:
                return _invalid("file", f"send exactly one article here, not {len(articles)}")
            article = articles[0]
        else:
            body = await read_body(request.stream(), limit)
            # Off the event loop: a fetch from a web address waits on the network.
            article_or_error = await run_in_threadpool(_article_from_json, body)
            if isinstance(article_or_error, JSONResponse):
                return article_or_error
            article = article_or_error
    except UploadTooLarge as error:
        return JSONResponse({"detail": f"{error}."}, status.HTTP_413_CONTENT_TOO_LARGE)
    except MalformedUpload as error:
        return _invalid("body", str(error))

    if len(article.body.encode()) > get_settings().background_bytes:
        return await _queue_one(request, user, article)
    outcome = await run_in_threadpool(ingest_article, request.app.state.sessionmaker, article)
    created = outcome.status == "created"
    payload = {"id": outcome.article_id, "created": created, "statements": outcome.statements}
    return JSONResponse(payload, status.HTTP_201_CREATED if created else status.HTTP_200_OK)


async def _queue_one(request: Request, user: Any, article: ArticleInput) -> Response:
    """A large article goes to the worker: 202 with the job to follow."""
    record = {
        "title": article.title,
        "body": article.body,
        "url": article.url,
        "source": article.source,
        "external_id": article.external_id,
        "published_at": article.published_at.isoformat() if article.published_at else None,
    }
    data = json.dumps({k: v for k, v in record.items() if v is not None}).encode()
    job_id = await queue_files(request, [("article.json", data)], user)
    status_url = f"/api/jobs/{job_id}"
    return JSONResponse(
        {"job_id": job_id, "url": f"/jobs/{job_id}", "status_url": status_url},
        status.HTTP_202_ACCEPTED,
        headers={"Location": status_url},
    )


def _fetch(url: str) -> ArticleInput | FetchError:
    """The article at a web address (see app.ingest.fetch), or why it could not be had."""
    try:
        return fetcher_from_settings().article(url.strip())
    except FetchError as error:
        return error


def _article_from_json(body: bytes) -> ArticleInput | JSONResponse:
    try:
        raw = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        return _invalid("body", f"the body is not valid JSON ({error})")
    except RecursionError:
        return _invalid("body", TOO_DEEP)
    try:
        payload = ArticleRequest.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        return _invalid(".".join(str(p) for p in first["loc"]) or "body", first["msg"])
    if payload.body is None and payload.url:
        fetched = _fetch(payload.url)
        return _invalid("url", fetched.reason) if isinstance(fetched, FetchError) else fetched
    try:
        return read_record(payload.model_dump(), "the request", "api")
    except InputError as error:
        field = next((name for name in PASTE_FIELDS if name in error.reason), "body")
        return _invalid(field, error.reason)
