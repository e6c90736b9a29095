"""Cue-driven statement finding over the parse: cue verbs, nominal cues, "according to",
parentheticals, and the quotes they introduce."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from .cues import (
    CLAUSE_ONLY,
    LIGHT_VERBS,
    NOUN_CUES,
    OBJECT_CUES,
    PREP_CUES,
    VERB_CUES,
    XCOMP_CUES,
    noun_cue_class,
    verb_cue_class,
)
from .quotes import QuoteSpan
from .types import CueClass, StatementKind

Token = Any  # spacy.tokens.Token; spaCy's typing is too loose to be worth importing
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_NP_LEFT_DEPS = frozenset(
    {
        "det",
        "amod",
        "compound",
        "poss",
        "nmod",
        "nummod",
        "quantmod",
        "case",
        "predet",
        "advmod",
        "npadvmod",
        "punct",
        "cc",
        "conj",
    }
)
_TRIM = " \t\n,.;:—–-"
_AS_PREP_CUES = frozenset(
    {
        "dismiss", "describe", "call", "characterize", "label", "brand", "portray", "cite",
        "reject", "denounce", "depict", "see", "view", "deride", "criticize", "attack",
        "slam", "blast", "praise", "hail", "tout", "condemn", "mock",
    }
)  # fmt: skip
_ABOUT_CUES = frozenset(
    {
        "warn",
        "complain",
        "speak",
        "talk",
        "write",
        "testify",
        "boast",
        "brag",
        "joke",
        "worry",
        "caution",
        "tweet",
    }
)
_CLOSING_MARKS = "”’\"»'"


@dataclass
class Candidate:
    """A statement found in the text before its speaker is resolved."""

    cue: str
    cue_start: int
    cue_end: int
    cue_class: CueClass
    speaker_tokens: tuple[int, int] | None  # token range [start, end) of the speaker phrase
    start: int
    end: int
    kind: StatementKind
    sentence_start: int
    sentence_end: int
    confidence: float
    speaker_head: int | None = None  # token index of the speaker phrase's head
    continues: Candidate | None = None  # a quote continuing this earlier statement


class Quotes:
    """Quote spans with fast lookup by character offset."""

    def __init__(self, spans: list[QuoteSpan]) -> None:
        self.spans = spans
        self._starts = [s.start for s in spans]

    def containing(self, position: int) -> QuoteSpan | None:
        """The quote whose marks enclose `position`, if any."""
        at = bisect_right(self._starts, position) - 1
        if at >= 0 and self.spans[at].start <= position < self.spans[at].end:
            return self.spans[at]
        return None

    def overlapping(self, start: int, end: int) -> list[QuoteSpan]:
        at = max(0, bisect_right(self._starts, start) - 1)
        found = []
        while at < len(self.spans) and self.spans[at].start < end:
            if self.spans[at].end > start:
                found.append(self.spans[at])
            at += 1
        return found


_NOT_SPEAKERS = frozenset(
    {
        "you",
        "anyone",
        "anybody",
        "nobody",
        "everyone",
        "everybody",
        "someone",
        "somebody",
        "one",
        "none",
        "this",
        "that",
        "these",
        "those",
        "what",
        "which",
        "there",
        "everything",
        "nothing",
        "something",
        "anything",
        "it's",
    }
)
_NON_ACTOR_ENTITIES = frozenset(
    {
        "DATE",
        "TIME",
        "MONEY",
        "QUANTITY",
        "ORDINAL",
        "WORK_OF_ART",
        "LAW",
        "EVENT",
        "PRODUCT",
    }
)


def plausible_speaker(subject: Token | None) -> bool:
    """Whether a subject can be the source of a statement at all."""
    if subject is None or subject.pos_ not in ("PROPN", "NOUN", "PRON"):
        return False
    if subject.lower_ in _NOT_SPEAKERS or subject.dep_ == "expl":
        return False
    return subject.ent_type_ not in _NON_ACTOR_ENTITIES and any(ch.isalpha() for ch in subject.text)


def _char_span(doc: Any, first: int, last: int) -> tuple[int, int]:
    """Character offsets of tokens first..last inclusive."""
    return doc[first].idx, doc[last].idx + len(doc[last].text)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past spaces and clause punctuation at both ends."""
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def subject_of(verb: Token, depth: int = 0) -> Token | None:
    """The subject of a verb; participles and conjoined verbs inherit their head's."""
    subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
    if any(c.dep_ == "expl" for c in verb.children) and not subjects:
        return None
    if subjects:
        # The subject nearest the verb: a quote's own subject may hang on it too.
        before = [c for c in subjects if c.i < verb.i]
        child = before[-1] if before else subjects[0]
        if child.dep_ == "nsubjpass":
            for agent in verb.children:
                if agent.dep_ == "agent":
                    for pobj in agent.children:
                        if pobj.dep_ == "pobj":
                            return pobj
            return None
        if child.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
            return verb.head
        return child
    if verb.dep_ in ("xcomp", "oprd"):
        # Object control: "left many nations feeling", "told him to say".
        for sibling in verb.head.children:
            if sibling.dep_ in ("dobj", "dative") and sibling.i < verb.i:
                return sibling
    if depth < 3 and verb.dep_ in ("advcl", "xcomp", "conj", "pcomp") and verb.head is not verb:
        head = verb.head
        if head.pos_ == "ADP" and head.head is not head:
            head = head.head  # "responded by saying …", "after saying …, she was …"
        return subject_of(head, depth + 1)
    return None


def speaker_phrase(subject: Token) -> tuple[int, int]:
    """Token range [start, end) of the noun phrase headed by `subject`, without
    relative clauses or prepositional tails; a following appositive name is included."""
    doc = subject.doc
    if subject.ent_type_ and subject.ent_iob_ != "O":
        start, end = subject.i, subject.i + 1
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
    else:
        start, end = subject.i, subject.i + 1
    for child in subject.lefts:
        if child.dep_ in _NP_LEFT_DEPS and child.dep_ not in ("punct", "cc", "conj"):
            start = min(start, child.left_edge.i)
    for child in subject.rights:
        if child.dep_ in ("compound", "flat"):
            end = max(end, child.i + 1)
        elif child.dep_ == "appos" and child.left_edge.i <= end + 1 and child.ent_type_ == "PERSON":
            # "The Kremlin's spokesman, Dmitri S. Peskov": the name is the speaker.
            end = max(end, child.i + 1)
            while end < len(doc) and doc[end].ent_iob_ == "I":
                end += 1
    for child in subject.rights:
        if child.dep_ == "conj" and child.pos_ in ("PROPN", "NOUN"):
            # "Mr. Grassley and Mr. Leahy say": the pair speaks together.
            end = max(end, child.right_edge.i + 1)
            while end > subject.i + 1 and doc[end - 1].is_punct:
                end -= 1
    while start < end - 1 and doc[start].is_punct:
        start += 1
    return start, end


def is_negated(token: Token) -> bool:
    return any(child.dep_ == "neg" for child in token.children)


def cue_text(verb: Token) -> tuple[str, int, int]:
    """The cue as written: the verb plus a particle ("pointed out", "called for")."""
    doc = verb.doc
    last = verb.i
    for child in verb.rights:
        if child.dep_ == "prt" and child.i == last + 1:
            last = child.i
    preps = PREP_CUES.get(verb.lemma_, frozenset())
    if last + 1 < len(doc) and doc[last + 1].lower_ in preps and doc[last + 1].head is verb:
        last += 1
    start, end = _char_span(doc, verb.i, last)
    return str(doc[verb.i : last + 1].text), start, end


def _subtree_range(tokens: list[Token]) -> tuple[int, int]:
    return min(t.left_edge.i for t in tokens), max(t.right_edge.i for t in tokens)


# Sources that "show" or "find" things: "Polls show a close race", "a study found fraud".
EVIDENCE_NOUNS = frozenset({
    "poll", "polling", "survey", "study", "report", "data", "analysis", "review", "audit",
    "investigation", "research", "record", "document", "video", "footage", "evidence", "test",
    "average", "estimate", "projection", "model", "memo", "filing", "statement", "letter",
})  # fmt: skip


def _evidence_subject(verb: Token) -> bool:
    if verb.lemma_ not in ("show", "find", "reveal", "indicate", "suggest", "document"):
        return False
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subject is not None and subject.lemma_.lower() in EVIDENCE_NOUNS


_SAY_LIKE = frozenset(
    {
        "say",
        "tell",
        "add",
        "claim",
        "insist",
        "argue",
        "believe",
        "think",
        "warn",
        "note",
        "write",
        "report",
        "acknowledge",
        "predict",
        "suggest",
    }
)
_ADVERBIAL_MARKS = frozenset(
    {
        "because",
        "when",
        "if",
        "as",
        "while",
        "after",
        "before",
        "since",
        "although",
        "though",
        "until",
        "unless",
        "so",
        "once",
        "where",
    }
)


def _misattached_clause(verb: Token, child: Token) -> bool:
    """A full clause right of a speech verb that the parser hung on it as advcl/parataxis
    ("Trump said after the convention he would not accept")."""
    if child.i < verb.i or child.dep_ not in ("advcl", "parataxis", "dep"):
        return False
    if child.pos_ not in ("VERB", "AUX"):
        return False
    if not any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children):
        return False
    return not any(c.dep_ == "mark" and c.lower_ in _ADVERBIAL_MARKS for c in child.children)


def verb_content(verb: Token) -> tuple[int, int] | None:
    """Token range (inclusive) of what a cue verb attributes, from its complements."""
    lemma = verb.lemma_
    parts: list[Token] = [c for c in verb.children if c.dep_ == "ccomp"]
    if not parts and lemma in _SAY_LIKE:
        parts = [c for c in verb.children if _misattached_clause(verb, c)]
    if not parts and lemma in XCOMP_CUES:
        parts = [c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i]
    if not parts and (lemma not in CLAUSE_ONLY or _evidence_subject(verb)):
        objects = [c for c in verb.children if c.dep_ in ("dobj", "oprd") and c.i > verb.i]
        if lemma in _AS_PREP_CUES:
            objects += [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"]
        if lemma == "call":
            objects += [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "for"]
        if lemma in OBJECT_CUES and objects:
            first, last = _subtree_range(objects)
            if last - first >= 1:
                parts = objects
    if not parts and lemma in _ABOUT_CUES:
        parts = [
            c
            for c in verb.children
            if c.dep_ == "prep" and c.lower_ in ("about", "of", "that") and c.i > verb.i
        ]
    if not parts:
        return None
    first, last = _subtree_range(parts)
    if first <= verb.i <= last and not any(p.i < verb.i for p in parts):
        first = verb.i + 1
    if last < first:
        return None
    return first, last


def noun_content(noun: Token) -> tuple[int, int] | None:
    """The that-clause of a nominal cue ("speculation ... that X"); the parser often hangs
    it on the source ("speculation from analysts that X")."""
    hosts = [noun]
    for prep in noun.rights:
        if prep.dep_ == "prep":
            hosts.extend(p for p in prep.children if p.dep_ == "pobj")
    for host in hosts:
        for child in host.rights:
            if child.dep_ in ("acl", "ccomp", "relcl", "appos", "advcl"):
                edge = child.left_edge
                if edge.lower_ in ("that", "whether") and edge.dep_ == "mark":
                    return edge.i, child.right_edge.i
    return None


def noun_source(noun: Token) -> tuple[Token | None, Token | None]:
    """(speaker, light verb) of a nominal cue: "from X", "X's", or the subject of
    "raised the possibility"."""
    for child in noun.children:
        if child.dep_ == "poss":
            return child, None
        if child.dep_ == "prep" and child.lower_ in ("from", "by", "among"):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj, None
    head = noun.head
    if noun.dep_ == "dobj" and head.pos_ == "VERB" and head.lemma_ in LIGHT_VERBS:
        return subject_of(head), head
    return None, None


class CueFinder:
    """Finds statements in one parsed document."""

    def __init__(self, doc: Any, quotes: Quotes) -> None:
        self.doc = doc
        self.text: str = doc.text
        self.quotes = quotes
        self.candidates: list[Candidate] = []
        self.used_cues: set[int] = set()

    def _inside_quote(self, token: Token) -> bool:
        return self.quotes.containing(token.idx) is not None

    def _add(
        self,
        cue: tuple[str, int, int],
        cue_class: CueClass,
        subject: Token | None,
        start: int,
        end: int,
        sentence: Any,
        confidence: float,
    ) -> Candidate | None:
        start, end = trim(self.text, start, end)
        if end - start < 3 or subject is None:
            return None
        speaker = speaker_phrase(subject)
        inside = start <= self.doc[speaker[0]].idx < end
        if inside and not start <= cue[1] < end:
            # A speaker inside its own content (but not its cue) means the parse went wrong.
            return None
        candidate = Candidate(
            cue=cue[0],
            cue_start=cue[1],
            cue_end=cue[2],
            cue_class=cue_class,
            speaker_tokens=speaker,
            start=start,
            end=end,
            kind="indirect",
            sentence_start=sentence.start_char,
            sentence_end=sentence.end_char,
            confidence=confidence,
            speaker_head=subject.i,
        )
        self.candidates.append(candidate)
        return candidate

    def run(self) -> list[Candidate]:
        for sentence in self.doc.sents:
            for token in sentence:
                if token.pos_ == "VERB" and token.lemma_ in VERB_CUES:
                    self._verb_cue(token, sentence)
                elif token.pos_ == "NOUN" and token.lemma_ in NOUN_CUES:
                    self._noun_cue(token, sentence)
                elif token.lower_ == "according" and token.i + 1 < len(self.doc):
                    self._according_to(token, sentence)
        return self.candidates

    def _verb_cue(self, verb: Token, sentence: Any) -> None:
        if self._inside_quote(verb):
            return
        subject = subject_of(verb)
        if not plausible_speaker(subject):
            return
        content = verb_content(verb)
        cue = cue_text(verb)
        cue_class = verb_cue_class(verb.lemma_, is_negated(verb))
        if content is not None:
            start, end = _char_span(self.doc, *content)
            if self._add(cue, cue_class, subject, start, end, sentence, 0.9):
                self.used_cues.add(verb.i)
            return
        following = self._next_paragraph(verb, sentence)
        if following is not None and self._add(cue, cue_class, subject, *following, sentence, 0.8):
            self.used_cues.add(verb.i)
            return
        parenthetical = self._parenthetical_content(verb, subject, sentence)
        if parenthetical is not None and self._add(
            cue, cue_class, subject, *parenthetical, sentence, 0.8
        ):
            self.used_cues.add(verb.i)

    def _next_paragraph(self, verb: Token, sentence: Any) -> tuple[int, int] | None:
        """ "Limbaugh added:" closing a paragraph introduces the next, unquoted paragraph."""
        last = sentence.end - 1
        while last > verb.i and self.doc[last].is_space:
            last -= 1
        if self.doc[last].text != ":" or last - verb.i > 4:
            return None
        if self.quotes.containing(self.doc[last].idx + 1) is not None:
            return None
        start = sentence.end_char
        while start < len(self.text) and self.text[start].isspace():
            start += 1
        if start < len(self.text) and self.quotes.containing(start) is not None:
            return None  # a quoted paragraph: the quote pass attributes it
        end = self.text.find("\n", start)
        return start, len(self.text) if end == -1 else end

    def _cue_clause(self, verb: Token, subject: Token) -> tuple[int, int]:
        """Token range (inclusive) of "the group has said on Tuesday"."""
        first = min(verb.i, subject.left_edge.i)
        last = max(verb.i, subject.right_edge.i)
        for child in verb.children:
            if child.dep_ in (
                "aux",
                "auxpass",
                "neg",
                "advmod",
                "npadvmod",
                "prep",
                "prt",
                "dative",
                "dobj",
                "nsubj",
                "agent",
            ):
                first = min(first, child.left_edge.i)
                last = max(last, child.right_edge.i)
        return first, last

    def _parenthetical_content(
        self, verb: Token, subject: Token, sentence: Any
    ) -> tuple[int, int] | None:
        """Content of "X, the group said." / "It is, the group said, likely": the rest of
        the sentence, when the cue clause is set off by commas or quote marks."""
        if verb.lemma_ not in (
            "say",
            "add",
            "write",
            "note",
            "report",
            "insist",
            "claim",
            "argue",
            "warn",
            "explain",
            "believe",
            "think",
            "estimate",
            "predict",
            "acknowledge",
            "confirm",
            "tell",
            "continue",
            "contend",
            "assert",
            "suggest",
            "stress",
            "conclude",
            "assess",
            "caution",
            "recall",
            "tweet",
            "respond",
            "reply",
            "announce",
        ):
            return None
        first, last = self._cue_clause(verb, subject)
        doc = self.doc
        before = doc[first - 1] if first > sentence.start else None
        after = doc[last + 1] if last + 1 < sentence.end else None
        if before is None and after is None:
            return None
        quote_follows = (
            after is not None
            and after.text in (",", ":")
            and after.i + 1 < len(doc)
            and self.quotes.containing(doc[after.i + 1].idx) is not None
        )
        if quote_follows:
            return None  # "O'Neill said, “…”": the quote after it is the content
        if (
            before is not None
            and before.text not in (",", "—", "–", "-", "--")
            and not (before.text in _CLOSING_MARKS or before.is_quote)
        ):
            return None
        if before is None:
            if after is None or after.text not in (",", ":", "—"):
                return None
            if after.text == ":":
                return None
            start, end = doc[last + 1].idx, sentence.end_char
        elif after is None or (after.is_punct and after.i == sentence.end - 1):
            start, end = sentence.start_char, doc[first].idx
        else:
            start, end = sentence.start_char, sentence.end_char
        return start, end

    def _noun_cue(self, noun: Token, sentence: Any) -> None:
        if self._inside_quote(noun):
            return
        content = noun_content(noun)
        if content is None:
            return
        source, light_verb = noun_source(noun)
        if not plausible_speaker(source):
            return
        if light_verb is not None:
            cue_first = light_verb.i
            cue_class = noun_cue_class(noun.lemma_, is_negated(light_verb))
        else:
            cue_first = noun.i
            cue_class = noun_cue_class(noun.lemma_)
        cue_start, cue_end = _char_span(self.doc, cue_first, noun.i)
        start, end = _char_span(self.doc, *content)
        cue = (self.text[cue_start:cue_end], cue_start, cue_end)
        self._add(cue, cue_class, source, start, end, sentence, 0.8)

    def _according_to(self, according: Token, sentence: Any) -> None:
        doc = self.doc
        to = doc[according.i + 1]
        if to.lower_ != "to" or self._inside_quote(according):
            return
        source = next((c for c in to.children if c.dep_ == "pobj"), None)
        if source is None or not plausible_speaker(source):
            return
        first = according.i
        last = max(according.right_edge.i, source.right_edge.i)
        if first <= sentence.start + 1:
            start, end = doc[last].idx + len(doc[last].text), sentence.end_char
        elif last >= sentence.end - 2:
            start, end = sentence.start_char, doc[first].idx
        else:
            start, end = sentence.start_char, sentence.end_char
        cue_start, cue_end = _char_span(doc, according.i, according.i + 1)
        cue = (self.text[cue_start:cue_end], cue_start, cue_end)
        self._add(cue, "assert", source, start, end, sentence, 0.85)
