"""`claimtracker groups rebuild` and `groups stats` on the seed article (real commits)."""

import json

from typer.testing import CliRunner

from app.cli import cli
from tests.conftest import SEED_ARTICLE

runner = CliRunner()


def test_rebuild_then_stats(committed_db: str) -> None:
    assert runner.invoke(cli, ["ingest", str(SEED_ARTICLE)]).exit_code == 0
    before = json.loads(runner.invoke(cli, ["groups", "stats", "--json"]).stdout)
    assert before["grouped_statements"] > 0 and before["ungrouped_claims"] == 0

    result = runner.invoke(cli, ["groups", "rebuild", "--batch", "100"])
    assert result.exit_code == 0, result.output
    assert f"{before['grouped_statements']} statements regrouped" in result.stdout
    after = json.loads(runner.invoke(cli, ["groups", "stats", "--json"]).stdout)
    assert after == before  # regrouping the same statements gives the same groups


def test_groups_commands_have_help() -> None:
    for command in (["groups"], ["groups", "rebuild"], ["groups", "stats"]):
        result = runner.invoke(cli, [*command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.stdout
