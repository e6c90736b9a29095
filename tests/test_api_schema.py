"""Property-based requests against every operation of /openapi.json: none may answer 5xx."""

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.accounts.service import create_token, create_user
from app.ingest.service import ingest_paths
from app.web.app import create_app
from tests.conftest import SEED_ARTICLE


@pytest.fixture
def api_schema(engine: Engine, factory: sessionmaker[Session]) -> Any:
    ingest_paths(factory, [SEED_ARTICLE])
    app = create_app(engine)
    app.state.sessionmaker = factory
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture
def token(factory: sessionmaker[Session]) -> str:
    with factory.begin() as session:
        editor = create_user(session, "fuzz@example.org", "fuzzing password", "editor")
        return create_token(session, editor)


def test_no_operation_answers_5xx(api_schema: Any, token: str) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    headers = {"Authorization": f"Bearer {token}"}
    for operation in operations:

        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def no_server_error(case: Any) -> None:
            response = case.call(headers=headers)
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path} -> {response.status_code}: "
                f"{response.text[:500]}"
            )

        no_server_error()
