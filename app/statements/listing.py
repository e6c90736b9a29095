"""Pages of statements: keyset cursors, the newest matches read once, search ranking and
match highlighting, capped counts."""

import base64
import binascii
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    REAL,
    ColumnElement,
    DateTime,
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
from app.statements.export import statement_record, statement_rows
from app.statements.filters import (
    COLLAPSED_COUNT_CAP,
    FACET_SAMPLE,
    ID_ARRAY,
    RANK_WINDOW,
    InvalidFilter,
    ResolvedFilters,
    Sort,
    StatementFilters,
    conditions,
    count_cap,
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
    # True when there are more than `total` matches (the count stopped at COUNT_CAP).
    total_capped: bool
    next_cursor: str | None
    sort: Sort
    # True when relevance ranked only the newest RANK_WINDOW of more matches.
    ranked_window: bool = False
    # The cursor of the page before this one (None on the first page).
    prev_cursor: str | None = None


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


def count_statements(session: Session, resolved: ResolvedFilters) -> tuple[int, bool]:
    """How many statements match, stopping at COUNT_CAP: (count, whether it stopped).

    One actor's listed statements, nothing else asked, are counted exactly: the actor keeps
    that number.
    """
    actor = resolved.sole_actor
    if actor is not None and actor.statement_count is not None:
        return actor.statement_count, False
    cap = count_cap(resolved.filters)
    if resolved.broad_search:
        return cap, True
    matching = (
        select(literal(1).label("one"))
        .select_from(Statement)
        .where(*conditions(resolved))
        .limit(cap + 1)
        .subquery()
    )
    total = session.scalar(select(func.count()).select_from(matching)) or 0
    return min(total, cap), total > cap


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
    edge = decode_cursor(cursor, order) if cursor else None
    before = edge is not None and edge[2]
    after = (edge[0], edge[1]) if edge is not None else None
    q = resolved.filters.q
    rank_of: dict[int, float] = {}
    if order == "relevance":
        assert q is not None
        if newest is None:
            newest = newest_matches(session, resolved, facet_columns=False)
        # The window holds every word-dependent read this page needs.
        plan_generically(session)
        # The window came with its ranks: order it here, then read only the page's rows.
        ranked = sorted(zip(newest.ranks, newest.ids, strict=True), reverse=True)[:RANK_WINDOW]
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
        page = order_and_seek(listing_query(resolved, read), read, q, after).limit(limit + 1)
        if q and headlines:
            # Highlight only the rows of the page, after the LIMIT.
            inner = page.subquery()
            page = select(inner, _headline(inner, tsquery(q))).order_by(
                *_outer_date_order(inner, read)
            )
        rows = list(session.execute(page).all())
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
        total, capped = len(items), False
    elif newest is not None and newest.total is not None:
        total, capped = newest.total
    elif newest is not None and resolved.filters.collapse:
        # The facets' read of the newest matches stopped where a collapsed count stops.
        total, capped = min(newest.found, COLLAPSED_COUNT_CAP), newest.found > COLLAPSED_COUNT_CAP
    else:
        total, capped = count_statements(session, resolved)
    windowed = order == "relevance" and (capped or total > RANK_WINDOW)
    return StatementPage(items, total, capped, next_cursor, order, windowed, prev_cursor)


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
        cap = count_cap(resolved.filters)
        total = (min(matched, cap), matched > cap)
    read = [list(column) for column in zip(*rows[:FACET_SAMPLE], strict=True)]
    kept_columns = read[:width] or [[] for _ in range(width)]
    ranks = (read[width] if read else []) if q else []
    return Newest(len(rows), kept_columns, ranks, total)


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
