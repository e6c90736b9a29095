"""The claim page and its JSON twin: the claim, its first appearance, every appearance with
its outlet and a link to its sentence, the timeline and the counts."""

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_article
from tests.groups_pages.conftest import CLAIM, Repeated, grouped, said


def test_the_page_shows_the_first_and_every_appearance(
    client: TestClient, repeated: Repeated
) -> None:
    group, statements, articles = repeated.group, repeated.statements, repeated.articles
    page = client.get(f"/claims/{group.id}")
    assert page.status_code == 200
    html = page.text
    assert CLAIM in html and "Aleksandr Lukashenko" in html
    assert "3 appearances" in html and "3 articles" in html and "3 outlets" in html
    first = html[html.index('id="first-appearance"') : html.index('id="timeline-heading"')]
    assert articles[0].title in first and "Test Wire" in first and "5 Dec 2022" in first
    assert articles[2].title not in first
    # Every appearance links to its sentence in its article, and the first is marked.
    for statement, article in zip(statements, articles, strict=True):
        link = f"/articles/{article.id}?s={statement.id}#s-{statement.id}"
        assert link in html
    assert re.search(rf'<tr id="appearance-{statements[0].id}" class="first">', html)
    for outlet in ("Test Wire", "Daily Courier", "Evening Post"):
        assert outlet in html
    # The timeline: one bar per day that has appearances.
    assert html.count("<rect ") == 3
    assert "<script" not in html


def test_the_json_twin_says_the_same(client: TestClient, repeated: Repeated) -> None:
    body = client.get(f"/api/claims/{repeated.group.id}").json()
    assert body["statement_count"] == 3 and body["article_count"] == 3
    assert body["outlet_count"] == 3
    assert body["first_appearance"]["id"] == repeated.statements[0].id
    assert [item["id"] for item in body["appearances"]] == [s.id for s in repeated.statements]
    assert all(item["claim_group_id"] == repeated.group.id for item in body["appearances"])
    assert body["timeline"] == [["2022-12-05", 1], ["2022-12-09", 1], ["2022-12-16", 1]]
    assert {outlet["source"] for outlet in body["outlets"]} == {
        "Test Wire",
        "Daily Courier",
        "Evening Post",
    }
    assert body["speaker"]["name"] == "Aleksandr Lukashenko"


def test_an_unknown_claim_is_a_404_in_words(client: TestClient) -> None:
    for path in ("/claims/987654", "/api/claims/987654"):
        response = client.get(path)
        assert response.status_code == 404
        assert "there is no claim 987654" in response.text
    assert client.get("/claims/0").status_code == 400


def test_words_of_an_article_are_shown_escaped(client: TestClient, session: Session) -> None:
    article = make_article(session, body="He said <script>alert(1)</script> was a lie.")
    statement = said(session, article, None, "<script>alert(1)</script> was a lie")
    group = grouped(session, [statement], None)
    session.commit()
    html = client.get(f"/claims/{group.id}").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "An unidentified speaker" in html
