"""Claim types, rule names and claims: what was said, believed or intended, which rule found it,
and which attributions are claims a speaker made."""

from __future__ import annotations

import pytest

from app.extract import extract
from app.extract.calibrate import fit
from app.extract.claims import is_claim
from app.extract.confidence import fitted_confidence, speaker_form
from app.extract.lexicon import LEXICON, cues_of
from app.extract.types import Attribution


def _only(text: str, cue_word: str) -> Attribution:
    found = [a for a in extract(text).attributions if cue_word in a.cue]
    assert len(found) == 1, [(a.cue, a.content) for a in extract(text).attributions]
    return found[0]


# (text, cue, type)
TYPES: list[tuple[str, str, str]] = [
    ("The mayor said that the bridge would reopen in May.", "said", "statement"),
    ("The ministry announced that the drills had ended.", "announced", "statement"),
    ("The general warned that the border would close.", "warned", "statement"),
    ("The senator denied that she had met the lobbyist.", "denied", "statement"),
    ("The mayor believes that the bridge will reopen in May.", "believes", "belief"),
    ("The farmers fear that the river will flood again.", "fear", "belief"),
    ("The governor thinks that the tax is too high.", "thinks", "belief"),
    ("The coach hopes that the team will win the cup.", "hopes", "belief"),
    ("The coach hopes to win the cup next year.", "hopes", "intention"),
    ("The company plans to open a factory in Ohio.", "plans", "intention"),
    ("The party seeks to win back the northern towns.", "seeks", "intention"),
    ("The president wants to cut the budget deficit.", "wants", "intention"),
    ("The minister refused to send more troops to the border.", "refused", "intention"),
    ("The union promised to end the strike by Friday.", "promised", "statement"),
]


@pytest.mark.parametrize(("text", "cue", "claim_type"), TYPES)
def test_type_of_what_is_attributed(text: str, cue: str, claim_type: str) -> None:
    assert _only(text, cue).type == claim_type


def test_being_aware_is_a_belief_not_a_statement() -> None:
    # A writer's assessment about someone: no cue of the person speaking.
    attribution = _only("The president is also likely aware that a war would ruin him.", "aware")
    assert attribution.type == "belief"
    assert not is_claim(attribution)


def test_writer_assessment_of_an_intention_is_not_a_claim() -> None:
    attribution = _only("The Kremlin likely seeks to draw its neighbour into the war.", "seeks")
    assert attribution.type == "intention"
    assert not is_claim(attribution)


# (text, cue): a cue whose object is a noun phrase attributes a stance or a topic, not a claim.
NOUN_PHRASE_OBJECTS: list[tuple[str, str]] = [
    ("The two presidents discussed the formation of a joint regional army.", "discussed"),
    ("The minister announced the start of a second stage of the exercises.", "announced"),
    ("The mayor strongly supports the new harbour project downtown.", "supports"),
    ("The governor warned about a growing threat from the north.", "warned"),
]


@pytest.mark.parametrize(("text", "cue"), NOUN_PHRASE_OBJECTS)
def test_noun_phrase_objects_are_not_claims(text: str, cue: str) -> None:
    attribution = _only(text, cue)
    assert attribution.type == "statement"
    assert not is_claim(attribution)


def test_a_clause_or_a_small_clause_is_a_claim() -> None:
    assert is_claim(_only("The ministry announced that the exercises had ended.", "announced"))
    assert is_claim(_only("The senator described the talks as a serious failure.", "described"))
    assert is_claim(
        _only("The agency assesses the threat of a new offensive as very low.", "assesses")
    )


def test_an_as_aside_after_its_content_is_not_a_claim() -> None:
    # "As ISW has reported, X" opens its content and is a claim; the aside after it is a nod.
    text = "The strikes are not merely a feint, as some Western analysts have suggested."
    assert not is_claim(_only(text, "suggested"))


def test_a_quotation_is_a_claim_whatever_frame_found_it() -> None:
    text = "The mayor called the plan “a disgrace to the whole city.”"
    assert is_claim(_only(text, "called"))


@pytest.mark.parametrize(
    "text",
    [
        "Geolocated footage showed that a column of tanks was moving west on Monday.",
        "The recent troop movements indicate that the army is not preparing an attack.",
    ],
)
def test_observations_are_not_claims(text: str) -> None:
    (attribution,) = extract(text).attributions
    assert attribution.rule == "verb.observation"
    assert not is_claim(attribution)


def test_a_study_that_finds_makes_a_claim() -> None:
    attribution = _only("A new study found that the drug cuts the risk of stroke.", "found")
    assert attribution.rule == "verb.clause"
    assert is_claim(attribution)


# (text, cue): cues that assert nothing, or that the writer only infers or supposes.
UNASSERTED: list[tuple[str, str]] = [
    ("The ministry did not say whether the drills had ended on Monday.", "say"),
    ("The army shelled the railway station, suggesting that it targets the supply lines.", "sugg"),
    ("The envoy met the rebels, possibly implying that a deal on the port is close.", "implying"),
]


@pytest.mark.parametrize(("text", "cue"), UNASSERTED)
def test_negated_inferred_and_hedged_cues_are_not_claims(text: str, cue: str) -> None:
    attribution = _only(text, cue)
    assert attribution.rule.endswith((".negated", ".inferred", ".hedged"))
    assert not is_claim(attribution)


def test_every_attribution_names_its_rule() -> None:
    text = (
        "“We will not retreat,” Mr. Smith said. The mayor said that the bridge would reopen. "
        "According to the police, nobody was hurt. The union, its leader said, will strike.\n"
        "The council rejected the plan. Her claim that the vote was rigged was false. "
        "The ministry is confident that the talks will succeed."
    )
    rules = {a.rule for a in extract(text).attributions}
    assert "" not in rules
    assert {"verb.clause", "according_to", "noun.clause", "verb.aside"} <= rules


def test_the_lexicon_names_a_class_and_a_type_for_every_cue() -> None:
    assert len({(cue.word, cue.part) for cue in LEXICON}) == len(LEXICON)
    for cue in LEXICON:
        assert cue.claim_type(False) in ("statement", "belief", "intention")
        assert cue.claim_type(True) in ("statement", "belief", "intention")
    assert cues_of("verb")["say"].type == "statement"


def test_confidence_is_fitted_from_outcomes_per_rule_type_and_speaker() -> None:
    outcomes = [(("verb.clause", "statement", "person"), True)] * 30 + [
        (("verb.clause", "statement", "person"), False)
    ] * 10
    outcomes += [(("noun.infinitive", "intention", "person"), False)] * 5
    table = fit(outcomes, "train.jsonl")
    cells = table["cells"]
    assert cells["verb.clause|statement|person"]["seen"] == 40
    assert "noun.infinitive|intention|person" not in cells  # too rare for its own figure
    assert cells["noun.infinitive"]["confidence"] < cells["verb.clause"]["confidence"]


def test_extracted_confidence_comes_from_the_table() -> None:
    attribution = _only("The mayor said that the bridge would reopen in May.", "said")
    form = speaker_form(True, False, "person")
    assert attribution.confidence == fitted_confidence("verb.clause", "statement", form)
