"""What makes two statements the same claim, as pure functions: normalised text, polarity, the
numbers and dates a claim states, trigram similarity and the MinHash LSH bands that find
candidates by an index lookup (tier 1: near-verbatim; no paraphrase model)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import pairwise

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
# A longer version of a claim ("… withdrew from Ukrainian territory" / "… withdrew from
# Ukrainian territory near Sumy, the first report of …", "… and 90th Tank Division" / "… and
# 90th Tank Division, likely committing the 55th Brigade"): the shorter's word pairs at least
# this share in the longer (those with a number all), and its numbers and names all there too.
CONTAINED = 0.8
# Statements without a resolved speaker group only when their words are near-identical.
UNRESOLVED_THRESHOLD = 0.9

# LSH: BANDS bands of ROWS MinHash values each. A pair at Jaccard 0.4 shares a band with
# probability 1 - (1 - 0.4**2)**16 = 0.94, at 0.5: 0.99, at 0.15 (unrelated): 0.31 (those
# are ranked out: see app/groups/service.py); an extra band of the whole key finds verbatim
# repeats always.
ROWS = 2
BANDS = 16
PERMUTATIONS = ROWS * BANDS


def found_by_bands(similarity: float) -> float:
    """The probability that two claims of this trigram Jaccard share an LSH band."""
    return 1 - (1 - similarity**ROWS) ** BANDS


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
        # "in order to avoid having to cross" is "without having to cross"
        "avoid",
        "avoiding",
    }
)
# Words that say an action did not succeed. They count once however many a sentence has:
# "failed to advance", "unsuccessfully attempted to advance", "repelled a Russian attempt to
# advance" and "repelled an unsuccessful assault" all say one thing, and so does "attempted to
# advance" with no success stated (the General Staff's daily lines: "Russian troops attempted to
# advance toward X" / "Ukrainian forces repelled Russian attacks near X").
_FAILED = frozenset(
    {
        "failed",
        "fails",
        "unsuccessful",
        "unsuccessfully",
        "repel",
        "repelled",
        "repels",
        "repulsed",
        "repelling",
        "repulse",
        "repulses",
        "repulsing",
    }
)
# Verbs that say so of an attack they govern ("stopped Russian assaults", "halted the advance
# of", "resisted an assault", "stalled Russian advances") or in the passive ("were stopped"),
# not of anything else ("stopped grain exports") nor of an activity ended ("stopped shelling").
_STOPPED = frozenset(
    {
        "stop",
        "stops",
        "stopped",
        "halt",
        "halts",
        "halted",
        "resist",
        "resists",
        "resisted",
        "resisting",
        "stall",
        "stalls",
        "stalled",
        "thwart",
        "thwarts",
        "thwarted",
        "foil",
        "foils",
        "foiled",
    }
)
_ATTACKS = frozenset(
    {
        "assault",
        "assaults",
        "attack",
        "attacks",
        "advance",
        "advances",
        "offensive",
        "offensives",
        "push",
        "pushes",
        "attempt",
        "attempts",
        "counterattack",
        "counterattacks",
        "counteroffensive",
        "raid",
        "raids",
        "breakthrough",
        "btg",
        "btgs",
        "forces",
        "troops",
        "units",
    }
)
_PASSIVE = frozenset({"is", "are", "was", "were", "be", "been", "being"})
# "pushed back Russian forces", "beat back an assault".
_PUSHED = frozenset({"push", "pushes", "pushed", "pushing", "beat", "beats", "beaten"})
# "without success", "to no avail", "with no success": how an action ended, not a negation.
_SUCCESS = frozenset({"success", "avail"})
# "Attempted" reads as failed unless negated itself ("did not attempt to advance" is "did not
# advance") or another word says how it ended.
_ATTEMPTED = frozenset(
    {"attempt", "attempts", "attempted", "attempting", "try", "tried", "tries", "trying"}
)
# An attempt that is not the claim's own action says nothing of how that ended: one in a side
# clause ("…, during which Putin likely tried to defuse …", "followers who attempted to …"),
# a purpose ("shelled the town in an attempt to force …", "which is a likely attempt to …"),
# a forecast ("will likely attempt to seize …"), an attempt to prepare one ("are trying to
# create conditions to resume the offensive" restates "are creating conditions to …").
_SIDE_CLAUSE_WORDS = frozenset({"which", "who", "whom", "whose"})
_MODALS = frozenset({"will", "would", "may", "might", "could", "can", "shall", "should", "must"})
_NEGATING_VERBS = frozenset({"deny", "denies", "denied", "denying"})
# A verb that negates the infinitive it governs: "refused to sign".
_NEGATING_BEFORE_TO = frozenset({"refused", "refuses", "refuse", "declined", "declines", "unable"})
# A distance that only says where a place is ("about 20 km northwest of Slovyansk", "(8km from
# the border)", "25 and 20km northwest of", "24km and 22km northwest of") is not a number the
# claim states: reports give it differently each time.
_LENGTH = r"(?:km|kilometers|kilometres|miles|mi)\b"
_DISTANCE = (
    rf"\b\d+(?:\.\d+)?(?:\s*{_LENGTH})?"
    rf"(?:\s*(?:-|,|and|, and)\s*\d+(?:\.\d+)?(?:\s*{_LENGTH})?)*\s*{_LENGTH}"
)
_COMPASS = r"(?:due\s+)?(?:north|south|east|west|from|of|away|outside|behind|inside)\w*"
_LOCATING_DISTANCE = re.compile(_DISTANCE + r"(?=\s+" + _COMPASS + ")")
# A designation is a name, not a number: the E40 and T1302 highways, S-300 missiles, M777
# howitzers, Su-25 aircraft.
_DESIGNATION = re.compile(r"\b[a-z]{1,3}-?\d+\b")


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


def _stops_an_attack(words: list[str], index: int) -> bool:
    """Whether the stopping verb at `index` is said of an attack: one among the next five
    words, or the verb in the passive; not when an activity ended ("stopped shelling")."""
    if index and words[index - 1] in _PASSIVE:
        return True
    following = words[index + 1 : index + 6]
    if following and following[0].endswith("ing"):
        return False
    return bool(_ATTACKS.intersection(following))


_READ_BY_NEGATIONS = (
    _FAILED
    | _STOPPED
    | _ATTEMPTED
    | _NEGATORS
    | _NEGATING_VERBS
    | _SIDE_CLAUSE_WORDS
    | {"back", "nor", "to"}
)


def _idiom_not(words: list[str], index: int) -> bool:
    """ "whether or not" and "not only … but" negate nothing."""
    return (index > 0 and words[index - 1] == "or" and "whether" in words[:index]) or (
        words[index + 1 : index + 2] == ["only"]
    )


def _negations(words: list[str]) -> tuple[int, bool]:
    """How many times the words negate, and whether they say an action failed (counted once
    among the negations)."""
    negations = outside_side_clause = 0
    failed = attempted = in_side_clause = False
    previous = ""
    for index, word in enumerate(words):
        if word not in _READ_BY_NEGATIONS:  # most words: nothing to decide
            previous = word
            continue
        before = words[max(0, index - 3) : index]
        # "though ISW cannot confirm this": the reporter's hedge, not the claim's negation.
        hedge = "isw" in before
        in_side_clause = in_side_clause or word in _SIDE_CLAUSE_WORDS
        if (
            word in _FAILED
            or (word in _STOPPED and _stops_an_attack(words, index))
            or (word == "back" and previous in _PUSHED)
            or (word in ("without", "no") and _SUCCESS & set(words[index + 1 : index + 3]))
        ):
            failed = failed or not hedge
        elif word in _ATTEMPTED:
            attempted = attempted or not (
                set(before[-2:]) & _NEGATORS
                or in_side_clause
                or (word in ("attempt", "attempts") and "in" in before)
                or set(before[-2:]) & _MODALS
                or "conditions" in words[index + 1 : index + 5]
            )
        elif (word == "not" and _idiom_not(words, index)) or hedge:
            pass
        elif (
            word in _NEGATORS
            or word in _NEGATING_VERBS
            or (word == "nor" and "neither" not in words[:index])
            or (word == "to" and previous in _NEGATING_BEFORE_TO)
        ):
            negations += 1
            outside_side_clause += not in_side_clause
        previous = word
    # An attempt with its outcome stated ("attempted to advance but did not secure gains")
    # is that outcome; a negation in a side clause states none ("…, which X did not expect").
    failed = failed or (attempted and not outside_side_clause)
    return negations + failed, failed


# A negation inside a side clause set off by a comma or bracket is not the claim's: "… helped
# Clinton, who does not need to demonstrate her staying power", "the teachers, who refuse to
# teach, …". (Only polarity sees the punctuation; `failed` reads the stored key's words.)
_SIDE_CLAUSE = re.compile(r"[,(]\s*(?:which|who|whom|whose)\b[^,;:.()]*")
_NEGATION_WORD = re.compile(
    r"\b(?:"
    + "|".join(sorted(_NEGATORS | _NEGATING_VERBS | _NEGATING_BEFORE_TO | {"nor"}))
    + r")\b"
)


def polarity(text: str, cue_class: str = "assert") -> str:
    """ "negative" when the claim is negated an odd number of times (a denying cue counts once).

    "Belarus will not join the war" is negative, "Belarus will join the war" positive, and
    "X denied that Belarus will join" negative too, so it may group with the former only.
    """
    folded = _fold(text)
    if "wh" in folded:  # most statements have no side clause: skip the expression
        folded = _SIDE_CLAUSE.sub(lambda clause: _NEGATION_WORD.sub(" ", clause[0]), folded)
    negations, _ = _negations(_TOKEN.findall(folded))
    if cue_class == "deny":
        negations += 1
    return "negative" if negations % 2 else "positive"


def failed(key: str) -> bool:
    """Whether a claim (its normalised words) says an action failed: "repelled an assault",
    "an unsuccessful assault", "attempted to advance" do; "did not advance" and "did not attempt
    to advance" do not, though all are negative."""
    return _negations(key.split())[1]


_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE = re.compile(
    rf"\b(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:\s*-\s*(?P<last>\d{{1,2}}))?\b(?!\s*km)"
    rf"|\b(?P<day_first>\d{{1,2}})\s+(?:of\s+)?(?P<month_after>{_MONTH})\b"
)


def signature(text: str) -> str:
    """The numbers, dates and days a claim states, sorted, dates marked with "d": "30 tanks on
    December 5" -> "30 d12-5", "in May" -> "d5", "on Monday" -> "dmon". Two claims with
    different numbers are different claims (see `signatures_agree`)."""
    folded = _DESIGNATION.sub(" ", _LOCATING_DISTANCE.sub(" ", _fold(text)))
    marks: set[str] = set()

    def date(found: re.Match[str]) -> str:
        month = _MONTHS[found["month"] or found["month_after"]]
        for day in (found["day"] or found["day_first"], found["last"]):
            if day:
                marks.add(f"d{month}-{int(day)}")
        return " "

    folded = _DATE.sub(date, folded)
    marks.update(word for word in _numbers_as_digits(_TOKEN.findall(folded)) if word[0].isdigit())
    for word in _TOKEN.findall(folded):
        if word in _MONTHS and word != "may":
            marks.add(f"d{_MONTHS[word]}")
        elif word in _WEEKDAYS:
            marks.add(f"d{word[:3]}")
        elif word in _ORDINALS:
            marks.add(str(_ORDINALS[word]))
    return " ".join(sorted(marks))


def _numbers_and_dates(signature: str) -> tuple[set[str], set[str]]:
    marks = set(signature.split())
    numbers = {mark for mark in marks if not mark.startswith("d")}
    return numbers, marks - numbers


def signatures_agree(left: str, right: str) -> bool:
    """The same numbers, and the same dates unless one gives none: "30 tanks" is not "300
    tanks", nor "on May 5" "on May 6", but "… on May 13" restates "…" (a daily report's date)."""
    numbers_a, dates_a = _numbers_and_dates(left)
    numbers_b, dates_b = _numbers_and_dates(right)
    return numbers_a == numbers_b and (dates_a == dates_b or not dates_a or not dates_b)


def numbers_added(fewer: ClaimKey, more: ClaimKey) -> bool:
    """Whether `more` states every number of `fewer`, each beside a word it stands beside in
    `fewer`, and more numbers besides (a longer version: "did not conduct offensive operations
    around Sumy in the past 24 hours" / "units of the 1st Guards Tank Army did not conduct
    any offensive operations against Sumy in the past 24 hours"); dates as in
    `signatures_agree`. `fewer` states one at least (to a claim stating none, only a longer
    version holding its words adds numbers: CONTAINED)."""
    numbers_fewer, dates_fewer = _numbers_and_dates(fewer.signature)
    numbers_more, dates_more = _numbers_and_dates(more.signature)
    if not numbers_fewer or not numbers_fewer < numbers_more:
        return False
    if dates_fewer and dates_more and dates_fewer != dates_more:
        return False
    beside = set(pairwise(more.words))
    words = fewer.words
    for number in numbers_fewer:
        places = [i for i, word in enumerate(words) if word == number]
        # "repelled 7 attacks" is not in "repelled 4 attacks and destroyed 7 tanks".
        if places and not any(
            (i and (words[i - 1], number) in beside)
            or (i + 1 < len(words) and (number, words[i + 1]) in beside)
            for i in places
        ):
            return False
    return True


# The side whose forces a claim is about: "that Russian forces …", "Ukrainian troops …".
_SIDES = {
    "russian": "russian",
    "russia": "russian",
    "dnr": "russian",
    "lnr": "russian",
    "chechen": "russian",
    "ukrainian": "ukrainian",
    "ukraine": "ukrainian",
}
_FORCES = frozenset({"forces", "troops", "units", "military", "army", "soldiers", "servicemen"})


# A name is one or more capitalised words: "Mykolaivka Druha" is one place, "Vesela Dolyna"
# another than "Dolyna".
_DESIGNATED = re.compile(r"[A-Z]{1,3}-?\d+")
_NAME = re.compile(r"\b[A-Z]{1,3}-?\d+\b|\b[A-Z][A-Za-z'-]*(?:(?<!'s)\s+[A-Z][A-Za-z'-]*)*")
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
        # Capitalised only to start a sentence or a quote, and titles: "My father has given
        # me", "Let's dispel", "Mr. Trump".
        "my",
        "his",
        "her",
        "our",
        "your",
        "their",
        "its",
        "you",
        "let",
        "if",
        "so",
        "no",
        "yes",
        "ok",
        "mr",
        "mrs",
        "ms",
        "dr",
        "sen",
        "rep",
        "city",
        "oblast",
        "river",
        "region",
        "district",
        "isw",
        "russia",
        "russian",
        "russians",
        "ukraine",
        "ukrainian",
        "ukrainians",
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


# A place named only to say where another is, is not a place of the claim: "Metolkine, just
# southeast of Severodonetsk", "Dolyna (about 15km northwest of Slovyansk along the E40)",
# "Vodyane and Pavlivka, approximately 40 and 50 km southwest of Donetsk City".
_LOCATOR = re.compile(
    r"\([^)]*\)?"
    r"|(?:\b(?:just|about|approximately|roughly|around|nearly|some|within|less than|more than)"
    r"\s+)?(?:(?:" + _DISTANCE + r")\s+|\bjust\s+)(?:(?:due|to the)\s+)?"
    r"(?:north|south|east|west)\w*\s+(?:of|from)\s+(?:the\s+)?(?:[A-Z][\w'-]*\s*)+"
    # "south of Bakhmut near Zaitseve", "Zaitseve and Kurdyumivka, south of Bakhmut": the
    # claim's places are Zaitseve and Kurdyumivka.
    r"|\b(?:north|south|east|west)\w*\s+of\s+(?:the\s+)?(?:[A-Z][\w'-]*\s+)+(?=(?:near|around|in|at)\b)"
    r"|(?<=,)\s*(?:(?:just|both|all)\s+)?(?:to the\s+)?(?:north|south|east|west)\w*\s+of\s+"
    r"(?:the\s+)?(?:[A-Z][\w'-]*\s*)+"
    # "Dolyna, about 18km northwest of Slovyansk along the E40 Izyum-Slovyansk highway"
    r"|\balong\s+the\s+(?:[A-Z][\w'-]*\s+)+(?:highway|road|railway)"
)
# "… near the Kharkiv-Donetsk Oblast border": a border locates; it is not where the action is.
_BORDER = re.compile(r"\b(?:[A-Z][\w'-]*\s+)+(?:Oblast\s+)?(?:administrative\s+)?border\b")


# Places joined by a hyphen are those places: "the Roty-Vershyna line" names Roty and Vershyna,
# "the Dovhenke-Krasnopillya-Pasika-Dolyna direction" four; a compound's linking "o" makes one
# place ("Ivano-Frankivsk", "Novo-Oleksandrivka").
_JOINED = re.compile(r"(?<=[^\Wo])-(?=[A-Z])")
# "U.S." is the name "US".
_ABBREVIATION = re.compile(r"\b(?:[A-Z]\.){2,}")


def _name(words: str) -> str:
    """Capitalised words as one name: folded, without "'s", without the words that name nothing
    ("Kharkiv City" is "kharkiv", "Ukrainian General Staff" "general_staff"); of a hyphenated
    word, the parts that name something ("Ivano-Frankivsk" stays, "Russian-occupied" names
    nothing)."""
    if _DESIGNATED.fullmatch(words):
        return words.lower()
    kept = []
    for word in words.split():
        parts = word.removesuffix("'s").strip("'-").split("-")
        word = "-".join(
            part.lower() for part in parts if part[:1].isupper() and not _names_nothing(part)
        )
        if word:
            kept.append(word)
    return "_".join(kept)


def _names_nothing(word: str) -> bool:
    folded = word.lower()
    return folded in _NOT_NAMES or folded in _NEGATORS or folded.removesuffix("s") in _NOT_NAMES


# "the Donetsk People's Republic (DNR)": the name and the short form it declares are one name
# ("dnr|donetsk_people_republic"), so it matches a later "DNR" or the name alone.
_DECLARED = re.compile(
    r"\b[A-Z][\w'-]*(?:\s+(?:(?:of|for|the)\s+)*[A-Z][\w'-]*)*\s*\(([A-Z]{2,6})\)"
)


def names(text: str) -> str:
    """The capitalised words that name something, folded and sorted, leaving out the places
    that only locate another: "that Russian forces shelled Kharkiv City and Izyum" -> "izyum
    kharkiv"."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    declared: set[str] = set()

    def declare(found: re.Match[str]) -> str:
        spellings = {_name(found[0][: found.start(1) - found.start() - 1].strip()), _name(found[1])}
        declared.add("|".join(sorted(spellings - {""})))
        return ", "

    if "(" in text:
        text = _DECLARED.sub(declare, text)
    # A comma where a locator was: the names either side stay apart.
    text = _LOCATOR.sub(", ", text)
    if "border" in text:
        text = _BORDER.sub(", ", text)
    text = _ABBREVIATION.sub(lambda found: found[0].replace(".", ""), text)
    # A word in capitals for emphasis ("NOT") names nothing either (_names_nothing).
    found = {
        _name(part)
        for words in _NAME.findall(text)
        for part in (_JOINED.split(words) if "-" in words else (words,))
    }
    return " ".join(sorted((found | declared) - {""}))


# Romanisations of one Ukrainian or Russian name differ in a few letters: "Mayorsk"/"Maiorsk",
# "Sievierodonetsk"/"Severodonetsk", "-iy"/"-yi"/"-ii", "Kharkiv"/"Harkiv", "Zaporizhzhia"/
# "Zaporizhia", "Kam'yanka"/"Kamyanka". Vowels stay as they are.
_ROMANISED = (("'", ""), ("kh", "h"), ("zh", "z"), ("y", "i"), ("ie", "e"))
_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=1 << 14)
def _spelling(name: str) -> frozenset[str]:
    """The trigrams of a name with those letters made equal."""
    for letters, replacement in _ROMANISED:
        name = name.replace(letters, replacement)
    return trigrams(_DOUBLED.sub(r"\1", name))


def _same_name(left: str, right: str) -> bool:
    """One name spelled two ways ("Zaporizhia"/"Zaporihia", "Severskyi"/"Siverskyi",
    "Transnistria"/"Transnistrian", "Mayorsk"/"Maiorsk"): most of their trigrams shared,
    romanisation's variants made equal; a name with its declared short form ("dnr|…") matches
    either."""
    if left == right:
        return True
    if "|" in left or "|" in right:
        return any(_same_name(one, other) for one in left.split("|") for other in right.split("|"))
    return jaccard(_spelling(left), _spelling(right)) >= NAME_SPELLING or (
        _surname_of(left, right) or _surname_of(right, left)
    )


# The first word of a place's name that makes it another place than the last word alone:
# "Vesela Dolyna" is not "Dolyna", "Nova Kakhovka" not "Kakhovka", "Upper Dale" not "Dale".
_PLACE_FIRST_WORD = re.compile(
    r"(?:nov|star|velyk|velik|mal|vesel|bil|chorn|krasn|chervon|zelen|zolot|myrn|mirn|verkhn"
    r"|nyzhn|nizhn|kryv|sukh|dovh|shyrok|vysok|ternov)(?:a|e|i|o|y|yi|yy|iy|ii|aya|oye|oe|ye)?"
    r"|upper|lower|new|old|north|south|east|west|northern|southern|eastern|western|great"
    r"|greater|little|big|san|santa|st|saint|fort|port|mount|lake|cape"
)


def _surname_of(full: str, single: str) -> bool:
    """A person's full name and their last name alone ("hillary_clinton"/"clinton",
    "colonel_general_aleksandr_lapin"/"lapin"), not a place and the last word of its name."""
    if "_" not in full or "_" in single or len(single) < 4:
        return False
    words = full.split("_")
    return (
        len(words) <= 5
        and not _PLACE_FIRST_WORD.fullmatch(words[0])
        and _spelling(words[-1]) == _spelling(single)
    )


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


def names_within(shorter: str, longer: str) -> bool:
    """Every name of the one also in the other (in any of its spellings)."""
    rest = set(longer.split())
    for name in shorter.split():
        match = next((other for other in rest if _same_name(name, other)), None)
        if match is None:
            return False
        rest.discard(match)
    return True


def _longer_names(shorter: str, longer: str) -> bool:
    """The names a longer version may have: the shorter's all, and more only beside most of
    them or beside none ("repelled an attack on Eastham" is not "… on Eastham, Northville,
    Oakfield and Marsh")."""
    return names_within(shorter, longer) and (
        not shorter or names_shared(shorter, longer) >= NAMES_SHARED
    )


def _contained(shorter: tuple[str, ...], longer: tuple[str, ...]) -> float:
    """The share of the shorter's word pairs (in order) found in the longer; 0 when a number
    of the shorter stands among other words there ("repelled 7 attacks" is not in "repelled 4
    attacks and destroyed 7 tanks")."""
    pairs = list(pairwise(shorter))
    found = set(pairwise(longer))
    if any(pair not in found for pair in pairs if pair[0][0].isdigit() or pair[1][0].isdigit()):
        return 0.0
    return sum(pair in found for pair in pairs) / len(pairs)


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

    @cached_property
    def failed(self) -> bool:
        return failed(self.key)

    @cached_property
    def words(self) -> tuple[str, ...]:
        return tuple(self.key.split())

    @cached_property
    def side(self) -> str:
        """The side whose forces the claim is about, when its first words say ("that Russian
        forces …": "russian"); "" otherwise."""
        for word, following in pairwise(self.words[:5]):
            side = _SIDES.get(word)
            if side and following in _FORCES:
                return side
        return ""

    def comparable(self, other: ClaimKey) -> bool:
        """Could be the same claim at all: same speaker, type and polarity, both or neither
        saying an action failed ("unsuccessfully attempted to advance" is not "did not
        attempt to advance"), and, unless an attack failed (which the defenders "repelled"),
        about the forces of one side ("Russian forces defended positions in Lyman" is not
        "Ukrainian forces established positions in Lyman")."""
        return (
            self.speaker_id == other.speaker_id
            and self.claim_type == other.claim_type
            and self.polarity == other.polarity
            and self.failed == other.failed
            and (self.failed or not (self.side and other.side) or self.side == other.side)
        )

    def similarity(self, other: ClaimKey) -> float:
        """Trigram Jaccard when the numbers are the same and most names shared, or when one is
        a longer version stating more numbers (see `numbers_added`; resolved speakers only);
        or, when one is a longer version holding the other's words (see CONTAINED), the share
        of the shorter in the longer."""
        if not self.comparable(other):
            return 0.0
        score = 0.0
        if signatures_agree(self.signature, other.signature):
            if names_shared(self.names, other.names) >= NAMES_SHARED:
                score = jaccard(self.grams, other.grams)
        elif self.speaker_id is not None:
            # At most one way round adds numbers (the fewer's are a strict subset).
            for fewer, more in ((self, other), (other, self)):
                if numbers_added(fewer, more):
                    if _longer_names(fewer.names, more.names):
                        score = jaccard(self.grams, other.grams)
                    break
        shorter, longer = (self, other) if len(self.words) <= len(other.words) else (other, self)
        # The longer may add names to none, but not turn one place into a list of five.
        if (
            self.speaker_id is not None
            and len(shorter.words) > 1
            and set(shorter.signature.split()) <= set(longer.signature.split())
            and _longer_names(shorter.names, longer.names)
        ):
            contained = _contained(shorter.words, longer.words)
            if contained >= CONTAINED:
                score = max(score, contained)
        return score

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
    could hold the claim. The numbers are not in the scope: a longer version of a claim may
    state more of them."""
    scope = f"{claim.speaker_id}|{claim.claim_type}|{claim.polarity}"
    rows = minhash(claim.grams).reshape(BANDS, ROWS)
    with np.errstate(over="ignore"):
        combined = _BAND_NUMBERS + np.uint64(_stable_hash(scope))
        for column in range(ROWS):
            combined = _mix(combined ^ rows[:, column])
    hashes: list[int] = combined.view(np.int64).tolist()
    key = _stable_hash(f"{scope}|key|{claim.key}")
    hashes.append(key - (1 << 64) if key >= 1 << 63 else key)
    return hashes
