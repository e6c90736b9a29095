"""The project's scorer: precision, recall and F1 of predicted attributions against gold ones.

Three settings are scored, micro-averaged over documents:

- (a) content: a prediction and a gold item match when their contents match;
- (b) content+speaker: the contents match and so do the speakers;
- (b') as (b), but a gold speaker that is only a pronoun (PolNeAR leaves "he" unresolved)
  accepts any non-empty predicted speaker.

Contents match when both carry character offsets and the shared characters are at least half of
the shorter one (a discontinuous gold content is the union of its `content_spans`); otherwise when
the Jaccard similarity of their lower-cased word sets is at least one half. Speakers match when
one's word sequence lies inside the other's, or both end in the same capitalised word (a surname).
Each gold item is matched by one prediction at most and vice versa, the closest contents first.
A gold item without a speaker is optional: a prediction matching it counts neither way, and
missing it costs nothing (unless `count_sourceless`, which makes it required for (a)).

Gold documents: `{"id", "text", "quotes": [{"speaker", "content", "content_start"?,
"content_end"?, "content_spans"?, "kind"?}]}`; predictions: `{"speaker", "content",
"content_start"?, "content_end"?, "rule"?}`, grouped by document id.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Item = Mapping[str, Any]
Span = tuple[int, int]

# The key of each setting in the scores, its label in the report and its short label.
SETTINGS: dict[str, tuple[str, str]] = {
    "a_content": ("(a)  content", "(a)"),
    "b_content_speaker": ("(b)  content+speaker", "(b)"),
    "b_lenient_pronoun": ("(b') content+speaker, pronoun-lenient", "(b')"),
}
# (speaker must match, a gold pronoun accepts any speaker) for each setting.
_SPEAKER_RULES: dict[str, tuple[bool, bool]] = {
    "a_content": (False, False),
    "b_content_speaker": (True, False),
    "b_lenient_pronoun": (True, True),
}

MIN_SHARED_CHARACTERS = 0.5
MIN_WORD_JACCARD = 0.5

PRONOUNS = frozenset(
    {
        *("i", "me", "my", "myself", "we", "us", "our", "ourselves", "you", "your"),
        *("he", "him", "his", "himself", "she", "her", "herself", "it", "its", "itself"),
        *("they", "them", "their", "themselves"),
        *("this", "that", "these", "those", "who", "which", "one"),
    }
)

_WORD = re.compile(r"\w+")
_PARENTHESIS = re.compile(r"\([^)]*\)")
_POSSESSIVE = re.compile(r"'s\b")


# Contents


def _spans(item: Item) -> list[Span] | None:
    """The item's content as character spans, or None when it carries no usable offsets."""
    if item.get("content_spans"):
        pieces = [(int(start), int(end)) for start, end in item["content_spans"]]
        return [(start, end) for start, end in pieces if end > start] or None
    if item.get("content_start") is None:
        return None
    start = int(item["content_start"])
    end_value = item.get("content_end")
    # Without an end, the content string itself says how far it reaches.
    end = int(end_value) if end_value is not None else start + len(item.get("content") or "")
    return [(start, end)] if end > start else None


def _merged(spans: Sequence[Span]) -> list[Span]:
    """The spans as disjoint, sorted intervals (touching ones joined)."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _length(intervals: Sequence[Span]) -> int:
    return sum(end - start for start, end in intervals)


def _shared(first: Sequence[Span], second: Sequence[Span]) -> int:
    """How many characters two sets of disjoint intervals have in common."""
    return sum(
        max(0, min(end_a, end_b) - max(start_a, start_b))
        for start_a, end_a in first
        for start_b, end_b in second
    )


def words(text: str | None) -> set[str]:
    """The lower-cased words of a text, as a set."""
    return {word.lower() for word in _WORD.findall(text or "")}


def content_similarity(prediction: Item, gold: Item) -> float | None:
    """How closely two contents match, in [0, 1], or None when they do not match at all."""
    predicted_spans, gold_spans = _spans(prediction), _spans(gold)
    if predicted_spans and gold_spans:
        predicted, expected = _merged(predicted_spans), _merged(gold_spans)
        shorter = min(_length(predicted), _length(expected))
        ratio = _shared(predicted, expected) / shorter if shorter else 0.0
        return ratio if ratio >= MIN_SHARED_CHARACTERS else None
    predicted_words, gold_words = words(prediction.get("content")), words(gold.get("content"))
    if not predicted_words or not gold_words:
        return None
    jaccard = len(predicted_words & gold_words) / len(predicted_words | gold_words)
    return jaccard if jaccard >= MIN_WORD_JACCARD else None


# Speakers


def name_words(name: object) -> list[str]:
    """The words of a speaker name as written, without parentheses ("(D-Mo.)") or a possessive."""
    if not name:
        return []
    text = _PARENTHESIS.sub(" ", str(name)).replace("\u2019", "'")
    return _WORD.findall(_POSSESSIVE.sub("", text))


def is_pronoun(name: object) -> bool:
    """Whether a speaker is a pronoun alone ("he", "They")."""
    found = name_words(name)
    return len(found) == 1 and found[0].lower() in PRONOUNS


def speaker_match(predicted: object, gold: object) -> bool:
    """Whether two speaker names can be the same speaker ("Trump" ~ "Donald Trump")."""
    predicted_words, gold_words = name_words(predicted), name_words(gold)
    if not predicted_words or not gold_words:
        return False
    predicted_text = f" {' '.join(predicted_words).lower()} "
    gold_text = f" {' '.join(gold_words).lower()} "
    if predicted_text in gold_text or gold_text in predicted_text:
        return True
    # A shared surname counts; a shared common noun ("campaign") does not.
    last_predicted, last_gold = predicted_words[-1], gold_words[-1]
    return (
        last_predicted.lower() == last_gold.lower()
        and last_predicted[:1].isupper()
        and last_gold[:1].isupper()
    )


def _speaker_accepted(prediction: Item, gold: Item, lenient_pronoun: bool) -> bool:
    if speaker_match(prediction.get("speaker"), gold.get("speaker")):
        return True
    if lenient_pronoun and gold.get("speaker") and is_pronoun(gold.get("speaker")):
        return bool((prediction.get("speaker") or "").strip())
    return False


# Matching


@dataclass(frozen=True)
class DocumentMatch:
    """How one document's predictions were paired with its gold items in one setting."""

    pairs: dict[int, int]  # prediction index -> gold index
    required: list[bool]  # per gold item: does it count (it has a speaker, or is made to)

    @property
    def true_positives(self) -> int:
        return sum(1 for gold in self.pairs.values() if self.required[gold])

    @property
    def excused(self) -> int:
        """Predictions that matched an optional gold item: counted neither way."""
        return len(self.pairs) - self.true_positives

    def counted(self, prediction: int) -> bool:
        gold = self.pairs.get(prediction)
        return gold is None or self.required[gold]


def match_document(
    predictions: Sequence[Item],
    golds: Sequence[Item],
    setting: str,
    count_sourceless: bool = False,
    similarities: Mapping[tuple[int, int], float] | None = None,
) -> DocumentMatch:
    """Pair predictions with gold items one to one, the most similar contents first."""
    need_speaker, lenient_pronoun = _SPEAKER_RULES[setting]
    required = [
        bool(gold.get("speaker")) or (count_sourceless and not need_speaker) for gold in golds
    ]
    if similarities is None:
        similarities = content_similarities(predictions, golds)
    candidates = sorted(
        (-similarity, p, g)
        for (p, g), similarity in similarities.items()
        # An optional gold item has no speaker to check: it is matched on content alone.
        if not (need_speaker and required[g])
        or _speaker_accepted(predictions[p], golds[g], lenient_pronoun)
    )
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for _, p, g in candidates:
        if p not in pairs and g not in taken:
            pairs[p] = g
            taken.add(g)
    return DocumentMatch(pairs, required)


def content_similarities(
    predictions: Sequence[Item], golds: Sequence[Item]
) -> dict[tuple[int, int], float]:
    """The content similarity of every matching (prediction index, gold index) pair."""
    found: dict[tuple[int, int], float] = {}
    for p, prediction in enumerate(predictions):
        for g, gold in enumerate(golds):
            similarity = content_similarity(prediction, gold)
            if similarity is not None:
                found[(p, g)] = similarity
    return found


def precision_recall_f1(
    true_positives: int, predicted: int, gold: int
) -> tuple[float, float, float]:
    precision = true_positives / predicted if predicted else 0.0
    recall = true_positives / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _matches(
    documents: Sequence[Item],
    predictions_by_document: Mapping[str, Sequence[Item]],
    count_sourceless: bool,
) -> dict[str, list[tuple[Sequence[Item], Sequence[Item], DocumentMatch]]]:
    """Per setting: each document's predictions, gold items and their match."""
    matches: dict[str, list[tuple[Sequence[Item], Sequence[Item], DocumentMatch]]] = {
        setting: [] for setting in SETTINGS
    }
    for document in documents:
        golds = document.get("quotes", [])
        predictions = predictions_by_document.get(document["id"], [])
        similarities = content_similarities(predictions, golds)
        for setting, found in matches.items():
            match = match_document(predictions, golds, setting, count_sourceless, similarities)
            found.append((predictions, golds, match))
    return matches


def evaluate(
    documents: Sequence[Item],
    predictions_by_document: Mapping[str, Sequence[Item]],
    count_sourceless: bool = False,
) -> dict[str, Any]:
    """Scores of every setting: tp, pred, gold, precision, recall, f1 and recall_by_kind
    (kind: (recall, found, total)), plus a `_meta` summary of what was scored."""
    scores: dict[str, Any] = {}
    for setting, found in _matches(documents, predictions_by_document, count_sourceless).items():
        true_positives = predicted = gold_total = 0
        kind_total: Counter[str] = Counter()
        kind_found: Counter[str] = Counter()
        for predictions, golds, match in found:
            true_positives += match.true_positives
            predicted += len(predictions) - match.excused
            matched_gold = set(match.pairs.values())
            for g, gold in enumerate(golds):
                if match.required[g]:
                    gold_total += 1
                    kind = gold.get("kind") or "unknown"
                    kind_total[kind] += 1
                    kind_found[kind] += g in matched_gold
        precision, recall, f1 = precision_recall_f1(true_positives, predicted, gold_total)
        scores[setting] = {
            "tp": true_positives,
            "pred": predicted,
            "gold": gold_total,
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "recall_by_kind": {
                kind: (kind_found[kind] / kind_total[kind], kind_found[kind], kind_total[kind])
                for kind in sorted(kind_total)
            },
        }
    gold_ids = {document["id"] for document in documents}
    scores["_meta"] = {
        "docs": len(documents),
        "docs_without_predictions": sum(
            1 for document in documents if document["id"] not in predictions_by_document
        ),
        "pred_ids_not_in_gold": sum(1 for key in predictions_by_document if key not in gold_ids),
        "gold_items_total": sum(len(document.get("quotes", [])) for document in documents),
        "predictions_total": sum(
            len(predictions_by_document.get(document["id"], [])) for document in documents
        ),
    }
    return scores


def format_report(scores: Mapping[str, Any]) -> str:
    """The scores as the lines `report` prints."""
    meta = scores["_meta"]
    lines = [
        f"documents scored: {meta['docs']} (without predictions: "
        f"{meta['docs_without_predictions']}); gold items: {meta['gold_items_total']}; "
        f"predictions: {meta['predictions_total']}"
    ]
    if meta["pred_ids_not_in_gold"]:
        lines.append(
            f"warning: {meta['pred_ids_not_in_gold']} prediction ids are not among the scored "
            "gold documents (ignored)"
        )
    lines.append(f"{'':<40} {'P':>7} {'R':>7} {'F1':>7}   tp / pred / gold")
    for setting, (label, _) in SETTINGS.items():
        s = scores[setting]
        lines.append(
            f"{label:<40} {s['precision']:7.3f} {s['recall']:7.3f} {s['f1']:7.3f}   "
            f"{s['tp']} / {s['pred']} / {s['gold']}"
        )
    for setting, (_, short) in SETTINGS.items():
        kinds = "; ".join(
            f"{kind} {recall:.3f} ({found}/{total})"
            for kind, (recall, found, total) in scores[setting]["recall_by_kind"].items()
        )
        lines.append(f"recall by kind {short + ':':<26} {kinds}")
    return "\n".join(lines)


def report(scores: Mapping[str, Any]) -> None:
    """Print the scores: one line per setting, then recall by gold kind."""
    print(format_report(scores))


# Per rule

UNNAMED_RULE = "(unnamed)"


def by_rule(
    documents: Sequence[Item],
    predictions_by_document: Mapping[str, Sequence[Item]],
    count_sourceless: bool = False,
) -> dict[str, dict[str, Any]]:
    """Per rule (a prediction's `rule`; "" shown as "(unnamed)"): how many predictions it made
    and, per setting, its true positives, precision (over its counted predictions) and the recall
    credited to it (its true positives over all required gold items; the rules' shares add up to
    the overall recall, since each gold item is matched once at most)."""
    made: Counter[str] = Counter()
    tallies: dict[str, dict[str, Counter[str]]] = {}
    gold_totals: dict[str, int] = {}
    for setting, found in _matches(documents, predictions_by_document, count_sourceless).items():
        counted: Counter[str] = Counter()
        true_positives: Counter[str] = Counter()
        gold_total = 0
        for predictions, _, match in found:
            gold_total += sum(match.required)
            for p, prediction in enumerate(predictions):
                rule = str(prediction.get("rule") or "") or UNNAMED_RULE
                if setting == "a_content":
                    made[rule] += 1
                if match.counted(p):
                    counted[rule] += 1
                if p in match.pairs and match.required[match.pairs[p]]:
                    true_positives[rule] += 1
        tallies[setting] = {"counted": counted, "tp": true_positives}
        gold_totals[setting] = gold_total
    table: dict[str, dict[str, Any]] = {}
    for rule in sorted(made, key=lambda name: (-made[name], name)):
        row: dict[str, Any] = {"predictions": made[rule]}
        for setting in SETTINGS:
            hits = tallies[setting]["tp"][rule]
            scored = tallies[setting]["counted"][rule]
            row[setting] = {
                "tp": hits,
                "pred": scored,
                "precision": hits / scored if scored else 0.0,
                "recall": hits / gold_totals[setting] if gold_totals[setting] else 0.0,
            }
        table[rule] = row
    return table


def format_by_rule(table: Mapping[str, Mapping[str, Any]]) -> str:
    """The per-rule table: predictions, then precision and credited recall per setting."""
    width = max([len("rule"), *(len(rule) for rule in table)])
    header = f"{'rule':<{width}} {'pred':>6}" + "".join(
        f"   {short + ' P':>7} {'R':>6} {'tp':>5}" for _, short in SETTINGS.values()
    )
    lines = [header]
    for rule, row in table.items():
        line = f"{rule:<{width}} {row['predictions']:>6}"
        for setting in SETTINGS:
            s = row[setting]
            line += f"   {s['precision']:7.3f} {s['recall']:6.3f} {s['tp']:>5}"
        lines.append(line)
    return "\n".join(lines)
