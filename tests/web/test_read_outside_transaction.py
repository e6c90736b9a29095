"""The list routes read in autocommit (no BEGIN/COMMIT round trips) and hand the connection
back to the pool in its usual mode."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from app.web.app import create_app


@pytest.mark.parametrize("path", ["/api/statements?actor=nobody-known", "/api/statements", "/"])
def test_list_routes_read_in_autocommit(engine: Engine, path: str) -> None:
    seen: list[bool] = []

    def note_mode(connection: Any, *_: Any) -> None:
        seen.append(connection.connection.dbapi_connection.autocommit)

    event.listen(engine, "before_cursor_execute", note_mode)
    try:
        with TestClient(create_app(engine)) as client:
            response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", note_mode)
    assert response.status_code in (200, 422), response.text  # 422: no such actor
    assert seen and all(seen), seen
    with engine.connect() as connection:
        # Back in the pool as it was: a later writer's statements share one transaction.
        assert connection.connection.dbapi_connection.autocommit is False
        connection.execute(text("SELECT 1"))
        assert connection.in_transaction()
