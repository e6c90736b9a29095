"""Which attributions are claims: statements whose content is a proposition (a clause, a small
clause or a quotation), as opposed to beliefs, intentions, stances towards a noun phrase and
observations, which PolNeAR-style attribution counts but a claim tracker does not."""

from __future__ import annotations

from collections.abc import Iterable

from .types import Attribution

# Rules whose content is a clause, a small clause or a quotation ("said that …", "according
# to X, …", "“…,” she said", "described the talks as productive").
PROPOSITION_RULES: frozenset[str] = frozenset(
    {
        "verb.clause",
        "verb.misattached_clause",
        "verb.clause_after_prep",
        "verb.small_clause",
        "verb.infinitive",
        "verb.aside",
        "verb.next_paragraph",
        "verb.tagged_as_noun",
        "noun.clause",
        "adjective.clause",
        "according_to",
        "idiom.make_clear",
        "idiom.put_it",
        "characterization",
        "quote.cue_after",
        "quote.cue_before",
        "quote.signed",
        "quote.colon_line",
        "quote.name_colon",
        "quote.continuation",
    }
)

# Things that can be subjects of evidence verbs report observations ("footage showed").
NOT_CLAIMS: frozenset[str] = frozenset({"verb.observation"})
# Rule-name endings for cues that assert nothing ("did not specify how"), the writer's inference
# from an act ("shelled the station, suggesting that") and cues the writer only supposes
# ("possibly implying that").
UNASSERTED = (".negated", ".inferred", ".hedged")


def is_claim(attribution: Attribution) -> bool:
    """Whether an attribution is a claim its speaker made: type "statement", and its content a
    proposition or a quotation ("warned about a growing threat", "discussed the formation of
    X", "footage showed", "did not specify how" and "Putin likely intends to" are not)."""
    if attribution.type != "statement" or attribution.rule in NOT_CLAIMS:
        return False
    if attribution.rule.endswith(UNASSERTED):
        return False
    if attribution.kind in ("direct", "mixed"):
        return True  # quoted words are a claim whatever frame found them
    return attribution.rule in PROPOSITION_RULES


def claims(attributions: Iterable[Attribution]) -> list[Attribution]:
    """The attributions that are claims, in order."""
    return [attribution for attribution in attributions if is_claim(attribution)]


def stored_type(attribution: Attribution) -> str:
    """The type a claim tracker files an attribution under: its own, except that a
    "statement" that is not a claim (a noun-phrase object, an observation, a cue that asserts
    nothing) is "other", kept for attribution studies but out of the claims."""
    if attribution.type == "statement" and not is_claim(attribution):
        return "other"
    return attribution.type
