"""Claim types and endnote citations: stored at ingest, claims listed by default, the others one
filter away, citations with their URLs in the API, the export and on the page."""

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.extract import ActorRef, ArticleExtraction, Attribution, Reference
from app.ingest.readers import parse_file
from app.ingest.service import store_article
from app.models import Actor, Article, Statement
from app.statements.export import export_records

BODY = (
    "Belarus\n\n"
    "The ministry said the drills were routine.[3] "
    "The ministry believes that the border is calm.[4]\n\n"
    "[3] https://example.org/ministry-statement\n"
    "[4] javascript:alert(1)\n"
)


def _attribution(content: str, type_: str, cue: str, citations: tuple[int, ...]) -> Attribution:
    start = BODY.index(content)
    return Attribution(
        speaker_key="ministry", speaker_mention="The ministry", speaker_start=None,
        speaker_end=None, cue=cue, cue_class="assert", kind="indirect", content=content,
        start=start, end=start + len(content), sentence_start=start, sentence_end=start + 1,
        confidence=0.9, type=type_, rule="verb.clause", citations=citations,
    )  # fmt: skip


def _store(factory: sessionmaker[Session]) -> int:
    [article] = parse_file("report.txt", BODY.encode())
    ministry = ActorRef(
        "ministry", "Zembla Ministry of Defense", "government", (), None, None, None
    )
    extraction = ArticleExtraction(
        actors=(ministry,),
        mentions=(),
        attributions=(
            _attribution("the drills were routine", "statement", "said", (3,)),
            _attribution("the border is calm", "belief", "believes", (4,)),
        ),
        references=(
            Reference(3, "https://example.org/ministry-statement"),
            Reference(4, "javascript:alert(1)"),
        ),
    )
    with factory.begin() as session:
        outcome = store_article(session, article, extraction)
    assert outcome.article_id is not None
    return outcome.article_id


def test_type_rule_and_citations_are_stored(
    factory: sessionmaker[Session], session: Session
) -> None:
    article_id = _store(factory)
    article = session.get(Article, article_id)
    assert article is not None
    # Only web addresses are kept: the pages turn endnotes into links.
    assert article.endnotes == [{"n": 3, "url": "https://example.org/ministry-statement"}]
    rows = session.execute(
        select(Statement.type, Statement.rule, Statement.citations).order_by(Statement.start)
    ).all()
    assert [tuple(row) for row in rows] == [
        ("statement", "verb.clause", [3]),
        ("belief", "verb.clause", [4]),
    ]
    actor = session.scalar(select(Actor).where(Actor.name == "Zembla Ministry of Defense"))
    assert actor is not None and actor.statement_count == 1  # claims only
    records = {record["type"]: record for record in export_records(session)}
    assert records["statement"]["citations"] == [
        {"n": 3, "url": "https://example.org/ministry-statement"}
    ]
    assert records["belief"]["citations"] == []  # its endnote was not a web address


def test_lists_show_claims_and_the_other_types_on_request(
    factory: sessionmaker[Session], client: TestClient
) -> None:
    _store(factory)

    def contents(query: str) -> list[str]:
        response = client.get(f"/api/statements{query}")
        assert response.status_code == 200, response.text
        return sorted(item["content"] for item in response.json()["items"])

    assert contents("") == ["the drills were routine"]
    assert contents("?type=belief") == ["the border is calm"]
    assert contents("?type=all") == ["the border is calm", "the drills were routine"]
    refused = client.get("/api/statements?type=rumour")
    assert refused.status_code == 422 and "type must be one of" in refused.text
    page = client.get("/?type=all").text
    assert 'href="https://example.org/ministry-statement"' in page
    assert "javascript:" not in page
    assert ">belief</span>" in page
    assert "Beliefs" in client.get("/").text  # one click away
