"""Whole report pages through the HTML reader and the extractor: what report structure leaves
in claims and actors (endnote markers, contents running past a sentence, headings, junk actor
names, curated actors renamed) and how many cited claims carry their endnotes' addresses.

Usage: python bench/report_pages.py dev|read|check
dev: ../shared/eval/isw-dev-reports/*.html; read / check: the even / odd pages of
../shared/eval/isw-corpus/ (read while the rules were made / not read). Pages are read in
place, never copied; no database.
"""

import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.extract import extract_docs  # noqa: E402
from app.ingest.readers import parse_file  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
MARK = re.compile(r"\[\d{1,3}(?:\]|$|(?=\D))")
CROSS = re.compile(r"(?:[a-z]{2}|\d|\))[.!?][\"”’]?(?:\[\d+\])*\s+[\"“]?[A-Z]|\]\s*[A-Z][a-z]")
URL = re.compile(r"https?:|www\.|\.com|t\.me|isw\.pub|\bdot\b")
CONTRACTION = re.compile(r"^(?:n['’]t|['’]s|['’]re|['’]ll|['’]ve|['’]d|['’]m)$", re.I)
HEADING_END = re.compile(r"[.!?:;,][\"”’')\]]*(?:\[\d+\])*$|[\"”’]$")


def pages(which: str) -> list[Path]:
    corpus = sorted((EVAL / "isw-corpus").glob("*.html"))
    chosen = {
        "dev": sorted((EVAL / "isw-dev-reports").glob("*.html")),
        "read": corpus[0::2],
        "check": corpus[1::2],
    }
    return chosen[which]


def junk(name: str) -> bool:
    name = name.strip()
    return bool(URL.search(name) or MARK.search(name) or "[" in name or len(name) <= 2) or bool(
        CONTRACTION.match(name) or len(name) > 80
    )


def main(which: str) -> None:
    paths = pages(which)
    totals = dict.fromkeys(
        ("pages", "claims", "marker", "cross", "heading", "actors", "junk", "renamed",
         "cited", "cited_with_urls"),
        0,
    )  # fmt: skip
    bodies = [parse_file(path.name, path.read_bytes())[0].body for path in paths]
    started = time.perf_counter()
    for body, extraction in zip(bodies, extract_docs(bodies), strict=True):
        totals["pages"] += 1
        references = {reference.number for reference in extraction.references}
        for a in extraction.attributions:
            assert body[a.start : a.end] == a.content
            totals["claims"] += 1
            totals["marker"] += bool(MARK.search(a.content) or MARK.search(a.speaker_mention))
            totals["cross"] += bool(CROSS.search(a.content))
            line_start = body.rfind("\n", 0, a.start) + 1
            line_end = body.find("\n", a.end)
            line = body[line_start : len(body) if line_end < 0 else line_end].strip()
            totals["heading"] += len(line) < 150 and not HEADING_END.search(line)
            sentence = body[a.sentence_start : a.sentence_end]
            if MARK.search(sentence) or re.match(r"\s*\[\d", body[a.sentence_end :][:10]):
                totals["cited"] += 1
                cited = a.citations and all(number in references for number in a.citations)
                totals["cited_with_urls"] += bool(cited)
        for actor in extraction.actors:
            totals["actors"] += 1
            totals["junk"] += junk(actor.name)
            renamed = actor.gazetteer_name and actor.name != actor.gazetteer_name
            totals["renamed"] += bool(renamed)
    print(which, json.dumps(totals), f"{time.perf_counter() - started:.0f} s")
    if totals["cited"]:
        share = totals["cited_with_urls"] / totals["cited"]
        print(f"cited claims carrying their endnotes: {share:.3f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "dev")
