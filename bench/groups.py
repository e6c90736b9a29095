"""Claim groups, measured: candidate pairs for labelling, pair precision/recall, ingest speed.

    python bench/groups.py candidates --database-url URL [--per-bin 60] > /tmp/candidates.jsonl
    python bench/groups.py candidates-polnear [--per-bin 20] > /tmp/polnear-candidates.jsonl
    python bench/groups.py evaluate [--pairs tests/eval/groups_pairs.jsonl] [--dev-only]
    python bench/groups.py ingest [--corpus ../shared/eval/isw-corpus] [--limit N] [--rounds 2]
    python bench/groups.py rebuild --database-url URL [--every 30]  # after `demo-data`

`candidates` reads a database holding the ISW corpus (`claimtracker ingest
../shared/eval/isw-corpus/`) and prints same-speaker pairs by similarity bin, as references
(file, offsets, hash) with the two texts shown for the person labelling them; the texts never
go into the repository. `evaluate` re-reads the texts from ../shared/eval (see
app/groups/evaluate.py). `ingest` times bare `nlp.pipe` against ingest with grouping on and
off (as `claimtracker ingest` runs it, and grouping on with the parse in-process) in turn.
`rebuild` times `groups rebuild`, its statements per second, its CPU and its
memory sampled as it runs.
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
from app.groups.normalise import bands, claim_key, jaccard  # noqa: E402

BINS = (
    ("high", 0.7, 1.01),
    ("medium", 0.45, 0.7),
    ("low", 0.3, 0.45),
)


def _labelled(path: Path) -> set[tuple[str, int, str, int]]:
    """The pairs already in a pairs file, either way round, so a new sample skips them."""
    seen = set()
    for pair in load_pairs(path):
        a, b = (pair.a.file, pair.a.start), (pair.b.file, pair.b.start)
        seen.add((*a, *b))
        seen.add((*b, *a))
    return seen


def candidates(database_url: str, per_bin: int, seed: int, lsh: int = 0) -> None:
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
    seen = _labelled(PAIRS)
    by_speaker: dict[str, list[tuple[object, object]]] = defaultdict(list)
    for row in rows:
        claim = claim_key(row.content, 1 if row.speaker else None, row.cue_class, row.type)
        by_speaker[row.speaker].append((row, claim))
    found: dict[str, list[tuple[float, object, object]]] = defaultdict(list)
    for speaker, members in by_speaker.items():
        if not speaker:
            continue
        member_bands = [set(bands(claim)) for _, claim in members]  # type: ignore[arg-type]
        for i, (row_a, claim_a) in enumerate(members):
            for j, (row_b, claim_b) in enumerate(members[i + 1 :], start=i + 1):
                if claim_a.claim_type != claim_b.claim_type:  # type: ignore[attr-defined]
                    continue
                where = (row_a.file, row_a.start, row_b.file, row_b.start)  # type: ignore[attr-defined]
                if where in seen:
                    continue
                score = jaccard(claim_a.grams, claim_b.grams)  # type: ignore[attr-defined]
                if member_bands[i] & member_bands[j]:
                    # What the ingest's index lookup proposes, whatever its similarity.
                    found["lsh"].append((score, row_a, row_b))
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
    picked_already: set[tuple[int, int]] = set()
    for name in ("lsh", "high", "medium", "low", "negation", "number"):
        pool = found[name]
        wanted = lsh if name == "lsh" else per_bin
        chooser.shuffle(pool)
        picked = []
        for pair in pool:
            ids = (pair[1].id, pair[2].id)  # type: ignore[attr-defined]
            if len(picked) < wanted and ids not in picked_already:
                picked.append(pair)
                picked_already.add(ids)
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


_PRONOUNS = frozenset(
    [
        "he",
        "she",
        "they",
        "i",
        "we",
        "you",
        "it",
        "who",
        "which",
        "that",
        "his",
        "her",
        "their",
        "this",
        "these",
        "those",
        "one",
    ]
)


def polnear_candidates(folder: Path, per_bin: int, seed: int) -> None:
    """Same-speaker pairs from PolNeAR train, the speaker as written reduced to its last word
    ("Mr. Trump", "Donald Trump" -> "trump"; pronouns left out), binned like `candidates`;
    the claims' cue class and type are not in PolNeAR, so every side is an assertion."""
    seen = _labelled(PAIRS)
    by_speaker: dict[str, list[tuple[str, int, int, str, object]]] = defaultdict(list)
    with (folder / "polnear-train.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            for quote in record["quotes"]:
                speaker = (quote.get("speaker") or "").strip().split()
                if not speaker or speaker[-1].lower() in _PRONOUNS:
                    continue
                start, end = quote["content_start"], quote["content_end"]
                content = record["text"][start:end]
                if len(content.split()) < 5:
                    continue
                name = speaker[-1].lower().strip(".,'")
                by_speaker[name].append(
                    (str(record["id"]), start, end, content, claim_key(content, 1))
                )
    found: dict[str, list[tuple[float, str, tuple, tuple]]] = defaultdict(list)
    for speaker, members in by_speaker.items():
        member_bands = [set(bands(member[4])) for member in members]  # type: ignore[arg-type]
        for i, a in enumerate(members):
            for j, b in enumerate(members[i + 1 :], start=i + 1):
                if (a[0], a[1], b[0], b[1]) in seen or (a[0], a[1]) == (b[0], b[1]):
                    continue
                score = jaccard(a[4].grams, b[4].grams)  # type: ignore[attr-defined]
                if member_bands[i] & member_bands[j]:
                    found["lsh"].append((score, speaker, a, b))
                for name, low, high in BINS:
                    if low <= score < high:
                        found[name].append((score, speaker, a, b))
    chooser = random.Random(seed)
    picked_already: set[tuple[str, int, str, int]] = set()
    for name in ("lsh", "high", "medium", "low"):
        pool = found[name]
        chooser.shuffle(pool)
        picked = []
        for pair in pool:
            where = (pair[2][0], pair[2][1], pair[3][0], pair[3][1])
            if len(picked) < per_bin and where not in picked_already:
                picked.append(pair)
                picked_already.add(where)
        print(f"# {name}: {len(pool)} pairs, {len(picked)} sampled", file=sys.stderr)
        for score, speaker, a, b in picked:
            sides = [
                {
                    "file": side[0],
                    "start": side[1],
                    "end": side[2],
                    "hash": span_hash(side[3]),
                    "_text": side[3],
                }
                for side in (a, b)
            ]
            record = {
                "corpus": "polnear-train",
                "bin": name,
                "score": round(score, 3),
                "speaker": speaker,
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


def _flush_only(session: object, *args: object, **kwargs: object) -> None:
    session.flush()  # type: ignore[attr-defined]


def _ingest_once(
    articles: list, server_url: str, grouping: bool, jobs: int = 1
) -> tuple[float, float, int, int, int]:
    """One ingest into a fresh database (dropped after): wall seconds, seconds inside
    grouping (the article's statements' INSERT included: grouping flushes them), statements,
    groups, groups of more than one statement. Without grouping, the ingest's call to it is
    replaced by the flush alone; everything else is the same path. `jobs` as `claimtracker
    ingest --jobs` (1, its default: one worker process parses while this one stores; 0: the
    parse in this process)."""
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
    # Grouping flushes the article's statements (each INSERT carries its group); off, the
    # same flush, with nothing grouped.
    ingest_service.group_article = timed if grouping else _flush_only
    try:
        migrate.upgrade(engine)
        factory = make_sessionmaker(engine)
        started = time.perf_counter()
        summary = ingest_service.ingest_articles(factory, articles, jobs=jobs)
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


# What each round runs: None is the bare parse, else (grouping, --jobs).
INGEST_RUNS: list[tuple[bool, int] | None] = [None, (True, 1), (False, 1), (True, 0)]


def _run_label(run: tuple[bool, int]) -> str:
    grouping, jobs = run
    where = "parse in a worker" if jobs else "parse in-process"
    return f"grouping {'on ' if grouping else 'off'}, {where}"


def ingest(corpus: Path, server_url: str, limit: int | None, rounds: int) -> None:
    """Bare nlp.pipe over the corpus's bodies, and ingest with grouping on and off as
    `claimtracker ingest` runs it (one worker process parses while the parent stores) and
    with grouping on parsed in the ingest's own process, each round all four in turn (the
    order turned round every other round; each ingest into a fresh database): each round's
    ratios to its own bare parse, and grouping's own share."""
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
    _ingest_once(articles[:2], server_url, True, jobs=0)
    print(f"{len(articles)} reports, {words} words", flush=True)
    ratios: dict[tuple[bool, int], list[float]] = {run: [] for run in INGEST_RUNS if run}
    for round_ in range(1, rounds + 1):
        timings: dict[tuple[bool, int] | None, float] = {}
        for run in INGEST_RUNS if round_ % 2 else INGEST_RUNS[::-1]:
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
            elapsed, inside, statements, groups, repeated = _ingest_once(articles, server_url, *run)
            timings[run] = elapsed
            share = f"  grouping {inside:5.1f} s" if run[0] else ""
            print(
                f"round {round_}, {_run_label(run)}: {elapsed:7.1f} s"
                f"  {words / elapsed:7.0f} words/s  {statements} statements, {groups} groups"
                f" ({repeated} repeated){share}",
                flush=True,
            )
        for run in ratios:
            ratios[run].append(timings[None] / timings[run])
        print(
            f"round {round_}: ratio to bare nlp.pipe, "
            + ", ".join(f"{_run_label(run)} {ratios[run][-1]:.2f}" for run in ratios),
            flush=True,
        )
    print(
        f"median ratio over {rounds} rounds: "
        + ", ".join(f"{_run_label(run)} {statistics.median(ratios[run]):.2f}" for run in ratios)
    )


def _rss_mib(pid: int) -> float:
    """The resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _grouped(database_url: str) -> int:
    engine = create_engine(normalise_url(database_url))
    try:
        with engine.connect() as connection:
            return connection.scalar(
                text("SELECT count(*) FROM statements WHERE claim_group_id IS NOT NULL")
            )
    finally:
        engine.dispose()


def rebuild(database_url: str, batch: int, every: float) -> None:
    """`claimtracker groups rebuild` in a child process: its wall time, CPU, statements per
    second and its RSS sampled every `every` seconds (with the statements grouped so far)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "groups", "rebuild", "--batch", str(batch)],
        env={**_environ(), "DATABASE_URL": database_url},
    )
    samples: list[float] = []
    while child.poll() is None:
        time.sleep(every)
        try:
            rss = _rss_mib(child.pid)
        except (FileNotFoundError, ProcessLookupError):
            break
        if not rss:  # exited between the poll and the read
            break
        samples.append(rss)
        elapsed = time.perf_counter() - started
        print(
            f"{elapsed:7.0f} s  {_grouped(database_url):>9} grouped  RSS {rss:5.0f} MiB",
            flush=True,
        )
    if child.wait() != 0:
        raise SystemExit(f"groups rebuild failed with status {child.returncode}")
    elapsed = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    statements = _grouped(database_url)
    peak = usage.ru_maxrss / 1024
    sampled = f", RSS sampled {min(samples):.0f}-{max(samples):.0f} MiB" if samples else ""
    print(
        f"groups rebuild: {statements} statements grouped in {elapsed:.1f} s "
        f"({statements / elapsed:.0f}/s), CPU {usage.ru_utime:.1f} s user "
        f"{usage.ru_stime:.1f} s system, peak RSS {peak:.0f} MiB{sampled} (batch {batch})"
    )


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
    found.add_argument(
        "--lsh", type=int, default=0, help="also N pairs sharing an LSH band (any similarity)"
    )
    polnear = commands.add_parser("candidates-polnear")
    polnear.add_argument("--per-bin", type=int, default=20)
    polnear.add_argument("--seed", type=int, default=17)
    scored = commands.add_parser("evaluate")
    scored.add_argument("--pairs", type=Path, default=PAIRS)
    scored.add_argument(
        "--dev-only", action="store_true", help="the development splits only (dev, dev2, dev3)"
    )
    timed = commands.add_parser("ingest")
    timed.add_argument("--corpus", type=Path, default=None)
    timed.add_argument("--server-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    timed.add_argument("--limit", type=int, default=None, help="the first N reports only")
    timed.add_argument("--rounds", type=int, default=2)
    regrouped = commands.add_parser("rebuild")
    regrouped.add_argument("--database-url", required=True)
    regrouped.add_argument("--batch", type=int, default=2000)
    regrouped.add_argument("--every", type=float, default=30.0, help="seconds between samples")
    args = parser.parse_args()
    if args.command == "candidates":
        candidates(args.database_url, args.per_bin, args.seed, args.lsh)
    elif args.command == "candidates-polnear":
        polnear_candidates(find_shared_eval(), args.per_bin, args.seed)
    elif args.command == "evaluate":
        print(report(load_pairs(args.pairs), find_shared_eval(), held_out=not args.dev_only))
    elif args.command == "ingest":
        corpus = args.corpus or find_shared_eval() / "isw-corpus"
        ingest(corpus, args.server_url, args.limit, args.rounds)
    else:
        rebuild(args.database_url, args.batch, args.every)


if __name__ == "__main__":
    main()
