"""Name normalisation for matching actors within and across articles."""

from __future__ import annotations

import re
import unicodedata

# Titles and honorifics dropped from the front of a name; multi-word ones are matched first.
TITLES: tuple[str, ...] = (
    "prime minister",
    "vice president",
    "deputy prime minister",
    "foreign minister",
    "defense minister",
    "defence minister",
    "secretary of state",
    "defense secretary",
    "attorney general",
    "first lady",
    "house speaker",
    "speaker",
    "president",
    "presidentelect",
    "chancellor",
    "minister",
    "secretary",
    "senator",
    "sen",
    "rep",
    "representative",
    "congressman",
    "congresswoman",
    "gov",
    "governor",
    "mayor",
    "gen",
    "general",
    "lt",
    "col",
    "colonel",
    "maj",
    "adm",
    "admiral",
    "capt",
    "sgt",
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "rev",
    "judge",
    "justice",
    "ambassador",
    "spokesman",
    "spokeswoman",
)
# A title followed by one of these names an institution ("the General Staff"), not a person.
_TITLED_INSTITUTIONS = frozenset({"staff", "assembly", "council", "secretariat", "directorate"})
_TITLE_TOKENS = sorted((t.split() for t in TITLES), key=len, reverse=True)
_POSSESSIVE = re.compile(r"['’]s?$")
_NON_WORD = re.compile(r"[^\w\s-]+")


def strip_accents(text: str) -> str:
    """Remove combining accents ("Zelenskyy" stays, "Peña" becomes "Pena")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_tokens(name: str) -> list[str]:
    """Lower-cased word tokens of a name without title, possessive or middle initials."""
    text = strip_accents(name).casefold().replace("’", "'").strip()
    text = _POSSESSIVE.sub("", text.rstrip(",;: "))
    text = text.replace(".", "")
    tokens = _NON_WORD.sub(" ", text).replace("-", " ").split()
    if tokens and tokens[0] == "the":
        tokens = tokens[1:]
    stripped = True
    while stripped and len(tokens) > 1:
        stripped = False
        for title in _TITLE_TOKENS:
            if (
                len(tokens) > len(title)
                and tokens[: len(title)] == title
                and tokens[len(title)] not in _TITLED_INSTITUTIONS
                and tokens[len(title)] not in ("and", "or")  # "the mayor and the governor"
            ):
                tokens = tokens[len(title) :]
                stripped = True
                break
    if len(tokens) >= 3:
        # Middle initials ("vladimir v putin") carry no identity across articles.
        tokens = [tokens[0]] + [t for t in tokens[1:-1] if len(t) > 1] + [tokens[-1]]
    return tokens


def normalise_alias(name: str) -> str:
    """Casefolded, accent- and title-free form of a name for matching ("Mr. Putin" -> "putin")."""
    return " ".join(name_tokens(name))


def slugify(name: str) -> str:
    """URL-safe slug of a name: "Aleksandr G. Lukashenko" -> "aleksandr-g-lukashenko"."""
    text = strip_accents(name).casefold().replace("’", "").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


# Bounds of what names the extractor makes (the database keeps names in 300 characters).
MAX_NAME_CHARS = 80
MAX_NAME_WORDS = 8
MAX_ALIAS_CHARS = 200
_NOT_A_NAME = re.compile(
    r"https?:|www\.|\w\.(?:com|org|net|ru|ua|me|io|pub)\b|\bdot\b"  # an address
    r"|[\[\]{}|]"  # endnote markers, markup
    r"|\d+\s*(?:km|mi|kilometers|miles)\b",  # "33km north of …": a place list
)
_CONTRACTION = re.compile(r"^(?:n['’]t|['’]\w{0,2})$", re.IGNORECASE)


def junk_span(text: str) -> bool:
    """An address, a marker, a contraction or a list of places: never a speaker or an actor,
    named or described."""
    return _NOT_A_NAME.search(text) is not None or _CONTRACTION.match(text.strip()) is not None


def plausible_name(text: str) -> bool:
    """Whether a span can name an actor: not an address, marker, fragment, contraction or
    list ("Kucherske (33km …), Borozenske (36km …), …"), and of a name's length."""
    name = text.strip()
    letters = [ch for ch in name if ch.isalpha()]
    if len(letters) < 2 or len(name) > MAX_NAME_CHARS or _CONTRACTION.match(name):
        return False
    if len(name.split()) > MAX_NAME_WORDS or name.count(",") > 1 or _NOT_A_NAME.search(name):
        return False
    return any(ch.isupper() for ch in name)


# Short forms that news and reports write for whole institution names ("the Russian MoD").
ABBREVIATIONS: dict[str, str] = {
    "mod": "ministry of defense",
    "mfa": "ministry of foreign affairs",
    "dod": "department of defense",
    "mvd": "ministry of internal affairs",
}
_VOWELS = re.compile(r"[aeiouy]+")


def fold_token(token: str) -> str:
    """One word of a name with the spellings romanisation varies on made equal: "Oleksiy" and
    "Oleksii", "Aleksandr", "Alexander" and "Alyaksandr", "Shoigu" and "Shoygu", "Mykhailo"
    and "Myhailo" (x is ks, kh is h, a final -er is -r, and every run of vowels is one)."""
    word = token.replace("x", "ks").replace("kh", "h")
    if len(word) > 1 and word[0] == "y" and word[1] in "aeiou":
        word = word[1:]  # "Yevgeny" and "Evgeny"
    if word.endswith("er") and len(word) > 4:
        word = word[:-2] + "r"
    return _VOWELS.sub("a", word)


def fold_name(name: str) -> str:
    """A key under which spelling variants of one name meet ("Oleksii Reznikov" and "Oleksiy
    Reznikov", "the Russian MoD" and "the Russian Ministry of Defense"); used to match a
    mention to an actor when the normalised forms differ."""
    words: list[str] = []
    for token in name_tokens(name):
        words.extend(ABBREVIATIONS.get(token, token).split())
    return " ".join(fold_token(word) for word in words)


def variant_key(name: str) -> str | None:
    """fold_name() of a name long enough for its folded form to still tell it apart (a short
    surname such as "Kane" would meet "Kaine"); None otherwise."""
    folded = fold_name(name)
    return folded if " " in folded or len(folded) >= 6 else None
