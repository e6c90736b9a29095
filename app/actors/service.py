"""Canonical actors across articles: an article's actors are matched to stored ones by alias.

Resolution is batched per article (a handful of queries however many actors it names), since it
runs inside every ingest transaction.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import Session

from app.extract import ActorRef, Gazetteer, normalise_alias, slugify
from app.extract.names import variant_key
from app.models.actors import Actor, ActorAlias
from app.models.review import ActorRedirect

# Words that may stay lower-case inside a proper name ("Institute for the Study of War").
_NAME_JOINERS = {"of", "the", "for", "and", "de", "la", "al", "von", "van", "bin", "du", "del"}
# Words start at a word boundary: "1st" in "1st Guards Tank Army" is a number, not "st".
_WORD = re.compile(r"\b[^\W\d_][\w'’.-]*")
# Any fixed number: the advisory lock that serialises actor creation across writers.
ACTOR_LOCK_KEY = 7_204_311


def is_proper_name(alias: str) -> bool:
    """A name that identifies its bearer in any article, unlike "the group" or "the leader"."""
    words = _WORD.findall(alias)
    content = [word for word in words if word.lower() not in _NAME_JOINERS]
    return bool(content) and all(word[0].isupper() for word in content)


def _canonical(ref: ActorRef) -> str:
    return ref.gazetteer_name or ref.name


def _taken_slugs(session: Session, bases: Iterable[str]) -> set[str]:
    """Slugs in use, or used before a merge (old links must keep their meaning), near bases."""
    patterns = [f"{base}%" for base in set(bases)]
    if not patterns:
        return set()
    taken = set(
        session.scalars(select(Actor.slug).where(or_(*(Actor.slug.like(p) for p in patterns))))
    )
    taken |= set(
        session.scalars(
            select(ActorRedirect.old_slug).where(
                or_(*(ActorRedirect.old_slug.like(p) for p in patterns))
            )
        )
    )
    return taken


def _next_slug(base: str, taken: set[str]) -> str:
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def unique_slug(session: Session, name: str) -> str:
    base = slugify(name) or "actor"
    return _next_slug(base, _taken_slugs(session, [base]))


def _alias_rows(
    actor_id: int, aliases: Iterable[str], curated: Iterable[str] = ()
) -> list[dict[str, object]]:
    """Alias rows for the proper names among aliases, and for every curated name: a gazetteer
    entry such as "Belarusian armed forces" must be found by its own name."""
    chosen = set(curated)
    rows = []
    for alias in [*aliases, *chosen]:
        normalised = normalise_alias(alias)
        if normalised and (alias in chosen or is_proper_name(alias)):
            rows.append(
                {"actor_id": actor_id, "alias": alias[:300], "normalised": normalised[:300]}
            )
    return rows


_INSERT_ALIASES = text(
    "INSERT INTO actor_aliases (actor_id, alias, normalised) "
    "SELECT * FROM unnest(CAST(:actors AS integer[]), CAST(:aliases AS varchar[]), "
    "CAST(:normalised AS varchar[])) ON CONFLICT DO NOTHING"
)


def _insert_aliases(session: Session, rows: list[dict[str, object]]) -> None:
    # Three array parameters in one statement: building a multi-row VALUES for an article's
    # few hundred aliases cost more than running it.
    if rows:
        session.execute(
            _INSERT_ALIASES,
            {
                "actors": [row["actor_id"] for row in rows],
                "aliases": [row["alias"] for row in rows],
                "normalised": [row["normalised"] for row in rows],
            },
        )


def add_aliases(session: Session, actor: Actor, aliases: Iterable[str]) -> None:
    _insert_aliases(session, _alias_rows(actor.id, aliases))


def _candidates(session: Session, keys: set[str]) -> dict[str, list[Actor]]:
    """Stored actors by each of their normalised aliases, for the keys asked."""
    found: dict[str, list[Actor]] = defaultdict(list)
    if not keys:
        return found
    rows = session.execute(
        select(ActorAlias.normalised, Actor)
        .join(Actor, Actor.id == ActorAlias.actor_id)
        .where(ActorAlias.normalised.in_(keys))
    )
    for normalised, actor in rows:
        if actor not in found[normalised]:
            found[normalised].append(actor)
    return found


def _match(ref: ActorRef, found: dict[str, list[Actor]]) -> Actor | None:
    """The stored actor this article's actor is, when the evidence is unambiguous."""
    key = normalise_alias(_canonical(ref))
    if not key:
        return None
    candidates = found.get(key, [])
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        exact = [actor for actor in candidates if normalise_alias(actor.name) == key]
        return exact[0] if len(exact) == 1 else None
    # "Oleksii Reznikov" is the "Oleksiy Reznikov" of an earlier article: the same name in
    # another romanisation (stored under its folded form, see variant_key).
    variant = _variant(ref)
    if variant is not None:
        spelt = [actor for actor in found.get(variant, []) if actor.kind == ref.kind]
        if len(spelt) == 1:
            return spelt[0]
    tokens = key.split()
    if ref.kind == "person" and len(tokens) > 1:
        # "Vladimir Putin" may be the actor an earlier article knew only as "Putin"; but
        # never merge two people who share a surname: the stored one must have no other name.
        by_surname = [
            actor
            for actor in found.get(tokens[-1], [])
            if len(normalise_alias(actor.name).split()) == 1 and actor.kind in ("person", "unknown")
        ]
        if len(by_surname) == 1:
            return by_surname[0]
    return None


def _improve(actor: Actor, ref: ActorRef) -> None:
    """What this article tells about a known actor: a kind, a role, a fuller name."""
    if actor.kind == "unknown" and ref.kind != "unknown":
        actor.kind = ref.kind
    if actor.role is None and ref.role:
        actor.role = ref.role
    if actor.name_fixed:
        return  # the gazetteer or an editor named it
    grows = len(ref.name) > len(actor.name) and ref.kind == "person"
    # The fullest form wins: "Putin" becomes "Vladimir V. Putin" once seen in full.
    if (
        grows
        and ref.gazetteer_name is None
        and normalise_alias(ref.name).endswith(normalise_alias(actor.name))
    ):
        actor.name = ref.name


def lock_actors(session: Session) -> None:
    """Serialise actor creation until the transaction ends.

    Two writers naming the same new actor at once would otherwise both create it (or both pick
    the same slug); the lock is held only for the end of one article's short write.
    """
    session.execute(select(func.pg_advisory_xact_lock(ACTOR_LOCK_KEY)))


def resolve_actors(session: Session, refs: Sequence[ActorRef]) -> dict[str, Actor]:
    """Find or create the canonical actor of each of one article's actors, by ref key."""
    if not refs:
        return {}
    lock_actors(session)
    keys: set[str] = set()
    for ref in refs:
        key = normalise_alias(_canonical(ref))
        if key:
            keys.add(key)
            keys.add(key.split()[-1])
        variant = _variant(ref)
        if variant is not None:
            keys.add(variant)
    found = _candidates(session, keys)

    resolved: dict[str, Actor] = {}
    new: list[tuple[ActorRef, Actor]] = []
    for ref in refs:
        actor = _match(ref, found)
        if actor is None:
            name = _canonical(ref)
            actor = Actor(name=name, slug="", kind=ref.kind, role=ref.role, country=ref.country)
            new.append((ref, actor))
            # Later refs of this article with the same name are the same new actor.
            key = normalise_alias(name)
            if key:
                found[key] = [actor]
        else:
            _improve(actor, ref)
        resolved[ref.key] = actor

    created = [actor for _, actor in new]
    if created:
        bases = {actor: slugify(actor.name) or "actor" for actor in created}
        taken = _taken_slugs(session, bases.values())
        for actor in created:
            actor.slug = _next_slug(bases[actor], taken)
        session.add_all(created)
    session.flush()

    rows: list[dict[str, object]] = []
    for ref in refs:
        curated = [ref.gazetteer_name] if ref.gazetteer_name else []
        if _unnamed_source(ref):
            curated.append(ref.name)
        actor_id = resolved[ref.key].id
        rows += _alias_rows(actor_id, [ref.name, *ref.aliases], curated)
        variant = _variant(ref)
        if variant is not None and variant != normalise_alias(_canonical(ref)):
            rows.append(
                {"actor_id": actor_id, "alias": _canonical(ref)[:300], "normalised": variant}
            )
    _insert_aliases(session, rows)
    return resolved


def _variant(ref: ActorRef) -> str | None:
    """The folded form under which a person's or organisation's spellings meet."""
    if ref.kind not in ("person", "organization", "government"):
        return None
    key = variant_key(_canonical(ref))
    # Short words fold together too easily ("Tim Kaine" and "Tom Kane"): only long ones.
    if not key or any(len(word) < 4 for word in key.split()):
        return None
    return f"~{key}"[:300]  # "~": never equal to a normalised alias


def _unnamed_source(ref: ActorRef) -> bool:
    """ "Russian milblogger", "Ukrainian officials": an unnamed source of a kind, one actor
    across articles (found again by that description)."""
    words = ref.name.split()
    return (
        ref.kind == "group"
        and 2 <= len(words) <= 3
        and words[0][:1].isupper()
        and all(word.islower() for word in words[1:])
    )


def resolve_actor(session: Session, ref: ActorRef) -> Actor:
    return resolve_actors(session, [ref])[ref.key]


def load_gazetteer_actors(session: Session, gazetteer: Gazetteer) -> int:
    """Store the curated actors (idempotent); returns how many were new."""
    lock_actors(session)
    slugs = {slugify(entry.name): entry for entry in gazetteer.entries}
    stored = {
        actor.slug: actor for actor in session.scalars(select(Actor).where(Actor.slug.in_(slugs)))
    }
    created = 0
    for slug, entry in slugs.items():
        if slug not in stored:
            stored[slug] = Actor(
                name=entry.name, slug=slug, kind=entry.kind, role=entry.role, country=entry.country
            )
            session.add(stored[slug])
            created += 1
        # A curated actor is called by its curated name, whatever an earlier ingest made of it.
        stored[slug].name = entry.name
        stored[slug].name_fixed = True
    session.flush()
    rows: list[dict[str, object]] = []
    for slug, entry in slugs.items():
        rows += _alias_rows(stored[slug].id, [], [entry.name, *entry.aliases])
    _insert_aliases(session, rows)
    return created
