"""The claims list and claim groups: "also in N other articles", "collapse repeats" with
its pages, counts and facets, the group id in the JSON, CSV and export, an actor's repeated
claims."""

import csv
import io
import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.statements.export import export_records
from tests.groups_pages.conftest import Repeated


def _rows(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<li class="claim [^"]*" id="claim-(\d+)"', html)]


def test_a_repeated_claim_links_to_its_page(client: TestClient, repeated: Repeated) -> None:
    html = client.get("/").text
    link = f'<a class="also-in" href="/claims/{repeated.group.id}">also in 2 other articles</a>'
    assert html.count(link) == 3
    # The claim said once has no such link.
    row = html[html.index(f'id="claim-{repeated.other.id}"') :]
    assert "also-in" not in row[: row.index("</li>")]


def test_collapse_keeps_the_newest_appearance_of_each_claim(
    client: TestClient, repeated: Repeated
) -> None:
    every = client.get("/").text
    assert len(_rows(every)) == 4 and "4 claims" in every
    collapsed = client.get("/?collapse=1").text
    assert _rows(collapsed) == [repeated.statements[2].id, repeated.other.id]
    assert "2 claims" in collapsed
    assert "✓ Collapse repeats" in collapsed
    # The toggle is a link that keeps the other filters.
    assert 'href="/?kind=indirect&amp;collapse=1"' in client.get("/?kind=indirect").text


def test_collapse_follows_the_filters(client: TestClient, repeated: Repeated) -> None:
    # Only the first outlet's articles: its appearance stands for the claim there.
    html = client.get("/?collapse=1&source=Test+Wire").text
    assert _rows(html) == [repeated.statements[0].id]
    oldest = client.get("/api/statements?collapse=1&sort=oldest").json()
    assert [item["id"] for item in oldest["items"]] == [
        repeated.other.id,
        repeated.statements[2].id,
    ]


def test_collapsed_pages_walk_every_claim_once(client: TestClient, repeated: Repeated) -> None:
    seen, cursor = [], None
    for _ in range(5):
        params = {"collapse": "1", "limit": "1", **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/statements", params=params).json()
        seen += [item["id"] for item in page["items"]]
        assert page["total"] == 2
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [repeated.statements[2].id, repeated.other.id]


def test_collapsed_facets_count_claims_as_a_click_on_them_lists(
    client: TestClient, repeated: Repeated
) -> None:
    def source_counts(html: str) -> dict[str, int]:
        facet = html[html.index('id="facet-source"') :]
        facet = facet[: facet.index("</section>")]
        pairs = re.findall(r'facet-label">(?:✓ )?([^<]+)</span>\s*<span class="count">(\d+)', facet)
        return {name: int(n) for name, n in pairs}

    assert source_counts(client.get("/").text) == {
        "Daily Courier": 2,
        "Test Wire": 1,
        "Evening Post": 1,
    }
    collapsed = client.get("/?collapse=1").text
    # Each outlet counts the claims it carried, the repeated one included wherever it appeared.
    assert source_counts(collapsed) == {"Daily Courier": 2, "Test Wire": 1, "Evening Post": 1}
    assert "The facets count claims too" in collapsed
    for source, n in source_counts(collapsed).items():
        narrowed = client.get("/api/statements", params={"collapse": "1", "source": source})
        assert narrowed.json()["total"] == n == len(narrowed.json()["items"])


def test_a_bad_toggle_is_refused_in_words(client: TestClient, repeated: Repeated) -> None:
    response = client.get("/api/statements?collapse=yes")
    assert response.status_code == 422
    assert "collapse must be one of 0, 1" in response.text


def test_json_csv_and_export_carry_the_group(
    client: TestClient, session: Session, repeated: Repeated
) -> None:
    group = repeated.group.id
    items = client.get("/api/statements").json()["items"]
    assert {item["id"]: item["claim_group_id"] for item in items} == {
        **{statement.id: group for statement in repeated.statements},
        repeated.other.id: None,
    }
    text = client.get("/api/statements.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[-1] == "claim_group_id"
    assert {int(row["id"]): row["claim_group_id"] for row in rows}[
        repeated.statements[0].id
    ] == str(group)
    records = {record["id"]: record for record in export_records(session)}
    assert records[repeated.statements[1].id]["claim_group_id"] == group
    assert records[repeated.other.id]["claim_group_id"] is None


def test_an_actor_page_lists_their_repeated_claims(client: TestClient, repeated: Repeated) -> None:
    html = client.get(f"/actors/{repeated.speaker.slug}").text
    section = html[html.index('id="repeated-heading"') :]
    section = section[: section.index("</section>")]
    assert f'<a href="/claims/{repeated.group.id}">' in section
    assert "3 times, in 3 articles, first 5 Dec 2022" in section
    body = client.get(f"/api/actors/{repeated.speaker.slug}").json()
    assert body["repeated_claims"] == [
        {
            "id": repeated.group.id,
            "text": repeated.statements[0].content,
            "statement_count": 3,
            "article_count": 3,
            "first_seen": "2022-12-05T09:00:00+00:00",
        }
    ]
