"""Storing articles: each format into the database, idempotency, one transaction per article."""

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.extract import ArticleExtraction, Attribution, extract
from app.ingest.readers import parse_file
from app.ingest.service import ingest_paths, store_article
from app.models.actors import Actor, Mention
from app.models.articles import Article, Source
from app.models.statements import Statement
from tests.conftest import SEED_ARTICLE


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def counts(session: Session) -> dict[str, int]:
    return {m.__name__: count(session, m) for m in (Source, Article, Actor, Statement, Mention)}


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def test_ingest_each_format(
    factory: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    record = {"title": "Kremlin reacts", "body": "Dmitri Peskov said the claims were false."}
    write(tmp_path, "a.txt", "Drills\n\nThe minister said the drills were routine.")
    write(tmp_path, "b.md", "---\ntitle: Markdown\nsource: Wire\n---\nNATO said it was watching.")
    write(tmp_path, "c.json", json.dumps([record]))
    write(tmp_path, "d.jsonl", json.dumps({**record, "body": "Kyiv said it would respond."}))
    write(
        tmp_path,
        "e.html",
        "<html><head><title>Page</title></head><body><article><p>"
        + "The ministry said the exercises were planned long ago and posed no threat. " * 3
        + "</p></article></body></html>",
    )
    summary = ingest_paths(factory, [tmp_path])
    assert [o.status for o in summary.outcomes] == ["created"] * 5
    titles = set(session.scalars(select(Article.title)))
    assert titles == {"Drills", "Markdown", "Kremlin reacts", "Page"}
    assert count(session, Article) == 5
    assert session.scalar(select(Source.name)) == "Wire"


def test_seed_is_stored_with_statements_whose_offsets_hold(
    factory: sessionmaker[Session], session: Session
) -> None:
    summary = ingest_paths(factory, [SEED_ARTICLE])
    [outcome] = summary.outcomes
    assert outcome.status == "created" and outcome.statements >= 14
    article = session.get(Article, outcome.article_id)
    assert article is not None and "Back to top" not in article.body
    statements = session.scalars(select(Statement).where(Statement.article_id == article.id))
    for statement in statements:
        assert article.body[statement.start : statement.end] == statement.content
    names = set(
        session.scalars(select(Actor.name).join(Statement, Statement.speaker_id == Actor.id))
    )
    assert any("Lukashenko" in name for name in names)
    assert "Institute for the Study of War" in names


def test_ingesting_twice_changes_nothing(factory: sessionmaker[Session], session: Session) -> None:
    first = ingest_paths(factory, [SEED_ARTICLE.parent])
    before = counts(session)
    second = ingest_paths(factory, [SEED_ARTICLE.parent])
    assert counts(session) == before
    assert [o.status for o in first.outcomes if o.where.endswith(".txt")] == ["created"]
    assert [o.status for o in second.outcomes if o.where.endswith(".txt")] == ["existing"]


def test_bad_files_are_reported_and_the_good_one_stored(
    factory: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    write(tmp_path, "good.txt", "Title\n\nThe minister said the talks would go on.")
    write(tmp_path, "empty.txt", "")
    write(tmp_path, "image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(tmp_path, "broken.jsonl", '{"body": "fine"}\nnot json\n')
    summary = ingest_paths(factory, [tmp_path])
    failed = {Path(o.where).name: o.message for o in summary.outcomes if o.status == "failed"}
    assert failed == {
        "broken.jsonl:2": "invalid JSON line (Expecting value, column 1)",
        "empty.txt": "the file is empty",
    }
    # A file in a folder that is not an article is passed over, not an error.
    assert [path.name for path in summary.skipped] == ["image.png"]
    assert summary.failed
    assert list(session.scalars(select(Article.title))) == ["Title"]


def test_a_failing_article_leaves_no_half_of_itself(
    factory: sessionmaker[Session], session: Session
) -> None:
    [article_input] = parse_file("x.txt", b"Title\n\nThe minister said the talks would go on.")
    broken = Attribution(
        speaker_key=None, speaker_mention="he", speaker_start=None, speaker_end=None,
        cue="said", cue_class="assert", kind="indirect", content="", start=5, end=5,
        sentence_start=0, sentence_end=5, confidence=1.0,
    )  # fmt: skip
    extraction = ArticleExtraction(actors=(), mentions=(), attributions=(broken,))
    with pytest.raises(IntegrityError), factory.begin() as inner:
        store_article(inner, article_input, extraction)
    assert count(session, Article) == 0
    assert count(session, Statement) == 0
    # The same article with a sound extraction then goes in whole.
    with factory.begin() as inner:
        outcome = store_article(inner, article_input, extract(article_input.body))
    assert outcome.status == "created"
    assert count(session, Article) == 1


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ((0, 100), (0, 100), True),
        ((0, 100), (5, 98), True),
        ((0, 100), (40, 60), False),  # a statement nested in a longer one
        ((0, 100), (100, 150), False),
        ((0, 10), (20, 30), False),
    ],
)
def test_same_words(a: tuple[int, int], b: tuple[int, int], same: bool) -> None:
    from app.ingest.service import same_words

    assert same_words(*a, *b) is same
    assert same_words(*b, *a) is same


def test_an_overlong_actor_name_never_refuses_the_article(
    factory: sessionmaker[Session], session: Session
) -> None:
    from app.extract import ActorRef

    places = ", ".join(f"Village{n} ({n}km north of Town)" for n in range(12))
    body = f"Front line\n\n{places} said the shelling went on.\n"
    [article_input] = parse_file("front.txt", body.encode())
    start = body.index("the shelling went on")
    listed = ActorRef(
        key="list", name=places, kind="group", aliases=(places, "Village0"), role=None,
        country=None, gazetteer_name=None,
    )  # fmt: skip
    attribution = Attribution(
        speaker_key="list", speaker_mention=places, speaker_start=None, speaker_end=None,
        cue="said", cue_class="assert", kind="indirect", content="the shelling went on",
        start=start, end=start + len("the shelling went on"), sentence_start=0,
        sentence_end=len(body), confidence=0.5,
    )  # fmt: skip
    assert len(places) > 300
    extraction = ArticleExtraction(actors=(listed,), mentions=(), attributions=(attribution,))
    with factory.begin() as inner:
        outcome = store_article(inner, article_input, extraction)
    assert outcome.status == "created" and outcome.statements == 1
    stored = session.scalar(select(Statement))
    assert stored is not None and stored.speaker_id is None
    assert stored.speaker_mention == places  # what was written stays
    assert count(session, Actor) == 0
