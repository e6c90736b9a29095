"""Atom feeds of claims: valid Atom that a feed reader takes, the same filters as the lists."""

import feedparser
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.web.conftest import Corpus, claim


def test_an_actors_claims_as_atom(client: TestClient, corpus: Corpus, session: Session) -> None:
    # Text that must be escaped, not interpreted, in the XML.
    claim(session, corpus.first, corpus.lukashenko, "Mr. Lukashenko dismissed", cue="said")
    session.commit()
    response = client.get(f"/api/statements.atom?actor={corpus.lukashenko.slug}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert "Aleksandr Lukashenko" in feed.feed.title
    assert len(feed.entries) == 3
    assert all(entry.author == "Aleksandr Lukashenko" for entry in feed.entries)
    first = feed.entries[0]
    assert first.link.startswith("http://testserver/articles/")
    assert first.id.startswith("http://testserver/statements/")
    assert "Belarus plays down drills" in first.summary


def test_filters_and_topics_have_feeds(client: TestClient, corpus: Corpus) -> None:
    searched = feedparser.parse(client.get("/api/statements.atom?q=S-400").content)
    assert not searched.bozo and len(searched.entries) == 1
    assert "S-400" in searched.entries[0].title
    topic = client.get("/api/topics/belarus-military-exercises.atom")
    assert topic.status_code == 200 and not feedparser.parse(topic.content).bozo
    assert client.get("/api/topics/nothing.atom").status_code == 404
    page = client.get(f"/actors/{corpus.lukashenko.slug}").text
    assert 'type="application/atom+xml"' in page
