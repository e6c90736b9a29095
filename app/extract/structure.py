"""The structure of analytical reports around their prose: endnote markers ("[12]"), the
endnote list, section headings, bylines and recurring notes, none of which is a claim."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Literal

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from .types import Reference

# "[12]" after a word or a full stop; "[12" where a page was cut off mid-marker.
MARKER = re.compile(r"\[(\d{1,3})(?:\]|(?![\w.,]))")
_MARKER_TOKEN = re.compile(r"\[\d{1,3}\]?")
_MARKERS_AT_END = re.compile(r"(?:\s*\[\d{1,3}\]?)+\s*$")
_MARKERS_AT_START = re.compile(r"^\s*(?:\[\d{1,3}\]\s*)+")
_MARKERS_AFTER = re.compile(r"[\s\"”’)]*((?:\[\d{1,3}(?:\]|(?![\w.,]))\s*)+)")
# A full stop (perhaps inside closing quotes) followed by markers: a sentence ends there.
_END_BEFORE_MARKERS = re.compile(
    r"[.!?][\"”’)]*(?=\s*\[\d{1,3}\])|(?<=\w)(?=(?:\[\d{1,3}\])+[A-Z])"
)
_SENTENCE_FINAL = frozenset({".", "!", "?", "”", '"', "’", ")"})

# Tokenizer patterns: a marker is its own token, and the full stop before it is split off.
_MARKER_AFFIXES = (r"\[\d{1,3}\]", r"\[\d{1,3}(?=$)")
_MARKER_INFIXES = (r"\[\d{1,3}\]", r"(?<=[\w\"”’)])[.!?](?=\[\d{1,3}\])")


def split_markers(nlp: Language) -> None:
    """Make "Belarus.[4]", "[12][13]The" and a cut "Kyiv.[32" tokenise as word, stop and
    marker, so that a marker never glues two sentences into one token."""
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer):
        return  # a custom tokenizer keeps its own rules
    defaults = nlp.Defaults
    tokenizer.prefix_search = compile_prefix_regex(
        (_MARKER_AFFIXES[0], *(defaults.prefixes or ()))
    ).search
    tokenizer.suffix_search = compile_suffix_regex(
        (*_MARKER_AFFIXES, *(defaults.suffixes or ()))
    ).search
    tokenizer.infix_finditer = compile_infix_regex(
        (*_MARKER_INFIXES, *(defaults.infixes or ()))
    ).finditer


def is_marker(text: str) -> bool:
    return _MARKER_TOKEN.fullmatch(text) is not None


@Language.component("claimtracker_endnote_markers")
def endnote_markers(doc: Doc) -> Doc:
    """Markers after a full stop, or glued to the next sentence ("Kyiv[3]The"), belong to
    the sentence they close and the next word starts a new one (the parser otherwise reads
    "…in Belarus.[4] Russian forces" as one sentence)."""
    i = 1
    while i < len(doc):
        if not is_marker(doc[i].text):
            i += 1
            continue
        first = i
        while i < len(doc) and is_marker(doc[i].text):
            i += 1
        previous, following = doc[first - 1], doc[i] if i < len(doc) else None
        closes = previous.text[-1:] in _SENTENCE_FINAL
        glued = (
            following is not None and not doc[i - 1].whitespace_ and following.text[:1].isupper()
        )
        if "\n" in previous.whitespace_ or not (closes or glued):
            continue
        for marker in doc[first:i]:
            marker.is_sent_start = False
        if following is not None and not (following.is_space or following.is_punct):
            following.is_sent_start = True
    return doc


def trim_markers(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without endnote markers at either end, and stopped at a sentence that
    closes with markers inside it ("…in Belarus.[4] ISW assesses …" ends at "Belarus")."""
    inner = _END_BEFORE_MARKERS.search(text, start, end)
    while inner is not None:
        after = _MARKERS_AFTER.match(text, inner.end(), end)
        rest = text[after.end() if after else inner.end() : end]
        # No quotation holds a marker: one open across it was left unclosed by its source.
        if rest.strip():
            end = inner.start()
            break
        inner = _END_BEFORE_MARKERS.search(text, inner.start() + 1, end)
    span = text[start:end]
    head = _MARKERS_AT_START.match(span)
    if head:
        start += head.end()
        span = text[start:end]
    tail = _MARKERS_AT_END.search(span)
    if tail:
        end = start + tail.start()
    while end > start and text[end - 1] in " \t\n,;:":
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def citations(text: str, sentence_start: int, sentence_end: int) -> tuple[int, ...]:
    """Endnote numbers a sentence cites: markers inside it and the run right after it."""
    numbers = [int(m.group(1)) for m in MARKER.finditer(text, sentence_start, sentence_end)]
    after = _MARKERS_AFTER.match(text, sentence_end)
    if after:
        numbers.extend(int(m.group(1)) for m in MARKER.finditer(after.group(1)))
    return tuple(dict.fromkeys(numbers))


# ------------------------------------------------------------------ lines that are not prose
LineKind = Literal["endnote", "heading", "byline", "note"]
_ENDNOTE_LINE = re.compile(r"[ \t]*\[(\d{1,3})\][ \t]*(.*)")
_URL_START = re.compile(r"(?:https?:/|www\.|[\w-]+(?:\.| dot )[a-z]{2,}(?:\.[a-z]{2,})?/)", re.I)
# A line ends a sentence when its last mark (before closing quotes, brackets and markers)
# is a full stop, a question or exclamation mark, or a clause mark.
_PROSE_END = re.compile(r"(?:[.!?:;,][\"“”‘’')\]]*|[\"“”‘’])(?:\s*\[\d{1,3}\]?)*\s*$")
# A sentence closing inside the line ("“…,” ― a signature", "Text. More text"): prose.
_SENTENCE_INSIDE = re.compile(r"[a-z][.!?][\"“”‘’')]*\s+[A-Z\"“]|[\"“”][ \t\u00a0]*[―—–-]")
_HEADING_CHARS = 300
# Recurring notes of a report's page about the report itself, not about the world.
_NOTE = re.compile(
    r"""[-–•\s]*(?:
        (?:editor['’]s\ )?note\s*:\s*(?:isw|we|our)\b
      | click\ here\b
      | we\ do\ not\ (?:report|cover)\b
      | (?:isw|we)\ will\ (?:continue\ to|report|publish|provide|update|cover)\b
      | satellite\ image\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_NAME_PART = r"[A-Z][\w’'.-]*(?:\ [A-Z][\w’'.-]*){1,3}"
_BYLINE = re.compile(rf"(?:by\ )?{_NAME_PART}(?:,\ {_NAME_PART})*(?:,?\ and\ {_NAME_PART})?")


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    kind: LineKind


class ReportLayout:
    """The lines of a text that are report structure, looked up by character offset."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[Line] = []
        self.references: list[Reference] = []
        start = last_line = 0
        for raw in text.split("\n"):
            end = start + len(raw)
            kind = self._kind(raw)
            if kind is not None:
                self.lines.append(Line(start, end, kind))
            if raw.strip():
                last_line = start
            start = end + 1
        if self.lines and self.lines[-1].kind == "heading" and self.lines[-1].start == last_line:
            self.lines.pop()  # a heading heads something: the last line of a text is prose
        self._starts = [line.start for line in self.lines]

    def _kind(self, raw: str) -> LineKind | None:
        line = raw.strip()
        if not line:
            return None
        endnote = _ENDNOTE_LINE.fullmatch(raw)
        if endnote is not None:
            number = int(endnote.group(1))
            self.references.extend(Reference(number, url) for url in _urls(endnote.group(2)))
            return "endnote"
        if _NOTE.match(line):
            return "note"
        if "," in line and _BYLINE.fullmatch(line):
            return "byline"
        if _PROSE_END.search(line) or _SENTENCE_INSIDE.search(line):
            return None
        return "heading" if len(line) <= _HEADING_CHARS else None

    def kind_at(self, position: int) -> LineKind | None:
        """The kind of structure line holding position, or None in prose."""
        at = bisect_right(self._starts, position) - 1
        if at >= 0 and self.lines[at].start <= position <= self.lines[at].end:
            return self.lines[at].kind
        return None

    def not_prose(self, position: int) -> bool:
        return self.kind_at(position) is not None


def _urls(entry: str) -> list[str]:
    """The addresses of one endnote ("https://…; https://…", "Title. https://…")."""
    found = []
    for item in re.split(r"\s*;\s*|\s+(?=https?:)", entry.strip()):
        match = _URL_START.search(item)
        if match is None:
            continue
        url = item[match.start() :] if match.start() == 0 else item[match.start() :].split()[0]
        url = url.rstrip(" .,")
        if len(url) > 8:
            found.append(url[:2000])
    return found
