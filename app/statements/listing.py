"""Pages of statements: keyset cursors, the newest matches read once, search ranking and
match highlighting, and the page's total."""

import base64
import binascii
import functools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

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
    tuple_,
)
from sqlalchemy.orm import Session

from app.db import FixedQuery
from app.models import Statement
from app.statements.counts import CountCache, Counts, count_matches
from app.statements.export import statement_record, statement_rows
from app.statements.filters import (
    ID_ARRAY,
    RANK_WINDOW,
    InvalidFilter,
    ResolvedFilters,
    Sort,
    StatementFilters,
    claims_only,
    conditions,
    effective_sort,
    listed,
    sort_key,
    tsquery,
)
from app.statements.planner import plan_for_values, plan_generically

# Private-use characters ts_headline wraps matches in; the page escapes the text, then turns
# them into <mark> (see app.web.render), so no database output is ever trusted as HTML.
MATCH_START = "\ue000"


MATCH_STOP = "\ue001"


HEADLINE_OPTIONS = f"HighlightAll=true, StartSel={MATCH_START}, StopSel={MATCH_STOP}"


@dataclass
class StatementPage:
    items: list[dict[str, Any]]
    total: int
    # True when `total` is an estimate (a result larger than the exact-count budget).
    estimated: bool
    next_cursor: str | None
    sort: Sort
    # True when relevance ranked only the newest RANK_WINDOW of more matches.
    ranked_window: bool = False
    # The cursor of the page before this one (None on the first page).
    prev_cursor: str | None = None

    @property
    def total_capped(self) -> bool:
        """The older name of `estimated` (the total is not an exact count)."""
        return self.estimated


def encode_cursor(sort: Sort, key: Any, statement_id: int, before: bool = False) -> str:
    """A page's edge: the (sort key, id) a page starts after, or (before) ends before."""
    parts: list[Any] = [sort, key, statement_id, *(["b"] if before else [])]
    raw = json.dumps(parts, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: Sort) -> tuple[Any, int, bool]:
    """The (sort key, id) a page starts after (or, with True, ends before); InvalidFilter if
    the cursor was not ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_sort, key, statement_id, *rest = json.loads(raw)
    except (binascii.Error, ValueError, TypeError) as error:
        raise InvalidFilter("the cursor is not one this site gave out") from error
    if rest not in ([], ["b"]):
        raise InvalidFilter("the cursor is not one this site gave out")
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
    return key, statement_id, rest == ["b"]


_REVERSED: dict[Sort, Sort] = {"newest": "oldest", "oldest": "newest"}


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
    return statement_rows(rank).where(*conditions(resolved))


def _rows_by_id(headlines: bool) -> FixedQuery:
    """A page of statements chosen by id (a search ranked them), optionally with the search's
    matches marked. The ids came from the filtered read, so no filter is repeated."""
    page = statement_rows().where(Statement.id == any_(bindparam("ids", type_=ID_ARRAY)))
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


def list_statements(
    session: Session,
    resolved: ResolvedFilters,
    sort: Sort | None = None,
    limit: int = 50,
    cursor: str | None = None,
    count: bool = True,
    counts: Counts | None = None,
    headlines: bool = True,
    cache: CountCache | None = None,
) -> StatementPage:
    """One page of matching statements, keyset-paginated, with the total of the whole
    result (exact, or an estimate beyond the budget; see app.statements.counts).

    `counts` passes the total when the caller has counted (the facets do). `headlines` marks
    the search's matches in each item (pages show them; the JSON does not need the cost).
    """
    order = effective_sort(resolved.filters, sort)
    edge = decode_cursor(cursor, order) if cursor else None
    before = edge is not None and edge[2]
    after = (edge[0], edge[1]) if edge is not None else None
    q = resolved.filters.q
    rank_of: dict[int, float] = {}
    newest = None
    if order == "relevance":
        assert q is not None
        newest = newest_matches(session, resolved, counting=count and counts is None, cache=cache)
        # The window holds every word-dependent read this page needs.
        plan_generically(session)
        # The window came with its ranks: order it here, then read only the page's rows.
        ranked = newest.ranked
        if after is not None and before:
            # The page that ends before the edge, with one more in front if there is one.
            ranked = [key for key in ranked if key > after][-(limit + 1) :]
        elif after is not None:
            ranked = [key for key in ranked if key < after]
        chosen = ranked if before else ranked[: limit + 1]
        position = {statement_id: n for n, (_, statement_id) in enumerate(chosen)}
        rank_of = {statement_id: rank for rank, statement_id in chosen}
        # One array parameter, not a thousand: cheaper to bind, send and plan.
        if headlines:
            rows = list(_HEADLINED_ROWS_BY_ID.rows(session, ids=list(position), q=q))
        else:
            rows = list(_ROWS_BY_ID.rows(session, ids=list(position)))
        rows.sort(key=lambda row: position[row.id])
    else:
        # A page before the edge is the page after it in the other order, turned round.
        read = _REVERSED[order] if before else order
        if q:
            plan_for_values(session)
        if _plain(resolved):
            shape = (bool(resolved.actors), read, after is not None)
            params = _plain_params(resolved, after, limit)
            rows = list(_plain_page(shape).rows(session, **params))
        else:
            page = order_and_seek(listing_query(resolved, read), read, q, after).limit(limit + 1)
            if q and headlines:
                # Highlight only the rows of the page, after the LIMIT.
                inner = page.subquery()
                page = select(inner, _headline(inner, tsquery(q))).order_by(
                    *_outer_date_order(inner, read)
                )
            rows = list(session.connection().execute(page).all())
        if before:
            rows.reverse()
    more = len(rows) > limit
    shown = rows[-limit:] if before else rows[:limit]
    items = []
    for row in shown:
        item = statement_record(row)
        if q and headlines:
            item["headline"] = row.headline
        items.append(item)

    def edge_of(row: Any, backwards: bool) -> str:
        if order == "relevance":
            return encode_cursor(order, rank_of[row.id], row.id, backwards)
        key = row.sort_date.isoformat() if row.sort_date else "-infinity"
        return encode_cursor(order, key, row.id, backwards)

    has_next = before or more
    has_prev = more if before else after is not None
    next_cursor = edge_of(shown[-1], False) if shown and has_next else None
    prev_cursor = edge_of(shown[0], True) if shown and has_prev else None
    if not count:
        total, estimated = len(items), False
    elif counts is not None:
        total, estimated = counts.total, counts.estimated
    elif newest is not None and newest.total is not None:
        total, estimated = newest.total, False
    else:
        counted = count_matches(session, resolved, cache=cache)
        total, estimated = counted.total, counted.estimated
    windowed = order == "relevance" and newest is not None and newest.found > RANK_WINDOW
    return StatementPage(items, total, estimated, next_cursor, order, windowed, prev_cursor)


def _plain(resolved: ResolvedFilters) -> bool:
    """Listed claims of everyone or of one actor, nothing else asked: the commonest page (a
    home page, an actor's claims), read by a query compiled once."""
    return len(resolved.actors) <= 1 and replace(resolved.filters, actors=()) == StatementFilters()


@functools.cache
def _plain_page(resolved_shape: tuple[bool, Sort, bool]) -> FixedQuery:
    """A page of listed claims (of one actor), newest or oldest first, after a cursor or not.

    Building and hashing the SQLAlchemy statement cost more than running it (measured: 1.9 ms
    of CPU against 0.4 ms for a page of one actor's claims).
    """
    one_actor, order, seeking = resolved_shape
    query = statement_rows().where(listed(), claims_only())
    if one_actor:
        query = query.where(Statement.speaker_id == bindparam("speaker", type_=Integer))
    key = sort_key()
    if seeking:
        bound = tuple_(
            cast(bindparam("after_key", type_=String), DateTime(timezone=True)),
            bindparam("after_id", type_=Integer),
        )
        seek = tuple_(key, Statement.id)
        query = query.where(seek < bound if order == "newest" else seek > bound)
    if order == "newest":
        query = query.order_by(key.desc(), Statement.id.desc())
    else:
        query = query.order_by(key.asc(), Statement.id.asc())
    return FixedQuery(query.limit(bindparam("limit", type_=Integer)))


def _plain_params(
    resolved: ResolvedFilters, after: tuple[Any, int] | None, limit: int
) -> dict[str, Any]:
    params: dict[str, Any] = {"limit": limit + 1}
    if resolved.actors:
        params["speaker"] = resolved.actors[0].id
    if after is not None:
        params["after_key"], params["after_id"] = after
    return params


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
        yield statement_record(row)


@dataclass
class Newest:
    """The newest matches of a search, which it ranks (RANK_WINDOW), counting every match on
    the way."""

    # Rows read: at most RANK_WINDOW + 1, so "more than RANK_WINDOW" shows.
    found: int
    ids: list[int]
    # The rank of each row (ts_rank_cd), in the same order.
    ranks: list[float]
    # Every match, when the read counted them.
    total: int | None = None

    @functools.cached_property
    def ranked(self) -> list[tuple[float, int]]:
        """(rank, id), best first: the order of a relevance page."""
        return sorted(zip(self.ranks, self.ids, strict=True), reverse=True)


def newest_matches(
    session: Session,
    resolved: ResolvedFilters,
    *,
    counting: bool = True,
    cache: CountCache | None = None,
) -> Newest:
    """One read of a search's newest RANK_WINDOW + 1 matches, ranked.

    A search that is not broad reads every match from the text index anyway to find the
    newest, so (with `counting`) the same read counts them (`count(*) OVER ()`: measured 1.2
    ms, against 3.7 ms for a count of its own). It ranks only the rows kept, after the limit
    (measured: 1.2 ms less than ranking every match). With a cache, the ranked window is
    kept like the counts (until a write): paging through a search reads it once.
    """
    q = resolved.filters.q
    assert q is not None
    counting = counting and not resolved.broad_search
    key = (
        "newest",
        resolved.filters,
        tuple(actor.id for actor in resolved.actors),
        resolved.source_id,
        counting,
    )
    version = cache.version(session) if cache is not None else 0
    if cache is not None and (found := cache.get(version, key)) is not None:
        return found
    plan_for_values(session)
    # Rank after the limit, from the text the read carried along, in the order it was taken.
    carried = [Statement.id, sort_key().label("sort_key"), Statement.content_tsv.label("tsv")]
    if counting:
        carried.append(func.count().over().label("matched"))
    kept = (
        select(*carried)
        .where(*conditions(resolved))
        .order_by(sort_key().desc(), Statement.id.desc())
        .limit(RANK_WINDOW + 1)
        .subquery()
    )
    outer = [kept.c.id, func.ts_rank_cd(kept.c.tsv, tsquery(q))]
    if counting:
        outer.append(kept.c.matched)
    ranked = select(*outer).order_by(kept.c.sort_key.desc(), kept.c.id.desc())
    # Plain rows through the session's connection: the ORM layer adds nothing to a thousand
    # tuples but time.
    rows = session.connection().execute(ranked).all()
    total = (rows[0][-1] if rows else 0) if counting else None
    kept_rows = rows[:RANK_WINDOW]
    newest = Newest(len(rows), [row[0] for row in kept_rows], [row[1] for row in kept_rows], total)
    if cache is not None:
        cache.put(version, key, newest)
    return newest


def statements_of_article(
    session: Session, article_id: int, limit: int | None = None, offset: int = 0
) -> list[dict[str, Any]]:
    """An article's statements in reading order (a page of them, with a limit)."""
    # Every type: the article shows beliefs and intentions too, marked as such.
    resolved = ResolvedFilters(StatementFilters(type="all"))
    query = (
        listing_query(resolved, "oldest")
        .where(Statement.article_id == article_id)
        .order_by(Statement.start, Statement.id)
        .limit(limit)
        .offset(offset)
    )
    return [statement_record(row) for row in session.execute(query)]


def position_in_article(session: Session, article_id: int, statement_id: int) -> int | None:
    """How many of the article's listed statements come before this one (None: not its)."""
    start = session.scalar(
        select(Statement.start).where(
            Statement.id == statement_id, Statement.article_id == article_id
        )
    )
    if start is None:
        return None
    before = session.scalar(
        select(func.count()).where(
            Statement.article_id == article_id,
            listed(),
            tuple_(Statement.start, Statement.id) < tuple_(start, statement_id),
        )
    )
    return before or 0


def count_of_article(session: Session, article_id: int) -> int:
    """How many listed statements (of every type) an article has."""
    query = select(func.count()).where(Statement.article_id == article_id, listed())
    return session.scalar(query) or 0


def speaker_ids(items: Sequence[dict[str, Any]]) -> list[int]:
    return [item["speaker"]["id"] for item in items if item["speaker"]]


def created_times(session: Session, ids: Sequence[int]) -> dict[int, datetime]:
    """When each statement was stored (a feed's entries are updated then)."""
    if not ids:
        return {}
    rows = session.execute(
        select(Statement.id, Statement.created_at).where(Statement.id.in_(list(ids)))
    )
    return {row.id: row.created_at for row in rows}
