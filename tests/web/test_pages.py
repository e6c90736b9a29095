"""The HTML pages: what a reader sees, the links they follow, and the error pages."""

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_actor, make_article
from tests.web.conftest import Corpus, claim


def test_empty_home_explains_and_links_to_upload(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "No claims yet" in page.text
    assert 'href="/articles/new"' in page.text


def test_claims_page_shows_claims_with_their_links(client: TestClient, corpus: Corpus) -> None:
    page = client.get("/").text
    assert "5 claims" in page
    assert "Aleksandr Lukashenko" in page and "dismissed" in page
    assert "Belarus plays down drills" in page and "Test Wire" in page and "8 Dec 2022" in page
    first = corpus.statements[0]
    assert f'href="/articles/{corpus.first.id}?s={first.id}#s-{first.id}"' in page
    assert 'href="/api/statements"' in page and 'href="/api/statements.csv"' in page
    # Quotations inside a statement are marked.
    assert '<span class="quoted">“We have been conducting exercises,”</span>' in page
    assert 'href="/topics/belarus-military-exercises"' in page


def test_actor_facet_toggles(client: TestClient, corpus: Corpus) -> None:
    luka = corpus.lukashenko.slug
    page = client.get("/").text
    assert f'href="/?actor={luka}"' in page
    filtered = client.get(f"/?actor={luka}").text
    assert "2 claims" in filtered
    # The selected actor's link removes it; another actor's link adds it.
    assert 'href="/"' in filtered and 'aria-current="true"' in filtered
    assert f'href="/?actor={luka}&amp;actor={corpus.peskov.slug}"' in filtered
    assert f'href="/api/statements?actor={luka}"' in filtered
    assert f'href="/api/statements.csv?actor={luka}"' in filtered
    assert "Dmitri Peskov" in filtered  # offered in the facet, not in the results
    assert "groundless" not in filtered


def test_single_value_facets_choose_and_clear(client: TestClient, corpus: Corpus) -> None:
    page = client.get("/?cue_class=deny").text
    assert "2 claims" in page
    assert 'href="/"' in page  # un-choosing deny
    assert 'href="/?cue_class=deny&amp;kind=mixed"' in page


def test_search_highlights_matches_escaped(
    client: TestClient, corpus: Corpus, session: Session
) -> None:
    article = make_article(session, body="He said <script>alert(1)</script> drills & more drills.")
    claim(session, article, corpus.peskov, "<script>alert(1)</script> drills & more drills")
    session.commit()
    page = client.get("/?q=drills").text
    assert "<script>alert" not in page
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; <mark>drills</mark> &amp; more <mark>drills</mark>"
        in page
    )
    assert '<option value="relevance" selected>' in page


def test_pagination_links_carry_the_filters(client: TestClient, corpus: Corpus) -> None:
    page = client.get("/?cue_class=deny&limit=1").text
    cursor = re.search(r'rel="next" href="/\?cue_class=deny&amp;limit=1&amp;cursor=([^"]+)"', page)
    assert cursor
    second = client.get(f"/?cue_class=deny&limit=1&cursor={cursor.group(1)}").text
    assert "First page" in second and 'rel="next"' not in second


def test_no_match_explains(client: TestClient, corpus: Corpus) -> None:
    page = client.get("/?q=zeppelin").text
    assert "No claims match" in page and "Clear the filters" in page


def test_invalid_filters_show_an_html_400(client: TestClient, corpus: Corpus) -> None:
    for query in ("from=2022-02-30", "limit=501", "kind=rumour", "actor=nobody", "cursor=x"):
        page = client.get(f"/?{query}")
        assert page.status_code == 400, query
        assert page.headers["content-type"].startswith("text/html")
        assert "That filter does not work" in page.text


def test_unknown_pages_are_html_404s(client: TestClient) -> None:
    for path in (
        "/actors/nobody",
        "/articles/999999",
        "/articles/99999999999999",
        "/topics/nothing",
        "/no/such/page",
    ):
        page = client.get(path)
        assert page.status_code == 404, path
        assert "Not found" in page.text and page.headers["content-type"].startswith("text/html")
    assert client.get("/api/actors/nobody").json()["detail"] == "no actor is called 'nobody'"
    assert client.get("/api/articles/999999").status_code == 404
    assert client.get("/api/articles/99999999999999").status_code == 404


def test_actor_pages(client: TestClient, corpus: Corpus) -> None:
    index = client.get("/actors").text
    assert "Aleksandr Lukashenko" in index and 'href="/api/actors"' in index
    assert client.get("/actors?q=pesk").text.count('href="/actors/') == 1
    assert "Institute for the Study of War" in client.get("/actors?kind=organization").text
    page = client.get(f"/actors/{corpus.lukashenko.slug}").text
    assert "<h1>Aleksandr Lukashenko" in page
    assert '<svg class="timeline"' in page and "2 on 2022-12-08" in page
    assert "Appears with" in page and f'href="/actors/{corpus.peskov.slug}"' in page
    assert "2 claims" in page and "groundless" not in page
    assert f'href="/api/statements?actor={corpus.lukashenko.slug}"' in page
    assert "1 claim" in client.get(f"/actors/{corpus.lukashenko.slug}?kind=direct").text


def test_actors_api(client: TestClient, corpus: Corpus) -> None:
    body = client.get("/api/actors?q=institute").json()
    assert [item["slug"] for item in body["items"]] == [corpus.isw.slug]
    assert set(body["items"][0]) == {"id", "slug", "name", "kind", "statement_count"}
    assert body["items"][0]["statement_count"] == 2
    detail = client.get(f"/api/actors/{corpus.lukashenko.slug}").json()
    assert detail["statement_count"] == 2 and detail["timeline"] == [["2022-12-08", 2]]
    assert detail["related"][0]["slug"] == corpus.peskov.slug
    assert client.get("/api/actors?kind=alien").status_code == 422
    assert client.get("/api/actors?limit=501").status_code == 422
    rows = client.get("/api/actors.csv?kind=organization").text.removeprefix("\ufeff").splitlines()
    assert rows[0] == "id,slug,name,kind,statement_count"
    assert rows[1].endswith(f"{corpus.isw.slug},Institute for the Study of War,organization,2")
    assert 'href="/api/actors.csv"' in client.get("/actors").text


def test_article_page_highlights_every_span(client: TestClient, corpus: Corpus) -> None:
    first = corpus.statements[0]
    page = client.get(f"/articles/{corpus.first.id}?s={first.id}").text
    assert f'<span class="anchor" id="s-{first.id}"></span>' in page
    marks = re.findall(r"<mark class=\"span [^\"]*\"[^>]*>", page)
    assert len(marks) == 3
    assert 'title="Aleksandr Lukashenko (dismissed)"' in page and 'tabindex="0"' in page
    assert "current" in marks[0]
    assert "3 statements in this article" in page
    assert 'href="https://example.com/first"' in page


def test_article_page_handles_nested_spans_and_escapes(
    client: TestClient, session: Session
) -> None:
    speaker = make_actor(session, "<b>Bold</b> Actor")
    article = make_article(
        session,
        body="Intro. <script>x()</script> said the outer part, with an inner part inside.",
        title="<script>alert('title')</script>",
    )
    outer = claim(
        session,
        article,
        speaker,
        "<script>x()</script> said the outer part, with an inner part inside",
    )
    inner = claim(session, article, None, "an inner part")
    session.commit()
    response = client.get(f"/articles/{article.id}")
    page = response.text
    assert response.status_code == 200
    assert "<script>" not in page and "<b>Bold</b>" not in page
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in page
    assert f'id="s-{outer.id}"' in page and f'id="s-{inner.id}"' in page
    assert f'data-statements="{outer.id} {inner.id}">an inner part</mark>' in page
    api = client.get(f"/api/articles/{article.id}").json()
    assert api["body"] == article.body and len(api["statements"]) == 2


def test_actor_names_are_escaped_everywhere(client: TestClient, session: Session) -> None:
    speaker = make_actor(session, "<script>evil()</script>")
    speaker.slug = "evil"
    article = make_article(session, body="The drills will end soon, evil said.")
    claim(session, article, speaker, "The drills will end soon")
    session.commit()
    for path in ("/", "/actors", f"/actors/{speaker.slug}", "/topics/belarus-military-exercises"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "<script>evil" not in page.text and "&lt;script&gt;evil()" in page.text, path


def test_topic_page_groups_by_speaker(client: TestClient, corpus: Corpus) -> None:
    page = client.get("/topics/belarus-military-exercises").text
    assert "Who claimed what: Belarus military exercises" in page
    for name in ("Aleksandr Lukashenko", "Institute for the Study of War"):
        assert name in page
    assert "cue-class-predict" in page and "cue-class-assert" in page
    body = client.get("/api/topics/belarus-military-exercises").json()
    speakers = {group["speaker"]["slug"] for group in body["groups"] if group["speaker"]}
    assert corpus.isw.slug in speakers and corpus.lukashenko.slug in speakers
    assert client.get("/api/topics").json()[0]["slug"] == "belarus-military-exercises"
    assert client.get("/api/topics/nothing").status_code == 404
    rows = client.get("/api/topics/belarus-military-exercises.csv").text.removeprefix("\ufeff")
    rows = rows.splitlines()
    assert rows[0].startswith("id,article_id") and len(rows) == 1 + sum(
        len(group["statements"]) for group in body["groups"]
    )
    assert client.get("/api/topics/nothing.csv").status_code == 404


def test_openapi_documents_the_api(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path in ("/api/statements", "/api/statements.csv", "/api/actors", "/api/actors/{slug}"):
        assert path in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/statements"]["get"]["parameters"]}
    assert {"actor", "actor_kind", "source", "kind", "cue_class", "q", "from", "to"} <= params
    assert {"sort", "limit", "cursor"} <= params


def test_api_docs_work_offline(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/docs-assets/swagger-ui-bundle.js" in page.text and "cdn" not in page.text.lower()
    script = client.get("/docs-assets/swagger-ui-bundle.js")
    assert script.status_code == 200 and len(script.content) > 100_000
    assert client.get("/docs-assets/swagger-ui.css").status_code == 200
    redoc = client.get("/redoc")
    assert "/docs-assets/redoc.standalone.js" in redoc.text and "fonts.googleapis" not in redoc.text
