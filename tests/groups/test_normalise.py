"""The same-claim test, as a table: text in, normalised, polarity, numbers, same claim or not."""

import pytest

from app.groups.normalise import (
    BANDS,
    bands,
    claim_key,
    names,
    normalise,
    polarity,
    signature,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The “30” Tanks,  were SEEN.", "the 30 tanks were seen"),
        ("thirty tanks", "30 tanks"),
        ("thirty-five soldiers", "35 soldiers"),
        ("1,000 men and 1 000 women", "1000 men and 1000 women"),
        ("two hundred and five", "205"),
        ("three million people", "3000000 people"),
        ("a 1.5 percent rise", "a 1.5 percent rise"),
        ("thousands of troops", "thousands of troops"),
        ("the 5th of December", "the 5 of december"),
        ("It won't happen, they can't", "it will not happen they can not"),
        ("Belarus’s forces", "belarus s forces"),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("text", "cue_class", "expected"),
    [
        ("Belarus will join the war", "assert", "positive"),
        ("Belarus will not join the war", "assert", "negative"),
        ("Belarus won't join the war", "assert", "negative"),
        ("Belarus will never join the war", "assert", "negative"),
        ("no Belarusian troops will enter", "assert", "negative"),
        ("neither Minsk nor Moscow wants war", "assert", "negative"),
        ("Russia refused to sign the deal", "assert", "negative"),
        ("troops crossed without permission", "assert", "negative"),
        ("Russian forces failed to advance", "assert", "negative"),
        ("an unsuccessful assault on the town", "assert", "negative"),
        ("it is not true that Belarus will not join", "assert", "positive"),
        ("Belarus will join the war", "deny", "negative"),
        ("Belarus will not join the war", "deny", "positive"),
        ("the army denied the report", "assert", "negative"),
        # A repelled assault is an unsuccessful one; avoiding a crossing is going without it.
        ("Ukrainian forces repelled an assault on the town", "assert", "negative"),
        ("Ukrainian forces did not repel the assault", "assert", "positive"),
        ("to advance in order to avoid crossing the river", "assert", "negative"),
        # The reporter's hedge is not the claim's negation.
        ("the FSB planned the attack, though ISW cannot confirm this", "assert", "positive"),
        ("the FSB did not plan the attack, though ISW cannot confirm it", "assert", "negative"),
    ],
)
def test_polarity(text: str, cue_class: str, expected: str) -> None:
    assert polarity(text, cue_class) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30 tanks crossed", "30"),
        ("thirty tanks crossed", "30"),
        ("on December 5 and 6,000 men", "5 6000 m12"),
        ("on Monday", "mon"),
        ("the first convoy", "1"),
        ("people may leave", ""),
        ("from May 9", "9 m5"),
        # A distance that says where a place is, is not a number the claim states.
        ("near Dolyna, about 20 km northwest of Slovyansk", ""),
        ("advanced 10 km into the city", "10"),
    ],
)
def test_signature(text: str, expected: str) -> None:
    assert signature(text) == expected


def test_names_are_the_capitalised_words_that_name_something() -> None:
    assert names("that Russian forces shelled Kharkiv City and Izyum’s outskirts") == (
        "izyum kharkiv"
    )


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        # Near-verbatim: quotes, case, punctuation, numbers written either way.
        ("Belarus will not join the war.", "“Belarus will NOT join the war”", True),
        ("thirty tanks crossed the border", "30 tanks crossed the border", True),
        (
            "Ukrainian forces repelled a Russian assault on Bohorodychne",
            "Ukrainian forces have repelled a Russian assault on Bohorodychne",
            True,
        ),
        # A claim never groups with its negation, however alike the words.
        ("Belarus will join the war", "Belarus will not join the war", False),
        ("Belarus will join the war", "Belarus will never join the war", False),
        # Different numbers or dates are different claims.
        ("30 tanks crossed the border", "300 tanks crossed the border", False),
        ("the drills end on December 5", "the drills end on December 6", False),
        # Different places named: different claims.
        (
            "Ukrainian forces repelled a Russian assault on Pisky",
            "Ukrainian forces repelled a Russian assault on Bakhmut",
            False,
        ),
        # One name spelled two ways, and the kind of thing named ("Steel Plant", "NPP") left out.
        (
            "the Zaporihia Nuclear Power Plant will work for Russia and sell power to Ukraine",
            "the Zaporizhia NPP will work for Russia and sell power to Ukraine",
            True,
        ),
        (
            "the defenders in Mariupol's Azovstal Steel Plant will be starved out",
            "the defenders in Azovstal will be starved out",
            True,
        ),
        # Repelled and unsuccessful assaults on one place: one claim; the outcome left out:
        # another polarity.
        (
            "Russian forces conducted an unsuccessful ground assault on Dovhenke",
            "Ukrainian forces repelled a Russian ground assault on Dovhenke",
            True,
        ),
        (
            "Russian forces conducted a ground assault on Dovhenke",
            "Ukrainian forces repelled a Russian ground assault on Dovhenke",
            False,
        ),
        # Merely about the same thing.
        ("the talks will resume in Minsk", "the sanctions hurt the economy of Minsk", False),
    ],
)
def test_same_claim(left: str, right: str, same: bool) -> None:
    assert claim_key(left, 7).same_claim(claim_key(right, 7)) is same
    assert claim_key(right, 7).same_claim(claim_key(left, 7)) is same


def test_another_speaker_is_another_claim() -> None:
    assert not claim_key("Belarus will join the war", 7).same_claim(
        claim_key("Belarus will join the war", 8)
    )


def test_unresolved_speakers_need_near_identical_words() -> None:
    assert claim_key("Belarus will join the war", None).same_claim(
        claim_key("“Belarus will join the war.”", None)
    )
    assert not claim_key("Belarus will join the war soon", None).same_claim(
        claim_key("Belarus will join the war in the spring", None)
    )


def test_bands_are_stable_and_scoped() -> None:
    claim = claim_key("Belarus will join the war", 7)
    assert bands(claim) == bands(claim_key("Belarus will join the war", 7))
    assert len(bands(claim)) == BANDS + 1
    # Nothing in common with the negation or another speaker: they are never even candidates.
    assert not set(bands(claim)) & set(bands(claim_key("Belarus will not join the war", 7)))
    assert not set(bands(claim)) & set(bands(claim_key("Belarus will join the war", 8)))
    # A near-verbatim repeat shares bands (found by the index).
    repeat = claim_key("Belarus will join the war soon", 7)
    assert set(bands(claim)) & set(bands(repeat))
