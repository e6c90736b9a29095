"""An admin at work in a real browser: find the admin page, reset a password, disable a person
(whose open session ends), revoke a token, and be stopped from demoting the last admin."""

import re

import httpx
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine

from app.accounts.service import create_token, create_user
from app.db import make_sessionmaker

PASSWORD = "an admin's long password"


def _sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_admin_resets_disables_revokes_and_keeps_the_last_admin(
    live_server: str, page: Page, browser: Browser, engine: Engine
) -> None:
    with make_sessionmaker(engine).begin() as session:
        create_user(session, "boss-e2e@example.org", PASSWORD, "admin")
        editor = create_user(session, "staff-e2e@example.org", PASSWORD, "editor")
        token = create_token(session, editor)

    editor_context = browser.new_context()
    editor_page = editor_context.new_page()
    _sign_in(editor_page, live_server, "staff-e2e@example.org", PASSWORD)
    expect(editor_page.get_by_role("link", name="Admin", exact=True)).to_have_count(0)

    _sign_in(page, live_server, "boss-e2e@example.org", PASSWORD)
    page.get_by_role("link", name="Admin", exact=True).click()
    expect(page.get_by_role("heading", name="Admin", level=1)).to_be_visible()
    row = page.locator("tr", has_text="staff-e2e@example.org")

    # A generated password, shown once, that signs the person in.
    row.get_by_role("button", name="Reset the password of staff-e2e@example.org").click()
    shown = page.locator("code.password")
    expect(shown).to_be_visible()
    new_password = shown.inner_text()
    # Their open session ended with the old password.
    editor_page.goto(live_server + "/articles/new")
    expect(editor_page).to_have_url(re.compile(r"/login\?next=/articles/new"))
    _sign_in(editor_page, live_server, "staff-e2e@example.org", new_password)

    # Disabled: the session they just opened ends at once, and so does their token.
    page.locator("tr", has_text="staff-e2e@example.org").get_by_role(
        "button", name="Disable staff-e2e@example.org"
    ).click()
    expect(page.get_by_role("status")).to_contain_text("staff-e2e@example.org is disabled")
    editor_page.goto(live_server + "/articles/new")
    expect(editor_page).to_have_url(re.compile(r"/login"))
    answer = httpx.get(live_server + "/api/jobs/1", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401

    # The token is listed by its prefix and revoked from the page.
    page.get_by_role(
        "button", name=re.compile(rf"Revoke token \d+ \({re.escape(token[:10])}")
    ).click()
    expect(page.get_by_role("status")).to_contain_text("is revoked")
    expect(page.locator("table.admin-tokens tr", has_text=token[:10])).to_have_count(0)
    expect(page.locator("ol.history")).to_contain_text(token[:10])

    # The last admin cannot demote themselves.
    boss = page.locator("tr", has_text="boss-e2e@example.org")
    boss.get_by_label("Role of boss-e2e@example.org").select_option("editor")
    boss.get_by_role("button", name="Change role").click()
    expect(page.get_by_role("alert")).to_contain_text("is the last admin who can sign in")
    expect(page.locator("ol.history")).to_contain_text("disable of user")
    editor_context.close()
