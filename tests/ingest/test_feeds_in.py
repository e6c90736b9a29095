"""Feeds in: a feed on a local server, polled twice, stores each entry once; the feeds page."""

import http.server
import threading
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.feeds.service import add_feed, poll_due_feeds, poll_feed
from app.ingest.fetch import Fetcher
from app.models import Article, Feed, FeedEntry, User
from tests.accounts.conftest import bearer, client, form_token, make_user, sign_in

__all__ = ["bearer", "client", "make_user", "sign_in"]


def page(title: str, sentence: str) -> bytes:
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>December 20, 2022</p><p>{sentence} Officials repeated it twice in the evening "
        "and again the next morning, when reporters asked them about the border.</p>"
        "</article></body></html>"
    ).encode()


class FeedSite(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        host = self.headers["Host"]
        rss = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Example Wire</title>
<link>http://{host}/</link><description>News</description>
<item><title>Drills end</title><link>http://{host}/a1</link><guid>a1</guid></item>
<item><title>Border calm</title><link>http://{host}/a2</link><guid>a2</guid></item>
<item><title>Gone</title><link>http://{host}/missing</link><guid>a3</guid></item>
</channel></rss>""".encode()
        routes = {
            "/feed.xml": ("application/rss+xml", rss),
            "/a1": ("text/html", page("Drills end", "The ministry said the drills had ended.")),
            "/a2": ("text/html", page("Border calm", "Officials said the border was calm.")),
            "/broken.xml": ("text/html", b"<html><body>not a feed</body></html>"),
        }
        kind, body = routes.get(self.path, ("text/html", b""))
        self.send_response(200 if self.path in routes else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FeedSite)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_feed_polled_twice_stores_each_entry_once(
    factory: sessionmaker[Session], session: Session, site: str
) -> None:
    fetcher = Fetcher(max_bytes=100_000, allowed_hosts=frozenset({site}))
    with factory.begin() as inner:
        feed_id = add_feed(inner, f"http://{site}/feed.xml", 30).id
    first = poll_feed(factory, feed_id, fetcher)
    assert (first.new, first.error) == (2, None)
    second = poll_feed(factory, feed_id, fetcher)
    assert (second.new, second.seen) == (0, 3)
    assert session.scalar(select(func.count()).select_from(Article)) == 2
    titles = set(session.scalars(select(Article.title)))
    assert titles == {"Drills end", "Border calm"}
    missing = session.scalar(select(FeedEntry).where(FeedEntry.key == "a3"))
    assert missing is not None and "404" in (missing.problem or "")
    feed = session.get(Feed, feed_id)
    assert feed is not None and feed.title == "Example Wire" and feed.articles_added == 2
    # Not due again for 30 minutes.
    assert poll_due_feeds(factory, fetcher) == []


def test_a_broken_feed_says_why(factory: sessionmaker[Session], site: str) -> None:
    fetcher = Fetcher(max_bytes=100_000, allowed_hosts=frozenset({site}))
    with factory.begin() as inner:
        feed_id = add_feed(inner, f"http://{site}/broken.xml").id
    result = poll_feed(factory, feed_id, fetcher)
    assert result.error is not None and "not a feed" in result.error


def test_editors_follow_a_feed_on_the_feeds_page(
    client: TestClient, sign_in: Callable[[str], User]
) -> None:
    assert client.get("/feeds", follow_redirects=False).status_code in (401, 303)
    sign_in("editor")
    token = form_token(client, "/feeds")
    added = client.post("/feeds", data={"url": "https://example.org/feed.xml", "csrf_token": token})
    assert added.status_code == 200 and "https://example.org/feed.xml" in added.text
    assert "waiting for the worker" in added.text
    bad = client.post("/feeds", data={"url": "javascript:alert(1)", "csrf_token": token})
    assert bad.status_code == 422 and "not a web address" in bad.text
