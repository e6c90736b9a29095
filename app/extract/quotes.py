"""Quotation-mark spans in raw text, for every common quote style, across paragraphs."""

from __future__ import annotations

from dataclasses import dataclass

# Opening mark -> the closing marks that may end it (typographic quotes are often mis-paired).
_PAIRS: dict[str, str] = {
    "“": '”“"',
    "„": "“”",
    "«": "»",
    "»": "«",
    "‘": "’",
    '"': '"”',
    "”": "”",  # a right quote used as opener in some feeds
}
_LETTERS_BEFORE_OPEN = set(" \t\n([{—–-/:;,")


@dataclass(frozen=True)
class QuoteSpan:
    """A quoted passage: `start`/`end` include the marks, `inner_*` exclude them."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    closed: bool

    def words(self, text: str) -> int:
        """Number of words inside the marks."""
        return len(text[self.inner_start : self.inner_end].split())


def _is_opener(text: str, i: int) -> bool:
    ch = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if ch in "“„«":
        return not after.isspace()
    if ch == "»":
        return False
    if ch in "‘":
        return before in _LETTERS_BEFORE_OPEN and not after.isspace()
    if ch in '"”':
        return (before in _LETTERS_BEFORE_OPEN or before in "“‘'") and not after.isspace()
    return False


def _is_closer(text: str, i: int, opener: str) -> bool:
    ch = text[i]
    if ch not in _PAIRS.get(opener, ""):
        return False
    if ch == "’":
        # An apostrophe inside a word ("don’t", "Russia’s") is not a closing quote.
        after = text[i + 1] if i + 1 < len(text) else " "
        return not after.isalnum()
    return True


def _double_apostrophe(text: str, i: int) -> bool:
    return text.startswith("''", i) and not text.startswith("'''", i)


def find_quotes(text: str) -> list[QuoteSpan]:
    """All quoted passages in order; an unclosed quote runs to its paragraph's end and a
    quote reopened at the start of the next paragraph continues it (news convention)."""
    spans: list[QuoteSpan] = []
    i, n = 0, len(text)
    opener: str | None = None
    open_at = 0
    while i < n:
        ch = text[i]
        if ch == "\n" and opener is not None:
            # Paragraph end inside a quote: close it here, marked unclosed.
            end = i
            while end > open_at and text[end - 1].isspace():
                end -= 1
            spans.append(QuoteSpan(open_at, end, open_at + len(opener), end, closed=False))
            opener = None
        elif opener is None:
            if ch == "'" and _double_apostrophe(text, i):
                before = text[i - 1] if i > 0 else " "
                if before in _LETTERS_BEFORE_OPEN:
                    opener, open_at = "''", i
                    i += 2
                    continue
            elif ch in _PAIRS and _is_opener(text, i):
                opener, open_at = ch, i
        elif opener == "''":
            if _double_apostrophe(text, i):
                spans.append(QuoteSpan(open_at, i + 2, open_at + 2, i, closed=True))
                opener = None
                i += 2
                continue
        elif _is_closer(text, i, opener):
            spans.append(QuoteSpan(open_at, i + 1, open_at + 1, i, closed=True))
            opener = None
        i += 1
    if opener is not None:
        end = n
        while end > open_at and text[end - 1].isspace():
            end -= 1
        spans.append(QuoteSpan(open_at, end, open_at + len(opener), end, closed=False))
    return _join_paragraph_runs(text, [s for s in spans if s.inner_end > s.inner_start])


def _join_paragraph_runs(text: str, spans: list[QuoteSpan]) -> list[QuoteSpan]:
    """Join an unclosed quote with the quote that reopens the next paragraph."""
    joined: list[QuoteSpan] = []
    for span in spans:
        if joined and not joined[-1].closed:
            previous = joined[-1]
            gap = text[previous.end : span.start]
            if gap.strip() == "" and "\n" in gap:
                joined[-1] = QuoteSpan(
                    previous.start, span.end, previous.inner_start, span.inner_end, span.closed
                )
                continue
        joined.append(span)
    return joined
