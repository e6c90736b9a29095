"""Human corrections: confirm, reject or correct statements, merge actors, add aliases — audited."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, literal, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.actors.service import lock_actors, unique_slug
from app.extract import normalise_alias
from app.models.accounts import User
from app.models.actors import ACTOR_KINDS, Actor, ActorAlias, Mention
from app.models.review import ActorRedirect, AuditEntry
from app.models.statements import CUE_CLASSES, STATEMENT_KINDS, Statement
from app.models.topics import TopicActor, TopicRow


class ReviewError(ValueError):
    """A correction that cannot be made, said in words."""


def record(
    session: Session,
    user: User | None,
    entity: str,
    entity_id: int,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditEntry:
    entry = AuditEntry(
        user_id=user.id if user else None,
        user_email=user.email if user else None,
        entity=entity,
        entity_id=entity_id,
        action=action,
        before=before,
        after=after,
    )
    session.add(entry)
    return entry


def statement_state(session: Session, statement: Statement) -> dict[str, Any]:
    speaker = session.get(Actor, statement.speaker_id) if statement.speaker_id else None
    return {
        "speaker_id": statement.speaker_id,
        "speaker": speaker.name if speaker else None,
        "kind": statement.kind,
        "cue_class": statement.cue_class,
        "review_status": statement.review_status,
    }


def _decide(session: Session, statement: Statement, user: User, status: str, action: str) -> None:
    before = statement_state(session, statement)
    statement.review_status = status
    statement.reviewed_by_id = user.id
    statement.reviewed_at = func.now()
    session.flush()
    record(
        session,
        user,
        "statement",
        statement.id,
        action,
        before,
        statement_state(session, statement),
    )


def confirm(session: Session, statement: Statement, user: User) -> None:
    _decide(session, statement, user, "confirmed", "confirm")


def reject(session: Session, statement: Statement, user: User) -> None:
    _decide(session, statement, user, "rejected", "reject")


def restore(session: Session, statement: Statement, user: User) -> None:
    """Undo a rejection: the statement counts again, as confirmed by this person."""
    _decide(session, statement, user, "confirmed", "restore")


def new_actor(session: Session, name: str, kind: str) -> Actor:
    name = " ".join(name.split())
    if not name or len(name) > 300:
        raise ReviewError("the new speaker's name must have 1 to 300 characters")
    if kind not in ACTOR_KINDS:
        raise ReviewError(f"kind must be one of {', '.join(ACTOR_KINDS)}")
    lock_actors(session)
    actor = Actor(name=name, slug=unique_slug(session, name), kind=kind, name_fixed=True)
    session.add(actor)
    session.flush()
    session.execute(
        insert(ActorAlias)
        .values(actor_id=actor.id, alias=name, normalised=normalise_alias(name) or name.lower())
        .on_conflict_do_nothing()
    )
    return actor


def correct(
    session: Session,
    statement: Statement,
    user: User,
    *,
    speaker: Actor | None = None,
    kind: str | None = None,
    cue_class: str | None = None,
) -> None:
    """Change the speaker, kind or cue class; the statement is then a human decision."""
    if kind is not None and kind not in STATEMENT_KINDS:
        raise ReviewError(f"kind must be one of {', '.join(STATEMENT_KINDS)}")
    if cue_class is not None and cue_class not in CUE_CLASSES:
        raise ReviewError(f"cue class must be one of {', '.join(CUE_CLASSES)}")
    # Before any actor row is locked: moving a statement changes two actors' counts.
    lock_actors(session)
    before = statement_state(session, statement)
    if speaker is not None:
        statement.speaker_id = speaker.id
    if kind is not None:
        statement.kind = kind
    if cue_class is not None:
        statement.cue_class = cue_class
    statement.review_status = "corrected"
    statement.reviewed_by_id = user.id
    statement.reviewed_at = func.now()
    session.flush()
    after = statement_state(session, statement)
    record(session, user, "statement", statement.id, "correct", before, after)


def add_alias(
    session: Session, actor: Actor, alias: str, user: User, *, confirm: bool = False
) -> None:
    """Add a name `actor` goes by. A name another actor already goes by is refused unless the
    editor confirmed it (AliasConflict names the other actors)."""
    alias = " ".join(alias.split())
    normalised = normalise_alias(alias)
    if not normalised or len(alias) > 300:
        raise ReviewError("an alias must be a name of 1 to 300 characters")
    lock_actors(session)  # two editors adding the same alias at once: one adds it
    owners = list(
        session.scalars(
            select(Actor)
            .join(ActorAlias, ActorAlias.actor_id == Actor.id)
            .where(ActorAlias.normalised == normalised)
            .order_by(Actor.statement_count.desc(), Actor.id)
        ).unique()
    )
    if actor in owners:
        raise ReviewError(f"{actor.name} already has the alias {alias!r}")
    if owners and not confirm:
        raise AliasConflict(alias, actor, owners)
    session.add(ActorAlias(actor_id=actor.id, alias=alias, normalised=normalised))
    session.flush()
    after: dict[str, Any] = {"alias": alias}
    if owners:
        after["shared_with"] = [{"id": owner.id, "name": owner.name} for owner in owners]
    record(session, user, "actor", actor.id, "add_alias", None, after)


def merge(session: Session, duplicate: Actor, kept: Actor, user: User) -> AuditEntry:
    """Move everything of `duplicate` onto `kept`; the duplicate's slug redirects there.

    The audit entry keeps exactly what moved (statement, mention, alias and topic rows, the
    duplicate's whole row, what changed on `kept`), so that undo_merge can put it all back.
    """
    if duplicate.id == kept.id:
        raise ReviewError("an actor cannot be merged into itself")
    lock_actors(session)
    # Another editor may have merged either of them while this one looked at the preview.
    present = set(session.scalars(select(Actor.id).where(Actor.id.in_([duplicate.id, kept.id]))))
    for actor in (duplicate, kept):
        if actor.id not in present:
            raise ReviewError(f"{actor.name} was merged or removed meanwhile: nothing was changed")
    before = actor_row(duplicate)
    kept_before = {"role": kept.role, "kind": kept.kind, "name_fixed": kept.name_fixed}
    statement_ids = session.scalars(
        update(Statement)
        .where(Statement.speaker_id == duplicate.id)
        .values(speaker_id=kept.id)
        .returning(Statement.id)
    ).all()
    mention_ids = session.scalars(
        update(Mention)
        .where(Mention.actor_id == duplicate.id)
        .values(actor_id=kept.id)
        .returning(Mention.id)
    ).all()
    aliases = session.execute(
        select(ActorAlias.id, ActorAlias.alias, ActorAlias.normalised)
        .where(ActorAlias.actor_id == duplicate.id)
        .order_by(ActorAlias.id)
    ).all()
    added_alias_ids: list[int] = []
    if aliases:
        rows = [
            {"actor_id": kept.id, "alias": a.alias, "normalised": a.normalised} for a in aliases
        ]
        added_alias_ids = list(
            session.scalars(
                insert(ActorAlias).values(rows).on_conflict_do_nothing().returning(ActorAlias.id)
            )
        )
    topic_ids = list(
        session.scalars(select(TopicActor.topic_id).where(TopicActor.actor_id == duplicate.id))
    )
    added_topic_ids: list[int] = []
    if topic_ids:
        added_topic_ids = list(
            session.scalars(
                insert(TopicActor)
                .values([{"topic_id": t, "actor_id": kept.id} for t in topic_ids])
                .on_conflict_do_nothing()
                .returning(TopicActor.topic_id)
            )
        )
    redirected = list(
        session.scalars(
            update(ActorRedirect)
            .where(ActorRedirect.actor_id == duplicate.id)
            .values(actor_id=kept.id)
            .returning(ActorRedirect.old_slug)
        )
    )
    session.add(ActorRedirect(old_slug=duplicate.slug, actor_id=kept.id))
    if kept.role is None and duplicate.role:
        kept.role = duplicate.role
    if kept.kind == "unknown":
        kept.kind = duplicate.kind
    kept.name_fixed = True  # an editor chose this actor, by this name
    session.flush()
    session.delete(duplicate)
    session.flush()
    after = {
        "into": kept.id,
        "name": kept.name,
        "slug": kept.slug,
        "statements_moved": len(statement_ids),
        "statement_ids": sorted(statement_ids),
        "mention_ids": sorted(mention_ids),
        "aliases": [{"id": a.id, "alias": a.alias, "normalised": a.normalised} for a in aliases],
        "alias_ids_added": sorted(added_alias_ids),
        "topic_ids": sorted(topic_ids),
        "topic_ids_added": sorted(added_topic_ids),
        "redirects": sorted(redirected),
        "kept_before": kept_before,
        "kept_after": {"role": kept.role, "kind": kept.kind, "name_fixed": kept.name_fixed},
    }
    return record(session, user, "actor", kept.id, "merge", before, after)


def history(session: Session, entity: str, entity_id: int) -> list[AuditEntry]:
    query = (
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    return list(session.scalars(query))


def redirect_for(session: Session, slug: str) -> str | None:
    """Where an old slug of a merged actor leads now."""
    query = (
        select(Actor.slug)
        .join(ActorRedirect, ActorRedirect.actor_id == Actor.id)
        .where(ActorRedirect.old_slug == slug)
    )
    return session.scalar(query)


# --- merge preview and undo, alias conflicts ---------------------------------------------------


class AliasConflict(ReviewError):
    """The alias is already a name of other actors: adding it needs the editor's confirmation."""

    def __init__(self, alias: str, actor: Actor, owners: list[Actor]) -> None:
        self.alias = alias
        self.owners = owners
        names = " and ".join(owner.name for owner in owners[:3])
        more = f" and {len(owners) - 3} more" if len(owners) > 3 else ""
        super().__init__(
            f"{alias!r} already belongs to {names}{more} — add it to {actor.name} too?"
        )


def actor_row(actor: Actor) -> dict[str, Any]:
    """An actor's whole row, as the audit log keeps it (enough to recreate it)."""
    return {
        "id": actor.id,
        "name": actor.name,
        "slug": actor.slug,
        "kind": actor.kind,
        "role": actor.role,
        "country": actor.country,
        "name_fixed": actor.name_fixed,
        "statement_count": actor.statement_count,
        "created_at": actor.created_at.isoformat() if actor.created_at else None,
    }


@dataclass
class MergePreview:
    """What merging `duplicate` into `kept` would move, for the editor to confirm."""

    duplicate: Actor
    kept: Actor
    statements: int
    listed_statements: int
    mentions: int
    # The duplicate's names; those `kept` already goes by are not added twice.
    aliases: list[str]
    aliases_new: list[str]
    topics: int
    redirects: int


def merge_preview(session: Session, duplicate: Actor, kept: Actor) -> MergePreview:
    if duplicate.id == kept.id:
        raise ReviewError("an actor cannot be merged into itself")

    def count(query: Any) -> int:
        return session.scalar(select(func.count()).select_from(query.subquery())) or 0

    aliases = session.execute(
        select(ActorAlias.alias, ActorAlias.normalised)
        .where(ActorAlias.actor_id == duplicate.id, ~ActorAlias.normalised.startswith("~"))
        .order_by(ActorAlias.alias)
    ).all()
    kept_names = set(
        session.scalars(select(ActorAlias.normalised).where(ActorAlias.actor_id == kept.id))
    )
    return MergePreview(
        duplicate=duplicate,
        kept=kept,
        statements=count(select(Statement.id).where(Statement.speaker_id == duplicate.id)),
        listed_statements=duplicate.statement_count,
        mentions=count(select(Mention.id).where(Mention.actor_id == duplicate.id)),
        aliases=[a.alias for a in aliases],
        aliases_new=[a.alias for a in aliases if a.normalised not in kept_names],
        topics=count(select(TopicActor.topic_id).where(TopicActor.actor_id == duplicate.id)),
        redirects=count(
            select(ActorRedirect.old_slug).where(ActorRedirect.actor_id == duplicate.id)
        ),
    )


def _undoing(session: Session, entry: AuditEntry) -> AuditEntry | None:
    """The entry that undid this merge, if one did."""
    return session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "undo_merge",
            AuditEntry.entity == "actor",
            AuditEntry.entity_id == entry.entity_id,
            AuditEntry.after["undoes"].as_integer() == entry.id,
        )
    )


def merge_undo_problem(session: Session, entry: AuditEntry) -> str | None:
    """Why this merge cannot be undone now, in words; None when it can."""
    if entry.entity != "actor" or entry.action != "merge":
        raise ReviewError("only a merge can be undone here")
    after, before = entry.after or {}, entry.before or {}
    if "statement_ids" not in after:
        return "this merge was made before merges kept what they moved, so it cannot be undone"
    if _undoing(session, entry) is not None:
        return "this merge has already been undone"
    kept = session.get(Actor, after["into"])
    if kept is None:
        return (
            f"{after['name']} has itself been merged into another actor since; "
            "undo that merge first (on the actor it went into)"
        )
    taken = session.scalar(
        select(Actor.name).where((Actor.id == before["id"]) | (Actor.slug == before["slug"]))
    )
    if taken is not None:
        return f"the address /actors/{before['slug']} is in use again (by {taken})"
    elsewhere = session.scalar(
        select(func.count())
        .select_from(Statement)
        .where(Statement.id.in_(after["statement_ids"]), Statement.speaker_id != kept.id)
    )
    if elsewhere:
        return (
            f"{elsewhere} of the statements it moved have been given another speaker since; "
            "give them back to this actor first, or leave the merge"
        )
    return None


def undo_merge(session: Session, entry: AuditEntry, user: User) -> Actor:
    """Recreate the merged actor with its id and slug, and move back exactly what moved."""
    lock_actors(session)
    problem = merge_undo_problem(session, entry)
    if problem is not None:
        raise ReviewError(f"this merge cannot be undone: {problem}")
    before, after = entry.before or {}, entry.after or {}
    kept = session.get_one(Actor, after["into"])
    created_at = before.get("created_at")
    restored = Actor(
        id=before["id"],
        name=before["name"],
        slug=before["slug"],
        kind=before["kind"],
        role=before.get("role"),
        country=before.get("country"),
        name_fixed=before.get("name_fixed", False),
        statement_count=0,  # the count triggers add the statements as they move back
        **({"created_at": datetime.fromisoformat(created_at)} if created_at else {}),
    )
    session.add(restored)
    session.flush()
    session.execute(
        update(Statement)
        .where(Statement.id.in_(after["statement_ids"]), Statement.speaker_id == kept.id)
        .values(speaker_id=restored.id)
    )
    session.execute(
        update(Mention)
        .where(Mention.id.in_(after["mention_ids"]), Mention.actor_id == kept.id)
        .values(actor_id=restored.id)
    )
    session.execute(
        delete(ActorAlias).where(
            ActorAlias.id.in_(after["alias_ids_added"]), ActorAlias.actor_id == kept.id
        )
    )
    if after["aliases"]:
        rows = [{**alias, "actor_id": restored.id} for alias in after["aliases"]]
        session.execute(insert(ActorAlias).values(rows).on_conflict_do_nothing())
    session.execute(
        delete(TopicActor).where(
            TopicActor.topic_id.in_(after["topic_ids_added"]), TopicActor.actor_id == kept.id
        )
    )
    if after["topic_ids"]:
        existing = select(TopicRow.id, literal(restored.id)).where(
            TopicRow.id.in_(after["topic_ids"])
        )
        session.execute(
            insert(TopicActor)
            .from_select(["topic_id", "actor_id"], existing)
            .on_conflict_do_nothing()
        )
    session.execute(delete(ActorRedirect).where(ActorRedirect.old_slug == restored.slug))
    session.execute(
        update(ActorRedirect)
        .where(ActorRedirect.old_slug.in_(after["redirects"]), ActorRedirect.actor_id == kept.id)
        .values(actor_id=restored.id)
    )
    # What the merge changed on the kept actor goes back, unless someone changed it since.
    for field, merged_value in after["kept_after"].items():
        if getattr(kept, field) == merged_value:
            setattr(kept, field, after["kept_before"][field])
    session.flush()
    session.refresh(restored)
    undone = {"undoes": entry.id, "restored": actor_row(restored)}
    summary = {"merge": entry.id, "name": before["name"], "slug": before["slug"]}
    record(session, user, "actor", kept.id, "undo_merge", summary, undone)
    record(session, user, "actor", restored.id, "undo_merge", summary, undone)
    return restored


def merge_entry(session: Session, entry_id: int) -> AuditEntry | None:
    entry = session.get(AuditEntry, entry_id)
    if entry is None or entry.entity != "actor" or entry.action != "merge":
        return None
    return entry
