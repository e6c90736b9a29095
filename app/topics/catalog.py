"""What a topic is, and the initial topics of seeds/topics.yaml (read once)."""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from app.settings import get_settings


@dataclass(frozen=True)
class TopicActor:
    """An actor a topic includes: their claims belong to it, whatever their words."""

    id: int
    slug: str
    name: str


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str
    description: str
    # Web-search queries; a statement is about the topic when it matches any of them.
    terms: tuple[str, ...]
    actors: tuple[TopicActor, ...] = ()
    # The stored row's id; None for a topic of the file not stored yet.
    id: int | None = None
    # "seed" (as in the file) or "editor" (made or changed on the site).
    origin: str = "seed"


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
    """The topics of the seeds file: the initial set, until editors change them."""
    return read_topics(get_settings().topics_path)
