"""Wire copies: an article whose text is a near-duplicate of an earlier one is marked as its
copy, at ingest and on both articles' pages; copies=once counts a copied claim once."""

from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.db import get_engine, make_sessionmaker
from app.groups.copies import mark_copy, rebuild_copies, shingles
from app.ingest.service import ingest_paths
from app.models.articles import Article
from tests.factories import make_article, make_source
from tests.groups_pages.conftest import said

STORY = (
    "MINSK — Belarusian President Aleksandr Lukashenko said on Tuesday that his country "
    "would not send troops to fight in Ukraine, dismissing reports of a new offensive from "
    "the north as speculation. Officials in Kyiv said they were watching the border closely "
    "and that several thousand Russian soldiers remained at training grounds in Belarus. "
    "The defence ministry in Minsk described joint exercises planned for January as routine "
    "and defensive, and said the two armies had held similar drills every winter."
)
OTHER_STORY = (
    "KYIV — Ukraine's energy operator said on Tuesday that repairs to the grid would take "
    "weeks after another wave of strikes on power stations, and asked people in the capital "
    "to limit their use of electricity during the evening hours. Engineers were working in "
    "freezing temperatures, the company said, and emergency shutdowns would continue in "
    "several regions while damaged transformers were replaced with equipment from abroad."
)


def _article(session: Session, body: str, day: int, outlet: str) -> Article:
    source = make_source(session, outlet)
    return make_article(
        session,
        body=body,
        title=f"{outlet}: Belarus will stay out",
        source_id=source.id,
        published_at=datetime(2022, 12, day, tzinfo=UTC),
    )


def test_a_near_identical_later_article_is_a_copy_of_the_earliest(session: Session) -> None:
    original = _article(session, STORY, 6, "Test Wire")
    assert mark_copy(session, original) is None and original.copy_of_id is None
    # Another outlet's copy: its own byline line added, the last sentence cut.
    edited = "By our correspondent. " + STORY.rsplit(" The defence", 1)[0]
    copy = _article(session, edited, 7, "Daily Courier")
    assert mark_copy(session, copy) is original and copy.copy_of_id == original.id
    unrelated = _article(session, OTHER_STORY, 7, "Evening Post")
    assert mark_copy(session, unrelated) is None and unrelated.copy_of_id is None
    # A third carrier points to the earliest, not to the copy it matched.
    third = _article(session, STORY + " Reporting by the desk.", 8, "Evening Post 2")
    assert mark_copy(session, third) is original
    # Marking again changes nothing.
    assert mark_copy(session, copy) is original


def test_an_earlier_article_stored_later_becomes_the_original(session: Session) -> None:
    later = _article(session, STORY, 9, "Daily Courier")
    copy = _article(session, STORY + " More soon.", 10, "Evening Post")
    mark_copy(session, later)
    mark_copy(session, copy)
    earliest = _article(session, "UPDATE 1. " + STORY, 5, "Test Wire")
    assert mark_copy(session, earliest) is None
    session.expire_all()
    assert earliest.copy_of_id is None
    assert later.copy_of_id == earliest.id and copy.copy_of_id == earliest.id


def test_short_texts_are_never_called_copies(session: Session) -> None:
    brief = "Lukashenko said Belarus would not join the war."
    assert len(shingles(brief)) < 20
    first, second = _article(session, brief, 5, "A"), _article(session, brief + " ", 6, "B")
    assert mark_copy(session, first) is None and mark_copy(session, second) is None
    assert second.copy_of_id is None


def test_both_pages_say_so_and_copies_once_counts_the_claim_once(
    client: TestClient, session: Session
) -> None:
    original = _article(session, STORY, 6, "Test Wire")
    copy = _article(session, STORY + " Reporting by the desk.", 7, "Daily Courier")
    mark_copy(session, original)
    mark_copy(session, copy)
    words = "his country would not send troops to fight in Ukraine"
    kept = said(session, original, None, words)
    dropped = said(session, copy, None, words)
    session.commit()
    page = client.get(f"/articles/{copy.id}").text
    assert 'id="copy-of"' in page and f'<a href="/articles/{original.id}">' in page
    assert "the same text, published earlier" in page
    page = client.get(f"/articles/{original.id}").text
    assert "Also carried by" in page and f'<a href="/articles/{copy.id}">Daily Courier</a>' in page
    assert client.get(f"/api/articles/{copy.id}").json()["copy_of"]["id"] == original.id
    carried = client.get(f"/api/articles/{original.id}").json()
    assert carried["copy_of"] is None and [c["id"] for c in carried["copies"]] == [copy.id]
    every = client.get("/api/statements").json()
    assert {item["id"] for item in every["items"]} == {kept.id, dropped.id}
    once = client.get("/api/statements?copies=once").json()
    assert [item["id"] for item in once["items"]] == [kept.id] and once["total"] == 1
    assert "✓ Count wire copies once" in client.get("/?copies=once").text


def test_ingest_marks_copies_and_rebuild_finds_them_again(
    committed_db: str, tmp_path: Path
) -> None:
    for name, day, outlet, body in (
        ("wire.md", "2022-12-06", "Test Wire", STORY),
        ("courier.md", "2022-12-07", "Daily Courier", STORY + " More soon."),
        ("other.md", "2022-12-07", "Evening Post", OTHER_STORY),
    ):
        (tmp_path / name).write_text(
            f"---\ntitle: {outlet} story\nsource: {outlet}\npublished: {day}\n---\n{body}\n"
        )
    factory: sessionmaker[Session] = make_sessionmaker(get_engine())
    summary = ingest_paths(factory, [tmp_path])
    assert not summary.failed

    def marked() -> dict[str, str | None]:
        with factory() as session:
            rows = session.execute(select(Article.id, Article.title, Article.copy_of_id)).all()
            titles = {row.id: row.title for row in rows}
            return {row.title: titles.get(row.copy_of_id) for row in rows}

    expected = {
        "Test Wire story": None,
        "Daily Courier story": "Test Wire story",
        "Evening Post story": None,
    }
    assert marked() == expected
    assert rebuild_copies(factory) == 1
    assert marked() == expected
