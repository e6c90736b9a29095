"""A database grouped by an earlier same-claim rule says it needs `groups rebuild`, until the
rebuild has run (real commits through the CLI)."""

import json

from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from app.cli import cli
from app.groups.rules import RULE_VERSION
from tests.conftest import SEED_ARTICLE

runner = CliRunner()


def _set_rule(database_url: str, version: int) -> None:
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE grouping_rule SET version = :v"), {"v": version})
    engine.dispose()


def test_groups_of_an_earlier_rule_ask_for_a_rebuild_until_it_runs(committed_db: str) -> None:
    assert runner.invoke(cli, ["ingest", str(SEED_ARTICLE)]).exit_code == 0
    stats = json.loads(runner.invoke(cli, ["groups", "stats", "--json"]).stdout)
    assert stats["needs_rebuild"] is False  # grouped by this release's rule from the start

    _set_rule(committed_db, RULE_VERSION - 1)
    try:
        result = runner.invoke(cli, ["groups", "stats"])
        assert result.exit_code == 0
        assert f"made by rule {RULE_VERSION - 1}" in result.stderr
        assert "claimtracker groups rebuild" in result.stderr
        assert json.loads(runner.invoke(cli, ["groups", "stats", "--json"]).stdout)["needs_rebuild"]

        assert runner.invoke(cli, ["groups", "rebuild", "--batch", "100"]).exit_code == 0
        after = runner.invoke(cli, ["groups", "stats"])
        assert "rebuild" not in after.stderr
        assert (
            json.loads(runner.invoke(cli, ["groups", "stats", "--json"]).stdout)["needs_rebuild"]
            is False
        )
    finally:
        _set_rule(committed_db, RULE_VERSION)
