"""Every response carries a request id; a failed request leaves one line in the log with
method, path, status, id and exception class, and no article text."""

import json
import logging

import pytest
from fastapi.testclient import TestClient

from app.web.request_log import JsonFormatter


def test_failed_requests_are_logged_once_with_their_id(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="claimtracker.requests")
    fine = client.get("/api/statements")
    assert len(fine.headers["x-request-id"]) == 16
    missing = client.get("/articles/999999", headers={"X-Request-ID": "report-12345678"})
    assert missing.status_code == 404 and missing.headers["x-request-id"] == "report-12345678"
    lines = [r for r in caplog.records if r.name == "claimtracker.requests"]
    assert len(lines) == 1
    assert lines[0].getMessage() == "GET /articles/999999 404 request=report-12345678"
    forged = client.get("/", headers={"X-Request-ID": "<script>"})
    assert forged.headers["x-request-id"] != "<script>"


def test_json_log_lines() -> None:
    record = logging.LogRecord("claimtracker.requests", logging.ERROR, __file__, 1,
                               "GET %s 500", ("/x",), None)  # fmt: skip
    record.request_id = "abc"
    record.status = 500
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "GET /x 500" and line["request_id"] == "abc"
    assert line["level"] == "error" and line["status"] == 500
