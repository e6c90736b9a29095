"""Wire copies: an article whose body is a near-duplicate of an earlier one (an agency story
carried by several outlets) is marked as a copy of the earliest. Candidates come from MinHash
LSH band hashes of the body's word shingles (rows of article_bands: a btree lookup, the
articles sharing most bands first), and are confirmed on the shingles themselves."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import numpy as np
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, sessionmaker

from app.models.articles import Article, ArticleBand, Source

# Word 5-shingles: long enough that two different stories on one subject share few of them.
SHINGLE = 5
# 16 bands of 4 rows: a pair at Jaccard 0.5 shares a band with probability 0.64, at 0.7: 0.98,
# at 0.2 (one story's paragraph quoted in another): 0.03.
ROWS = 4
BANDS = 16
# A copy shares at least this share of the shorter body's shingles (a copy cut short, or with
# a line of its own added, is still a copy).
COPY_CONTAINMENT = 0.8
# Bodies with fewer shingles than this are too short to call copies (a two-line brief).
MIN_SHINGLES = 20
MAX_CANDIDATES = 20

_WORD = re.compile(r"\w+")


def shingles(body: str) -> frozenset[str]:
    """The body's word 5-shingles, case and punctuation folded."""
    words = _WORD.findall(unicodedata.normalize("NFKC", body).lower())
    return frozenset(
        " ".join(words[i : i + SHINGLE]) for i in range(max(0, len(words) - SHINGLE + 1))
    )


def containment(left: frozenset[str], right: frozenset[str]) -> float:
    """The share of the smaller set found in the other (0 when either is empty)."""
    if not left or not right:
        return 0.0
    return len(left & right) / min(len(left), len(right))


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    generator = np.random.default_rng(1717)
    size = ROWS * BANDS
    a = generator.integers(1, (1 << 61) - 1, size=size, dtype=np.uint64) | np.uint64(1)
    b = generator.integers(0, (1 << 61) - 1, size=size, dtype=np.uint64)
    return a, b


def body_bands(grams: frozenset[str]) -> list[int] | None:
    """The LSH band hashes (signed 64-bit) of a body's shingles; None when it is too short."""
    if len(grams) < MIN_SHINGLES:
        return None
    a, b = _permutations()
    values = np.fromiter((_hash(g) for g in grams), dtype=np.uint64, count=len(grams))
    with np.errstate(over="ignore"):
        signature = (values[:, None] * a[None, :] + b[None, :]).min(axis=0)
    hashes = []
    for band in range(BANDS):
        value = _hash(f"{band}|" + ",".join(map(str, signature[band * ROWS : (band + 1) * ROWS])))
        hashes.append(value - (1 << 64) if value >= 1 << 63 else value)
    return hashes


def _first_out(article: Article) -> tuple[bool, datetime, int]:
    """What "earliest" sorts by: the date (undated last), then the id."""
    day = article.published_at.replace(tzinfo=None) if article.published_at else datetime.min
    return article.published_at is None, day, article.id


def mark_copy(session: Session, article: Article) -> Article | None:
    """Store the article's band hashes and, when an earlier article has near-identical text,
    mark it a copy of the earliest (or, when it is itself the earliest of stored copies, make
    it their original). Returns the original it copies, if any. Idempotent."""
    grams = shingles(article.body)
    bands = body_bands(grams)
    if bands is None:
        return None
    session.execute(
        insert(ArticleBand)
        .values([{"band": band, "article_id": article.id} for band in bands])
        .on_conflict_do_nothing()
    )
    shared = func.count().label("shared")
    found = (
        select(ArticleBand.article_id, shared)
        .where(ArticleBand.band.in_(bands), ArticleBand.article_id != article.id)
        .group_by(ArticleBand.article_id)
        .order_by(shared.desc(), ArticleBand.article_id)
        .limit(MAX_CANDIDATES)
    )
    candidate_ids = [row.article_id for row in session.execute(found)]
    candidates = (
        session.scalars(select(Article).where(Article.id.in_(candidate_ids))).all()
        if candidate_ids
        else []
    )
    same = [
        other
        for other in candidates
        if containment(grams, shingles(other.body)) >= COPY_CONTAINMENT
    ]
    if not same:
        return None
    # Everything already in those copies' family: their originals and the originals' copies.
    roots = {other.copy_of_id or other.id for other in same}
    family = session.scalars(
        select(Article).where(or_(Article.id.in_(roots), Article.copy_of_id.in_(roots)))
    ).all()
    members = {member.id: member for member in [*family, *same] if member.id != article.id}
    earliest = min(members.values(), key=_first_out)
    if _first_out(article) < _first_out(earliest):
        # It came out before every stored copy: it is the original now.
        article.copy_of_id = None
        session.flush()
        session.execute(
            update(Article).where(Article.id.in_(list(members))).values(copy_of_id=article.id),
            execution_options={"synchronize_session": False},
        )
        for member in members.values():
            session.expire(member, ["copy_of_id"])
        return None
    article.copy_of_id = earliest.id
    session.flush()
    return earliest


@dataclass(frozen=True)
class CopyRef:
    """An article on another's page: the original it copies, or one of its copies."""

    id: int
    title: str
    source: str | None
    published_at: datetime | None


def _refs(session: Session, condition: object) -> list[CopyRef]:
    rows = session.execute(
        select(Article.id, Article.title, Source.name, Article.published_at)
        .outerjoin(Source, Source.id == Article.source_id)
        .where(condition)  # type: ignore[arg-type]
        .order_by(Article.published_at.asc().nulls_last(), Article.id)
    ).all()
    return [CopyRef(row[0], row[1], row[2], row[3]) for row in rows]


def original_of(session: Session, article_id: int) -> CopyRef | None:
    """The article this one is a copy of."""
    original = select(Article.copy_of_id).where(Article.id == article_id).scalar_subquery()
    refs = _refs(session, Article.id == original)
    return refs[0] if refs else None


def copies_of(session: Session, article_id: int) -> list[CopyRef]:
    """The articles marked as copies of this one, earliest first."""
    return _refs(session, Article.copy_of_id == article_id)


def rebuild_copies(
    factory: sessionmaker[Session], progress: Callable[[int, int], None] | None = None
) -> int:
    """Find the copies among every stored article, earliest first (for articles stored before
    copies were looked for); one transaction per 200 articles. Returns how many are copies."""
    with factory.begin() as session:
        ids = list(
            session.scalars(
                select(Article.id).order_by(Article.published_at.asc().nulls_last(), Article.id)
            )
        )
        session.execute(update(Article).values(copy_of_id=None))
        session.execute(delete(ArticleBand))
    for start in range(0, len(ids), 200):
        with factory.begin() as session:
            for article in session.scalars(
                select(Article).where(Article.id.in_(ids[start : start + 200]))
            ):
                mark_copy(session, article)
        if progress is not None:
            progress(min(start + 200, len(ids)), len(ids))
    with factory() as session:
        return (
            session.scalar(
                select(func.count()).select_from(Article).where(Article.copy_of_id.is_not(None))
            )
            or 0
        )
