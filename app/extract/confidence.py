"""Confidence of an attribution: how often its rule was right on training data, read from
confidence.json (written by `python -m app.extract.calibrate`)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from .types import ActorKind

TABLE_PATH = Path(__file__).with_name("confidence.json")
CELL_SEPARATOR = "|"  # "verb.clause|statement|person"

SPEAKER_FORMS = ("none", "pronoun", "person", "organization", "group")
_FORM_OF_KIND: dict[str, str] = {
    "person": "person",
    "organization": "organization",
    "government": "organization",
    "country": "organization",
    "group": "group",
    "unknown": "group",
}


def speaker_form(resolved: bool, pronoun: bool, kind: ActorKind | None) -> str:
    """How the speaker was found: not at all, through a pronoun, or as a named or described
    person, organisation or group (each is right at a different rate)."""
    if not resolved:
        return "none"
    if pronoun:
        return "pronoun"
    return _FORM_OF_KIND.get(kind or "unknown", "group")


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    if not TABLE_PATH.exists():
        return {}
    table: dict[str, Any] = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
    return table


def fitted_confidence(rule: str, claim_type: str, form: str) -> float | None:
    """The measured precision of a rule with this type and kind of speaker; of the rule with
    this type, or of the rule alone, when the narrower case was too rare to measure; None for a
    rule the table does not know."""
    cells = _table().get("cells", {})
    for key in (
        CELL_SEPARATOR.join((rule, claim_type, form)),
        CELL_SEPARATOR.join((rule, claim_type)),
        rule,
    ):
        if key in cells:
            return float(cells[key]["confidence"])
    return None
