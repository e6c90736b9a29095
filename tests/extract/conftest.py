"""Fixtures for the extractor tests: the seed article as ingest stores it."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SEED_ARTICLE = REPO / "seeds" / "000_a88642a8d23d9c85.txt"
BOILERPLATE = "Back to top button"


def clean_body(raw: str) -> str:
    """The article body as ingest stores it: trailing page boilerplate removed."""
    body = raw.rstrip()
    if body.endswith(BOILERPLATE):
        body = body[: -len(BOILERPLATE)]
    return body.rstrip()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return clean_body(SEED_ARTICLE.read_text(encoding="utf-8"))
