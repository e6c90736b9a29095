"""One row per construction: text in, expected (speaker, cue, content, kind) out."""

from __future__ import annotations

import pytest

from app.extract import ArticleExtraction, Attribution, extract

# (text, speaker's canonical name, cue, a phrase the content holds, kind)
CASES: list[tuple[str, str, str, str, str]] = [
    # direct quotes, speaker after
    ("“We will not retreat,” Mr. Smith said.", "Smith", "said", "We will not retreat", "direct"),
    (
        '"We will not retreat," said John Smith.',
        "John Smith",
        "said",
        "We will not retreat",
        "direct",
    ),
    (
        "‘We will not retreat,’ the minister said.",
        "minister",
        "said",
        "We will not retreat",
        "direct",
    ),
    (
        "«We will not retreat», John Smith said.",
        "John Smith",
        "said",
        "We will not retreat",
        "direct",
    ),
    # speaker before, with colon or comma
    (
        "John Smith, the mayor, said: “The bridge will reopen next spring.”",
        "John Smith",
        "said",
        "The bridge will reopen next spring",
        "direct",
    ),
    (
        "Angela Brown said, “The bridge will reopen next spring.”",
        "Angela Brown",
        "said",
        "The bridge will reopen next spring",
        "direct",
    ),
    # a quote spanning sentences
    (
        "“The bridge is closed. It will reopen in spring. Nobody was hurt,” the mayor said.",
        "mayor",
        "said",
        "It will reopen in spring",
        "direct",
    ),
    # mixed: partly quoted clause
    (
        "Pressure from Moscow is limiting Mr. Lukashenko’s “maneuver room to avoid concessions,” "
        "the institute said.",
        "institute",
        "said",
        "Pressure from Moscow",
        "mixed",
    ),
    (
        "The senator said he would “fight this to the very end” in court.",
        "senator",
        "said",
        "fight this to the very end",
        "mixed",
    ),
    # reported speech with a that-clause and without "that"
    (
        "Maria Lopez said that the talks had failed.",
        "Maria Lopez",
        "said",
        "the talks had failed",
        "indirect",
    ),
    (
        "Maria Lopez insisted the talks had failed.",
        "Maria Lopez",
        "insisted",
        "talks had failed",
        "indirect",
    ),
    (
        "The ministry warned that prices would rise further.",
        "ministry",
        "warned",
        "prices would rise further",
        "indirect",
    ),
    (
        "Officials denied that any troops had crossed the border.",
        "Officials",
        "denied",
        "any troops had crossed the border",
        "indirect",
    ),
    (
        "John Smith told reporters that the deal was dead.",
        "John Smith",
        "told",
        "the deal was dead",
        "indirect",
    ),
    (
        "Anna Berg predicted that the government would fall within a year.",
        "Anna Berg",
        "predicted",
        "the government would fall",
        "indirect",
    ),
    # dismiss ... as / describe ... as
    (
        "Peter Novak dismissed the report as propaganda.",
        "Peter Novak",
        "dismissed",
        "propaganda",
        "indirect",
    ),
    # raise the possibility
    (
        "Peter Novak raised the possibility that the army could be drawn into the war.",
        "Peter Novak",
        "raised the possibility",
        "the army could be drawn into the war",
        "indirect",
    ),
    # according to
    (
        "The convoy was attacked twice, according to the Red Cross.",
        "Red Cross",
        "according to",
        "The convoy was attacked twice",
        "indirect",
    ),
    (
        "According to the Red Cross, the convoy was attacked twice.",
        "Red Cross",
        "according to",
        "the convoy was attacked twice",
        "indirect",
    ),
    (
        # parsed with the clause in apposition to the source
        "According to talk radio host Rush Limbaugh, the move reeks of “fear” and desperation.",
        "Rush Limbaugh",
        "according to",
        "the move reeks of",
        "mixed",
    ),
    (
        # "show" read as a verb, so "to" has no object
        "Donald Trump repeatedly demeaned women with sexist language, according to show insiders.",
        "insiders",
        "according to",
        "Donald Trump repeatedly demeaned women",
        "indirect",
    ),
    # a quoted clause joined to the cue goes on with the speaker's words
    (
        "Trump is claiming that voter fraud is “a big, big problem in this country” but "
        "“nobody has the guts to talk about it.”",
        "Trump",
        "claiming",
        "but “nobody has the guts to talk about it",
        "mixed",
    ),
    # "X is a Y who said": X speaks
    (
        "Donald Trump is a serial liar, rampant xenophobe and birther who has repeatedly "
        "pledged to ban all Muslims.",
        "Trump",
        "pledged",
        "to ban all Muslims",
        "indirect",
    ),
    # a stance verb whose object is a country
    ("The senator condemned Russia on Tuesday.", "senator", "condemned", "Russia", "indirect"),
    # "said he would A and warned B": the finite verb belongs with "said"
    (
        "Trump said he would order a review of the nation’s defenses and warned against "
        "potential hackers from China.",
        "Trump",
        "warned against",
        "potential hackers from China",
        "indirect",
    ),
    # a verb the tagger reads as a plural noun after a name
    (
        "Trump charges that countries that stand to benefit from the deal donated millions.",
        "Trump",
        "charges",
        "countries that stand to benefit from the deal donated millions",
        "indirect",
    ),
    # a quote right after the cue, or after a lead-in ending in a colon, is the content
    (
        "Lamenting their luck, Mexicans often say, ''Poor Mexico, so far from God.''",
        "Mexicans",
        "say",
        "Poor Mexico, so far from God",
        "direct",
    ),
    (
        "The statement cited its impact: “Her fight has opened the door,” the union wrote.",
        "union",
        "wrote",
        "Her fight has opened the door",
        "direct",
    ),
    # a recording of someone speaking: the person speaks
    (
        "The ad uses footage of Hillary Clinton asking, “Why aren’t I 50 points ahead?”",
        "Clinton",
        "asking",
        "Why aren’t I 50 points ahead?",
        "direct",
    ),
    (
        "The campaign released a video of Trump saying that the election was rigged.",
        "Trump",
        "saying",
        "the election was rigged",
        "indirect",
    ),
    # any verb casting someone as quoted words
    (
        "In recent weeks, Reid has gone after Trump as a “human leech” and a “spoiled brat.”",
        "Reid",
        "gone after",
        "Trump as a “human leech”",
        "mixed",
    ),
    (
        "The company bills itself as a “disruptor.”",
        "company",
        "bills",
        "itself as a “disruptor",
        "mixed",
    ),
    # parenthetical cue
    (
        "It is more probable, the group has said, that the drills are a distraction.",
        "group",
        "said",
        "the drills are a distraction",
        "indirect",
    ),
    (
        "The drills are a distraction, the institute said on Tuesday.",
        "institute",
        "said",
        "The drills are a distraction",
        "indirect",
    ),
    # nominal cues with a source
    (
        "Voters ignored speculation from some analysts that the vote would be delayed.",
        "analysts",
        "speculation",
        "the vote would be delayed",
        "indirect",
    ),
    (
        "Nobody believed Mr. Grant's claim that he had never met the envoy.",
        "Grant",
        "claim",
        "he had never met the envoy",
        "indirect",
    ),
    # participle inherits its subject
    (
        "While insisting that the exercises were defensive, Anna Berg praised the troops.",
        "Anna Berg",
        "insisting",
        "the exercises were defensive",
        "indirect",
    ),
    # stance verb with a one-name object
    ("Ted Cruz has endorsed Donald Trump.", "Ted Cruz", "endorsed", "Donald Trump", "indirect"),
    # that-clause the parser hung on a preceding noun
    (
        "Trump tweeted in the early morning hours that Machado was a disgrace.",
        "Trump",
        "tweeted",
        "Machado was a disgrace",
        "indirect",
    ),
    (
        "The Times reported at the time that the editor had resigned.",
        "Times",
        "reported",
        "the editor had resigned",
        "indirect",
    ),
    (
        "The president told a meeting of island leaders that few people understood the stakes.",
        "president",
        "told",
        "few people understood the stakes",
        "indirect",
    ),
    # "hopes" (lemmatized "hop" by the model)
    (
        "Mr. Clarke hopes to offset all of the emissions with credits.",
        "Clarke",
        "hopes",
        "to offset all of the emissions",
        "indirect",
    ),
    # partitive speakers
    (
        "One of the mayor's advisers pointed out that the bridge was old.",
        "One of the mayor's advisers",
        "pointed out",
        "the bridge was old",
        "indirect",
    ),
    # an infinitive complement wins over a stray clause after it
    (
        "The governor met farmers on Monday, promising to cut fuel taxes - not what the unions "
        "wanted.",
        "governor",
        "promising",
        "to cut fuel taxes",
        "indirect",
    ),
    (
        "Trump told his supporters at a rally to go to their polling places and watch.",
        "Trump",
        "told",
        "to go to their polling places",
        "indirect",
    ),
    # the cue's own preposition introduces the content
    (
        "Trump accused her of lying about the emails.",
        "Trump",
        "accused",
        "lying about the emails",
        "indirect",
    ),
    # "X's plan to …"
    (
        "Clinton's plan to raise taxes on the wealthy drew criticism.",
        "Clinton",
        "plan",
        "to raise taxes on the wealthy",
        "indirect",
    ),
    # a participle cue after a comma is a second statement by the same speaker
    (
        "Sen. David Perdue said he doubted the report, arguing that divisions were the bigger "
        "problem.",
        "David Perdue",
        "arguing",
        "divisions were the bigger problem",
        "indirect",
    ),
    # stance and cognition adjectives
    (
        "Lindsey Graham has been critical of Donald Trump.",
        "Lindsey Graham",
        "critical of",
        "Donald Trump",
        "indirect",
    ),
    (
        "The senator is confident that the bill will pass.",
        "senator",
        "is confident",
        "the bill will pass",
        "indirect",
    ),
    # evidence that shows or finds
    ("Polls show a close contest in the state.", "Polls", "show", "a close contest", "indirect"),
    # nominal stance cues with a prepositional object
    (
        "Donald Trump is raising questions about his microphone problems.",
        "Trump",
        "raising questions",
        "his microphone problems",
        "indirect",
    ),
    (
        "Hillary Clinton has no illusions about the threat to Eastern Europe.",
        "Clinton",
        "illusions",
        "the threat to Eastern Europe",
        "indirect",
    ),
    # idioms: "made it clear", "as X put it"
    (
        "Norman Ham made it clear he had misgivings about the army.",
        "Norman Ham",
        "made it clear",
        "he had misgivings about the army",
        "indirect",
    ),
    (
        "As Margarita Simonyan put it, the network offers a different perspective.",
        "Margarita Simonyan",
        "put it",
        "the network offers a different perspective",
        "indirect",
    ),
    # presenting a plan, praising
    (
        "The senator unveiled a plan to cut taxes for small businesses.",
        "senator",
        "unveiled",
        "a plan to cut taxes",
        "indirect",
    ),
    (
        "Elizabeth Warren lauded the regulator for its record penalty.",
        "Elizabeth Warren",
        "lauded",
        "the regulator",
        "indirect",
    ),
    # passive stance with the source in a by-phrase; "dozens of" speakers
    (
        "Dozens of newspapers have endorsed Clinton, and Clinton has been endorsed by the union.",
        "Dozens of newspapers",
        "endorsed",
        "Clinton",
        "indirect",
    ),
    (
        "The senator has been endorsed by the teachers' union.",
        "union",
        "endorsed",
        "The senator",
        "indirect",
    ),
    # a parenthesised affiliation between the quote and its cue
    (
        '"He would be a fine senator, one of the ablest members of the House," Rep. Jane Roe '
        "(D-Md.) said in an interview.",
        "Jane Roe",
        "said",
        "He would be a fine senator",
        "direct",
    ),
    # a quoted show title after the cue is no speaker; the name after the quote is
    (
        "“The agency is in disarray and nobody is in charge,” Flynn, a former aide, said on "
        "Monday on “Fox and Friends.”",
        "Flynn",
        "said",
        "The agency is in disarray",
        "direct",
    ),
    # a person named right before the colon that opens a quote
    (
        "A lesson from Loretta Lynch: “Be the voice that people hear.”\nThe speech followed.",
        "Loretta Lynch",
        ":",
        "Be the voice that people hear",
        "direct",
    ),
    (
        "Ted Cruz exhorted Republicans to vote their conscience.",
        "Ted Cruz",
        "exhorted",
        "to vote their conscience",
        "indirect",
    ),
    # a gerund as the object of a stance verb
    (
        "The senator admitted using the loophole for years.",
        "senator",
        "admitted",
        "using the loophole",
        "indirect",
    ),
    # a stance verb keeps its reason
    (
        "Clinton blasted him for not paying income tax.",
        "Clinton",
        "blasted",
        "him for not paying income tax",
        "indirect",
    ),
    # agent nouns of stance
    (
        "Kaine is a staunch opponent of the death penalty.",
        "Kaine",
        "opponent of",
        "the death penalty",
        "indirect",
    ),
    # a named source before a nominal cue
    (
        "Voters read a New York Times report that the company lost money.",
        "New York Times",
        "report",
        "the company lost money",
        "indirect",
    ),
    # liken/compare X to Y
    (
        "Mr. Schultz likened the network to the BBC.",
        "Schultz",
        "likened",
        "the network to the BBC",
        "indirect",
    ),
]


def _speaker(extraction: ArticleExtraction, attribution: Attribution) -> str:
    names = {actor.key: actor.name for actor in extraction.actors}
    return names.get(attribution.speaker_key or "", attribution.speaker_mention)


@pytest.mark.parametrize(("text", "speaker", "cue", "phrase", "kind"), CASES)
def test_construction(text: str, speaker: str, cue: str, phrase: str, kind: str) -> None:
    extraction = extract(text)
    found = [(_speaker(extraction, a), a.cue, a.content, a.kind) for a in extraction.attributions]
    assert any(
        speaker.lower() in name.lower()
        and cue.lower() in found_cue.lower()
        and phrase in content
        and found_kind == kind
        for name, found_cue, content, found_kind in found
    ), found
    for attribution in extraction.attributions:
        assert text[attribution.start : attribution.end] == attribution.content


# Speaker resolution across sentences of one article: (text, mention at the cue, canonical name)
RESOLUTION_CASES: list[tuple[str, str, str]] = [
    (
        "President Aleksandr G. Lukashenko of Belarus spoke on Thursday. "
        "The Belarusian leader said the drills were defensive.",
        "The Belarusian leader",
        "Aleksandr G. Lukashenko",
    ),
    (
        "Mr. Lukashenko met officers. He said the drills were defensive.",
        "He",
        "Aleksandr G. Lukashenko",
    ),
    (
        "The Institute for the Study of War, a Washington-based research group, published a map. "
        "The group said Russia was unlikely to attack from the north.",
        "The group",
        "Institute for the Study of War",
    ),
    (
        "The Institute for the Study of War published a map. "
        "The institute said Russia was unlikely to attack from the north.",
        "The institute",
        "Institute for the Study of War",
    ),
    (
        "The Kremlin’s spokesman, Dmitri S. Peskov, spoke on Monday. "
        "Mr. Peskov said the claims were groundless.",
        "Mr. Peskov",
        "Dmitri S. Peskov",
    ),
    (
        "Jane Doe Harper arrived late. Harper said the meeting had been cancelled.",
        "Harper",
        "Jane Doe Harper",
    ),
    (
        "The Acme Corporation issued results. It said that sales had doubled.",
        "It",
        "Acme Corporation",
    ),
    (
        # "she" told us Kamala Lopez is a woman, so the later "he" is someone else
        "Kamala Lopez appeared on the show, where she called for the ratification of the "
        "amendment. Jordan Blake joined the show later. He said the amendment had no chance.",
        "He",
        "Jordan Blake",
    ),
    (
        # a plural description is never one person, even one known as a leader
        "German Chancellor Angela Merkel spoke to reporters. "
        "The leaders made little secret of their disagreements.",
        "The leaders",
        "leaders",
    ),
]


@pytest.mark.parametrize(("text", "mention", "name"), RESOLUTION_CASES)
def test_speaker_resolution(text: str, mention: str, name: str) -> None:
    extraction = extract(text)
    found = [(a.speaker_mention, _speaker(extraction, a)) for a in extraction.attributions]
    assert (mention, name) in found, found


def test_same_surname_people_are_not_merged() -> None:
    text = (
        "Bill Clinton spoke first. Chelsea Clinton spoke later. "
        "Clinton said the foundation would close."
    )
    extraction = extract(text)
    people = {a.name for a in extraction.actors if a.kind == "person"}
    assert {"Bill Clinton", "Chelsea Clinton"} <= people
    speaker = [_speaker(extraction, a) for a in extraction.attributions]
    assert "Bill Clinton" not in speaker and "Chelsea Clinton" not in speaker


def test_paragraph_quote_continues_previous_speaker() -> None:
    text = (
        "“We have done everything we could,” Maria Lopez said.\n\n"
        "“The rest is up to the courts and to the voters of this state.”"
    )
    extraction = extract(text)
    continued = [a for a in extraction.attributions if a.content.startswith("“The rest")]
    assert continued and _speaker(extraction, continued[0]) == "Maria Lopez"
    assert continued[0].kind == "direct"


def test_nested_attribution_yields_both_statements() -> None:
    text = (
        "Mr. Lukashenko dismissed as “conspiracy theories” speculation from some Ukrainian "
        "officials that the drills were a precursor to an invasion."
    )
    extraction = extract(text)
    found = {(_speaker(extraction, a), a.cue) for a in extraction.attributions}
    assert ("Aleksandr G. Lukashenko", "dismissed") in found
    assert ("Ukrainian officials", "speculation") in found


@pytest.mark.parametrize(
    ("text", "outer_cue"),
    [
        ("Lynch said Trump supported the invasion.", "said"),
        ("Matt Lauer asked the candidates to discuss their own ideas.", "asked"),
    ],
)
def test_a_few_words_inside_another_statement_are_no_claim_of_their_own(
    text: str, outer_cue: str
) -> None:
    assert [a.cue for a in extract(text).attributions] == [outer_cue]


def test_unnamed_group_is_a_group_actor() -> None:
    extraction = extract("Some Ukrainian officials said the border was quiet.")
    groups = [a for a in extraction.actors if a.kind == "group"]
    assert [g.name for g in groups] == ["Ukrainian officials"]


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        (
            "The Mexican government said the wall would never be paid for.",
            "Mexican government",
            "government",
        ),
        ("The administration said the sanctions would stay.", "administration", "government"),
        ("A House panel said the agency had misled Congress.", "House panel", "organization"),
        ("The think tank said the plan would cost $2 trillion.", "think tank", "organization"),
        ("The spokesman said the talks had failed.", "spokesman", "person"),
    ],
)
def test_unnamed_speakers_get_the_kind_their_noun_denotes(text: str, name: str, kind: str) -> None:
    extraction = extract(text)
    speakers = {a.speaker_key for a in extraction.attributions}
    assert [(a.name, a.kind) for a in extraction.actors if a.key in speakers] == [(name, kind)]


def test_gazetteer_corrects_kinds() -> None:
    extraction = extract("Kyiv said Belarus had moved troops toward the border.")
    kinds = {a.name: a.kind for a in extraction.actors}
    assert kinds.get("Belarus") == "country"
    assert kinds.get("Ukraine") == "country"


@pytest.mark.parametrize(
    ("text", "cue_class"),
    [
        ("Maria Lopez said that the talks had failed.", "assert"),
        ("Maria Lopez denied that the talks had failed.", "deny"),
        ("Maria Lopez predicted that the talks would fail.", "predict"),
        ("Maria Lopez suggested that the talks might fail.", "speculate"),
        ("Maria Lopez did not deny that the talks had failed.", "other"),
    ],
)
def test_cue_class(text: str, cue_class: str) -> None:
    extraction = extract(text)
    assert [a.cue_class for a in extraction.attributions] == [cue_class]


def test_restatement_by_the_same_speaker_is_one_statement() -> None:
    text = "Don Fowler said he expects Clinton to recover fully from her pneumonia."
    extraction = extract(text)
    assert [(a.cue, a.content) for a in extraction.attributions] == [
        ("said", "he expects Clinton to recover fully from her pneumonia")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "He put the box on the table.",
        "According to MSNBC, basically.",
        "He served as “ambassador” in Paris.",
        "Stealth Over Health: Hillary Clinton Was Headed to ER But Diverted to Avoid Bad Optics",
        "It would add so many new layers of complexity that it would, above all, be a boon.",
        "The charges that he faces are serious.",
        "Democrats and the media are to blame for the confusion.",
        "He took over the mine from Walter Energy, another company that had declared bankruptcy.",
        "The concerns grew with the challenge: the new senator would assume office in a year.",
    ],
)
def test_not_a_statement(text: str) -> None:
    assert extract(text).attributions == ()


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("WASHINGTON, Dec. 3 — The sanctions will stay, a spokesman said.", "The sanctions"),
        ("LOS ANGELES, Sept. 28 (UPI) — The film is a triumph, critics say.", "The film"),
        ("WASHINGTON ― Donald Trump’s obsession is an insult, lawmakers said.", "Donald Trump’s"),
        ("NATO — the alliance of 30 states — is weak, he said.", "NATO — the alliance"),
    ],
)
def test_content_starts_after_a_dateline_only(text: str, content: str) -> None:
    assert next(a.content for a in extract(text).attributions).startswith(content)


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        (
            "Clinton has been endorsed by dozens of papers ranging from such backers as "
            "The New York Times to such advocates as The Dallas Morning News.",
            "dozens of papers",
        ),
        (
            "One of Mr. Obama's climate advisers who attended the meeting said the talks failed.",
            "One of Mr. Obama's climate advisers",
        ),
        (
            "One of the family's attorneys, Justin Bamberg, said the videos show Scott calmly.",
            "One of the family's attorneys, Justin Bamberg",
        ),
    ],
)
def test_a_partitive_speaker_is_the_group_without_what_is_said_of_it(
    text: str, mention: str
) -> None:
    assert [a.speaker_mention for a in extract(text).attributions] == [mention]


def test_the_cue_keeps_its_preposition() -> None:
    extraction = extract("Trump called for steep new tariffs on goods from China and Mexico.")
    assert [(a.cue, a.content) for a in extraction.attributions] == [
        ("called for", "steep new tariffs on goods from China and Mexico")
    ]


def test_a_dateline_is_not_part_of_the_speaker() -> None:
    text = "BRUSSELS - European leaders said Friday that the continent faced many challenges."
    assert [a.speaker_mention for a in extract(text).attributions] == ["European leaders"]


def test_according_to_at_the_end_of_a_paragraph_stays_out_of_the_content() -> None:
    text = (
        "Clinton and Trump are virtually tied, according to a new national poll.\n\n"
        "Among likely voters, 46 percent would choose Clinton."
    )
    found = [(a.cue, a.content) for a in extract(text).attributions]
    assert ("according to", "Clinton and Trump are virtually tied") in found, found
