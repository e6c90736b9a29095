"""Batch ingest over HTTP: `POST /api/articles/batch`, and each job's progress (JSON, a page)."""

import json

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.articles.schemas import ArticlePayload
from app.db import RowId, SessionDep
from app.ingest.readers import TOO_DEEP
from app.jobs.schemas import BatchArticles, JobAccepted, JobOut
from app.jobs.service import create_ingest_job, get_ingest_job
from app.models import IngestJob, User
from app.settings import get_settings
from app.web.deps import ApiEditorUser, EditorUser
from app.web.multipart import (
    MAX_FILES,
    MalformedUpload,
    UploadTooLarge,
    read_body,
    read_multipart,
)
from app.web.templating import templates

router = APIRouter()

REFRESH_SECONDS = 2
FILE_STATUS_WORDS = {
    "pending": "Waiting",
    "created": "Stored",
    "existing": "Already stored",
    "failed": "Failed",
}

_BATCH_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {
                    "files": {
                        "type": "array",
                        "items": {"type": "string", "format": "binary"},
                        "description": "Article files: .txt, .md, .html, .json, .jsonl.",
                    }
                },
                "required": ["files"],
            }
        },
        "application/json": {
            # Written out whole: a $ref would point at a schema FastAPI does not publish.
            "schema": {
                "type": "object",
                "properties": {
                    "articles": {
                        "type": "array",
                        "items": ArticlePayload.model_json_schema(),
                        "minItems": 1,
                        "maxItems": MAX_FILES,
                    }
                },
                "required": ["articles"],
            },
            "example": {
                "articles": [
                    {
                        "title": "Kremlin reacts",
                        "body": "Dmitri Peskov said the claims were false.",
                        "source": "Example Wire",
                        "published_at": "2022-12-15",
                    }
                ]
            },
        },
    },
}


async def queue_files(request: Request, files: list[tuple[str, bytes]], user: User | None) -> int:
    """Store the files as an ingest job, queued in the same transaction; the job's id."""

    def create() -> int:
        with request.app.state.sessionmaker.begin() as session:
            return create_ingest_job(session, files, user).id

    return await run_in_threadpool(create)


def _problem(code: int, message: str) -> JSONResponse:
    return JSONResponse({"detail": message}, status_code=code)


def _invalid(where: str, message: str) -> JSONResponse:
    detail = [{"loc": ["body", where], "msg": message, "type": "value_error"}]
    return JSONResponse({"detail": detail}, status.HTTP_422_UNPROCESSABLE_CONTENT)


def _articles_as_files(body: bytes, limit: int) -> list[tuple[str, bytes]] | JSONResponse:
    """Each article of a JSON batch as a .json file, so the worker reads it like an upload."""
    try:
        batch = BatchArticles.model_validate(json.loads(body))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        return _invalid("body", f"the body is not valid JSON ({error})")
    except RecursionError:
        return _invalid("body", TOO_DEEP)
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem["loc"]) or "body"
        return _invalid(where, problem["msg"])
    if len(batch.articles) > MAX_FILES:
        return _invalid("articles", f"at most {MAX_FILES} articles at once")
    files = []
    for number, article in enumerate(batch.articles, start=1):
        data = article.model_dump_json(exclude_none=True).encode()
        if len(data) > limit:
            message = str(UploadTooLarge(f"article {number}", limit))
            return _problem(status.HTTP_413_CONTENT_TOO_LARGE, f"{message}.")
        files.append((f"article-{number}.json", data))
    return files


@router.post(
    "/api/articles/batch",
    tags=["articles"],
    summary="Add many articles in the background",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobAccepted,
    responses={
        401: {"description": "No valid API token."},
        403: {"description": "The token's user is not an editor."},
        413: {"description": "A file (named in the message) is over the size limit."},
        415: {"description": "Neither multipart/form-data nor JSON."},
        422: {"description": "No files or articles, or an article without body."},
    },
    openapi_extra={"requestBody": _BATCH_BODY},
)
async def create_batch(request: Request, user: ApiEditorUser) -> Response:
    """Queue files (multipart, field `files`, repeated) or articles (JSON `{"articles": [...]}`)
    for ingest by a background worker, and answer at once with the job to follow.

    Each file may be up to the upload limit (5 MB by default); a file that cannot be read is
    reported on the job, the others go in. Send an API token: `Authorization: Bearer …`.
    """
    content_type = request.headers.get("content-type", "")
    limit = get_settings().max_upload_bytes
    try:
        if content_type.startswith("multipart/form-data"):
            form = await read_multipart(content_type, request.stream(), limit)
            files = [(upload.filename, upload.data) for upload in form.files]
            if not files:
                return _invalid("files", "send at least one file in the field 'files'")
        elif content_type.startswith("application/json"):
            body = await read_body(request.stream(), limit * MAX_FILES)
            files_or_error = _articles_as_files(body, limit)
            if isinstance(files_or_error, JSONResponse):
                return files_or_error
            files = files_or_error
        else:
            return _problem(
                status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
                "send multipart/form-data (field 'files') or application/json ({\"articles\": []})",
            )
    except UploadTooLarge as error:
        return _problem(status.HTTP_413_CONTENT_TOO_LARGE, f"{error}.")
    except MalformedUpload as error:
        return _invalid("body", str(error))

    job_id = await queue_files(request, files, user)
    accepted = JobAccepted(job_id=job_id, url=f"/jobs/{job_id}", status_url=f"/api/jobs/{job_id}")
    return JSONResponse(
        accepted.model_dump(),
        status.HTTP_202_ACCEPTED,
        headers={"Location": accepted.status_url},
    )


def _job_or_404(session: Session, job_id: int) -> IngestJob:
    job = get_ingest_job(session, job_id)
    if job is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"there is no ingest job {job_id}")
    return job


@router.get(
    "/api/jobs/{job_id}",
    tags=["articles"],
    summary="An ingest job's progress",
    response_model=JobOut,
    responses={
        401: {"description": "Not signed in and no API token."},
        403: {"description": "Not an editor."},
        404: {"description": "No such job."},
    },
)
def job_status(job_id: RowId, session: SessionDep, user: EditorUser) -> JobOut:
    """The job's status and counts, and each file's outcome with a link to its article."""
    return JobOut.of(_job_or_404(session, job_id))


@router.get("/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
def job_page(request: Request, job_id: RowId, session: SessionDep, user: EditorUser) -> Response:
    job = _job_or_404(session, job_id)
    response = templates.TemplateResponse(
        request,
        "jobs/show.html",
        {"job": job, "files": job.files, "status_words": FILE_STATUS_WORDS},
    )
    if not job.finished:
        # Browsers reload on this header as on <meta http-equiv="refresh">: progress, no script.
        response.headers["Refresh"] = str(REFRESH_SECONDS)
    return response
