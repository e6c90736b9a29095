"""Claim groups kept at ingest, through re-extraction, by editors and by `groups rebuild`."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from app.extract import ActorRef, ArticleExtraction, Attribution
from app.groups.normalise import BANDS, claim_key
from app.groups.queries import group_members, stats
from app.groups.service import PER_BAND, ClaimCache, GroupError, merge, rebuild, split
from app.ingest.readers import ArticleInput
from app.ingest.service import store_article, store_extraction
from app.models import Article, AuditEntry, ClaimGroup, Statement
from tests.factories import make_actor

LUKASHENKO = ActorRef(
    key="lukashenko",
    name="Alexander Lukashenko",
    kind="person",
    aliases=("Lukashenko",),
    role=None,
    country=None,
    gazetteer_name=None,
)
PESKOV = ActorRef(
    key="peskov",
    name="Dmitry Peskov",
    kind="person",
    aliases=("Peskov",),
    role=None,
    country=None,
    gazetteer_name=None,
)


def _article(
    session: Session,
    day: int | None,
    claims: list[tuple[ActorRef | None, str]],
    outlet: str = "Wire",
) -> Article:
    """Store an article whose body is the claims, each "NAME said that CLAIM.", as extracted."""
    body, attributions = f"Report of day {day}. ", []
    for speaker, claim in claims:
        lead = f"{speaker.name if speaker else 'He'} said that "
        start = len(body) + len(lead)
        body += f"{lead}{claim}. "
        attributions.append(
            Attribution(
                speaker_key=speaker.key if speaker else None,
                speaker_mention=speaker.name if speaker else "He",
                speaker_start=None,
                speaker_end=None,
                cue="said",
                cue_class="assert",
                kind="direct",  # a quotation is a claim whatever rule found it
                content=claim,
                start=start,
                end=start + len(claim),
                sentence_start=start - len(lead),
                sentence_end=start + len(claim) + 1,
                confidence=0.9,
            )
        )
    actors = tuple({speaker.key: speaker for speaker, _ in claims if speaker}.values())
    extraction = ArticleExtraction(actors=actors, mentions=(), attributions=tuple(attributions))
    article_input = ArticleInput(
        title=f"Day {day}",
        body=body,
        source=outlet,
        published_at=datetime(2022, 12, day, tzinfo=UTC) if day else None,
        where=f"day {day}",
    )
    outcome = store_article(session, article_input, extraction)
    article = session.get(Article, outcome.article_id)
    assert article is not None
    session.flush()
    return article


def _groups(session: Session) -> list[ClaimGroup]:
    session.expire_all()
    return list(session.scalars(select(ClaimGroup).order_by(ClaimGroup.id)))


def _group_of(session: Session, content: str) -> int | None:
    return session.scalar(
        select(Statement.claim_group_id).where(Statement.content == content).limit(1)
    )


def test_a_repeated_claim_joins_one_group_with_its_first_appearance(session: Session) -> None:
    # The later report is ingested first: the first appearance is by date, not by arrival.
    _article(session, 9, [(LUKASHENKO, "Belarus will not join the war in Ukraine")])
    _article(session, 2, [(LUKASHENKO, "“Belarus will NOT join the war in Ukraine”")])
    _article(
        session,
        5,
        [(LUKASHENKO, "Belarus won't join the war in Ukraine"), (PESKOV, "talks resume")],
    )
    [repeated] = [g for g in _groups(session) if g.statement_count > 1]
    assert (repeated.statement_count, repeated.article_count) == (3, 3)
    assert repeated.first_seen == datetime(2022, 12, 2, tzinfo=UTC)
    first = session.get(Statement, repeated.first_statement_id)
    assert first is not None and first.content == "“Belarus will NOT join the war in Ukraine”"
    assert [s.published_at.day for s in group_members(session, repeated.id)] == [2, 5, 9]  # type: ignore[union-attr]
    assert stats(session).repeated == 1


@pytest.mark.parametrize(
    ("claim", "other"),
    [
        ("Belarus will join the war in Ukraine", "Belarus will not join the war in Ukraine"),
        ("30 tanks crossed the border at dawn", "300 tanks crossed the border at dawn"),
        ("the drills end on December 5 as planned", "the drills end on December 6 as planned"),
    ],
)
def test_a_claim_never_groups_with_its_negation_or_other_numbers(
    session: Session, claim: str, other: str
) -> None:
    _article(session, 1, [(LUKASHENKO, claim)])
    _article(session, 2, [(LUKASHENKO, other)])
    assert _group_of(session, claim) != _group_of(session, other)
    assert all(group.statement_count == 1 for group in _groups(session))


def test_another_speaker_saying_it_is_another_group(session: Session) -> None:
    _article(session, 1, [(LUKASHENKO, "Belarus will not join the war in Ukraine")])
    _article(session, 2, [(PESKOV, "Belarus will not join the war in Ukraine")])
    assert len(_groups(session)) == 2


def test_finding_a_group_is_an_index_lookup(session: Session) -> None:
    session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(
        session.scalars(
            text("EXPLAIN SELECT group_id FROM claim_group_bands WHERE band = ANY(:bands)"),
            {"bands": [1, 2, 3]},
        )
    )
    assert "Index" in plan and "pk_claim_group_bands" in plan


def test_split_and_merge_are_audited_and_survive_reextraction(
    factory: sessionmaker[Session], session: Session
) -> None:
    claim = "Belarus will not join the war in Ukraine"
    first = _article(session, 1, [(LUKASHENKO, claim)])
    second = _article(session, 2, [(LUKASHENKO, claim)])
    [group] = _groups(session)
    moved = session.scalars(select(Statement).where(Statement.article_id == second.id)).one()

    alone = split(session, moved, None)
    session.flush()
    assert (alone.statement_count, alone.fixed) == (1, True)
    assert session.get(ClaimGroup, group.id).statement_count == 1  # type: ignore[union-attr]
    with pytest.raises(GroupError):
        split(session, moved, None)

    # Re-extraction replaces the machine's statement; the editor's split holds.
    extraction = ArticleExtraction(
        actors=(LUKASHENKO,),
        mentions=(),
        attributions=(
            Attribution(
                speaker_key="lukashenko", speaker_mention="Alexander Lukashenko",
                speaker_start=None, speaker_end=None, cue="said", cue_class="assert",
                kind="direct", content=claim, start=moved.start, end=moved.end,
                sentence_start=moved.sentence_start, sentence_end=moved.sentence_end,
                confidence=0.9,
            ),
        ),
    )  # fmt: skip
    store_extraction(session, second, extraction)
    session.expire_all()
    again = session.scalars(select(Statement).where(Statement.article_id == second.id)).one()
    assert again.id != moved.id
    assert (again.claim_group_id, again.group_fixed) == (alone.id, True)

    merge(
        session, session.get_one(ClaimGroup, alone.id), session.get_one(ClaimGroup, group.id), None
    )
    session.flush()
    merged = session.get_one(ClaimGroup, group.id)
    assert (merged.statement_count, merged.article_count, merged.fixed) == (2, 2, True)
    assert session.get(ClaimGroup, alone.id) is None
    actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["split_group", "merge"]
    with pytest.raises(GroupError):
        merge(session, merged, merged, None)
    assert first.id  # the first article was never touched


def test_rebuild_regroups_everything_and_keeps_what_editors_fixed(
    factory: sessionmaker[Session], session: Session
) -> None:
    claim = "Belarus will not join the war in Ukraine"
    for day in (1, 2, 3):
        _article(session, day, [(LUKASHENKO, claim), (PESKOV, f"talks resume on day {day}")])
    third = session.scalars(
        select(Statement).where(Statement.content == claim).order_by(Statement.id.desc())
    ).first()
    assert third is not None
    pinned = split(session, third, None)
    session.commit()
    # Scramble the machine's groups: rebuild must put them back.
    session.execute(text("UPDATE statements SET claim_group_id = NULL WHERE NOT group_fixed"))
    session.execute(text("DELETE FROM claim_groups WHERE NOT fixed"))
    session.commit()

    progress: list[tuple[int, int]] = []
    summary = rebuild(
        factory, batch_size=100, progress=lambda done, total: progress.append((done, total))
    )
    assert summary.kept_fixed == 1
    assert progress[-1] == (5, 5)
    session.expire_all()
    counts = sorted(g.statement_count for g in _groups(session))
    assert counts == [1, 1, 1, 1, 2]  # the claim twice, its pinned third apart, three talks
    assert _group_of(session, claim) is not None
    assert session.get_one(ClaimGroup, pinned.id).statement_count == 1
    ungrouped = session.scalar(
        select(func.count()).select_from(Statement).where(Statement.claim_group_id.is_(None))
    )
    assert ungrouped == 0


def test_rebuild_one_statement_per_batch_finds_groups_through_the_cache_and_the_index(
    factory: sessionmaker[Session], session: Session
) -> None:
    claim = "Belarus will not join the war in Ukraine"
    for day in (1, 2, 3):
        _article(session, day, [(LUKASHENKO, claim), (PESKOV, f"talks resume on day {day}")])
    session.commit()
    before = sorted(g.statement_count for g in _groups(session))
    # Each batch a transaction of its own: a group started in one is found by the next
    # through its band rows (written with COPY) and the cached claim.
    rebuild(factory, batch_size=1)
    session.expire_all()
    assert sorted(g.statement_count for g in _groups(session)) == before == [1, 1, 1, 3]
    bands, distinct = session.execute(
        text("SELECT count(*), count(DISTINCT (band, group_id)) FROM claim_group_bands")
    ).one()
    assert bands == distinct > 0
    orphans = session.scalar(
        text(
            "SELECT count(*) FROM claim_group_bands b "
            "WHERE NOT EXISTS (SELECT 1 FROM claim_groups g WHERE g.id = b.group_id)"
        )
    )
    assert orphans == 0


def test_rebuild_reads_past_undated_statements(
    factory: sessionmaker[Session], session: Session
) -> None:
    # Undated statements sort first (-infinity): the batch after them starts from that key.
    claim = "Belarus will not join the war in Ukraine"
    _article(session, None, [(LUKASHENKO, claim), (PESKOV, "talks resume soon")])
    for day in (1, 2):
        _article(session, day, [(LUKASHENKO, claim)])
    session.commit()
    summary = rebuild(factory, batch_size=1)
    session.expire_all()
    assert summary.statements == 4
    assert sorted(g.statement_count for g in _groups(session)) == [1, 3]


def test_a_band_held_by_per_band_groups_gets_no_more_rows_and_regrouping_is_unchanged(
    factory: sessionmaker[Session], session: Session
) -> None:
    # One template, twelve places: never the same claim (the names differ), but alike enough
    # to share most LSH bands, so bands fill up beyond what a lookup returns (PER_BAND).
    places = ["Pisky", "Bakhmut", "Avdiivka", "Marinka", "Vuhledar", "Siversk"]
    places += ["Lyman", "Izium", "Kupiansk", "Soledar", "Bilohorivka", "Kreminna"]
    claims = [f"Russian forces conducted unsuccessful assaults near {place}" for place in places]
    for day, claim in enumerate(claims, start=1):
        _article(session, day, [(LUKASHENKO, claim)])
    session.commit()

    def held() -> tuple[int, int]:
        most, rows = session.execute(
            text(
                "SELECT max(n), sum(n) FROM "
                "(SELECT count(*) AS n FROM claim_group_bands GROUP BY band) AS per_band"
            )
        ).one()
        return most, rows

    assert len(_groups(session)) == len(places)
    most, rows = held()
    assert most == PER_BAND  # some band reached the cap, and none went past it
    assert rows < len(places) * (BANDS + 1)
    before = {g.key: g.statement_count for g in _groups(session)}
    rebuild(factory, batch_size=5)
    session.expire_all()
    assert {g.key: g.statement_count for g in _groups(session)} == before
    assert held() == (most, rows)


def test_the_claim_cache_keeps_the_most_recently_used() -> None:
    cache = ClaimCache(size=2)
    claims = {n: claim_key(f"claim number {n}", 1) for n in (1, 2, 3)}
    cache.put_many({1: claims[1], 2: claims[2]})
    assert cache.get_many([1]) == {1: claims[1]}  # 1 used last: 2 goes first
    cache.put_many({3: claims[3]})
    assert cache.get_many([1, 2, 3]) == {1: claims[1], 3: claims[3]}


def test_statements_without_a_speaker_group_only_when_near_identical(session: Session) -> None:
    _article(session, 1, [(None, "the border will stay closed until the spring")])
    _article(session, 2, [(None, "The border will stay closed until the spring.")])
    _article(session, 3, [(None, "the border will stay closed until the summer")])
    assert sorted(g.statement_count for g in _groups(session)) == [1, 2]
    assert make_actor(session).id  # speakers unrelated to these statements change nothing


def test_concurrent_ingests_of_one_claim_make_one_group(committed_db: str) -> None:
    """Two writers storing the same claim at the same moment: the second waits for the first
    (the actor lock grouping takes) and joins its group instead of starting another."""
    import threading

    from app.db import get_engine, make_sessionmaker

    factory = make_sessionmaker(get_engine())
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def write(day: int) -> None:
        try:
            start.wait()
            with factory.begin() as session:
                _article(session, day, [(LUKASHENKO, "Belarus will not join the war in Ukraine")])
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    writers = [threading.Thread(target=write, args=(day,)) for day in (3, 4)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=60)
    assert errors == []
    with factory() as session:
        [group] = _groups(session)
        assert (group.statement_count, group.article_count) == (2, 2)
