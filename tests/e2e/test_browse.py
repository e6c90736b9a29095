"""The main reading flows, in a real browser, on the ingested seed article."""

import csv
import re

from playwright.sync_api import Page, expect


def test_filter_follow_search_topic_and_download(live_server: str, page: Page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", name="Who claimed what")).to_be_visible()
    expect(page.locator("#results-heading")).to_contain_text("claims")

    # Filter by Lukashenko with the speaker facet.
    page.locator("#facet-actor + ul").get_by_role("link", name=re.compile("Lukashenko")).click()
    expect(page).to_have_url(re.compile(r"actor=aleksandr-g-lukashenko"))
    speakers = page.locator("ol.claims .speaker").all_inner_texts()
    assert speakers and all("Lukashenko" in name for name in speakers)

    # Follow a claim to its highlighted place in the article.
    claim = page.locator("ol.claims > li").first
    words = claim.locator("blockquote").inner_text()
    claim.locator("a.source-link").click()
    expect(page).to_have_url(re.compile(r"/articles/\d+\?s=\d+#s-\d+"))
    current = page.locator("#body mark.current")
    expect(current.first).to_be_visible()
    assert words.strip().startswith(current.first.inner_text().strip()[:20])
    assert "Lukashenko" in (current.first.get_attribute("title") or "")
    current.first.focus()
    expect(current.first).to_be_focused()

    # Search for the S-400 claim; the match is marked.
    page.goto(live_server + "/")
    page.get_by_label("Search the claims").fill("S-400")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"q=S-400"))
    expect(page.locator("#results-heading")).to_contain_text("1 claim")
    expect(page.locator("ol.claims mark").first).to_be_visible()
    expect(page.locator("ol.claims")).to_contain_text("air defense systems")

    # The Belarus exercises topic, from the home page.
    page.goto(live_server + "/")
    page.get_by_role("link", name="Belarus military exercises").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Belarus military exercises")
    expect(page.locator(".groups")).to_contain_text("Lukashenko")
    expect(page.locator(".stance")).to_contain_text("deny")

    # Download the CSV of Lukashenko's claims.
    page.goto(live_server + "/?actor=aleksandr-g-lukashenko")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    target = tmp_path / "claims.csv"
    download_info.value.save_as(target)
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert rows and all(row["speaker_slug"] == "aleksandr-g-lukashenko" for row in rows)
    assert {"content", "cue", "kind", "article_title"} <= set(rows[0])


def test_pages_work_on_a_phone_and_without_javascript(live_server: str, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    page.goto(live_server + "/?kind=direct")
    expect(page.locator("#results-heading")).to_contain_text("claim")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    page.goto(live_server + "/actors/no-such-actor")
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    context.close()
