"""Error responses: JSON under /api, an HTML page everywhere else, never a bare 500 for input."""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import (
    DataError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException

from app.statements.filters import InvalidFilter
from app.web.templating import templates

logger = logging.getLogger(__name__)

TITLES = {
    400: "That filter does not work",
    404: "Not found",
    405: "Not allowed",
    409: "A conflicting change",
    422: "That filter does not work",
    503: "The database is not answering",
}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def error_response(request: Request, status: int, message: str, **extra: Any) -> Response:
    if wants_json(request):
        return JSONResponse({"detail": message, **extra}, status_code=status)
    return templates.TemplateResponse(
        request,
        "errors/error.html",
        {"status": status, "title": TITLES.get(status, "Something went wrong"), "message": message},
        status_code=status,
    )


def _validation_message(error: RequestValidationError) -> str:
    parts = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem.get("loc", ())[1:]) or "request"
        parts.append(f"{where}: {problem.get('msg', 'is not valid')}")
    return "; ".join(parts) or "the request is not valid"


def install_error_handlers(app: FastAPI) -> None:
    from app.web.actors import ActorMoved

    @app.exception_handler(ActorMoved)
    async def actor_moved(request: Request, moved: ActorMoved) -> Response:
        # The old slug of a merged actor: its pages and API live on under the kept actor's.
        old = request.url.path.split("/")
        prefix = "/api/actors/" if wants_json(request) else "/actors/"
        rest = "/".join(old[4 if wants_json(request) else 3 :])
        target = prefix + moved.slug + (f"/{rest}" if rest else "")
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(target + query, status_code=301)

    @app.exception_handler(InvalidFilter)
    async def invalid_filter(request: Request, error: InvalidFilter) -> Response:
        # The API keeps FastAPI's 422 for bad parameters; a page says 400 Bad Request.
        return error_response(request, 422 if wants_json(request) else 400, str(error))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        message = _validation_message(error)
        if wants_json(request):
            return JSONResponse(
                {"detail": message, "errors": jsonable_errors(error)}, status_code=422
            )
        return error_response(request, 400, message)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        message = str(error.detail) if error.detail else TITLES.get(error.status_code, "")
        response = error_response(request, error.status_code, message)
        if error.headers:
            response.headers.update(error.headers)
        return response

    @app.exception_handler(SQLAlchemyError)
    async def database_error(request: Request, error: SQLAlchemyError) -> Response:
        # The class and the first line only: no statement, no values sent (article bodies).
        reason = str(getattr(error, "orig", None) or type(error).__name__).splitlines()[0]
        logger.warning(
            "database error on %s: %s (%s)", request.url.path, reason, type(error).__name__
        )
        if isinstance(error, IntegrityError):
            return error_response(
                request, 409, "this conflicts with a change made at the same moment; try again"
            )
        if isinstance(error, DataError):
            return error_response(request, 422, "a value is out of the range the database takes")
        if isinstance(error, OperationalError | InterfaceError | PoolTimeoutError):
            return error_response(request, 503, "the database is not answering; try again shortly")
        logger.exception("unexpected database error on %s", request.url.path, exc_info=error)
        return error_response(request, 500, "something went wrong on our side")


def jsonable_errors(error: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {"loc": list(problem.get("loc", ())), "msg": problem.get("msg", "")}
        for problem in error.errors()
    ]
