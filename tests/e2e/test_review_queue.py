"""An editor works through the review queue in a real browser: select three claims, reject
them, undo, and give one claim a speaker found by typing part of its name in the picker."""

import re

from playwright.sync_api import Page, expect
from sqlalchemy import Engine, select

from app.accounts.service import create_user
from app.db import make_sessionmaker
from app.models.actors import Actor, ActorAlias
from app.models.statements import Statement

PASSWORD = "a long enough password"


def _statuses(engine: Engine, ids: list[int]) -> list[str]:
    with make_sessionmaker(engine)() as session:
        rows = session.execute(
            select(Statement.id, Statement.review_status).where(Statement.id.in_(ids))
        ).all()
    by_id = dict(rows)
    return [by_id[i] for i in ids]


def test_bulk_reject_undo_and_reassign_with_the_picker(
    live_server: str, page: Page, engine: Engine
) -> None:
    with make_sessionmaker(engine).begin() as session:
        create_user(session, "reviewer-e2e@example.org", PASSWORD, "editor")
        girkin = Actor(name="Igor Girkin", slug="igor-girkin-e2e", kind="person")
        session.add(girkin)
        session.flush()
        session.add(ActorAlias(actor_id=girkin.id, alias="Igor Girkin", normalised="igor girkin"))
        girkin_id = girkin.id

    page.goto(live_server + "/login")
    page.get_by_label("Email").fill("reviewer-e2e@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Review", exact=True).click()
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()

    rows = page.locator("[data-review-queue] [data-claim]")
    assert rows.count() >= 4
    ids = [
        int(rows.nth(i).locator("input[name=ids]").get_attribute("value") or 0) for i in range(3)
    ]
    # Two by mouse (a click makes that claim the current one), the third by keyboard: j to
    # the next claim, space to select it.
    rows.nth(0).locator("input[name=ids]").check()
    rows.nth(1).locator("input[name=ids]").check()
    page.locator("h1").click()
    page.keyboard.press("k")
    expect(rows.nth(0)).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(rows.nth(2)).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press(" ")
    expect(rows.nth(2).locator("input[name=ids]")).to_be_checked()

    page.get_by_label(re.compile("Reason for rejecting")).fill("headlines, not claims")
    page.get_by_role("button", name="Reject selected").click()
    expect(page.get_by_role("status")).to_contain_text("Rejected 3 claims.")
    assert _statuses(engine, ids) == ["rejected"] * 3
    for statement_id in ids:
        expect(page.locator(f"#q-{statement_id}")).to_have_count(0)

    page.get_by_role("status").get_by_role("button", name="Undo").click()
    expect(page.get_by_role("status")).to_contain_text("Undone: 3 claims are as before.")
    assert _statuses(engine, ids) == ["unreviewed"] * 3
    expect(page.locator(f"#q-{ids[0]}")).to_be_visible()

    # By keyboard alone: the first claim is the current one; x rejects it.
    first = rows.nth(0).get_attribute("id") or ""
    page.locator("h1").click()
    expect(rows.nth(0)).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("x")
    expect(page.get_by_role("status")).to_contain_text("Rejected 1 claim.")
    assert _statuses(engine, [int(first[2:])]) == ["rejected"]
    page.get_by_role("status").get_by_role("button", name="Undo").click()
    expect(page.get_by_role("status")).to_contain_text("Undone: 1 claim is as before.")

    # Reassign one claim: type part of the name, choose from the list with the keyboard.
    page.locator(f"#pick-{ids[0]}").check()
    field = page.get_by_role("combobox", name=re.compile("New speaker for the selected claims"))
    field.fill("gir")
    option = page.get_by_role("option", name=re.compile("Igor Girkin"))
    expect(option).to_be_visible()
    expect(field).to_have_attribute("aria-expanded", "true")
    field.press("Enter")
    expect(field).to_have_value("Igor Girkin")
    page.get_by_role("button", name="Give the selected claims this speaker").click()
    expect(page.get_by_role("status")).to_contain_text("Gave a new speaker to 1 claim.")
    with make_sessionmaker(engine)() as session:
        statement = session.get(Statement, ids[0])
        assert statement is not None
        assert (statement.speaker_id, statement.review_status) == (girkin_id, "corrected")
