"""The seed article: every statement a careful reader attributes comes out, none misattributed."""

from __future__ import annotations

from app.extract import ArticleExtraction, Attribution, extract, normalise_alias

from .seed_expectations import MUST_NOT, OPTIONAL, STATEMENTS


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def same_speaker(expected: str, canonical: str) -> bool:
    """Surname or containment match of normalised names ("Lukashenko" ~ "Aleksandr G. ...")."""
    want, got = normalise_alias(expected).split(), normalise_alias(canonical).split()
    if not want or not got:
        return False
    return want[-1] == got[-1] or " ".join(want) in " ".join(got) or " ".join(got) in " ".join(want)


def speaker_name(extraction: ArticleExtraction, attribution: Attribution) -> str:
    names = {actor.key: actor.name for actor in extraction.actors}
    return names.get(attribution.speaker_key or "", attribution.speaker_mention)


def kind_fits(expected: str, got: str) -> bool:
    # A partly quoted clause is "mixed"; the expectations call it by its dominant part.
    return got == expected or got == "mixed"


def test_seed_expectations_quote_the_article(seed_text: str) -> None:
    article = _fold(seed_text)
    assert [e.key for e in STATEMENTS + OPTIONAL if _fold(e.key) not in article] == []


def test_seed_statements_all_found(seed_text: str) -> None:
    extraction = extract(seed_text)
    missing = []
    for expected in STATEMENTS:
        key = _fold(expected.key)
        found = [
            a
            for a in extraction.attributions
            if key in _fold(a.content)
            and same_speaker(expected.speaker, speaker_name(extraction, a))
            and expected.cue.casefold() in a.cue.casefold()
            and kind_fits(expected.kind, a.kind)
        ]
        if not found:
            missing.append(expected)
    assert missing == [], missing
    assert len(STATEMENTS) == 14


def test_seed_no_wrong_speaker(seed_text: str) -> None:
    extraction = extract(seed_text)
    expected = STATEMENTS + OPTIONAL
    for attribution in extraction.attributions:
        content = _fold(attribution.content)
        owners = [e.speaker for e in expected if _fold(e.key) in content]
        if not owners:
            continue  # extra statements are fine as long as they are not misattributed
        speaker = speaker_name(extraction, attribution)
        assert any(same_speaker(owner, speaker) for owner in owners), (speaker, attribution)


def test_seed_offsets_and_boilerplate(seed_text: str) -> None:
    extraction = extract(seed_text)
    for attribution in extraction.attributions:
        assert seed_text[attribution.start : attribution.end] == attribution.content
        for phrase in MUST_NOT:
            assert phrase not in attribution.content
    for mention in extraction.mentions:
        assert seed_text[mention.start : mention.end] == mention.text


def test_seed_actors_resolved(seed_text: str) -> None:
    extraction = extract(seed_text)
    actors = {actor.name: actor for actor in extraction.actors}
    lukashenko = actors["Aleksandr G. Lukashenko"]
    assert lukashenko.kind == "person"
    assert {"Mr. Lukashenko", "the Belarusian leader"} <= set(lukashenko.aliases)
    assert "he" not in lukashenko.aliases
    assert "The Kremlin’s spokesman" in actors["Dmitri S. Peskov"].aliases
    assert actors["Institute for the Study of War"].kind == "organization"
    assert "the group" in actors["Institute for the Study of War"].aliases
    assert actors["Ukrainian officials"].kind == "group"
    assert actors["Belarus"].kind == "country"
