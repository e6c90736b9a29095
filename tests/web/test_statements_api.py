"""The statements API: filters, search, keyset pagination, CSV and bad input."""

import csv
import io

from fastapi.testclient import TestClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.statements.export import export_records
from tests.web.conftest import Corpus

EXPORT_KEYS = {
    "id",
    "article",
    "speaker",
    "speaker_mention",
    "cue",
    "kind",
    "content",
    "start",
    "end",
    "type",
    "citations",
    "claim_group_id",
}


def ids(response) -> list[int]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_items_have_the_export_shape(client: TestClient, corpus: Corpus, session: Session) -> None:
    body = client.get("/api/statements").json()
    assert set(body) >= {"items", "total", "next_cursor"}
    assert body["total"] == 5 and body["next_cursor"] is None
    exported = {record["id"]: record for record in export_records(session, detail=False)}
    for item in body["items"]:
        assert set(item) >= EXPORT_KEYS
        assert {key: item[key] for key in EXPORT_KEYS} == exported[item["id"]]


def test_newest_first_by_article_date_then_oldest(client: TestClient, corpus: Corpus) -> None:
    newest = ids(client.get("/api/statements"))
    assert newest[:2] == [corpus.statements[4].id, corpus.statements[3].id]
    assert ids(client.get("/api/statements?sort=oldest")) == newest[::-1]


def test_filters(client: TestClient, corpus: Corpus) -> None:
    s = corpus.statements
    luka, peskov = corpus.lukashenko.slug, corpus.peskov.slug
    assert set(ids(client.get(f"/api/statements?actor={luka}"))) == {s[0].id, s[1].id}
    both = client.get(f"/api/statements?actor={luka}&actor={peskov}")
    assert set(ids(both)) == {s[0].id, s[1].id, s[2].id}
    assert set(ids(client.get("/api/statements?actor_kind=organization"))) == {s[3].id, s[4].id}
    assert set(ids(client.get("/api/statements?source=Test Daily"))) == {s[3].id, s[4].id}
    assert ids(client.get("/api/statements?kind=direct")) == [s[1].id]
    assert set(ids(client.get("/api/statements?cue_class=deny"))) == {s[0].id, s[2].id}
    assert set(ids(client.get("/api/statements?from=2022-12-10"))) == {s[3].id, s[4].id}
    assert set(ids(client.get("/api/statements?to=2022-12-08"))) == {s[0].id, s[1].id, s[2].id}
    assert ids(client.get("/api/statements?from=2022-12-09&to=2022-12-19")) == []
    # the last day a date can name is no reason for a 500
    dated = {s[0].id, s[1].id, s[2].id, s[3].id, s[4].id}
    assert set(ids(client.get("/api/statements?from=0001-01-01&to=9999-12-31"))) >= dated
    assert client.get("/?to=9999-12-31").status_code == 200
    combined = client.get(f"/api/statements?actor={luka}&cue_class=deny&kind=indirect")
    assert ids(combined) == [s[0].id]


def test_full_text_search_is_stemmed_and_ranked(client: TestClient, corpus: Corpus) -> None:
    s = corpus.statements
    assert ids(client.get("/api/statements?q=exercise")) == [s[1].id]
    assert ids(client.get("/api/statements?q=S-400")) == [s[3].id]
    assert set(ids(client.get("/api/statements?q=Belarus"))) == {s[3].id, s[4].id}
    assert ids(client.get('/api/statements?q="groundless fabrications"')) == [s[2].id]
    assert ids(client.get("/api/statements?q=nothing-like-this")) == []
    # A search of stop words alone matches nothing rather than failing.
    assert ids(client.get("/api/statements?q=the")) == []


def test_keyset_pages_cover_everything_once(client: TestClient, corpus: Corpus) -> None:
    for sort in ("newest", "oldest"):
        seen: list[int] = []
        cursor = None
        while True:
            url = f"/api/statements?limit=2&sort={sort}" + (f"&cursor={cursor}" if cursor else "")
            body = client.get(url).json()
            seen += [item["id"] for item in body["items"]]
            assert body["total"] == 5
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert sorted(seen) == sorted(s.id for s in corpus.statements) and len(seen) == 5


def test_page_exactly_full_has_no_next_cursor(client: TestClient, corpus: Corpus) -> None:
    assert client.get("/api/statements?limit=5").json()["next_cursor"] is None
    assert client.get("/api/statements?limit=4").json()["next_cursor"] is not None


def test_relevance_pages_and_undated_statements(
    client: TestClient, corpus: Corpus, session: Session
) -> None:
    from tests.factories import make_article
    from tests.web.conftest import claim

    undated = make_article(session, body="Officials said Belarus would hold more drills.")
    late = claim(session, undated, None, "Belarus would hold more drills")
    session.commit()
    newest = ids(client.get("/api/statements?limit=500"))
    assert newest[-1] == late.id  # undated sort as the oldest
    seen: list[int] = []
    cursor = None
    while True:
        url = "/api/statements?q=Belarus&limit=1" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url).json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted([corpus.statements[3].id, corpus.statements[4].id, late.id])
    assert ids(client.get("/api/statements?sort=oldest&limit=1"))[0] == late.id


def test_bad_input_is_422_with_a_message(client: TestClient, corpus: Corpus) -> None:
    for query, words in [
        ("limit=501", "limit"),
        ("limit=0", "limit"),
        ("from=2022-13-01", "from"),
        ("to=yesterday", "to"),
        ("from=2022-12-10&to=2022-12-01", "after"),
        ("kind=rumour", "kind"),
        ("cue_class=shout", "cue_class"),
        ("sort=random", "sort"),
        ("actor=nobody-at-all", "nobody-at-all"),
        ("source=Nowhere", "Nowhere"),
        ("cursor=garbage!", "cursor"),
        ("actor_kind=alien", "actor_kind"),
    ]:
        response = client.get(f"/api/statements?{query}")
        assert response.status_code == 422, query
        assert words in response.json()["detail"], (query, response.json())


def test_cursor_of_another_sort_is_refused(client: TestClient, corpus: Corpus) -> None:
    cursor = client.get("/api/statements?limit=1").json()["next_cursor"]
    response = client.get(f"/api/statements?limit=1&sort=oldest&cursor={cursor}")
    assert response.status_code == 422


def test_csv_streams_the_whole_filtered_result(client: TestClient, corpus: Corpus) -> None:
    response = client.get(f"/api/statements.csv?actor={corpus.lukashenko.slug}&limit=1")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 2
    assert rows[0]["speaker_slug"] == corpus.lukashenko.slug
    assert rows[0]["article_source"] == "Test Wire" and rows[0]["cue_class"] in {"deny", "assert"}
    assert client.get("/api/statements.csv?from=nope").status_code == 422


def test_list_pages_issue_a_bounded_number_of_queries(
    client: TestClient, corpus: Corpus, session: Session, engine
) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import make_article
    from tests.web.conftest import claim

    def count_queries(url: str) -> int:
        statements: list[str] = []
        connection = session.connection()

        def before(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
            if not statement.startswith(("SAVEPOINT", "RELEASE")):
                statements.append(statement)

        event.listen(connection, "before_cursor_execute", before)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(connection, "before_cursor_execute", before)
        return len(statements)

    urls = [
        "/",
        f"/?actor={corpus.lukashenko.slug}&q=exercises&source=Test Wire",
        f"/actors/{corpus.isw.slug}",
        "/api/statements",
        "/actors",
        f"/articles/{corpus.first.id}",
        "/topics/belarus-military-exercises",
        # Collapsed repeats and wire copies once: the same reads, with other conditions.
        f"/?collapse=1&copies=once&actor={corpus.lukashenko.slug}&q=exercises",
    ]
    before_counts = [count_queries(url) for url in urls]
    for number in range(30):
        article = make_article(session, body=f"Item {number}: the minister said drills would end.")
        claim(session, article, corpus.isw, "drills would end")
    session.commit()
    after_counts = [count_queries(url) for url in urls]
    assert after_counts == before_counts
    # The worst is a search by a chosen speaker in one outlet: the filters' lookups, two plans
    # (the list's and the speaker facet's size), the counts' version, two grouped counts, the
    # speaker kinds, two facets' names, the ranked window and the page's rows.
    assert max(after_counts) <= 14, dict(zip(urls, after_counts, strict=True))


def test_denormalised_date_follows_the_article(corpus: Corpus, session: Session) -> None:
    from datetime import UTC, datetime

    from app.models.statements import Statement

    statement = corpus.statements[0]
    assert session.scalar(select(Statement.published_at).where(Statement.id == statement.id)) == (
        corpus.first.published_at
    )
    corpus.first.published_at = datetime(2023, 1, 1, tzinfo=UTC)
    session.flush()
    session.expire_all()
    stored = session.get(Statement, statement.id)
    assert stored is not None
    assert stored.published_at == datetime(2023, 1, 1, tzinfo=UTC)
    assert stored.source_id == corpus.first.source_id


def test_relevance_ranks_only_the_newest_window(
    client: TestClient, corpus: Corpus, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import app.statements.listing as listing

    monkeypatch.setattr(listing, "RANK_WINDOW", 1)
    body = client.get("/api/statements?q=Belarus").json()
    assert [item["id"] for item in body["items"]] == [corpus.statements[4].id]
    assert body["total"] == 2
    page = client.get("/?q=Belarus").text
    assert "Ranked by relevance among the newest" in page
    everything = client.get("/api/statements?q=Belarus&sort=newest").json()
    assert len(everything["items"]) == 2


def test_a_search_counts_its_matches_in_the_read_that_ranks_them(
    client: TestClient, corpus: Corpus, session: Session
) -> None:
    statements: list[str] = []
    connection = session.connection()

    def before(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(connection, "before_cursor_execute", before)
    try:
        body = client.get("/api/statements?q=Belarus").json()
    finally:
        event.remove(connection, "before_cursor_execute", before)
    assert body["total"] == 2 and body["estimated"] is False
    assert len(body["items"]) == 2
    # The planner's estimate, the ranked and counted window, the page's rows: no count query.
    assert not [sql for sql in statements if sql.lstrip().startswith("SELECT count(*)")]
    assert any("count(*) OVER ()" in sql for sql in statements)


def test_a_search_the_planner_expects_to_be_broad_is_estimated(
    client: TestClient, corpus: Corpus, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from app.settings import get_settings

    monkeypatch.setenv("CLAIMTRACKER_EXACT_COUNT_LIMIT", "0")
    get_settings.cache_clear()
    try:
        body = client.get("/api/statements?q=Belarus").json()
        page = client.get("/?q=Belarus").text
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    # A sample of the whole (tiny) table finds both: an estimate, and said to be one.
    assert (body["total"], body["estimated"]) == (2, True)
    # The page itself is still the real matches, ranked.
    assert sorted(item["id"] for item in body["items"]) == sorted(
        [corpus.statements[3].id, corpus.statements[4].id]
    )
    assert "about 2 claims" in page


def test_relevance_pages_through_equal_ranks_without_repeats(
    client: TestClient, corpus: Corpus, session: Session
) -> None:
    from tests.factories import make_article
    from tests.web.conftest import claim

    expected = {corpus.statements[3].id, corpus.statements[4].id}
    for number in range(7):
        article = make_article(
            session, body=f"Note {number}: the ministry said Belarus drills end."
        )
        expected.add(claim(session, article, corpus.isw, "Belarus drills end").id)
    session.commit()
    seen: list[int] = []
    cursor = None
    for _ in range(20):
        url = "/api/statements?q=Belarus&limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url).json()
        assert body["total"] == len(expected)
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) and set(seen) == expected


def test_facets_count_speakers_and_their_kinds(corpus: Corpus, session: Session) -> None:
    from collections import Counter

    from app.statements.facets import statement_facets
    from app.statements.filters import StatementFilters, resolve_filters

    facets = statement_facets(session, resolve_filters(session, StatementFilters()))
    speakers = [statement.speaker for statement in corpus.statements if statement.speaker]
    expected_kinds = Counter(speaker.kind for speaker in speakers)
    assert {value.value: value.count for value in facets.actor_kind} == dict(expected_kinds)
    assert {value.value: value.count for value in facets.actor} == dict(
        Counter(speaker.slug for speaker in speakers)
    )
    narrowed = statement_facets(
        session, resolve_filters(session, StatementFilters(actors=(corpus.isw.slug,)))
    )
    assert [(value.value, value.count) for value in narrowed.actor_kind] == [
        ("organization", sum(1 for speaker in speakers if speaker.id == corpus.isw.id))
    ]


def test_a_search_that_names_a_speaker_searches_their_claims(
    client: TestClient, corpus: Corpus, session: Session
) -> None:
    from app.models import ActorAlias

    for actor, alias in ((corpus.lukashenko, "lukashenko"), (corpus.isw, "institute")):
        session.add(ActorAlias(actor_id=actor.id, alias=alias, normalised=alias))
    session.commit()
    # "Lukashenko exercises": his claims matching "exercises" (not claims mentioning him).
    found = ids(client.get("/api/statements?q=Lukashenko%20exercises"))
    assert found == [corpus.statements[1].id]
    assert set(ids(client.get("/api/statements?q=Lukashenko"))) == {
        corpus.statements[0].id, corpus.statements[1].id,
    }  # fmt: skip
    page = client.get("/?q=Lukashenko%20exercises").text
    assert "Claims by" in page and "Aleksandr Lukashenko" in page
    assert "speakers=off" in page
    # Words only: the text of every claim, as typed.
    assert ids(client.get("/api/statements?q=Lukashenko%20exercises&speakers=off")) == []
    # A one-word name chooses a speaker only when it is a person's.
    assert ids(client.get("/api/statements?q=institute")) == []


def test_pages_go_back_as_well_as_forward_and_say_where_they_are(
    client: TestClient, corpus: Corpus
) -> None:
    for sort in ("newest", "oldest"):
        every = ids(client.get(f"/api/statements?sort={sort}"))
        first = client.get(f"/api/statements?sort={sort}&limit=2").json()
        assert first["prev_cursor"] is None
        second = client.get(
            f"/api/statements?sort={sort}&limit=2&cursor={first['next_cursor']}"
        ).json()
        third = client.get(
            f"/api/statements?sort={sort}&limit=2&cursor={second['next_cursor']}"
        ).json()
        assert [i["id"] for i in third["items"]] == every[4:]
        back = client.get(f"/api/statements?sort={sort}&limit=2&cursor={third['prev_cursor']}")
        assert [i["id"] for i in back.json()["items"]] == every[2:4]
        start = client.get(
            f"/api/statements?sort={sort}&limit=2&cursor={back.json()['prev_cursor']}"
        ).json()
        assert [i["id"] for i in start["items"]] == every[:2] and start["prev_cursor"] is None
    # Relevance pages too.
    ranked = ids(client.get("/api/statements?q=Belarus"))
    one = client.get("/api/statements?q=Belarus&limit=1").json()
    two = client.get(f"/api/statements?q=Belarus&limit=1&cursor={one['next_cursor']}").json()
    again = client.get(f"/api/statements?q=Belarus&limit=1&cursor={two['prev_cursor']}").json()
    assert [i["id"] for i in two["items"]] == ranked[1:2]
    assert [i["id"] for i in again["items"]] == ranked[:1]
    page = client.get("/?limit=2").text
    assert "1–2 of 5" in page and "Next page" in page
    newest = client.get("/api/statements?limit=2").json()
    second_page = client.get(f"/?limit=2&cursor={newest['next_cursor']}&at=2").text
    assert "3–4 of 5" in second_page and "Previous" in second_page


def test_a_search_that_misses_is_corrected_or_offered_the_nearest_words(
    client: TestClient, corpus: Corpus, session: Session
) -> None:
    from app.search.suggest import remember_words

    remember_words(
        session,
        [statement.content for statement in corpus.statements]
        + [corpus.lukashenko.name, corpus.peskov.name],
    )
    session.commit()
    # "S400" is "S-400" written another way: searched at once, and said so.
    page = client.get("/?q=S400").text
    assert "showing claims matching “S-400”" in page and "air defense systems" in page
    assert "as_typed=1" in page
    assert "No claims match" in client.get("/?q=S400&as_typed=1").text
    # A typo in a word of the claims and in a speaker's name.
    assert client.get("/api/statements?q=fabricatons").json()["suggestion"] == "fabrications"
    assert client.get("/api/statements?q=Peskv").json()["suggestion"] == "Peskov"
    corrected = client.get("/?q=fabricatons").text
    assert "showing claims matching “fabrications”" in corrected and "1 claim" in corrected
    # Nothing near: no suggestion.
    assert "suggestion" not in client.get("/api/statements?q=zzqxjw").json()
