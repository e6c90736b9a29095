"""Claim groups, measured: candidate pairs for labelling, pair precision/recall, ingest speed.

    python bench/groups.py candidates --database-url URL [--per-bin 60] > /tmp/candidates.jsonl
    python bench/groups.py evaluate [--pairs tests/eval/groups_pairs.jsonl]
    python bench/groups.py ingest [--corpus ../shared/eval/isw-corpus] [--limit N] [--rounds 2]
    python bench/groups.py rebuild --database-url URL   # after `claimtracker demo-data`

`candidates` reads a database holding the ISW corpus (`claimtracker ingest
../shared/eval/isw-corpus/`) and prints same-speaker pairs by similarity bin, as references
(file, offsets, hash) with the two texts shown for the person labelling them; the texts never
go into the repository. `evaluate` re-reads the texts from ../shared/eval (see
app/groups/evaluate.py). `ingest` times bare `nlp.pipe` against ingest with grouping on and
off in turn. `rebuild` times `groups rebuild` and reports its peak memory.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app.db import normalise_url  # noqa: E402
from app.groups.evaluate import (  # noqa: E402
    PAIRS,
    find_shared_eval,
    load_pairs,
    report,
    span_hash,
)
from app.groups.normalise import claim_key, jaccard  # noqa: E402

BINS = (
    ("high", 0.7, 1.01),
    ("medium", 0.45, 0.7),
    ("low", 0.3, 0.45),
)


def candidates(database_url: str, per_bin: int, seed: int) -> None:
    engine = create_engine(normalise_url(database_url))
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                """
                SELECT s.id, a.original_filename AS file, s.start, s."end", s.content,
                       s.cue_class, s.type, coalesce(actor.slug, '') AS speaker
                FROM statements s JOIN articles a ON a.id = s.article_id
                LEFT JOIN actors actor ON actor.id = s.speaker_id
                WHERE s.type IN ('statement', 'belief', 'intention')
                ORDER BY a.original_filename, s.start
                """
            )
        ).all()
    by_speaker: dict[str, list[tuple[object, object]]] = defaultdict(list)
    for row in rows:
        claim = claim_key(row.content, 1 if row.speaker else None, row.cue_class, row.type)
        by_speaker[row.speaker].append((row, claim))
    found: dict[str, list[tuple[float, object, object]]] = defaultdict(list)
    for speaker, members in by_speaker.items():
        if not speaker:
            continue
        for i, (row_a, claim_a) in enumerate(members):
            for row_b, claim_b in members[i + 1 :]:
                if claim_a.claim_type != claim_b.claim_type:  # type: ignore[attr-defined]
                    continue
                score = jaccard(claim_a.grams, claim_b.grams)  # type: ignore[attr-defined]
                if score < 0.3:
                    continue
                pair = (score, row_a, row_b)
                if claim_a.polarity != claim_b.polarity:  # type: ignore[attr-defined]
                    if score >= 0.4:
                        found["negation"].append(pair)
                elif claim_a.signature != claim_b.signature:  # type: ignore[attr-defined]
                    if score >= 0.4:
                        found["number"].append(pair)
                else:
                    for name, low, high in BINS:
                        if low <= score < high:
                            found[name].append(pair)
    chooser = random.Random(seed)
    for name in ("high", "medium", "low", "negation", "number"):
        pool = found[name]
        picked = chooser.sample(pool, min(per_bin, len(pool)))
        print(f"# {name}: {len(pool)} pairs, {len(picked)} sampled", file=sys.stderr)
        for score, row_a, row_b in picked:
            sides = []
            for row in (row_a, row_b):
                sides.append(
                    {
                        "file": row.file,  # type: ignore[attr-defined]
                        "start": row.start,  # type: ignore[attr-defined]
                        "end": row.end,  # type: ignore[attr-defined]
                        "hash": span_hash(row.content),  # type: ignore[attr-defined]
                        "cue_class": row.cue_class,  # type: ignore[attr-defined]
                        "type": row.type,  # type: ignore[attr-defined]
                        "_text": row.content,  # type: ignore[attr-defined]
                    }
                )
            record = {
                "bin": name,
                "score": round(score, 3),
                "speaker": row_a.speaker,  # type: ignore[attr-defined]
                "a": sides[0],
                "b": sides[1],
            }
            print(json.dumps(record, ensure_ascii=False))


def _database(server_url: str) -> tuple[str, dict[str, object]]:
    admin = make_url(normalise_url(server_url))
    name = f"claimtracker_bench_{uuid.uuid4().hex[:8]}"
    connect = {
        "host": admin.query.get("host") or admin.host,
        "port": admin.port,
        "user": admin.username,
        "dbname": admin.database or "postgres",
        "autocommit": True,
    }
    return name, connect


def _ingest_once(
    articles: list, server_url: str, grouping: bool
) -> tuple[float, float, int, int, int]:
    """One ingest into a fresh database (dropped after): wall seconds, seconds inside
    grouping, statements, groups, groups of more than one statement. Without grouping, the
    ingest's call to it is replaced by nothing; everything else is the same path."""
    import psycopg

    import app.ingest.service as ingest_service
    from app import migrate
    from app.db import make_sessionmaker

    real = ingest_service.group_article
    inside = 0.0

    def timed(*args: object, **kwargs: object) -> None:
        nonlocal inside
        started = time.perf_counter()
        real(*args, **kwargs)  # type: ignore[arg-type]
        inside += time.perf_counter() - started

    name, connect = _database(server_url)
    with psycopg.connect(**connect) as conn:  # type: ignore[arg-type]
        conn.execute(f'CREATE DATABASE "{name}"')
    engine = create_engine(make_url(normalise_url(server_url)).set(database=name))
    ingest_service.group_article = timed if grouping else (lambda *args, **kwargs: None)
    try:
        migrate.upgrade(engine)
        factory = make_sessionmaker(engine)
        started = time.perf_counter()
        summary = ingest_service.ingest_articles(factory, articles, jobs=1)
        elapsed = time.perf_counter() - started
        assert summary.count("created") == len(articles), summary.outcomes[:3]
        with engine.connect() as connection:
            statements, groups, repeated = connection.execute(
                text(
                    "SELECT (SELECT count(*) FROM statements), count(*), "
                    "count(*) FILTER (WHERE statement_count > 1) FROM claim_groups"
                )
            ).one()
    finally:
        ingest_service.group_article = real
        engine.dispose()
        with psycopg.connect(**connect) as conn:  # type: ignore[arg-type]
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    return elapsed, inside, statements, groups, repeated


def ingest(corpus: Path, server_url: str, limit: int | None, rounds: int) -> None:
    """Bare nlp.pipe over the corpus's bodies and ingest with grouping on and off, each round
    all three in turn (the order turned round every other round; each ingest into a fresh
    database): each round's ratios to its own bare parse, and grouping's own share."""
    from app.extract import load_nlp
    from app.ingest.service import prepare_file

    articles = []
    for path in sorted(corpus.glob("*.html"))[:limit]:
        articles.extend(prepare_file(path.name, path.read_bytes()))
    texts = [article.body for article in articles]
    words = sum(len(body.split()) for body in texts)
    nlp = load_nlp()
    list(nlp.pipe(texts[:2]))
    # What a process loads once (the gazetteer, the curated actors' first read) is not timed.
    _ingest_once(articles[:2], server_url, True)
    print(f"{len(articles)} reports, {words} words", flush=True)
    ratios: dict[bool, list[float]] = {True: [], False: []}
    for round_ in range(1, rounds + 1):
        runs: list[bool | None] = [None, True, False]  # None: the bare parse
        timings: dict[bool | None, float] = {}
        for run in runs if round_ % 2 else runs[::-1]:
            if run is None:
                started = time.perf_counter()
                for _ in nlp.pipe(texts, batch_size=16):
                    pass
                timings[None] = time.perf_counter() - started
                print(
                    f"round {round_}, bare nlp.pipe: {timings[None]:7.1f} s"
                    f"  {words / timings[None]:7.0f} words/s",
                    flush=True,
                )
                continue
            elapsed, inside, statements, groups, repeated = _ingest_once(articles, server_url, run)
            timings[run] = elapsed
            label = "grouping on " if run else "grouping off"
            share = f"  grouping {inside:5.1f} s = {inside / elapsed:5.1%}" if run else ""
            print(
                f"round {round_}, {label}: {elapsed:7.1f} s  {words / elapsed:7.0f} words/s"
                f"  {statements} statements, {groups} groups ({repeated} repeated){share}",
                flush=True,
            )
        for grouping in (True, False):
            ratios[grouping].append(timings[None] / timings[grouping])
        print(
            f"round {round_}: ratio to bare nlp.pipe, grouping on {ratios[True][-1]:.2f},"
            f" off {ratios[False][-1]:.2f}",
            flush=True,
        )
    print(
        f"median ratio over {rounds} rounds: grouping on {statistics.median(ratios[True]):.2f},"
        f" off {statistics.median(ratios[False]):.2f}"
    )


def rebuild(database_url: str, batch: int) -> None:
    """`claimtracker groups rebuild` in a child process: its wall time and peak RSS."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "app.cli", "groups", "rebuild", "--batch", str(batch)],
        check=True,
        env={**_environ(), "DATABASE_URL": database_url},
    )
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"groups rebuild: {elapsed:.1f} s, peak RSS {peak:.0f} MiB (batch {batch})")


def _environ() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": str(ROOT)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    found = commands.add_parser("candidates")
    found.add_argument("--database-url", required=True)
    found.add_argument("--per-bin", type=int, default=60)
    found.add_argument("--seed", type=int, default=17)
    scored = commands.add_parser("evaluate")
    scored.add_argument("--pairs", type=Path, default=PAIRS)
    timed = commands.add_parser("ingest")
    timed.add_argument("--corpus", type=Path, default=None)
    timed.add_argument("--server-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    timed.add_argument("--limit", type=int, default=None, help="the first N reports only")
    timed.add_argument("--rounds", type=int, default=2)
    regrouped = commands.add_parser("rebuild")
    regrouped.add_argument("--database-url", required=True)
    regrouped.add_argument("--batch", type=int, default=2000)
    args = parser.parse_args()
    if args.command == "candidates":
        candidates(args.database_url, args.per_bin, args.seed)
    elif args.command == "evaluate":
        print(report(load_pairs(args.pairs), find_shared_eval()))
    elif args.command == "ingest":
        corpus = args.corpus or find_shared_eval() / "isw-corpus"
        ingest(corpus, args.server_url, args.limit, args.rounds)
    else:
        rebuild(args.database_url, args.batch)


if __name__ == "__main__":
    main()
