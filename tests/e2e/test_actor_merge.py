"""An editor merges two actors in a real browser after the preview, then undoes the merge."""

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


def test_editor_merges_two_actors_after_the_preview_and_undoes_it(
    live_server: str, page: Page, engine: Engine
) -> None:
    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        create_user(session, "merger-e2e@example.org", PASSWORD, "editor")
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
        ids = (kept.id, duplicate.id)
        kept_slug, duplicate_slug = kept.slug, duplicate.slug
    with sessions() as session:
        before = state(session, *ids)

    page.goto(live_server + "/login")
    page.get_by_label("Email").fill("merger-e2e@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("merger-e2e@example.org")).to_be_visible()

    # The duplicates page offers the pair.
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
        assert state(session, *ids) == before  # a preview changes nothing
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
        assert state(session, *ids) == before
    page.goto(f"{live_server}/actors/{kept_slug}")
    expect(page.locator("ol.history")).to_contain_text("undo_merge")
    expect(page.get_by_role("button", name="Undo merge")).to_have_count(0)
