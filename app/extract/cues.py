"""Views of the cue lexicon that the rules read: cue words by part of speech and frame."""

from __future__ import annotations

from .lexicon import cues_of, words_with
from .types import ClaimType, CueClass

_VERBS = cues_of("verb")
_NOUNS = cues_of("noun")
_ADJECTIVES = cues_of("adjective")
_AGENTS = cues_of("agent")

# Verbs (by lemma) that attribute a statement, belief or intention to their subject.
VERB_CUES: dict[str, CueClass] = {word: cue.cue_class for word, cue in _VERBS.items()}

# Verbs whose attributed content may be a plain noun phrase object ("cited his record").
OBJECT_CUES: frozenset[str] = words_with("verb", "object")

# Verbs whose infinitive complement is the content ("urged Congress to act", "vowed to fight").
XCOMP_CUES: frozenset[str] = words_with("verb", "to")

# Verbs whose content may follow a preposition ("warned of", "spoke about", "called for").
PREP_CUES: dict[str, frozenset[str]] = {
    word: cue.preps for word, cue in _VERBS.items() if cue.preps
}

# Verbs that need a clause: with nothing but an object they are not statements
# ("knew the area", "found the keys").
CLAUSE_ONLY: frozenset[str] = words_with("verb", "clause-only")

# Nouns that carry a statement when they have a source ("X's claim that ...").
NOUN_CUES: dict[str, CueClass] = {word: cue.cue_class for word, cue in _NOUNS.items()}

# Nominal cues whose content may be a prepositional object, with those prepositions.
NOUN_PREP_CUES: dict[str, frozenset[str]] = {
    word: cue.preps for word, cue in _NOUNS.items() if cue.preps
}

# Nominal cues whose content may be an infinitive ("her decision to meet ...").
INFINITIVE_NOUNS: frozenset[str] = words_with("noun", "to")

# Adjectives of stance and cognition after "be" ("is critical of", "was confident that",
# "are reluctant to"), with the prepositions that introduce their content.
ADJECTIVE_CUES: dict[str, tuple[CueClass, frozenset[str]]] = {
    word: (cue.cue_class, cue.preps) for word, cue in _ADJECTIVES.items()
}

# "X is a staunch opponent of Y", "X has been a supporter of Y".
AGENT_NOUNS: dict[str, tuple[CueClass, frozenset[str]]] = {
    word: (cue.cue_class, cue.preps) for word, cue in _AGENTS.items()
}

# Light verbs whose object noun is the real cue ("raised the possibility that ...").
LIGHT_VERBS: frozenset[str] = frozenset(cues_of("light"))

# Verbs whose content may be a clause the parser hung on them as an adverbial.
SAY_LIKE: frozenset[str] = words_with("verb", "say")
# Verbs that cast their object "as" something ("dismissed it as …").
AS_PREP_CUES: frozenset[str] = words_with("verb", "as")
# Verbs whose content may be an "about"/"of" phrase ("warned about").
ABOUT_CUES: frozenset[str] = words_with("verb", "about")
# Stance verbs whose one-word object is a statement of support or opposition ("endorsed
# Clinton", "attacked Machado").
STANCE_CUES: frozenset[str] = words_with("verb", "stance")
# Verbs whose subject may be a thing ("the footage shows", "the polls suggest").
EVIDENCE_VERBS: frozenset[str] = words_with("verb", "evidence")
# Verbs that can make a parenthetical cue clause ("X, the group said.").
ASIDE_CUES: frozenset[str] = words_with("verb", "aside")

_NEGATED: dict[CueClass, CueClass] = {
    "assert": "other",
    "deny": "other",
    "predict": "other",
    "speculate": "other",
    "other": "other",
}


def verb_cue_class(lemma: str, negated: bool = False) -> CueClass:
    """Class of a cue verb; a negated cue ("did not deny") no longer makes that claim."""
    cue_class = VERB_CUES.get(lemma, "other")
    return _NEGATED[cue_class] if negated else cue_class


def noun_cue_class(lemma: str, negated: bool = False) -> CueClass:
    """Class of a nominal cue ("speculation", "claim")."""
    cue_class = NOUN_CUES.get(lemma, "other")
    return _NEGATED[cue_class] if negated else cue_class


def is_verb_cue(lemma: str) -> bool:
    """Whether a verb lemma can introduce a statement."""
    return lemma in VERB_CUES


def verb_claim_type(lemma: str, infinitive: bool = False) -> ClaimType:
    """Statement, belief or intention, for a cue verb ("said", "believes", "plans to")."""
    cue = _VERBS.get(lemma)
    return cue.claim_type(infinitive) if cue else "statement"


def noun_claim_type(lemma: str, infinitive: bool = False) -> ClaimType:
    """Statement, belief or intention, for a nominal cue ("claim", "fear", "plan to")."""
    cue = _NOUNS.get(lemma)
    return cue.claim_type(infinitive) if cue else "statement"


def adjective_claim_type(word: str, infinitive: bool = False) -> ClaimType:
    """Statement, belief or intention, for "is aware that", "is eager to", "a critic of"."""
    cue = _ADJECTIVES.get(word) or _AGENTS.get(word)
    return cue.claim_type(infinitive) if cue else "statement"
