"""Merging actors: a preview by typed name, a confirmation, a full record, and undo."""

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models.accounts import User
from app.models.actors import Actor, ActorAlias, ActorDay, Mention
from app.models.review import ActorRedirect, AuditEntry
from app.models.statements import Statement
from app.review import service as review
from tests.accounts.conftest import form_token
from tests.actors.test_statement_counts import recounted, stored_counts
from tests.factories import make_actor, make_article, make_statement


def snapshot(session: Session) -> dict[str, object]:
    """Everything a merge touches, to compare before and after an undo."""
    session.expire_all()
    return {
        "actors": set(
            session.execute(
                select(Actor.id, Actor.slug, Actor.name, Actor.kind, Actor.role, Actor.name_fixed)
            ).all()
        ),
        "statements": set(session.execute(select(Statement.id, Statement.speaker_id)).all()),
        "mentions": set(session.execute(select(Mention.id, Mention.actor_id)).all()),
        "aliases": set(
            session.execute(select(ActorAlias.id, ActorAlias.actor_id, ActorAlias.normalised)).all()
        ),
        "redirects": set(session.execute(select(ActorRedirect.old_slug, ActorRedirect.actor_id))),
        "counts": stored_counts(session),
        "days": set(session.execute(select(ActorDay.actor_id, ActorDay.statements)).all()),
    }


def two_putins(session: Session) -> tuple[Actor, Actor]:
    """A duplicate "V. Putin" (two statements, a mention, two aliases) and the kept one."""
    article = make_article(session, body="V. Putin said one thing. Vladimir Putin said another.")
    duplicate = make_actor(session, "V. Putin")
    duplicate.role = "President of Russia"
    kept = make_actor(session, "Vladimir Putin")
    kept.kind = "unknown"
    session.add_all(
        [
            ActorAlias(actor_id=duplicate.id, alias="V. Putin", normalised="v. putin"),
            ActorAlias(actor_id=duplicate.id, alias="Putin", normalised="putin"),
            ActorAlias(actor_id=kept.id, alias="Vladimir Putin", normalised="vladimir putin"),
            ActorAlias(actor_id=kept.id, alias="Putin", normalised="putin"),
            Mention(article_id=article.id, actor_id=duplicate.id, text="V. Putin", start=0, end=8),
        ]
    )
    make_statement(session, article, duplicate, 0, 24)
    make_statement(session, article, duplicate, 0, 10)
    make_statement(session, article, kept, 25, 52)
    session.commit()
    return duplicate, kept


def test_merge_page_resolves_the_typed_name_and_previews_what_moves(
    client: TestClient, session: Session, sign_in: Callable[[str], User]
) -> None:
    duplicate, kept = two_putins(session)
    sign_in("editor")
    page = client.get(f"/actors/{duplicate.slug}/merge", params={"into": "vladimir  PUTIN"})
    assert page.status_code == 200
    text = page.text
    assert "2 statements" in text and "1 mention" in text and "2 aliases" in text
    assert "“Putin” (already theirs)" in text and "“V. Putin”" in text
    assert f"/actors/{duplicate.slug}</code>" in text and f"/actors/{kept.slug}</code>" in text
    assert f'name="target" value="{kept.id}"' in text
    # Nothing moved yet.
    session.expire_all()
    assert session.get(Actor, duplicate.id) is not None


def test_an_unknown_or_ambiguous_name_gives_the_form_again_with_candidates(
    client: TestClient, session: Session, sign_in: Callable[[str], User]
) -> None:
    duplicate, kept = two_putins(session)
    other = make_actor(session, "Putin Foundation", kind="organization")
    session.add(ActorAlias(actor_id=other.id, alias="Putin", normalised="putin"))
    session.commit()
    sign_in("editor")
    # "Putin" is a name of the kept actor and of the foundation: the editor chooses.
    page = client.get(f"/actors/{duplicate.slug}/merge", params={"into": "Putin"})
    assert page.status_code == 422
    assert "2 actors are called &#39;Putin&#39;: choose one" in page.text
    assert 'value="Putin"' in page.text  # the typed text is kept
    assert f"target={kept.id}" in page.text and f"target={other.id}" in page.text
    assert 'name="target"' not in page.text  # no merge button before a choice
    # A misspelt name: nothing called so, but the near names are offered.
    page = client.get(f"/actors/{duplicate.slug}/merge", params={"into": "Vladimir Putn"})
    assert page.status_code == 422
    assert "no other actor is called &#39;Vladimir Putn&#39;" in page.text
    assert 'value="Vladimir Putn"' in page.text
    assert "Did you mean" in page.text and f"target={kept.id}" in page.text
    # The duplicate itself is never a candidate, and slugs are not names.
    page = client.get(f"/actors/{duplicate.slug}/merge", params={"into": kept.slug})
    assert page.status_code == 422


def test_merge_records_what_moved_and_undo_puts_it_all_back(
    client: TestClient, session: Session, sign_in: Callable[[str], User]
) -> None:
    duplicate, kept = two_putins(session)
    before = snapshot(session)
    duplicate_id, duplicate_slug, kept_id = duplicate.id, duplicate.slug, kept.id
    sign_in("editor")
    token = form_token(client, f"/actors/{duplicate_slug}/merge?into=Vladimir+Putin")
    response = client.post(
        f"/actors/{duplicate_slug}/merge",
        data={"target": kept_id, "into": "Vladimir Putin", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == f"/actors/{kept.slug}"

    session.expire_all()
    assert session.get(Actor, duplicate_id) is None
    assert stored_counts(session) == recounted(session) and recounted(session)[kept_id] == 3
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "merge")).one()
    assert entry.before is not None and entry.after is not None
    assert entry.before["slug"] == duplicate_slug and entry.before["role"] == "President of Russia"
    assert entry.before["statement_count"] == 2
    assert len(entry.after["statement_ids"]) == 2 and len(entry.after["mention_ids"]) == 1
    assert {a["normalised"] for a in entry.after["aliases"]} == {"v. putin", "putin"}
    assert len(entry.after["alias_ids_added"]) == 1  # "putin" was the kept one's already
    assert client.get(f"/actors/{duplicate_slug}", follow_redirects=False).status_code == 301

    page = client.get(f"/actors/{kept.slug}").text
    assert "Undo merge" in page and f"/actors/merges/{entry.id}/undo" in page
    response = client.post(
        f"/actors/merges/{entry.id}/undo", data={"csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/actors/{duplicate_slug}"
    assert snapshot(session) == before
    assert client.get(f"/actors/{duplicate_slug}", follow_redirects=False).status_code == 200
    undo = session.scalars(select(AuditEntry).where(AuditEntry.action == "undo_merge")).all()
    assert {u.entity_id for u in undo} == {kept_id, duplicate_id}
    assert all(u.after and u.after["undoes"] == entry.id for u in undo)

    # Undoing twice is refused in words, and changes nothing.
    response = client.post(
        f"/actors/merges/{entry.id}/undo", data={"csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 409
    assert "already been undone" in response.text
    assert snapshot(session) == before


def test_undo_is_refused_when_a_moved_statement_has_another_speaker_since(
    session: Session, make_user: Callable[[str, str], User]
) -> None:
    duplicate, kept = two_putins(session)
    editor = make_user("editor@example.org", "editor")
    entry = review.merge(session, duplicate, kept, editor)
    someone = make_actor(session, "Someone Else")
    moved = session.get_one(Statement, entry.after["statement_ids"][0])  # type: ignore[index]
    review.correct(session, moved, editor, speaker=someone)
    problem = review.merge_undo_problem(session, entry)
    assert problem is not None and "1 of the statements it moved" in problem
    with pytest.raises(review.ReviewError, match="cannot be undone"):
        review.undo_merge(session, entry, editor)


def test_undo_is_refused_once_the_kept_actor_was_merged_on(
    client: TestClient,
    session: Session,
    sign_in: Callable[[str], User],
) -> None:
    duplicate, kept = two_putins(session)
    third = make_actor(session, "Vladimir V. Putin")
    session.commit()
    editor = sign_in("editor")
    first = review.merge(session, duplicate, kept, editor)
    review.merge(session, kept, third, editor)
    session.commit()
    assert "merged into another actor since" in (review.merge_undo_problem(session, first) or "")
    page = client.get(f"/actors/{third.slug}").text
    # The newer merge can be undone; then the first one can be too.
    second = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "merge").order_by(AuditEntry.id.desc())
    ).first()
    assert second is not None and f"/actors/merges/{second.id}/undo" in page
    review.undo_merge(session, second, editor)
    assert review.merge_undo_problem(session, first) is None
    review.undo_merge(session, first, editor)
    assert stored_counts(session) == recounted(session)
    assert session.get(Actor, duplicate.id) is not None


def test_merge_needs_an_editor_and_a_csrf_token(
    client: TestClient, session: Session, sign_in: Callable[[str], User]
) -> None:
    duplicate, kept = two_putins(session)
    url = f"/actors/{duplicate.slug}/merge"
    page = client.get(url, params={"into": "Vladimir Putin"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    sign_in("editor")
    response = client.post(url, data={"target": kept.id})
    assert response.status_code == 403
    session.expire_all()
    assert session.get(Actor, duplicate.id) is not None


def test_an_alias_held_by_another_actor_needs_confirming(
    client: TestClient, session: Session, sign_in: Callable[[str], User]
) -> None:
    putin = make_actor(session, "Vladimir Putin")
    session.add(ActorAlias(actor_id=putin.id, alias="Putin", normalised="putin"))
    kremlin = make_actor(session, "the Kremlin", kind="government")
    session.commit()
    sign_in("editor")
    token = form_token(client, f"/actors/{kremlin.slug}")
    url = f"/actors/{kremlin.slug}/aliases"
    refused = client.post(url, data={"alias": " putin ", "csrf_token": token})
    assert refused.status_code == 409
    assert "“putin” already belongs to" in refused.text and "Vladimir Putin" in refused.text
    assert "add it to the Kremlin too?" in refused.text
    assert 'name="confirm" value="yes"' in refused.text
    session.expire_all()
    assert not session.scalars(select(ActorAlias).where(ActorAlias.actor_id == kremlin.id)).all()
    assert not session.scalars(select(AuditEntry)).all()

    confirmed = client.post(
        url,
        data={"alias": "putin", "confirm": "yes", "csrf_token": token},
        follow_redirects=False,
    )
    assert confirmed.status_code == 303
    session.expire_all()
    owners = set(
        session.scalars(select(ActorAlias.actor_id).where(ActorAlias.normalised == "putin"))
    )
    assert owners == {putin.id, kremlin.id}
    [entry] = session.scalars(select(AuditEntry)).all()
    assert entry.after == {
        "alias": "putin",
        "shared_with": [{"id": putin.id, "name": "Vladimir Putin"}],
    }


def test_the_api_refuses_a_shared_alias_unless_confirmed(
    client: TestClient, session: Session, bearer: Callable[[str], dict[str, str]]
) -> None:
    putin = make_actor(session, "Vladimir Putin")
    session.add(ActorAlias(actor_id=putin.id, alias="Putin", normalised="putin"))
    kremlin = make_actor(session, "the Kremlin", kind="government")
    session.commit()
    headers = bearer("editor")
    url = f"/api/actors/{kremlin.slug}/aliases"
    refused = client.post(url, json={"alias": "Putin"}, headers=headers)
    assert refused.status_code == 409 and "already belongs to Vladimir Putin" in refused.text
    assert (
        client.post(url, json={"alias": "Putin", "confirm": True}, headers=headers).status_code
        == 201
    )


def test_a_merge_made_meanwhile_by_another_editor_is_refused_in_words(
    session: Session, make_user: Callable[[str, str], User]
) -> None:
    duplicate, kept = two_putins(session)
    editor = make_user("editor@example.org", "editor")
    # As another editor's committed merge would: the row is gone, this session's object not.
    session.execute(delete(Actor).where(Actor.id == duplicate.id))
    with pytest.raises(review.ReviewError, match=r"V\. Putin was merged or removed meanwhile"):
        review.merge(session, duplicate, kept, editor)
    assert not session.scalars(select(AuditEntry)).all()


def test_the_api_merges_and_undoes_by_the_merge_id(
    client: TestClient, session: Session, bearer: Callable[[str], dict[str, str]]
) -> None:
    duplicate, kept = two_putins(session)
    before = snapshot(session)
    headers = bearer("editor")
    merged = client.post(
        f"/api/actors/{duplicate.slug}/merge", json={"into": kept.slug}, headers=headers
    )
    assert merged.status_code == 200
    merge_id = merged.json()["merge_id"]
    undo = client.post(f"/api/actors/merges/{merge_id}/undo", headers=headers)
    assert undo.status_code == 200 and undo.json()["slug"] == before_slug(before, duplicate.id)
    assert snapshot(session) == before
    again = client.post(f"/api/actors/merges/{merge_id}/undo", headers=headers)
    assert again.status_code == 409 and "already been undone" in again.json()["detail"]
    assert client.post("/api/actors/merges/999999/undo", headers=headers).status_code == 404


def before_slug(state: dict[str, object], actor_id: int) -> str:
    actors = state["actors"]
    assert isinstance(actors, set)
    return next(row.slug for row in actors if row.id == actor_id)
