"""The project's scorer: content and speaker matching, optional items, per-kind and per-rule."""

from __future__ import annotations

from typing import Any

import pytest

from app.extract import scoring

TEXT = (
    "Ms. Rivera said the dam would hold through the winter. "
    "“We are ready,” she said. Engineers said nothing new. "
    "Water levels fell, according to the agency."
)


def span_of(phrase: str) -> dict[str, Any]:
    start = TEXT.index(phrase)
    return {"content": phrase, "content_start": start, "content_end": start + len(phrase)}


GOLD = [
    {
        "id": "d1",
        "text": TEXT,
        "quotes": [
            {"speaker": "Ms. Rivera", **span_of("the dam would hold through the winter"),
             "kind": "indirect"},
            {"speaker": "she", **span_of("“We are ready,”"), "kind": "direct"},
            {"speaker": "Engineers", **span_of("nothing new"), "kind": "indirect"},
            {"speaker": None, **span_of("Water levels fell"), "kind": "indirect"},  # optional
        ],
    }
]  # fmt: skip


def figures(scores: dict[str, Any], setting: str) -> tuple[int, int, int]:
    return scores[setting]["tp"], scores[setting]["pred"], scores[setting]["gold"]


def predictions() -> dict[str, list[dict[str, Any]]]:
    dam = span_of("the dam would hold")
    ready = span_of("We are ready")
    return {
        "d1": [
            # Overlaps the gold content fully within the shorter span; surname matches.
            {"speaker": "Elena Rivera", **dam, "rule": "said-that"},
            # Right content, named speaker against a gold "she": only (b') accepts it.
            {"speaker": "Rivera", **ready, "rule": "quote"},
            # No offsets and no word in common with any gold item: wrong everywhere.
            {"speaker": "The agency", "content": "reservoirs are empty", "rule": "said-that"},
            # Matches the optional item: counted neither way.
            {"speaker": "the agency", "content": "Water levels fell", "rule": ""},
        ]
    }


def test_the_three_settings() -> None:
    scores = scoring.evaluate(GOLD, predictions())
    assert figures(scores, "a_content") == (2, 3, 3)
    assert figures(scores, "b_content_speaker") == (1, 3, 3)
    assert figures(scores, "b_lenient_pronoun") == (2, 3, 3)
    assert scores["a_content"]["precision"] == pytest.approx(2 / 3)
    assert scores["a_content"]["f1"] == pytest.approx(2 / 3)
    assert scores["b_content_speaker"]["recall_by_kind"] == {
        "direct": (0.0, 0, 1),
        "indirect": (0.5, 1, 2),
    }


def test_sourceless_items_can_be_made_required_for_content() -> None:
    scores = scoring.evaluate(GOLD, predictions(), count_sourceless=True)
    assert figures(scores, "a_content") == (3, 4, 4)
    assert figures(scores, "b_content_speaker") == (1, 3, 3)


def test_summary_of_what_was_scored() -> None:
    scores = scoring.evaluate([*GOLD, {"id": "d2", "quotes": []}], {**predictions(), "x": []})
    assert scores["_meta"] == {
        "docs": 2,
        "docs_without_predictions": 1,
        "pred_ids_not_in_gold": 1,
        "gold_items_total": 4,
        "predictions_total": 4,
    }


@pytest.mark.parametrize(
    ("predicted", "gold", "match"),
    [
        ("Angela Merkel", "Merkel", True),
        ("Chancellor Merkel", "Angela Merkel", True),
        ("Sen. Jon Tester (D-Mont.)", "Jon Tester", True),
        ("Tester’s spokeswoman, Ana Diaz", "Ana Diaz", True),
        ("Western diplomats", "diplomats", True),
        ("the Merkel government", "the Scholz government", False),
        ("she", "the chancellor", False),
        ("", "Merkel", False),
        (None, "Merkel", False),
    ],
)
def test_speaker_match(predicted: str | None, gold: str, match: bool) -> None:
    assert scoring.speaker_match(predicted, gold) is match


@pytest.mark.parametrize(
    ("name", "pronoun"),
    [("he", True), ("They", True), ("himself", True), ("the chancellor", False), ("", False)],
)
def test_is_pronoun(name: str, pronoun: bool) -> None:
    assert scoring.is_pronoun(name) is pronoun


def at(start: int, end: int | None = None, content: str = "") -> dict[str, Any]:
    return {"content": content, "content_start": start, "content_end": end}


@pytest.mark.parametrize(
    ("predicted", "gold", "similarity"),
    [
        # Offsets on both sides: the share of the shorter span, at least one half.
        (at(0, 20), at(10, 90), 0.5),
        (at(0, 20), at(11, 90), None),
        # Without an end offset, the content's length gives it.
        (at(0, None, "x" * 10), at(0, 10), 1.0),
        # A discontinuous gold content is only its pieces, not the words between them.
        (at(5, 29), {**at(0, 34), "content_spans": [[0, 4], [30, 34]]}, None),
        (at(0, 34), {**at(0, 34), "content_spans": [[0, 4], [30, 34]]}, 1.0),
        # Otherwise the lower-cased word sets: Jaccard of at least one half.
        ({"content": "Dams Hold well"}, {"content": "dams hold"}, 2 / 3),
        ({"content": "dams hold"}, {"content": "rivers rise"}, None),
        ({"content": "dams hold"}, at(0, 9, "dams hold"), 1.0),
    ],
)
def test_content_similarity(
    predicted: dict[str, Any], gold: dict[str, Any], similarity: float | None
) -> None:
    assert scoring.content_similarity(predicted, gold) == similarity


def test_one_prediction_matches_one_gold_item_at_most() -> None:
    golds = [
        {"speaker": "Rivera", "content": "a", "content_start": 0, "content_end": 6},
        {"speaker": "Rivera", "content": "b", "content_start": 12, "content_end": 18},
    ]
    scores = scoring.evaluate(
        [{"id": "d", "quotes": golds}],
        {"d": [{"speaker": "Rivera", "content": "ab", "content_start": 0, "content_end": 18}]},
    )
    assert figures(scores, "a_content") == (1, 1, 2)


def test_the_closest_content_is_matched_first() -> None:
    golds = [{"speaker": "Rivera", "content": "a", "content_start": 0, "content_end": 10}]
    loose = {"speaker": "Rivera", "content": "a", "content_start": 4, "content_end": 14}
    close = {"speaker": "Rivera", "content": "a", "content_start": 1, "content_end": 10}
    match = scoring.match_document([loose, close], golds, "a_content")
    assert match.pairs == {1: 0}


def test_report_lines() -> None:
    printed = scoring.format_report(scoring.evaluate(GOLD, predictions())).splitlines()
    assert printed[0] == (
        "documents scored: 1 (without predictions: 0); gold items: 4; predictions: 4"
    )
    assert printed[1].split() == ["P", "R", "F1", "tp", "/", "pred", "/", "gold"]
    assert printed[2] == f"{'(a)  content':<40}   0.667   0.667   0.667   2 / 3 / 3"
    assert printed[4].startswith("(b') content+speaker, pronoun-lenient")
    assert printed[6] == (f"recall by kind {'(b):':<26} direct 0.000 (0/1); indirect 0.500 (1/2)")
    assert len(printed) == 8


def test_by_rule_credits_each_match_to_the_rule_that_made_it() -> None:
    table = scoring.by_rule(GOLD, predictions())
    assert list(table) == ["said-that", "(unnamed)", "quote"]
    said_that = table["said-that"]
    assert said_that["predictions"] == 2
    assert said_that["b_lenient_pronoun"] == {"tp": 1, "pred": 2, "precision": 0.5,
                                              "recall": 1 / 3}  # fmt: skip
    assert table["quote"]["b_content_speaker"]["tp"] == 0
    assert table["quote"]["b_lenient_pronoun"]["tp"] == 1
    # The prediction matching the optional item is not counted for its rule either.
    assert table["(unnamed)"]["a_content"] == {"tp": 0, "pred": 0, "precision": 0.0, "recall": 0.0}
    # The rules' credited recall adds up to the overall recall.
    overall = scoring.evaluate(GOLD, predictions())
    for setting in scoring.SETTINGS:
        assert sum(row[setting]["recall"] for row in table.values()) == pytest.approx(
            overall[setting]["recall"]
        )
    printed = scoring.format_by_rule(table).splitlines()
    assert printed[0].split()[:2] == ["rule", "pred"]
    assert [line.split()[0] for line in printed[1:]] == ["said-that", "(unnamed)", "quote"]
