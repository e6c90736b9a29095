"""The synthetic demo data: marked as synthetic, offsets true, speakers skewed."""

from collections import Counter

from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from app.db import make_sessionmaker
from app.demo import generate
from app.models.actors import Actor
from app.models.articles import Article, Source
from app.models.statements import Statement


def test_generate_small_demo(factory: sessionmaker[Session], session: Session) -> None:
    seen: list[int] = []
    counts = generate(factory, 2_000, seed=1, progress=seen.append)
    assert counts == {"sources": 20, "actors": 10, "articles": 100, "statements": 2_000}
    assert seen[-1] == 2_000
    assert session.scalar(select(func.count()).select_from(Statement)) == 2_000
    names = session.scalars(select(Source.name)).all()
    assert all(name.startswith("Synthetic Wire") for name in names)
    assert all(t.startswith("[synthetic]") for t in session.scalars(select(Article.title)))
    assert all(n.startswith("Synthetic") for n in session.scalars(select(Actor.name)))
    rows = session.execute(
        select(
            Article.body, Statement.start, Statement.end, Statement.content, Statement.speaker_id
        ).join(Statement, Statement.article_id == Article.id)
    ).all()
    assert all(body[start:end] == content for body, start, end, content, _ in rows)
    copied = session.scalar(
        select(func.count())
        .select_from(Statement)
        .join(Article, Article.id == Statement.article_id)
        .where(
            Statement.source_id == Article.source_id,
            Statement.published_at == Article.published_at,
        )
    )
    assert copied == 2_000
    by_speaker = Counter(row.speaker_id for row in rows).most_common()
    assert by_speaker[0][1] > 3 * by_speaker[-1][1]  # Zipf: the top speaker says far more
    # The indexes dropped for the load are back.
    indexes = set(
        session.scalars(text("SELECT indexname FROM pg_indexes WHERE tablename = 'statements'"))
    )
    assert {"ix_statements_content_tsv", "ix_statements_speaker_published_order"} <= indexes


def test_generate_leaves_the_kept_counts_vacuumed(engine: Engine, committed_db: str) -> None:
    """The count triggers rewrite each actor-day once per loaded chunk: after the load every
    page of actor_days is all-visible again, so a timeline is an index-only read."""
    generate(make_sessionmaker(engine), 2_000, seed=1)
    with engine.connect() as connection:
        pages, visible = connection.execute(
            text("SELECT relpages, relallvisible FROM pg_class WHERE relname = 'actor_days'")
        ).one()
    assert visible == pages > 0
