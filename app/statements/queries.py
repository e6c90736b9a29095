"""Queries about statements: filtered, searched, keyset-paginated lists, facets and exports."""

import base64
import binascii
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import (
    REAL,
    ColumnElement,
    DateTime,
    Integer,
    Select,
    String,
    any_,
    bindparam,
    cast,
    func,
    literal,
    literal_column,
    select,
    text,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.visitors import InternalTraversal

from app.db import FixedQuery
from app.models.actors import Actor
from app.models.articles import Article, Source
from app.models.statements import Statement

# Flat column names of the CSV export, in order; keep them stable.
CSV_COLUMNS = (
    "id",
    "article_id",
    "article_external_id",
    "article_title",
    "article_source",
    "article_url",
    "article_published_at",
    "speaker_id",
    "speaker_slug",
    "speaker_name",
    "speaker_kind",
    "speaker_mention",
    "cue",
    "kind",
    "content",
    "start",
    "end",
)


def export_query(actor_slug: str | None = None) -> Select[Statement, Article, str, Actor]:
    speaker = aliased(Actor)
    query = (
        select(Statement, Article, Source.name.label("source_name"), speaker)
        .join(Article, Article.id == Statement.article_id)
        .outerjoin(Source, Source.id == Article.source_id)
        .outerjoin(speaker, speaker.id == Statement.speaker_id)
        .order_by(Statement.id)
    )
    query = query.where(listed())
    if actor_slug is not None:
        query = query.where(speaker.slug == actor_slug)
    return query


def export_record(
    statement: Statement, article: Article, source_name: str | None, speaker: Actor | None
) -> dict[str, Any]:
    """One statement in the export shape (`claimtracker export`, the JSON API)."""
    return {
        "id": statement.id,
        "article": {
            "id": article.id,
            "external_id": article.external_id,
            "title": article.title,
            "source": source_name,
            "url": article.url,
            "published_at": article.published_at.isoformat() if article.published_at else None,
        },
        "speaker": (
            {"id": speaker.id, "slug": speaker.slug, "name": speaker.name, "kind": speaker.kind}
            if speaker
            else None
        ),
        "speaker_mention": statement.speaker_mention,
        "cue": statement.cue,
        "kind": statement.kind,
        "content": statement.content,
        "start": statement.start,
        "end": statement.end,
    }


def flatten_record(record: dict[str, Any]) -> dict[str, Any]:
    article = record["article"]
    speaker = record["speaker"] or {}
    return {
        "id": record["id"],
        "article_id": article["id"],
        "article_external_id": article["external_id"],
        "article_title": article["title"],
        "article_source": article["source"],
        "article_url": article["url"],
        "article_published_at": article["published_at"],
        "speaker_id": speaker.get("id"),
        "speaker_slug": speaker.get("slug"),
        "speaker_name": speaker.get("name"),
        "speaker_kind": speaker.get("kind"),
        "speaker_mention": record["speaker_mention"],
        "cue": record["cue"],
        "kind": record["kind"],
        "content": record["content"],
        "start": record["start"],
        "end": record["end"],
    }


def export_records(session: Session, actor_slug: str | None = None) -> Iterator[dict[str, Any]]:
    """Every statement (of one actor) in export shape, streamed from the database."""
    result = session.execute(export_query(actor_slug).execution_options(yield_per=500))
    for statement, article, source_name, speaker in result:
        yield export_record(statement, article, source_name, speaker)


# Counting every match of a broad filter over a million rows costs more than the page itself:
# counts and facets stop at this many statements and the page says "10,000+".
COUNT_CAP = 10_000
# Facets and timelines are counted over the newest this many matches: exact for most filters,
# a labelled sample for broad ones, and a bounded cost either way.
FACET_SAMPLE = 1_000
# Ranking scores every candidate, so a search ranks the newest this many matches; sorting by
# date reaches all of them. Equal to FACET_SAMPLE so a page ranks the facets' sample.
RANK_WINDOW = FACET_SAMPLE
MAX_LIMIT = 500
# A search the planner expects to match more than this is reported as "10,000+" without
# counting: counting a word found in 7 % of a million statements costs 40 ms and more, and
# the planner's word statistics are reliable for words that common.
BROAD_SEARCH = 3 * COUNT_CAP
FACET_SIZE = 15
# Private-use characters ts_headline wraps matches in; the page escapes the text, then turns
# them into <mark> (see app.web.render), so no database output is ever trusted as HTML.
MATCH_START = "\ue000"
MATCH_STOP = "\ue001"
HEADLINE_OPTIONS = f"HighlightAll=true, StartSel={MATCH_START}, StopSel={MATCH_STOP}"

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

    @property
    def active(self) -> bool:
        return any(
            (self.actors, self.actor_kind, self.source, self.kind, self.cue_class, self.q)
        ) or bool(self.date_from or self.date_to or self.review)


@dataclass(frozen=True)
class ActorRef:
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
    actors: tuple[ActorRef, ...] = ()
    source_id: int | None = None
    # For a search, the planner's estimate of how many statements match (see estimate_matches).
    estimated: float | None = None

    @property
    def sole_actor(self) -> ActorRef | None:
        """The one actor asked for, when nothing else is (their listed statements, all of
        them): the case the counts kept on the actor answer exactly."""
        if len(self.actors) == 1 and replace(self.filters, actors=()) == StatementFilters():
            return self.actors[0]
        return None

    @property
    def broad_search(self) -> bool:
        """A search the planner expects to match far more than COUNT_CAP statements."""
        return self.estimated is not None and self.estimated > BROAD_SEARCH


@dataclass
class StatementPage:
    items: list[dict[str, Any]]
    total: int
    # True when there are more than `total` matches (the count stopped at COUNT_CAP).
    total_capped: bool
    next_cursor: str | None
    sort: Sort
    # True when relevance ranked only the newest RANK_WINDOW of more matches.
    ranked_window: bool = False


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facets:
    actor: list[FacetValue] = field(default_factory=list)
    actor_kind: list[FacetValue] = field(default_factory=list)
    source: list[FacetValue] = field(default_factory=list)
    kind: list[FacetValue] = field(default_factory=list)
    cue_class: list[FacetValue] = field(default_factory=list)
    # True when the counts come from the newest FACET_SAMPLE matches rather than all of them.
    sampled: bool = False
    # Those matches, newest first: a search page ranks exactly these (RANK_WINDOW).
    newest: "Newest | None" = None


def plan_for_values(session: Session) -> None:
    """Plan this transaction's queries for their actual values, not with a generic plan.

    A search's best plan depends on the word: a rare one wants the text index, one in a
    statement in ten wants the date index. psycopg prepares repeated queries, and PostgreSQL
    then settles on one generic plan for every word (measured: 200 ms instead of 50 ms).
    """
    session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def plan_generically(session: Session) -> None:
    """Let the rest of the transaction reuse cached plans again.

    Once a search has read its matches, its remaining queries (rows by id, names, kinds) have
    one best plan whatever the word; planning the page's rows afresh cost 2 ms.
    """
    session.execute(text("SET LOCAL plan_cache_mode = auto"))


_ACTORS_BY_SLUG = FixedQuery(
    select(Actor.id, Actor.slug, Actor.name, Actor.kind, Actor.statement_count).where(
        Actor.slug == any_(bindparam("slugs", type_=ARRAY(String)))
    )
)


def resolve_filters(session: Session, filters: StatementFilters) -> ResolvedFilters:
    """Look up the actors and source a filter names, so the main queries compare ids."""
    if filters.q:
        plan_for_values(session)
    actors: tuple[ActorRef, ...] = ()
    if filters.actors:
        rows = _ACTORS_BY_SLUG.rows(session, slugs=list(filters.actors))
        found = {
            row.slug: ActorRef(row.id, row.slug, row.name, row.kind, row.statement_count)
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
    if filters.q:
        resolved = replace(resolved, estimated=estimate_matches(session, resolved))
    return resolved


class Explain(Executable, ClauseElement):
    """EXPLAIN (FORMAT JSON) of a statement: compiled once and cached like any query."""

    inherit_cache = True
    _traverse_internals = [("statement", InternalTraversal.dp_clauseelement)]  # noqa: RUF012

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement

    @property
    def _all_selected_columns(self) -> list[Any]:
        # One column, the plan, whatever the statement selects.
        return [literal_column('"QUERY PLAN"')]


@compiles(Explain, "postgresql")
def _compile_explain(element: Explain, compiler: Any, **kw: Any) -> str:
    return f"EXPLAIN (FORMAT JSON) {compiler.process(element.statement, **kw)}"


def estimate_matches(session: Session, resolved: ResolvedFilters) -> float:
    """How many statements the planner expects to match: one EXPLAIN, no rows read."""
    query: Select[Any] = (
        select(literal_column("1")).select_from(Statement).where(*conditions(resolved))
    )
    plan = session.connection().execute(Explain(query)).scalar_one()
    return float(plan[0]["Plan"]["Plan Rows"])


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


def conditions(resolved: ResolvedFilters, *, with_actors: bool = True) -> list[ColumnElement[bool]]:
    """WHERE clauses on the statements table alone, so counts and samples need no joins."""
    filters = resolved.filters
    where: list[ColumnElement[bool]] = []
    if filters.review is None:
        where.append(listed())
    elif filters.review != "all":
        where.append(Statement.review_status == filters.review)
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
    return where


def effective_sort(filters: StatementFilters, sort: Sort | None) -> Sort:
    """Relevance when searching unless told otherwise; it means nothing without a search."""
    if sort is None:
        return "relevance" if filters.q else "newest"
    if sort == "relevance" and not filters.q:
        return "newest"
    return sort


def encode_cursor(sort: Sort, key: Any, statement_id: int) -> str:
    raw = json.dumps([sort, key, statement_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: Sort) -> tuple[Any, int]:
    """The (sort key, id) a page starts after; InvalidFilter if the cursor was not ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_sort, key, statement_id = json.loads(raw)
    except (binascii.Error, ValueError, TypeError) as error:
        raise InvalidFilter("the cursor is not one this site gave out") from error
    if cursor_sort != sort or not isinstance(statement_id, int):
        raise InvalidFilter("the cursor belongs to a different sort order")
    if sort == "relevance":
        if not isinstance(key, int | float):
            raise InvalidFilter("the cursor is not one this site gave out")
    else:
        if not isinstance(key, str):
            raise InvalidFilter("the cursor is not one this site gave out")
        if key != "-infinity":
            try:
                datetime.fromisoformat(key)
            except ValueError as error:
                raise InvalidFilter("the cursor is not one this site gave out") from error
    return key, statement_id


def _rank(q: str) -> ColumnElement[Any]:
    return func.ts_rank_cd(Statement.content_tsv, tsquery(q))


def order_and_seek(
    query: Select[Any], sort: Sort, q: str | None, after: tuple[Any, int] | None
) -> Select[Any]:
    if sort == "relevance":
        assert q is not None
        rank = _rank(q)
        if after is not None:
            query = query.where(
                tuple_(rank, Statement.id) < tuple_(cast(literal(after[0]), REAL), after[1])
            )
        return query.order_by(rank.desc(), Statement.id.desc())
    key = sort_key()
    if after is not None:
        bound = tuple_(cast(literal(after[0], String), DateTime(timezone=True)), after[1])
        seek = tuple_(key, Statement.id)
        query = query.where(seek < bound if sort == "newest" else seek > bound)
    if sort == "newest":
        return query.order_by(key.desc(), Statement.id.desc())
    return query.order_by(key.asc(), Statement.id.asc())


def listing_query(resolved: ResolvedFilters, sort: Sort) -> Select[Any]:
    """Statements with their article, source and speaker, as one row each."""
    q = resolved.filters.q
    rank = _rank(q) if sort == "relevance" and q else literal(None)
    return _listing(rank).where(*conditions(resolved))


def _listing(rank: ColumnElement[Any]) -> Select[Any]:
    columns: list[Any] = [
        Statement.id,
        Statement.article_id,
        Statement.speaker_mention,
        Statement.cue,
        Statement.cue_class,
        Statement.kind,
        Statement.content,
        Statement.start,
        Statement.end,
        Statement.confidence,
        Statement.published_at.label("sort_date"),
        Article.external_id.label("article_external_id"),
        Article.title.label("article_title"),
        Article.url.label("article_url"),
        Article.published_at.label("article_published_at"),
        Source.name.label("source_name"),
        Actor.id.label("speaker_id"),
        Actor.slug.label("speaker_slug"),
        Actor.name.label("speaker_name"),
        Actor.kind.label("speaker_kind"),
    ]
    columns.append(rank.label("rank"))
    return (
        select(*columns)
        .join(Article, Article.id == Statement.article_id)
        .outerjoin(Source, Source.id == Article.source_id)
        .outerjoin(Actor, Actor.id == Statement.speaker_id)
    )


def _rows_by_id(headlines: bool) -> FixedQuery:
    """A page of statements chosen by id (a search ranked them), optionally with the search's
    matches marked. The ids came from the filtered read, so no filter is repeated."""
    page = _listing(literal(None)).where(Statement.id == any_(bindparam("ids", type_=ID_ARRAY)))
    if not headlines:
        return FixedQuery(page)
    inner = page.subquery()
    headline = _headline(inner, tsquery(bindparam("q", type_=String)))
    return FixedQuery(select(inner, headline))


def _headline(page: Any, query: ColumnElement[Any]) -> ColumnElement[Any]:
    """The search's matches marked in a page's content (a subquery of listing rows)."""
    return func.ts_headline(
        literal_column("'english'::regconfig"), page.c.content, query, HEADLINE_OPTIONS
    ).label("headline")


_ROWS_BY_ID = _rows_by_id(headlines=False)
_HEADLINED_ROWS_BY_ID = _rows_by_id(headlines=True)


def statement_item(row: Any) -> dict[str, Any]:
    """A listed statement in the export shape (see export_record), plus its cue class."""
    return {
        "id": row.id,
        "article": {
            "id": row.article_id,
            "external_id": row.article_external_id,
            "title": row.article_title,
            "source": row.source_name,
            "url": row.article_url,
            "published_at": (
                row.article_published_at.isoformat() if row.article_published_at else None
            ),
        },
        "speaker": (
            {
                "id": row.speaker_id,
                "slug": row.speaker_slug,
                "name": row.speaker_name,
                "kind": row.speaker_kind,
            }
            if row.speaker_id is not None
            else None
        ),
        "speaker_mention": row.speaker_mention,
        "cue": row.cue,
        "kind": row.kind,
        "content": row.content,
        "start": row.start,
        "end": row.end,
        "cue_class": row.cue_class,
        "confidence": row.confidence,
    }


def count_statements(session: Session, resolved: ResolvedFilters) -> tuple[int, bool]:
    """How many statements match, stopping at COUNT_CAP: (count, whether it stopped).

    One actor's listed statements, nothing else asked, are counted exactly: the actor keeps
    that number.
    """
    actor = resolved.sole_actor
    if actor is not None and actor.statement_count is not None:
        return actor.statement_count, False
    if resolved.broad_search:
        return COUNT_CAP, True
    matching = (
        select(literal(1).label("one"))
        .select_from(Statement)
        .where(*conditions(resolved))
        .limit(COUNT_CAP + 1)
        .subquery()
    )
    total = session.scalar(select(func.count()).select_from(matching)) or 0
    return min(total, COUNT_CAP), total > COUNT_CAP


def list_statements(
    session: Session,
    resolved: ResolvedFilters,
    sort: Sort | None = None,
    limit: int = 50,
    cursor: str | None = None,
    count: bool = True,
    newest: "Newest | None" = None,
    headlines: bool = True,
) -> StatementPage:
    """One page of matching statements, keyset-paginated, with a capped count.

    `newest` may pass the newest matches when the caller has read them (statement_facets
    does), saving a second pass over the matches. `headlines` marks the search's matches in
    each item (pages show them; the JSON does not need the cost).
    """
    order = effective_sort(resolved.filters, sort)
    after = decode_cursor(cursor, order) if cursor else None
    q = resolved.filters.q
    if order == "relevance":
        assert q is not None
        if newest is None:
            newest = newest_matches(session, resolved, facet_columns=False)
        # The window holds every word-dependent read this page needs.
        plan_generically(session)
        # The window came with its ranks: order it here, then read only the page's rows.
        ranked = sorted(zip(newest.ranks, newest.ids, strict=True), reverse=True)[:RANK_WINDOW]
        if after is not None:
            ranked = [key for key in ranked if key < (after[0], after[1])]
        chosen = ranked[: limit + 1]
        position = {statement_id: n for n, (_, statement_id) in enumerate(chosen)}
        rank_of = {statement_id: rank for rank, statement_id in chosen}
        # One array parameter, not a thousand: cheaper to bind, send and plan.
        if headlines:
            rows = list(_HEADLINED_ROWS_BY_ID.rows(session, ids=list(position), q=q))
        else:
            rows = list(_ROWS_BY_ID.rows(session, ids=list(position)))
        rows.sort(key=lambda row: position[row.id])
    else:
        page = order_and_seek(listing_query(resolved, order), order, q, after).limit(limit + 1)
        if q and headlines:
            # Highlight only the rows of the page, after the LIMIT.
            inner = page.subquery()
            page = select(inner, _headline(inner, tsquery(q))).order_by(
                *_outer_date_order(inner, order)
            )
        rows = list(session.execute(page).all())
    items = []
    for row in rows[:limit]:
        item = statement_item(row)
        if q and headlines:
            item["headline"] = row.headline
        items.append(item)
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        if order == "relevance":
            next_cursor = encode_cursor(order, rank_of[last.id], last.id)
        else:
            key = last.sort_date.isoformat() if last.sort_date else "-infinity"
            next_cursor = encode_cursor(order, key, last.id)
    if not count:
        total, capped = len(items), False
    elif newest is not None and newest.total is not None:
        total, capped = newest.total
    else:
        total, capped = count_statements(session, resolved)
    windowed = order == "relevance" and (capped or total > RANK_WINDOW)
    return StatementPage(items, total, capped, next_cursor, order, windowed)


def _outer_date_order(inner: Any, order: Sort) -> list[Any]:
    key = func.coalesce(inner.c.sort_date, literal_column("'-infinity'::timestamptz"))
    if order == "newest":
        return [key.desc(), inner.c.id.desc()]
    return [key.asc(), inner.c.id.asc()]


def iter_statement_items(
    session: Session, resolved: ResolvedFilters, sort: Sort | None = None
) -> Iterator[dict[str, Any]]:
    """Every matching statement in list order, streamed with a server-side cursor."""
    order = effective_sort(resolved.filters, sort)
    if resolved.filters.q:
        plan_for_values(session)
    query = order_and_seek(listing_query(resolved, order), order, resolved.filters.q, None)
    for row in session.execute(query.execution_options(yield_per=1000)):
        yield statement_item(row)


@dataclass
class Newest:
    """The newest matches of a filter, read once a request: facets count them, a search ranks
    them (RANK_WINDOW), and a search counts every match on the way."""

    # Rows read: at most FACET_SAMPLE + 1, so "more than FACET_SAMPLE" shows.
    found: int
    # Column by column: statement id, then (with facet columns) speaker id, kind, cue class,
    # source id.
    columns: list[list[Any]]
    # A search's rank of each row (ts_rank_cd), in the same order; empty without a search.
    ranks: list[float]
    # (count up to COUNT_CAP, whether it stopped) when the read counted every match.
    total: tuple[int, bool] | None = None

    @property
    def ids(self) -> list[int]:
        return self.columns[0]


def newest_matches(
    session: Session,
    resolved: ResolvedFilters,
    *,
    with_actors: bool = True,
    facet_columns: bool = True,
) -> Newest:
    """One read of the newest FACET_SAMPLE + 1 matches.

    Without a search this is an index-ordered (over an actor or everything, index-only) scan
    that stops after those rows. A search reads every match from the text index anyway to
    find the newest, so unless it is broad the same read counts them (`count(*) OVER ()`:
    measured 1.2 ms, against 3.7 ms for a count of its own). It ranks only the rows kept,
    after the limit (measured: 1.2 ms less than ranking every match).
    """
    q = resolved.filters.q
    columns: list[Any] = [Statement.id]
    if facet_columns:
        columns += [Statement.speaker_id, Statement.kind, Statement.cue_class, Statement.source_id]
    width = len(columns)
    newest = (
        select(*columns)
        .where(*conditions(resolved, with_actors=with_actors))
        .order_by(sort_key().desc(), Statement.id.desc())
        .limit(FACET_SAMPLE + 1)
    )
    counting = with_actors and bool(q) and not resolved.broad_search
    if q:
        # A search's page ranks these rows: rank them after the limit, from the text the
        # read carried along, and keep the order the limit was taken in.
        carried = [sort_key().label("sort_key"), Statement.content_tsv.label("tsv")]
        if counting:
            carried.append(func.count().over().label("matched"))
        kept = newest.add_columns(*carried).subquery()
        outer = [*(kept.c[column.key] for column in columns)]
        outer.append(func.ts_rank_cd(kept.c.tsv, tsquery(q)))
        if counting:
            outer.append(kept.c.matched)
        newest = select(*outer).order_by(kept.c.sort_key.desc(), kept.c.id.desc())
    # Plain rows through the session's connection: the ORM layer adds nothing to a thousand
    # tuples but time.
    rows = session.connection().execute(newest).all()
    total = None
    if counting:
        matched = rows[0][-1] if rows else 0
        total = (min(matched, COUNT_CAP), matched > COUNT_CAP)
    read = [list(column) for column in zip(*rows[:FACET_SAMPLE], strict=True)]
    kept_columns = read[:width] or [[] for _ in range(width)]
    ranks = (read[width] if read else []) if q else []
    return Newest(len(rows), kept_columns, ranks, total)


def _top(counter: Counter[Any], selected: Sequence[Any], size: int) -> list[tuple[Any, int]]:
    """The `size` most frequent values, selected ones first (even when absent)."""
    chosen = [(value, counter.get(value, 0)) for value in selected]
    chosen_values = set(selected)
    rest = [(value, n) for value, n in counter.most_common(size + len(chosen_values))]
    rest = [(value, n) for value, n in rest if value not in chosen_values]
    return chosen + rest[:size]


# The speakers' kinds counted in the database: a handful of rows back, not one per speaker.
_SPEAKER_KINDS = FixedQuery(
    text(
        "SELECT actors.kind, sum(speakers.n)::int AS n"
        " FROM unnest(CAST(:ids AS integer[]), CAST(:counts AS integer[])) AS speakers (id, n)"
        " JOIN actors ON actors.id = speakers.id GROUP BY actors.kind"
    )
)


def statement_facets(
    session: Session, resolved: ResolvedFilters, with_actor_facet: bool = True
) -> Facets:
    """Counts per actor, actor kind, source, kind and cue class over the newest FACET_SAMPLE.

    The actor facet ignores the actor filter, so a reader can add a second actor; the others
    count the current result. Exact whenever there are at most FACET_SAMPLE matches.
    """
    filters = resolved.filters
    newest = newest_matches(session, resolved)
    _, speaker_ids, kinds, cue_classes, source_ids = newest.columns
    facets = Facets(sampled=newest.found > FACET_SAMPLE, newest=newest)
    selected_ids = [actor.id for actor in resolved.actors]
    facet_speakers = speaker_ids
    if with_actor_facet and resolved.actors:
        others = newest_matches(session, resolved, with_actors=False)
        facets.sampled = facets.sampled or others.found > FACET_SAMPLE
        facet_speakers = others.columns[1]
    top_actors: list[tuple[int, int]] = []
    if with_actor_facet:
        speakers = Counter(facet_speakers)
        speakers.pop(None, None)
        top_actors = _top(speakers, selected_ids, FACET_SIZE)
    sources = Counter(source_ids)
    sources.pop(None, None)
    top_sources = _top(sources, [resolved.source_id] if resolved.source_id else [], FACET_SIZE)
    ids = [actor_id for actor_id, _ in top_actors]
    actors = (
        {
            row.id: row
            for row in session.connection().execute(
                select(Actor.id, Actor.slug, Actor.name).where(
                    Actor.id == any_(literal(ids, ID_ARRAY))
                )
            )
        }
        if ids
        else {}
    )
    names = {
        row.id: row.name
        for row in (
            session.execute(
                select(Source.id, Source.name).where(Source.id.in_([i for i, _ in top_sources]))
            )
            if top_sources
            else ()
        )
    }
    facets.actor = [
        FacetValue(actors[i].slug, actors[i].name, n, i in selected_ids)
        for i, n in top_actors
        if i in actors
    ]
    speaking = Counter(i for i in speaker_ids if i is not None)
    kinds_read = (
        _SPEAKER_KINDS.rows(session, ids=list(speaking), counts=list(speaking.values()))
        if speaking
        else []
    )
    kind_counts = Counter({row.kind: row.n for row in kinds_read})
    facets.actor_kind = [
        FacetValue(kind, kind, n, kind == filters.actor_kind)
        for kind, n in _top(kind_counts, [filters.actor_kind] if filters.actor_kind else [], 10)
    ]
    facets.source = [
        FacetValue(names[i], names[i], n, i == resolved.source_id)
        for i, n in top_sources
        if i in names
    ]
    facets.kind = [
        FacetValue(kind, kind, n, kind == filters.kind)
        for kind, n in _top(Counter(kinds), [filters.kind] if filters.kind else [], 10)
    ]
    cues = Counter(cue_classes)
    facets.cue_class = [
        FacetValue(cue, cue, n, cue == filters.cue_class)
        for cue, n in _top(cues, [filters.cue_class] if filters.cue_class else [], 10)
    ]
    return facets


def statements_of_article(session: Session, article_id: int) -> list[dict[str, Any]]:
    """An article's statements in reading order."""
    resolved = ResolvedFilters(StatementFilters())
    query = (
        listing_query(resolved, "oldest")
        .where(Statement.article_id == article_id)
        .order_by(Statement.start, Statement.id)
    )
    return [statement_item(row) for row in session.execute(query)]


def speaker_ids(items: Sequence[dict[str, Any]]) -> list[int]:
    return [item["speaker"]["id"] for item in items if item["speaker"]]
