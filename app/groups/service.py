"""Claim groups kept as statements arrive: each joins the best matching group of its speaker or
starts one (an index lookup of its LSH bands, then a few candidates compared here); editors
split and merge groups (audited); `groups rebuild` regroups everything, keeping what editors
fixed."""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Text,
    any_,
    bindparam,
    cast,
    delete,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, BIGINT, INTEGER
from sqlalchemy.orm import Session, sessionmaker

from app.actors.service import lock_actors
from app.groups.normalise import ClaimKey, bands, claim_key, jaccard, trigrams
from app.groups.rules import note_grouped
from app.models.accounts import User
from app.models.groups import ClaimGroup
from app.models.statements import LISTED_SQL, SORT_KEY_SQL, Statement
from app.review.service import record

# The cost per statement stays bounded for a speaker with thousands of alike claims: at most
# PER_BAND groups read per band of the statement, and the MAX_COMPARED of them sharing most
# LSH bands compared in full.
PER_BAND = 8
MAX_COMPARED = 10
# `groups rebuild` recounts the groups it touched once per this many batches (and at the end),
# not after every batch: a group met in many batches is recounted a few times, not each time.
REFRESH_BATCHES = 10
# What is grouped: claims, beliefs and intentions. An attribution of type "other" has a noun
# phrase for content ("this claim", "offensive operations"): nothing to compare.
GROUPED_TYPES = ("statement", "belief", "intention")


class GroupError(ValueError):
    """A change to a group that cannot be made, said in words."""


@dataclass(frozen=True)
class Member:
    """What grouping reads of a statement."""

    id: int
    speaker_id: int | None
    content: str
    cue_class: str
    claim_type: str

    def claim(self) -> ClaimKey:
        return claim_key(self.content, self.speaker_id, self.cue_class, self.claim_type)


@dataclass
class _Candidate:
    group_id: int  # 0 for a group started in this call, until it is stored
    claim: ClaimKey


class ClaimCache:
    """The claims of stored groups already read, by group id, the most recently used kept
    (at most `size`): a group's claim never changes once it is stored, so `groups rebuild`
    reads and re-derives each candidate group once, not once per batch that meets it."""

    def __init__(self, size: int = 20_000) -> None:
        self.size = size
        self._claims: OrderedDict[int, ClaimKey] = OrderedDict()

    def get_many(self, group_ids: Iterable[int]) -> dict[int, ClaimKey]:
        found = {}
        for group_id in group_ids:
            claim = self._claims.get(group_id)
            if claim is not None:
                self._claims.move_to_end(group_id)
                found[group_id] = claim
        return found

    def put_many(self, claims: Mapping[int, ClaimKey]) -> None:
        self._claims.update(claims)
        for group_id in claims:
            self._claims.move_to_end(group_id)
        while len(self._claims) > self.size:
            self._claims.popitem(last=False)


def member_of(statement: Statement, member_id: int | None = None) -> Member:
    """What grouping reads of a statement, under its id or (not inserted yet) another."""
    return Member(
        statement.id if member_id is None else member_id,
        statement.speaker_id,
        statement.content,
        statement.cue_class,
        statement.type,
    )


# An index scan per band, PER_BAND groups at most (in the index's order, lowest id first): a
# band that many alike claims share (a template repeated with other places) cannot flood the
# batch. One row per band found, its groups as an array: far fewer rows than one per hit.
_BAND_LOOKUP = text(
    "SELECT wanted.band, found.groups FROM unnest(:bands) AS wanted(band) "
    "CROSS JOIN LATERAL (SELECT array(SELECT group_id FROM claim_group_bands "
    "WHERE claim_group_bands.band = wanted.band LIMIT :limit) AS groups) AS found "
    "WHERE cardinality(found.groups) > 0"
).bindparams(bindparam("bands", type_=ARRAY(BIGINT)))
_GROUPS_READ = text(
    "SELECT id, speaker_id, claim_type, key, polarity, signature, names "
    "FROM claim_groups WHERE id = ANY(:ids)"
).bindparams(bindparam("ids", type_=ARRAY(INTEGER)))


def _lookup(
    session: Session, member_bands: Sequence[list[int]], cache: ClaimCache | None = None
) -> tuple[dict[int, list[_Candidate]], dict[int, int]]:
    """band -> the stored groups with that band that a member may be compared with, for a
    batch's bands, and band -> how many stored groups the lookup found with it: btree lookups
    of the bands, then the groups not in the cache read once. A member's verbatim repeat (its
    whole-key band) is found (unless PER_BAND groups share that very key); other bands bring
    PER_BAND groups each at most, which bounds the cost for a speaker with very many alike
    claims."""
    wanted = sorted({band for group_bands in member_bands for band in group_bands})
    found_by_band: dict[int, list[int]] = dict(
        session.execute(_BAND_LOOKUP, {"bands": wanted, "limit": PER_BAND}).all()
    )
    if not found_by_band:
        return {}, {}
    # Only the MAX_COMPARED stored groups sharing most bands with a member are read: `assign`
    # compares no other (the groups the batch starts can push stored ones out of a member's
    # first MAX_COMPARED, never bring one in), and most groups a lookup finds share one band.
    compared: set[int] = set()
    for group_bands in member_bands:
        shared: Counter[int] = Counter()
        for band in group_bands:
            shared.update(found_by_band.get(band, ()))
        compared.update(group_id for group_id, _ in shared.most_common(MAX_COMPARED))
    claims = cache.get_many(compared) if cache is not None else {}
    missing = compared - claims.keys()
    if missing:
        rows = session.execute(_GROUPS_READ, {"ids": sorted(missing)})
        read = {row.id: _stored_claim(row) for row in rows}
        if cache is not None:
            cache.put_many(read)
        claims.update(read)
    groups = {group_id: _Candidate(group_id, claim) for group_id, claim in claims.items()}
    by_band = {
        band: [groups[group_id] for group_id in group_ids if group_id in groups]
        for band, group_ids in found_by_band.items()
    }
    stored = {band: len(group_ids) for band, group_ids in found_by_band.items()}
    return by_band, stored


def assign(
    session: Session, members: Sequence[Member], cache: ClaimCache | None = None
) -> dict[int, int]:
    """Put each member into the best matching group (same speaker, polarity, numbers, most
    names; trigram similarity at or above the threshold) or a new one, stored here; returns
    member id -> group id, for the caller to write into its statements.

    The caller holds the actor lock (see `lock_actors`): one grouper at a time, so two
    concurrent ingests never start two groups for one claim.
    """
    if not members:
        return {}
    claims = [member.claim() for member in members]
    member_bands = [bands(claim) for claim in claims]
    candidates, stored = _lookup(session, member_bands, cache)
    new_groups: list[tuple[_Candidate, list[int]]] = []
    chosen: dict[int, _Candidate] = {}
    for member, claim, member_band in zip(members, claims, member_bands, strict=True):
        # The candidates sharing most bands are the likeliest; only they are compared.
        shared: Counter[int] = Counter()
        by_id: dict[int, _Candidate] = {}
        for band in member_band:
            for candidate in candidates.get(band, ()):
                shared[id(candidate)] += 1
                by_id[id(candidate)] = candidate
        best, best_score = None, 0.0
        for key, _ in shared.most_common(MAX_COMPARED):
            candidate = by_id[key]
            # The similarity is the trigram Jaccard of two comparable claims (0 otherwise):
            # the Jaccard alone rules most candidates out before the costlier names test.
            bound = jaccard(claim.grams, candidate.claim.grams)
            if bound < claim.threshold or bound <= best_score:
                continue
            score = claim.similarity(candidate.claim)
            if score >= claim.threshold and score > best_score:
                best, best_score = candidate, score
        if best is None:
            best = _Candidate(0, claim)
            new_groups.append((best, _rows_worth_storing(member_band, stored)))
            for band in member_band:
                candidates.setdefault(band, []).append(best)
        chosen[member.id] = best
    if new_groups:
        ids = _new_group_ids(session, len(new_groups))
        for (started, _), group_id in zip(new_groups, ids, strict=True):
            started.group_id = group_id
        _copy(
            session,
            "claim_groups (id, speaker_id, key, polarity, signature, names, claim_type)",
            (
                (
                    started.group_id,
                    started.claim.speaker_id,
                    started.claim.key,
                    started.claim.polarity,
                    started.claim.signature,
                    started.claim.names,
                    started.claim.claim_type,
                )
                for started, _ in new_groups
            ),
        )
        _add_bands(session, [(started.group_id, band) for started, band in new_groups])
        if cache is not None:
            cache.put_many({started.group_id: started.claim for started, _ in new_groups})
    return {statement_id: candidate.group_id for statement_id, candidate in chosen.items()}


def _rows_worth_storing(group_bands: Sequence[int], stored: dict[int, int]) -> list[int]:
    """The bands of a new group that a lookup could return: a band already held by PER_BAND
    groups (all of lower ids) brings those and never this one, so its row is not written
    (the COPY of band rows is the largest database cost of `groups rebuild`)."""
    worth = []
    for band in dict.fromkeys(group_bands):
        held = stored.get(band, 0)
        if held < PER_BAND:
            stored[band] = held + 1
            worth.append(band)
    return worth


def _new_group_ids(session: Session, count: int) -> list[int]:
    return list(
        session.scalars(
            text("SELECT nextval('claim_groups_id_seq') FROM generate_series(1, :count)"),
            {"count": count},
        )
    )


def _copy(session: Session, target: str, rows: Iterable[tuple[object, ...]]) -> None:
    """COPY rows into `target` ("table (columns)") on the session's connection, in its
    transaction: the fastest way PostgreSQL takes many rows."""
    connection = session.connection().connection.driver_connection
    with connection.cursor() as cursor, cursor.copy(f"COPY {target} FROM STDIN") as copy:  # type: ignore[union-attr]
        for row in rows:
            copy.write_row(row)


def _add_bands(session: Session, groups: Sequence[tuple[int, list[int]]]) -> None:
    """The band rows of groups just started (no group has its rows yet: no conflicts)."""
    _copy(
        session,
        "claim_group_bands (band, group_id)",
        ((band, group_id) for group_id, group_bands in groups for band in set(group_bands)),
    )


def _stored_claim(row: object) -> ClaimKey:
    return ClaimKey(
        speaker_id=row.speaker_id,  # type: ignore[attr-defined]
        claim_type=row.claim_type,  # type: ignore[attr-defined]
        key=row.key,  # type: ignore[attr-defined]
        polarity=row.polarity,  # type: ignore[attr-defined]
        signature=row.signature,  # type: ignore[attr-defined]
        grams=trigrams(row.key),  # type: ignore[attr-defined]
        names=row.names,  # type: ignore[attr-defined]
    )


def _set_groups(session: Session, assignment: Mapping[int, int | None]) -> None:
    """One UPDATE for many statements (the statement-level count triggers run once)."""
    if not assignment:
        return
    session.execute(
        text(
            "UPDATE statements SET claim_group_id = moved.group_id "
            "FROM unnest(:ids, :groups) AS moved(id, group_id) "
            "WHERE statements.id = moved.id "
            "AND statements.claim_group_id IS DISTINCT FROM moved.group_id"
        ).bindparams(
            bindparam("ids", type_=ARRAY(INTEGER)), bindparam("groups", type_=ARRAY(INTEGER))
        ),
        {"ids": list(assignment), "groups": list(assignment.values())},
    )


def refresh(session: Session, group_ids: Iterable[int]) -> None:
    """Recount these groups and find their first appearance; drop the ones left empty."""
    ids = sorted(set(group_ids))
    if not ids:
        return
    session.execute(
        text(
            """
            UPDATE claim_groups SET
                statement_count = coalesce(counted.statements, 0),
                article_count = coalesce(counted.articles, 0),
                first_seen = counted.first_seen,
                first_statement_id = counted.first_statement_id
            FROM unnest(:ids) AS wanted(id)
            LEFT JOIN (
                SELECT claim_group_id,
                       count(*) AS statements,
                       count(DISTINCT article_id) AS articles,
                       min(published_at) AS first_seen,
                       (array_agg(id ORDER BY published_at ASC NULLS LAST, id))[1]
                           AS first_statement_id
                FROM statements
                WHERE claim_group_id = ANY(:ids) AND review_status <> 'rejected'
                GROUP BY claim_group_id
            ) AS counted ON counted.claim_group_id = wanted.id
            WHERE claim_groups.id = wanted.id
            """
        ).bindparams(bindparam("ids", type_=ARRAY(INTEGER))),
        {"ids": ids},
    )
    session.execute(
        delete(ClaimGroup)
        .where(ClaimGroup.id == any_(bindparam("ids", ids, type_=ARRAY(INTEGER))))
        .where(ClaimGroup.statement_count == 0)
        .where(~select(Statement.id).where(Statement.claim_group_id == ClaimGroup.id).exists())
    )


@dataclass(frozen=True)
class Pin:
    """A statement an editor pinned to a group, remembered across re-extraction by its words."""

    start: int
    end: int
    group_id: int


def before_reextraction(session: Session, article_id: int) -> tuple[list[int], list[Pin]]:
    """The groups of the article's machine statements (to recount once they are replaced), and
    the pinned ones (their replacements go back to the same group)."""
    rows = session.execute(
        select(Statement.start, Statement.end, Statement.claim_group_id, Statement.group_fixed)
        .where(Statement.article_id == article_id, Statement.claim_group_id.is_not(None))
        .where(Statement.review_status == "unreviewed")
    ).all()
    groups = sorted({row.claim_group_id for row in rows})
    pins = [Pin(row.start, row.end, row.claim_group_id) for row in rows if row.group_fixed]
    return groups, pins


def _same_words(start: int, end: int, pin: Pin) -> bool:
    # The ingest's rule for "the same statement" (app.ingest.service.same_words), which
    # imports this module: shares most of the longer span.
    shared = min(end, pin.end) - max(start, pin.start)
    return shared > 0 and shared * 2 >= max(end - start, pin.end - pin.start)


def group_article(
    session: Session,
    statements: Sequence[Statement],
    previous_groups: Sequence[int] = (),
    pins: Sequence[Pin] = (),
) -> None:
    """Group the statements of one article before they are inserted, keeping pins; flushes
    them.

    Each statement's INSERT carries its group: setting it by an UPDATE afterwards rewrote
    every grouped row (not a HOT update: the list indexes hold the group) and all ten of its
    index entries, the full-text one included, for a tenth more time per ingested article.
    """
    with session.no_autoflush:  # the lookups must not insert the statements ungrouped
        lock_actors(session)
        pinned: dict[int, int] = {}
        for index, statement in enumerate(statements):
            for pin in pins:
                if _same_words(statement.start, statement.end, pin):
                    pinned[index] = pin.group_id
                    break
        if pinned:
            existing = set(
                session.scalars(
                    select(ClaimGroup.id).where(ClaimGroup.id.in_(set(pinned.values())))
                )
            )
            pinned = {index: gid for index, gid in pinned.items() if gid in existing}
        # Members are numbered by position: the statements have no ids yet.
        members = [
            member_of(statement, index)
            for index, statement in enumerate(statements)
            if index not in pinned
            and statement.review_status != "rejected"
            and statement.type in GROUPED_TYPES
        ]
        assignment = assign(session, members)
        for index, group_id in pinned.items():
            statements[index].claim_group_id = group_id
            statements[index].group_fixed = True
        for index, group_id in assignment.items():
            statements[index].claim_group_id = group_id
        if assignment:
            note_grouped(session)
    session.flush()
    refresh(session, [*assignment.values(), *pinned.values(), *previous_groups])


def _group_state(group: ClaimGroup | None) -> dict[str, object]:
    if group is None:
        return {"claim_group_id": None}
    return {
        "claim_group_id": group.id,
        "statement_count": group.statement_count,
        "key": group.key,
    }


def split(session: Session, statement: Statement, user: User | None) -> ClaimGroup:
    """Take a statement out of its group into a group of its own; both are fixed, and the
    statement pinned, so regrouping and re-extraction leave the editor's decision."""
    old = session.get(ClaimGroup, statement.claim_group_id) if statement.claim_group_id else None
    if old is not None and old.statement_count <= 1:
        raise GroupError("this statement is alone in its group already")
    lock_actors(session)
    before = _group_state(old)
    claim = member_of(statement).claim()
    group = ClaimGroup(
        speaker_id=claim.speaker_id,
        key=claim.key,
        polarity=claim.polarity,
        signature=claim.signature,
        names=claim.names,
        claim_type=claim.claim_type,
        fixed=True,
    )
    session.add(group)
    session.flush()
    _add_bands(session, [(group.id, bands(claim))])
    _set_groups(session, {statement.id: group.id})
    session.execute(
        update(Statement).where(Statement.id == statement.id).values(group_fixed=True),
        execution_options={"synchronize_session": False},
    )
    if old is not None:
        old.fixed = True
    refresh(session, [group.id, *([old.id] if old is not None else [])])
    session.expire_all()
    group = session.get_one(ClaimGroup, group.id)
    record(session, user, "statement", statement.id, "split_group", before, _group_state(group))
    return group


def merge(session: Session, source: ClaimGroup, target: ClaimGroup, user: User | None) -> None:
    """Move every statement of `source` into `target` (pinned there) and drop `source`."""
    if source.id == target.id:
        raise GroupError("a group cannot be merged into itself")
    lock_actors(session)
    before = {"source": _group_state(source), "target": _group_state(target)}
    source_id, target_id = source.id, target.id
    moved = list(session.scalars(select(Statement.id).where(Statement.claim_group_id == source_id)))
    _set_groups(session, dict.fromkeys(moved, target_id))
    session.execute(
        update(Statement)
        .where(or_(Statement.id.in_(moved), Statement.claim_group_id == target_id))
        .values(group_fixed=True),
        execution_options={"synchronize_session": False},
    )
    target.fixed = True
    session.flush()
    refresh(session, [source_id, target_id])
    session.expire_all()
    merged = session.get_one(ClaimGroup, target_id)
    after = {"source": {"claim_group_id": None}, "target": _group_state(merged)}
    record(session, user, "claim_group", target_id, "merge", before, after)


# --- regrouping everything ------------------------------------------------------------------


@dataclass
class RebuildSummary:
    statements: int = 0
    groups: int = 0
    kept_fixed: int = 0


def _kept() -> ColumnElement[bool]:
    """Statements whose membership an editor decided: pinned ones, and members of fixed groups."""
    fixed_groups = select(ClaimGroup.id).where(ClaimGroup.fixed)
    return or_(Statement.group_fixed, Statement.claim_group_id.in_(fixed_groups))


def _rebuild_transaction(session: Session) -> None:
    """A batch of `groups rebuild`: under the actor lock, and its commit does not wait for the
    disk (a crash loses at most the last batches, and a rebuild run again redoes them)."""
    lock_actors(session)
    session.execute(text("SET LOCAL synchronous_commit TO off"))


def rebuild(
    factory: sessionmaker[Session],
    batch_size: int = 2000,
    progress: Callable[[int, int], None] | None = None,
) -> RebuildSummary:
    """Regroup every statement, earliest first, in batches of one transaction each (memory
    stays bounded by the batch); fixed groups and pinned statements stay as they are."""
    summary = RebuildSummary()
    cache = ClaimCache()
    with factory.begin() as session:
        _rebuild_transaction(session)
        kept = _kept()
        summary.kept_fixed = (
            session.scalar(select(func.count()).select_from(Statement).where(kept)) or 0
        )
    # Ungroup in id ranges: one UPDATE per range, so the count triggers run once per range.
    last = 0
    while True:
        with factory.begin() as session:
            _rebuild_transaction(session)
            ids = list(
                session.scalars(
                    select(Statement.id)
                    .where(Statement.id > last, Statement.claim_group_id.is_not(None))
                    .where(~_kept())
                    .order_by(Statement.id)
                    .limit(batch_size * 5)
                )
            )
            if not ids:
                break
            _set_groups(session, dict.fromkeys(ids))
            last = ids[-1]
    with factory.begin() as session:
        _rebuild_transaction(session)
        session.execute(
            delete(ClaimGroup).where(
                ~ClaimGroup.fixed,
                ~select(Statement.id).where(Statement.claim_group_id == ClaimGroup.id).exists(),
            )
        )
        total = (
            session.scalar(
                select(func.count())
                .select_from(Statement)
                .where(Statement.claim_group_id.is_(None), Statement.review_status != "rejected")
            )
            or 0
        )
    # The list index's order (undated first): a keyset read of it, not a sort per batch. The
    # first appearance is found by date afterwards, whatever the order.
    sort_key = text(SORT_KEY_SQL)
    # The position is carried as text: an undated statement's key, -infinity, has no Python
    # datetime.
    after: tuple[str, int] | None = None
    done = 0
    touched: set[int] = set()
    while True:
        with factory.begin() as session:
            _rebuild_transaction(session)
            keyset = (
                tuple_(literal_column(SORT_KEY_SQL), Statement.id)
                > tuple_(cast(literal(after[0]), DateTime(timezone=True)), literal(after[1]))
                if after is not None
                else text("true")
            )
            rows = session.execute(
                select(
                    Statement.id,
                    Statement.speaker_id,
                    Statement.content,
                    Statement.cue_class,
                    Statement.type,
                    cast(literal_column(SORT_KEY_SQL), Text).label("sort_at"),
                )
                .where(Statement.claim_group_id.is_(None), text(LISTED_SQL), keyset)
                .where(Statement.type.in_(GROUPED_TYPES))
                .order_by(sort_key, Statement.id)
                .limit(batch_size)
            ).all()
            if not rows:
                break
            members = [Member(r.id, r.speaker_id, r.content, r.cue_class, r.type) for r in rows]
            assignment = assign(session, members, cache)
            _set_groups(session, assignment)
            touched.update(assignment.values())
            if len(touched) >= batch_size * REFRESH_BATCHES:
                refresh(session, touched)
                touched.clear()
            after = (rows[-1].sort_at, rows[-1].id)
            done += len(rows)
            summary.statements += len(rows)
        if progress is not None:
            progress(done, total)
    with factory.begin() as session:
        _rebuild_transaction(session)
        refresh(session, touched)
    with factory() as session:
        summary.groups = session.scalar(select(func.count()).select_from(ClaimGroup)) or 0
    return summary
