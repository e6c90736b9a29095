"""Counts over the whole result: the total and every facet exact up to the budget, an
estimate (said so) beyond it, the chosen value always the list's own count, and cached counts
that a write makes stale at once."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from app.models.actors import Actor
from app.settings import get_settings
from tests.factories import make_actor, make_article, make_source
from tests.web.conftest import claim


def insert_statements(session: Session, article_id: int, how_many: int, speaker: Actor) -> None:
    """Many one-character statements in one INSERT, as a bulk load writes them."""
    session.execute(
        text(
            "INSERT INTO statements (article_id, speaker_id, speaker_mention, cue, cue_class,"
            ' kind, content, start, "end", sentence_start, sentence_end, confidence,'
            " extractor_version) "
            "SELECT :article, :speaker, 'x', 'said', 'assert', 'indirect', 'x', n, n + 1,"
            " n, n + 1, 1, 'test' FROM generate_series(0, :how_many - 1) AS n"
        ),
        {"article": article_id, "speaker": speaker.id, "how_many": how_many},
    )


@pytest.fixture
def crowd(session: Session) -> dict[str, Actor]:
    """1,500 old claims by one speaker, 1,100 newer ones by another and 5 by a third: the
    newest thousand hold none of the old speaker's."""
    wire = make_source(session, "Count Wire")
    old = make_article(
        session, body="o" * 10, source_id=wire.id, published_at=datetime(2020, 1, 1, tzinfo=UTC)
    )
    new = make_article(
        session, body="n" * 10, source_id=wire.id, published_at=datetime(2022, 1, 1, tzinfo=UTC)
    )
    speakers = {
        "old": make_actor(session, "Old Speaker"),
        "new": make_actor(session, "Newer Speaker"),
        "minor": make_actor(session, "Minor Speaker", kind="organization"),
    }
    insert_statements(session, old.id, 1_500, speakers["old"])
    insert_statements(session, new.id, 1_100, speakers["new"])
    insert_statements(session, new.id, 5, speakers["minor"])
    session.commit()
    session.execute(text("ANALYZE statements"))
    return speakers


@pytest.fixture
def estimating(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every list larger than 100 statements is estimated."""
    monkeypatch.setenv("CLAIMTRACKER_EXACT_COUNT_LIMIT", "100")
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("CLAIMTRACKER_EXACT_COUNT_LIMIT")
    get_settings.cache_clear()


def speaker_counts(page: str, names: list[str]) -> dict[str, str]:
    """The count shown beside each speaker's name in the page's speaker facet."""
    facet = page[page.index('id="facet-actor"') : page.index('id="facet-actor_kind"')]
    shown = {}
    for name in names:
        if name in facet:
            after = facet[facet.index(name) :]
            count = after[
                after.index('class="count">') + len('class="count">') : after.index("</a>")
            ]
            shown[name] = re.sub(r"<[^>]+>", "", count).strip()
    return shown


def test_counts_are_exact_for_the_whole_result(client: TestClient, crowd: dict[str, Actor]) -> None:
    page = client.get("/").text
    assert "2,605 claims" in page and "about" not in page.split("results-heading")[1][:200]
    # The old speaker is nowhere in the newest thousand, and first in the facet all the same.
    assert speaker_counts(page, ["Old Speaker", "Newer Speaker", "Minor Speaker"]) == {
        "Old Speaker": "1,500",
        "Newer Speaker": "1,100",
        "Minor Speaker": "5",
    }
    assert "estimated from a sample" not in page
    # One speaker chosen: their facet count is the list's total, with or without more filters.
    for url in (f"/?actor={crowd['old'].slug}", f"/?actor={crowd['old'].slug}&kind=indirect"):
        chosen = client.get(url).text
        assert "1,500 claims" in chosen
        assert speaker_counts(chosen, ["Old Speaker"]) == {"Old Speaker": "1,500"}
    body = client.get("/api/statements?kind=indirect").json()
    assert (body["total"], body["estimated"]) == (2_605, False)
    kinds = client.get("/?actor_kind=organization").text
    assert "5 claims" in kinds


def test_beyond_the_budget_counts_are_estimates_and_say_so(
    client: TestClient, crowd: dict[str, Actor], estimating: None
) -> None:
    body = client.get("/api/statements?kind=indirect").json()
    assert (body["total"], body["estimated"]) == (2_600, True)
    page = client.get("/").text
    assert "about 2,600 claims" in page and "of about 2,600" in page
    assert "estimated from a sample" in page
    assert speaker_counts(page, ["Old Speaker"]) == {"Old Speaker": "≈about 1,500"}
    # One actor alone is still exact (the actor keeps their count), and so is their facet.
    alone = client.get(f"/?actor={crowd['old'].slug}").text
    assert "1,500 claims" in alone and "about 1,500" not in alone
    assert speaker_counts(alone, ["Old Speaker"]) == {"Old Speaker": "1,500"}
    # With another filter the total is an estimate, and the chosen speaker shows that total.
    narrowed = client.get(f"/?actor={crowd['old'].slug}&kind=indirect").text
    assert "about 1,500 claims" in narrowed
    assert speaker_counts(narrowed, ["Old Speaker"]) == {"Old Speaker": "≈about 1,500"}
    # Two actors and nothing else: each keeps their exact number, and the total is their sum.
    both = client.get(f"/?actor={crowd['old'].slug}&actor={crowd['new'].slug}").text
    assert "2,600 claims" in both and "about 2,600" not in both
    assert speaker_counts(both, ["Old Speaker", "Newer Speaker"]) == {
        "Old Speaker": "1,500",
        "Newer Speaker": "1,100",
    }


def test_an_estimate_reads_a_sample_of_the_table(
    session: Session, crowd: dict[str, Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.statements.counts as counts
    from app.statements.filters import StatementFilters, resolve_filters

    monkeypatch.setattr(counts, "ESTIMATE_SAMPLE", 1_000)
    resolved = resolve_filters(session, StatementFilters(kind="indirect"), count_limit=100)
    estimate = counts.count_matches(session, resolved, facets=("actor",))
    assert estimate.estimated and estimate.by_estimated
    assert 1_000 <= estimate.total <= 6_000
    assert set(estimate.by["actor"]) <= {actor.id for actor in crowd.values()}
    # Within the budget, the same filter is counted exactly.
    exact = counts.count_matches(
        session, resolve_filters(session, StatementFilters(kind="indirect")), facets=("actor",)
    )
    assert (exact.total, exact.estimated, exact.by_estimated) == (2_605, False, False)
    assert exact.by["actor"][crowd["old"].id] == 1_500


def test_counts_are_reused_until_a_write(
    client: TestClient, crowd: dict[str, Actor], session: Session
) -> None:
    grouped: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if "GROUPING SETS" in statement:
            grouped.append(statement)

    connection = session.connection()
    event.listen(connection, "before_cursor_execute", before)
    try:
        assert "2,605 claims" in client.get("/?kind=indirect").text
        first = len(grouped)
        assert "2,605 claims" in client.get("/?kind=indirect").text
        assert len(grouped) == first  # the second page view counted nothing
        article = make_article(session, body="A fresh claim was made today.")
        claim(session, article, crowd["minor"], "A fresh claim", kind="indirect")
        session.commit()
        assert "2,606 claims" in client.get("/?kind=indirect").text
        assert len(grouped) > first
    finally:
        event.remove(connection, "before_cursor_execute", before)


def test_a_search_reads_its_ranked_matches_once_until_a_write(
    client: TestClient, session: Session
) -> None:
    from tests.web.conftest import claim as make_claim

    speaker = make_actor(session, "Window Speaker")
    article = make_article(session, body="Belarus drills go on. Belarus drills end.")
    make_claim(session, article, speaker, "Belarus drills go on")
    session.commit()
    windows: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if "ts_rank_cd" in statement:
            windows.append(statement)

    connection = session.connection()
    event.listen(connection, "before_cursor_execute", before)
    try:
        assert client.get("/api/statements?q=drills").json()["total"] == 1
        assert client.get("/api/statements?q=drills").json()["total"] == 1
        assert len(windows) == 1
        make_claim(session, article, speaker, "Belarus drills end")
        session.commit()
        assert client.get("/api/statements?q=drills").json()["total"] == 2
        assert len(windows) == 2
    finally:
        event.remove(connection, "before_cursor_execute", before)


def test_estimates_read_as_people_say_them_and_cached_counts_expire(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import app.statements.counts as counts

    assert [counts.rough(n) for n in (7, 99, 987, 12_345, 158_317, 989_990)] == [
        7, 99, 990, 12_000, 160_000, 990_000,
    ]  # fmt: skip
    clock = [100.0]
    monkeypatch.setattr(counts.time, "monotonic", lambda: clock[0])
    cache = counts.CountCache(seconds=30)
    cache.put(5, "key", "value")
    assert cache.get(5, "key") == "value"
    assert cache.get(6, "key") is None  # a write moved the version on
    cache.put(6, "key", "value")
    clock[0] += 31
    assert cache.get(6, "key") is None  # too old
    off = counts.CountCache(seconds=0)
    off.put(1, "key", "value")
    assert off.get(1, "key") is None
