"""Facet counts of a statement list: who speaks, their kind, the outlet, the kind and the
cue class, each from the same read of the newest matches."""

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    any_,
    literal,
    select,
    text,
)
from sqlalchemy.orm import Session

from app.db import FixedQuery
from app.models import Actor, Source
from app.statements.filters import FACET_SAMPLE, FACET_SIZE, ID_ARRAY, ResolvedFilters
from app.statements.listing import Newest, newest_matches


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
    session: Session, spec: FacetSpec, counts: Counter[Any], selected: list[Any]
) -> list[FacetValue]:
    counts.pop(None, None)
    top = _top(counts, selected, spec.size)
    if spec.names is None:
        return [FacetValue(value, value, n, value in selected) for value, n in top]
    names = spec.names(session, [value for value, _ in top]) if top else {}
    return [FacetValue(*names[value], n, value in selected) for value, n in top if value in names]


# The speakers' kinds counted in the database: a handful of rows back, not one per speaker.
_SPEAKER_KINDS = FixedQuery(
    text(
        "SELECT actors.kind, sum(speakers.n)::int AS n"
        " FROM unnest(CAST(:ids AS integer[]), CAST(:counts AS integer[])) AS speakers (id, n)"
        " JOIN actors ON actors.id = speakers.id GROUP BY actors.kind"
    )
)


def _speaker_kinds(session: Session, speaker_ids: list[Any]) -> Counter[Any]:
    speaking = Counter(i for i in speaker_ids if i is not None)
    if not speaking:
        return Counter()
    rows = _SPEAKER_KINDS.rows(session, ids=list(speaking), counts=list(speaking.values()))
    return Counter({row.kind: row.n for row in rows})


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
    facet_speakers = speaker_ids
    if with_actor_facet and resolved.actors:
        others = newest_matches(session, resolved, with_actors=False)
        facets.sampled = facets.sampled or others.found > FACET_SAMPLE
        facet_speakers = others.columns[1]
    counted: dict[str, tuple[Counter[Any], list[Any]]] = {
        "actor_kind": (
            _speaker_kinds(session, speaker_ids),
            [filters.actor_kind] if filters.actor_kind else [],
        ),
        "source": (Counter(source_ids), [resolved.source_id] if resolved.source_id else []),
        "kind": (Counter(kinds), [filters.kind] if filters.kind else []),
        "cue_class": (Counter(cue_classes), [filters.cue_class] if filters.cue_class else []),
    }
    if with_actor_facet:
        counted["actor"] = (Counter(facet_speakers), [actor.id for actor in resolved.actors])
    for name, (counts, selected) in counted.items():
        setattr(facets, name, _facet(session, FACETS[name], counts, selected))
    return facets
