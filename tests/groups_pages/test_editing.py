"""Editors split a statement out of a claim and merge two claims, from the claim page: both
confirmed first, CSRF-checked, audited; visitors can do neither."""

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.accounts import User
from app.models.groups import ClaimGroup
from app.models.review import AuditEntry
from app.models.statements import Statement
from tests.accounts.conftest import form_token
from tests.groups_pages.conftest import Repeated, grouped


def test_an_editor_splits_a_statement_out_after_confirming(
    client: TestClient, session: Session, sign_in: Callable[[str], User], repeated: Repeated
) -> None:
    editor = sign_in("editor")
    group, moved = repeated.group, repeated.statements[1]
    html = client.get(f"/claims/{group.id}").text
    assert f'href="/claims/{group.id}/split?statement={moved.id}"' in html
    confirm = client.get(f"/claims/{group.id}/split?statement={moved.id}")
    assert "Split this statement out of the claim?" in confirm.text
    token = form_token(client, f"/claims/{group.id}/split?statement={moved.id}")
    # Without the confirmation nothing changes: back to the question.
    response = client.post(
        f"/claims/{group.id}/split",
        data={"statement": moved.id, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303 and "/split?statement=" in response.headers["location"]
    session.expire_all()
    assert session.get_one(Statement, moved.id).claim_group_id == group.id
    response = client.post(
        f"/claims/{group.id}/split",
        data={"statement": moved.id, "csrf_token": token, "confirm": "yes"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    session.expire_all()
    statement = session.get_one(Statement, moved.id)
    assert statement.claim_group_id != group.id and statement.group_fixed
    assert response.headers["location"] == f"/claims/{statement.claim_group_id}"
    assert session.get_one(ClaimGroup, group.id).statement_count == 2
    [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "split_group"))
    assert (entry.user_email, entry.entity_id) == (editor.email, moved.id)
    assert "1 appearance" in client.get(response.headers["location"]).text


def test_an_editor_merges_another_claim_after_confirming(
    client: TestClient, session: Session, sign_in: Callable[[str], User], repeated: Repeated
) -> None:
    sign_in("editor")
    target = repeated.group
    other = grouped(session, [repeated.other], repeated.speaker)
    session.commit()
    other_id = other.id
    # The other claim may be named by its address; the page asks first.
    confirm = client.get(f"/claims/{target.id}/merge", params={"other": f"/claims/{other.id}"})
    assert confirm.status_code == 200
    assert "Merge these claims?" in confirm.text and repeated.other.content in confirm.text
    token = form_token(client, f"/claims/{target.id}/merge?other={other.id}")
    response = client.post(
        f"/claims/{target.id}/merge",
        data={"other": str(other.id), "csrf_token": token, "confirm": "yes"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == f"/claims/{target.id}"
    session.expire_all()
    assert session.get_one(Statement, repeated.other.id).claim_group_id == target.id
    assert session.scalar(select(ClaimGroup.id).where(ClaimGroup.id == other_id)) is None
    assert session.get_one(ClaimGroup, target.id).statement_count == 4
    [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "merge"))
    assert (entry.entity, entry.entity_id) == ("claim_group", target.id)
    assert "4 appearances" in client.get(f"/claims/{target.id}").text


def test_a_wrong_other_claim_is_said_next_to_the_field(
    client: TestClient, session: Session, sign_in: Callable[[str], User], repeated: Repeated
) -> None:
    sign_in("editor")
    group = repeated.group.id
    for typed, message in (
        ("banana", "Give the other claim&#39;s number or its address"),
        (str(group), "That is this claim: give another one."),
        ("987654", "There is no claim 987654."),
    ):
        response = client.get(f"/claims/{group}/merge", params={"other": typed})
        assert response.status_code == 422
        assert message in response.text and 'aria-invalid="true"' in response.text
    token = form_token(client, f"/claims/{group}")
    response = client.post(
        f"/claims/{group}/merge", data={"other": "987654", "csrf_token": token, "confirm": "yes"}
    )
    assert response.status_code == 422 and "There is no claim 987654." in response.text
    session.expire_all()
    assert session.get_one(ClaimGroup, group).statement_count == 3


def test_visitors_and_forged_forms_change_nothing(
    client: TestClient, session: Session, sign_in: Callable[[str], User], repeated: Repeated
) -> None:
    group, moved = repeated.group.id, repeated.statements[0].id
    html = client.get(f"/claims/{group}").text
    assert "Split out" not in html and "Merge another claim" not in html
    data = {"statement": moved, "confirm": "yes"}
    # A visitor is sent to sign in (back to the claim's page, or the confirmation asked for).
    posted = client.post(f"/claims/{group}/split", data=data, follow_redirects=False)
    assert posted.status_code == 303 and posted.headers["location"].startswith("/login?next=")
    asked = client.get(f"/claims/{group}/split?statement={moved}", follow_redirects=False)
    assert asked.status_code == 303
    assert asked.headers["location"] == f"/login?next=/claims/{group}/split"
    sign_in("viewer")
    assert client.post(f"/claims/{group}/split", data=data).status_code == 403
    client.post("/logout", data={"csrf_token": form_token(client, "/")})
    sign_in("editor")
    assert client.post(f"/claims/{group}/split", data=data).status_code == 403  # no CSRF token
    # A statement of another claim cannot be split out of this one.
    token = form_token(client, f"/claims/{group}")
    response = client.post(
        f"/claims/{group}/split",
        data={"statement": repeated.other.id, "csrf_token": token, "confirm": "yes"},
    )
    assert response.status_code == 404
    assert f"statement {repeated.other.id} is not one of claim {group}" in response.text
    session.expire_all()
    assert session.get_one(ClaimGroup, group).statement_count == 3
    assert session.scalars(select(AuditEntry)).all() == []
