"""How many statements a list holds and how they spread over the facets' values: exact for
the whole result up to a budget (Settings.exact_count_limit), estimated from a sample of the
table's pages beyond it, and kept briefly for the same filters."""

import time
from collections import Counter, OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from threading import Lock
from typing import Any

from sqlalchemy import (
    ColumnElement,
    func,
    literal_column,
    select,
    tablesample,
    text,
    tuple_,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.util import ClauseAdapter

from app.db import FixedQuery
from app.models import Statement
from app.statements.filters import ResolvedFilters, conditions
from app.statements.planner import plan_for_values, planned_rows

# The columns a facet counts, by the facet's name.
FACET_COLUMNS: dict[str, Any] = {
    "actor": Statement.speaker_id,
    "source": Statement.source_id,
    "kind": Statement.kind,
    "cue_class": Statement.cue_class,
}


# An estimate reads about this many matching statements, from that share of the table's pages.
ESTIMATE_SAMPLE = 5_000


@dataclass(frozen=True)
class Counts:
    total: int
    # The total is an estimate (rounded: "about 12,000").
    estimated: bool
    # Per facet asked for: stored value (an actor id, a source id, a kind) -> statements.
    by: dict[str, Counter[Any]] = field(default_factory=dict)
    # The values' counts are estimates (the total may still be exact, as an actor's is).
    by_estimated: bool = False


def rough(n: float) -> int:
    """An estimate as people say it: two significant figures (12,345 -> 12,000)."""
    whole = round(n)
    if whole < 100:
        return whole
    return round(whole, 2 - len(str(whole)))


class CountCache:
    """Counts by filter (and a search's ranked matches), reused for `seconds` while nothing
    is written.

    Every write to statements, actors or sources moves the sequence list_counts_version on
    (revision 0013), and an entry is kept under the version read before it was counted, so a
    change shows at the next request; `seconds` bounds how long a count made while a writer
    had moved the version on but not yet committed can stay.
    """

    def __init__(self, seconds: float, size: int = 1024) -> None:
        self.seconds = seconds
        self.size = size
        self._entries: OrderedDict[Hashable, tuple[int, float, Any]] = OrderedDict()
        self._lock = Lock()

    @staticmethod
    def version(session: Session) -> int:
        """The data's version, read once per transaction."""
        connection = session.connection()  # begins the transaction if none has
        transaction, version = session.info.get(_VERSION_READ, (None, 0))
        if transaction is None or transaction is not session.get_transaction():
            version = connection.scalar(_VERSION)
            session.info[_VERSION_READ] = (session.get_transaction(), version)
        return int(version)

    def get(self, version: int, key: Hashable) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            stored_version, stored_at, counts = entry
            if stored_version != version or time.monotonic() - stored_at > self.seconds:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return counts

    def put(self, version: int, key: Hashable, value: Any) -> None:
        if self.seconds <= 0:
            return
        with self._lock:
            self._entries[key] = (version, time.monotonic(), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


_VERSION = text("SELECT last_value FROM list_counts_version")


# Where a session notes the version it read, and in which transaction.
_VERSION_READ = "list_counts_version"


def count_matches(
    session: Session,
    resolved: ResolvedFilters,
    *,
    with_actors: bool = True,
    facets: tuple[str, ...] = (),
    cache: CountCache | None = None,
) -> Counts:
    """The list's total and, per facet named, its values' counts over the whole result.

    `with_actors=False` counts as if no speaker were chosen (the speaker facet does, so a
    reader can add a second speaker).
    """
    known = _kept_total(resolved) if with_actors else None
    if known is not None and not facets:
        return Counts(known, False)
    key = (
        "counts",
        resolved.filters,
        tuple(actor.id for actor in resolved.actors) if with_actors else (),
        resolved.source_id,
        with_actors,
        facets,
        resolved.count_limit,
    )
    version = cache.version(session) if cache is not None else 0
    if cache is not None and (found := cache.get(version, key)) is not None:
        return found
    counts = _count(session, resolved, with_actors, facets)
    if "actor" in facets and with_actors:
        # The speaker-kind facet counts the list itself (not the speaker facet's wider one).
        counts.by["actor_kind"] = _speaker_kinds(session, counts.by["actor"], counts.by_estimated)
    if cache is not None:
        cache.put(version, key, counts)
    return counts


def _count(
    session: Session, resolved: ResolvedFilters, with_actors: bool, facets: tuple[str, ...]
) -> Counts:
    collapsed = resolved.filters.collapse
    # A collapsed list's claims are its matches' distinct claims: counted over the matches
    # themselves (no probe for a newer appearance), which is also what costs the count.
    matching = _uncollapsed(resolved) if collapsed else resolved
    where = conditions(matching, with_actors=with_actors)
    known = _kept_total(resolved) if with_actors else None
    if known is not None:
        expected = float(known)
    elif with_actors and resolved.estimated is not None:
        expected = resolved.estimated
    else:
        expected = planned_rows(session, select(literal_column("1")).where(*where))
    if resolved.filters.q:
        plan_for_values(session)
    if expected > resolved.count_limit:
        sampled = _sampled(
            session, resolved, with_actors, facets, expected, known, resolved.count_limit
        )
        if sampled is not None:
            return sampled
    return _exact(session, where, facets, collapsed)


def _uncollapsed(resolved: ResolvedFilters) -> ResolvedFilters:
    return replace(resolved, filters=replace(resolved.filters, collapse=False))


def _kept_total(resolved: ResolvedFilters) -> int | None:
    """Actors' listed statements, nothing else asked: each actor keeps their number."""
    kept = [actor.statement_count for actor in resolved.actors]
    if not resolved.only_actors or None in kept:
        return None
    return sum(count for count in kept if count is not None)


def _claim() -> ColumnElement[Any]:
    """What a collapsed list counts once: the claim group, or an ungrouped statement itself
    (ids are positive, so a negated one is never a group's)."""
    return func.coalesce(Statement.claim_group_id, -Statement.id)


def _grouped(
    where: list[ColumnElement[bool]], facets: tuple[str, ...], distinct_claims: bool = False
) -> Any:
    """One grouped read for every facet and the total: GROUPING SETS ((a), (b), …, ()).

    With `distinct_claims` each count is of distinct claims: a value's count is then what the
    collapsed list narrowed to that value holds."""
    columns = [FACET_COLUMNS[name] for name in facets]
    n = func.count(_claim().distinct()) if distinct_claims else func.count()
    if not columns:
        return select(n.label("n")).select_from(Statement).where(*where)
    return (
        select(func.grouping(*columns).label("g"), *columns, n.label("n"))
        .where(*where)
        .group_by(func.grouping_sets(*(tuple_(column) for column in columns), tuple_()))
    )


def _read(
    session: Session, query: Any, facets: tuple[str, ...]
) -> tuple[int, dict[str, Counter[Any]]]:
    """(total, counts per facet) from a grouped read."""
    rows = session.connection().execute(query).all()
    if not facets:
        return int(rows[0].n), {}
    every = (1 << len(facets)) - 1
    total = 0
    by: dict[str, Counter[Any]] = {name: Counter() for name in facets}
    for row in rows:
        if row.g == every:
            total = int(row.n)
            continue
        # grouping() sets a bit for each column a row is not grouped by, the first highest.
        index = next(i for i in range(len(facets)) if not row.g >> (len(facets) - 1 - i) & 1)
        by[facets[index]][row[1 + index]] = int(row.n)
    return total, by


def _exact(
    session: Session,
    where: list[ColumnElement[bool]],
    facets: tuple[str, ...],
    distinct_claims: bool = False,
) -> Counts:
    total, by = _read(session, _grouped(where, facets, distinct_claims), facets)
    return Counts(total, False, by)


def _sampled(
    session: Session,
    resolved: ResolvedFilters,
    with_actors: bool,
    facets: tuple[str, ...],
    expected: float,
    known: int | None,
    limit: int,
) -> Counts | None:
    """Counts scaled up from a sample of the table's pages (None: the sample says the planner
    was far off, and the result is small enough to count).

    Collapsed, the sample's matches that are their claim's newest appearance are counted (a
    probe each, against the whole table): a claim then counts under its newest appearance's
    values."""
    share = min(1.0, ESTIMATE_SAMPLE / max(expected, 1.0))
    # SYSTEM reads whole pages at random (cheap); REPEATABLE keeps a page's figures steady.
    sample = tablesample(
        Statement.__table__,
        func.system(literal_column(repr(share * 100))),
        name="sampled",
        seed=literal_column("0"),
    )
    if resolved.filters.collapse:
        where = conditions(_uncollapsed(resolved), with_actors=with_actors)
        sampled_ids = ClauseAdapter(sample).traverse(select(Statement.id).where(*where))
        newest = conditions(resolved, with_actors=with_actors)
        query = _grouped([Statement.id.in_(sampled_ids), *newest], facets)
    else:
        where = conditions(resolved, with_actors=with_actors)
        query = ClauseAdapter(sample).traverse(_grouped(where, facets))
    matched, by = _read(session, query, facets)
    # Collapsed, a small estimate is no sign of the planner being off: claims are fewer than
    # the statements it expected (and counting them exactly would read those statements).
    far_off = not resolved.filters.collapse and matched / share < limit / 2
    if known is None and (matched == 0 or far_off):
        return None
    total = known if known is not None else rough(matched / share)
    scale = total / matched if matched else 0.0
    scaled = {
        name: Counter({value: rough(n * scale) for value, n in values.items()})
        for name, values in by.items()
    }
    return Counts(total, known is None, scaled, True)


# The speakers' kinds counted in the database: a handful of rows back, not one per speaker.
_SPEAKER_KINDS = FixedQuery(
    text(
        "SELECT actors.kind, sum(speakers.n)::int AS n"
        " FROM unnest(CAST(:ids AS integer[]), CAST(:counts AS integer[])) AS speakers (id, n)"
        " JOIN actors ON actors.id = speakers.id GROUP BY actors.kind"
    )
)


def _speaker_kinds(session: Session, speakers: Counter[Any], estimated: bool) -> Counter[Any]:
    """Statements per speaker kind, from statements per speaker."""
    speaking = {speaker: n for speaker, n in speakers.items() if speaker is not None}
    if not speaking:
        return Counter()
    rows = _SPEAKER_KINDS.rows(session, ids=list(speaking), counts=list(speaking.values()))
    return Counter({row.kind: rough(row.n) if estimated else row.n for row in rows})
