"""Hostile text stored anywhere renders inert on every page that shows it."""

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.models.accounts import User
from app.models.actors import ActorAlias
from app.models.articles import Source
from app.review.service import history
from tests.accounts.conftest import bearer, client, make_user, sign_in
from tests.factories import make_actor, make_article, make_statement

__all__ = ["bearer", "client", "make_user", "sign_in"]

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    '" onmouseover="alert(3)" x="',
    "' autofocus onfocus='alert(4)",
]
LIVE = ["<script>alert", "<img src=x", 'onerror="alert', '" onmouseover="', "' autofocus onfocus='"]


@pytest.fixture
def hostile(session: Session) -> dict[str, object]:
    text = " ".join(PAYLOADS)
    source = Source(name=f"Outlet {text}")
    session.add(source)
    session.flush()
    article = make_article(
        session,
        body=f"{text} The minister said {text} was routine.",
        title=f"Title {text}",
        url="javascript:alert(5)",
        source_id=source.id,
    )
    actor = make_actor(session, f"Actor {PAYLOADS[0]}{PAYLOADS[2]}")
    session.add(ActorAlias(actor_id=actor.id, alias=PAYLOADS[1], normalised="hostile alias"))
    statement = make_statement(session, article, actor, 0, len(text))
    session.commit()
    assert history(session, "actor", actor.id) == []
    return {"article": article, "actor": actor, "statement": statement}


def test_every_page_renders_hostile_text_inert(
    client: TestClient, hostile: dict[str, object], sign_in: Callable[[str], User]
) -> None:
    article, actor, statement = hostile["article"], hostile["actor"], hostile["statement"]
    sign_in("editor")  # editors see the most: forms, history, review links
    pages = [
        "/",
        f"/?q={PAYLOADS[0]}",
        "/actors",
        f"/actors/{actor.slug}",  # type: ignore[attr-defined]
        f"/articles/{article.id}",  # type: ignore[attr-defined]
        f"/statements/{statement.id}",  # type: ignore[attr-defined]
        "/topics",
        f"/actors?q={PAYLOADS[1]}",
        f"/nowhere/{PAYLOADS[0]}",
    ]
    for path in pages:
        html = client.get(path).text
        for live in LIVE:
            assert live not in html, f"{live!r} is live on {path}"
    article_page = client.get(f"/articles/{article.id}").text  # type: ignore[attr-defined]
    assert "javascript:alert" not in article_page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article_page
