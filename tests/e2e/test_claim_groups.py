"""A repeated claim in a real browser: three outlets carry Lukashenko's "Belarus will not
send troops into Ukraine", ingested for real (grouped at ingest). A reader opens it from the
claims list, sees its first appearance and every outlet, and collapses repeats."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from app.db import make_sessionmaker
from app.ingest.service import ingest_paths

CARRIERS = (
    ("2022-12-05", "Test Wire", "Minsk says drills are defensive",
     "Belarusian President Aleksandr Lukashenko said on Monday that Belarus will not send "
     "troops into Ukraine. The exercises near the border are routine, officials added."),
    ("2022-12-09", "Daily Courier", "Belarus repeats it will stay out",
     "Speaking in Minsk, Lukashenko said that Belarus will not send troops into Ukraine. "
     "Analysts were sceptical of the promise and pointed to new deployments."),
    ("2022-12-16", "Evening Post", "Lukashenko again rules out joining the war",
     "On Friday, Lukashenko said that Belarus will not send troops into Ukraine. Western "
     "governments said they were watching the border closely."),
)  # fmt: skip


@pytest.fixture(scope="module")
def repeated_claim(
    live_server: str, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("carriers")
    for n, (day, outlet, title, body) in enumerate(CARRIERS):
        text = f"---\ntitle: {title}\nsource: {outlet}\npublished: {day}\n---\n{title}\n\n{body}\n"
        (folder / f"{n}.md").write_text(text, encoding="utf-8")
    summary = ingest_paths(make_sessionmaker(engine), [Path(folder)])
    assert not summary.failed, summary
    yield live_server


def test_open_a_repeated_claim_and_collapse_repeats(repeated_claim: str, page: Page) -> None:
    page.goto(repeated_claim + "/?actor=aleksandr-g-lukashenko")
    rows = page.locator("ol.claims > li")
    every = rows.count()
    repeats = page.locator("ol.claims > li", has_text="Belarus will not send troops into Ukraine")
    expect(repeats).to_have_count(3)

    # "also in 2 other articles" opens the claim's page.
    repeats.first.get_by_role("link", name="also in 2 other articles").click()
    expect(page).to_have_url(re.compile(r"/claims/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lukashenko")
    expect(page.locator(".claim-counts")).to_contain_text("3 appearances")
    expect(page.locator(".claim-counts")).to_contain_text("3 outlets")
    first = page.locator("#first-appearance")
    expect(first).to_contain_text("Minsk says drills are defensive")
    expect(first).to_contain_text("Test Wire")
    expect(first).to_contain_text("5 Dec 2022")
    table = page.locator("table.appearances-table")
    expect(table.locator("tbody tr")).to_have_count(3)
    for _, outlet, _, _ in CARRIERS:
        expect(page.locator("ul.outlets")).to_contain_text(outlet)
        expect(table).to_contain_text(outlet)
    expect(table.locator("tr.first")).to_contain_text("Test Wire")
    expect(page.locator("svg.timeline rect")).to_have_count(3)

    # Its appearance in the latest article leads to the sentence.
    table.get_by_role("link", name="Lukashenko again rules out joining the war").click()
    expect(page).to_have_url(re.compile(r"/articles/\d+\?s=\d+#s-\d+"))
    expect(page.locator("#body mark.current").first).to_contain_text("Belarus will not send")

    # Collapse repeats on the claims page: one row for the claim, the newest.
    page.goto(repeated_claim + "/?actor=aleksandr-g-lukashenko")
    page.get_by_role("link", name="Collapse repeats").click()
    expect(page).to_have_url(re.compile(r"collapse=1"))
    expect(repeats).to_have_count(1)
    expect(repeats.first.locator(".claim-meta")).to_contain_text("Evening Post")
    expect(rows).to_have_count(every - 2)
    page.get_by_role("link", name="Every statement").click()
    expect(rows).to_have_count(every)
