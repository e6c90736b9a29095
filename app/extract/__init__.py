"""Claim extraction: actors and their statements (direct, reported, mixed) from news text."""

from .gazetteer import Gazetteer, GazetteerEntry, load_gazetteer
from .names import normalise_alias, slugify
from .pipeline import configure, extract, extract_docs, extract_from_doc, load_nlp
from .types import (
    ActorKind,
    ActorRef,
    ArticleExtraction,
    Attribution,
    ClaimType,
    CueClass,
    Mention,
    Reference,
    StatementKind,
)

EXTRACTOR_VERSION = "2026.12.1"

__all__ = [
    "EXTRACTOR_VERSION",
    "ActorKind",
    "ActorRef",
    "ArticleExtraction",
    "Attribution",
    "ClaimType",
    "CueClass",
    "Gazetteer",
    "GazetteerEntry",
    "Mention",
    "Reference",
    "StatementKind",
    "configure",
    "extract",
    "extract_docs",
    "extract_from_doc",
    "load_gazetteer",
    "load_nlp",
    "normalise_alias",
    "slugify",
]
