"""What a search that found nothing may have meant: the nearest known words of the claims and
names of speakers ("Lukashnko" → Lukashenko, "S400" → S-400, "theoris" → theories), by
trigram similarity over folded forms (no accents, case or punctuation)."""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.extract.names import strip_accents
from app.models import Actor, SearchWord

_WORD = re.compile(r"[^\W_][\w'’\-]*[^\W_]|[^\W_]{3,}")
_FOLD = re.compile(r"[\W_]+")
# Below this similarity a "suggestion" is a guess (pg_trgm's own threshold for %, left at
# its default); above STRONG it is taken without asking.
SIMILAR = 0.3
STRONG = 0.55
_SEARCH_WORD = re.compile(r"[^\s\"()]+")


def fold(word: str) -> str:
    return _FOLD.sub("", strip_accents(word).casefold())


def remember_words(session: Session, texts: Iterable[str]) -> None:
    """Add the words of these texts to the vocabulary, once each (`uses`: in the article that
    brought the word first)."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for passage in texts:
        for word in _WORD.findall(passage):
            folded = fold(word)
            if 3 <= len(folded) <= 100 and not folded.isdigit():
                counts[folded] += 1
                shown.setdefault(folded, word[:100])
    if not counts:
        return
    # New words only, in one statement with three array parameters: a multi-row VALUES of
    # a few hundred words cost more to build than to run (measured: a third of the write).
    new = sorted(counts)
    session.execute(
        _REMEMBER,
        {
            "folded": new,
            "words": [shown[f] for f in new],
            "uses": [counts[f] for f in new],
        },
    )


_REMEMBER = text(
    "INSERT INTO search_words (folded, word, uses) "
    "SELECT * FROM unnest(CAST(:folded AS varchar[]), CAST(:words AS varchar[]), "
    "CAST(:uses AS integer[])) ON CONFLICT DO NOTHING"
)


@dataclass(frozen=True)
class Suggestion:
    """The search with its unknown words replaced by the nearest known ones."""

    query: str
    # Whether every replacement was close enough to search for it at once.
    strong: bool


def _nearest(session: Session, word: str) -> tuple[str, float] | None:
    folded = fold(word)
    if len(folded) < 3:
        return None
    similarity = func.similarity(SearchWord.folded, folded)
    found = session.execute(
        select(SearchWord.word, similarity.label("score"))
        .where(SearchWord.folded.op("%")(folded))
        .order_by(similarity.desc(), SearchWord.uses.desc())
        .limit(1)
    ).first()
    name_score = func.similarity(func.lower(Actor.name), folded)
    speaker = session.execute(
        select(Actor.name, name_score.label("score"))
        .where(func.lower(Actor.name).op("%")(folded), Actor.statement_count > 0)
        .order_by(name_score.desc(), Actor.statement_count.desc())
        .limit(1)
    ).first()
    best = [row for row in (found, speaker) if row is not None]
    if not best:
        return None
    row = max(best, key=lambda row: row.score)
    word_found = row.word if row is found else row.name.split()[-1]
    return word_found, float(row.score)


def suggest(session: Session, q: str) -> Suggestion | None:
    """The search with each word that no claim or speaker has replaced by its nearest known
    word, or None when there is nothing better to offer."""
    words = _SEARCH_WORD.findall(q)
    changed, strong = False, True
    replaced: list[str] = []
    for word in words:
        if word.upper() == "OR" or word.startswith("-"):
            replaced.append(word)
            continue
        folded = fold(word)
        spelling = session.scalar(select(SearchWord.word).where(SearchWord.folded == folded))
        if spelling is not None or len(folded) < 3:
            # Known as it is, or spelt another way ("S400" for "S-400"): its stored spelling.
            if spelling is not None and spelling.casefold() != word.casefold():
                replaced.append(spelling)
                changed = True
            else:
                replaced.append(word)
            continue
        nearest = _nearest(session, word)
        if nearest is None:
            replaced.append(word)
            continue
        replaced.append(nearest[0])
        changed = True
        strong = strong and nearest[1] >= STRONG
    if not changed:
        return None
    return Suggestion(" ".join(replaced), strong)
