"""An editor's session in a real browser, as issue 14 asks: sign in, open the review queue,
select three claims and reject them, undo, give one claim a speaker found by typing part of its
name in the picker; then merge two actors after the preview and undo the merge."""

import re

from playwright.sync_api import Page, expect
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.accounts.service import create_user
from app.db import make_sessionmaker
from app.models.actors import Actor, ActorAlias, Mention
from app.models.review import ActorRedirect
from app.models.statements import Statement
from tests.factories import make_actor, make_article, make_statement

PASSWORD = "a long enough password"


def _statuses(engine: Engine, ids: list[int]) -> list[str]:
    with make_sessionmaker(engine)() as session:
        rows = session.execute(
            select(Statement.id, Statement.review_status).where(Statement.id.in_(ids))
        ).all()
    by_id = dict(rows)
    return [by_id[i] for i in ids]


def state(session: Session, *actor_ids: int) -> dict[str, object]:
    """The two actors' rows, statements, mentions, aliases and redirects."""
    return {
        "actors": set(
            session.execute(
                select(Actor.id, Actor.slug, Actor.name, Actor.statement_count).where(
                    Actor.id.in_(actor_ids)
                )
            ).all()
        ),
        "statements": set(
            session.execute(
                select(Statement.id, Statement.speaker_id).where(
                    Statement.speaker_id.in_(actor_ids)
                )
            ).all()
        ),
        "mentions": set(
            session.execute(
                select(Mention.id, Mention.actor_id).where(Mention.actor_id.in_(actor_ids))
            ).all()
        ),
        "aliases": set(
            session.execute(
                select(ActorAlias.id, ActorAlias.actor_id, ActorAlias.normalised).where(
                    ActorAlias.actor_id.in_(actor_ids)
                )
            ).all()
        ),
        "redirects": set(session.execute(select(ActorRedirect.old_slug, ActorRedirect.actor_id))),
    }


def test_queue_bulk_reject_undo_reassign_then_merge_and_undo(
    live_server: str, page: Page, engine: Engine
) -> None:
    with make_sessionmaker(engine).begin() as session:
        create_user(session, "reviewer-e2e@example.org", PASSWORD, "editor")
        girkin = Actor(name="Igor Girkin", slug="igor-girkin-e2e", kind="person")
        session.add(girkin)
        session.flush()
        session.add(ActorAlias(actor_id=girkin.id, alias="Igor Girkin", normalised="igor girkin"))
        girkin_id = girkin.id

    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        kept = make_actor(session, "Iryna Kovalchuk")
        duplicate = make_actor(session, "Irina Kovalchuk")
        session.add_all(
            [
                ActorAlias(actor_id=kept.id, alias="Iryna Kovalchuk", normalised="iryna kovalchuk"),
                ActorAlias(
                    actor_id=duplicate.id, alias="Irina Kovalchuk", normalised="irina kovalchuk"
                ),
                ActorAlias(
                    actor_id=duplicate.id, alias="Colonel Kovalchuk", normalised="colonel kovalchuk"
                ),
            ]
        )
        article = make_article(
            session, body="Irina Kovalchuk said the front held. Iryna Kovalchuk said more."
        )
        session.add(
            Mention(
                article_id=article.id,
                actor_id=duplicate.id,
                text="Irina Kovalchuk",
                start=0,
                end=15,
            )
        )
        make_statement(session, article, duplicate, 0, 36)
        make_statement(session, article, kept, 37, 64)
        actor_ids = (kept.id, duplicate.id)
        kept_slug, duplicate_slug = kept.slug, duplicate.slug
    with sessions() as session:
        before = state(session, *actor_ids)

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

    # The same editor merges two actors: the duplicates page offers the pair.
    page.goto(live_server + "/actors/duplicates")
    row = page.locator("table.duplicates tr", has_text="Irina Kovalchuk")
    expect(row).to_contain_text("Iryna Kovalchuk")
    expect(row.get_by_role("link", name="Merge…")).to_be_visible()

    # From the duplicate's page, the target is chosen by typing its name.
    page.goto(f"{live_server}/actors/{duplicate_slug}")
    page.get_by_label(re.compile("Merge this actor into another")).fill("iryna kovalchuk")
    page.get_by_role("button", name="Preview the merge…").click()
    preview = page.locator("section.merge-preview")
    expect(preview).to_contain_text("1 statement")
    expect(preview).to_contain_text("1 mention")
    expect(preview).to_contain_text("“Colonel Kovalchuk”")
    expect(preview).to_contain_text(f"/actors/{duplicate_slug}")
    with sessions() as session:
        assert state(session, *actor_ids) == before  # a preview changes nothing
    page.get_by_role("button", name="Merge Irina Kovalchuk into Iryna Kovalchuk").click()
    expect(page).to_have_url(re.compile(f"/actors/{kept_slug}$"))
    expect(page.locator("ol.history")).to_contain_text("Irina Kovalchuk")

    with sessions() as session:
        assert session.get(Actor, duplicate.id) is None
        speakers = set(
            session.scalars(select(Statement.speaker_id).where(Statement.article_id == article.id))
        )
        assert speakers == {kept.id}
        assert session.get_one(Actor, kept.id).statement_count == 2
        assert session.get_one(ActorRedirect, duplicate_slug).actor_id == kept.id

    # The old address leads to the kept actor; the merge is undone from the history.
    page.goto(f"{live_server}/actors/{duplicate_slug}")
    expect(page).to_have_url(re.compile(f"/actors/{kept_slug}$"))
    page.get_by_role("button", name="Undo merge").click()
    expect(page).to_have_url(re.compile(f"/actors/{duplicate_slug}$"))
    expect(page.get_by_role("heading", name=re.compile("Irina Kovalchuk"))).to_be_visible()

    with sessions() as session:
        assert state(session, *actor_ids) == before
    page.goto(f"{live_server}/actors/{kept_slug}")
    expect(page.locator("ol.history")).to_contain_text("undo_merge")
    expect(page.get_by_role("button", name="Undo merge")).to_have_count(0)
