"""Claim pages' costs on a synthetic database: the claims list with and without
"collapse repeats", collapsed keyset pages, and the wire-copy lookup an ingest adds.

Usage (a database of its own):
    DATABASE_URL=postgresql://…/bench claimtracker demo-data --statements 300000
    DATABASE_URL=postgresql://…/bench python bench/claim_pages.py [--make-groups]
(then `VACUUM ANALYZE statements`; CLAIMTRACKER_COUNT_CACHE_SECONDS=0 times uncached counts)
--make-groups puts each speaker's statements into groups of six by id (one claim said six
times), then `claimtracker copies rebuild` stores the articles' band hashes. Medians of 7.
"""

import argparse
import statistics
import time

from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.db import get_engine
from app.groups.copies import body_bands, mark_copy, shingles
from app.ingest.service import content_hash
from app.models import Article
from app.web.app import create_app

GROUPS_SQL = """
CREATE TEMP TABLE g AS SELECT id, speaker_id,
  (row_number() OVER (PARTITION BY speaker_id ORDER BY id) - 1) / 6 AS n FROM statements;
CREATE TEMP TABLE gk AS SELECT DISTINCT speaker_id, n FROM g;
ALTER TABLE gk ADD COLUMN gid serial;
INSERT INTO claim_groups (id, speaker_id, key, polarity, signature, claim_type)
  SELECT gid, speaker_id, 'synthetic', 'positive', '', 'statement' FROM gk;
UPDATE statements s SET claim_group_id = gk.gid FROM g JOIN gk USING (speaker_id, n)
  WHERE g.id = s.id;
SELECT setval('claim_groups_id_seq', (SELECT max(id) FROM claim_groups));
"""


def median_ms(call, runs: int = 7) -> float:  # type: ignore[no-untyped-def]
    call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def pages() -> None:
    client = TestClient(create_app())
    slug = client.get("/api/actors?limit=1").json()["items"][0]["slug"]
    print("| page | every statement | collapse=1 |\n|---|---|---|")
    for url in ("/", f"/?actor={slug}", "/?kind=direct&sort=oldest", "/api/statements?limit=50"):
        folded = url + ("&" if "?" in url else "?") + "collapse=1"
        plain = median_ms(lambda url=url: client.get(url))
        collapsed = median_ms(lambda folded=folded: client.get(folded))
        print(f"| `{url}` | {plain:.0f} ms | {collapsed:.0f} ms |")
    page = client.get("/api/statements?collapse=1&limit=50").json()
    cursor = page["next_cursor"]
    took = median_ms(
        lambda: client.get("/api/statements", params={"collapse": "1", "cursor": cursor})
    )
    print(f"\ncollapsed page 2 (keyset): {took:.0f} ms")


def copies() -> None:
    engine = get_engine()
    with Session(engine) as session:
        stored = session.scalar(text("SELECT count(*) FROM articles"))
        bodies = list(session.scalars(select(Article.body).order_by(Article.id).limit(40)))
    times, found = [], 0
    for n, body in enumerate(bodies):
        # Half are another outlet's copy of a stored article, half a text of their own.
        body = body + " Reporting by the desk." if n % 2 else " ".join(reversed(body.split()))
        with Session(engine) as session:
            article = Article(title="bench", body=body, content_hash=content_hash(body))
            session.add(article)
            session.flush()
            start = time.perf_counter()
            found += mark_copy(session, article) is not None
            times.append((time.perf_counter() - start) * 1000)
            session.rollback()
    minhash = median_ms(lambda: body_bands(shingles(bodies[0])))
    print(
        f"\nmark_copy with {stored:,} stored articles: median {statistics.median(times):.1f} ms, "
        f"max {max(times):.1f} ms (shingles and MinHash alone {minhash:.1f} ms); "
        f"copies found {found} of {len(bodies) // 2}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--make-groups", action="store_true")
    args = parser.parse_args()
    if args.make_groups:
        with get_engine().begin() as connection:
            connection.exec_driver_sql(GROUPS_SQL)
            connection.exec_driver_sql("ANALYZE statements")
    pages()
    copies()


if __name__ == "__main__":
    main()
