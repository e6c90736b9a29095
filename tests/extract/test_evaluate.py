"""run_evaluation: extraction over a gold file, scored by the project's scorer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.extract.evaluate import run_evaluation


def test_run_evaluation_scores_and_writes_predictions(tmp_path: Path) -> None:
    text = "“We will not retreat,” Mr. Smith said. Officials denied that troops had crossed."
    quote = "“We will not retreat,”"
    reported = "that troops had crossed"
    gold = {
        "id": "doc-1",
        "split": "dev",
        "text": text,
        "quotes": [
            {
                "speaker": "Mr. Smith",
                "content": quote,
                "content_start": text.index(quote),
                "content_end": text.index(quote) + len(quote),
                "kind": "direct",
            },
            {
                "speaker": "Officials",
                "content": reported,
                "content_start": text.index(reported),
                "content_end": text.index(reported) + len(reported),
                "kind": "indirect",
            },
        ],
    }
    gold_path = tmp_path / "gold.jsonl"
    gold_path.write_text(json.dumps(gold) + "\n", encoding="utf-8")
    predictions = tmp_path / "predictions.jsonl"

    scores = run_evaluation(gold_path, split="dev", predictions_out=predictions)

    assert scores["a_content"]["f1"] == 1.0
    assert scores["b_lenient_pronoun"]["f1"] == 1.0
    rows = [json.loads(line) for line in predictions.read_text(encoding="utf-8").splitlines()]
    assert {row["speaker"] for row in rows} == {"Mr. Smith", "Officials"}  # as written
    for row in rows:
        assert text[row["content_start"] : row["content_end"]] == row["content"]


@pytest.mark.parametrize(
    ("mention", "form", "expected"),
    [
        ("he", "written", "Barack Obama"),
        ("the president", "written", "the president"),
        ("Mr. Obama", "written", "Mr. Obama"),
        ("the president", "canonical", "Barack Obama"),
    ],
)
def test_scored_speaker_follows_the_gold_convention(mention: str, form: str, expected: str) -> None:
    from app.extract.evaluate import predicted_speaker
    from app.extract.types import Attribution

    attribution = Attribution(
        speaker_key="obama", speaker_mention=mention, speaker_start=0, speaker_end=len(mention),
        cue="said", cue_class="assert", kind="indirect", content="x", start=0, end=1,
        sentence_start=0, sentence_end=1, confidence=1.0,
    )  # fmt: skip
    names = {"obama": "Barack Obama"}
    assert predicted_speaker(attribution, names, form, lambda m: m == "he") == expected  # type: ignore[arg-type]


def _one_document_gold(tmp_path: Path) -> Path:
    text = "The minister said that the bridge would reopen."
    reported = "that the bridge would reopen"
    gold = {
        "id": "doc-1",
        "text": text,
        "quotes": [
            {
                "speaker": "The minister",
                "content": reported,
                "content_start": text.index(reported),
                "content_end": text.index(reported) + len(reported),
                "kind": "indirect",
            }
        ],
    }
    gold_path = tmp_path / "gold.jsonl"
    gold_path.write_text(json.dumps(gold) + "\n", encoding="utf-8")
    return gold_path


def test_run_evaluation_loads_an_external_scorer(tmp_path: Path) -> None:
    scorer = tmp_path / "constant_scorer.py"
    scorer.write_text(
        "def is_pronoun(name):\n    return False\n\n"
        "def evaluate(documents, predictions_by_document):\n"
        "    return {'documents': len(documents), 'predicted': len(predictions_by_document)}\n\n"
        "def report(scores):\n    print('external report', scores['documents'])\n",
        encoding="utf-8",
    )
    gold_path = _one_document_gold(tmp_path)

    assert run_evaluation(gold_path, scorer_path=scorer) == {"documents": 1, "predicted": 1}


def test_run_evaluation_prints_the_per_rule_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    predictions = tmp_path / "predictions.jsonl"
    run_evaluation(_one_document_gold(tmp_path), predictions_out=predictions, by_rule=True)

    printed = capsys.readouterr().out
    assert "(b') content+speaker, pronoun-lenient" in printed
    assert "per rule" in printed
    rows = [json.loads(line) for line in predictions.read_text(encoding="utf-8").splitlines()]
    assert rows and all("rule" in row for row in rows)
    shown = {row["rule"] or "(unnamed)" for row in rows}
    assert all(any(line.startswith(rule) for line in printed.splitlines()) for rule in shown)
