"""Each actor's statement count, kept by a trigger, always equals a recount of listed statements."""

from datetime import UTC, date, datetime

from sqlalchemy import Date, cast, delete, func, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from app.accounts.service import create_user
from app.actors.queries import list_actors, statement_timeline
from app.models.actors import Actor, ActorDay
from app.models.articles import Article
from app.models.statements import Statement
from app.review import service as review
from app.statements.counts import count_matches
from app.statements.filters import StatementFilters, resolve_filters
from tests.factories import make_actor, make_article, make_statement


def stored_counts(session: Session) -> dict[int, int]:
    session.expire_all()
    return dict(session.execute(select(Actor.id, Actor.statement_count)).all())


def insert_statements(session: Session, article_id: int, how_many: int, speaker_sql: str) -> None:
    """Many one-character statements in one INSERT, as a bulk load writes them; `speaker_sql`
    is the speaker id as SQL over the row number `n`."""
    session.execute(
        text(
            "INSERT INTO statements (article_id, speaker_id, speaker_mention, cue, cue_class,"
            ' kind, content, start, "end", sentence_start, sentence_end, confidence,'
            " extractor_version) "
            f"SELECT :article, {speaker_sql}, 'x', 'said', 'assert', 'indirect', 'x', n, n + 1,"
            " n, n + 1, 1, 'test' FROM generate_series(0, :how_many - 1) AS n"
        ),
        {"article": article_id, "how_many": how_many},
    )


def stored_days(session: Session) -> set[tuple[int, date, int]]:
    rows = session.execute(
        select(ActorDay.actor_id, ActorDay.day, ActorDay.statements).where(ActorDay.statements > 0)
    )
    return set(rows.all())


def recounted_days(session: Session) -> set[tuple[int, date, int]]:
    day = cast(func.timezone("UTC", Statement.published_at), Date)
    rows = session.execute(
        select(Statement.speaker_id, day, func.count())
        .where(
            Statement.review_status != "rejected",
            Statement.speaker_id.is_not(None),
            Statement.published_at.is_not(None),
        )
        .group_by(Statement.speaker_id, day)
    )
    return set(rows.all())


def recounted(session: Session) -> dict[int, int]:
    listed = (
        select(Statement.speaker_id, func.count().label("n"))
        .where(Statement.review_status != "rejected")
        .group_by(Statement.speaker_id)
        .subquery()
    )
    rows = session.execute(
        select(Actor.id, func.coalesce(listed.c.n, 0)).outerjoin(
            listed, listed.c.speaker_id == Actor.id
        )
    )
    return dict(rows.all())


def test_counts_follow_inserts_rejections_corrections_merges_and_deletes(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        editor = create_user(session, "counts@example.org", "a long enough password", "editor")
        anna, boris = make_actor(session, "Anna Count"), make_actor(session, "Boris Count")
        article = make_article(session)
        first = make_statement(session, article, anna)
        second = make_statement(session, article, anna, 10, 20)
        third = make_statement(session, article, boris, 20, 30)
        make_statement(session, article, None, 30, 40)
    with factory() as session:
        assert stored_counts(session)[anna.id] == 2
        assert stored_counts(session)[boris.id] == 1

    with factory.begin() as session:
        review.reject(session, session.get_one(Statement, first.id), editor)
    with factory() as session:
        assert stored_counts(session)[anna.id] == 1

    with factory.begin() as session:
        review.restore(session, session.get_one(Statement, first.id), editor)
        review.correct(
            session,
            session.get_one(Statement, second.id),
            editor,
            speaker=session.get_one(Actor, boris.id),
        )
    with factory() as session:
        assert (stored_counts(session)[anna.id], stored_counts(session)[boris.id]) == (1, 2)

    with factory.begin() as session:
        review.merge(
            session, session.get_one(Actor, boris.id), session.get_one(Actor, anna.id), editor
        )
    with factory() as session:
        assert stored_counts(session)[anna.id] == 3
        assert boris.id not in stored_counts(session)

    with factory.begin() as session:
        session.execute(delete(Statement).where(Statement.id == third.id))
    with factory() as session:
        assert stored_counts(session)[anna.id] == 2

    # Deleting the article takes its statements with it (ON DELETE CASCADE).
    with factory.begin() as session:
        session.execute(delete(Article).where(Article.id == article.id))
    with factory() as session:
        assert stored_counts(session)[anna.id] == 0
        assert stored_counts(session) == recounted(session)


def test_bulk_writes_keep_counts_equal_to_a_recount(session: Session) -> None:
    actors = [make_actor(session, f"Bulk Speaker {n}") for n in range(5)]
    article = make_article(session, body="x" * 2_000)
    ids = ", ".join(str(actor.id) for actor in actors)
    # Many rows in one statement, speakers spread unevenly, some unresolved.
    insert_statements(session, article.id, 600, f"(ARRAY[{ids}, NULL])[1 + n % 6]")
    assert stored_counts(session) == recounted(session)
    session.execute(
        update(Statement)
        .where(Statement.article_id == article.id, Statement.start % 4 == 0)
        .values(review_status="rejected")
    )
    session.execute(
        update(Statement)
        .where(Statement.speaker_id == actors[0].id, Statement.start % 3 == 0)
        .values(speaker_id=actors[1].id)
    )
    session.execute(
        update(Statement).where(Statement.speaker_id == actors[2].id).values(speaker_id=None)
    )
    assert stored_counts(session) == recounted(session)
    assert stored_counts(session)[actors[2].id] == 0
    session.execute(delete(Actor).where(Actor.id == actors[3].id))  # speaker_id set to NULL
    session.execute(delete(Statement).where(Statement.start % 5 == 0))
    assert stored_counts(session) == recounted(session)


def test_days_follow_statements_and_their_article_date(session: Session) -> None:
    anna, boris = make_actor(session, "Anna Daily"), make_actor(session, "Boris Daily")
    december = make_article(session, published_at=datetime(2022, 12, 8, 23, 30, tzinfo=UTC))
    undated = make_article(session)
    for start in range(0, 40, 10):
        make_statement(session, december, anna if start < 30 else boris, start, start + 5)
    make_statement(session, undated, anna)
    assert stored_days(session) == recounted_days(session)
    assert (anna.id, date(2022, 12, 8), 3) in stored_days(session)

    # The article's date changes: its statements move to the new day (a trigger updates them).
    december.published_at = datetime(2022, 12, 9, 1, 0, tzinfo=UTC)
    session.flush()
    assert stored_days(session) == recounted_days(session)
    assert (anna.id, date(2022, 12, 9), 3) in stored_days(session)

    session.execute(
        update(Statement).where(Statement.speaker_id == anna.id).values(speaker_id=boris.id)
    )
    session.execute(update(Statement).where(Statement.start == 10).values(review_status="rejected"))
    assert stored_days(session) == recounted_days(session) == {(boris.id, date(2022, 12, 9), 3)}

    resolved = resolve_filters(session, StatementFilters(actors=(boris.slug,)))
    timeline = statement_timeline(session, resolved)
    assert (timeline.days, timeline.sampled) == ([(date(2022, 12, 9), 3)], False)


def test_directory_sorts_by_listed_statements(session: Session) -> None:
    editor = create_user(session, "directory@example.org", "a long enough password", "editor")
    loud, quiet = make_actor(session, "Loud Speaker"), make_actor(session, "Quiet Speaker")
    article = make_article(session)
    for start in range(0, 30, 10):
        make_statement(session, article, loud, start, start + 5)
    rejected = make_statement(session, article, quiet, 40, 45)
    make_statement(session, article, quiet, 50, 55)
    items, total = list_actors(session, q="speaker")
    assert [(item["name"], item["statement_count"]) for item in items] == [
        ("Loud Speaker", 3),
        ("Quiet Speaker", 2),
    ]
    assert total == 2
    review.reject(session, rejected, editor)
    items, _ = list_actors(session, q="quiet")
    assert items[0]["statement_count"] == 1


def test_one_actor_alone_is_counted_exactly_beyond_the_budget(session: Session) -> None:
    prolific = make_actor(session, "Prolific Speaker")
    article = make_article(session, body="y" * 100)
    insert_statements(session, article.id, 10_005, str(prolific.id))
    session.execute(text("ANALYZE statements"))
    alone = resolve_filters(session, StatementFilters(actors=(prolific.slug,)), count_limit=100)
    assert (count_matches(session, alone).total, count_matches(session, alone).estimated) == (
        10_005,
        False,
    )
    # Any other filter over the budget is estimated, to two figures.
    narrowed = resolve_filters(
        session, StatementFilters(actors=(prolific.slug,), kind="indirect"), count_limit=100
    )
    estimate = count_matches(session, narrowed)
    assert estimate.estimated and 5_000 <= estimate.total <= 20_000
