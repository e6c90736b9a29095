"""Correcting one claim: speaker by name, span within its sentence (previewed), cue, type and
kind; an empty save stores and logs nothing; a new speaker near an existing one is confirmed."""

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.accounts import User
from app.models.actors import Actor, ActorAlias
from app.models.review import AuditEntry
from app.models.statements import Statement
from tests.accounts.conftest import form_token
from tests.factories import make_actor, make_article, make_statement

BODY = (
    "Intro line. The spokesman said that the drills were routine and posed no threat, "
    "adding nothing more. Next sentence."
)
SENTENCE = (
    "The spokesman said that the drills were routine and posed no threat, adding nothing more."
)


@pytest.fixture
def claim(session: Session) -> Statement:
    article = make_article(session, body=BODY)
    speaker = make_actor(session, "Dmitry Peskov")
    session.add(ActorAlias(actor_id=speaker.id, alias="Peskov", normalised="peskov"))
    start = BODY.index("the drills")
    statement = make_statement(session, article, speaker, start, BODY.index(", adding"))
    statement.sentence_start = BODY.index("The spokesman")
    statement.sentence_end = statement.sentence_start + len(SENTENCE)
    session.commit()
    return statement


def _form(claim: Statement, **fields: str) -> dict[str, str]:
    speaker = claim.speaker.name if claim.speaker else ""
    base = {
        "speaker": speaker,
        "span": claim.content,
        "cue": claim.cue,
        "kind": claim.kind,
        "type": claim.type,
        "cue_class": claim.cue_class,
        "step": "save",
    }
    return {**base, **fields}


def _audit_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_an_empty_save_changes_nothing_and_logs_nothing(
    client: TestClient, session: Session, sign_in: Callable[[str], User], claim: Statement
) -> None:
    sign_in("editor")
    token = form_token(client, f"/statements/{claim.id}")
    response = client.post(
        f"/statements/{claim.id}/correct", data={**_form(claim), "csrf_token": token}
    )
    assert response.status_code == 200
    assert "Nothing changed, so nothing was saved." in response.text
    session.expire_all()
    assert session.get(Statement, claim.id).review_status == "unreviewed"
    assert _audit_count(session) == 0


def test_trimming_the_span_is_previewed_then_saved_and_slices_the_body(
    client: TestClient, session: Session, sign_in: Callable[[str], User], claim: Statement
) -> None:
    sign_in("editor")
    token = form_token(client, f"/statements/{claim.id}")
    trimmed = "the drills were routine"
    preview = client.post(
        f"/statements/{claim.id}/correct", data={**_form(claim, span=trimmed), "csrf_token": token}
    )
    assert preview.status_code == 200
    assert "The claim will read:" in preview.text
    assert f"<mark>{trimmed}</mark>" in preview.text
    session.expire_all()
    assert session.get(Statement, claim.id).content != trimmed  # not saved yet
    assert _audit_count(session) == 0

    client.post(
        f"/statements/{claim.id}/correct",
        data={**_form(claim, span=trimmed), "previewed": trimmed, "csrf_token": token},
    )
    session.expire_all()
    stored = session.get(Statement, claim.id)
    assert stored.content == trimmed
    assert BODY[stored.start : stored.end] == trimmed
    assert stored.article.body[stored.start : stored.end] == stored.content
    assert stored.review_status == "corrected"
    [entry] = session.scalars(select(AuditEntry)).all()
    assert entry.before["content"] != trimmed and entry.after["content"] == trimmed


def test_extending_the_span_within_the_sentence_and_refusing_outside_it(
    client: TestClient, session: Session, sign_in: Callable[[str], User], claim: Statement
) -> None:
    sign_in("editor")
    token = form_token(client, f"/statements/{claim.id}")
    extended = "that the drills were routine and posed no threat, adding nothing more"
    client.post(
        f"/statements/{claim.id}/correct",
        data={**_form(claim, span=extended), "previewed": extended, "csrf_token": token},
    )
    session.expire_all()
    stored = session.get(Statement, claim.id)
    assert BODY[stored.start : stored.end] == extended

    outside = "routine and posed no threat, adding nothing more. Next"
    response = client.post(
        f"/statements/{claim.id}/correct",
        data={**_form(stored, span=outside), "previewed": outside, "csrf_token": token},
    )
    assert response.status_code == 422
    assert "must be part of its sentence" in response.text
    assert outside in response.text  # the typed text is kept
    session.expire_all()
    assert session.get(Statement, claim.id).content == extended


def test_cue_type_kind_and_class_change_together_with_before_and_after(
    client: TestClient, session: Session, sign_in: Callable[[str], User], claim: Statement
) -> None:
    sign_in("editor")
    token = form_token(client, f"/statements/{claim.id}")
    fields = _form(claim, cue="adding", type="other", kind="mixed", cue_class="predict")
    client.post(f"/statements/{claim.id}/correct", data={**fields, "csrf_token": token})
    session.expire_all()
    stored = session.get(Statement, claim.id)
    assert (stored.cue, stored.type, stored.kind, stored.cue_class) == (
        "adding",
        "other",
        "mixed",
        "predict",
    )
    [entry] = session.scalars(select(AuditEntry)).all()
    assert entry.before["cue"] == "said" and entry.after["cue"] == "adding"
    assert entry.before["type"] == "statement" and entry.after["type"] == "other"

    response = client.post(
        f"/statements/{claim.id}/correct",
        data={**_form(stored, cue="shouted"), "csrf_token": token},
    )
    assert response.status_code == 422 and "is not in the claim&#39;s sentence" in response.text


def test_speaker_by_name_or_alias_never_a_404(
    client: TestClient, session: Session, sign_in: Callable[[str], User], claim: Statement
) -> None:
    girkin = make_actor(session, "Igor Girkin")
    session.add(ActorAlias(actor_id=girkin.id, alias="Strelkov", normalised="strelkov"))
    session.commit()
    sign_in("editor")
    token = form_token(client, f"/statements/{claim.id}")
    response = client.post(
        f"/statements/{claim.id}/correct",
        data={**_form(claim, speaker="Girkin Igor Ivanovich"), "csrf_token": token},
    )
    assert response.status_code == 422
    assert 'value="Girkin Igor Ivanovich"' in response.text
    assert f'name="choose_speaker" value="{girkin.id}"' in response.text

    client.post(
        f"/statements/{claim.id}/correct",
        data={**_form(claim, speaker="Mr. Strelkov"), "csrf_token": token},
    )
    session.expire_all()
    assert session.get(Statement, claim.id).speaker_id == girkin.id


def test_two_actors_by_one_name_are_offered_to_choose(
    client: TestClient, session: Session, sign_in: Callable[[str], User], claim: Statement
) -> None:
    first, second = make_actor(session, "Alexander Ivanov"), make_actor(session, "Sergei Ivanov")
    for actor in (first, second):
        session.add(ActorAlias(actor_id=actor.id, alias="Ivanov", normalised="ivanov"))
    session.commit()
    sign_in("editor")
    token = form_token(client, f"/statements/{claim.id}")
    response = client.post(
        f"/statements/{claim.id}/correct",
        data={**_form(claim, speaker="Ivanov"), "csrf_token": token},
    )
    assert response.status_code == 422 and "several actors go by" in response.text
    client.post(
        f"/statements/{claim.id}/correct",
        data={
            **_form(claim, speaker="Ivanov"),
            "choose_speaker": str(second.id),
            "csrf_token": token,
        },
    )
    session.expire_all()
    assert session.get(Statement, claim.id).speaker_id == second.id


def test_a_new_speaker_near_an_existing_one_asks_did_you_mean(
    client: TestClient, session: Session, sign_in: Callable[[str], User], claim: Statement
) -> None:
    putin = make_actor(session, "Vladimir Putin")
    session.add(ActorAlias(actor_id=putin.id, alias="Vladimir Putin", normalised="vladimir putin"))
    session.commit()
    actors_before = session.scalar(select(func.count()).select_from(Actor))
    sign_in("editor")
    token = form_token(client, f"/statements/{claim.id}")
    asked = client.post(
        f"/statements/{claim.id}/correct",
        data={**_form(claim), "new_speaker_name": "Vladimir V. Putin", "csrf_token": token},
    )
    assert asked.status_code == 422
    assert "Did you mean Vladimir Putin?" in asked.text
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Actor)) == actors_before

    # The same surname is enough to ask.
    asked = client.post(
        f"/statements/{claim.id}/correct",
        data={**_form(claim), "new_speaker_name": "Lyudmila Putin", "csrf_token": token},
    )
    assert "Did you mean Vladimir Putin?" in asked.text

    client.post(
        f"/statements/{claim.id}/correct",
        data={
            **_form(claim),
            "new_speaker_name": "Lyudmila Putin",
            "new_speaker_kind": "person",
            "confirm_new": "yes",
            "csrf_token": token,
        },
    )
    session.expire_all()
    stored = session.get(Statement, claim.id)
    assert stored.speaker is not None and stored.speaker.name == "Lyudmila Putin"
    assert stored.speaker.slug == "lyudmila-putin"


def test_undo_of_a_correction_restores_span_cue_and_speaker(
    client: TestClient, session: Session, sign_in: Callable[[str], User], claim: Statement
) -> None:
    other = make_actor(session, "Someone Else")
    session.commit()
    was = (claim.speaker_id, claim.start, claim.end, claim.content, claim.cue, claim.kind)
    sign_in("editor")
    token = form_token(client, f"/statements/{claim.id}")
    trimmed = "the drills"
    client.post(
        f"/statements/{claim.id}/correct",
        data={
            **_form(claim, speaker="Someone Else", span=trimmed, cue="adding", kind="direct"),
            "previewed": trimmed,
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    session.expire_all()
    assert session.get(Statement, claim.id).speaker_id == other.id
    page = client.get(f"/statements/{claim.id}").text
    assert "Correction saved." in page
    batch_id = session.scalars(select(AuditEntry.batch_id)).one()
    client.post(
        "/review/undo",
        data={"batch_id": batch_id, "next": f"/statements/{claim.id}", "csrf_token": token},
    )
    session.expire_all()
    restored = session.get(Statement, claim.id)
    now = (
        restored.speaker_id,
        restored.start,
        restored.end,
        restored.content,
        restored.cue,
        restored.kind,
    )
    assert now == was
    assert restored.review_status == "unreviewed"


def test_the_api_corrects_words_by_text_and_a_speaker_by_name(
    client: TestClient,
    session: Session,
    bearer: Callable[[str], dict[str, str]],
    claim: Statement,
) -> None:
    headers = bearer("editor")
    unchanged = client.patch(f"/api/statements/{claim.id}", json={}, headers=headers)
    assert unchanged.status_code == 200 and unchanged.json()["review_status"] == "unreviewed"
    assert _audit_count(session) == 0
    response = client.patch(
        f"/api/statements/{claim.id}",
        json={"span": "posed no threat", "speaker_name": "peskov", "type": "belief"},
        headers=headers,
    )
    assert response.status_code == 200
    state = response.json()
    assert BODY[state["start"] : state["end"]] == "posed no threat" == state["content"]
    assert state["type"] == "belief" and state["speaker"] == "Dmitry Peskov"
    unknown = client.patch(
        f"/api/statements/{claim.id}", json={"speaker_name": "Nobody Known"}, headers=headers
    )
    assert unknown.status_code == 422
    assert "no actor is called 'Nobody Known'" in unknown.json()["detail"]


def test_the_api_asks_before_creating_a_near_duplicate_speaker(
    client: TestClient,
    session: Session,
    bearer: Callable[[str], dict[str, str]],
    claim: Statement,
) -> None:
    putin = make_actor(session, "Vladimir Putin")
    session.add(ActorAlias(actor_id=putin.id, alias="Vladimir Putin", normalised="vladimir putin"))
    session.commit()
    headers = bearer("editor")
    asked = client.patch(
        f"/api/statements/{claim.id}",
        json={"new_speaker_name": "Vladimir V. Putin", "new_speaker_kind": "person"},
        headers=headers,
    )
    assert asked.status_code == 422
    assert f"Vladimir Putin (id {putin.id})" in asked.json()["detail"]
    made = client.patch(
        f"/api/statements/{claim.id}",
        json={"new_speaker_name": "Vladimir V. Putin", "confirm_new": True},
        headers=headers,
    )
    assert made.status_code == 200 and made.json()["speaker"] == "Vladimir V. Putin"


def test_a_claim_over_a_line_break_saves_unchanged_from_a_browsers_crlf(
    client: TestClient, session: Session, sign_in: Callable[[str], User]
) -> None:
    body = "Heading\nThe envoy said the talks\nwould resume soon. End."
    article = make_article(session, body=body)
    start, end = body.index("the talks"), body.index(" soon")
    statement = make_statement(session, article, make_actor(session, "An Envoy"), start, end)
    statement.sentence_start, statement.sentence_end = body.index("The envoy"), body.index(" End")
    session.commit()
    sign_in("editor")
    token = form_token(client, f"/statements/{statement.id}")
    as_sent = statement.content.replace("\n", "\r\n")
    response = client.post(
        f"/statements/{statement.id}/correct",
        data={**_form(statement, span=as_sent), "csrf_token": token},
    )
    assert "Nothing changed, so nothing was saved." in response.text
    trimmed = "the talks\r\nwould resume"
    client.post(
        f"/statements/{statement.id}/correct",
        data={**_form(statement, span=trimmed), "previewed": trimmed, "csrf_token": token},
    )
    session.expire_all()
    stored = session.get(Statement, statement.id)
    assert stored.content == "the talks\nwould resume" == body[stored.start : stored.end]
