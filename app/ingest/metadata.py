"""An article's title, address and date when the file does not state them plainly: the page's
headline when its metadata gives only the site's name, a wire dateline ("MINSK, Dec. 21, 2022
(Reuters) —"), a date line under the title ("December 16, 6:00 pm ET", the year from the rest
of the page), or a metadata file beside the article."""

import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

_SPACE = re.compile(r"\s+")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# "MINSK, Dec. 21, 2022 (Reuters) -" / "KYIV, Ukraine, December 21 —": a place in capitals,
# then the date, then a dash or an agency in brackets.
_DATELINE = re.compile(
    rf"^[A-Z][A-Z .'’-]{{1,40}}(?:,\s*[A-Z][A-Za-z .'’-]{{1,30}})?,\s*"
    rf"(?P<date>{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?)\s*(?:\([^)]{{1,40}}\)\s*)?[-–—―]"
)
# A line that is only a date, perhaps with a time and an outlet: "December 16, 6:00 pm ET",
# "The Daily, 2022-12-15", "March 11, 2022".
_DATE_LINE = re.compile(
    rf"^(?:[^,\n]{{1,60}},\s*)?(?P<date>{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}})"
    r"(?:,?\s+\d{1,2}(?::\d{2})?\s*[ap]\.?m\.?(?:\s+[A-Z]{2,4})?)?\s*$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
# How far into the body a dateline or date line may stand.
_HEAD_LINES = 4


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _parse(phrase: str, year: int | None) -> datetime | None:
    import dateparser

    has_year = bool(_YEAR.search(phrase))
    if not has_year and year is None:
        return None  # a day without a year is no date; never guess the current year
    settings: dict[str, Any] = {"REQUIRE_PARTS": ["day", "month"], "PREFER_DAY_OF_MONTH": "first"}
    if not has_year:
        phrase = f"{phrase.rstrip(',')} {year}"
    parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
    if parsed is None:
        return None
    return datetime(parsed.year, parsed.month, parsed.day, tzinfo=UTC)


def context_year(text: str) -> int | None:
    """The year a text is most likely from: the one it names most often."""
    years = Counter(int(year) for year in _YEAR.findall(text))
    return years.most_common(1)[0][0] if years else None


def date_in_text(body: str, year: int | None = None) -> datetime | None:
    """The date a dateline or a date line near the top of the body gives."""
    lines = [line.strip() for line in body.splitlines() if line.strip()][:_HEAD_LINES]
    for line in lines:
        match = _DATELINE.match(line) or _DATE_LINE.match(line)
        if match:
            found = _parse(match.group("date"), year if year else context_year(body))
            if found is not None:
                return found
    return None


def page_title(html: str, title: str | None, site_name: str | None) -> str | None:
    """The page's own headline when its metadata title is missing or only the site's name."""
    shown = _clean(title or "")
    site = _clean(site_name or "").casefold()
    if shown and shown.casefold() != site:
        return shown
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, TypeError):  # lxml's errors for empty or odd documents
        return shown or None
    for heading in tree.iter("h1"):
        text = _clean(heading.text_content())
        if text and text.casefold() != site:
            return text[:500]
    for element in tree.iter("title"):
        text = _clean(element.text_content())
        # "Headline | Site" or "Headline - Site": the headline.
        for separator in (" | ", " – ", " — ", " - "):
            head, _, tail = text.rpartition(separator)
            if head and (not site or tail.casefold() == site):
                return head
        if text and text.casefold() != site:
            return text
    return shown or None


def article_url(url: str | None) -> str | None:
    """A page's address, unless it is only its site's front page (a canonical link that
    names the site, not the article)."""
    if not url or not url.startswith(("http://", "https://")):
        return None
    parts = urlsplit(url)
    if parts.path in ("", "/") and not parts.query:
        return None
    return url


def sidecar(path: Path) -> Path:
    """The metadata file that may stand beside an article: `name.meta.yaml` for `name.txt`."""
    return path.with_name(path.stem + ".meta.yaml")
