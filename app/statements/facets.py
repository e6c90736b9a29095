"""Facet counts of a statement list: who speaks, their kind, the outlet, the kind and the
cue class, over the whole result, from one grouped read (see app.statements.counts)."""

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    any_,
    literal,
    select,
)
from sqlalchemy.orm import Session

from app.models import Actor, Source
from app.statements.counts import CountCache, Counts, count_matches
from app.statements.filters import FACET_SIZE, ID_ARRAY, ResolvedFilters


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    # An estimate ("about"), in facets counted from a sample.
    estimated: bool = False


@dataclass
class Facets:
    actor: list[FacetValue] = field(default_factory=list)
    actor_kind: list[FacetValue] = field(default_factory=list)
    source: list[FacetValue] = field(default_factory=list)
    kind: list[FacetValue] = field(default_factory=list)
    cue_class: list[FacetValue] = field(default_factory=list)
    # True when the counts are estimates (a result beyond the exact-count budget); a selected
    # value's count is the list's total all the same.
    estimated: bool = False
    # The list's own counts: its total is the page's.
    counts: Counts | None = None


# A stored value (an id) -> its value in the URL and its label.
Names = Callable[[Session, list[Any]], dict[Any, tuple[str, str]]]


@dataclass(frozen=True)
class FacetSpec:
    """How one facet is shown: how many values, and how a stored value is named (None: the
    value is its own name, as a statement kind is)."""

    size: int
    names: Names | None = None


def _actor_names(session: Session, ids: list[Any]) -> dict[Any, tuple[str, str]]:
    rows = session.connection().execute(
        select(Actor.id, Actor.slug, Actor.name).where(Actor.id == any_(literal(ids, ID_ARRAY)))
    )
    return {row.id: (row.slug, row.name) for row in rows}


def _source_names(session: Session, ids: list[Any]) -> dict[Any, tuple[str, str]]:
    rows = session.execute(select(Source.id, Source.name).where(Source.id.in_(ids)))
    return {row.id: (row.name, row.name) for row in rows}


FACETS = {
    "actor": FacetSpec(FACET_SIZE, _actor_names),
    "actor_kind": FacetSpec(10),
    "source": FacetSpec(FACET_SIZE, _source_names),
    "kind": FacetSpec(10),
    "cue_class": FacetSpec(10),
}


def _top(counter: Counter[Any], selected: Sequence[Any], size: int) -> list[tuple[Any, int]]:
    """The `size` most frequent values, selected ones first (even when absent)."""
    chosen = [(value, counter.get(value, 0)) for value in selected]
    chosen_values = set(selected)
    rest = [(value, n) for value, n in counter.most_common(size + len(chosen_values))]
    rest = [(value, n) for value, n in rest if value not in chosen_values]
    return chosen + rest[:size]


def _facet(
    session: Session,
    spec: FacetSpec,
    counts: Counter[Any],
    selected: list[Any],
    estimated: bool,
    exact: set[Any],
) -> list[FacetValue]:
    """The facet's top values, named; in estimated counts, those not in `exact` say so."""
    counts = Counter({value: n for value, n in counts.items() if value is not None and n})
    top = _top(counts, selected, spec.size)
    names = spec.names(session, [value for value, _ in top]) if spec.names and top else {}
    shown = []
    for value, n in top:
        if spec.names is not None and value not in names:
            continue
        url_value, label = names[value] if spec.names is not None else (value, value)
        shown.append(
            FacetValue(url_value, label, n, value in selected, estimated and value not in exact)
        )
    return shown


def statement_facets(
    session: Session,
    resolved: ResolvedFilters,
    with_actor_facet: bool = True,
    cache: CountCache | None = None,
) -> Facets:
    """Counts per actor, actor kind, source, kind and cue class over the whole result.

    The actor facet ignores the actor filter, so a reader can add a second actor; the others
    count the current result. A selected value shows the list's own count: with one actor
    chosen, their count is the list's total.
    """
    filters = resolved.filters
    key = (
        "facets",
        filters,
        tuple(actor.id for actor in resolved.actors),
        resolved.source_id,
        with_actor_facet,
        resolved.count_limit,
    )
    # Names change only by writes, which move the version on: the whole facets are kept.
    version = cache.version(session) if cache is not None else 0
    if cache is not None and (found := cache.get(version, key)) is not None:
        return found
    counts = count_matches(session, resolved, facets=tuple(COUNTED), cache=cache)
    speakers = counts.by["actor"]
    facets = Facets(estimated=counts.by_estimated, counts=counts)
    chosen = [actor.id for actor in resolved.actors]
    counted: dict[str, tuple[Counter[Any], list[Any]]] = {
        "actor_kind": (
            counts.by["actor_kind"],
            [filters.actor_kind] if filters.actor_kind else [],
        ),
        "source": (counts.by["source"], [resolved.source_id] if resolved.source_id else []),
        "kind": (counts.by["kind"], [filters.kind] if filters.kind else []),
        "cue_class": (counts.by["cue_class"], [filters.cue_class] if filters.cue_class else []),
    }
    if with_actor_facet:
        facet_speakers = speakers
        if chosen:
            others = count_matches(
                session, resolved, with_actors=False, facets=("actor",), cache=cache
            )
            facets.estimated = facets.estimated or others.by_estimated
            # The chosen speakers count as the list does (their statements in this result).
            facet_speakers = Counter(others.by["actor"])
            for actor_id in chosen:
                facet_speakers[actor_id] = speakers.get(actor_id, 0)
        counted["actor"] = (facet_speakers, chosen)
    for name, (values, selected) in counted.items():
        exact: set[Any] = set()
        if len(selected) == 1:
            # The result is narrowed to this one value: all of it is theirs.
            values = Counter(values)
            values[selected[0]] = counts.total
            if not counts.estimated:
                exact.add(selected[0])
        if name == "actor" and resolved.only_actors:
            # Each chosen actor keeps their number.
            values = Counter(values)
            for actor in resolved.actors:
                if actor.statement_count is not None:
                    values[actor.id] = actor.statement_count
                    exact.add(actor.id)
        estimated = counts.by_estimated or (name == "actor" and facets.estimated)
        setattr(facets, name, _facet(session, FACETS[name], values, selected, estimated, exact))
    if cache is not None:
        cache.put(version, key, facets)
    return facets


# The facets counted from the statements themselves (speaker kinds come from the speakers).
COUNTED = ("actor", "source", "kind", "cue_class")
