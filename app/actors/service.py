"""Canonical actors across articles: an article's actors are matched to stored ones by alias."""

import re
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.actors.models import Actor, ActorAlias
from app.extract import ActorRef, Gazetteer, normalise_alias, slugify

# Words that may stay lower-case inside a proper name ("Institute for the Study of War").
_NAME_JOINERS = {"of", "the", "for", "and", "de", "la", "al", "von", "van", "bin", "du", "del"}
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def is_proper_name(alias: str) -> bool:
    """A name that identifies its bearer in any article, unlike "the group" or "the leader"."""
    words = _WORD.findall(alias)
    content = [word for word in words if word.lower() not in _NAME_JOINERS]
    return bool(content) and all(word[0].isupper() for word in content)


def _actors_with_alias(session: Session, normalised: str) -> list[Actor]:
    query = (
        select(Actor)
        .join(ActorAlias, ActorAlias.actor_id == Actor.id)
        .where(ActorAlias.normalised == normalised)
        .distinct()
    )
    return list(session.scalars(query))


def unique_slug(session: Session, name: str) -> str:
    """A slug no actor has, nor had before a merge (old links must keep their meaning)."""
    from app.review.models import ActorRedirect

    base = slugify(name) or "actor"
    taken = set(session.scalars(select(Actor.slug).where(Actor.slug.like(f"{base}%"))))
    taken |= set(
        session.scalars(
            select(ActorRedirect.old_slug).where(ActorRedirect.old_slug.like(f"{base}%"))
        )
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def add_aliases(session: Session, actor: Actor, aliases: Iterable[str]) -> None:
    rows = []
    for alias in aliases:
        normalised = normalise_alias(alias)
        if normalised and is_proper_name(alias):
            rows.append(
                {"actor_id": actor.id, "alias": alias[:300], "normalised": normalised[:300]}
            )
    if rows:
        statement = insert(ActorAlias).values(rows).on_conflict_do_nothing()
        session.execute(statement)


def find_actor(session: Session, ref: ActorRef) -> Actor | None:
    """The stored actor this article's actor is, when the evidence is unambiguous."""
    key = normalise_alias(ref.gazetteer_name or ref.name)
    if not key:
        return None
    candidates = _actors_with_alias(session, key)
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        exact = [actor for actor in candidates if normalise_alias(actor.name) == key]
        return exact[0] if len(exact) == 1 else None
    tokens = key.split()
    if ref.kind == "person" and len(tokens) > 1:
        # "Vladimir Putin" may be the actor an earlier article knew only as "Putin"; but
        # never merge two people who share a surname: the stored one must have no other name.
        by_surname = [
            actor
            for actor in _actors_with_alias(session, tokens[-1])
            if len(normalise_alias(actor.name).split()) == 1
        ]
        if len(by_surname) == 1:
            return by_surname[0]
    return None


def resolve_actor(session: Session, ref: ActorRef) -> Actor:
    """Find or create the canonical actor for one article's actor, and record its names."""
    actor = find_actor(session, ref)
    if actor is None:
        actor = Actor(
            name=ref.gazetteer_name or ref.name,
            slug=unique_slug(session, ref.gazetteer_name or ref.name),
            kind=ref.kind,
            role=ref.role,
            country=ref.country,
        )
        session.add(actor)
        session.flush()
    else:
        better_kind = actor.kind == "unknown" and ref.kind != "unknown"
        if better_kind:
            actor.kind = ref.kind
        if actor.role is None and ref.role:
            actor.role = ref.role
        grows = len(ref.name) > len(actor.name) and ref.kind == "person"
        # The fullest form wins: "Putin" becomes "Vladimir V. Putin" once seen in full.
        if (
            grows
            and ref.gazetteer_name is None
            and normalise_alias(ref.name).endswith(normalise_alias(actor.name))
        ):
            actor.name = ref.name
    add_aliases(session, actor, [ref.name, *ref.aliases])
    return actor


def load_gazetteer_actors(session: Session, gazetteer: Gazetteer) -> int:
    """Store the curated actors (idempotent); returns how many were new."""
    created = 0
    for entry in gazetteer.entries:
        slug = slugify(entry.name)
        actor = session.scalar(select(Actor).where(Actor.slug == slug))
        if actor is None:
            actor = Actor(
                name=entry.name, slug=slug, kind=entry.kind, role=entry.role, country=entry.country
            )
            session.add(actor)
            session.flush()
            created += 1
        add_aliases(session, actor, [entry.name, *entry.aliases])
    return created
