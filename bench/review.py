"""How long the editors' work takes on a large database: the review queue's first and a deep
page, filtered by rule and article, the speaker picker's suggestions, and rejecting 1,000
claims at once and undoing it.

Usage: DATABASE_URL=postgresql://…/demo python bench/review.py [runs]
(on data from `claimtracker demo-data` and one editor, `claimtracker users create`; the
decisions are rolled back, nothing stays written). Prints the median and the worst of the runs
for each, in milliseconds.
"""

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app.actors.queries import suggest  # noqa: E402
from app.db import get_engine, make_sessionmaker  # noqa: E402
from app.models.accounts import User  # noqa: E402
from app.models.statements import Statement  # noqa: E402
from app.review import service  # noqa: E402
from app.review.queries import QueueFilters, review_queue  # noqa: E402


def measure(name: str, runs: int, read: Callable[[Session], object]) -> None:
    factory = make_sessionmaker(get_engine())
    times = []
    with factory() as session:
        read(session)  # warm
        for _ in range(runs):
            begun = time.perf_counter()
            read(session)
            times.append((time.perf_counter() - begun) * 1000)
    print(f"{name:<42} median {statistics.median(times):7.1f} ms   max {max(times):7.1f} ms")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    factory = make_sessionmaker(get_engine())
    with factory() as session:
        article = session.scalar(select(Statement.article_id).limit(1))
        rule = session.scalar(select(Statement.rule).limit(1))
    measure("queue, page 1", runs, lambda s: review_queue(s, QueueFilters()))
    measure("queue, page 200", runs, lambda s: review_queue(s, QueueFilters(page=200)))
    measure(f"queue, rule={rule}", runs, lambda s: review_queue(s, QueueFilters(rule=rule)))
    measure("queue, one article", runs, lambda s: review_queue(s, QueueFilters(article=article)))
    for typed in ("syn", "person 65", "syntetic persn 6"):
        measure(f"suggest {typed!r}", runs, lambda s, typed=typed: suggest(s, typed))
    with factory() as session:
        editor = session.scalar(select(User).where(User.role != "viewer").limit(1))
        if editor is None:
            print("no editor: bulk decisions not measured")
            return
        ids = list(session.scalars(select(Statement.id).order_by(Statement.id).limit(1000)))
    for name, undo in (("reject 1,000 claims", False), ("reject 1,000 claims and undo", True)):
        measure(name, max(1, runs // 5), lambda s, undo=undo: _bulk(s, editor, ids, undo))


def _bulk(session: Session, editor: User, ids: list[int], undo: bool) -> None:
    decision = service.decide(session, session.merge(editor), ids, "reject", reason="bench")
    if undo and decision.batch is not None:
        service.undo(session, session.merge(editor), decision.batch.id)
    session.rollback()


if __name__ == "__main__":
    main()
