"""The same-claim test, as a table: text in, normalised, polarity, numbers, same claim or not."""

import pytest

from app.groups.normalise import (
    BANDS,
    bands,
    claim_key,
    failed,
    names,
    normalise,
    polarity,
    signature,
    signatures_agree,
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
        # An attempt with no success stated is a failed one; several words saying it failed
        # count once; an attempt negated is the action negated.
        ("Northern troops attempted to advance toward the village", "assert", "negative"),
        ("the defenders repelled an unsuccessful attempt to cross", "assert", "negative"),
        ("the defenders repelled a failed assault", "assert", "negative"),
        ("Northern troops did not attempt to advance", "assert", "negative"),
        ("Northern troops tried to advance but did not secure any gains", "assert", "negative"),
        # More words for how an attack ended: stopped, halted, resisted, pushed back, without
        # success; but not stopping something else, nor an activity ended.
        ("the defenders stopped Northern assaults near the town", "assert", "negative"),
        ("the defenders halted the advance of two Northern brigades", "assert", "negative"),
        ("the defenders resisted a Northern assault on the town", "assert", "negative"),
        ("the defenders pushed back Northern forces from the town", "assert", "negative"),
        ("Northern troops crossed but were halted by the defenders", "assert", "negative"),
        ("Northern troops attacked the town, but without success", "assert", "negative"),
        ("the defenders are repelling Northern attacks", "assert", "negative"),
        ("the farmers stopped grain exports", "assert", "positive"),
        # A negation in a side clause is not the claim's; "whether or not", "not only" negate
        # nothing.
        ("the town, which has not been shelled since May, is calm", "assert", "positive"),
        ("the teachers, who refuse to teach, left the town", "assert", "positive"),
        ("the troops, which were not paid, will not attack the town", "assert", "negative"),
        ("the troops which were not paid will attack the town", "assert", "negative"),
        ("it depends on whether or not the deal is signed", "assert", "positive"),
        ("it depends on whether the deal is signed or not", "assert", "positive"),
        ("the deal was not only signed but ratified", "assert", "positive"),
        ("Northern troops stopped shelling the town", "assert", "positive"),
        (
            "Northern troops are trying to create conditions to resume the offensive",
            "assert",
            "positive",
        ),
    ],
)
def test_polarity(text: str, cue_class: str, expected: str) -> None:
    assert polarity(text, cue_class) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30 tanks crossed", "30"),
        ("thirty tanks crossed", "30"),
        # Dates marked apart from the numbers ("d" month "-" day), so one may be left out.
        ("on December 5 and 6,000 men", "6000 d12-5"),
        ("the 5th of December", "d12-5"),
        ("on March 26-27", "d3-26 d3-27"),
        ("in December", "d12"),
        ("on Monday", "dmon"),
        ("the first convoy", "1"),
        ("people may leave", ""),
        ("from May 9", "d5-9"),
        # A designation is a name: highways, missile systems.
        ("troops along the E40 highway", ""),
        ("five S-300 missiles", "5"),
        ("a segment of the T1302 road on May 13", "d5-13"),
        # Distances given as a list locate places too, the unit given once or on each.
        ("near Alpha and Beta, 25 and 20km northwest of Gamma", ""),
        ("near Alpha and Beta, 24km and 22km northwest of Gamma", ""),
        ("near Alpha, Beta and Delta, 24km, 22 km and 9km northwest of Gamma", ""),
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
    ("text", "expected"),
    [
        # Several capitalised words are one name; "'s" ends one.
        ("attacks near Upper Dale and Dale", "dale upper_dale"),
        ("defenders in Northport's Greystone Steel Plant", "greystone northport"),
        # A place that only locates another is not the claim's place.
        ("assaults on Northville and Eastham, just southeast of Bigtown", "eastham northville"),
        ("near Oakfield (13km north of Bigtown on the T2117) and Elmwood", "elmwood oakfield"),
        ("Oakfield and Elmwood, about 40 and 50 km southwest of Bigtown", "elmwood oakfield"),
        ("attacks south of Bigtown near Littleton and Marsh", "littleton marsh"),
        ("Littleton and Marsh, south of Bigtown; and Fenwick", "fenwick littleton marsh"),
        ("Dale, about 18km northwest of Bigtown along the E40 Bigtown-Dale highway", "dale"),
        # Of a hyphenated word, the parts that name something; demonyms, plurals of kinds,
        # titles and words capitalised to start a sentence name nothing.
        ("in Russian-occupied areas, Ukrainians said", ""),
        # Places joined by a hyphen are those places, unless a linking "o" makes one name;
        # a border named by its two sides only locates.
        ("improved positions on the Alpha-Beta line", "alpha beta"),
        ("assaults in the directions of Oakfield-Elmwood-Marsh", "elmwood marsh oakfield"),
        ("the Kozacha Dale-Marsh direction", "kozacha_dale marsh"),
        ("fighting near Ivano-Frankivsk", "ivano-frankivsk"),
        ("shelled Dale near the Alpha-Beta Oblast border", "dale"),
        ("along the Alpha-Beta border", ""),
        ("destroyed 31 BTGs of the Northern Brigades", "northern"),
        ("“My father gave it,” Mr. Smith said. “Let’s go.”", "smith"),
        ("a wall between the U.S. and Mexico", "mexico us"),
        ("five S-300 missiles", "s-300"),
        # A short form declared in brackets is the same name.
        ("the Northport People's Republic (NPR) 109th Regiment", "northport_people_republic|npr"),
        ("troops of the Northern Airborne Forces (VDV) and Dale", "dale northern|vdv"),
    ],
)
def test_names(text: str, expected: str) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("left", "right", "agree"),
    [
        ("30", "30", True),
        ("30", "300", False),
        ("30", "30 d5-13", True),  # a date the other leaves out
        ("d5-5", "d5-6", False),
        ("30 d5-5", "d5-5", False),
        ("", "dmon", True),
    ],
)
def test_signatures_agree(left: str, right: str, agree: bool) -> None:
    assert signatures_agree(left, right) is agree
    assert signatures_agree(right, left) is agree


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("northern troops attempted to advance", True),
        ("the defenders repelled an assault", True),
        ("an unsuccessful assault", True),
        ("northern troops did not advance", False),
        ("northern troops did not attempt to advance", False),
        ("northern troops advanced", False),
        ("the defenders halted northern advances toward the town", True),
        ("the attack on the town was stopped", True),
        ("northern troops launched an assault to no avail", True),
        ("the farmers stopped grain exports", False),
        # An attempt that is not the claim's own action: in a side clause, a purpose, a
        # forecast.
        ("the leaders met on june 17 during which the president likely tried to calm them", False),
        ("police detained two men who attempted to set a building on fire", False),
        ("northern troops shelled the town in an attempt to force its surrender", False),
        ("northern troops shelled the town in a likely attempt to force its surrender", False),
        ("northern troops will likely attempt to seize the highway", False),
        ("northern troops likely attempted to seize the highway", True),
        ("northern troops continued to try to advance", True),
        ("northern troops attempted to advance which the defenders did not expect", True),
        # Trying to prepare an action states no outcome: it restates preparing it.
        ("northern troops are trying to create conditions to resume the offensive", False),
        ("northern troops attempted to set conditions for an advance", False),
    ],
)
def test_failed(text: str, expected: bool) -> None:
    assert failed(normalise(text)) is expected


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
        # A short form declared in one and used in the other.
        (
            "the Northport People's Republic (NPR) 109th Regiment left its positions near Dale",
            "the NPR 109th Regiment left its positions near Dale",
            True,
        ),
        (
            "the Northport People's Republic (NPR) 109th Regiment left its positions near Dale",
            "the LPR 109th Regiment left its positions near Dale",
            False,
        ),
        # A person's full name and their last name alone; not a place and its name's last word.
        (
            "Hillary Clinton will win the primary in Ohio",
            "Clinton will win the primary in Ohio",
            True,
        ),
        (
            "Colonel General Aleksandr Lapin commands the Central Group in Lyman",
            "Lapin commands the Central Group in Lyman",
            True,
        ),
        (
            "the defenders repelled attacks near Vesela Dolyna",
            "the defenders repelled attacks near Dolyna",
            False,
        ),
        (
            "Northern troops shelled Nova Kakhovka",
            "Northern troops shelled Kakhovka",
            False,
        ),
        # Romanisations of one place name.
        (
            "the defenders repelled attacks near Mayorsk and Zaitseve",
            "the defenders repelled attacks near Maiorsk and Zaitseve",
            True,
        ),
        (
            "Northern troops shelled Sievierodonetsk and Lysychansk",
            "Northern troops shelled Severodonetsk and Lysychansk",
            True,
        ),
        (
            "Northern troops shelled Novoselivskyi and Kharkiv",
            "Northern troops shelled Novoselivskyy and Harkiv",
            True,
        ),
        # Repelled and unsuccessful assaults on one place: one claim; the outcome left out:
        # another polarity.
        (
            "Russian forces conducted an unsuccessful ground assault on Dovhenke",
            "Ukrainian forces repelled a Russian ground assault on Dovhenke",
            True,
        ),
        # … and so are stopped, halted, resisted ones.
        (
            "the defenders stopped Northern assaults on Dale and Eastham",
            "the defenders repelled Northern assaults on Dale and Eastham",
            True,
        ),
        (
            "the defenders resisted a Northern assault on Dale",
            "the defenders repelled a Northern assault on Dale",
            True,
        ),
        (
            "Northern troops conducted an assault on Dale",
            "the defenders halted a Northern assault on Dale",
            False,
        ),
        (
            "Russian forces conducted a ground assault on Dovhenke",
            "Ukrainian forces repelled a Russian ground assault on Dovhenke",
            False,
        ),
        # Merely about the same thing.
        ("the talks will resume in Minsk", "the sanctions hurt the economy of Minsk", False),
        # An attempt with no outcome stated, and one repelled: the same claim; an attempt that
        # failed is not "did not attempt", though both are negative.
        (
            "Northern troops attempted to advance toward Littleton, Marsh and Fenwick",
            "the defenders repelled Northern attacks near Littleton, Fenwick and Marsh",
            True,
        ),
        (
            "Northern troops continued unsuccessful attempts to advance in the Oakfield direction",
            "Northern troops did not conduct any offensive operations in the Oakfield direction",
            False,
        ),
        # A daily line's date left out in the other: the same claim; two dates: two claims.
        (
            "Northern troops attempted to secure access to the T1303 highway east of Oakfield",
            "Northern troops attempted to secure access to the T1303 highway east of Oakfield "
            "on May 13",
            True,
        ),
        (
            "Northern troops shelled Oakfield on May 12",
            "Northern troops shelled Oakfield on May 13",
            False,
        ),
        # A longer version whose side clause tells of an attempt is not a failed claim.
        (
            "the general met the correspondents at the forum on June 17",
            "the general met the correspondents at the forum on June 17, during which he "
            "likely tried to calm their criticism",
            True,
        ),
        # … nor whose side clause has a negation the other lacks.
        (
            "the fading attention on the race this time helped Clinton",
            "the fading attention on the race this time helped Clinton, who does not need to "
            "show her staying power to the extent that her rival did",
            True,
        ),
        # Highway and missile designations are names, not numbers.
        (
            "the defenders repelled an assault on Dale near the E40 highway",
            "the defenders repelled an assault on Dale, near the E40",
            True,
        ),
        # One place and a list it shares half of: the same claim; less than half: another.
        (
            "the defenders repelled attacks on Northville and Eastham, just southeast of Bigtown",
            "the defenders resisted attacks on Bigtown and repelled an attack on Eastham, "
            "just southeast of Bigtown",
            False,
        ),
        (
            "the defenders repelled an attack on Eastham",
            "the defenders repelled attacks on Eastham and Northville",
            True,
        ),
        # A longer version of the claim, stating more numbers and names: the same claim.
        (
            "elements of the 2nd Army and the 90th Division are attempting to renew the "
            "offensive toward Northville from the north",
            "elements of the 2nd Army and the 90th Division are attempting to renew the "
            "offensive toward Northville from the north, likely committing a reserve battalion "
            "of the 55th Brigade near Eastham to this effort",
            True,
        ),
        # … but not the claim with another number, its negation, or one place made a list.
        (
            "30 tanks crossed the border near Northville",
            "300 tanks crossed the border near Northville, officials said on Monday",
            False,
        ),
        (
            "Belarus will join the war",
            "Belarus will not join the war in the coming weeks, officials said",
            False,
        ),
        (
            "the defenders repelled an attack on Eastham",
            "the defenders repelled an attack on Eastham, Northville, Oakfield and Marsh",
            False,
        ),
        # A longer version holds the shorter's words in order, its numbers in their place: not
        # the same words scattered, nor "seven" said of something else.
        (
            "the defenders repelled seven attacks in the past 24 hours",
            "the defenders repelled four attacks in the area in the past 24 hours and "
            "destroyed seven tanks",
            False,
        ),
        (
            "the defenders struck a military base in Northport",
            "Northern forces turned five schools in Northport into military bases and the "
            "defenders struck one such base",
            False,
        ),
        # Places joined by a hyphen: one of them named alone is most of the places.
        (
            "Northern forces attempted to improve their tactical positions in Dale",
            "Northern forces attempted to improve their tactical positions on the Oakfield-Dale "
            "line",
            True,
        ),
        # Trying to create conditions restates creating them.
        (
            "Northern forces around Dale are creating conditions to resume offensive actions "
            "toward Eastham",
            "Northern forces are trying to create conditions to resume the offensive toward "
            "Eastham from Dale",
            True,
        ),
        # A distance list with the unit on each item locates, as the one with the unit once.
        (
            "Northern forces withdrew after attempting offensive operations toward Dale and "
            "Marsh, 24km and 22km northwest of Eastham",
            "Northern forces withdrew after attempting ground assaults near Dale, Oakfield and "
            "Marsh, all within 25km northwest of Eastham",
            True,
        ),
        # A longer version stating more numbers (and naming what it adds), each of the
        # shorter's numbers beside the same words: the same claim; not a number said of
        # something else.
        (
            "the defenders liberated two unnamed villages in the south",
            "the defenders liberated two unnamed settlements in the south and one settlement "
            "in Eastham Oblast",
            True,
        ),
        (
            "Northern forces did not conduct offensive operations around Dale in the past 24 hours",
            "Northern forces, primarily units of the 1st Guards Army, did not conduct any "
            "offensive operations against Dale in the past 24 hours but continued to shell it",
            True,
        ),
        (
            "the defenders repelled seven attacks near Dale",
            "the defenders repelled four attacks near Dale and destroyed seven tanks",
            False,
        ),
        # The same place, the forces of the other side: another claim; but the defenders'
        # repelling an attack restates the attackers' failing.
        (
            "Russian forces established positions in Dale",
            "Ukrainian forces established positions in Dale",
            False,
        ),
        (
            "Russian forces established positions in Dale",
            "Russian troops established positions in Dale",
            True,
        ),
        (
            "Russian forces conducted failed ground assaults near Dale and Marsh",
            "Ukrainian forces repelled Russian ground assaults near Dale and Marsh",
            True,
        ),
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
    # A longer version joins only claims of a resolved speaker.
    assert not claim_key("Belarus will join the war", None).same_claim(
        claim_key("Belarus will join the war, officials said on Monday", None)
    )
    assert claim_key("Belarus will join the war", 7).same_claim(
        claim_key("Belarus will join the war, officials said on Monday", 7)
    )


def test_bands_are_stable_and_scoped() -> None:
    claim = claim_key("Belarus will join the war", 7)
    assert bands(claim) == bands(claim_key("Belarus will join the war", 7))
    assert len(bands(claim)) == BANDS + 1
    # Nothing in common with the negation or another speaker: they are never even candidates.
    assert not set(bands(claim)) & set(bands(claim_key("Belarus will not join the war", 7)))
    assert not set(bands(claim)) & set(bands(claim_key("Belarus will join the war", 8)))
    # A near-verbatim repeat shares bands (found by the index), and so does a longer version
    # stating more numbers: numbers are compared after the lookup.
    repeat = claim_key("Belarus will join the war soon", 7)
    assert set(bands(claim)) & set(bands(repeat))
    longer = claim_key("Belarus will join the war with 3 brigades", 7)
    assert set(bands(claim)) & set(bands(longer))
