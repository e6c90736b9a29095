"""Settings are the one source of configuration: the seeds, gazetteer and topics files."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.ingest.extraction import configure_extractor
from app.ingest.service import ingest_paths
from app.models import Actor, Statement
from app.settings import Settings, get_settings
from app.topics.catalog import all_topics


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    get_settings.cache_clear()
    all_topics.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()
    all_topics.cache_clear()
    configure_extractor()  # back to the default gazetteer for the tests that follow


def test_gazetteer_and_topics_default_to_the_seeds_dir(tmp_path: Path) -> None:
    settings = Settings(seeds_dir=tmp_path)
    assert settings.gazetteer_path == tmp_path / "actors.yaml"
    assert settings.topics_path == tmp_path / "topics.yaml"
    chosen = Settings(seeds_dir=tmp_path, gazetteer=tmp_path / "g.yaml")
    assert chosen.gazetteer_path == tmp_path / "g.yaml"


def test_ingest_uses_the_configured_gazetteer(
    settings_env: pytest.MonkeyPatch,
    factory: sessionmaker[Session],
    session: Session,
    tmp_path: Path,
) -> None:
    gazetteer = tmp_path / "actors.yaml"
    gazetteer.write_text(
        "- name: Zorblax Monitoring Institute\n  aliases: [ZMI]\n  kind: organization\n",
        encoding="utf-8",
    )
    settings_env.setenv("CLAIMTRACKER_GAZETTEER", str(gazetteer))
    article = tmp_path / "article.txt"
    article.write_text(
        "Monitors report\n\nThe ZMI said on Tuesday that the convoy had turned back.\n",
        encoding="utf-8",
    )
    summary = ingest_paths(factory, [article])
    assert summary.count("created") == 1
    curated = session.scalar(select(Actor).where(Actor.name == "Zorblax Monitoring Institute"))
    assert curated is not None and curated.kind == "organization"
    speakers = session.scalars(select(Statement.speaker_id)).all()
    assert curated.id in speakers


def test_topics_come_from_the_configured_file(
    settings_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    topics = tmp_path / "topics.yaml"
    topics.write_text(
        "- slug: grain-deal\n  title: Grain deal\n  terms: [grain]\n", encoding="utf-8"
    )
    settings_env.setenv("CLAIMTRACKER_TOPICS", str(topics))
    assert [topic.slug for topic in all_topics()] == ["grain-deal"]
