"""Every field the extractor makes is bounded where it is made, so no article is refused."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extract import ArticleExtraction, extract
from app.extract.names import plausible_name

from .test_robustness import assert_consistent

NAME_CHARS = 200
CONTENT_CHARS = 5_000

_places = st.sampled_from(["Dolyna", "Kamianka", "Novoselivka", "Bilohirka", "Zelenyi Hai"])
_place = st.builds(lambda p, km: f"{p} ({km}km north of Ozerne)", _places, st.integers(1, 99))
_marker = st.integers(1, 120).map(lambda n: f"[{n}]")
_word = st.sampled_from(
    ["the", "ministry", "said", "that", "forces", "Smith", "reported", "n’t", "https://x.org/a"]
)


def place_list(places: list[str]) -> str:
    return ", ".join(places[:-1]) + f", and {places[-1]}"


@st.composite
def report_text(draw: st.DrawFn) -> str:
    """Report-like text: lists of places as subjects, markers glued to words, endnotes."""
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        places = draw(st.lists(_place, min_size=2, max_size=12))
        words = draw(st.lists(_word, min_size=3, max_size=40))
        glue = draw(st.sampled_from(["", " ", "."]))
        lines.append(
            f"{place_list(places)} said that {' '.join(words)}{glue}{draw(_marker)}"
            f"{draw(_marker)}{draw(st.sampled_from(['', 'The', ' The army']))}"
        )
    lines.append(f"{draw(_marker)} https://example.org/{draw(st.integers(1, 9))}")
    return "\n".join(lines)


def assert_bounded(extraction: ArticleExtraction) -> None:
    for attribution in extraction.attributions:
        assert len(attribution.speaker_mention) <= NAME_CHARS
        assert len(attribution.cue) <= NAME_CHARS
        assert len(attribution.content) <= CONTENT_CHARS
        assert "[" not in attribution.content[-6:]
    for actor in extraction.actors:
        assert len(actor.name) <= NAME_CHARS and len(actor.key) <= NAME_CHARS
        assert all(len(alias) <= NAME_CHARS for alias in actor.aliases)
        assert actor.role is None or len(actor.role) <= NAME_CHARS
        assert "[" not in actor.name and "http" not in actor.name
    for mention in extraction.mentions:
        assert len(mention.text) <= NAME_CHARS


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report_text())
def test_report_like_text_is_bounded(text: str) -> None:
    extraction = extract(text)
    assert_consistent(text, extraction)
    assert_bounded(extraction)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(50, 400), st.sampled_from([" and", ",", "[3]", " officials"]))
def test_long_subjects_and_contents_are_bounded(words: int, joint: str) -> None:
    subject = joint.join(f"Ozerne{i}" for i in range(words))
    content = " ".join(["the", "forces", "advanced"] * words * 3)
    text = f"{subject} said that {content}.[4]\n[4] https://example.org/a"
    extraction = extract(text)
    assert_consistent(text, extraction)
    assert_bounded(extraction)


# (span, whether it can name an actor)
NAMES: list[tuple[str, bool]] = [
    ("Ukraine", True),
    ("Institute for the Study of War", True),
    ("Aleksandr G. Lukashenko", True),
    ("EU", True),
    ("https://isw.pub/x", False),
    ("https://t dot me/channel/1", False),
    ("assessment.[17]", False),
    ("Kherson City.[32", False),
    ("n’t", False),
    ("’s", False),
    ("location.[46] Energoatom", False),
    ("Dolyna (33km north of Ozerne), Kamianka (36km north of Ozerne), Bilohirka", False),
    ("Dolyna, Kamianka, Novoselivka, and Bilohirka", False),
    ("x" * 81, False),
]


@pytest.mark.parametrize(("span", "expected"), NAMES)
def test_plausible_names(span: str, expected: bool) -> None:
    assert plausible_name(span) is expected
