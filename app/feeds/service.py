"""Following feeds: subscribe, unsubscribe, and poll (fetch the feed, then each entry not seen
before, and store it through the one ingest path). An entry is never stored twice: entries
already dealt with are remembered by id or link, and the same body is stored once anyway."""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, sessionmaker

from app.ingest.fetch import Fetcher, FetchError
from app.ingest.readers import InputError, check_url
from app.ingest.service import ingest_article
from app.models import Feed, FeedEntry

logger = logging.getLogger(__name__)
# New entries fetched from one feed in one poll, at most: a feed of a thousand old items
# is taken in over several polls.
MAX_ENTRIES_PER_POLL = 30


class FeedFailure(ValueError):
    """A feed that cannot be added or read; the message says why."""


@dataclass
class PollResult:
    feed_id: int
    new: int
    seen: int
    error: str | None = None


def add_feed(session: Session, url: str, interval_minutes: int = 60) -> Feed:
    try:
        address = check_url(url.strip(), "url")
    except InputError as error:
        raise FeedFailure(error.reason) from None
    if address is None:
        raise FeedFailure("give the feed's address (https://…)")
    if not 5 <= interval_minutes <= 7 * 24 * 60:
        raise FeedFailure("the interval must be from 5 minutes to a week")
    session.execute(
        insert(Feed)
        .values(url=address, interval_minutes=interval_minutes)
        .on_conflict_do_nothing(index_elements=["url"])
    )
    feed = session.scalar(select(Feed).where(Feed.url == address))
    assert feed is not None
    return feed


def remove_feed(session: Session, feed_id: int) -> bool:
    feed = session.get(Feed, feed_id)
    if feed is None:
        return False
    session.delete(feed)
    return True


def list_feeds(session: Session) -> list[Feed]:
    return list(session.scalars(select(Feed).order_by(Feed.title.nulls_last(), Feed.url)))


def _key(entry: Any) -> str | None:
    key = entry.get("id") or entry.get("link")
    return str(key)[:2000] if key else None


def _seen(session: Session, feed_id: int, keys: list[str]) -> set[str]:
    if not keys:
        return set()
    rows = session.scalars(
        select(FeedEntry.key).where(FeedEntry.feed_id == feed_id, FeedEntry.key.in_(keys))
    )
    return set(rows)


def poll_feed(factory: sessionmaker[Session], feed_id: int, fetcher: Fetcher) -> PollResult:
    """Fetch the feed and store its new entries; the outcome is written on the feed."""
    import feedparser

    with factory() as session:
        feed = session.get(Feed, feed_id)
        if feed is None:
            raise FeedFailure(f"there is no feed {feed_id}")
        url = feed.url
    result = PollResult(feed_id, 0, 0)
    title: str | None = None
    try:
        parsed = feedparser.parse(fetcher.feed(url))
        if not parsed.entries and not parsed.get("version"):
            raise FeedFailure("not a feed: the address gives neither RSS nor Atom")
        title = parsed.feed.get("title")
        entries = [(key, entry) for entry in parsed.entries if (key := _key(entry))]
        with factory() as session:
            seen = _seen(session, feed_id, [key for key, _ in entries])
        result.seen = len(seen)
        for key, entry in [pair for pair in entries if pair[0] not in seen][:MAX_ENTRIES_PER_POLL]:
            result.new += _take(factory, fetcher, feed_id, key, entry)
    except (FetchError, FeedFailure) as error:
        result.error = error.reason if isinstance(error, FetchError) else str(error)
    except Exception as error:  # a broken feed must not stop the other feeds' polls
        logger.exception("polling feed %s failed", url)
        result.error = f"the feed could not be read ({type(error).__name__})"
    with factory.begin() as session:
        feed = session.get(Feed, feed_id)
        if feed is not None:
            feed.last_polled_at = datetime.now(UTC)
            feed.last_new = result.new
            feed.last_error = result.error
            feed.articles_added += result.new
            if title:
                feed.title = title[:500]
    return result


def _take(
    factory: sessionmaker[Session], fetcher: Fetcher, feed_id: int, key: str, entry: Any
) -> int:
    """Fetch and store one entry; 1 if it became a new article."""
    link = entry.get("link")
    article_id, problem, created = None, None, 0
    try:
        if not link:
            raise FeedFailure("the entry has no link")
        article = fetcher.article(str(link))
        outcome = ingest_article(factory, article)
        article_id, created = outcome.article_id, int(outcome.status == "created")
    except FetchError as error:
        problem = error.reason
    except FeedFailure as error:
        problem = str(error)
    with factory.begin() as session:
        session.execute(
            insert(FeedEntry)
            .values(feed_id=feed_id, key=key, article_id=article_id, problem=problem)
            .on_conflict_do_nothing(index_elements=["feed_id", "key"])
        )
    return created


def due_feed(session: Session) -> int | None:
    """The feed most overdue for a poll, locked for this transaction (another worker skips
    it), or None."""
    row = session.execute(
        text(
            "SELECT id FROM feeds WHERE last_polled_at IS NULL OR "
            "last_polled_at + make_interval(mins => interval_minutes) <= now() "
            "ORDER BY last_polled_at NULLS FIRST LIMIT 1 FOR UPDATE SKIP LOCKED"
        )
    ).first()
    return row[0] if row else None


def poll_due_feeds(
    factory: sessionmaker[Session], fetcher: Fetcher, most: int = 10
) -> list[PollResult]:
    """Poll the feeds that are due, each once, at most `most` of them."""
    results: list[PollResult] = []
    for _ in range(most):
        with factory.begin() as session:
            feed_id = due_feed(session)
            if feed_id is None:
                break
            # Marked now, in the locked transaction: no other worker takes it meanwhile.
            session.execute(
                text("UPDATE feeds SET last_polled_at = now() WHERE id = :id"), {"id": feed_id}
            )
        results.append(poll_feed(factory, feed_id, fetcher))
    return results


def next_poll(feed: Feed) -> datetime | None:
    if feed.last_polled_at is None:
        return None
    return feed.last_polled_at + timedelta(minutes=feed.interval_minutes)
