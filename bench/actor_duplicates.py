"""Time the likely-duplicates query and the near-name lookup on 50,000 synthetic actors.

Usage (an empty database of its own, which this fills):
  createdb -h 127.0.0.1 -U postgres dupbench
  DATABASE_URL=postgresql://postgres@127.0.0.1/dupbench claimtracker db upgrade
  python bench/actor_duplicates.py postgresql://postgres@127.0.0.1/dupbench

Names are made of random syllables (34,000 surnames among 50,000 actors), 5% are near-spellings
of an earlier name, every actor has its name as an alias and every third its surname too.
"""

import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import psycopg
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from app.actors.queries import duplicate_pairs, similar_actors
from app.db import normalise_url

SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "sen",
    "dor",
    "vi",
    "ta",
    "nek",
    "ol",
    "ha",
    "zu",
    "pe",
    "ri",
    "gan",
    "bo",
    "el",
    "sha",
    "tin",
    "ur",
    "ve",
    "ko",
    "mar",
    "ly",
    "dan",
    "ste",
    "fa",
    "gor",
    "in",
    "pa",
]
ENDINGS = ["", "ov", "enko", "ski", "son", "ez", "ic", "yan", "ashvili", "er", "i", "uk"]
KINDS = ["person", "person", "person", "organization", "unknown"]
COUNTRIES = [None, "Russia", "Ukraine", "Belarus"]


def synthetic_names(how_many: int, seed: int = 7) -> list[tuple[str, str, str | None]]:
    rnd = random.Random(seed)

    def word(syllables: int) -> str:
        return "".join(rnd.choice(SYLLABLES) for _ in range(syllables)).capitalize()

    names: list[tuple[str, str, str | None]] = []
    for _ in range(how_many):
        if names and rnd.random() < 0.05:
            base = rnd.choice(names)[0]
            at = rnd.randrange(len(base))
            name = base[:at] + rnd.choice("aeiouy") + base[at + 1 :]
        else:
            name = f"{word(rnd.randint(2, 3))} {word(rnd.randint(2, 3))}{rnd.choice(ENDINGS)}"
        names.append((name, rnd.choice(KINDS), rnd.choice(COUNTRIES)))
    return names


def fill(url: str, how_many: int) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("TRUNCATE actors RESTART IDENTITY CASCADE")
        with connection.cursor().copy("COPY actors (name, slug, kind, country) FROM STDIN") as copy:
            for number, (name, kind, country) in enumerate(synthetic_names(how_many)):
                copy.write_row((name, f"synthetic-{number}", kind, country))
        connection.execute(
            "INSERT INTO actor_aliases (actor_id, alias, normalised) "
            "SELECT id, name, lower(name) FROM actors"
        )
        connection.execute(
            "INSERT INTO actor_aliases (actor_id, alias, normalised) "
            "SELECT id, split_part(name, ' ', -1), lower(split_part(name, ' ', -1)) "
            "FROM actors WHERE id % 3 = 0 ON CONFLICT DO NOTHING"
        )
        connection.execute("ANALYZE")


def timed(session: Session, run: Callable[[Session], Any], repeats: int = 7) -> str:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run(session)
        times.append(time.perf_counter() - start)
        session.rollback()
    return f"best {min(times) * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms"


def main() -> None:
    url = normalise_url(sys.argv[1])
    fill(url.replace("postgresql+psycopg://", "postgresql://"), 50_000)
    with Session(create_engine(url)) as session:
        print("duplicate_pairs:", timed(session, duplicate_pairs))
        print("similar_actors: ", timed(session, lambda s: similar_actors(s, "Kalomi Dorvita")))


if __name__ == "__main__":
    main()
