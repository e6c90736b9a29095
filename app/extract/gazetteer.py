"""The curated gazetteer of known actors (seeds/actors.yaml), indexed by normalised alias."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import yaml

from .names import normalise_alias, variant_key
from .types import ActorKind

DEFAULT_GAZETTEER = Path(__file__).resolve().parents[2] / "seeds" / "actors.yaml"
_KINDS: frozenset[str] = frozenset(
    {"person", "organization", "government", "country", "group", "unknown"}
)


@dataclass(frozen=True)
class GazetteerEntry:
    """One curated actor."""

    name: str
    aliases: tuple[str, ...]
    kind: ActorKind
    country: str | None
    role: str | None


class Gazetteer:
    """Curated actors, looked up by any alias in normalised form."""

    def __init__(self, entries: list[GazetteerEntry]) -> None:
        self.entries = tuple(entries)
        self._by_alias: dict[str, GazetteerEntry] = {}
        # Spelling variants ("Oleksiy" for "Oleksii"): None where two entries fold alike.
        self._by_fold: dict[str, GazetteerEntry | None] = {}
        for entry in entries:
            for alias in (entry.name, *entry.aliases):
                key = normalise_alias(alias)
                # First entry wins so that an ambiguous alias never flips between runs.
                if key:
                    self._by_alias.setdefault(key, entry)
                folded = variant_key(alias)
                if folded and self._by_fold.setdefault(folded, entry) is not entry:
                    self._by_fold[folded] = None

    def lookup(self, name: str) -> GazetteerEntry | None:
        """The entry whose name or alias normalises like `name`, or else the one entry it is
        a spelling variant of, if any."""
        found = self._by_alias.get(normalise_alias(name))
        return found if found is not None else self._by_fold.get(variant_key(name) or "")

    def __len__(self) -> int:
        return len(self.entries)


def _entry(raw: dict[str, Any]) -> GazetteerEntry:
    kind = str(raw.get("kind") or "unknown")
    return GazetteerEntry(
        name=str(raw["name"]),
        aliases=tuple(str(alias) for alias in raw.get("aliases") or ()),
        kind=cast(ActorKind, kind if kind in _KINDS else "unknown"),
        country=raw.get("country"),
        role=raw.get("role"),
    )


@lru_cache(maxsize=8)
def _load(path: Path) -> Gazetteer:
    if not path.exists():
        return Gazetteer([])
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return Gazetteer([_entry(item) for item in raw if isinstance(item, dict) and item.get("name")])


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """Load (once per path) the gazetteer; default is <repo>/seeds/actors.yaml."""
    return _load((path or DEFAULT_GAZETTEER).resolve())
