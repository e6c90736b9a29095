"""Fill a database with synthetic claims fast: rows built in Python, loaded with COPY.

Everything is marked as synthetic: sources are "Synthetic Wire N", actors "Synthetic …",
article titles start with "[synthetic]". Speakers follow a Zipf law, as in real coverage a few
actors say most of what is reported.
"""

import hashlib
import itertools
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

STATEMENTS_PER_ARTICLE = 20
STATEMENTS_PER_ACTOR = 200
ARTICLES_PER_CHUNK = 2000
SOURCES = 20
ZIPF_EXPONENT = 1.1
FIRST_DAY = datetime(2021, 1, 1, 6, tzinfo=UTC)
DAYS = 730
EXTRACTOR_VERSION = "synthetic"

KINDS = ("person", "person", "person", "government", "organization", "country", "group")
ROLES = {
    "person": ("minister", "spokesperson", "president", "general", "analyst", "ambassador"),
    "government": ("ministry", "defence ministry", "foreign ministry"),
    "organization": ("think tank", "alliance", "monitoring group"),
    "country": ("state",),
    "group": ("officials", "militia"),
}
CUES = (
    ("said", "assert"),
    ("said", "assert"),
    ("stated", "assert"),
    ("claimed", "assert"),
    ("insisted", "assert"),
    ("denied", "deny"),
    ("dismissed", "deny"),
    ("rejected", "deny"),
    ("warned", "predict"),
    ("predicted", "predict"),
    ("suggested", "speculate"),
    ("speculated", "speculate"),
    ("told reporters", "other"),
)
SUBJECTS = (
    "the troops",
    "the army",
    "the government",
    "the sanctions",
    "the talks",
    "the alliance",
    "the exercises",
    "the drills",
    "the missile systems",
    "the border guards",
    "the ceasefire",
    "the offensive",
    "the negotiators",
    "the air defense units",
    "the fleet",
    "the grain deal",
    "the gas supplies",
    "the peacekeepers",
    "the refugees",
    "the election",
)
VERBS = (
    "would remain in",
    "were withdrawn from",
    "had been sent to",
    "would never enter",
    "posed no threat to",
    "were preparing to leave",
    "had reached",
    "would strengthen",
    "could destabilise",
    "were limited to",
    "were moving towards",
    "would protect",
)
PLACES = (
    "Belarus",
    "Ukraine",
    "Moscow",
    "Kyiv",
    "Minsk",
    "the Baltic states",
    "Poland",
    "Crimea",
    "the Black Sea",
    "the northern border",
    "Brussels",
    "Washington",
    "the Donbas",
    "Kharkiv",
    "Lithuania",
    "Warsaw",
    "the front line",
    "the capital",
)
TAILS = (
    "",
    "",
    "",
    " within weeks",
    " despite the pressure",
    " as planned",
    " for now",
    " according to the latest reports",
    " because of combat readiness checks",
    " with S-400 air defense systems",
    " after the joint exercises",
    " before the winter",
)


def _zipf_cumulative(count: int, exponent: float = ZIPF_EXPONENT) -> list[float]:
    return list(itertools.accumulate(1 / rank**exponent for rank in range(1, count + 1)))


def _town_names(count: int) -> list[str]:
    """Made-up place names: news vocabulary has a long tail, so most words are rare."""
    rng = random.Random(42)
    starts = ("Bel", "Vor", "Kras", "Zar", "Mir", "Nov", "Os", "Pol", "Dub", "Lis", "Sos", "Tal")
    middles = ("o", "a", "e", "i", "ov", "an", "ets", "in")
    ends = ("grad", "sk", "ino", "ovka", "ovo", "yn", "ets", "ichi", "ava", "ensk")
    names: set[str] = set()
    while len(names) < count:
        syllables = rng.choice(starts) + rng.choice(middles) + rng.choice(middles)
        names.add(syllables + rng.choice(ends))
    ordered = sorted(names)
    rng.shuffle(ordered)
    return ordered


TOWNS = _town_names(1500)
TOWN_WEIGHTS = _zipf_cumulative(len(TOWNS), 1.0)


def _next_ids(connection: Connection) -> dict[str, int]:
    return {
        table: int(
            connection.execute(text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar_one()
        )
        + 1
        for table in ("sources", "actors", "articles", "statements")
    }


def _secondary_indexes(connection: Connection) -> list[tuple[str, str]]:
    rows = connection.execute(
        text(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "JOIN pg_class c ON c.relname = i.indexname "
            "JOIN pg_index x ON x.indexrelid = c.oid "
            "WHERE i.tablename = 'statements' AND i.schemaname = current_schema() "
            "AND NOT x.indisprimary AND NOT x.indisunique"
        )
    )
    return [(row.indexname, row.indexdef) for row in rows]


def _sentence(rng: random.Random) -> str:
    place = rng.choice(PLACES)
    if rng.random() < 0.6:
        place = f"{place} near {rng.choices(TOWNS, cum_weights=TOWN_WEIGHTS)[0]}"
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {place}{rng.choice(TAILS)}"


# Claims a speaker repeats are drawn from the few they made last (memory stays bounded).
REMEMBERED_CLAIMS = 8


def _claim(rng: random.Random, said: list[str] | None, repeats: float) -> str:
    """A new sentence, or (with probability `repeats`) one the speaker said before: as it was,
    with its words' case or punctuation changed, or, one time in ten, negated."""
    if said and rng.random() < repeats:
        earlier = rng.choice(said)
        roll = rng.random()
        if roll < 0.1:
            return earlier.replace(" would ", " would not ", 1).replace(" were ", " were not ", 1)
        if roll < 0.3:
            return earlier.capitalize() + "."
        return earlier
    words = _sentence(rng)
    if said is not None:
        said.append(words)
        del said[:-REMEMBERED_CLAIMS]
    return words


def _article(
    rng: random.Random,
    article_id: int,
    first_statement_id: int,
    published: datetime,
    actors: list[tuple[int, str, str]],
    weights: list[float],
    count: int,
    memory: dict[int, list[str]] | None = None,
    repeats: float = 0.0,
) -> tuple[str, list[tuple[Any, ...]]]:
    """An article body made of `count` attributed sentences, and its statement rows."""
    speakers = rng.choices(actors, cum_weights=weights, k=count)
    parts: list[str] = [f"[synthetic] Generated report {article_id}. "]
    position = len(parts[0])
    rows: list[tuple[Any, ...]] = []
    for offset, (speaker_id, speaker_name, _) in enumerate(speakers):
        cue, cue_class = rng.choice(CUES)
        said = memory.setdefault(speaker_id, []) if memory is not None else None
        words = _claim(rng, said, repeats) if repeats else _sentence(rng)
        if rng.random() < 0.3:
            content = f"“{words[0].upper()}{words[1:]},”"
            sentence = f"{content} {speaker_name} {cue}. "
            start, kind = position, "direct"
        else:
            lead = f"{speaker_name} {cue} that "
            content = words
            sentence = f"{lead}{content}. "
            start, kind = position + len(lead), "indirect"
        rows.append(
            (
                first_statement_id + offset,
                article_id,
                speaker_id,
                speaker_name,
                cue,
                cue_class,
                kind,
                content,
                start,
                start + len(content),
                position,
                position + len(sentence) - 1,
                0.9,
                EXTRACTOR_VERSION,
                published,
            )
        )
        parts.append(sentence)
        position += len(sentence)
    return "".join(parts), rows


def generate(
    factory: sessionmaker[Session],
    statements: int,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
    repeats: float = 0.0,
) -> dict[str, int]:
    """Add synthetic statements with their articles, actors and sources; returns the counts.

    `repeats` is the share of statements that repeat one of their speaker's earlier claims
    (some reworded in case or punctuation, a tenth negated), for the claim groups benchmark.
    """
    memory: dict[int, list[str]] = {}
    rng = random.Random(seed)
    article_count = max(1, statements // STATEMENTS_PER_ARTICLE)
    actor_count = max(1, min(5000, statements // STATEMENTS_PER_ACTOR or 1))
    source_count = min(SOURCES, article_count)
    with factory() as session:
        connection = session.connection()
        connection.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
        first = _next_ids(connection)
        raw: Any = connection.connection.driver_connection
        # Indexes are rebuilt once at the end: much faster than updating them row by row.
        indexes = _secondary_indexes(connection)
        for name, _ in indexes:
            connection.execute(text(f'DROP INDEX "{name}"'))

        with raw.cursor() as cursor:
            with cursor.copy("COPY sources (id, name, domain) FROM STDIN") as copy:
                for number in range(source_count):
                    source_id = first["sources"] + number
                    copy.write_row(
                        (source_id, f"Synthetic Wire {source_id}", f"wire{source_id}.invalid")
                    )
            actors: list[tuple[int, str, str]] = []
            with cursor.copy(
                "COPY actors (id, name, slug, kind, role, country) FROM STDIN"
            ) as copy:
                for number in range(actor_count):
                    actor_id = first["actors"] + number
                    kind = rng.choice(KINDS)
                    name = f"Synthetic {kind.title()} {actor_id}"
                    actors.append((actor_id, name, kind))
                    copy.write_row(
                        (
                            actor_id,
                            name,
                            f"synthetic-{kind}-{actor_id}",
                            kind,
                            f"synthetic {rng.choice(ROLES[kind])}",
                            "Syntheticland",
                        )
                    )
            weights = _zipf_cumulative(actor_count)
            written = 0
            article_columns = (
                "id, source_id, title, body, url, published_at, language, content_hash, external_id"
            )
            statement_columns = (
                "id, article_id, speaker_id, speaker_mention, cue, cue_class, kind, content, "
                'start, "end", sentence_start, sentence_end, confidence, extractor_version, '
                "published_at, source_id"
            )
            statement_id = first["statements"]
            loaded = 0
            for chunk_start in range(0, article_count, ARTICLES_PER_CHUNK):
                article_rows: list[tuple[Any, ...]] = []
                statement_rows: list[tuple[Any, ...]] = []
                for number in range(
                    chunk_start, min(article_count, chunk_start + ARTICLES_PER_CHUNK)
                ):
                    article_id = first["articles"] + number
                    share = (
                        statements - written
                        if number == article_count - 1
                        else min(STATEMENTS_PER_ARTICLE, statements - written)
                    )
                    published = FIRST_DAY + timedelta(
                        days=rng.randrange(DAYS), minutes=rng.randrange(16 * 60)
                    )
                    body, rows = _article(
                        rng,
                        article_id,
                        statement_id,
                        published,
                        actors,
                        weights,
                        share,
                        memory,
                        repeats,
                    )
                    source_id = first["sources"] + rng.randrange(source_count)
                    # Set here, the trigger that copies the article's source has nothing to do.
                    statement_rows += [(*row, source_id) for row in rows]
                    statement_id += len(rows)
                    digest = hashlib.sha256(body.encode()).hexdigest()
                    article_rows.append(
                        (
                            article_id,
                            source_id,
                            f"[synthetic] {_sentence(rng).capitalize()}",
                            body,
                            None,
                            published,
                            "en",
                            digest,
                            f"synthetic-{digest[:16]}",
                        )
                    )
                    written += share
                with cursor.copy(f"COPY articles ({article_columns}) FROM STDIN") as copy:
                    for row in article_rows:
                        copy.write_row(row)
                # Statements reference articles, so they go in once their articles are in.
                with cursor.copy(f"COPY statements ({statement_columns}) FROM STDIN") as copy:
                    for row in statement_rows:
                        copy.write_row(row)
                loaded += len(statement_rows)
                if progress:
                    progress(loaded)
        for _, definition in indexes:
            connection.execute(text(definition))
        for table in ("sources", "actors", "articles", "statements"):
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            )
        session.commit()
    bind = factory.kw.get("bind")
    if isinstance(bind, Engine):
        with bind.connect().execution_options(isolation_level="AUTOCOMMIT") as autocommit:
            # Fresh statistics, and a visibility map so index-only scans work at once. The
            # count triggers rewrote each actor's row and days once per chunk: without this,
            # an actor's timeline read walked ten dead versions of each day.
            autocommit.execute(
                text("VACUUM ANALYZE sources, actors, actor_days, articles, statements")
            )
    return {
        "sources": source_count,
        "actors": actor_count,
        "articles": article_count,
        "statements": loaded,
    }
