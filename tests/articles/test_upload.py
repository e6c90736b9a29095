"""Adding articles through the form and the API: who may, what is refused, and why, in words."""

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.accounts import User
from app.models.articles import Article
from app.settings import get_settings
from tests.accounts.conftest import form_token
from tests.conftest import SEED_ARTICLE

GOOD = b"Drills near the border\n\nThe defence minister said the drills were routine."


def articles(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Article)) or 0


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CLAIMTRACKER_MAX_UPLOAD_BYTES", "1000")
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("CLAIMTRACKER_MAX_UPLOAD_BYTES")
    get_settings.cache_clear()


def upload(client: TestClient, files: list[tuple[str, bytes]], **fields: str):  # type: ignore[no-untyped-def]
    data = {"csrf_token": form_token(client, "/articles/new"), **fields}
    return client.post(
        "/articles/new",
        data=data,
        files=[("files", (name, content)) for name, content in files] or None,
        follow_redirects=False,
    )


def test_visitors_are_sent_to_sign_in_and_viewers_refused(
    client: TestClient, sign_in: Callable[[str], User]
) -> None:
    response = client.get("/articles/new", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/articles/new"
    assert 'href="/articles/new"' not in client.get("/login").text  # no edit controls for visitors
    sign_in("viewer")
    assert client.get("/articles/new").status_code == 403


def test_editor_uploads_the_seed_and_lands_on_its_claims(
    client: TestClient, session: Session, sign_in: Callable[[str], User]
) -> None:
    sign_in("editor")
    response = upload(client, [("../../secret/" + SEED_ARTICLE.name, SEED_ARTICLE.read_bytes())])
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/articles/")
    page = client.get(location).text
    assert "conspiracy theories" in page
    stored = session.scalar(select(Article))
    assert stored is not None and stored.original_filename == SEED_ARTICLE.name

    again = upload(client, [("copy.txt", SEED_ARTICLE.read_bytes())])
    assert again.status_code == 200  # as if sent once: the page says it is there already
    assert "already stored" in again.text
    assert f'href="/articles/{stored.id}"' in again.text
    assert articles(session) == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty.txt: the file is empty."),
        ("blob.txt", b"\x00\x01\x02", "blob.txt: the file is binary, not text."),
        ("latin.txt", "café".encode("latin-1") * 3, "latin.txt: the file is not UTF-8 text"),
        ("slides.pdf", b"%PDF-1.4", "slides.pdf: unsupported file type .pdf"),
        ("lines.jsonl", b'{"body": "a"}\n{"body": \n', "lines.jsonl:2: invalid JSON line"),
    ],
)
def test_bad_files_are_explained_next_to_the_field(
    client: TestClient,
    session: Session,
    sign_in: Callable[[str], User],
    name: str,
    content: bytes,
    message: str,
) -> None:
    sign_in("editor")
    response = upload(client, [(name, content)])
    assert response.status_code == 422
    assert 'id="files-error"' in response.text
    assert message in response.text
    assert articles(session) == 0


def test_too_large_is_refused_while_streaming(
    client: TestClient, session: Session, sign_in: Callable[[str], User], small_limit: None
) -> None:
    sign_in("editor")
    response = upload(client, [("big.txt", b"Title\n\n" + b"word " * 1000)])
    assert response.status_code == 413
    assert "big.txt is larger than the limit" in response.text
    assert articles(session) == 0


def test_pasted_article_with_a_bad_date_keeps_what_was_typed(
    client: TestClient, session: Session, sign_in: Callable[[str], User]
) -> None:
    sign_in("editor")
    response = upload(
        client, [], title="Pasted", body="The minister said so.", published_at="last week"
    )
    assert response.status_code == 422
    assert 'id="published_at-error"' in response.text
    assert "The minister said so." in response.text  # the text is not lost
    response = upload(
        client, [], title="Pasted", body="The minister said so.", published_at="2022-12-15"
    )
    assert response.status_code == 303
    assert articles(session) == 1


def test_form_post_without_csrf_token_is_forbidden(
    client: TestClient, session: Session, sign_in: Callable[[str], User]
) -> None:
    sign_in("editor")
    response = client.post("/articles/new", files=[("files", ("a.txt", GOOD))])
    assert response.status_code == 403
    assert articles(session) == 0


def test_api_create_then_same_body_again(
    client: TestClient, session: Session, bearer: Callable[[str], dict[str, str]]
) -> None:
    headers = bearer("editor")
    article = {"title": "T", "body": "Peskov said the claims were groundless.", "source": "Wire"}
    first = client.post("/api/articles", json=article, headers=headers)
    assert first.status_code == 201
    assert first.json()["created"] is True
    assert isinstance(first.json()["statements"], int)
    second = client.post("/api/articles", json=article, headers=headers)
    assert second.status_code == 200
    assert second.json() == {**first.json(), "created": False}


def test_api_multipart_file(client: TestClient, bearer: Callable[[str], dict[str, str]]) -> None:
    response = client.post(
        "/api/articles", files={"file": ("a.txt", GOOD)}, headers=bearer("editor")
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "no body"}, "body"),
        ({"body": "x", "published_at": "soon"}, "published_at"),
        ({"body": "x", "url": "javascript:alert(1)"}, "url"),
        ({"body": 5}, "body"),
    ],
)
def test_api_invalid_input_names_the_field(
    client: TestClient, bearer: Callable[[str], dict[str, str]], payload: dict, field: str
) -> None:
    response = client.post("/api/articles", json=payload, headers=bearer("editor"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]


def test_api_refuses_strangers_and_viewers(
    client: TestClient, bearer: Callable[[str], dict[str, str]], session: Session
) -> None:
    article = {"body": "The minister said so."}
    assert client.post("/api/articles", json=article).status_code == 401
    bad = {"Authorization": "Bearer ct_not-a-token"}
    assert client.post("/api/articles", json=article, headers=bad).status_code == 401
    assert client.post("/api/articles", json=article, headers=bearer("viewer")).status_code == 403
    assert articles(session) == 0


def test_api_too_large(
    client: TestClient, bearer: Callable[[str], dict[str, str]], small_limit: None
) -> None:
    response = client.post("/api/articles", json={"body": "word " * 1000}, headers=bearer("editor"))
    assert response.status_code == 413
    assert "larger than the limit" in response.json()["detail"]


def test_several_files_become_a_background_job(
    client: TestClient, session: Session, sign_in: Callable[[str], User]
) -> None:
    from app.models.jobs import IngestJob

    sign_in("editor")
    response = upload(client, [("a.txt", GOOD), ("b.txt", b"Other\n\nThe general said no.")])
    assert response.status_code == 303
    assert response.headers["location"].startswith("/jobs/")
    job = session.scalar(select(IngestJob))
    assert job is not None
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    assert "a.txt" in page.text and "b.txt" in page.text


@pytest.fixture
def small_background(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CLAIMTRACKER_BACKGROUND_BYTES", "2000")
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("CLAIMTRACKER_BACKGROUND_BYTES")
    get_settings.cache_clear()


def test_a_large_file_or_paste_goes_to_the_worker_at_once(
    client: TestClient,
    session: Session,
    sign_in: Callable[[str], User],
    bearer: Callable[[str], dict[str, str]],
    small_background: None,
) -> None:
    from app.models.jobs import IngestJob

    large = b"Long report\n\n" + b"The minister said the talks would go on. " * 100
    sign_in("editor")
    response = upload(client, [("long.txt", large)])
    assert response.status_code == 303 and response.headers["location"].startswith("/jobs/")
    pasted = upload(client, [], title="Pasted", body=large.decode())
    assert pasted.status_code == 303 and pasted.headers["location"].startswith("/jobs/")
    api = client.post("/api/articles", json={"body": large.decode()}, headers=bearer("editor"))
    assert api.status_code == 202 and api.json()["status_url"].startswith("/api/jobs/")
    assert session.scalar(select(func.count()).select_from(IngestJob)) == 3
    assert articles(session) == 0  # nothing parsed in the request


def test_statements_beyond_the_cap_are_not_kept_and_the_page_says_so(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.ingest.service as ingest
    import app.web.articles as pages
    from app.ingest.readers import parse_file
    from app.ingest.service import ingest_article

    monkeypatch.setattr(ingest, "MAX_STATEMENTS", 5)
    monkeypatch.setattr(pages, "MAX_STATEMENTS", 5)
    monkeypatch.setattr(pages, "STATEMENTS_PER_PAGE", 2)
    body = "Repeated\n\n" + "".join(
        f"The minister said the talks in town {n} would go on.\n" for n in range(12)
    )
    [article] = parse_file("repeated.txt", body.encode())
    factory = client.app.state.sessionmaker  # type: ignore[attr-defined]
    outcome = ingest_article(factory, article)
    assert outcome.statements == 5 and outcome.message == "only the first 5 statements were kept"
    page = client.get(f"/articles/{outcome.article_id}")
    assert "only the first 5 were kept" in page.text
    assert "Page 1 of 3" in page.text and page.text.count('class="claim ') == 2
    third = client.get(f"/articles/{outcome.article_id}?page=3").text
    assert third.count('class="claim ') == 1
