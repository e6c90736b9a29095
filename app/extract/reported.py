"""Cue-driven statement finding over the parse: cue verbs, nominal cues, "according to",
parentheticals, and the quotes they introduce."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from .cues import (
    ABOUT_CUES,
    ADJECTIVE_CUES,
    AGENT_NOUNS,
    AS_PREP_CUES,
    ASIDE_CUES,
    CLAUSE_ONLY,
    EVIDENCE_VERBS,
    INFINITIVE_NOUNS,
    LIGHT_VERBS,
    NOUN_CUES,
    NOUN_PREP_CUES,
    OBJECT_CUES,
    PREP_CUES,
    SAY_LIKE,
    STANCE_CUES,
    VERB_CUES,
    XCOMP_CUES,
    adjective_claim_type,
    noun_claim_type,
    noun_cue_class,
    verb_claim_type,
    verb_cue_class,
)
from .quotes import QuoteSpan
from .speakers import COLLECTIVE_NOUNS, HUMAN_NOUNS
from .types import ClaimType, CueClass, StatementKind

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
# What a verb casts "as" something: its object, or a prepositional object ("went after X as").
_CAST = frozenset({"dobj", "prep"})
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
    rule: str = ""  # the name of the rule that proposed it
    type: ClaimType = "statement"


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


_PARTITIVES = frozenset({
    "one", "some", "many", "most", "several", "two", "three", "both", "all", "dozens",
    "hundreds", "thousands", "millions", "majority", "half", "number", "none",
})  # fmt: skip


def partitive_source(subject: Token) -> Token | None:
    """The group named in "one of Mr. Obama's advisers" / "many of whom"."""
    if subject.lower_ not in _PARTITIVES:
        return None
    for prep in subject.rights:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for pobj in prep.children:
                if pobj.dep_ == "pobj" and pobj.pos_ in ("NOUN", "PROPN", "PRON"):
                    return pobj
    return None


def plausible_speaker(subject: Token | None) -> bool:
    """Whether a subject can be the source of a statement at all."""
    if subject is None:
        return False
    group = partitive_source(subject)
    if group is not None:
        return group.lower_ not in _NOT_SPEAKERS and group.ent_type_ not in _NON_ACTOR_ENTITIES
    if subject.pos_ not in ("PROPN", "NOUN", "PRON"):
        return False
    if subject.lower_ in _NOT_SPEAKERS or subject.dep_ == "expl":
        return False
    return subject.ent_type_ not in _NON_ACTOR_ENTITIES and any(ch.isalpha() for ch in subject.text)


# A wire dateline opening a paragraph: "WASHINGTON (AP) — ", "LOS ANGELES, Sept. 28 (UPI) — ".
_DATELINE = re.compile(
    r"([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+)*)(, [A-Z][a-z]{2,4}\.? \d{1,2})?"
    r"( \([A-Za-z .]+\))? ?[—–―-]{1,2} ?"
)
_CLAIM_POS = ("VERB", "AUX", "NOUN", "PROPN", "PRON", "NUM")


def _source_after(preposition: Token) -> Token | None:
    """The head noun after "according to" when the parse gave it no object ("according to
    show insiders" read as a verb and its object): the last noun before the phrase's first
    preposition or punctuation ("people familiar with the talks" -> people)."""
    source = None
    for token in preposition.doc[preposition.i + 1 : preposition.sent.end]:
        if token.pos_ in ("ADP", "SCONJ", "PUNCT"):
            break
        if token.pos_ in ("NOUN", "PROPN", "PRON"):
            source = token
    return source


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
            return _described(verb.head)
        return child
    recorded = _recorded_before(verb)
    if recorded is not None:
        return recorded
    if verb.dep_ in ("xcomp", "oprd"):
        # Object control: "left many nations feeling", "told him to say".
        for sibling in verb.head.children:
            if sibling.dep_ in ("dobj", "dative") and sibling.i < verb.i:
                return _recorded(sibling)
    if depth < 3 and verb.dep_ in ("advcl", "xcomp", "conj", "pcomp") and verb.head.i != verb.i:
        head = verb.head
        if head.pos_ == "ADP" and head.head.i != head.i:
            head = head.head  # "responded by saying …", "after saying …, she was …"
        return subject_of(head, depth + 1)
    return None


_CLEFT_SUBJECTS = frozenset({"it", "this", "that", "these", "those", "there"})


def _described(noun: Token) -> Token:
    """ "Trump … is a serial liar and birther who has pledged …": the one the predicate
    describes speaks, not the description."""
    first = noun
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head
    if first.dep_ == "attr" and first.head.lemma_ == "be":
        subject = subject_of(first.head)
        if (
            subject is not None
            and subject.i < first.i
            and subject.lower_ not in _CLEFT_SUBJECTS
            and plausible_speaker(subject)
        ):
            return subject  # but "It was Smith who said …" is Smith
    return noun


_RECORDINGS = frozenset({
    "footage", "video", "clip", "recording", "tape", "audio", "image", "photo", "picture",
})  # fmt: skip


def _recorded(noun: Token) -> Token:
    """ "footage of Hillary Clinton asking …": the person recorded, not the recording."""
    if noun.lemma_ not in _RECORDINGS:
        return noun
    for prep in noun.rights:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            person = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if person is not None and person.pos_ in ("PROPN", "PRON"):
                return person
    return noun


def _recorded_before(verb: Token) -> Token | None:
    """ "released a video of Trump saying …": the participle right after the person recorded."""
    if verb.tag_ != "VBG" or verb.i == 0:
        return None
    before = verb.doc[verb.i - 1]
    recording = before.head.head  # video <- of <- Trump
    return before if before.dep_ == "pobj" and _recorded(recording).i == before.i else None


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
    group = partitive_source(subject)
    if group is not None:
        # "one of Mr. Obama's climate advisers": the group belongs to the speaker phrase, but
        # not what is said of it ("dozens of papers ranging from …", "… who attended").
        end = max(end, group.i + 1)
        for name in (*group.rights, *subject.rights):
            if name.dep_ == "appos" and name.ent_type_ == "PERSON" and name.left_edge.i <= end + 1:
                end = max(end, name.right_edge.i + 1)  # "one of the attorneys, Justin Bamberg"
    while start < end - 1 and doc[start].is_punct:
        start += 1
    opened = sum(t.text == "(" for t in doc[start:end]) - sum(t.text == ")" for t in doc[start:end])
    if opened > 0 and end < len(doc) and doc[end].text == ")":
        end += 1  # "David Vitter (R-La.)": keep the closing parenthesis
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
    if last + 1 < len(doc) and doc[last + 1].lower_ in preps and doc[last + 1].head.i == verb.i:
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


# Subjects that report rather than record: "the study found" is a claim of its authors, "the
# outlet reported" of its journalists, "the milblogger indicated" of a person; "the footage
# shows" is an observation.
_REPORTING_THINGS = (EVIDENCE_NOUNS - _RECORDINGS) | frozenset({
    "outlet", "channel", "account", "media", "press", "intelligence", "command", "staff",
    "authority", "service", "directorate", "headquarters", "people", "force", "troop", "unit",
    "blogger", "milblogger", "commentator", "correspondent", "observer", "propagandist",
    "politician", "deputy", "serviceman", "veteran", "insider", "user",
})  # fmt: skip


def _observation(verb: Token, subject: Token) -> bool:
    """ "Footage showed", "the movements indicate that", "his visit suggests that": a thing
    that cannot speak as the subject of an evidence verb reports an observation, not a claim."""
    if verb.lemma_ not in EVIDENCE_VERBS or subject.pos_ != "NOUN" or subject.ent_type_:
        return False
    lemma = subject.lemma_.lower()
    return not (lemma in HUMAN_NOUNS or lemma in COLLECTIVE_NOUNS or lemma in _REPORTING_THINGS)


# The writer's hedges: "possibly implying that", "likely claimed".
_HEDGES = frozenset({"likely", "probably", "possibly", "perhaps", "presumably", "apparently"})


def _unasserted(verb: Token, aside: bool) -> str:
    """ ".negated" for a cue that says nothing ("did not specify how", "cannot confirm if"),
    ".inferred" for the writer's inference from an act ("shelled …, suggesting that"), ".hedged"
    for a cue the writer only supposes ("possibly implying that"; an aside under a modal,
    "Russia may continue …"): the rule's name tells them apart from claims made."""
    if is_negated(verb):
        return ".negated"
    if _inferred(verb):
        return ".inferred"
    if any(c.dep_ == "advmod" and c.lower_ in _HEDGES for c in verb.children):
        return ".hedged"
    if aside and any(c.dep_ == "aux" and c.lower_ in _MODALS for c in verb.children):
        return ".hedged"
    return ""


def _aside_rule(verb: Token) -> str:
    """ "…, as some analysts have suggested": an "as" aside after what it comments on
    (verb.as_after) is the writer's nod to others, told apart from "X, the group said"."""
    as_mark = any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)
    return "verb.as_after" if as_mark and verb.left_edge.i > verb.sent.start + 1 else "verb.aside"


def _inferred(verb: Token) -> bool:
    """ "Russian forces shelled the station, suggesting that they target railways": a participle
    of an evidence verb on an action draws the writer's inference from the act; on a statement
    ("raised questions about …, suggesting that") it goes on with what was said."""
    head = verb.head
    return bool(
        verb.tag_ == "VBG"
        and verb.lemma_ in EVIDENCE_VERBS
        and verb.dep_ in ("advcl", "xcomp", "conj")
        and head.i != verb.i
        and head.pos_ in ("VERB", "AUX")
        and head.lemma_ not in VERB_CUES
        and head.lemma_ not in LIGHT_VERBS
    )


def _evidence_subject(verb: Token) -> bool:
    if verb.lemma_ not in ("show", "find", "reveal", "indicate", "suggest", "document"):
        return False
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subject is not None and subject.lemma_.lower() in EVIDENCE_NOUNS


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


def _named(token: Token) -> bool:
    """A one-token phrase naming a person or organisation."""
    return bool(token.pos_ == "PROPN" and token.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"))


def _clause_after_prep(verb: Token) -> list[Token]:
    """ "reported at the time that X", "tweeted in the early hours that X", "told a meeting
    of leaders that X": the parser hangs the that-clause on a preceding noun as if it were
    a relative clause; a complementizer "that" (a mark, not the clause's subject or object)
    shows it is the content."""
    hosts: list[Token] = []
    for child in verb.rights:
        if child.dep_ == "prep":
            hosts.extend(c for c in child.children if c.dep_ == "pobj")
        elif child.dep_ in ("dobj", "dative"):
            # "told a meeting of island leaders that …"
            hosts.append(child)
            for prep in child.rights:
                if prep.dep_ == "prep":
                    hosts.extend(c for c in prep.children if c.dep_ == "pobj")
    for host in hosts:
        for clause in host.rights:
            edge = clause.left_edge
            if (
                clause.dep_ in ("relcl", "acl", "advcl", "ccomp")
                and edge.lower_ == "that"
                and edge.dep_ in ("mark", "advmod")
                and edge.head.i == clause.i
                and not any(t.lower_ in ("so", "such") for t in verb.doc[verb.i : edge.i])
            ):
                # but "would add so many layers that it would be a boon" says what follows
                return [clause]
    return []


def _prep_objects(verb: Token, preps: frozenset[str]) -> list[Token]:
    """ "accused her of lying", "warned against hackers", "railed against super PACs": the
    object of the cue's own preposition, when it is more than a date, place or pronoun."""
    for prep in verb.rights:
        if prep.dep_ != "prep" or prep.lower_ not in preps:
            continue
        objects = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
        if not objects or objects[0].ent_type_ in _PLACE_OR_TIME:
            continue
        first, last = _subtree_range(objects)
        if last > first or _named(objects[0]):
            return objects
    return []


_PLACE_OR_TIME = frozenset({"DATE", "TIME", "GPE", "LOC", "FAC", "CARDINAL", "EVENT"})


def verb_content(verb: Token) -> tuple[int, int, str] | None:
    """Token range (inclusive) of what a cue verb attributes, from its complements, and the
    frame that found it ("clause", "infinitive", "object", …: the rule's name)."""
    lemma = verb.lemma_
    frame = "clause"
    parts: list[Token] = [
        c for c in verb.children if c.dep_ == "ccomp" and not _colon_between(c, verb)
    ]
    if parts and lemma in XCOMP_CUES:
        # "promising to lift regulations ― probably not what Graham had in mind": a clause
        # beyond the infinitive complement is not what was promised.
        xcomps = [c for c in verb.children if c.dep_ == "xcomp" and verb.i < c.i]
        if xcomps and xcomps[0].right_edge.i < min(p.left_edge.i for p in parts):
            parts, frame = xcomps, "infinitive"
    if not parts and lemma in SAY_LIKE:
        parts = [c for c in verb.children if _misattached_clause(verb, c)]
        frame = "misattached_clause"
    if not parts and lemma in XCOMP_CUES:
        frame = "infinitive"
        parts = [c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i]
        if not parts:
            # "told his supporters at a rally to go …": an infinitive parsed as advcl.
            parts = [
                c
                for c in verb.children
                if c.dep_ == "advcl"
                and c.i > verb.i
                and c.left_edge.lower_ == "to"
                and c.left_edge.dep_ == "aux"
            ][:1]
    if not parts and (lemma not in CLAUSE_ONLY or _evidence_subject(verb)):
        objects = [c for c in verb.children if c.dep_ in ("dobj", "oprd") and c.i > verb.i]
        if lemma in AS_PREP_CUES:
            objects += [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"]
        if lemma == "call":
            objects += [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "for"]
        if lemma in STANCE_CUES and objects:
            # "blasted him for not paying income tax", "mocked Romney as out of touch"
            objects += [
                c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("for", "as", "over")
            ]
        if lemma in ("liken", "compare") and objects:
            # "likened RT to the BBC"
            objects += [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "to"]
        frame = "object"
        if lemma in OBJECT_CUES and not objects:
            # "admitted using the tax code", "cited improving mental health services"
            frame = "gerund"
            objects = [
                c for c in verb.children if c.dep_ == "xcomp" and c.tag_ == "VBG" and c.i > verb.i
            ]
        evidence = _evidence_subject(verb)
        frame = "evidence" if evidence and lemma not in OBJECT_CUES else frame
        small_clause = lemma in AS_PREP_CUES and any(c.dep_ == "prep" for c in objects)
        if (lemma in OBJECT_CUES or evidence or small_clause) and objects:
            first, last = _subtree_range(objects)
            if last - first >= 1 or (lemma in STANCE_CUES and _named(objects[0])):
                parts = objects
                if any(c.dep_ == "prep" and c.lower_ == "as" for c in objects):
                    frame = "small_clause"  # "described the talks as productive"
    if not parts and lemma in SAY_LIKE:
        parts, frame = _clause_after_prep(verb), "clause_after_prep"
    if not parts and lemma in PREP_CUES:
        parts, frame = _prep_objects(verb, PREP_CUES[lemma]), "prep_object"
    if not parts and lemma in OBJECT_CUES:
        parts, frame = _passive_patient(verb), "passive"
    if not parts and lemma in ABOUT_CUES:
        frame = "prep_object"
        parts = [
            c
            for c in verb.children
            if c.dep_ == "prep" and c.lower_ in ("about", "of", "that") and c.i > verb.i
        ]
    if not parts:
        return None
    first, last = _subtree_range(parts)
    last = max([last] + [c.right_edge.i for c in _quoted_continuation(verb, last)])
    if first <= verb.i <= last and not any(p.i < verb.i for p in parts):
        first = verb.i + 1
    last = _before_participle_cue(verb, first, last)
    if last < first:
        return None
    return first, last, frame


def _quoted_continuation(verb: Token, last: int) -> list[Token]:
    """ "claiming that fraud is “a big problem” but “nobody has the guts to talk about it”":
    a clause joined to the cue verb that opens with quotation marks goes on with the words of
    the same speaker."""
    doc = verb.doc
    return [
        c
        for c in verb.children
        if c.dep_ == "conj"
        and c.left_edge.i > last
        and doc[c.left_edge.i - 1].dep_ == "cc"
        and doc[c.left_edge.i].is_quote
        and c.lemma_ not in VERB_CUES
    ]


_NEGATED_ADJ: CueClass = "other"


def doc_is_prep(adjective: Token, content_first: int) -> bool:
    """Whether the token before the content is the adjective's own preposition."""
    before = adjective.doc[content_first - 1]
    return bool(before.dep_ == "prep" and before.head.i == adjective.i)


def _outer_speaker(verb: Token) -> Token | None:
    """ "X said A did B, adding that …" or "X said he would do A and warned against B": the
    parser hangs the second cue inside the reported clause, but it is X who adds or warns."""
    after_comma = (
        verb.tag_ == "VBG"
        and verb.dep_ in ("advcl", "conj")
        and verb.left_edge.i >= 1
        and verb.doc[verb.left_edge.i - 1].text == ","
    )
    if not (after_comma or _finite_after_modal(verb)):
        return None
    clause = verb.head
    for _ in range(4):
        if clause.dep_ == "ccomp" and clause.head.lemma_ in VERB_CUES:
            speaker = subject_of(clause.head)
            return speaker if speaker is not None and speaker.i < verb.i else None
        if clause.head.i == clause.i:
            return None
        clause = clause.head
    return None


_MODALS = frozenset({"would", "will", "could", "can", "might", "may", "should", "must"})


def _finite_after_modal(verb: Token) -> bool:
    """ "said he would order a review and warned against hackers": a past or present verb
    cannot share "would" with the verb it is joined to, so it belongs with "said"."""
    return bool(
        verb.dep_ == "conj"
        and verb.tag_ in ("VBD", "VBZ")
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
        and any(c.dep_ == "aux" and c.lower_ in _MODALS for c in verb.head.children)
    )


def _passive_patient(verb: Token) -> list[Token]:
    """ "Clinton has been endorsed by dozens of papers": with the source in a by-phrase,
    the passive subject is what the source endorsed, denied or reported."""
    patients = [c for c in verb.children if c.dep_ == "nsubjpass" and c.i < verb.i]
    if not patients or not any(c.dep_ == "agent" for c in verb.children):
        return []
    patient = patients[0]
    if patient.pos_ == "PRON" and patient.ent_type_ == "":
        return []
    first, last = _subtree_range(patients)
    return patients if last > first or _named(patient) else []


def _colon_between(clause: Token, verb: Token) -> bool:
    """ "The concerns are magnified: that candidate would assume office" — a clause before
    the verb and cut off from it by a colon is not its complement."""
    if clause.i > verb.i:
        return False
    doc = verb.doc
    return any(doc[i].text == ":" for i in range(clause.right_edge.i + 1, verb.i))


def _before_participle_cue(verb: Token, first: int, last: int) -> int:
    """ "said he doubted it, arguing that …": a participle cue after a comma starts a
    second statement, so the first one ends before it."""
    doc = verb.doc
    for index in range(max(first + 3, verb.i + 1), last + 1):
        token = doc[index]
        if token.lemma_ in VERB_CUES and _finite_after_modal(token) and doc[index - 1].dep_ == "cc":
            return index - 2
        if (
            token.tag_ == "VBG"
            and token.lemma_ in VERB_CUES
            and token.lemma_ not in ("continue", "call", "want", "plan")
            and token.dep_ in ("advcl", "conj", "xcomp", "pcomp")
            and doc[token.left_edge.i - 1].text == ","
            and token.left_edge.i - 1 > first
        ):
            return token.left_edge.i - 2
    return last


def noun_content(noun: Token) -> tuple[int, int, str] | None:
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
                    return edge.i, child.right_edge.i, "clause"
    if noun.lemma_ in INFINITIVE_NOUNS:
        for child in noun.rights:
            if child.dep_ in ("acl", "xcomp") and child.pos_ in ("VERB", "AUX"):
                edge = child.left_edge
                if edge.lower_ == "to" and edge.dep_ == "aux" and edge.i == noun.i + 1:
                    return edge.i, child.right_edge.i, "infinitive"
    preps = NOUN_PREP_CUES.get(noun.lemma_)
    if preps:
        for prep in noun.rights:
            if prep.dep_ == "prep" and prep.lower_ in preps:
                objects = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
                if objects and objects[0].ent_type_ not in _PLACE_OR_TIME:
                    first, last = _subtree_range(objects)
                    if last > first or _named(objects[0]):
                        return first, last, "prep_object"
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
    names = [
        c
        for c in noun.lefts
        if c.dep_ == "compound" and c.pos_ == "PROPN" and c.ent_type_ in ("ORG", "PERSON")
    ]
    if names:
        return names[-1], None  # "a New York Times report that …"
    return None, None


def _stance_complement(token: Token) -> bool:
    """ "critical" in "is critical of", "opponent" in "is an opponent of"."""
    if token.dep_ == "acomp":
        return token.lower_ in ADJECTIVE_CUES
    return token.dep_ == "attr" and token.lemma_ in AGENT_NOUNS


# Forms the model lemmatizes wrongly ("hopes" -> "hop"); fixed on the token before any lookup.
LEMMA_FIXES: dict[str, str] = {
    "hopes": "hope",
    "hoped": "hope",
    "hoping": "hope",
    "retweeted": "retweet",
    "retweets": "retweet",
    "retweeting": "retweet",
}


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
        rule: str,
        claim_type: ClaimType = "statement",
    ) -> Candidate | None:
        if cue[1] <= start < cue[2] < end:
            start = cue[2]  # "called for tariffs": the preposition is the cue's, not content
        start, end = trim(self.text, start, end)
        start = self._after_dateline(start)
        if end - start < 3 or subject is None:
            return None
        speaker = self._without_dateline(speaker_phrase(subject), subject)
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
            rule=rule,
            type=claim_type,
        )
        self.candidates.append(candidate)
        return candidate

    def _without_dateline(self, speaker: tuple[int, int], head: Token) -> tuple[int, int]:
        """ "BRUSSELS - European leaders gathered …": the dateline is not part of the speaker."""
        after = self._after_dateline(self.doc[speaker[0]].idx)
        while speaker[0] < head.i and self.doc[speaker[0]].idx < after:
            speaker = (speaker[0] + 1, speaker[1])
        return speaker

    def _after_dateline(self, start: int) -> int:
        """Past a wire dateline opening a paragraph ("WASHINGTON, Dec. 3 — The sanctions will
        stay, … said"): one with a date or an agency, or a place the tagger knows."""
        dateline = _DATELINE.match(self.text, start)
        if dateline is None or (start and self.text[start - 1] != "\n"):
            return start
        place = self.doc.char_span(start, start + len(dateline.group(1)), alignment_mode="expand")
        if dateline.group(2) or dateline.group(3) or (place and place.root.ent_type_ == "GPE"):
            return dateline.end()
        return start  # "NATO — the alliance — is weak": not a dateline

    def run(self) -> list[Candidate]:
        for sentence in self.doc.sents:
            for token in sentence:
                if token.lower_ in LEMMA_FIXES:
                    token.lemma_ = LEMMA_FIXES[token.lower_]
                if (
                    token.tag_ == "NNS"
                    and token.lemma_ in VERB_CUES
                    and self._verb_tagged_noun(token, sentence)
                ):
                    continue
                if token.pos_ == "VERB" and token.lemma_ in VERB_CUES:
                    self._verb_cue(token, sentence)
                elif token.pos_ == "NOUN" and token.lemma_ in NOUN_CUES:
                    self._noun_cue(token, sentence)
                elif _stance_complement(token):
                    self._adjective_cue(token, sentence)
                elif token.lemma_ in ("make", "put") and token.pos_ == "VERB":
                    self._idiom_cue(token, sentence)
                elif token.lower_ == "according" and token.i + 1 < len(self.doc):
                    self._according_to(token, sentence)
                elif token.pos_ == "VERB":
                    self._characterization(token, sentence)
        return self.candidates

    def _verb_tagged_noun(self, word: Token, sentence: Any) -> bool:
        """ "Trump charges that …", "Clinton claims that …": the tagger reads the verb as a
        plural noun after a name; a name before it and "that" after it make it the verb."""
        doc = self.doc
        if word.i == 0 or word.i + 2 >= sentence.end:
            return False
        that, after = doc[word.i + 1], doc[word.i + 2]
        if that.lower_ != "that" or after.pos_ in ("VERB", "AUX"):
            return False  # "claims that were filed": a relative clause
        subject = doc[word.i - 1]
        named = subject.pos_ in ("PROPN", "NOUN") and subject.text[:1].isupper()
        if not (named or subject.lower_ in ("he", "she", "they")) or self._inside_quote(word):
            return False
        end = sentence.end - 1
        while end > word.i + 1 and doc[end].is_punct:
            end -= 1
        start, end_char = _char_span(doc, word.i + 1, end)
        cue = (word.text, word.idx, word.idx + len(word.text))
        cue_class = verb_cue_class(word.lemma_, False)
        added = self._add(
            cue, cue_class, subject, start, end_char, sentence, 0.7, "verb.tagged_as_noun",
            verb_claim_type(word.lemma_),
        )  # fmt: skip
        return added is not None

    def _characterization(self, verb: Token, sentence: Any) -> None:
        """ "Reid has gone after Trump as a “human leech”", "admires Putin as a “strong
        leader”": any verb that casts someone as words in quotation marks attributes
        those words to its subject."""
        as_phrase = next(
            (c for c in verb.rights if c.dep_ == "prep" and c.lower_ == "as" and c.n_rights),
            None,
        )
        if as_phrase is None or self._inside_quote(verb):
            return
        first = next((c for c in verb.rights if c.i < as_phrase.i and c.dep_ in _CAST), None)
        if first is None:
            return
        end_char = as_phrase.right_edge.idx + len(as_phrase.right_edge.text)
        if not any(
            q.start >= as_phrase.idx for q in self.quotes.overlapping(as_phrase.idx, end_char)
        ):
            return
        subject = subject_of(verb)
        if subject is None or not plausible_speaker(subject) or subject.i > verb.i:
            return
        cue_start, cue_end = _char_span(
            self.doc, verb.i, first.i if first.dep_ == "prep" else verb.i
        )
        cue = (self.text[cue_start:cue_end], cue_start, cue_end)
        start = self.doc[first.i + 1].idx if first.dep_ == "prep" else first.left_edge.idx
        self._add(cue, "assert", subject, start, end_char, sentence, 0.8, "characterization")

    def _verb_cue(self, verb: Token, sentence: Any) -> None:
        if self._inside_quote(verb):
            return
        if verb.lemma_ == "blame" and verb.dep_ == "xcomp" and verb.head.lemma_ == "be":
            return  # "Democrats are to blame": no one blames anyone here
        subject = _outer_speaker(verb) or subject_of(verb)
        if subject is None or not plausible_speaker(subject):
            return
        if subject.i > verb.i and self._inside_quote(subject):
            return  # no speaker, or a quoted title after the verb ("said on “Fox and Friends”")
        content = verb_content(verb)
        cue = cue_text(verb)
        cue_class = verb_cue_class(verb.lemma_, is_negated(verb))
        if content is not None:
            first, last, frame = content
            if last < verb.i:
                first, last = self._after_lead_in(first, last)
            start, end = _char_span(self.doc, first, last)
            claim_type = verb_claim_type(verb.lemma_, infinitive=frame == "infinitive")
            rule = "verb.observation" if _observation(verb, subject) else f"verb.{frame}"
            rule += _unasserted(verb, aside=False)
            if self._add(cue, cue_class, subject, start, end, sentence, 0.9, rule, claim_type):
                self.used_cues.add(verb.i)
            return
        claim_type = verb_claim_type(verb.lemma_)
        following = self._next_paragraph(verb, sentence)
        if following is not None and self._add(
            cue, cue_class, subject, *following, sentence, 0.8, "verb.next_paragraph", claim_type
        ):
            self.used_cues.add(verb.i)
            return
        parenthetical = self._parenthetical_content(verb, subject, sentence)
        rule = "verb.observation" if _observation(verb, subject) else _aside_rule(verb)
        rule += _unasserted(verb, aside=True)
        if parenthetical is not None and self._add(
            cue, cue_class, subject, *parenthetical, sentence, 0.8, rule, claim_type
        ):
            self.used_cues.add(verb.i)

    def _after_lead_in(self, first: int, last: int) -> tuple[int, int]:
        """ "The statement referenced its impact: “…,” the union wrote": what comes before
        a colon outside the quote marks introduces the statement and is not part of it."""
        colons = [t.i for t in self.doc[first:last] if t.text == ":" and not self._inside_quote(t)]
        return (colons[-1] + 1, last) if colons else (first, last)

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
            ) or (child.dep_ == "mark" and child.lower_ == "as"):
                first = min(first, child.left_edge.i)
                last = max(last, child.right_edge.i)
        return first, last

    def _parenthetical_content(
        self, verb: Token, subject: Token, sentence: Any
    ) -> tuple[int, int] | None:
        """Content of "X, the group said." / "It is, the group said, likely": the rest of
        the sentence, when the cue clause is set off by commas or quote marks."""
        if verb.lemma_ not in ASIDE_CUES and verb.lemma_ != "put":  # "as X put it"
            return None
        if verb.dep_ in ("relcl", "acl") or (
            verb.dep_ == "xcomp" and verb.head.dep_ in ("relcl", "acl")
        ):
            # "Walter Energy, a company that had declared …", "…, which ISW continues to assess
            # to be unlikely" are no asides
            return None
        first, last = self._cue_clause(verb, subject)
        doc = self.doc
        after_verb = verb.i + 1
        while after_verb < len(doc) - 1 and doc[after_verb].text in (",", ":"):
            after_verb += 1
        if after_verb < len(doc) and self._inside_quote(doc[after_verb]):
            return None  # "Mexicans often say, ''Poor Mexico …''": the quote is the content
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

    def _idiom_cue(self, verb: Token, sentence: Any) -> None:
        """ "X made (it) clear (that) Y" and "as X put it, Y" / "X put it this way: Y"."""
        if self._inside_quote(verb):
            return
        subject = subject_of(verb)
        if not plausible_speaker(subject):
            return
        children = list(verb.children)
        if verb.lemma_ == "put":
            if not any(c.dep_ == "dobj" and c.lower_ == "it" for c in children):
                return
            found = self._next_paragraph(verb, sentence) or self._parenthetical_content(
                verb, subject, sentence
            )
            if found is None:
                return
            start, end = found
            cue_last = next(c.i for c in children if c.dep_ == "dobj")
        else:
            clear = next((c for c in children if c.lower_ == "clear" and c.i > verb.i), None)
            if clear is None or clear.i > verb.i + 2:
                return
            clauses = [
                c
                for c in list(clear.rights) + [c for c in verb.rights if c.i > clear.i]
                if c.dep_ in ("ccomp", "advcl", "csubj") and c.pos_ in ("VERB", "AUX")
            ]
            if not clauses:
                return
            first, last = _subtree_range(clauses[:1])
            start, end = _char_span(self.doc, max(first, clear.i + 1), last)
            cue_last = clear.i
        cue_start, cue_end = _char_span(self.doc, verb.i, cue_last)
        cue = (self.text[cue_start:cue_end], cue_start, cue_end)
        rule = "idiom.put_it" if verb.lemma_ == "put" else "idiom.make_clear"
        if self._add(cue, "assert", subject, start, end, sentence, 0.8, rule):
            self.used_cues.add(verb.i)

    def _adjective_cue(self, adjective: Token, sentence: Any) -> None:
        """ "X is critical of Y", "X was confident that Y", "X is reluctant to Y"; and the
        agent nouns of stance, "X is a staunch opponent of Y"."""
        verb = adjective.head
        if self._inside_quote(adjective) or verb.lemma_ not in ("be", "remain", "seem", "appear"):
            return
        subject = subject_of(verb)
        if subject is None or not plausible_speaker(subject) or subject.lower_ == "it":
            return
        adjective_cue = ADJECTIVE_CUES.get(adjective.lower_)
        cue_class, preps = adjective_cue or AGENT_NOUNS[adjective.lemma_]
        rule = "adjective" if adjective_cue else "agent_noun"
        frame = "prep_object"
        content: tuple[int, int] | None = None
        for child in adjective.rights:
            clause_mark = {"ccomp": "that", "advcl": "that", "xcomp": "to"}.get(child.dep_)
            if clause_mark is not None and child.left_edge.lower_ == clause_mark:
                content = child.left_edge.i, child.right_edge.i
                frame = "infinitive" if clause_mark == "to" else "clause"
            elif child.dep_ == "prep" and child.lower_ in preps:
                objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
                if objects:
                    first, last = _subtree_range(objects)
                    if last > first or _named(objects[0]):
                        content = first, last
            if content is not None:
                break
        if content is None:
            return
        last = content[0] - 1 if doc_is_prep(adjective, content[0]) else adjective.i
        cue_start, cue_end = _char_span(self.doc, verb.i, max(adjective.i, last))
        cue = (self.text[cue_start:cue_end], cue_start, cue_end)
        start, end = _char_span(self.doc, *content)
        negated = is_negated(verb) or is_negated(adjective)
        claim_type = adjective_claim_type(
            adjective.lower_ if adjective_cue else adjective.lemma_, frame == "infinitive"
        )
        rule = f"{rule}.{frame}"
        cue_class = _NEGATED_ADJ if negated else cue_class
        self._add(cue, cue_class, subject, start, end, sentence, 0.8, rule, claim_type)

    def _noun_cue(self, noun: Token, sentence: Any) -> None:
        if self._inside_quote(noun):
            return
        found = noun_content(noun)
        if found is None:
            return
        first, last, frame = found
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
        start, end = _char_span(self.doc, first, last)
        cue = (self.text[cue_start:cue_end], cue_start, cue_end)
        claim_type = noun_claim_type(noun.lemma_, infinitive=frame == "infinitive")
        rule = f"noun.{frame}"
        self._add(cue, cue_class, source, start, end, sentence, 0.8, rule, claim_type)

    def _according_to(self, according: Token, sentence: Any) -> None:
        doc = self.doc
        to = doc[according.i + 1]
        if to.lower_ != "to" or self._inside_quote(according):
            return
        source = next((c for c in to.children if c.dep_ == "pobj"), None) or _source_after(to)
        if source is None or not plausible_speaker(source):
            return
        first = according.i
        last = max(according.right_edge.i, source.right_edge.i)
        words = [t.i for t in sentence if not (t.is_punct or t.is_space)]
        opens, closes = first <= words[0] + 1, last >= words[-1]
        if opens and closes:
            # "According to X, the move reeks of …" parsed as X in apposition to the
            # clause: the source ends at its first comma.
            comma = next((t.i for t in doc[source.i : sentence.end] if t.text == ","), None)
            if comma is None:
                return
            last = comma - 1
        if opens:
            start, end = doc[last].idx + len(doc[last].text), sentence.end_char
        elif closes:
            start, end = sentence.start_char, doc[first].idx
        else:
            start, end = sentence.start_char, sentence.end_char
        if not any(t.pos_ in _CLAIM_POS for t in sentence if start <= t.idx < end):
            return  # "According to MSNBC, basically.": the claim is in other sentences
        cue_start, cue_end = _char_span(doc, according.i, according.i + 1)
        cue = (self.text[cue_start:cue_end], cue_start, cue_end)
        self._add(cue, "assert", source, start, end, sentence, 0.85, "according_to")
