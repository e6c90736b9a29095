"""Topics made and changed by editors (audited), and the seeds file's topics loaded once."""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, literal_column, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.actors.queries import actors_named, similar_actors
from app.extract import slugify
from app.models.accounts import User
from app.models.topics import TopicActor as TopicActorRow
from app.models.topics import TopicRow
from app.review.service import record
from app.topics.catalog import Topic, TopicActor, all_topics
from app.topics.queries import find_topic

MAX_TERMS = 30
RESERVED_SLUGS = {"new"}


@dataclass
class TopicDraft:
    """A topic as an editor wrote it in the form, before it is checked."""

    title: str = ""
    slug: str = ""
    description: str = ""
    terms: str = ""  # one web-search query a line
    actors: str = ""  # one actor's name a line


@dataclass
class CheckedTopic:
    """A draft that was checked: the topic it defines, or what is wrong, field by field."""

    topic: Topic | None
    errors: dict[str, str] = field(default_factory=dict)


def _lines(text: str) -> list[str]:
    seen: list[str] = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if line and line not in seen:
            seen.append(line)
    return seen


def _searchable(session: Session, term: str) -> bool:
    """Whether the query has a word the full-text index can find (not only "the", "of")."""
    query = func.websearch_to_tsquery(literal_column("'english'::regconfig"), term)
    return bool(session.scalar(select(func.numnode(query))))


def _slug_taken(session: Session, slug: str) -> bool:
    stored = session.scalar(select(TopicRow.id).where(TopicRow.slug == slug))
    return stored is not None or any(topic.slug == slug for topic in all_topics())


def check_topic(session: Session, draft: TopicDraft, existing: Topic | None) -> CheckedTopic:
    """Read the form: every field's problem in words, or the topic it defines."""
    errors: dict[str, str] = {}
    title = " ".join(draft.title.split())
    if not 1 <= len(title) <= 300:
        errors["title"] = "a topic needs a title of 1 to 300 characters"
    if existing is not None:
        slug = existing.slug
    else:
        slug = slugify(draft.slug or title)[:200]
        if not slug:
            errors.setdefault("slug", "the address needs letters or digits")
        elif slug in RESERVED_SLUGS or _slug_taken(session, slug):
            errors["slug"] = f"a topic already has the address /topics/{slug}: choose another"
    description = draft.description.strip()
    if len(description) > 5000:
        errors["description"] = "the description may have at most 5,000 characters"

    terms = _lines(draft.terms)
    if len(terms) > MAX_TERMS:
        errors["terms"] = f"at most {MAX_TERMS} searches, one a line (there are {len(terms)})"
    elif any(len(term) > 200 for term in terms):
        errors["terms"] = "each search may have at most 200 characters"
    else:
        empty = [term for term in terms if not _searchable(session, term)]
        if empty:
            errors["terms"] = (
                f"line {terms.index(empty[0]) + 1}, “{empty[0]}”, has no word that can be "
                "searched (only common words such as “the”)"
            )

    actors: list[TopicActor] = []
    problems: list[str] = []
    for name in _lines(draft.actors):
        named = actors_named(session, name)
        if len(named) == 1:
            actor = named[0]
            if actor.id not in {a.id for a in actors}:
                actors.append(TopicActor(actor.id, actor.slug, actor.name))
        elif named:
            who = "; ".join(
                f"{a.name} ({a.kind}{', ' + a.country if a.country else ''})" for a in named[:5]
            )
            problems.append(f"“{name}” is the name of several actors: {who} — write a fuller name")
        else:
            near = similar_actors(session, name, limit=3)
            hint = f" — did you mean {', '.join(a.name for a in near)}?" if near else ""
            problems.append(f"no actor is called “{name}”{hint}")
    if problems:
        errors["actors"] = "; ".join(problems)
    if not terms and not actors and "terms" not in errors and "actors" not in errors:
        errors["terms"] = "write at least one search, or name an actor to include"
    if errors:
        return CheckedTopic(None, errors)
    topic = Topic(
        slug=slug,
        title=title,
        description=description,
        terms=tuple(terms),
        actors=tuple(sorted(actors, key=lambda a: a.name)),
        id=existing.id if existing else None,
        origin="editor",
    )
    return CheckedTopic(topic)


def topic_state(topic: Topic) -> dict[str, Any]:
    """A topic as the audit log keeps it."""
    return {
        "slug": topic.slug,
        "title": topic.title,
        "description": topic.description,
        "terms": list(topic.terms),
        "actors": [{"id": a.id, "name": a.name} for a in topic.actors],
    }


def save_topic(session: Session, topic: Topic, existing: Topic | None, user: User) -> bool:
    """Store a checked topic, new or changed; False when nothing changed (nothing is logged)."""
    before = topic_state(existing) if existing is not None else None
    after = topic_state(topic)
    if before == after:
        return False
    row = session.scalar(select(TopicRow).where(TopicRow.slug == topic.slug).with_for_update())
    if row is None:
        row = TopicRow(slug=topic.slug)
        session.add(row)
    row.title, row.description, row.terms = topic.title, topic.description, list(topic.terms)
    row.origin = "editor"  # from now on the file no longer changes it
    session.flush()
    session.execute(delete(TopicActorRow).where(TopicActorRow.topic_id == row.id))
    if topic.actors:
        session.execute(
            insert(TopicActorRow).values(
                [{"topic_id": row.id, "actor_id": actor.id} for actor in topic.actors]
            )
        )
    action = "create_topic" if existing is None else "edit_topic"
    record(session, user, "topic", row.id, action, before, after)
    return True


def load_seed_topics(session: Session) -> int:
    """Store the seeds file's topics: new ones are added, ones no editor changed follow the
    file; an editor's version is kept. Returns how many rows were added or changed."""
    changed = 0
    for seed in all_topics():
        stored = find_topic(session, seed.slug)
        if stored is not None and stored.id is not None and stored.origin == "editor":
            continue
        values = {
            "slug": seed.slug,
            "title": seed.title,
            "description": seed.description,
            "terms": list(seed.terms),
            "origin": "seed",
        }
        same = (seed.title, seed.description, seed.terms)
        if (
            stored is not None
            and stored.id is not None
            and same
            == (
                stored.title,
                stored.description,
                stored.terms,
            )
        ):
            continue
        statement = insert(TopicRow).values(values)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["slug"],
                set_={key: statement.excluded[key] for key in values if key != "slug"},
                where=TopicRow.origin == "seed",
            )
        )
        changed += 1
    return changed
