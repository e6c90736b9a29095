"""An editor in a real browser changes an article's details, then deletes it."""

import re

from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from app.accounts.service import create_user
from app.db import make_sessionmaker

PASSWORD = "a long enough password"


def test_editor_edits_then_deletes_an_article(live_server: str, page: Page, engine: Engine) -> None:
    with make_sessionmaker(engine).begin() as session:
        create_user(session, "articles-e2e@example.org", PASSWORD, "editor")
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill("articles-e2e@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Articles", exact=True).click()
    expect(page.locator("table.articles")).to_contain_text("22 Dec 2022")
    page.locator("table.articles a").first.click()
    page.get_by_role("link", name="Edit details").click()
    page.get_by_label("Title").fill("Lukashenko plays down the drills")
    page.get_by_label("Outlet").fill("Example Daily")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/articles/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Lukashenko plays down the drills")
    expect(page.locator(".article-meta")).to_contain_text("Example Daily")

    page.get_by_role("link", name="Delete", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete this article?")
    page.get_by_role("button", name=re.compile("Delete the article")).click()
    expect(page).to_have_url(re.compile(r"/articles\?deleted=1"))
    expect(page.get_by_role("status")).to_contain_text("deleted")
    expect(page.get_by_text("No articles")).to_be_visible()
