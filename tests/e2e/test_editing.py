"""An editor's flow in a real browser: sign in, upload, review, reassign, sign out."""

import re
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from app.accounts.service import create_user
from app.db import make_sessionmaker

PASSWORD = "a long enough password"
ARTICLE = """Kremlin rejects claims about Belarus drills

Dmitry Peskov, the Kremlin's spokesman, said on Friday that the drills were routine.
"Nobody is preparing an attack," he told reporters in Moscow.
The Ukrainian defence ministry said the troops posed a threat to Kyiv.
"""


def test_anonymous_visitor_sees_no_edit_controls(live_server: str, page: Page) -> None:
    page.goto(live_server + "/")
    expect(page.get_by_role("link", name="Add an article")).to_have_count(0)
    page.goto(live_server + "/articles/new")
    expect(page).to_have_url(re.compile(r"/login\?next=/articles/new"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_editor_uploads_reviews_reassigns_and_signs_out(
    live_server: str, page: Page, engine: Engine, tmp_path: Path
) -> None:
    with make_sessionmaker(engine).begin() as session:
        create_user(session, "editor-e2e@example.org", PASSWORD, "editor")

    page.goto(live_server + "/login")
    page.get_by_label("Email").fill("editor-e2e@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("editor-e2e@example.org")).to_be_visible()

    upload = tmp_path / "peskov.txt"
    upload.write_text(ARTICLE)
    page.get_by_role("link", name="Add an article").click()
    page.get_by_label(re.compile(r"\.txt, \.md")).set_input_files(str(upload))
    page.get_by_role("button", name="Add").click()
    expect(page).to_have_url(re.compile(r"/articles/\d+"))
    expect(
        page.get_by_role("heading", name="Kremlin rejects claims about Belarus drills")
    ).to_be_visible()
    claims = page.locator(".article-statements li.claim")
    expect(claims.first).to_be_visible()
    assert claims.count() >= 2

    # Reject the first claim.
    claims.first.get_by_role("link", name=re.compile("review", re.I)).click()
    page.get_by_role("button", name="Reject").click()
    expect(page.locator("dd.review-rejected")).to_have_text("rejected")
    expect(page.locator("ol.history")).to_contain_text(re.compile(r"Editor #\d+ — reject"))
    expect(page.locator("ol.history")).not_to_contain_text("editor-e2e@example.org")

    # Give another claim a new speaker.
    page.go_back()
    page.go_back()
    page.reload()
    page.locator(".article-statements li.claim").nth(1).get_by_role(
        "link", name=re.compile("review", re.I)
    ).click()
    page.get_by_label("…or a new speaker's name").fill("Ministry of Defence of Ukraine")
    page.get_by_label("New speaker's kind").select_option("government")
    page.get_by_role("button", name="Save correction").click()
    # A name near an existing actor's asks first; creating it anyway is a deliberate tick.
    expect(page.locator("#new_speaker_name-error")).to_contain_text("Did you mean")
    page.get_by_label(re.compile("is a new actor")).check()
    page.get_by_role("button", name="Save correction").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ministry of Defence of Ukraine")
    expect(page.locator("ol.history")).to_contain_text("correct")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.get_by_role("link", name="Add an article")).to_have_count(0)


PASTED = (
    "Minsk says the exercise is defensive\n\n"
    "Belarus's defence ministry said on Tuesday that the exercise was purely defensive.\n"
    "Ukrainian officials warned that the troops could still move south.\n"
)


def test_editor_pastes_an_article_and_lands_on_its_claims(
    live_server: str, page: Page, engine: Engine
) -> None:
    """The browser sends an empty file part beside the pasted text: that is no file."""
    with make_sessionmaker(engine).begin() as session:
        create_user(session, "paster-e2e@example.org", PASSWORD, "editor")
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill("paster-e2e@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Add an article").click()
    page.get_by_label("Title").fill("Minsk says the exercise is defensive")
    page.get_by_label("Text").fill(PASTED)
    page.get_by_label("Source (outlet)").fill("Example Wire")
    page.get_by_role("button", name="Add").click()
    expect(page).to_have_url(re.compile(r"/articles/\d+"))
    expect(page.get_by_role("heading", name="Minsk says the exercise is defensive")).to_be_visible()
    claims = page.locator(".article-statements li.claim")
    expect(claims.first).to_be_visible()
    expect(page.locator(".article-statements")).to_contain_text("purely defensive")
