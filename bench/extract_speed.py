"""Throughput of extraction against bare nlp.pipe on the same texts (target: ratio >= 0.75).

Usage: python bench/extract_speed.py [GOLD.jsonl] [--rounds N]
Default texts: ../shared/eval/polnear-dev.jsonl beside the repository (read, never copied).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.extract import extract_docs, load_nlp  # noqa: E402


def main(argv: list[str]) -> None:
    rounds = int(argv[argv.index("--rounds") + 1]) if "--rounds" in argv else 3
    positional = [a for a in argv if not a.startswith("--") and not a.isdigit()]
    gold = (
        Path(positional[0]) if positional else REPO / ".." / "shared" / "eval" / "polnear-dev.jsonl"
    )
    with gold.open(encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in lines if line.strip()]
    nlp = load_nlp()
    list(nlp.pipe(texts[:4]))  # warm up
    bare, full = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=16):
            pass
        bare.append(time.perf_counter() - started)
        started = time.perf_counter()
        for _extraction in extract_docs(texts, batch_size=16):
            pass
        full.append(time.perf_counter() - started)
    chars = sum(len(t) for t in texts)
    best_bare, best_full = min(bare), min(full)
    print(f"texts: {len(texts)}, characters: {chars}, rounds: {rounds} (best of)")
    print(f"bare nlp.pipe : {best_bare:7.2f} s  {chars / best_bare:10.0f} chars/s")
    print(f"extract_docs  : {best_full:7.2f} s  {chars / best_full:10.0f} chars/s")
    print(f"throughput ratio extract/bare: {best_bare / best_full:.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
