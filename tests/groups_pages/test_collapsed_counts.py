"""A collapsed list's counts: claims (distinct groups; an ungrouped statement is one), exact
within the budget, estimated and said so beyond it; its facets count claims as a click on a
value lists them; keyset pages walk every claim once either way."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.settings import get_settings
from tests.factories import make_actor, make_article, make_source

# 200 claims carried by both outlets, and 100 said in each outlet alone: 600 statements,
# 400 claims, 300 of them in each outlet.
STATEMENTS, CLAIMS, PER_OUTLET = 600, 400, 300


@pytest.fixture
def two_outlets(session: Session) -> None:
    speaker = make_actor(session, "Repeat Speaker")
    for outlet, year in (("Morning Wire", 2020), ("Night Post", 2022)):
        source = make_source(session, outlet)
        article = make_article(
            session,
            body=f"{outlet} " * 5,
            source_id=source.id,
            published_at=datetime(year, 1, 1, tzinfo=UTC),
        )
        session.execute(
            text(
                "INSERT INTO statements (article_id, speaker_id, speaker_mention, cue,"
                ' cue_class, kind, content, start, "end", sentence_start, sentence_end,'
                " confidence, extractor_version) SELECT :article, :speaker, 'x', 'said',"
                " 'assert', 'indirect', 'x', n, n + 1, n, n + 1, 1, 'test'"
                " FROM generate_series(0, 299) AS n"
            ),
            {"article": article.id, "speaker": speaker.id},
        )
    # Statement n of each outlet's article (n < 200) is one claim.
    session.execute(
        text(
            "INSERT INTO claim_groups (id, speaker_id, key, polarity, claim_type)"
            " SELECT n, :speaker, 'claim ' || n, 'positive', 'statement'"
            " FROM generate_series(1, 200) AS n"
        ),
        {"speaker": speaker.id},
    )
    session.execute(text("UPDATE statements SET claim_group_id = start + 1 WHERE start < 200"))
    session.commit()
    session.execute(text("ANALYZE statements"))


@pytest.fixture
def estimating(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every list larger than 100 statements is estimated."""
    monkeypatch.setenv("CLAIMTRACKER_EXACT_COUNT_LIMIT", "100")
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("CLAIMTRACKER_EXACT_COUNT_LIMIT")
    get_settings.cache_clear()


def source_counts(html: str) -> dict[str, str]:
    facet = html[html.index('id="facet-source"') :]
    facet = facet[: facet.index("</section>")]
    pairs = re.findall(
        r'facet-label">(?:✓ )?([^<]+)</span>\s*<span class="count">(.*?)</span>\s*</a>', facet
    )
    return {name: re.sub(r"<[^>]+>", "", count) for name, count in pairs}


def walk(client: TestClient, **params: str) -> list[int]:
    """Every id of a list, page after page (keyset cursors)."""
    seen: list[int] = []
    cursor = None
    while True:
        asked = {**params, "limit": "150", **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/statements", params=asked).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen


def test_a_collapsed_list_counts_its_claims_exactly(client: TestClient, two_outlets: None) -> None:
    every = client.get("/api/statements").json()
    assert (every["total"], every["estimated"]) == (STATEMENTS, False)
    collapsed = client.get("/api/statements?collapse=1").json()
    assert (collapsed["total"], collapsed["estimated"]) == (CLAIMS, False)
    html = client.get("/?collapse=1").text
    assert "400 claims" in html and "about 400" not in html
    assert source_counts(html) == {"Morning Wire": "300", "Night Post": "300"}
    narrowed = client.get("/api/statements?collapse=1&source=Morning+Wire").json()
    assert (narrowed["total"], narrowed["estimated"]) == (PER_OUTLET, False)
    # The chosen outlet shows the list's own count.
    chosen = client.get("/?collapse=1&source=Night+Post").text
    assert "300 claims" in chosen and source_counts(chosen)["Night Post"] == "300"
    ids = walk(client, collapse="1")
    assert len(ids) == len(set(ids)) == CLAIMS


def test_beyond_the_budget_a_collapsed_count_is_an_estimate_and_says_so(
    client: TestClient, two_outlets: None, estimating: None, session: Session
) -> None:
    collapsed = client.get("/api/statements?collapse=1").json()
    # The sample is the whole (small) table here, so the estimate lands on the claims.
    assert (collapsed["total"], collapsed["estimated"]) == (CLAIMS, True)
    html = client.get("/?collapse=1").text
    assert "about 400 claims" in html and "estimated from a sample" in html
    # Estimated, a claim counts under its newest appearance's outlet.
    assert source_counts(html) == {"Night Post": "≈about 300", "Morning Wire": "≈about 100"}
    # Keyset pages still walk every claim once, newest appearance each.
    ids = walk(client, collapse="1")
    assert len(ids) == len(set(ids)) == CLAIMS
    newest = session.execute(
        text(
            "SELECT s.id FROM statements s JOIN articles a ON a.id = s.article_id"
            " JOIN sources o ON o.id = a.source_id"
            " WHERE s.claim_group_id IS NULL OR o.name = 'Night Post'"
        )
    ).scalars()
    assert set(ids) == set(newest)
