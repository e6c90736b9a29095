"""Direct quotes: fit statement spans to their quote marks, and attribute the quotes that
the parse left without a cue ("“…,” he said." after a multi-sentence quote, "X said:",
a quoted paragraph continuing the previous speaker)."""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any

from .cues import VERB_CUES, verb_claim_type, verb_cue_class
from .quotes import QuoteSpan
from .reported import (
    Candidate,
    Quotes,
    cue_text,
    is_negated,
    plausible_speaker,
    speaker_phrase,
    subject_of,
)

# “…” ― Azucena Gonzalez  (a quote signed with a dash, as in reader comments)
_DASH_SIGNATURE = re.compile(r"[ \t\u00a0]*[―—–][ \t\u00a0]*(?=[A-Z])")
# WALLACE: If I may …  /  Sanders: Clinton needs …  (transcripts and headline attributions)
_COLON_SPEAKER = re.compile(
    r"^[ \t\u00a0\"“]*((?:[A-Z][\w.'’-]*)(?: [A-Z][\w.'’-]*){0,3}):[ \t\u00a0]+(?=\S)",
    re.MULTILINE,
)
# Words a headline capitalizes but a name does not contain.
_TITLE_CASE_FUNCTION_WORDS = frozenset(
    {"Over", "Of", "For", "And", "The", "To", "In", "With", "On", "At", "From", "By", "Is", "Are"}
)
_NOT_NAMES = frozenset(
    {
        "Update",
        "Note",
        "Editor",
        "Photo",
        "Related",
        "Read",
        "Watch",
        "Source",
        "Sources",
        "Advertisement",
        "Correction",
        "Q",
        "A",
        "Video",
        "Subscribe",
    }
)
_SENTENCE_END = frozenset({".", "!", "?"})
_MIN_QUOTE_WORDS = 4  # shorter quoted bits are names or scare quotes, not statements
_CUE_WINDOW = 8  # tokens between a quote and its "he said"


def align_with_quotes(text: str, candidates: list[Candidate], quotes: Quotes) -> None:
    """Grow each content over the quotes it overlaps and set its kind."""
    for candidate in candidates:
        overlapping = [
            q
            for q in quotes.overlapping(candidate.start, candidate.end)
            if not q.start <= candidate.cue_start < q.end
        ]
        if not overlapping:
            candidate.kind = "indirect"
            continue
        candidate.start = min(candidate.start, overlapping[0].start)
        candidate.end = max(candidate.end, overlapping[-1].end)
        candidate.kind = "direct" if _all_quoted(text, candidate, overlapping) else "mixed"


def _all_quoted(text: str, candidate: Candidate, quotes: list[QuoteSpan]) -> bool:
    """Whether only punctuation and the speaker's own cue lie outside the quote marks."""
    position = candidate.start
    outside: list[str] = []
    for quote in quotes:
        outside.append(text[position : quote.start])
        position = max(position, quote.end)
    outside.append(text[position : candidate.end])
    rest = "".join(outside)
    if quotes and len(quotes) > 1 and candidate.cue_start >= quotes[0].end:
        # "“A,” he said, “B.”": the interrupting cue clause is not content.
        rest = rest.replace(text[candidate.cue_start : candidate.cue_end], "")
        return len([w for w in rest.split() if w.strip(",.;:—–-")]) <= 4
    return not any(ch.isalnum() for ch in rest)


class QuoteAttacher:
    """Attributes quotes that no cue-verb complement covered."""

    def __init__(
        self, doc: Any, quotes: Quotes, candidates: list[Candidate], used_cues: set[int]
    ) -> None:
        self.doc = doc
        self.text: str = doc.text
        self.quotes = quotes
        self.candidates = candidates
        self.used_cues = used_cues
        self._token_starts = [t.idx for t in doc]

    def _token_at(self, position: int) -> int:
        """Index of the first token starting at or after `position`."""
        return bisect_left(self._token_starts, position)

    def run(self) -> list[Candidate]:
        covered = sorted((c.start, c.end) for c in self.candidates)
        covered_starts = [start for start, _ in covered]
        ordered = sorted(self.candidates, key=lambda c: c.start)
        ordered_starts = [c.start for c in ordered]
        for line in self._colon_speakers():
            if not self._covered_span(line.start, line.end, covered, covered_starts):
                self.candidates.append(line)
                at = bisect_left(ordered_starts, line.start)
                ordered.insert(at, line)
                ordered_starts.insert(at, line.start)
        for quote in self.quotes.spans:
            if self._covered(quote, covered, covered_starts):
                continue
            found: Candidate | None = (
                self._cue_after(quote) or self._cue_before(quote) or self._signed(quote)
            )
            if found is None and quote.words(self.text) >= _MIN_QUOTE_WORDS:
                found = self._continuation(quote, ordered, ordered_starts)
            if found is not None:
                self.candidates.append(found)
                at = bisect_left(ordered_starts, found.start)
                ordered.insert(at, found)
                ordered_starts.insert(at, found.start)
        return self.candidates

    @staticmethod
    def _covered_span(
        start: int, end: int, covered: list[tuple[int, int]], starts: list[int]
    ) -> bool:
        at = bisect_left(starts, end)
        return any(
            covered[index][0] < end and covered[index][1] > start
            for index in range(at - 1, max(-1, at - 8), -1)
        )

    def _speaker_candidate(
        self,
        name_start: int,
        name_end: int,
        start: int,
        end: int,
        cue: tuple[str, int, int],
        rule: str,
    ) -> Candidate | None:
        """A statement whose speaker is a bare name at `name_start:name_end` (no verb)."""
        first = self._token_at(name_start)
        last = self._token_at(name_end)
        if first >= last or first >= len(self.doc):
            return None
        head = self.doc[last - 1]
        if not plausible_speaker(head) or not any(ch.isalpha() for ch in self.text[start:end]):
            return None
        sentence = self.doc[first].sent
        return Candidate(
            cue=cue[0],
            cue_start=cue[1],
            cue_end=cue[2],
            cue_class="assert",
            speaker_tokens=(first, last),
            start=start,
            end=end,
            kind="direct",
            sentence_start=min(sentence.start_char, start),
            sentence_end=max(sentence.end_char, end),
            confidence=0.75,
            speaker_head=head.i,
            rule=rule,
        )

    def _signed(self, quote: QuoteSpan) -> Candidate | None:
        """“…” ― Name: a quote signed with a dash and a name on the same line."""
        match = _DASH_SIGNATURE.match(self.text, quote.end)
        if match is None:
            return None
        line_end = self.text.find("\n", match.end())
        line_end = len(self.text) if line_end == -1 else line_end
        name_end = match.end()
        while name_end < line_end and self.text[name_end] not in ",;(":
            name_end += 1
        name_end = len(self.text[:name_end].rstrip(" .\u00a0"))
        if not 0 < name_end - match.end() <= 60:
            return None
        dash = self.text[match.start() : match.end()].strip()
        position = self.text.index(dash, match.start())
        return self._speaker_candidate(
            match.end(),
            name_end,
            quote.start,
            quote.end,
            (dash, position, position + len(dash)),
            "quote.signed",
        )

    def _colon_speakers(self) -> list[Candidate]:
        """Lines opening with "NAME: …" attribute the rest of the line to NAME."""
        found = []
        for match in _COLON_SPEAKER.finditer(self.text):
            name = match.group(1)
            if name.split()[0] in _NOT_NAMES or name.isdigit():
                continue
            if any(word in _TITLE_CASE_FUNCTION_WORDS for word in name.split()[1:]):
                continue  # "Stealth Over Health: …" is a headline, not a speaker
            line_end = self.text.find("\n", match.end())
            line_end = len(self.text) if line_end == -1 else line_end
            start, end = match.end(), line_end
            while end > start and self.text[end - 1] in " \t\u00a0.":
                end -= 1
            if len(self.text[start:end].split()) < 3:
                continue
            colon = match.end(1)
            candidate = self._speaker_candidate(
                match.start(1),
                match.end(1),
                start,
                end,
                (":", colon, colon + 1),
                "quote.colon_line",
            )
            if candidate is not None:
                found.append(candidate)
        return found

    @staticmethod
    def _covered(quote: QuoteSpan, covered: list[tuple[int, int]], starts: list[int]) -> bool:
        at = bisect_left(starts, quote.end)
        for index in range(at - 1, max(-1, at - 8), -1):
            start, end = covered[index]
            if start < quote.end and end > quote.start:
                overlap = min(end, quote.end) - max(start, quote.start)
                if overlap * 2 >= quote.end - quote.start:
                    return True
        return False

    def _candidate(
        self, verb: Any, quote: QuoteSpan, confidence: float, rule: str
    ) -> Candidate | None:
        subject = subject_of(verb)
        if subject is not None and self.quotes.containing(subject.idx) is not None:
            subject = None  # a quote or a quoted title ("on “Fox and Friends”") never speaks
        if subject is None and verb.idx >= quote.end:
            # “…,” Tulsa police Chief Chuck Jordan said: the parser hung "said" on the
            # quote's verb, so take the noun right before the cue (a name if there is one:
            # “…,” Flynn, a top Trump surrogate, said).
            first = self._token_at(quote.end)
            nouns = [t for t in self.doc[first : verb.i] if t.pos_ in ("PROPN", "NOUN", "PRON")]
            people = [t for t in nouns if t.ent_type_ == "PERSON"]
            subject = people[-1] if people else nouns[-1] if nouns else None
        if subject is None or not plausible_speaker(subject):
            return None
        sentence = verb.sent
        cue = cue_text(verb)
        self.used_cues.add(verb.i)
        return Candidate(
            cue=cue[0],
            cue_start=cue[1],
            cue_end=cue[2],
            cue_class=verb_cue_class(verb.lemma_, is_negated(verb)),
            speaker_tokens=speaker_phrase(subject),
            start=quote.start,
            end=quote.end,
            kind="direct",
            sentence_start=min(sentence.start_char, quote.start),
            sentence_end=max(sentence.end_char, quote.end),
            confidence=confidence,
            speaker_head=subject.i,
            rule=rule,
            type=verb_claim_type(verb.lemma_),
        )

    def _is_cue(self, token: Any) -> bool:
        return (
            token.pos_ == "VERB"
            and token.lemma_ in VERB_CUES
            and token.i not in self.used_cues
            and self.quotes.containing(token.idx) is None
        )

    def _cue_after(self, quote: QuoteSpan) -> Candidate | None:
        """“…,” Mr. Lukashenko said. / “…,” said Caddell."""
        first = self._token_at(quote.end)
        counted = depth = 0
        index = first - 1
        while counted < _CUE_WINDOW and index + 1 < len(self.doc):
            index += 1
            token = self.doc[index]
            # "Rep. Elijah E. Cummings (D-Md.) said": a parenthesised affiliation is free.
            if token.text == "(":
                depth += 1
            elif token.text == ")" and depth:
                depth -= 1
            elif not depth:
                counted += 1
            if depth > 2 or index - first > 3 * _CUE_WINDOW:
                return None
            if token.is_quote and token.idx >= quote.end and index > first:
                return None
            if token.text in _SENTENCE_END and index > first:
                return None
            if "\n" in token.text:
                return None
            if self._is_cue(token):
                return self._candidate(token, quote, 0.85, "quote.cue_after")
        return None

    def _cue_before(self, quote: QuoteSpan) -> Candidate | None:
        """He said: “…” / Caddell continued:\\n“…”"""
        last = self._token_at(quote.start) - 1
        if last < 0:
            return None
        doc = self.doc
        index = last
        while index >= 0 and doc[index].is_space:
            index -= 1
        if index < 0 or doc[index].text not in (":", ",", "—"):
            return None
        for back in range(index - 1, max(-1, index - _CUE_WINDOW), -1):
            token = doc[back]
            if token.text in _SENTENCE_END or token.is_quote:
                break
            if self._is_cue(token):
                return self._candidate(token, quote, 0.85, "quote.cue_before")
        if doc[index].text == ":" and index > 0:
            return self._named_before_colon(doc[index - 1], quote, doc[index])
        return None

    def _named_before_colon(self, name: Any, quote: QuoteSpan, colon: Any) -> Candidate | None:
        """ "A lesson from Loretta Lynch: ‘Be the voice …’": a person named right before the
        colon that opens a quote on the same line is its speaker (headlines, captions)."""
        if name.ent_type_ != "PERSON" or "\n" in self.text[colon.idx : quote.start]:
            return None
        first = name.i
        while first > 0 and self.doc[first].ent_iob_ == "I":
            first -= 1
        return self._speaker_candidate(
            self.doc[first].idx,
            name.idx + len(name.text),
            quote.start,
            quote.end,
            (":", colon.idx, colon.idx + 1),
            "quote.name_colon",
        )

    def _continuation(
        self, quote: QuoteSpan, ordered: list[Candidate], starts: list[int]
    ) -> Candidate | None:
        """A quote standing as its own sentence(s) right after a statement continues it."""
        text = self.text
        paragraph_start = text.rfind("\n", 0, quote.start) + 1
        lead = text[paragraph_start : quote.start].strip()
        interrupted = lead.endswith(",")
        if lead and lead[-1] not in '.!?”"’' and not interrupted:
            return None
        after = text[quote.end : quote.end + 3].lstrip(" ")
        if after and after[0].isalpha():
            return None
        previous = None
        at = bisect_left(starts, quote.start)
        for index in range(at - 1, max(-1, at - 6), -1):
            if ordered[index].end <= quote.start:
                previous = ordered[index]
                break
        if previous is None:
            return None
        gap = text[previous.end : quote.start]
        if gap.count("\n") > 2 or len(gap) > 400:
            return None
        if (
            "\n" not in gap
            and previous.kind == "direct"
            and not _has_statement_between(previous, quote, starts)
        ):
            # Same paragraph: “A,” he said. “B.” is one statement.
            previous.end = quote.end
            previous.sentence_end = max(previous.sentence_end, quote.end)
            return None
        if len(gap.strip()) > 80:
            return None
        if interrupted:
            # “On this basis,” Zero Hedge said, “true …”: one quote around its cue.
            if previous.kind == "direct" and "\n" not in gap and previous.cue_start >= previous.end:
                previous.end = quote.end
                previous.sentence_end = max(previous.sentence_end, quote.end)
            return None
        return Candidate(
            cue=previous.cue,
            cue_start=previous.cue_start,
            cue_end=previous.cue_end,
            cue_class=previous.cue_class,
            speaker_tokens=previous.speaker_tokens,
            start=quote.start,
            end=quote.end,
            kind="direct",
            sentence_start=quote.start,
            sentence_end=quote.end,
            confidence=previous.confidence * 0.7,
            speaker_head=previous.speaker_head,
            continues=previous,
            rule="quote.continuation",
            type=previous.type,
        )


def _has_statement_between(previous: Candidate, quote: QuoteSpan, starts: list[int]) -> bool:
    """Whether another statement starts between `previous` and the quote."""
    at = bisect_left(starts, previous.end)
    return at < len(starts) and starts[at] < quote.start
