"""What a reader asks of the statements: filters from the URL, resolved to ids, as SQL
conditions on the statements table alone; and the bounds of every list's cost."""

import re
from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal, Protocol

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    any_,
    bindparam,
    exists,
    func,
    literal_column,
    select,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.sql.util import ClauseAdapter

from app.db import FixedQuery
from app.extract import normalise_alias
from app.models import Actor, ActorAlias, Article, Source, Statement
from app.settings import get_settings
from app.statements.planner import plan_for_values, planned_rows

# A search ranks the newest this many matches (ranking scores every candidate); sorting by
# date reaches all of them.
RANK_WINDOW = 1_000


MAX_LIMIT = 500


FACET_SIZE = 15


ID_ARRAY = ARRAY(Integer)


Sort = Literal["newest", "oldest", "relevance"]


SORTS: tuple[Sort, ...] = ("newest", "oldest", "relevance")


class InvalidFilter(ValueError):
    """A filter value that names nothing or cannot be read; the message is shown to people."""


@dataclass(frozen=True)
class StatementFilters:
    """What a reader asked for, in their words (slugs and names), straight from the URL."""

    actors: tuple[str, ...] = ()
    actor_kind: str | None = None
    source: str | None = None
    kind: str | None = None
    cue_class: str | None = None
    q: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    # None hides statements an editor rejected; "all", or one review status, shows them.
    review: str | None = None
    # None shows claims (type "statement"); "all", "belief" or "intention" the others.
    type: str | None = None
    # Whether words of the search that name a speaker choose that speaker ("Lukashenko
    # S-400": his claims matching S-400); False searches all the words in the claims' text.
    speakers_in_q: bool = True
    # One row per claim group: its newest appearance among the matches ("collapse repeats").
    collapse: bool = False
    # Leave out the statements of articles marked as wire copies, so a copied claim counts
    # once (the original's).
    copies_once: bool = False

    @property
    def active(self) -> bool:
        return any(
            (self.actors, self.actor_kind, self.source, self.kind, self.cue_class, self.q)
        ) or bool(self.date_from or self.date_to or self.review or self.type)


@dataclass(frozen=True)
class SelectedActor:
    """An actor a filter names, looked up once per request."""

    id: int
    slug: str
    name: str
    kind: str
    # Their listed statements, as kept on the actor (see app.models.actors.Actor).
    statement_count: int | None = None


@dataclass(frozen=True)
class ResolvedFilters:
    """The filters with actor slugs and the source name turned into ids."""

    filters: StatementFilters
    actors: tuple[SelectedActor, ...] = ()
    source_id: int | None = None
    # For a search, the planner's estimate of how many statements match (see estimate_matches).
    estimated: float | None = None
    # The speaker the search's words named, when they did (`filters` then holds the rest of
    # the words as its search, and `asked` the search as typed).
    from_q: SelectedActor | None = None
    asked: str | None = None
    # A result expected to hold more statements than this is estimated, not counted.
    count_limit: int = field(default_factory=lambda: get_settings().exact_count_limit)

    @property
    def sole_actor(self) -> SelectedActor | None:
        """The one actor asked for, when nothing else is (their listed statements, all of
        them): the case the counts kept on the actor answer exactly."""
        if len(self.actors) == 1 and replace(self.filters, actors=()) == StatementFilters():
            return self.actors[0]
        return None

    @property
    def only_actors(self) -> bool:
        """Actors asked for and nothing else: the counts kept on the actors answer exactly."""
        return bool(self.actors) and replace(self.filters, actors=()) == StatementFilters()

    @property
    def broad_search(self) -> bool:
        """A search the planner expects to match more statements than are counted exactly."""
        return self.estimated is not None and self.estimated > self.count_limit


_ACTORS_BY_SLUG = FixedQuery(
    select(Actor.id, Actor.slug, Actor.name, Actor.kind, Actor.statement_count).where(
        Actor.slug == any_(bindparam("slugs", type_=ARRAY(String)))
    )
)


def resolve_filters(
    session: Session,
    filters: StatementFilters,
    count_limit: int | None = None,
    estimates: "Estimates | None" = None,
) -> ResolvedFilters:
    """Look up the actors and source a filter names, so the main queries compare ids.

    `count_limit` overrides Settings.exact_count_limit (how large a result is counted);
    `estimates` keeps a search's row estimate for the same filters (a CountCache does).
    """
    actors: tuple[SelectedActor, ...] = ()
    if filters.actors:
        rows = _ACTORS_BY_SLUG.rows(session, slugs=list(filters.actors))
        found = {
            row.slug: SelectedActor(row.id, row.slug, row.name, row.kind, row.statement_count)
            for row in rows
        }
        missing = [slug for slug in filters.actors if slug not in found]
        if missing:
            raise InvalidFilter(f"no actor is called {missing[0]!r}")
        actors = tuple(found[slug] for slug in dict.fromkeys(filters.actors))
    source_id = None
    if filters.source:
        source_id = session.scalar(select(Source.id).where(Source.name == filters.source))
        if source_id is None:
            raise InvalidFilter(f"no source is called {filters.source!r}")
    resolved = ResolvedFilters(filters, actors, source_id)
    if count_limit is not None:
        resolved = replace(resolved, count_limit=count_limit)
    if filters.q and filters.speakers_in_q and not filters.actors:
        resolved = _speaker_in_search(session, resolved)
        filters = resolved.filters
    if filters.q:
        key = ("estimate", filters, tuple(actor.id for actor in resolved.actors), source_id)
        version = estimates.version(session) if estimates is not None else 0
        estimated = estimates.get(version, key) if estimates is not None else None
        if estimated is None:
            estimated = estimate_matches(session, resolved)
            if estimates is not None:
                estimates.put(version, key, estimated)
        resolved = replace(resolved, estimated=estimated)
    return resolved


class Estimates(Protocol):
    """Somewhere to keep values by key while the data's version stays (a CountCache)."""

    def version(self, session: Session) -> int: ...

    def get(self, version: int, key: Hashable) -> Any: ...

    def put(self, version: int, key: Hashable, value: Any) -> None: ...


# Words that make a search more than plain words: then it is left as typed.
_SEARCH_SYNTAX = re.compile(r'["()]|(?:^|\s)-\S|\bOR\b')
_ALIASES = FixedQuery(
    select(
        ActorAlias.normalised,
        Actor.id,
        Actor.slug,
        Actor.name,
        Actor.kind,
        Actor.statement_count,
    )
    .join(Actor, Actor.id == ActorAlias.actor_id)
    .where(
        ActorAlias.normalised == any_(bindparam("grams", type_=ARRAY(String))),
        Actor.statement_count > 0,
    )
)


def _speaker_in_search(session: Session, resolved: ResolvedFilters) -> ResolvedFilters:
    """ "Lukashenko S-400": the words that name a speaker (any of their aliases) choose the
    speaker, and the rest is searched in that speaker's claims. A one-word name counts only
    for a person ("Peskov"), so that "Ukraine offensive" still searches every claim."""
    asked = resolved.filters.q or ""
    if _SEARCH_SYNTAX.search(asked):
        return resolved
    words = asked.split()
    grams: dict[str, tuple[int, int]] = {}
    for size in range(min(4, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            gram = normalise_alias(" ".join(words[start : start + size]))
            if gram and gram not in grams:
                grams[gram] = (start, size)
    if not grams:
        return resolved
    rows = _ALIASES.rows(session, grams=list(grams))
    candidates = [row for row in rows if grams[row.normalised][1] > 1 or row.kind == "person"]
    if not candidates:
        return resolved
    best = max(candidates, key=lambda row: (grams[row.normalised][1], row.statement_count))
    start, size = grams[best.normalised]
    rest = " ".join(words[:start] + words[start + size :]) or None
    speaker = SelectedActor(best.id, best.slug, best.name, best.kind, best.statement_count)
    narrowed = replace(resolved.filters, actors=(best.slug,), q=rest)
    return replace(resolved, filters=narrowed, actors=(speaker,), from_q=speaker, asked=asked)


def estimate_matches(session: Session, resolved: ResolvedFilters) -> float:
    """How many statements the planner expects to match: one EXPLAIN, no rows read.

    Collapsed or not: counting a collapsed list reads every match (see app.statements.counts).
    """
    matching = replace(resolved, filters=replace(resolved.filters, collapse=False))
    query: Select[Any] = (
        select(literal_column("1")).select_from(Statement).where(*conditions(matching))
    )
    plan_for_values(session)
    return planned_rows(session, query)


def sort_key() -> ColumnElement[Any]:
    """The statement's date as ix_statements_*_order index it: undated sort as the oldest."""
    return func.coalesce(Statement.published_at, literal_column("'-infinity'::timestamptz"))


def tsquery(q: str | ColumnElement[str]) -> ColumnElement[Any]:
    """A web-search style query ("quoted phrase", or, -not) in the index's configuration."""
    return func.websearch_to_tsquery(literal_column("'english'::regconfig"), q)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def listed() -> ColumnElement[bool]:
    """Not rejected by an editor, written as a constant in the SQL: a bound parameter would
    keep a prepared (generic) plan from using the partial indexes made for exactly this."""
    return Statement.review_status.op("<>")(literal_column("'rejected'"))


def claims_only() -> ColumnElement[bool]:
    """Of type "statement", as a constant for the same reason as listed()."""
    return Statement.type == literal_column("'statement'")


def conditions(resolved: ResolvedFilters, *, with_actors: bool = True) -> list[ColumnElement[bool]]:
    """WHERE clauses on the statements table alone, so counts and samples need no joins."""
    filters = resolved.filters
    where: list[ColumnElement[bool]] = []
    if filters.review is None:
        where.append(listed())
    elif filters.review != "all":
        where.append(Statement.review_status == filters.review)
    if filters.type is None:
        where.append(claims_only())
    elif filters.type != "all":
        where.append(Statement.type == filters.type)
    if with_actors and resolved.actors:
        ids = [actor.id for actor in resolved.actors]
        where.append(
            Statement.speaker_id == ids[0] if len(ids) == 1 else Statement.speaker_id.in_(ids)
        )
    if filters.actor_kind:
        where.append(
            Statement.speaker_id.in_(select(Actor.id).where(Actor.kind == filters.actor_kind))
        )
    if resolved.source_id is not None:
        where.append(Statement.source_id == resolved.source_id)
    if filters.kind:
        where.append(Statement.kind == filters.kind)
    if filters.cue_class:
        where.append(Statement.cue_class == filters.cue_class)
    if filters.q:
        where.append(Statement.content_tsv.op("@@")(tsquery(filters.q)))
    if filters.date_from:
        where.append(Statement.published_at >= _day_start(filters.date_from))
    if filters.date_to and filters.date_to < date.max:  # up to 9999-12-31 is no bound at all
        where.append(Statement.published_at < _day_start(filters.date_to + timedelta(days=1)))
    if filters.copies_once:
        copies = select(Article.id).where(Article.copy_of_id.is_not(None))
        where.append(Statement.article_id.not_in(copies))
    if filters.collapse:
        where.append(_newest_of_group(resolved, with_actors=with_actors))
    return where


def _newest_of_group(resolved: ResolvedFilters, *, with_actors: bool) -> ColumnElement[bool]:
    """No newer statement of the same claim group matches the same filters: the row stands for
    its group (an ungrouped statement stands for itself). One probe of ix_statements_group_newest
    per row."""
    uncollapsed = replace(resolved, filters=replace(resolved.filters, collapse=False))
    other = Statement.__table__.alias("newer")
    adapt = ClauseAdapter(other).traverse
    newer: Select[Any] = (
        select(literal_column("1"))
        .select_from(other)
        .where(
            other.c.claim_group_id == Statement.claim_group_id,
            tuple_(adapt(sort_key()), other.c.id) > tuple_(sort_key(), Statement.id),
            *(adapt(clause) for clause in conditions(uncollapsed, with_actors=with_actors)),
        )
    )
    return Statement.claim_group_id.is_(None) | ~exists(newer)


def effective_sort(filters: StatementFilters, sort: Sort | None) -> Sort:
    """Relevance when searching unless told otherwise; it means nothing without a search."""
    if sort is None:
        return "relevance" if filters.q else "newest"
    if sort == "relevance" and not filters.q:
        return "newest"
    return sort
