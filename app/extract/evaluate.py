"""Score the extractor on a gold JSONL file (PolNeAR format) with the project's scorer."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Literal, Protocol

from . import scoring
from .claims import is_claim
from .pipeline import extract_docs
from .types import Attribution


class Scorer(Protocol):
    """What run_evaluation needs of a scorer: app.extract.scoring, or a module given by path."""

    def is_pronoun(self, name: str) -> bool: ...

    def evaluate(
        self, documents: list[dict[str, Any]], predictions_by_document: dict[str, Any]
    ) -> dict[str, Any]: ...

    def report(self, scores: dict[str, Any]) -> None: ...


def load_scorer(path: Path) -> ModuleType:
    """An external scorer module (evaluate, report, is_pronoun), loaded from its file."""
    spec = importlib.util.spec_from_file_location("claimtracker_gold_scorer", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"cannot load scorer from {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _gold_documents(gold_path: Path, split: str | None) -> list[dict[str, Any]]:
    with gold_path.open(encoding="utf-8") as lines:
        documents = [json.loads(line) for line in lines if line.strip()]
    return [d for d in documents if split is None or d.get("split") == split]


SpeakerForm = Literal["written", "canonical"]


def predicted_speaker(
    attribution: Attribution, names: dict[str, str], form: SpeakerForm, is_pronoun: Any
) -> str:
    """The speaker to score: gold files record the speaker as written in the article, so by
    default a named or described mention stands as written, and only a pronoun is replaced by
    the actor it was resolved to. "canonical" always gives the resolved actor's name."""
    canonical = names.get(attribution.speaker_key or "", attribution.speaker_mention)
    mention = attribution.speaker_mention
    if form == "written" and mention.strip() and not is_pronoun(mention):
        return mention
    return canonical


def predictions_for(
    documents: list[dict[str, Any]],
    speaker_form: SpeakerForm = "written",
    is_pronoun: Any = lambda mention: False,
    claims_only: bool = False,
) -> list[dict[str, Any]]:
    """One prediction per attribution (per claim, with claims_only: what the stored type
    "statement" holds), in the scorer's format."""
    predictions: list[dict[str, Any]] = []
    texts = [str(d.get("text") or "") for d in documents]
    for document, extraction in zip(documents, extract_docs(texts), strict=True):
        names = {actor.key: actor.name for actor in extraction.actors}
        for attribution in extraction.attributions:
            if claims_only and not is_claim(attribution):
                continue
            speaker = predicted_speaker(attribution, names, speaker_form, is_pronoun)
            predictions.append(
                {
                    "id": document["id"],
                    "speaker": speaker,
                    "content": attribution.content,
                    "content_start": attribution.start,
                    "content_end": attribution.end,
                    "rule": attribution.rule,
                }
            )
    return predictions


def run_evaluation(
    gold_path: Path,
    split: str | None = None,
    scorer_path: Path | None = None,
    predictions_out: Path | None = None,
    speaker_form: SpeakerForm = "written",
    by_rule: bool = False,
    claims_only: bool = False,
) -> dict[str, Any]:
    """Extract from every gold text, score with the project's scorer (or the scorer module at
    scorer_path), print the report (and, with by_rule, the per-rule table) and return the
    scores."""
    gold_path = Path(gold_path)
    scorer: Scorer = load_scorer(Path(scorer_path)) if scorer_path else scoring
    documents = _gold_documents(gold_path, split)
    predictions = predictions_for(documents, speaker_form, scorer.is_pronoun, claims_only)
    if predictions_out is not None:
        with Path(predictions_out).open("w", encoding="utf-8") as out:
            for prediction in predictions:
                out.write(json.dumps(prediction, ensure_ascii=False) + "\n")
    by_document: dict[str, list[dict[str, Any]]] = {}
    for prediction in predictions:
        by_document.setdefault(prediction["id"], []).append(prediction)
    scores: dict[str, Any] = scorer.evaluate(documents, by_document)
    scorer.report(scores)
    if by_rule:
        print()
        print("per rule: precision, and the recall credited to the rule")
        print(scoring.format_by_rule(scoring.by_rule(documents, by_document)))
    return scores


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if not arguments:
        print("usage: python -m app.extract.evaluate GOLD.jsonl [SPLIT] [PREDICTIONS_OUT]")
        sys.exit(2)
    run_evaluation(
        Path(arguments[0]),
        arguments[1] if len(arguments) > 1 and arguments[1] else None,
        predictions_out=Path(arguments[2]) if len(arguments) > 2 else None,
    )
