"""Frozen result types of the extractor: actors, mentions and attributions of one article."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ActorKind = Literal["person", "organization", "government", "country", "group", "unknown"]
StatementKind = Literal["direct", "indirect", "mixed"]
CueClass = Literal["assert", "deny", "predict", "speculate", "other"]
# After PARC 3.0: something communicated, something believed, something intended.
ClaimType = Literal["statement", "belief", "intention"]


@dataclass(frozen=True)
class ActorRef:
    """An actor as resolved inside one article."""

    key: str
    name: str
    kind: ActorKind
    aliases: tuple[str, ...]
    role: str | None
    country: str | None
    gazetteer_name: str | None


@dataclass(frozen=True)
class Mention:
    """An actor named or described in the article, with offsets into the text."""

    actor_key: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Attribution:
    """A statement (direct, indirect or mixed) and who made it."""

    speaker_key: str | None
    speaker_mention: str
    speaker_start: int | None
    speaker_end: int | None
    cue: str
    cue_class: CueClass
    kind: StatementKind
    content: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    confidence: float
    type: ClaimType = "statement"
    # The name of the rule that proposed this attribution (evaluate --by-rule groups by it).
    rule: str = ""
    # Endnote numbers ("[12]") that the attribution's sentence cites.
    citations: tuple[int, ...] = ()
    # The other actors of a joint subject ("Putin and Lukashenko said"); speaker_key is the first.
    co_speaker_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reference:
    """One entry of a report's endnote list: "[12] https://…"."""

    number: int
    url: str


@dataclass(frozen=True)
class ArticleExtraction:
    """Everything extracted from one article."""

    actors: tuple[ActorRef, ...]
    mentions: tuple[Mention, ...]
    attributions: tuple[Attribution, ...]
    references: tuple[Reference, ...] = ()
