"""A database grouped by an earlier same-claim rule says it needs `groups rebuild`, until the
rebuild has run (real commits through the CLI)."""

import hashlib
import json
from pathlib import Path

from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from app.cli import cli
from app.groups.normalise import bands, claim_key
from app.groups.rules import RULE_VERSION
from tests.conftest import SEED_ARTICLE

runner = CliRunner()


def _set_rule(database_url: str, version: int) -> None:
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE grouping_rule SET version = :v"), {"v": version})
    engine.dispose()


def _stored_rules(database_url: str) -> list[int]:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        versions = list(connection.scalars(text("SELECT version FROM grouping_rule")))
    engine.dispose()
    return versions


def test_groups_of_an_earlier_rule_ask_for_a_rebuild_until_it_runs(
    committed_db: str, tmp_path: Path
) -> None:
    assert _stored_rules(committed_db) == []  # no group, no rule
    assert runner.invoke(cli, ["ingest", str(SEED_ARTICLE)]).exit_code == 0
    assert _stored_rules(committed_db) == [RULE_VERSION]  # the first groups record theirs
    stats = json.loads(runner.invoke(cli, ["groups", "stats", "--json"]).stdout)
    assert stats["needs_rebuild"] is False

    _set_rule(committed_db, RULE_VERSION - 1)
    try:
        # Groups made now by this rule do not make the older groups this rule's.
        later = tmp_path / "later.txt"
        seed = SEED_ARTICLE.read_text()
        later.write_text(seed[: len(seed) // 2])
        assert runner.invoke(cli, ["ingest", str(later)]).exit_code == 0
        assert _stored_rules(committed_db) == [RULE_VERSION - 1]
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


# Statements whose stored claim (key, polarity, failed reading, signature, names, bands) each
# rule change so far has moved; the digest of what this rule stores for them is pinned to its
# version, so a change to the stored keys fails here until RULE_VERSION is bumped.
RULE_SAMPLES = [
    ("Belarus will not join the war", "assert"),
    ("Belarus will join the war", "deny"),
    ("Ukrainian forces stopped Russian assaults near Mayorsk and Zaitseve", "assert"),
    ("the defenders repelled seven attacks near Dale, 20 km northwest of Bigtown", "assert"),
    (
        "Northern troops attempted to advance on May 13, which the defenders did not expect",
        "assert",
    ),
    ("the leaders met on June 17, during which the president likely tried to calm them", "assert"),
    ("the Donetsk People's Republic (DNR) 109th Regiment left its positions", "assert"),
    ("it depends on whether or not Hillary Clinton wins Ohio", "assert"),
    (
        "Northern forces improved positions on the Oakfield-Dale line near the Alpha-Beta border",
        "assert",
    ),
    (
        "Northern troops are trying to create conditions to advance on Dale and Marsh, 24km and "
        "22km northwest of Bigtown",
        "assert",
    ),
]
# Rule 3 pinned c1e159da26b1, the digest of the first eight samples.
STORED_BY_RULE = {4: "f41f84836441"}


def test_what_the_rule_stores_is_pinned_to_its_version() -> None:
    stored = []
    for sample, cue_class in RULE_SAMPLES:
        claim = claim_key(sample, 7, cue_class)
        stored.append(
            (claim.key, claim.polarity, claim.failed, claim.signature, claim.names, bands(claim))
        )
    digest = hashlib.sha256(repr(stored).encode()).hexdigest()[:12]
    assert STORED_BY_RULE.get(RULE_VERSION) == digest, (
        f"what the same-claim rule stores changed (digest {digest}): bump RULE_VERSION in "
        "app/groups/rules.py and pin the new digest here"
    )
