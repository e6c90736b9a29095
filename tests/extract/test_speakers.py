"""Speakers of analytical prose: one row per class of speaker phrase, text in, actor out."""

from __future__ import annotations

import pytest

from app.extract import ArticleExtraction, extract
from app.extract.types import ActorRef


def _speakers(extraction: ArticleExtraction) -> list[tuple[str, ActorRef | None]]:
    actors = {actor.key: actor for actor in extraction.actors}
    return [(a.content, actors.get(a.speaker_key or "")) for a in extraction.attributions]


def _speaker_of(text: str, phrase: str) -> ActorRef | None:
    found = [actor for content, actor in _speakers(extract(text)) if phrase in content]
    assert found, _speakers(extract(text))
    return found[0]


# (text, a phrase of the content, the speaker's canonical name, its kind)
TITLED_NAMES: list[tuple[str, str, str, str]] = [
    (
        "Deputy Chief of the Operational Directorate of the Ruritanian General Staff, "
        "Brigadier General Oleksiy Marchenko, stated on May 2 that the border was quiet.",
        "the border was quiet",
        "Oleksiy Marchenko",
        "person",
    ),
    (
        "Chief of the Ruritanian Intelligence Directorate (RID) Kyrylo Bondar stated on "
        "May 2 that the troops had left.",
        "the troops had left",
        "Kyrylo Bondar",
        "person",
    ),
    (
        "Ruritanian Ambassador to Canada Vadym Novak stated on May 1 that the roads were closed.",
        "the roads were closed",
        "Vadym Novak",
        "person",
    ),
    (
        "Advisor to the Mayor of Kyiv Petro Ivanenko stated that the troops were leaving.",
        "the troops were leaving",
        "Petro Ivanenko",
        "person",
    ),
    (
        "The governor of Luhansk Oblast, Serhiy Hordiyenko, said that the city was quiet.",
        "the city was quiet",
        "Serhiy Hordiyenko",
        "person",
    ),
    (
        "Secretary of State John F. Kerry said that the talks would resume.",
        "the talks would resume",
        "John F. Kerry",
        "person",
    ),
    (
        "Secretary of the National Security and Defense Council Oleksiy Danko stated that "
        "the purge continued.",
        "the purge continued",
        "Oleksiy Danko",
        "person",
    ),
    (
        "Governor of Magadan Oblast Sergey Nosenko in a leaked video stated that the men "
        "would be mobilized.",
        "the men would be mobilized",
        "Sergey Nosenko",
        "person",
    ),
    (
        "Chairman of the State Duma Committee on Defense Andrei Kartenko stated that the "
        "offices would close.",
        "the offices would close",
        "Andrei Kartenko",
        "person",
    ),
    (
        "Ruritanian Eastern Grouping of Forces Commander Oleksandr Sirenko reported that the "
        "assaults failed.",
        "the assaults failed",
        "Oleksandr Sirenko",
        "person",
    ),
    (
        "The family of Navy Commander John Smith said that he was innocent.",
        "he was innocent",
        "family",
        "group",
    ),
    (
        "Former Ruritanian military commander and milblogger Igor Girenko stated that the "
        "offensive failed.",
        "the offensive failed",
        "Igor Girenko",
        "person",
    ),
    # two offices held by two people are a pair
    (
        "The mayor and Governor John Smith said that the bridge was closed.",
        "the bridge was closed",
        "mayor and Governor John Smith",
        "group",
    ),
    # an institution whose name holds a title is no person
    (
        "The Ruritanian General Staff claimed that the city fell.",
        "the city fell",
        "Ruritanian General Staff",
        "organization",
    ),
    # the office of someone else's is not that someone
    (
        "A spokesman for Mr. Novak said that the talks had failed.",
        "the talks had failed",
        "spokesman",
        "person",
    ),
    ("The head of the Pentagon said that the war was over.", "the war was over", "head", "person"),
    (
        "A spokesman for presidential candidate Jane Smith said that the emails were released.",
        "the emails were released",
        "spokesman",
        "person",
    ),
]


@pytest.mark.parametrize(("text", "phrase", "name", "kind"), TITLED_NAMES)
def test_the_holder_of_an_office_speaks(text: str, phrase: str, name: str, kind: str) -> None:
    speaker = _speaker_of(text, phrase)
    assert speaker is not None and (speaker.name, speaker.kind) == (name, kind)


def test_the_office_is_the_holders_role() -> None:
    text = (
        "Chief of the Ruritanian Intelligence Directorate Kyrylo Bondar stated that the troops "
        "had left. Bondar said that the war would go on."
    )
    extraction = extract(text)
    people = [actor for actor in extraction.actors if actor.kind == "person"]
    assert [(p.name, p.role) for p in people] == [
        ("Kyrylo Bondar", "Chief of the Ruritanian Intelligence Directorate")
    ]
    assert {a.speaker_key for a in extraction.attributions} == {people[0].key}


# (text, a name with a word that only borders it: no actor is called so)
BORDERING_WORDS: list[tuple[str, str]] = [
    ("Ukrainian Hromenko said that the bridge was down.", "Ukrainian Hromenko"),
    (
        "The Absurd Double Standard Clinton Faces\nHillary Clinton said that the standard "
        "was unfair.",
        "Standard Clinton",
    ),
]


@pytest.mark.parametrize(("text", "wrong"), BORDERING_WORDS)
def test_a_word_that_borders_a_name_is_not_part_of_it(text: str, wrong: str) -> None:
    names = {actor.name for actor in extract(text).actors}
    assert wrong not in names, names


# (text, a phrase of the content, the speaker's canonical name): a later, shorter or
# differently spelled mention is the actor named before
SAME_ACTOR: list[tuple[str, str, str]] = [
    (
        "Oleksiy Hromenko said on Monday that the sky was clear. Oleksii Hromenko said on "
        "Tuesday that the line held.",
        "the line held",
        "Oleksiy Hromenko",
    ),
    ("Sergey Shoygu said that the drills ended.", "the drills ended", "Sergei K. Shoigu"),
    (
        "Alyaksandr Lukashenka said that the border was closed.",
        "the border was closed",
        "Aleksandr G. Lukashenko",
    ),
    (
        "The Russian MoD said that the drills ended.",
        "the drills ended",
        "Russian Ministry of Defense",
    ),
    (
        "The Ruritanian Ministry of Defense published a video. The MoD claimed that the "
        "troops had left.",
        "the troops had left",
        "Ruritanian Ministry of Defense",
    ),
    (
        "The Ruritanian General Staff published a map. The General Staff stated that the "
        "troops had left.",
        "the troops had left",
        "Ruritanian General Staff",
    ),
    (
        "The Ruritanian Intelligence Directorate (RID) published a map. The RID reported "
        "that the troops had left.",
        "the troops had left",
        "Ruritanian Intelligence Directorate",
    ),
]


@pytest.mark.parametrize(("text", "phrase", "name"), SAME_ACTOR)
def test_a_variant_or_short_form_is_the_actor_named_before(
    text: str, phrase: str, name: str
) -> None:
    speaker = _speaker_of(text, phrase)
    assert speaker is not None and speaker.name == name


# (text, a phrase of the content, the speaker's canonical name or None for no actor)
SELF_REFERENCES: list[tuple[str, str, str | None]] = [
    (
        "The Ruritania Policy Institute assesses that the border is quiet. We assess that "
        "the drills will end.",
        "the drills will end",
        "Ruritania Policy Institute",
    ),
    (
        "The Ruritania Policy Institute assesses that the border is quiet. Our assessment "
        "that the attack remains unlikely is unchanged.",
        "the attack remains unlikely",
        "Ruritania Policy Institute",
    ),
    (
        "The Ruritania Policy Institute cannot confirm these reports. We assess that the "
        "drills will end.",
        "the drills will end",
        "Ruritania Policy Institute",
    ),
    # a text that never speaks as an organisation has no author to give "we" to
    ("We assess that the drills will end.", "the drills will end", None),
]


@pytest.mark.parametrize(("text", "phrase", "name"), SELF_REFERENCES)
def test_we_is_the_organisation_that_writes(text: str, phrase: str, name: str | None) -> None:
    speaker = _speaker_of(text, phrase)
    assert (speaker.name if speaker else None) == name


# (text, a phrase of the content, the speaker's canonical name)
OWNED_DOCUMENTS: list[tuple[str, str, str]] = [
    (
        "Lukashenko’s readout stated that the two discussed air defense.",
        "the two discussed air defense",
        "Aleksandr G. Lukashenko",
    ),
    (
        "The Kremlin’s readout claimed that the talks were productive.",
        "the talks were productive",
        "Kremlin",
    ),
    (
        "The Ukrainian General Staff’s daily reports noted that the border was quiet.",
        "the border was quiet",
        "Ukrainian General Staff",
    ),
]


@pytest.mark.parametrize(("text", "phrase", "name"), OWNED_DOCUMENTS)
def test_a_document_speaks_for_whoever_issued_it(text: str, phrase: str, name: str) -> None:
    speaker = _speaker_of(text, phrase)
    assert speaker is not None and speaker.name == name


# (text, a phrase of the content, the speaker's name, the other speakers' names)
JOINT_SUBJECTS: list[tuple[str, str, str, tuple[str, ...]]] = [
    (
        "Putin and Lukashenko said that the union was strong.",
        "the union was strong",
        "Vladimir V. Putin",
        ("Aleksandr G. Lukashenko",),
    ),
    (
        "Putin met Lukashenko in Minsk on December 19. Both leaders noted that sanctions had "
        "failed.",
        "sanctions had failed",
        "Vladimir V. Putin",
        ("Aleksandr G. Lukashenko",),
    ),
]


@pytest.mark.parametrize(("text", "phrase", "name", "others"), JOINT_SUBJECTS)
def test_a_joint_subject_names_each_speaker(
    text: str, phrase: str, name: str, others: tuple[str, ...]
) -> None:
    extraction = extract(text)
    names = {actor.key: actor.name for actor in extraction.actors}
    found = [a for a in extraction.attributions if phrase in a.content]
    assert found and names[found[0].speaker_key or ""] == name
    assert tuple(names[key] for key in found[0].co_speaker_keys) == others
    assert "leaders" not in names.values()


def test_unnamed_sources_of_one_kind_are_one_actor() -> None:
    text = (
        "A Russian milblogger claimed that the bridge was destroyed. One milblogger said that "
        "the troops had left. A prominent Russian milblogger stated that the city fell."
    )
    extraction = extract(text)
    speakers = {a.speaker_key for a in extraction.attributions}
    assert len(extraction.attributions) == 3 and len(speakers) == 1
    actor = next(a for a in extraction.actors if a.key in speakers)
    assert (actor.key, actor.name, actor.kind) == (
        "russian milblogger",
        "Russian milblogger",
        "person",
    )
    again = extract("At least one Russian milblogger claimed that the city fell.")
    assert [a.speaker_key for a in again.attributions] == ["russian milblogger"]


def test_a_named_actor_leads_a_joint_subject_with_unnamed_others() -> None:
    extraction = extract(
        "The Ukrainian General Staff and local Kharkiv Oblast authorities reported that the "
        "shelling continued."
    )
    names = {actor.key: actor.name for actor in extraction.actors}
    [attribution] = extraction.attributions
    assert names[attribution.speaker_key or ""] == "Ukrainian General Staff"
    assert [names[key] for key in attribution.co_speaker_keys] == [
        "local Kharkiv Oblast authorities"
    ]


def test_an_acronym_in_brackets_is_the_institution_before_it() -> None:
    text = (
        "The Ruritanian Ministry of Defense (MoD) reported drills. The Belarusian Ministry of "
        "Defense published a video. The MoD claimed that the training would continue."
    )
    speaker = _speaker_of(text, "the training would continue")
    assert speaker is not None and speaker.name == "Ruritanian Ministry of Defense"


def test_an_unnamed_source_said_to_be_a_particular_one_is_not_merged() -> None:
    extraction = extract(
        "Federal officials said that the border was quiet. Officials at the port authority "
        "said that the ships had left."
    )
    assert len({a.speaker_key for a in extraction.attributions}) == 2
