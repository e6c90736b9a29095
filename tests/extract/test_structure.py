"""Report structure: endnote markers, the endnote list, headings, bylines and notes."""

from __future__ import annotations

import pytest

from app.extract import Reference, extract

# (text, a phrase the content holds, the content's last words, endnotes the statement cites)
MARKED: list[tuple[str, str, str, tuple[int, ...]]] = [
    # a marker closing the sentence, and the next sentence the report's own comment
    (
        "The ministry said that the drills would end in March.[4] The drills are a cover.",
        "the drills would end",
        "in March",
        (4,),
    ),
    # markers glued to the next sentence
    (
        "The governor said the bridge had reopened.[12][13]Traffic was light.",
        "the bridge had reopened",
        "had reopened",
        (12, 13),
    ),
    # markers glued to the next sentence without a full stop
    (
        "The governor said the bridge had reopened[5]Traffic was light.",
        "the bridge had reopened",
        "had reopened",
        (5,),
    ),
    # a marker cut off where the page ends
    ("The governor said the bridge had reopened.[7", "the bridge had reopened", "reopened", (7,)),
    # a marker after a closing quote
    (
        "The mayor said the plan was “a failure.”[3] Officials disagreed.",
        "a failure",
        "a failure.”",
        (3,),
    ),
    # no marker, no citation
    ("The governor said the bridge had reopened.", "the bridge had reopened", "reopened", ()),
]


@pytest.mark.parametrize(("text", "phrase", "ending", "cited"), MARKED)
def test_markers_are_not_content(
    text: str, phrase: str, ending: str, cited: tuple[int, ...]
) -> None:
    found = [a for a in extract(text).attributions if phrase in a.content]
    assert found, f"no statement holds {phrase!r}"
    statement = found[0]
    assert statement.content.endswith(ending)
    assert "[" not in statement.content and "[" not in statement.speaker_mention
    assert text[statement.start : statement.end] == statement.content
    assert statement.citations == cited


# Lines of a report that are structure, each followed by a line of prose with one claim.
STRUCTURE_LINES: list[str] = [
    "Northern Front: (River Line North)",
    "Key Findings",
    "Supporting Effort—Coastal Axis (Objective: Hold the Coast)",
    "Anna Petrova, John Smith, and Mary W. Jones",
    "March 3, 5:00 pm ET",
    "Click here to read the full timeline of the events reported by the ministry.",
    "We do not report in detail on losses because they say little about the operations.",
    "Note: We will report on the coastal axis in the next update, the editors said.",
    "[2] https://example.org/statement; https://example.org/other",
    "[3] The ministry said this in a statement. https://example.org/note",
]
PROSE = "The ministry said that the drills would end in March."


@pytest.mark.parametrize("line", STRUCTURE_LINES)
def test_structure_lines_are_never_claims(line: str) -> None:
    text = f"{line}\n{PROSE}\n"
    extraction = extract(text)
    contents = [a.content for a in extraction.attributions]
    assert contents == ["the drills would end in March"] or contents == [
        "that the drills would end in March"
    ]
    line_end = len(line)
    assert all(m.start > line_end for m in extraction.mentions if "[" in line or "," in line)


def test_a_heading_does_not_rename_a_known_actor() -> None:
    text = "Eastern Ukraine: (Oskil River Line)\nUkraine said that its forces had advanced.\n"
    extraction = extract(text)
    names = {actor.name for actor in extraction.actors}
    assert "Eastern Ukraine" not in names
    assert any(a.speaker_mention == "Ukraine" for a in extraction.attributions)


def test_the_endnote_list_becomes_references() -> None:
    text = (
        "The ministry said that the drills would end in March.[1] Officials agreed.[2]\n"
        "[1] https://example.org/a; https://example dot org/b\n"
        "[2] Title of a page (example.org)\n"
        "[3] A note on sources. https://example.org/c.\n"
        "[4] https://example.org/d... https://example.org/e\n"
    )
    extraction = extract(text)
    assert extraction.references == (
        Reference(1, "https://example.org/a"),
        Reference(1, "https://example dot org/b"),
        Reference(3, "https://example.org/c"),
        Reference(4, "https://example.org/d"),
        Reference(4, "https://example.org/e"),
    )
    assert [a.citations for a in extraction.attributions] == [(1,)]
    assert not any("example" in actor.name for actor in extraction.actors)


def test_a_one_line_text_without_full_stop_is_still_prose() -> None:
    extraction = extract("The ministry said that the drills would end in March")
    assert len(extraction.attributions) == 1
