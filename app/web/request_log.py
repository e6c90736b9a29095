"""One log line per failed request (method, path, status, request id, exception class), and
the request id on every response (X-Request-ID) so a person's report can be found in the log.
CLAIMTRACKER_LOG_FORMAT=json writes every log line as one JSON object."""

import json
import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("claimtracker.requests")
# An id a proxy sent along is kept when it looks like one; anything else is replaced.
_GIVEN_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestLog:
    """ASGI middleware: ids every request, logs those that fail (4xx at info, 5xx at error)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers", [])).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _GIVEN_ID.match(given) else uuid.uuid4().hex[:16]
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as error:
            _log(scope, 500, request_id, started, type(error).__name__)
            raise
        if status >= 400:
            _log(scope, status, request_id, started, None)


def _log(scope: Scope, status: int, request_id: str, started: float, error: str | None) -> None:
    level = logging.ERROR if status >= 500 else logging.INFO
    logger.log(
        level,
        "%s %s %d request=%s%s",
        scope.get("method", "?"),
        scope.get("path", "?"),
        status,
        request_id,
        f" error={error}" if error else "",
        extra={
            "method": scope.get("method"),
            "path": scope.get("path"),
            "status": status,
            "request_id": request_id,
            "exception": error,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object: time, level, logger, message, and the request's
    fields when there are any."""

    FIELDS = ("method", "path", "status", "request_id", "exception", "ms")

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "at": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({key: getattr(record, key) for key in self.FIELDS if hasattr(record, key)})
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(json_format: bool) -> dict[str, Any]:
    """Logging for `serve`: a uvicorn log configuration whose handlers write plain or JSON
    lines, claimtracker's own loggers included."""
    formatter = (
        {"()": "app.web.request_log.JsonFormatter"}
        if json_format
        else {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {
            "default": {"class": "logging.StreamHandler", "formatter": "default"},
        },
        "loggers": {
            "": {"handlers": ["default"], "level": "INFO"},
            "uvicorn": {"handlers": [], "level": "INFO", "propagate": True},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": True},
        },
    }
