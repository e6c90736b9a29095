"""Reading files into articles: each format, front matter, and clear errors for bad input."""

import json
from datetime import UTC, datetime

import pytest

from app.ingest.clean import clean_text
from app.ingest.readers import InputError, endnote_lines, parse_file, safe_filename, with_endnotes
from tests.conftest import SEED_ARTICLE


def test_seed_title_is_first_line_and_boilerplate_is_gone() -> None:
    [article] = parse_file(SEED_ARTICLE.name, SEED_ARTICLE.read_bytes())
    assert article.title.startswith("Belarus’s leader tries to play down suggestions")
    assert article.body.startswith("President Aleksandr G. Lukashenko of Belarus")
    assert article.body.endswith("the group said.")
    assert "Back to top" not in article.body


def test_front_matter_gives_metadata() -> None:
    text = (
        "---\ntitle: Drills near the border\nsource: The Daily\nurl: https://daily.example/a\n"
        "published: 2022-12-15\nexternal_id: daily-1\n---\nThe minister said it was routine.\n"
    )
    [article] = parse_file("a.md", text.encode())
    assert article.title == "Drills near the border"
    assert article.body == "The minister said it was routine."
    assert article.source == "The Daily"
    assert article.url == "https://daily.example/a"
    assert article.published_at == datetime(2022, 12, 15, tzinfo=UTC)
    assert article.external_id == "daily-1"


def test_html_main_text_and_metadata() -> None:
    html = """<html><head><title>Troops gather | The Daily</title>
    <meta property="og:title" content="Troops gather near the border">
    <meta property="og:site_name" content="The Daily">
    <meta name="date" content="2022-12-16"></head>
    <body><nav>Home | World | Sport</nav><article><h1>Troops gather near the border</h1>
    <p>The defence ministry said on Friday that the troops were taking part in routine
    exercises and posed no threat to anyone in the region, according to a statement.</p>
    <p>Officials in Kyiv said they were watching the movements closely and would respond
    if the exercises turned into something more dangerous for the country.</p>
    </article><footer>Back to top</footer></body></html>"""
    [article] = parse_file("page.html", html.encode())
    assert article.title == "Troops gather near the border"
    assert "routine exercises" in article.body.replace("\n", " ")
    assert "Home | World" not in article.body
    assert article.source == "The Daily"
    assert (
        article.published_at is not None and article.published_at.date().isoformat() == "2022-12-16"
    )


def test_a_report_keeps_its_whole_endnote_list() -> None:
    paragraphs = "".join(
        f"<p>The ministry said on Friday that unit {n} had moved to the border region, and "
        f"officials said the move was part of a routine exercise.[{n}]</p>"
        for n in range(1, 6)
    )
    notes = "".join(
        f'<p>[{n}]\xa0<a href="https://t.me/a/{n}">https://t.me/a/{n}</a></p>'
        if n % 2
        else f'<p>[{n}] <a href="https://example.org/long/{n}">https://example.org/long/{n}</a>'
        f' ; <a href="https://example.org/other/{n}">https://example.org/other/{n}</a></p>'
        for n in range(1, 6)
    )
    html = f"<html><body><article>{paragraphs}{notes}</article></body></html>"
    assert endnote_lines(html)[0] == "[1] https://t.me/a/1"
    twice = html.replace("</article>", f"</article><div>{notes}</div>")
    assert endnote_lines(twice) == endnote_lines(html)  # some pages hold a copy for print
    [article] = parse_file("report.html", html.encode())
    numbers = [line.split("]")[0] for line in article.body.split("\n") if line.startswith("[")]
    assert numbers == ["[1", "[2", "[3", "[4", "[5"]


def test_missing_endnotes_go_back_in_number_order() -> None:
    body = "Text.[1][2][3]\n[1] https://a.org/1\n[3] https://a.org/3\nhttps://a.org/3b"
    notes = ["[1] https://a.org/1", "[2] https://a.org/2", "[3] https://a.org/3"]
    assert with_endnotes(body, notes) == (
        "Text.[1][2][3]\n[1] https://a.org/1\n[2] https://a.org/2\n[3] https://a.org/3\n"
        "https://a.org/3b"
    )
    assert with_endnotes("Text without notes.", ["[1] https://a.org/1"]) == "Text without notes."


def test_json_and_jsonl_records() -> None:
    record = {
        "title": "T",
        "body": "B said so.",
        "url": "https://x.example/1",
        "published_at": "2022-12-15T10:00:00Z",
        "source": "X",
        "external_id": "x-1",
    }
    [one] = parse_file("one.json", json.dumps(record).encode())
    assert (one.title, one.body, one.external_id) == ("T", "B said so.", "x-1")
    assert one.published_at == datetime(2022, 12, 15, 10, tzinfo=UTC)
    lines = "\n".join(json.dumps({**record, "external_id": f"x-{i}"}) for i in range(3))
    assert [a.external_id for a in parse_file("many.jsonl", lines.encode())] == [
        "x-0",
        "x-1",
        "x-2",
    ]


@pytest.mark.parametrize(
    ("name", "data", "where", "reason"),
    [
        ("empty.txt", b"  \n\n", "empty.txt", "the file is empty"),
        ("blob.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "blob.txt", "the file is binary, not text"),
        ("latin.txt", "Minsk café".encode("latin-1"), "latin.txt", "not UTF-8"),
        ("report.pdf", b"%PDF-1.4", "report.pdf", "unsupported file type .pdf"),
        ("bad.jsonl", b'{"body": "ok"}\n{"body": oops}\n', "bad.jsonl:2", "invalid JSON line"),
        ("bad.json", b'{"body": ', "bad.json:1", "invalid JSON"),
        ("nobody.jsonl", b'{"title": "no body"}\n', "nobody.jsonl:1", "no 'body' text"),
        ("date.json", b'{"body": "x", "published_at": "yesterday"}', "date.json[0]", "not an ISO"),
        ("title-only.txt", b"Just a title\n\n", "title-only.txt", "no body text"),
    ],
)
def test_bad_input_says_what_and_where(name: str, data: bytes, where: str, reason: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_file(name, data)
    assert raised.value.where == where
    assert reason in raised.value.reason


def test_file_names_are_never_paths() -> None:
    assert safe_filename("../../etc/passwd.txt") == "passwd.txt"
    assert safe_filename("/abs/path/a.md") == "a.md"
    assert safe_filename("C:\\Users\\x\\b.html") == "b.html"


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("Text.\r\nMore.\r\n", "Text.\nMore."),
        ("Text.\n\nBack to top button", "Text."),
        ("Skip to content\nText.\nAdvertisement\n", "Text."),
        ("A\x00B\x07C", "ABC"),
        ("One.\n\n\n\n\nTwo.", "One.\n\nTwo."),
        ("Read more about the advertisement market.", "Read more about the advertisement market."),
    ],
)
def test_clean_text(raw: str, cleaned: str) -> None:
    assert clean_text(raw) == cleaned


def test_deeply_nested_json_is_refused_in_words() -> None:
    deep = ("[" * 100_000 + "]" * 100_000).encode()
    with pytest.raises(InputError, match="nested too deeply") as raised:
        parse_file("deep.json", deep)
    assert raised.value.where == "deep.json"
    with pytest.raises(InputError, match="nested too deeply"):
        parse_file("deep.jsonl", deep)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Title\n\nThe minister said “yes”.".encode("utf-16"), "The minister said “yes”."),
        ("Title\n\nThe minister said “yes”.".encode("utf-8-sig"), "The minister said “yes”."),
    ],
)
def test_other_encodings_are_read(data: bytes, expected: str) -> None:
    [article] = parse_file("a.txt", data)
    assert expected in article.body


def test_nul_characters_are_refused_in_words() -> None:
    with pytest.raises(InputError, match="binary"):
        parse_file("a.txt", b"Title\n\nThe minister\x00 said so.")
    with pytest.raises(InputError, match="NUL character"):
        parse_file("a.txt", "Title\n\nThe minister\x00 said so.".encode("utf-16"))


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Drills end\n\nMINSK, Dec. 21, 2022 (Reuters) - Belarus said the drills were over.",
         datetime(2022, 12, 21, tzinfo=UTC)),
        ("Drills end\n\nKYIV, Ukraine, December 3, 2022 — Officials said the border was calm.",
         datetime(2022, 12, 3, tzinfo=UTC)),
        ("Drills end\nThe Daily, 2022-12-15\n\nThe minister said it was routine.",
         datetime(2022, 12, 15, tzinfo=UTC)),
        # A date line without a year takes the year the text names most.
        ("Campaign Assessment, December 16\nA. Writer and B. Writer\nDecember 16, 6:00 pm ET\n"
         "Russian forces attacked in 2022, as in every month of 2022 since February.",
         datetime(2022, 12, 16, tzinfo=UTC)),
        # No year anywhere: no date rather than a guessed one.
        ("Campaign Assessment\nDecember 16, 6:00 pm ET\nRussian forces attacked again.", None),
        ("Drills end\n\nThe minister said on Dec. 21 that it was routine.", None),
    ],
)  # fmt: skip
def test_dates_found_in_the_text(text: str, day: datetime | None) -> None:
    [article] = parse_file("a.txt", text.encode())
    assert article.published_at == day


def test_html_title_when_the_metadata_names_only_the_site() -> None:
    html = """<html><head><title>Institute for Example Studies</title>
    <meta property="og:title" content="Institute for Example Studies">
    <meta property="og:site_name" content="Institute for Example Studies">
    <link rel="canonical" href="https://example.org/"></head>
    <body><article><h1>Campaign Assessment, December 15</h1>
    <p>December 15, 2022</p>
    <p>The ministry said on Thursday that the exercises in the north were routine and that
    no forces would cross the border. Officials repeated the claim twice in the evening.</p>
    <p>Analysts said the claim did not match what satellite images showed near the border.</p>
    </article></body></html>"""
    [article] = parse_file("page.html", html.encode())
    assert article.title == "Campaign Assessment, December 15"
    assert article.url is None  # the site's front page is not the article's address
    assert article.published_at == datetime(2022, 12, 15, tzinfo=UTC)


def test_a_metadata_file_beside_the_article(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.ingest.service import read_inputs

    (tmp_path / "a.txt").write_text("Title\n\nThe minister said it was routine.")
    (tmp_path / "a.meta.yaml").write_text("published: 2022-12-22\nsource: The Daily\n")
    [article] = list(read_inputs([tmp_path / "a.txt"]))
    assert not isinstance(article, type(None))
    assert article.published_at == datetime(2022, 12, 22, tzinfo=UTC)  # type: ignore[union-attr]
    assert article.source == "The Daily"  # type: ignore[union-attr]


def test_the_seed_article_has_its_date() -> None:
    from app.ingest.service import read_inputs

    [article] = list(read_inputs([SEED_ARTICLE]))
    assert article.published_at == datetime(2022, 12, 22, tzinfo=UTC)  # type: ignore[union-attr]
