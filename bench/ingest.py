"""Ingest throughput against bare spaCy parsing of the same texts, measured in one run.

    python bench/ingest.py [--texts ../shared/eval/polnear-dev.jsonl] [--server-url URL] [--jobs 2]

Reads article texts from a JSON lines file (field "text" or "body"; read in place, never copied),
parses them with bare `nlp.pipe`, then ingests them (extraction + database writes, one
transaction per article) into a fresh database created on the server and dropped after.
"""

import argparse
import json
import sys
import time
import uuid
from pathlib import Path

import psycopg
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import migrate  # noqa: E402
from app.db import make_sessionmaker, normalise_url  # noqa: E402
from app.extract import load_nlp  # noqa: E402
from app.ingest.clean import clean_text  # noqa: E402
from app.ingest.readers import ArticleInput  # noqa: E402
from app.ingest.service import ingest_articles  # noqa: E402


def load_texts(path: Path) -> list[str]:
    texts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            texts.append(clean_text(record.get("text") or record.get("body") or ""))
    return [text for text in texts if text.strip()]


def timed_ingest(server_url: str, texts: list[str], jobs: int) -> float:
    name = f"claimtracker_bench_{uuid.uuid4().hex[:8]}"
    admin = make_url(server_url)
    connect = {
        "host": admin.query.get("host") or admin.host,
        "port": admin.port,
        "user": admin.username,
        "dbname": admin.database or "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**connect) as conn:  # type: ignore[arg-type]
        conn.execute(f'CREATE DATABASE "{name}"')
    engine = create_engine(admin.set(database=name))
    try:
        migrate.upgrade(engine)
        factory = make_sessionmaker(engine)
        articles = [
            ArticleInput(title=f"Article {i}", body=text, where=f"text {i}")
            for i, text in enumerate(texts)
        ]
        started = time.perf_counter()
        summary = ingest_articles(factory, articles, jobs=jobs)
        elapsed = time.perf_counter() - started
        assert summary.count("created") == len(texts), summary.outcomes[:3]
        return elapsed
    finally:
        engine.dispose()
        with psycopg.connect(**connect) as conn:  # type: ignore[arg-type]
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path, default=ROOT.parent / "shared/eval/polnear-dev.jsonl")
    parser.add_argument("--server-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--jobs", type=int, default=2, help="also measure ingest --jobs N")
    args = parser.parse_args()

    texts = load_texts(args.texts)
    words = sum(len(text.split()) for text in texts)
    nlp = load_nlp()
    list(nlp.pipe(texts[:4]))  # warm up
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    bare = time.perf_counter() - started

    server_url = normalise_url(args.server_url)
    ingest_one = timed_ingest(server_url, texts, jobs=1)
    ingest_many = timed_ingest(server_url, texts, jobs=args.jobs) if args.jobs > 1 else None

    print(f"{len(texts)} articles, {words} words")
    print(f"bare nlp.pipe:        {bare:7.2f} s  {words / bare:8.0f} words/s")
    print(
        f"ingest --jobs 1:      {ingest_one:7.2f} s  {words / ingest_one:8.0f} words/s"
        f"  ratio {bare / ingest_one:.2f}"
    )
    if ingest_many is not None:
        print(
            f"ingest --jobs {args.jobs}:      {ingest_many:7.2f} s  {words / ingest_many:8.0f} "
            f"words/s  ratio {bare / ingest_many:.2f}"
        )


if __name__ == "__main__":
    main()
