"""Human corrections: confirm, reject or correct statements, merge actors, add aliases — audited."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, literal, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.actors import queries as actor_queries
from app.actors.service import lock_actors, unique_slug
from app.extract import normalise_alias
from app.models.accounts import User
from app.models.actors import ACTOR_KINDS, Actor, ActorAlias, Mention
from app.models.review import ActorRedirect, AuditEntry, ReviewBatch
from app.models.statements import (
    CLAIM_TYPES,
    CUE_CLASSES,
    STATEMENT_KINDS,
    UNREVIEWED,
    Statement,
)
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
    *,
    batch: ReviewBatch | None = None,
    reason: str | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        user_id=user.id if user else None,
        user_email=user.email if user else None,
        entity=entity,
        entity_id=entity_id,
        action=action,
        before=before,
        after=after,
        batch_id=batch.id if batch else None,
        reason=reason,
    )
    session.add(entry)
    return entry


# What an editor's decision may change on a statement, and so what Undo puts back.
DECIDED_FIELDS = ("review_status", "speaker_id", "kind", "cue", "cue_class", "type", "start", "end")
MAX_REASON = 1000


def statement_state(session: Session, statement: Statement) -> dict[str, Any]:
    """A statement as the audit log keeps it: enough to show the change and to undo it."""
    speaker = session.get(Actor, statement.speaker_id) if statement.speaker_id else None
    return {
        "speaker_id": statement.speaker_id,
        "speaker": speaker.name if speaker else None,
        "kind": statement.kind,
        "cue": statement.cue,
        "cue_class": statement.cue_class,
        "type": statement.type,
        "start": statement.start,
        "end": statement.end,
        "content": statement.content,
        "review_status": statement.review_status,
        "reviewed_by_id": statement.reviewed_by_id,
        "reviewed_at": statement.reviewed_at.isoformat() if statement.reviewed_at else None,
    }


def _decided(state: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(state.get(field) for field in DECIDED_FIELDS)


def _new_batch(session: Session, user: User, action: str, reason: str | None = None) -> ReviewBatch:
    batch = ReviewBatch(user_id=user.id, action=action, reason=reason)
    session.add(batch)
    session.flush()
    return batch


def _clean_reason(reason: str | None) -> str | None:
    reason = " ".join((reason or "").split())
    if len(reason) > MAX_REASON:
        raise ReviewError(f"a reason must have at most {MAX_REASON} characters")
    return reason or None


def _mark_reviewed(statement: Statement, user: User, status: str, now: datetime) -> None:
    statement.review_status = status
    statement.reviewed_by_id = user.id
    statement.reviewed_at = now


def _now(session: Session) -> datetime:
    """The transaction's time, as the database's now() gives it."""
    now = session.scalar(select(func.now()))
    assert now is not None
    return now


def _load_actors(session: Session, actor_ids: Iterable[int | None]) -> list[Actor]:
    """Put these actors in the session at once, so audit states name them without a query
    each. The caller keeps the list while it works: the session holds its objects weakly."""
    wanted = {actor_id for actor_id in actor_ids if actor_id is not None}
    if not wanted:
        return []
    return list(session.scalars(select(Actor).where(Actor.id.in_(wanted))))


@dataclass
class Decision:
    """What one decision did: its batch (None when nothing changed) and the claims it changed."""

    batch: ReviewBatch | None
    changed: list[int] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)

    @property
    def summary(self) -> str:
        if self.batch is None:
            return "Nothing changed: the claims were already so."
        count = len(self.changed)
        noun = "claim" if count == 1 else "claims"
        done = {
            "confirm": "Confirmed",
            "reject": "Rejected",
            "restore": "Restored",
            "reassign": "Gave a new speaker to",
            "reject_article": "Rejected",
            "correct": "Corrected",
        }.get(self.batch.action, self.batch.action)
        return f"{done} {count} {noun}."


# action -> the review status it leaves
DECISIONS = {
    "confirm": "confirmed",
    "reject": "rejected",
    "restore": "confirmed",
    "reassign": "corrected",
}


def decide(
    session: Session,
    user: User,
    statement_ids: Sequence[int],
    action: str,
    *,
    reason: str | None = None,
    speaker: Actor | None = None,
) -> Decision:
    """One decision on a selection of claims, audited as one batch (what Undo takes back).

    Claims already in the state asked for are left alone, so sending it twice changes nothing.
    """
    if action not in DECISIONS:
        raise ReviewError(f"action must be one of {', '.join(DECISIONS)}")
    if action == "reassign" and speaker is None:
        raise ReviewError("name the speaker to give the selected claims")
    ids = sorted(set(statement_ids))
    if not ids:
        raise ReviewError("select at least one claim")
    reason = _clean_reason(reason) if action == "reject" else None
    lock_actors(session)  # moving or rejecting claims changes actors' counts
    statements = session.scalars(
        select(Statement).where(Statement.id.in_(ids)).order_by(Statement.id).with_for_update()
    ).all()
    found = {statement.id for statement in statements}
    outcome = Decision(None, missing=[i for i in ids if i not in found])
    batch = _new_batch(session, user, action, reason)
    status = DECISIONS[action]
    changing = [
        statement
        for statement in statements
        if statement.review_status != status
        or (speaker is not None and statement.speaker_id != speaker.id)
    ]
    if not changing:
        session.delete(batch)
        session.flush()
        return outcome
    speakers = _load_actors(session, [statement.speaker_id for statement in changing])
    now = _now(session)
    decided: dict[str, Any] = {
        "review_status": status,
        "reviewed_by_id": user.id,
        "reviewed_at": now.isoformat(),
    }
    if speaker is not None:
        decided |= {"speaker_id": speaker.id, "speaker": speaker.name}
    rows = []
    for statement in changing:
        before = statement_state(session, statement)
        entry = {"entity": "statement", "entity_id": statement.id, "action": action}
        rows.append({**entry, "before": before, "after": {**before, **decided}})
    del speakers
    # One UPDATE for the whole selection (the rows are locked above) and one INSERT for its
    # audit entries: a thousand claims are one round trip each, not a thousand.
    changed_ids = [statement.id for statement in changing]
    values: dict[str, Any] = {
        "review_status": status,
        "reviewed_by_id": user.id,
        "reviewed_at": now,
    }
    if speaker is not None:
        values["speaker_id"] = speaker.id
    session.execute(
        update(Statement).where(Statement.id.in_(changed_ids)).values(**values),
        execution_options={"synchronize_session": False},
    )
    for statement in changing:
        session.expire(statement)
    who = {"user_id": user.id, "user_email": user.email, "batch_id": batch.id, "reason": reason}
    session.execute(insert(AuditEntry), [{**row, **who} for row in rows])
    outcome.changed = changed_ids
    outcome.batch = batch
    return outcome


def machine_claims(session: Session, article_id: int) -> list[int]:
    """The article's statements no person has decided on."""
    query = select(Statement.id).where(
        Statement.article_id == article_id, Statement.review_status == UNREVIEWED
    )
    return list(session.scalars(query))


def reject_article(
    session: Session, user: User, article_id: int, reason: str | None = None
) -> Decision:
    """Reject every machine claim of one article (those a person decided on stay)."""
    ids = machine_claims(session, article_id)
    if not ids:
        raise ReviewError(f"article {article_id} has no machine claims left to reject")
    outcome = decide(session, user, ids, "reject", reason=reason)
    if outcome.batch is not None:
        outcome.batch.action = "reject_article"
    return outcome


def confirm(session: Session, statement: Statement, user: User) -> Decision:
    return decide(session, user, [statement.id], "confirm")


def reject(
    session: Session, statement: Statement, user: User, reason: str | None = None
) -> Decision:
    return decide(session, user, [statement.id], "reject", reason=reason)


def restore(session: Session, statement: Statement, user: User) -> Decision:
    """Undo a rejection: the statement counts again, as confirmed by this person."""
    return decide(session, user, [statement.id], "restore")


class NotYours(ReviewError):
    """An editor may undo only their own decisions."""


@dataclass
class Undo:
    """What an Undo did: the decision taken back, the claims restored, and those left as they
    are because someone changed them since (or they are gone)."""

    undone: ReviewBatch
    batch: ReviewBatch | None
    restored: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    already: bool = False

    @property
    def summary(self) -> str:
        if self.already:
            return "That decision was already undone; nothing changed."
        count = len(self.restored)
        text = f"Undone: {count} {'claim is' if count == 1 else 'claims are'} as before."
        if self.skipped:
            text += (
                f" {len(self.skipped)} changed since (or deleted) and were left as they are:"
                f" {', '.join(map(str, self.skipped))}."
            )
        return text


def undo(session: Session, user: User, batch_id: int) -> Undo:
    """Put the claims of one of this editor's decisions back exactly as they were before it.

    The undo is itself a batch in the audit log. A claim changed since by anyone is left as it
    is; undoing twice changes nothing.
    """
    lock_actors(session)
    batch = session.get(ReviewBatch, batch_id, with_for_update=True)
    if batch is None:
        raise ReviewError(f"there is no decision {batch_id}")
    if batch.user_id != user.id:
        raise NotYours("you can undo only your own decisions")
    if batch.undo_of_id is not None:
        raise ReviewError("an undo cannot itself be undone: make the decision again instead")
    if batch.undone_at is not None:
        return Undo(batch, None, already=True)
    entries = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.batch_id == batch.id, AuditEntry.entity == "statement")
        .order_by(AuditEntry.entity_id)
    ).all()
    new_batch = ReviewBatch(user_id=user.id, action="undo", undo_of_id=batch.id)
    session.add(new_batch)
    session.flush()
    outcome = Undo(batch, new_batch)
    statements = {
        statement.id: statement
        for statement in session.scalars(
            select(Statement)
            .where(Statement.id.in_([entry.entity_id for entry in entries]))
            .order_by(Statement.id)
            .with_for_update()
        )
    }
    speakers = _load_actors(
        session,
        [s.speaker_id for s in statements.values()]
        + [(entry.before or {}).get("speaker_id") for entry in entries],
    )
    with session.no_autoflush:
        restored, audit = _put_back_all(session, entries, statements, outcome)
    del speakers
    if restored:
        # Row by row values, sent as one executemany each: the rows are locked above.
        session.execute(update(Statement), restored)
        who = {"user_id": user.id, "user_email": user.email, "batch_id": new_batch.id}
        session.execute(insert(AuditEntry), [{**row, **who} for row in audit])
    for statement in statements.values():
        session.expire(statement)
    batch.undone_at = _now(session)
    session.flush()
    return outcome


def _put_back_all(
    session: Session,
    entries: Sequence[AuditEntry],
    statements: dict[int, Statement],
    outcome: Undo,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The statements' values before the decision, and the undo's audit entries."""
    restored: list[dict[str, Any]] = []
    audit: list[dict[str, Any]] = []
    for entry in entries:
        statement = statements.get(entry.entity_id)
        if statement is None or entry.before is None or entry.after is None:
            outcome.skipped.append(entry.entity_id)
            continue
        current = statement_state(session, statement)
        if _decided(current) != _decided(entry.after):
            outcome.skipped.append(statement.id)
            continue
        values = _values_before(session, statement, entry.before)
        after = statement_state(session, statement) | {
            name: values[name] for name in (*DECIDED_FIELDS, "content", "reviewed_by_id")
        }
        speaker = session.get(Actor, values["speaker_id"]) if values["speaker_id"] else None
        after["speaker"] = speaker.name if speaker else None
        after["reviewed_at"] = entry.before.get("reviewed_at")
        restored.append(values)
        audit.append(
            {
                "entity": "statement",
                "entity_id": statement.id,
                "action": "undo",
                "before": current,
                "after": after,
            }
        )
        outcome.restored.append(statement.id)
    return restored, audit


def _values_before(session: Session, statement: Statement, state: dict[str, Any]) -> dict[str, Any]:
    """The columns that put a statement back in a state the audit log kept."""
    speaker_id = state.get("speaker_id")
    if speaker_id is not None and session.get(Actor, speaker_id) is None:
        speaker_id = statement.speaker_id  # that actor is gone (merged): keep today's
    values = {name: state[name] for name in DECIDED_FIELDS}
    values["speaker_id"] = speaker_id
    values["id"] = statement.id
    if (values["start"], values["end"]) != (statement.start, statement.end):
        values["content"] = statement.article.body[values["start"] : values["end"]]
    else:
        values["content"] = statement.content
    values["reviewed_by_id"] = state.get("reviewed_by_id")
    reviewed_at = state.get("reviewed_at")
    values["reviewed_at"] = datetime.fromisoformat(reviewed_at) if reviewed_at else None
    return values


def recent_batches(session: Session, user: User, limit: int = 5) -> list[ReviewBatch]:
    """This editor's latest decisions that can still be undone, newest first."""
    query = (
        select(ReviewBatch)
        .where(
            ReviewBatch.user_id == user.id,
            ReviewBatch.undone_at.is_(None),
            ReviewBatch.undo_of_id.is_(None),
        )
        .order_by(ReviewBatch.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def batch_size(session: Session, batch: ReviewBatch) -> int:
    query = select(func.count()).select_from(AuditEntry).where(AuditEntry.batch_id == batch.id)
    return session.scalar(query) or 0


# --- speakers by name -------------------------------------------------------------------------


class SpeakerChoice(ReviewError):
    """The typed speaker names no single actor: the candidates to choose from."""

    def __init__(self, message: str, candidates: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.candidates = candidates


def resolve_speaker(session: Session, typed: str) -> Actor:
    """The one actor whose name or alias is the typed text (normalised), else SpeakerChoice."""
    typed = " ".join(typed.split())
    if not typed:
        raise ReviewError("type the speaker's name")
    matches = actor_queries.by_name(session, typed)
    if len(matches) == 1:
        return matches[0]
    if matches:
        candidates = [actor_queries.actor_choice(actor) for actor in matches]
        raise SpeakerChoice(f"several actors go by {typed!r}: choose one", candidates)
    alike = actor_queries.suggest(session, typed, limit=8)
    hint = "check the spelling, or choose one of these" if alike else "check the spelling"
    raise SpeakerChoice(f"no actor is called {typed!r}: {hint}", alike)


def speaker_by_choice(session: Session, speaker_id: int | None, typed: str) -> Actor:
    """The actor picked from the list (when it still answers to the typed text), else by name."""
    if speaker_id is not None:
        actor = session.get(Actor, speaker_id)
        if actor is not None and actor_queries.answers_to(session, actor, typed):
            return actor
    return resolve_speaker(session, typed)


def new_actor(session: Session, name: str, kind: str, *, confirmed: bool = True) -> Actor:
    """A new actor by this name; unless confirmed, refused with the near-duplicates if any."""
    name = " ".join(name.split())
    if not name or len(name) > 300:
        raise ReviewError("the new speaker's name must have 1 to 300 characters")
    if kind not in ACTOR_KINDS:
        raise ReviewError(f"kind must be one of {', '.join(ACTOR_KINDS)}")
    lock_actors(session)
    if not confirmed:
        near = actor_queries.near_duplicates(session, name)
        if near:
            names = " or ".join(candidate["name"] for candidate in near[:3])
            raise SpeakerChoice(
                f"did you mean {names}? Choose one, or confirm that {name!r} is a new actor",
                near,
            )
    actor = Actor(name=name, slug=unique_slug(session, name), kind=kind, name_fixed=True)
    session.add(actor)
    session.flush()
    session.execute(
        insert(ActorAlias)
        .values(actor_id=actor.id, alias=name, normalised=normalise_alias(name) or name.lower())
        .on_conflict_do_nothing()
    )
    return actor


# --- correcting one claim ---------------------------------------------------------------------


def locate_span(statement: Statement, text: str) -> tuple[int, int]:
    """Where the editor's text stands in the claim's sentence (the occurrence nearest the old
    span), as offsets into the article body."""
    text = text.strip()
    body = statement.article.body
    sentence = body[statement.sentence_start : statement.sentence_end]
    if not text:
        raise ReviewError("the claim's words cannot be empty")
    places = [i for i in range(len(sentence)) if sentence.startswith(text, i)]
    if not places:
        raise ReviewError(
            "the claim's words must be part of its sentence, exactly as written there"
            f" (“{sentence.strip()}”)"
        )
    offset = min(places, key=lambda i: abs(statement.sentence_start + i - statement.start))
    start = statement.sentence_start + offset
    return start, start + len(text)


def correct(
    session: Session,
    statement: Statement,
    user: User,
    *,
    speaker: Actor | None = None,
    kind: str | None = None,
    cue_class: str | None = None,
    claim_type: str | None = None,
    cue: str | None = None,
    span: tuple[int, int] | None = None,
) -> Decision:
    """Change what the editor changed; nothing changed means nothing stored and nothing logged.

    The statement is then a human decision ("corrected"), audited with before and after.
    """
    if kind is not None and kind not in STATEMENT_KINDS:
        raise ReviewError(f"kind must be one of {', '.join(STATEMENT_KINDS)}")
    if cue_class is not None and cue_class not in CUE_CLASSES:
        raise ReviewError(f"cue class must be one of {', '.join(CUE_CLASSES)}")
    if claim_type is not None and claim_type not in CLAIM_TYPES:
        raise ReviewError(f"type must be one of {', '.join(CLAIM_TYPES)}")
    body = statement.article.body
    sentence = body[statement.sentence_start : statement.sentence_end]
    if cue is not None:
        cue = " ".join(cue.split())
        if cue == statement.cue:
            cue = None
        elif not cue or len(cue) > 100:
            raise ReviewError("the cue must have 1 to 100 characters")
        elif cue not in sentence:
            raise ReviewError(f"the cue {cue!r} is not in the claim's sentence")
    if span is not None:
        start, end = span
        if not statement.sentence_start <= start < end <= statement.sentence_end:
            raise ReviewError("the claim's words must stay within its sentence")
    changes: dict[str, Any] = {
        "speaker_id": speaker.id if speaker is not None else None,
        "kind": kind,
        "cue_class": cue_class,
        "type": claim_type,
        "cue": cue,
    }
    if span is not None:
        changes["start"], changes["end"] = span
    changes = {
        name: value
        for name, value in changes.items()
        if value is not None and getattr(statement, name) != value
    }
    if not changes:
        return Decision(None)
    # Before any actor row is locked: moving a statement changes two actors' counts.
    lock_actors(session)
    before = statement_state(session, statement)
    for name, value in changes.items():
        setattr(statement, name, value)
    statement.content = body[statement.start : statement.end]
    _mark_reviewed(statement, user, "corrected", _now(session))
    session.flush()
    batch = _new_batch(session, user, "correct")
    after = statement_state(session, statement)
    record(session, user, "statement", statement.id, "correct", before, after, batch=batch)
    return Decision(batch, changed=[statement.id])


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
    for column, merged_value in after["kept_after"].items():
        if getattr(kept, column) == merged_value:
            setattr(kept, column, after["kept_before"][column])
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
