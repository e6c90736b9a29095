"""Turning stored text into safe HTML: quoted parts, search matches and attributed spans."""

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from app.statements.listing import MATCH_START, MATCH_STOP

# A quotation inside a statement: curly or straight double quotes, never across a paragraph.
_QUOTED = re.compile(r"“[^”\n]*”?|\"[^\"\n]*\"?")
PALETTE_SIZE = 8


def _marks(text: str, open_mark: bool) -> tuple[str, bool]:
    """Escape text and turn match sentinels into <mark>, closing any mark left open."""
    out = [str(Markup("<mark>")) if open_mark else ""]
    for char_run in re.split(f"([{MATCH_START}{MATCH_STOP}])", text):
        if char_run == MATCH_START:
            if not open_mark:
                out.append("<mark>")
            open_mark = True
        elif char_run == MATCH_STOP:
            if open_mark:
                out.append("</mark>")
            open_mark = False
        else:
            out.append(str(escape(char_run)))
    if open_mark:
        out.append("</mark>")
    return "".join(out), open_mark


def render_content(content: str, headline: str | None = None) -> Markup:
    """A statement's words with quotations wrapped and search matches marked, all escaped."""
    text = (
        headline
        if headline is not None
        else content.replace(MATCH_START, "").replace(MATCH_STOP, "")
    )
    out: list[str] = []
    open_mark = False
    position = 0
    for quote in _QUOTED.finditer(text):
        if quote.start() > position:
            html, open_mark = _marks(text[position : quote.start()], open_mark)
            out.append(html)
        html, open_mark = _marks(quote.group(), open_mark)
        out.append(f'<span class="quoted">{html}</span>')
        position = quote.end()
    html, _ = _marks(text[position:], open_mark)
    out.append(html)
    return Markup("".join(out))


@dataclass(frozen=True)
class Span:
    """An attributed span of an article body, as the highlighter needs it."""

    id: int
    start: int
    end: int
    speaker: str
    cue: str
    colour: int


def speaker_colours(keys: Sequence[str]) -> dict[str, int]:
    """A palette index per speaker, in order of first appearance."""
    colours: dict[str, int] = {}
    for key in keys:
        if key not in colours:
            colours[key] = len(colours) % PALETTE_SIZE
    return colours


def highlight_body(body: str, spans: Sequence[Span], current: int | None = None) -> Markup:
    """The body with every span marked, splitting at all span boundaries so overlaps nest.

    Each piece of text is marked once, coloured by the innermost span covering it; an empty
    anchor `s-{id}` sits where each statement starts so permalinks land on it.
    """
    size = len(body)
    valid = [span for span in spans if 0 <= span.start < span.end <= size]
    cuts = sorted({0, size} | {span.start for span in valid} | {span.end for span in valid})
    starts: dict[int, list[Span]] = {}
    for span in valid:
        starts.setdefault(span.start, []).append(span)
    out: list[str] = []
    for begin, finish in itertools.pairwise(cuts):
        for span in starts.get(begin, []):
            out.append(f'<span class="anchor" id="s-{span.id}"></span>')
        piece = escape(body[begin:finish])
        covering = [span for span in valid if span.start <= begin and span.end >= finish]
        if not covering:
            out.append(str(piece))
            continue
        inner = min(covering, key=lambda span: (span.end - span.start, -span.start))
        who = "; ".join(f"{span.speaker} ({span.cue})" for span in covering)
        classes = [f"span sp-{inner.colour}"]
        if current is not None and any(span.id == current for span in covering):
            classes.append("current")
        if len(covering) > 1:
            classes.append("nested")
        out.append(
            f'<mark class="{" ".join(classes)}" tabindex="0" title="{escape(who)}" '
            f'data-speaker="{escape(who)}" data-statements="'
            f'{" ".join(str(span.id) for span in covering)}">{piece}</mark>'
        )
    return Markup("".join(out))
