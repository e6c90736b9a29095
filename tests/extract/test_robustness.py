"""extract() never raises and its offsets always point into the text it was given."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extract import ArticleExtraction, extract, extract_docs

QUOTE_MARKS = "“”\"‘’«»'„"
_news_alphabet = st.sampled_from(
    list("abcdefghij ABCDE .,;:!?\n-—") + list(QUOTE_MARKS) + ["said", " he ", " Mr. Smith "]
)
news_like = st.lists(_news_alphabet, max_size=60).map("".join)


def assert_consistent(text: str, extraction: ArticleExtraction) -> None:
    keys = {actor.key for actor in extraction.actors}
    for attribution in extraction.attributions:
        assert text[attribution.start : attribution.end] == attribution.content
        assert 0 <= attribution.start < attribution.end <= len(text)
        assert attribution.sentence_start <= attribution.start
        assert attribution.end <= attribution.sentence_end
        assert 0.0 <= attribution.confidence <= 1.0
        assert attribution.speaker_key is None or attribution.speaker_key in keys
        if attribution.speaker_start is not None and attribution.speaker_end is not None:
            speaker = text[attribution.speaker_start : attribution.speaker_end]
            assert speaker == attribution.speaker_mention
    for mention in extraction.mentions:
        assert text[mention.start : mention.end] == mention.text
        assert mention.actor_key in keys


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_any_text(text: str) -> None:
    assert_consistent(text, extract(text))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(news_like)
def test_quote_heavy_text(text: str) -> None:
    assert_consistent(text, extract(text))


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\n\n",
        "“",
        "”",
        '"',
        "“unclosed quote that never ends, he said",
        "closing only” he said.” “",
        "said said said said",
        "no punctuation at all just words and more words he said it was fine",
        "\x00\x01\x02 control \x7f characters \u200b here, he said.",
        "\ud800 lone surrogate, “he said \udc00 it twice,” Mr. Smith said.",
        "Путин заявил, что «переговоры» невозможны.",
        "普京说，谈判是不可能的。",
        "مرحبا \u202e reversed “quote” he said",
        "'' '' ''' '''' ‘‘ ’’ «« »»",
        "A" * 5000,
        ("“Quote,” he said. " * 300),
    ],
)
def test_awkward_inputs(text: str) -> None:
    assert_consistent(text, extract(text))


def test_five_megabytes_of_text() -> None:
    # Long words keep the parse cheap (parse time grows with tokens, not characters) while
    # the text still crosses every chunk boundary the pipeline uses for long inputs.
    word = "x" * 400
    paragraph = f"“{word} {word},” the general said. {word} said that {word}.\n\n"
    text = (paragraph * (5_000_000 // len(paragraph) + 1))[:5_000_000]
    extraction = extract(text)
    assert_consistent(text, extraction)
    # Statements are found in the first and the last of the parsed pieces alike.
    starts = [a.start for a in extraction.attributions]
    assert min(starts) < 100_000 and max(starts) > 4_900_000


def test_extract_docs_matches_extract() -> None:
    texts = [
        "“We will not retreat,” Mr. Smith said.",
        "",
        "Officials denied that any troops had crossed the border.",
    ]
    assert list(extract_docs(texts, batch_size=2)) == [extract(t) for t in texts]
