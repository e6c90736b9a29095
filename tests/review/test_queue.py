"""The review queue: what waits for an editor, in what order, and decisions on a selection."""

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.accounts import User
from app.models.review import AuditEntry, ReviewBatch
from app.models.statements import Statement
from tests.accounts.conftest import form_token
from tests.factories import make_actor, make_article, make_statement

BODY = "Alpha said one. Beta said two. Gamma said three. Delta said four."


def _claims(session: Session, confidences: list[float], body: str = BODY) -> list[Statement]:
    article = make_article(session, body=body)
    speaker = make_actor(session, "Jane Doe")
    made = []
    for i, confidence in enumerate(confidences):
        statement = make_statement(session, article, speaker, i * 16, i * 16 + 14)
        statement.confidence = confidence
        statement.rule = "rule_a" if i % 2 == 0 else "rule_b"
        made.append(statement)
    session.commit()
    return made


def test_queue_lists_machine_claims_lowest_confidence_first_and_filters(
    client: TestClient, session: Session, sign_in: Callable[[str], User]
) -> None:
    claims = _claims(session, [0.9, 0.2, 0.5, 0.7])
    claims[3].review_status = "confirmed"
    other = _claims(session, [0.1], body="Epsilon said five, elsewhere.")
    session.commit()
    sign_in("editor")

    items = client.get("/api/review").json()["items"]
    assert [item["id"] for item in items] == [other[0].id, claims[1].id, claims[2].id, claims[0].id]
    first = items[1]
    assert first["context"]["claim"] == BODY[claims[1].start : claims[1].end]
    assert first["rule"] == "rule_b" and first["confidence"] == 0.2

    by_article = client.get(f"/api/review?article={claims[0].article_id}").json()
    assert by_article["total"] == 3
    by_rule = client.get("/api/review?rule=rule_a").json()["items"]
    assert {item["id"] for item in by_rule} == {claims[0].id, claims[2].id, other[0].id}

    page = client.get(f"/review?article={claims[0].article_id}&rule=rule_a").text
    assert "Review queue" in page and "2 claims to review" in page
    assert "Reject all machine claims of this article" in page


def test_visitors_and_viewers_have_no_queue(
    client: TestClient, sign_in: Callable[[str], User]
) -> None:
    response = client.get("/review", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert client.get("/api/review").status_code == 401
    sign_in("viewer")
    assert client.get("/review").status_code == 403
    assert 'href="/review"' not in client.get("/").text


def test_bulk_reject_with_a_reason_then_undo_restores_exactly(
    client: TestClient, session: Session, sign_in: Callable[[str], User]
) -> None:
    claims = _claims(session, [0.3, 0.4, 0.5, 0.6])
    claims[2].review_status = "confirmed"  # a person's decision: rejected now, restored later
    session.commit()
    editor = sign_in("editor")
    token = form_token(client, "/review")
    chosen = [claims[0].id, claims[1].id, claims[2].id]
    response = client.post(
        "/review/decide",
        data={
            "ids": chosen,
            "action": "reject",
            "reason": "  not claims,  headlines ",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    session.expire_all()
    assert [session.get(Statement, i).review_status for i in chosen] == ["rejected"] * 3
    [batch] = session.scalars(select(ReviewBatch)).all()
    assert (batch.user_id, batch.action, batch.reason) == (
        editor.id,
        "reject",
        "not claims, headlines",
    )
    entries = session.scalars(select(AuditEntry).where(AuditEntry.batch_id == batch.id)).all()
    assert sorted(entry.entity_id for entry in entries) == chosen
    assert {entry.reason for entry in entries} == {"not claims, headlines"}

    page = client.get("/review").text
    assert "Rejected 3 claims." in page and "Undo" in page
    history = client.get(f"/statements/{claims[0].id}").text
    assert "reason: not claims, headlines" in history

    response = client.post(
        "/review/undo",
        data={"batch_id": batch.id, "next": "/review", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    session.expire_all()
    statuses = [session.get(Statement, i).review_status for i in chosen]
    assert statuses == ["unreviewed", "unreviewed", "confirmed"]
    assert session.get(Statement, claims[0].id).reviewed_by_id is None
    assert session.get(ReviewBatch, batch.id).undone_at is not None
    undo_entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "undo")).all()
    assert len(undo_entries) == 3
    assert "Undone: 3 claims are as before." in client.get("/review").text

    # Twice: a no-op, said in words.
    client.post(
        "/review/undo",
        data={"batch_id": batch.id, "csrf_token": token},
        follow_redirects=False,
    )
    assert "already undone" in client.get("/review").text
    session.expire_all()
    assert len(session.scalars(select(AuditEntry).where(AuditEntry.action == "undo")).all()) == 3


def test_row_buttons_decide_one_claim_and_repeating_changes_nothing(
    client: TestClient, session: Session, sign_in: Callable[[str], User]
) -> None:
    claims = _claims(session, [0.3, 0.4])
    sign_in("editor")
    token = form_token(client, "/review")
    for _ in range(2):
        client.post(
            "/review/decide",
            data={"row": f"confirm:{claims[0].id}", "ids": [claims[1].id], "csrf_token": token},
        )
    session.expire_all()
    assert session.get(Statement, claims[0].id).review_status == "confirmed"
    assert session.get(Statement, claims[1].id).review_status == "unreviewed"
    assert len(session.scalars(select(AuditEntry)).all()) == 1
    assert len(session.scalars(select(ReviewBatch)).all()) == 1


def test_without_csrf_or_a_selection_nothing_changes(
    client: TestClient, session: Session, sign_in: Callable[[str], User]
) -> None:
    claims = _claims(session, [0.3])
    sign_in("editor")
    response = client.post("/review/decide", data={"ids": [claims[0].id], "action": "reject"})
    assert response.status_code == 403
    token = form_token(client, "/review")
    response = client.post("/review/decide", data={"action": "reject", "csrf_token": token})
    assert response.status_code == 422
    assert "select at least one claim" in response.text
    session.expire_all()
    assert session.get(Statement, claims[0].id).review_status == "unreviewed"


def test_reject_all_machine_claims_of_an_article_spares_human_decisions(
    client: TestClient, session: Session, sign_in: Callable[[str], User]
) -> None:
    claims = _claims(session, [0.3, 0.4, 0.5])
    claims[1].review_status = "confirmed"
    session.commit()
    sign_in("editor")
    token = form_token(client, "/review")
    client.post(
        "/review/decide",
        data={
            "action": "reject_article",
            "article_id": claims[0].article_id,
            "back": f"article={claims[0].article_id}",
            "csrf_token": token,
        },
    )
    session.expire_all()
    statuses = [session.get(Statement, c.id).review_status for c in claims]
    assert statuses == ["rejected", "confirmed", "rejected"]
    [batch] = session.scalars(select(ReviewBatch)).all()
    assert batch.action == "reject_article"


def test_bulk_reassign_by_name_keeps_the_form_when_the_name_is_unknown(
    client: TestClient, session: Session, sign_in: Callable[[str], User]
) -> None:
    claims = _claims(session, [0.3, 0.4])
    girkin = make_actor(session, "Igor Girkin")
    session.commit()
    sign_in("editor")
    token = form_token(client, "/review")
    ids = [c.id for c in claims]
    response = client.post(
        "/review/decide",
        data={"ids": ids, "action": "reassign", "speaker": "Igor Grkin", "csrf_token": token},
    )
    assert response.status_code == 422
    assert "no actor is called" in response.text
    assert 'value="Igor Grkin"' in response.text  # what was typed is kept
    assert f'name="choose_speaker" value="{girkin.id}"' in response.text  # and he is offered
    assert response.text.count("checked") >= 2  # the selection too

    response = client.post(
        "/review/decide",
        data={"ids": ids, "action": "reassign", "speaker": "igor  GIRKIN", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    session.expire_all()
    assert {session.get(Statement, i).speaker_id for i in ids} == {girkin.id}
    assert {session.get(Statement, i).review_status for i in ids} == {"corrected"}


def test_bulk_api_decides_and_undoes_with_a_token(
    client: TestClient, session: Session, bearer: Callable[[str], dict[str, str]]
) -> None:
    claims = _claims(session, [0.3, 0.4])
    headers = bearer("editor")
    ids = [c.id for c in claims]
    assert (
        client.post("/api/review/decisions", json={"action": "reject", "ids": ids}).status_code
        == 401
    )
    response = client.post(
        "/api/review/decisions",
        json={"action": "reject", "ids": [*ids, 999_999], "reason": "duplicates"},
        headers=headers,
    )
    assert response.status_code == 200
    body = response.json()
    assert body["changed"] == ids and body["missing"] == [999_999]
    batch_id = body["batch_id"]
    # The same decision again changes nothing and makes no batch.
    again = client.post(
        "/api/review/decisions", json={"action": "reject", "ids": ids}, headers=headers
    ).json()
    assert again["batch_id"] is None and again["changed"] == []

    others = bearer("admin")
    refused = client.post(f"/api/review/batches/{batch_id}/undo", headers=others)
    assert refused.status_code == 403
    undone = client.post(f"/api/review/batches/{batch_id}/undo", headers=headers).json()
    assert undone["restored"] == ids and not undone["already"]
    again = client.post(f"/api/review/batches/{batch_id}/undo", headers=headers).json()
    assert again["already"] and again["restored"] == []
    session.expire_all()
    assert {session.get(Statement, i).review_status for i in ids} == {"unreviewed"}


def test_undo_leaves_a_claim_someone_changed_since(
    client: TestClient, session: Session, bearer: Callable[[str], dict[str, str]]
) -> None:
    claims = _claims(session, [0.3, 0.4])
    mine, theirs = bearer("editor"), bearer("admin")
    ids = [c.id for c in claims]
    batch_id = client.post(
        "/api/review/decisions", json={"action": "reject", "ids": ids}, headers=mine
    ).json()["batch_id"]
    client.post(
        "/api/review/decisions", json={"action": "restore", "ids": [ids[1]]}, headers=theirs
    )
    undone = client.post(f"/api/review/batches/{batch_id}/undo", headers=mine).json()
    assert undone["restored"] == [ids[0]] and undone["skipped"] == [ids[1]]
    session.expire_all()
    assert session.get(Statement, ids[1]).review_status == "confirmed"


def test_speaker_filter_takes_a_name_and_the_history_api_gives_the_reason(
    client: TestClient, session: Session, bearer: Callable[[str], dict[str, str]]
) -> None:
    claims = _claims(session, [0.3, 0.4])
    other = make_actor(session, "Igor Girkin")
    claims[1].speaker_id = other.id
    session.commit()
    headers = bearer("editor")
    by_name = client.get("/api/review?actor=igor girkin", headers=headers).json()["items"]
    assert [item["id"] for item in by_name] == [claims[1].id]
    by_slug = client.get(f"/api/review?actor={other.slug}", headers=headers).json()["items"]
    assert [item["id"] for item in by_slug] == [claims[1].id]
    assert client.get("/api/review?actor=nobody", headers=headers).json()["total"] == 0

    client.post(
        "/api/review/decisions",
        json={"action": "reject", "ids": [claims[0].id], "reason": "a headline"},
        headers=headers,
    )
    [entry] = client.get(f"/api/statements/{claims[0].id}/history").json()["items"]
    assert entry["reason"] == "a headline" and "email" not in entry


def test_an_actors_count_follows_a_bulk_reject_and_its_undo(
    session: Session, make_user: Callable[[str, str], User]
) -> None:
    from app.models.actors import Actor
    from app.review import service

    claims = _claims(session, [0.3, 0.4, 0.5])
    speaker_id = claims[0].speaker_id
    editor = make_user("counts@example.org", "editor")

    def count() -> int:
        session.expire_all()
        actor = session.get(Actor, speaker_id)
        assert actor is not None
        return actor.statement_count

    assert count() == 3
    decision = service.decide(session, editor, [c.id for c in claims[:2]], "reject")
    assert count() == 1
    assert decision.batch is not None
    service.undo(session, editor, decision.batch.id)
    assert count() == 3
