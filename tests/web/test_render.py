"""Safe HTML from stored text: quotations, search matches and overlapping spans."""

from app.statements.listing import MATCH_START as A
from app.statements.listing import MATCH_STOP as Z
from app.web.render import Span, highlight_body, render_content


def test_content_is_escaped_and_quotes_marked() -> None:
    html = render_content("He said “<i>no</i>” & left")
    assert str(html) == 'He said <span class="quoted">“&lt;i&gt;no&lt;/i&gt;”</span> &amp; left'


def test_headline_sentinels_become_marks_and_nothing_else() -> None:
    html = render_content("", f"{A}drills{Z} <b> “{A}war{Z}”")
    assert (
        str(html) == '<mark>drills</mark> &lt;b&gt; <span class="quoted">“<mark>war</mark>”</span>'
    )


def test_a_mark_across_a_quote_boundary_stays_well_nested() -> None:
    html = str(render_content("", f"{A}say “yes{Z} now”"))
    assert html == '<mark>say </mark><span class="quoted"><mark>“yes</mark> now”</span>'


def test_stray_sentinels_in_content_are_dropped() -> None:
    assert str(render_content(f"a{A}b")) == "ab"


def span(id: int, start: int, end: int, colour: int = 0) -> Span:
    return Span(id, start, end, f"speaker {id}", "said", colour)


def test_body_split_at_every_boundary() -> None:
    body = "0123456789"
    html = str(highlight_body(body, [span(1, 1, 8), span(2, 3, 5, 1)], current=2))
    assert html.startswith('0<span class="anchor" id="s-1"></span><mark class="span sp-0"')
    assert 'data-statements="1">12</mark>' in html
    assert '<span class="anchor" id="s-2"></span><mark class="span sp-1 current nested"' in html
    assert 'data-statements="1 2">34</mark>' in html
    assert 'data-statements="1">567</mark>89' in html


def test_spans_out_of_range_are_ignored_and_body_escaped() -> None:
    html = str(highlight_body("<a>", [span(1, 0, 99), span(2, 2, 1)]))
    assert html == "&lt;a&gt;"


def test_identical_and_touching_spans() -> None:
    html = str(highlight_body("abcdef", [span(1, 0, 3), span(2, 0, 3), span(3, 3, 6)]))
    assert html.count('class="anchor"') == 3
    assert 'data-statements="1 2">abc</mark>' in html
    assert 'data-statements="3">def</mark>' in html
