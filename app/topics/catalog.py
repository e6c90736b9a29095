"""The topics defined in seeds/topics.yaml, read once."""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from app.settings import get_settings


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str
    description: str
    # Web-search queries; a statement is about the topic when it matches any of them.
    terms: tuple[str, ...]


def read_topics(path: Path) -> tuple[Topic, ...]:
    if not path.exists():
        return ()
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return tuple(
        Topic(
            slug=str(entry["slug"]),
            title=str(entry["title"]),
            description=str(entry.get("description", "")),
            terms=tuple(str(term) for term in entry["terms"]),
        )
        for entry in entries
    )


@lru_cache
def all_topics() -> tuple[Topic, ...]:
    return read_topics(get_settings().topics_path)


def find_topic(slug: str) -> Topic | None:
    return next((topic for topic in all_topics() if topic.slug == slug), None)
