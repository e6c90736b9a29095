"""Actors of one article: who each name, description and pronoun refers to."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .gazetteer import Gazetteer, GazetteerEntry
from .names import (
    MAX_ALIAS_CHARS,
    MAX_NAME_CHARS,
    TITLES,
    fold_name,
    fold_token,
    name_tokens,
    normalise_alias,
    plausible_name,
    variant_key,
)
from .types import ActorKind, ActorRef, Mention

PRONOUNS: dict[str, str] = {
    "he": "male", "him": "male", "his": "male", "himself": "male",
    "she": "female", "her": "female", "hers": "female", "herself": "female",
    "it": "thing", "its": "thing", "itself": "thing",
    "they": "plural", "them": "plural", "their": "plural", "themselves": "plural",
    "i": "self", "me": "self", "we": "self", "us": "self", "you": "self",
    "who": "relative", "which": "relative", "that": "relative", "this": "thing",
}  # fmt: skip

# Demonyms used to link "the Belarusian leader" to "the president of Belarus".
DEMONYMS: dict[str, str] = {
    "belarus": "belarusian", "russia": "russian", "ukraine": "ukrainian",
    "united states": "american", "poland": "polish", "germany": "german",
    "france": "french", "china": "chinese", "lithuania": "lithuanian",
    "united kingdom": "british", "britain": "british", "iran": "iranian",
    "turkey": "turkish", "israel": "israeli", "mexico": "mexican", "syria": "syrian",
    "north korea": "north korean", "south korea": "south korean", "japan": "japanese",
    "india": "indian", "canada": "canadian", "italy": "italian", "spain": "spanish",
    "hungary": "hungarian", "moldova": "moldovan", "georgia": "georgian",
    "kazakhstan": "kazakh", "latvia": "latvian", "estonia": "estonian",
    "finland": "finnish", "sweden": "swedish", "norway": "norwegian",
}  # fmt: skip

# Role words that make a person "the leader" of their country.
LEADER_TITLES = frozenset(
    {
        "president",
        "prime minister",
        "premier",
        "chancellor",
        "king",
        "leader",
        "dictator",
        "strongman",
        "supreme leader",
    }
)
HUMAN_NOUNS = frozenset({
    "spokesman", "spokeswoman", "spokesperson", "official", "source", "aide", "adviser",
    "advisor", "analyst", "expert", "president", "leader", "minister", "senator", "governor",
    "lawmaker", "candidate", "nominee", "secretary", "director", "chairman", "chief", "man",
    "woman", "officer", "diplomat", "general", "commander", "ambassador", "mayor", "judge",
    "attorney", "lawyer", "professor", "economist", "strategist", "manager", "representative",
    "congressman", "congresswoman", "founder", "executive", "member", "head", "person",
    "activist", "critic", "supporter", "researcher", "scientist", "author", "writer",
    "reporter", "journalist", "editor", "narrator", "voter", "resident", "witness", "father",
    "mother", "son", "daughter", "wife", "husband", "friend", "doctor", "soldier", "student",
    "milblogger", "blogger", "correspondent", "commentator", "insider", "observer",
})  # fmt: skip
# Collective nouns that can speak ("the campaign said"), unlike "the report" or "the footage".
COLLECTIVE_NOUNS = frozenset({
    "campaign", "committee", "government", "administration", "court", "panel", "group",
    "agency", "ministry", "department", "company", "party", "council", "union", "institute",
    "organization", "network", "newspaper", "board", "commission", "police", "military",
    "army", "office", "team", "family", "alliance", "bloc", "state", "country", "nation",
    "regime", "kremlin", "parliament", "congress", "senate", "house", "firm", "bank", "fund",
})  # fmt: skip
_KIND_OF_COLLECTIVE: dict[str, ActorKind] = {
    "government": "government", "administration": "government", "ministry": "government",
    "kremlin": "government", "regime": "government", "cabinet": "government",
    "department": "government", "state": "government", "parliament": "government",
    "congress": "government", "senate": "government", "military": "government",
    "army": "government", "police": "government",
    "country": "country", "nation": "country",
    "group": "group", "family": "group", "team": "group",
}  # fmt: skip


# What an actor issues, that speaks for it ("Lukashenko's readout stated").
DOCUMENT_NOUNS = frozenset({
    "readout", "report", "statement", "communique", "communiqué", "post", "message",
    "announcement", "release", "publication", "update", "briefing", "account", "channel",
    "website", "video", "address", "speech", "interview", "letter", "decree", "resolution",
    "tweet", "assessment", "summary", "sitrep", "transcript", "comment", "remark",
})  # fmt: skip
# Nouns of office that the name after them holds ("Deputy Chief of … Oleksiy Hromov").
OFFICE_NOUNS = HUMAN_NOUNS | frozenset({
    "chief", "deputy", "advisor", "adviser", "commander", "envoy", "ombudsman", "prosecutor",
    "chairwoman", "chairperson", "speaker", "governor", "mayor", "premier", "chancellor",
    "commissioner", "administrator", "coordinator", "negotiator", "press", "counselor",
})  # fmt: skip
# Words that end the name of an institution or a place, never the name of a person.
INSTITUTION_WORDS = frozenset({
    "administration", "directorate", "staff", "ministry", "minister", "council", "committee",
    "command", "office", "oblast", "region", "department", "service", "agency", "forces",
    "army", "regiment", "brigade", "battalion", "guard", "guards", "duma", "assembly",
    "parliament", "government", "republic", "city", "center", "centre", "group", "corps",
    "division", "district", "raion", "krai", "kingdom", "states", "union", "nations",
    "federation", "fleet", "headquarters", "intelligence", "operations", "affairs",
    "defense", "defence", "security", "police", "court", "party", "bureau", "institute",
})  # fmt: skip
# One-word titles and ranks ("Mr.", "General", "Brigadier"), unlike the words of "secretary
# of state".
_RANKS = frozenset(t for t in TITLES if " " not in t) | {"brigadier", "lieutenant", "major"}
_NOT_NAME_ENTITIES = frozenset({"GPE", "LOC", "NORP", "DATE", "TIME", "CARDINAL"})


def _name_word(token: Any) -> bool:
    text = token.text.replace("-", "").replace("'", "").replace("’", "")
    if len(text) == 2 and text[1] == "." and text[0].isupper():
        return True  # a middle initial
    return token.pos_ == "PROPN" and text[:1].isupper() and text.isalpha()


def _not_a_name_word(token: Any) -> bool:
    lowered = token.lower_.rstrip(".")
    return (
        lowered in OFFICE_NOUNS
        or lowered in _RANKS
        or lowered in INSTITUTION_WORDS
        or token.ent_type_ in _NOT_NAME_ENTITIES
    )


def joins_offices(head: Any) -> bool:
    """ "commander and milblogger Igor Girkin": one person holds both offices (the parse
    makes the second office, or the name it leads to, a conjunct of the first)."""
    if head.lower_ not in OFFICE_NOUNS or any(c.dep_ == "det" for c in head.children):
        return False  # "the mayor and Governor Smith" are two
    return any(
        c.dep_ == "conj"
        and (
            c.text in OFFICE_NOUNS
            or any(m.dep_ == "compound" and m.text in OFFICE_NOUNS for m in c.children)
        )
        for c in head.children
    )


def titled_name(
    head: Any,
    limit: int,
    is_place: Callable[[str], bool] = lambda word: False,
    phrase_end: int | None = None,
) -> tuple[int, int] | None:
    """Token range [start, end) of the name that a noun of office leads to ("Chief of the
    Main Intelligence Directorate (GUR) Kyrylo Budanov", "the governor of the oblast, Ivan
    Petrenko,"): the capitalised words that end the noun phrase, after any place, institution
    or title words; None when the phrase ends in an institution, a place, or an object of
    "for" or "of" ("a spokesman for Peskov" is not Peskov). `limit` is the cue's token;
    `phrase_end` ends the phrase where the parse cannot (an entity the tagger ran on)."""
    if head.lower_ not in OFFICE_NOUNS or head.ent_type_ == "PERSON" or head.dep_ == "conj":
        return None
    doc = head.doc
    subtree = {t.i for t in head.subtree} | set(range(head.i, phrase_end or head.i))
    # "Governor of Magadan Oblast Sergey Nosov in a leaked video": the office's own
    # preposition leads to the name, a second one does not.
    first_prep = next((c.i for c in head.rights if c.dep_ == "prep"), len(doc))
    joined = joins_offices(head)
    end = head.i + 1
    while (
        end < limit
        and end in subtree
        and (doc[end].pos_ not in ("VERB", "AUX") or doc[end].dep_ == "amod")
        and doc[end].dep_ not in ("relcl", "acl")
        and not (doc[end].dep_ in ("cc", "conj") and doc[end].ent_iob_ == "O" and not joined)
        and not (doc[end].dep_ == "prep" and doc[end].head.i == head.i and end > first_prep)
        and doc[end].lower_ not in ("who", "which", "that")
    ):
        end += 1
    while end > head.i + 1 and doc[end - 1].is_punct:
        end -= 1
    if end <= head.i + 1 or not _name_word(doc[end - 1]):
        return None
    if end < len(doc) and _name_word(doc[end]):
        return None  # the parse cut the name short ("Mayor of Mariupol Petro | Andryushchenko")
    last = doc[end - 1]
    start = end - 1
    while last.ent_type_ == "PERSON" and start > head.i + 1 and doc[start].ent_iob_ == "I":
        start -= 1
    # A name the tagger cut short ("Kyrylo" outside the entity "Budanov") or did not see.
    while (
        start > head.i + 1
        and end - start < 2
        and _name_word(doc[start - 1])
        and not _not_a_name_word(doc[start - 1])
        and (last.ent_type_ != "PERSON" or doc[start - 1].ent_type_ in ("", "PERSON"))
    ):
        start -= 1
    for inside in range(end - 1, start - 1, -1):
        if not _name_word(doc[inside]) or _not_a_name_word(doc[inside]):
            start = inside + 1  # "Donetsk People’s Republic Denis Pushilin"
            break
    if start >= end or (end - start < 2 and last.ent_type_ != "PERSON"):
        return None
    if end - start > 4 or last.lower_ in INSTITUTION_WORDS:
        return None
    before = start - 1
    while before > head.i and (
        doc[before].lower_.rstrip(".") in _RANKS
        or doc[before].lower_ in OFFICE_NOUNS
        or doc[before].pos_ == "ADJ"
        or doc[before].ent_type_ == "NORP"
    ):
        # "for Mr. Novak", "for Democratic presidential candidate Hillary Clinton": the
        # holder of another office; "Staff, Brigadier General Oleksiy Hromov": of this one.
        before -= 1
    if doc[before].pos_ in ("ADP", "DET") or doc[before].dep_ == "case":
        return None
    if last.ent_type_ != "PERSON" and not _ends_a_place_or_office(doc[start - 1], is_place):
        return None  # "the head of Sony Pictures Television" names no person
    return start, end


def _ends_a_place_or_office(token: Any, is_place: Callable[[str], bool]) -> bool:
    """Whether a name may follow this word without the tagger having seen it as one: a
    punctuation mark, an institution, a title or a place ("… of Kherson Petro Ivanenko")."""
    if token.is_punct or _not_a_name_word(token) or is_place(token.text):
        return True
    return any(t.text == token.text and t.ent_type_ in ("GPE", "LOC") for t in token.doc)


def description_kind(lemma: str, plural: bool) -> ActorKind:
    """The kind of actor an unnamed description denotes: "the administration" a government,
    "the panel" an organisation, "the spokesman" a person, "officials" a group."""
    if plural:
        return "group"
    if lemma in HUMAN_NOUNS:
        return "person"
    if lemma in COLLECTIVE_NOUNS or lemma == "tank":  # "the think tank"
        return _KIND_OF_COLLECTIVE.get(lemma, "organization")
    return "unknown"


_DETERMINERS = frozenset(
    {
        "the",
        "a",
        "an",
        "some",
        "many",
        "several",
        "other",
        "another",
        "most",
        "few",
        "two",
        "three",
        "four",
        "five",
        "both",
        "all",
        "these",
        "those",
        "this",
        "that",
        "its",
        "their",
        "his",
        "her",
        "our",
        "one",
    }
)
_TITLE_WORDS = frozenset(word for title in TITLES for word in title.split())
_ENTITY_KINDS: dict[str, ActorKind] = {
    "PERSON": "person", "ORG": "organization", "GPE": "country", "NORP": "group",
}  # fmt: skip


@dataclass
class _Actor:
    key: str
    name: str
    kind: ActorKind
    aliases: list[str] = field(default_factory=list)
    role: str | None = None
    country: str | None = None
    gazetteer_name: str | None = None
    descriptors: set[str] = field(default_factory=set)
    gender: str | None = None

    def add_alias(self, alias: str) -> None:
        alias = alias.strip()
        if len(alias) > MAX_ALIAS_CHARS:
            return
        if alias and alias.lower() not in PRONOUNS and alias not in self.aliases:
            self.aliases.append(alias)


def display_name(text: str) -> str:
    """A name as shown: without leading article, honorific or possessive ending."""
    words = text.replace("’", "'").split()
    while words and words[0].lower() in {"the", "a", "an"}:
        words = words[1:]
    while (
        len(words) > 1
        and words[0].lower().rstrip(".") in _TITLE_WORDS
        and words[1].lower() not in ("and", "or", "&")  # "the mayor and the governor"
    ):
        words = words[1:]
    if words and words[-1].endswith(("'s", "'")):
        words[-1] = words[-1][:-2] if words[-1].endswith("'s") else words[-1][:-1]
    shown = " ".join(words).strip(" ,.;:")
    return shown.replace("'", "’") if "’" in text else shown


# Words that say how a source is regarded, not which kind of source it is.
_EVALUATIVE = frozenset({
    "prominent", "influential", "popular", "well-known", "notable", "noted", "leading",
    "various", "unnamed", "anonymous", "unspecified", "certain", "multiple", "numerous",
    "several", "additional", "further", "different", "separate", "single", "same", "at",
    "least",
})  # fmt: skip


def group_name(tokens: list[Any]) -> str:
    """Name of an unnamed group: the phrase without determiners or words of regard
    ("Ukrainian officials" for "some Ukrainian officials", "Russian milblogger" for "a
    prominent Russian milblogger")."""
    kept = [t for t in tokens if t.lower_ not in _DETERMINERS and not t.is_punct]
    while len(kept) > 1 and kept[0].lower_ in _EVALUATIVE:
        kept = kept[1:]
    if not kept:
        return " ".join(t.text for t in tokens)
    doc = kept[0].doc
    return str(doc[kept[0].i : kept[-1].i + 1].text)


_MINOR_WORDS = frozenset({"of", "the", "for", "and", "on", "in", "at", "to", "&"})


def acronym(name: str) -> str:
    """ "IMF", "U.N.", "NATO": a name written as capitals (2 to 6 letters), without dots."""
    letters = name.strip().replace(".", "")
    return letters if 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper() else ""


def initials_of(name: str) -> str:
    """ "International Monetary Fund" -> "IMF"; "" for fewer than two capitalised words."""
    words = [w for w in name.replace("-", " ").split() if w.lower() not in _MINOR_WORDS]
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return ""
    return "".join(w[0] for w in words)


def _ends_with(tokens: list[str], tail: list[str]) -> bool:
    """Whether a name's tokens end with another full name (two tokens or more)."""
    return 2 <= len(tail) <= len(tokens) and tokens[-len(tail) :] == tail


def _name_quality(name: str) -> tuple[int, int]:
    """Prefer fuller names: more tokens, then longer text."""
    return (len(name.split()), len(name))


class ActorIndex:
    """Actors of one article, with the evidence needed to resolve later mentions."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.actors: dict[str, _Actor] = {}
        self.mentions: list[Mention] = []
        self._by_alias: dict[str, str] = {}
        # Spelling variants of a name ("Oleksii" for "Oleksiy"): None where two actors meet.
        self._by_variant: dict[str, str | None] = {}
        # (char position, actor key, weight) in text order, for pronoun resolution.
        self._timeline_pos: list[int] = []
        self._timeline: list[tuple[int, str, bool]] = []
        self._later_pos: list[int] = []
        self._later: list[tuple[int, str, bool]] = []
        self._surnames: dict[str, set[str]] = {}
        self._first_names: dict[str, set[str]] = {}
        # "International Monetary Fund" and "IMF" under "IMF": organisations by initials.
        self._acronyms: dict[str, set[str]] = {}

    # ------------------------------------------------------------------ building
    def _from_gazetteer(self, entry: GazetteerEntry) -> _Actor:
        key = normalise_alias(entry.name)
        actor = self.actors.get(key)
        if actor is None:
            actor = _Actor(
                key=key,
                name=entry.name,
                kind=entry.kind,
                role=entry.role,
                country=entry.country,
                gazetteer_name=entry.name,
            )
            self.actors[key] = actor
            self._descriptors_from_role(actor, entry.role, entry.country)
            self._index_person_name(actor, entry.name)
            if entry.kind in ("organization", "government", "group"):
                self._descriptors_from_org_name(actor, entry.name)
        return actor

    def _index_person_name(self, actor: _Actor, name: str) -> None:
        tokens = name_tokens(name)
        if actor.kind == "person" and len(tokens) >= 2:
            self._surnames.setdefault(fold_token(tokens[-1]), set()).add(actor.key)
            self._first_names.setdefault(fold_token(tokens[0]), set()).add(actor.key)

    def _descriptors_from_role(self, actor: _Actor, role: str | None, country: str | None) -> None:
        if not role:
            return
        words = role.lower().replace("'s", "").split()
        head_words = words[: words.index("of")] if "of" in words else words
        if head_words:
            actor.descriptors.add(head_words[-1])
            actor.descriptors.add(" ".join(head_words))
        title = " ".join(head_words[-2:]) if len(head_words) >= 2 else " ".join(head_words)
        if title in LEADER_TITLES or (head_words and head_words[-1] in LEADER_TITLES):
            actor.descriptors.add("leader")
            demonym = DEMONYMS.get((country or "").lower())
            if demonym:
                for word in ("leader", head_words[-1]):
                    actor.descriptors.add(f"{demonym} {word}")

    def register_name(
        self, text: str, label: str, start: int, end: int, definite: bool = False
    ) -> str | None:
        """Register a named mention (an entity) and return its actor key; a `definite` one
        ("the MoD") may be the short form of an institution named before."""
        shown = display_name(text)
        norm = normalise_alias(shown)
        if not norm or not plausible_name(shown):
            return None
        key = self.resolve_name(shown, label)
        if key is None and definite and label != "PERSON":
            key = self.resolve_short_form(shown, start)
        if key is None:
            entry = self.gazetteer.lookup(shown)
            if entry is not None:
                actor = self._from_gazetteer(entry)
            else:
                kind = _ENTITY_KINDS.get(label, "unknown")
                actor = _Actor(key=norm, name=shown, kind=kind)
                self.actors[norm] = actor
                self._index_person_name(actor, shown)
                if kind == "organization":
                    self._descriptors_from_org_name(actor, shown)
            key = actor.key
            if label != "PERSON":
                initials = acronym(shown) or initials_of(shown)
                if initials:
                    self._acronyms.setdefault(initials, set()).add(key)
        actor = self.actors[key]
        actor.add_alias(text.strip())
        if actor.gazetteer_name is None and acronym(actor.name) == initials_of(shown) != "":
            actor.name = shown  # "IMF" first, then "the International Monetary Fund"
        elif (
            actor.gazetteer_name is None
            and _name_quality(shown) > _name_quality(actor.name)
            and normalise_alias(shown).split()[-1:] == normalise_alias(actor.name).split()[-1:]
        ):
            actor.name = shown
            self._index_person_name(actor, shown)
        self._by_alias.setdefault(norm, key)
        variant = variant_key(shown)
        if variant and self._by_variant.setdefault(variant, key) != key:
            self._by_variant[variant] = None
        lowered = text.lower()
        if lowered.startswith(("mr.", "mr ")):
            actor.gender = "male"
        elif lowered.startswith(("ms.", "mrs.", "ms ", "mrs ")):
            actor.gender = "female"
        self.add_mention(key, text, start, end)
        return key

    def add_short_name(self, key: str, text: str, start: int, end: int) -> None:
        """ "the Main Intelligence Directorate (GUR)": the letters in brackets name it too."""
        norm = normalise_alias(text)
        if norm and key in self.actors:
            self._by_alias.setdefault(norm, key)
            self._acronyms.setdefault(norm.upper(), set()).add(key)
            self.add_mention(key, text, start, end)

    def _descriptors_from_org_name(self, actor: _Actor, shown: str) -> None:
        words = [w.lower() for w in shown.split()]
        for stop in ("for", "of", "on", "in", "at"):
            if stop in words[1:]:
                words = words[: words.index(stop, 1)]
                break
        if len(shown.split()) >= 2 and words[-1].isalpha():
            actor.descriptors.add(words[-1])

    def resolve_name(self, text: str, label: str = "PERSON") -> str | None:
        """The actor a name denotes: same normalised alias, gazetteer entry, a unique full
        name sharing the surname (never when two people share it), or a person's full name
        with a word before it or without one ("Crooked Hillary Clinton", "Miss Universe
        Alicia Machado" then "Alicia Machado")."""
        norm = normalise_alias(text)
        if norm in self._by_alias:
            return self._by_alias[norm]
        entry = self.gazetteer.lookup(text)
        if entry is not None:
            key = normalise_alias(entry.name)
            return key if key in self.actors else None
        variant = variant_key(text)
        if variant and self._by_variant.get(variant):
            return self._by_variant[variant]
        tokens = norm.split()
        if len(tokens) == 1:
            # The tagger often takes a lone surname for a place or an organisation.
            indexes = [self._surnames] + ([self._first_names] if label == "PERSON" else [])
            for index in indexes:
                candidates = index.get(fold_token(tokens[0]), set())
                if len(candidates) == 1:
                    return next(iter(candidates))
        elif label == "PERSON":
            return self._same_person(tokens)
        return self._by_initials(text) if label != "PERSON" else None

    def resolve_short_form(self, text: str, position: int) -> str | None:
        """ "the General Staff" or "the MoD" after "the Ukrainian General Staff" and "the
        Russian Ministry of Defense": the most recent institution whose name ends with it."""
        wanted = fold_name(text).split()
        if len(wanted) < 2:
            return None  # "the House" is not short for "the White House"
        seen: set[str] = set()
        for _, key, _ in self._recent(position, 400):
            actor = self.actors[key]
            if key in seen or actor.kind not in ("organization", "government", "group"):
                continue
            seen.add(key)
            for name in (actor.name, *actor.aliases):
                known = fold_name(name).split()
                if len(known) > len(wanted) and known[-len(wanted) :] == wanted:
                    return key
        return None

    def _by_initials(self, text: str) -> str | None:
        """ "IMF" after "the International Monetary Fund", or the other way round: the one
        organisation whose initials the acronym spells."""
        short = acronym(text)
        found = self._acronyms.get(short or initials_of(text), set())
        if not short:
            # A full name matches only an actor known by its acronym, not another full name.
            found = {key for key in found if acronym(self.actors[key].name)}
        return next(iter(found)) if len(found) == 1 else None

    def _same_person(self, tokens: list[str]) -> str | None:
        """The one person whose full name ends this name, or that this name ends."""
        tokens = [fold_token(token) for token in tokens]
        found = {
            key
            for key in self._surnames.get(tokens[-1], set())
            for name in (self.actors[key].name, *self.actors[key].aliases)
            for known in [[fold_token(token) for token in name_tokens(name)]]
            if _ends_with(tokens, known) or _ends_with(known, tokens)
        }
        return next(iter(found)) if len(found) == 1 else None

    def add_descriptor(self, key: str, phrase: str, as_role: bool = True) -> None:
        """Remember that a description ("a Washington-based research group") denotes an actor."""
        actor = self.actors.get(key)
        if actor is None:
            return
        words = [
            w
            for w in phrase.lower().replace("’s", "").replace("'s", "").split()
            if w not in _DETERMINERS
        ]
        if not words:
            return
        actor.descriptors.add(words[-1])
        actor.descriptors.add(" ".join(words[-2:]))
        if as_role and actor.role is None and len(phrase) < 80:
            actor.role = phrase.strip()
        if words[-1] in LEADER_TITLES:
            actor.descriptors.add("leader")

    def set_role(self, key: str, role: str) -> None:
        """The office a person was named with, if none is known ("Deputy Chief of …")."""
        actor = self.actors.get(key)
        if actor is None or not role or len(role) >= 160:
            return
        known = " ".join(w for w in (actor.role or "").lower().split() if w not in _DETERMINERS)
        if not known or role.lower().startswith(known):
            actor.role = role

    def add_country_title(self, key: str, title: str, country: str) -> None:
        """ "President X of Belarus" also makes X "the Belarusian leader"."""
        actor = self.actors.get(key)
        if actor is None:
            return
        title = title.lower().rstrip(".")
        demonym = DEMONYMS.get(normalise_alias(country))
        actor.descriptors.add(title)
        if actor.country is None:
            actor.country = country
        if actor.role is None:
            actor.role = f"{title.capitalize()} of {country}"
        if title in LEADER_TITLES:
            actor.descriptors.add("leader")
            if demonym:
                actor.descriptors.update({f"{demonym} leader", f"{demonym} {title}"})

    def add_group(self, name: str, kind: ActorKind) -> str:
        """An unnamed group or description that denotes no known actor."""
        if len(name) > MAX_NAME_CHARS:
            name = " ".join(name[:MAX_NAME_CHARS].split()[:-1]) or name[:MAX_NAME_CHARS]
        key = normalise_alias(name) or name.lower()
        if key not in self.actors:
            entry = self.gazetteer.lookup(name)
            if entry is not None:
                return self._from_gazetteer(entry).key
            self.actors[key] = _Actor(key=key, name=name, kind=kind)
        return key

    def add_mention(self, key: str, text: str, start: int, end: int, subject: bool = False) -> None:
        self.mentions.append(Mention(actor_key=key, text=text, start=start, end=end))
        self.actors[key].add_alias(text)
        self.note(key, start, subject)

    def note(self, key: str, position: int, subject: bool) -> None:
        """Record that an actor was mentioned at `position`. Names arrive in text order and
        speakers arrive in text order, so two append-only lists stay sorted."""
        entry = (position, key, subject)
        for positions, entries in (
            (self._timeline_pos, self._timeline),
            (self._later_pos, self._later),
        ):
            if not positions or position >= positions[-1]:
                positions.append(position)
                entries.append(entry)
                return
        at = bisect_right(self._later_pos, position)
        self._later_pos.insert(at, position)
        self._later.insert(at, entry)

    def _recent(self, position: int, limit: int) -> Iterator[tuple[int, str, bool]]:
        """Mentions before `position`, nearest first, at most `limit` of them."""
        first = bisect_right(self._timeline_pos, position) - 1
        second = bisect_right(self._later_pos, position) - 1
        for _ in range(limit):
            if first < 0 and second < 0:
                return
            if second < 0 or (first >= 0 and self._timeline_pos[first] >= self._later_pos[second]):
                yield self._timeline[first]
                first -= 1
            else:
                yield self._later[second]
                second -= 1

    # --------------------------------------------------------------- resolving
    def resolve_description(
        self, head: str, modifiers: list[str], position: int, plural: bool = False
    ) -> str | None:
        """The most recent actor that a description ("the group", "the Belarusian leader")
        was seen to denote before `position`; "the leaders" is never one person."""
        wanted = [f"{m} {head}" for m in modifiers if m not in _DETERMINERS] or [head]
        seen: set[str] = set()
        for _, key, _ in self._recent(position, 400):
            if key in seen:
                continue
            seen.add(key)
            if plural and self.actors[key].kind == "person":
                continue
            descriptors = self.actors[key].descriptors
            if any(w in descriptors for w in wanted):
                return key
        return None

    def recent_people(self, descriptor: str, position: int, count: int) -> tuple[str, ...]:
        """The `count` people last mentioned before `position` that a description fits
        ("leader"), earliest first; fewer when not that many are known."""
        found: list[str] = []
        for _, key, _ in self._recent(position, 200):
            actor = self.actors[key]
            if key not in found and actor.kind == "person" and descriptor in actor.descriptors:
                found.append(key)
                if len(found) == count:
                    break
        return tuple(reversed(found))

    def resolve_pronoun(
        self, pronoun: str, position: int, recent_speakers: list[str]
    ) -> str | None:
        """Nearest compatible actor before `position`, preferring recent speakers."""
        kind = PRONOUNS.get(pronoun.lower())
        if kind in (None, "self", "relative"):
            return None
        found = self._antecedent(kind, position, recent_speakers)
        if found is not None and kind in ("male", "female") and self.actors[found].gender is None:
            # "Kamala Lopez … as she called for …": later, "he" is someone else.
            self.actors[found].gender = kind
        return found

    def _antecedent(self, kind: str, position: int, recent_speakers: list[str]) -> str | None:
        for key in recent_speakers[-2:][::-1]:
            if self._compatible(key, kind):
                return key
        best: str | None = None
        for pos, key, subject in self._recent(position, 60):
            if position - pos > 1500:
                break
            if self._compatible(key, kind):
                if subject:
                    return key
                best = best or key
        return best

    def _compatible(self, key: str, pronoun_kind: str) -> bool:
        actor = self.actors[key]
        if pronoun_kind in ("male", "female"):
            return actor.kind == "person" and actor.gender in (None, pronoun_kind)
        if pronoun_kind == "thing":
            return actor.kind in ("organization", "government", "country") or (
                actor.kind in ("group", "unknown") and not actor.name.endswith("s")
            )
        return actor.kind == "group" or (actor.kind in ("organization", "government"))

    def refs(self) -> tuple[ActorRef, ...]:
        return tuple(
            ActorRef(
                key=a.key,
                name=a.name,
                kind=a.kind,
                aliases=tuple(a.aliases),
                role=a.role,
                country=a.country,
                gazetteer_name=a.gazetteer_name,
            )
            for a in self.actors.values()
        )
