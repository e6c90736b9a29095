"""What makes two statements the same claim, as pure functions: normalised text, polarity, the
numbers and dates a claim states, trigram similarity and the MinHash LSH bands that find
candidates by an index lookup (tier 1: near-verbatim; no paraphrase model)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

# Measured on the labelled pairs (bench/GROUPS.md, chosen on the dev part): trigram Jaccard at
# or above this, with the same speaker, polarity and numbers and most names shared, is the
# same claim.
SAME_CLAIM_THRESHOLD = 0.4
# Of the places, people and organisations the two name, at least this share in common (when
# either names any): "repelled an assault on Pisky" is not "repelled an assault on Bakhmut".
NAMES_SHARED = 0.5
# One naming nothing, the other something: neither agreement nor contradiction.
NAMES_ONE_SIDED = 0.0
# Two names are one spelled two ways when at least this share of their trigrams is common.
NAME_SPELLING = 0.5
# Statements without a resolved speaker group only when their words are near-identical.
UNRESOLVED_THRESHOLD = 0.9

# LSH: BANDS bands of ROWS MinHash values each. A pair at Jaccard 0.4 shares a band with
# probability 1 - (1 - 0.4**2)**16 = 0.94, at 0.5: 0.99, at 0.15 (unrelated): 0.31 (those
# are ranked out: see app/groups/service.py); an extra band of the whole key finds verbatim
# repeats always.
ROWS = 2
BANDS = 16
PERMUTATIONS = ROWS * BANDS

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_CONTRACTIONS = [
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bcan't\b"), "can not"),
    (re.compile(r"\bcannot\b"), "can not"),
    (re.compile(r"\bshan't\b"), "shall not"),
    (re.compile(r"n't\b"), " not"),
]
# "1,000" and "1 000" are one number; "1.5" keeps its point.
_THOUSANDS = re.compile(r"(?<=\d)[,\u00a0 ](?=\d{3}\b)")
_ORDINAL_SUFFIX = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b")
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[a-z]+")

# Words that negate what follows; "neither … nor" is one negation.
# "Failed to advance" and "unsuccessfully attempted to advance" say the same: each negates.
_NEGATORS = frozenset(
    {
        "not",
        "no",
        "never",
        "neither",
        "none",
        "nobody",
        "nothing",
        "nowhere",
        "without",
        "failed",
        "fails",
        "unsuccessful",
        "unsuccessfully",
        # "repelled an assault on X" is "an unsuccessful assault on X"
        "repel",
        "repelled",
        "repels",
        "repulsed",
        # "in order to avoid having to cross" is "without having to cross"
        "avoid",
        "avoiding",
    }
)
_NEGATING_VERBS = frozenset({"deny", "denies", "denied", "denying"})
# A verb that negates the infinitive it governs: "refused to sign".
_NEGATING_BEFORE_TO = frozenset({"refused", "refuses", "refuse", "declined", "declines", "unable"})
# A distance that only says where a place is ("about 20 km northwest of Slovyansk", "(8km from
# the border)") is not a number the claim states: reports give it differently each time.
_LOCATING_DISTANCE = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:-\s*\d+\s*)?(?:km|kilometers|kilometres|miles|mi)\b"
    r"(?=\s+(?:due\s+)?(?:north|south|east|west|from|of|away|outside|behind|inside)\w*)"
)


@lru_cache(maxsize=1024)  # a claim's key, polarity and signature fold the same text
def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    text = _THOUSANDS.sub("", text)
    return _ORDINAL_SUFFIX.sub(r"\1", text)


def _numbers_as_digits(words: list[str]) -> list[str]:
    """ "thirty five" -> "35", "two hundred" -> "200", "3 million" -> "3000000"; others kept."""
    out: list[str] = []
    total = current = 0
    in_number = False

    def close() -> None:
        nonlocal total, current, in_number
        if in_number:
            out.append(str(total + current))
        total = current = 0
        in_number = False

    for word in words:
        if word in _UNITS or word in _TENS:
            value = _UNITS.get(word, _TENS.get(word, 0))
            if in_number and current % 10 == 0 and current % 100 != 0 and value < 10 < current:
                current += value  # "thirty five"
            elif in_number and current == 0 and total:
                current = value  # "two thousand five"
            elif in_number and current % 100 == 0 and current and value < 100:
                current += value  # "two hundred five"
            else:
                close()
                current = value
                in_number = True
        elif word in _SCALES and (in_number or word != "hundred"):
            scale = _SCALES[word]
            if not in_number:
                # "thousands of troops" is not a number; keep the word.
                close()
                out.append(word)
                continue
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
        elif word[0].isdigit():
            close()
            if "." in word:
                out.append(word)
            else:
                current = int(word)
                in_number = True
        elif word == "and" and in_number and current >= 100:
            continue  # "two hundred and five"
        else:
            close()
            out.append(word)
    close()
    return out


def words_of(text: str) -> list[str]:
    """The normalised words: no quotes, case or punctuation; numbers as digits."""
    return _numbers_as_digits(_TOKEN.findall(_fold(text)))


def normalise(text: str) -> str:
    """The text as compared: "The “30” tanks, 1,000 men" -> "the 30 tanks 1000 men"."""
    return " ".join(words_of(text))


def polarity(text: str, cue_class: str = "assert") -> str:
    """ "negative" when the claim is negated an odd number of times (a denying cue counts once).

    "Belarus will not join the war" is negative, "Belarus will join the war" positive, and
    "X denied that Belarus will join" negative too, so it may group with the former only.
    """
    words = _TOKEN.findall(_fold(text))
    negations = 0
    previous = ""
    for index, word in enumerate(words):
        negates = (
            word in _NEGATORS
            or word in _NEGATING_VERBS
            or (word == "nor" and "neither" not in words[:index])
            or (word == "to" and previous in _NEGATING_BEFORE_TO)
        )
        # "though ISW cannot confirm this": the reporter's hedge, not the claim's negation.
        if negates and "isw" in words[max(0, index - 3) : index]:
            negates = False
        negations += negates
        previous = word
    if cue_class == "deny":
        negations += 1
    return "negative" if negations % 2 else "positive"


def signature(text: str) -> str:
    """The numbers, dates and days a claim states, sorted: "30 tanks on December 5" ->
    "30 5 m12". Two claims with different numbers are different claims."""
    folded = _LOCATING_DISTANCE.sub(" ", _fold(text))
    marks = {word for word in _numbers_as_digits(_TOKEN.findall(folded)) if word[0].isdigit()}
    for word in _TOKEN.findall(folded):
        if word in _MONTHS and (word != "may" or re.search(r"\bmay \d", folded)):
            marks.add(f"m{_MONTHS[word]}")
        elif word in _WEEKDAYS:
            marks.add(word[:3])
        elif word in _ORDINALS:
            marks.add(str(_ORDINALS[word]))
    return " ".join(sorted(marks))


_NAME = re.compile(r"\b[A-Z][\w'-]*")
# Capitalised words that name nothing in particular, or nearly every report's subject.
_NOT_NAMES = frozenset(
    {
        "a",
        "an",
        "and",
        "but",
        "he",
        "i",
        "in",
        "it",
        "on",
        "she",
        "that",
        "the",
        "these",
        "they",
        "this",
        "those",
        "we",
        "city",
        "oblast",
        "river",
        "region",
        "district",
        "isw",
        "russia",
        "russian",
        "ukraine",
        "ukrainian",
        # The kind of a thing named, not which one: "Mariupol's Azovstal Steel Plant" is
        # "Azovstal", and "the 2nd Combined Arms Army" the 2nd whichever words follow.
        "airborne",
        "army",
        "arms",
        "battalion",
        "brigade",
        "btg",
        "caa",
        "combined",
        "division",
        "forces",
        "guards",
        "highway",
        "marine",
        "motorized",
        "npp",
        "nuclear",
        "plant",
        "power",
        "regiment",
        "rifle",
        "station",
        "steel",
        "tank",
        *_WEEKDAYS,  # days and months are in the signature already
        *_MONTHS,
    }
)


def names(text: str) -> str:
    """The capitalised words, folded and sorted: "that Russian forces shelled Kharkiv City and
    Izyum" -> "izyum kharkiv"."""
    found = _NAME.findall(unicodedata.normalize("NFKC", text).translate(_QUOTES))
    folded = {word.lower().removesuffix("'s").strip("'-") for word in found}
    # A word in capitals for emphasis ("NOT") names nothing either.
    return " ".join(sorted(folded - _NOT_NAMES - _NEGATORS - {""}))


def _same_name(left: str, right: str) -> bool:
    """One name spelled two ways ("Zaporizhia"/"Zaporihia", "Severskyi"/"Siverskyi",
    "Transnistria"/"Transnistrian"): most of their trigrams shared."""
    return left == right or jaccard(trigrams(left), trigrams(right)) >= NAME_SPELLING


def names_shared(left: str, right: str) -> float:
    """The share of names in common, a name matching its other spellings (one naming nothing
    and the other something: none; this measured better than taking no names as no
    evidence)."""
    a, b = set(left.split()), set(right.split())
    if not a and not b:
        return 1.0
    if not a or not b:
        return NAMES_ONE_SIDED
    common = a & b
    rest = b - common
    for name in a - common:
        match = next((other for other in rest if _same_name(name, other)), None)
        if match is not None:
            common.add(name)
            rest.discard(match)
    return len(common) / (len(a) + len(b) - len(common))


def trigrams(key: str) -> frozenset[str]:
    """Character trigrams of each word, padded like pg_trgm ("  w", " wo", "wor", "ord", "rd ")."""
    grams: set[str] = set()
    for word in key.split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def jaccard(left: frozenset[str], right: frozenset[str]) -> float:
    if not left and not right:
        return 1.0
    return len(left & right) / len(left | right)


@dataclass(frozen=True)
class ClaimKey:
    """What a statement is compared by."""

    speaker_id: int | None
    claim_type: str
    key: str
    polarity: str
    signature: str
    grams: frozenset[str]
    names: str = ""

    @property
    def threshold(self) -> float:
        return SAME_CLAIM_THRESHOLD if self.speaker_id is not None else UNRESOLVED_THRESHOLD

    def comparable(self, other: ClaimKey) -> bool:
        """Could be the same claim at all: same speaker, type, polarity and numbers."""
        return (
            self.speaker_id == other.speaker_id
            and self.claim_type == other.claim_type
            and self.polarity == other.polarity
            and self.signature == other.signature
            and names_shared(self.names, other.names) >= NAMES_SHARED
        )

    def similarity(self, other: ClaimKey) -> float:
        return jaccard(self.grams, other.grams) if self.comparable(other) else 0.0

    def same_claim(self, other: ClaimKey) -> bool:
        return self.similarity(other) >= self.threshold


def claim_key(
    content: str, speaker_id: int | None, cue_class: str = "assert", claim_type: str = "statement"
) -> ClaimKey:
    key = normalise(content)
    return ClaimKey(
        speaker_id=speaker_id,
        claim_type=claim_type,
        key=key,
        polarity=polarity(content, cue_class),
        signature=signature(content),
        grams=trigrams(key),
        names=names(content),
    )


def _stable_hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    generator = np.random.default_rng(17)
    a = generator.integers(1, (1 << 61) - 1, size=PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
    b = generator.integers(0, (1 << 61) - 1, size=PERMUTATIONS, dtype=np.uint64)
    return a, b


@lru_cache(maxsize=1 << 16)
def _gram_hash(gram: str) -> int:
    return _stable_hash(gram)


def minhash(grams: frozenset[str]) -> np.ndarray:
    """PERMUTATIONS minimum hash values of the trigram set (a*x+b mod 2**64, stable across runs)."""
    a, b = _permutations()
    if not grams:
        return np.zeros(PERMUTATIONS, dtype=np.uint64)
    values = np.fromiter(map(_gram_hash, grams), dtype=np.uint64, count=len(grams))
    with np.errstate(over="ignore"):
        hashed = values[:, None] * a[None, :] + b[None, :]
    return hashed.min(axis=0)


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every bit of the input moves every bit of the output."""
    with np.errstate(over="ignore"):
        values = values ^ (values >> np.uint64(30))
        values = values * np.uint64(0xBF58476D1CE4E5B9)
        values = values ^ (values >> np.uint64(27))
        values = values * np.uint64(0x94D049BB133111EB)
        return values ^ (values >> np.uint64(31))


_BAND_NUMBERS = np.arange(1, BANDS + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)


def bands(claim: ClaimKey) -> list[int]:
    """The LSH band hashes (signed 64-bit, for a bigint column) of a claim, the whole key's
    last: each mixed with everything that must be equal, so a hit is always a group that
    could hold the claim."""
    scope = f"{claim.speaker_id}|{claim.claim_type}|{claim.polarity}|{claim.signature}"
    rows = minhash(claim.grams).reshape(BANDS, ROWS)
    with np.errstate(over="ignore"):
        combined = _BAND_NUMBERS + np.uint64(_stable_hash(scope))
        for column in range(ROWS):
            combined = _mix(combined ^ rows[:, column])
    hashes: list[int] = combined.view(np.int64).tolist()
    key = _stable_hash(f"{scope}|key|{claim.key}")
    hashes.append(key - (1 << 64) if key >= 1 << 63 else key)
    return hashes
