"""Human corrections: confirm, reject or correct statements, merge actors, add aliases — audited."""

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.actors.service import lock_actors, unique_slug
from app.extract import normalise_alias
from app.models.accounts import User
from app.models.actors import ACTOR_KINDS, Actor, ActorAlias, Mention
from app.models.review import ActorRedirect, AuditEntry
from app.models.statements import CUE_CLASSES, STATEMENT_KINDS, Statement


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


def add_alias(session: Session, actor: Actor, alias: str, user: User) -> None:
    alias = " ".join(alias.split())
    normalised = normalise_alias(alias)
    if not normalised or len(alias) > 300:
        raise ReviewError("an alias must be a name of 1 to 300 characters")
    lock_actors(session)  # two editors adding the same alias at once: one adds it
    owners = session.scalars(
        select(ActorAlias.actor_id).where(ActorAlias.normalised == normalised)
    ).all()
    if actor.id in owners:
        raise ReviewError(f"{actor.name} already has the alias {alias!r}")
    session.add(ActorAlias(actor_id=actor.id, alias=alias, normalised=normalised))
    session.flush()
    record(session, user, "actor", actor.id, "add_alias", None, {"alias": alias})


def merge(session: Session, duplicate: Actor, kept: Actor, user: User) -> None:
    """Move everything of `duplicate` onto `kept`; the duplicate's slug redirects there."""
    if duplicate.id == kept.id:
        raise ReviewError("an actor cannot be merged into itself")
    lock_actors(session)
    before = {"id": duplicate.id, "name": duplicate.name, "slug": duplicate.slug}
    moved = len(
        session.execute(
            update(Statement)
            .where(Statement.speaker_id == duplicate.id)
            .values(speaker_id=kept.id)
            .returning(Statement.id)
        ).all()
    )
    session.execute(
        update(Mention).where(Mention.actor_id == duplicate.id).values(actor_id=kept.id)
    )
    aliases = session.execute(
        select(ActorAlias.alias, ActorAlias.normalised).where(ActorAlias.actor_id == duplicate.id)
    ).all()
    if aliases:
        rows = [
            {"actor_id": kept.id, "alias": a.alias, "normalised": a.normalised} for a in aliases
        ]
        session.execute(insert(ActorAlias).values(rows).on_conflict_do_nothing())
    session.execute(
        update(ActorRedirect).where(ActorRedirect.actor_id == duplicate.id).values(actor_id=kept.id)
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
    after = {"into": kept.id, "name": kept.name, "slug": kept.slug, "statements_moved": moved}
    record(session, user, "actor", kept.id, "merge", before, after)


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
