"""Fit confidence.json: how often each extraction rule, and each rule with each kind of speaker,
is right on a gold training split, scored as the project's scorer scores (b') (content and
speaker as written; a gold pronoun accepts any named speaker).

    python -m app.extract.calibrate ../shared/eval/polnear-train.jsonl [OUT.json]

and show how well the fitted confidence is calibrated on a dev split (confidence bins and the
share of attributions in each that are right), on every attribution or on claims only:

    python -m app.extract.calibrate --bins ../shared/eval/polnear-dev.jsonl
    python -m app.extract.calibrate --bins ../shared/eval/isw-dev.jsonl --claims --canonical
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

from .claims import is_claim
from .confidence import CELL_SEPARATOR, TABLE_PATH, speaker_form
from .pipeline import extract_docs
from .speakers import PRONOUNS
from .types import ArticleExtraction, Attribution

# Measured precision is pulled towards the overall precision by this many pseudo-attributions,
# so that a rule seen ten times does not claim 100%.
PRIOR_WEIGHT = 10
# A rule with one type, or one type and kind of speaker, gets its own figure when seen this often.
MIN_CELL = 20

Outcome = tuple[tuple[str, ...], bool]  # ((rule, type, speaker form), right)
BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9)


def load_scorer(path: Path) -> ModuleType:
    """The project's scorer (score.py beside the gold file), loaded from its path."""
    spec = importlib.util.spec_from_file_location("claimtracker_calibration_scorer", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"cannot load scorer from {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def outcomes(
    documents: list[dict[str, Any]],
    extractions: Iterable[ArticleExtraction],
    scorer: ModuleType,
    canonical: bool = False,
    keep: Callable[[Attribution], bool] = lambda attribution: True,
) -> list[tuple[Attribution, tuple[str, ...], bool]]:
    """Whether each attribution matched a gold item, with the features the table is keyed by;
    ones matched to an optional (speakerless) gold item count neither way, as in the scorer.
    By default (b'): speakers as written; canonical: resolved names, scored as (b)."""
    found: list[tuple[Attribution, tuple[str, ...], bool]] = []
    for document, extraction in zip(documents, extractions, strict=True):
        names = {actor.key: actor.name for actor in extraction.actors}
        kinds = {actor.key: actor.kind for actor in extraction.actors}
        predictions, forms = [], []
        kept = [attribution for attribution in extraction.attributions if keep(attribution)]
        for attribution in kept:
            mention = attribution.speaker_mention
            pronoun = mention.lower() in PRONOUNS
            as_written = mention.strip() and not scorer.is_pronoun(mention) and not canonical
            written = mention if as_written else None
            predictions.append(
                {
                    "speaker": written or names.get(attribution.speaker_key or "", mention),
                    "content": attribution.content,
                    "content_start": attribution.start,
                    "content_end": attribution.end,
                }
            )
            key = attribution.speaker_key
            form = speaker_form(key is not None, pronoun, kinds.get(key or ""))
            forms.append((attribution.rule, attribution.type, form))
        golds = document.get("quotes", [])
        required = [bool(gold.get("speaker")) for gold in golds]
        pairs = dict(scorer.greedy_match(predictions, golds, True, not canonical, required))
        for number, features in enumerate(forms):
            gold = pairs.get(number)
            if gold is None or required[gold]:
                found.append((kept[number], features, gold is not None))
    return found


def fit(found: list[Outcome], source: str) -> dict[str, Any]:
    """The confidence table: a figure for each rule, each rule with each type, and each rule,
    type and kind of speaker seen often enough; each pulled towards the figure one level up."""
    right = sum(ok for _, ok in found)
    prior = right / len(found) if found else 0.5
    counts: dict[str, list[int]] = {}
    for features, ok in found:
        for depth in range(1, len(features) + 1):
            cell = counts.setdefault(CELL_SEPARATOR.join(features[:depth]), [0, 0])
            cell[0] += ok
            cell[1] += 1
    cells: dict[str, dict[str, Any]] = {}
    for key, (hits, seen) in sorted(counts.items(), key=lambda item: (item[0].count("|"), item[0])):
        parent = key.rpartition(CELL_SEPARATOR)[0]
        if parent and (seen < MIN_CELL or parent not in cells):
            continue
        base = cells[parent]["confidence"] if parent else prior
        confidence = (hits + PRIOR_WEIGHT * base) / (seen + PRIOR_WEIGHT)
        cells[key] = {"right": hits, "seen": seen, "confidence": round(confidence, 3)}
    return {
        "made_by": f"python -m app.extract.calibrate {source}",
        "scored_as": "(b') content and speaker as written, a gold pronoun accepting any speaker",
        "overall": {"right": right, "seen": len(found), "precision": round(prior, 3)},
        "cells": dict(sorted(cells.items())),
    }


def bins(found: list[tuple[Attribution, tuple[str, ...], bool]]) -> list[tuple[str, int, float]]:
    """(confidence bin, attributions in it, share right), and the same for confidence >= 0.8."""
    rows = []
    for low, high in zip(BINS, (*BINS[1:], 1.01), strict=True):
        inside = [ok for attribution, _, ok in found if low <= attribution.confidence < high]
        label = f"[{low:.1f}, {min(high, 1.0):.1f}{']' if high > 1 else ')'}"
        rows.append((label, len(inside), sum(inside) / len(inside) if inside else 0.0))
    confident = [ok for attribution, _, ok in found if attribution.confidence >= 0.8]
    rows.append(("≥ 0.8", len(confident), sum(confident) / len(confident) if confident else 0.0))
    return rows


def _documents(gold_path: Path) -> list[dict[str, Any]]:
    with gold_path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def main(arguments: list[str]) -> int:
    if not arguments:
        print(__doc__)
        return 2
    if arguments[0] == "--bins":
        gold_path = Path(arguments[1])
        documents = _documents(gold_path)
        extractions = extract_docs(str(d.get("text") or "") for d in documents)
        found = outcomes(
            documents,
            extractions,
            load_scorer(gold_path.parent / "score.py"),
            canonical="--canonical" in arguments,
            keep=is_claim if "--claims" in arguments else lambda attribution: True,
        )
        print("| confidence | attributions | right |\n|---|---|---|")
        for label, seen, share in bins(found):
            print(f"| {label} | {seen} | {share:.2f} |")
        return 0
    gold_path = Path(arguments[0])
    out = Path(arguments[1]) if len(arguments) > 1 else TABLE_PATH
    scorer = load_scorer(gold_path.parent / "score.py")
    documents = _documents(gold_path)
    extractions = extract_docs(str(d.get("text") or "") for d in documents)
    fitted = [(features, ok) for _, features, ok in outcomes(documents, extractions, scorer)]
    table = fit(fitted, f"../shared/eval/{gold_path.name}")
    out.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {out}: {table['overall']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
