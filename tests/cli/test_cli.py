"""The command line: ingest exit status and messages, export round trip, stats, help."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from tests.conftest import SEED_ARTICLE

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "command",
    [[], ["serve"], ["db", "upgrade"], ["db", "downgrade"], ["ingest"], ["export"], ["stats"],
     ["reextract"], ["evaluate"], ["worker"], ["users", "create"], ["tokens", "create"],
     ["demo-data"]],
)  # fmt: skip
def test_every_command_has_help(command: list[str]) -> None:
    code, stdout, _ = run(*command, "--help")
    assert code == 0
    assert "Usage" in stdout


def test_ingest_bad_folder_exits_non_zero_with_one_line_per_bad_file(
    committed_db: str, tmp_path: Path
) -> None:
    (tmp_path / "good.txt").write_text("Title\n\nThe minister said the talks would go on.")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x03 binary")
    (tmp_path / "broken.jsonl").write_text('{"body": "ok"}\n{oops\n')
    code, stdout, stderr = run("ingest", str(tmp_path))
    assert code == 1
    errors = [line for line in stderr.splitlines() if line.startswith("error")]
    assert len(errors) == 3
    assert any("empty.txt: the file is empty" in line for line in errors)
    assert any("binary.txt: the file is binary" in line for line in errors)
    assert any("broken.jsonl:2: invalid JSON line" in line for line in errors)
    assert "1 stored" in stdout and "3 failed" in stdout


def test_ingest_twice_then_export_round_trip(committed_db: str, tmp_path: Path) -> None:
    assert run("ingest", str(SEED_ARTICLE))[0] == 0
    code, stdout, _ = run("ingest", str(SEED_ARTICLE))
    assert code == 0 and "0 stored" in stdout and "1 already there" in stdout

    code, stdout, _ = run("stats", "--json")
    stats = json.loads(stdout)
    assert stats["articles"] == 1 and stats["statements"] >= 14

    jsonl = tmp_path / "out.jsonl"
    assert run("export", "--output", str(jsonl))[0] == 0
    records = [json.loads(line) for line in jsonl.read_text().splitlines()]
    assert len(records) == stats["statements"]
    first = records[0]
    assert set(first) == {
        "id", "article", "speaker", "speaker_mention", "cue", "kind", "content", "start", "end",
        "type", "citations", "cue_class", "confidence", "rule", "review_status", "permalink",
        "claim_group_id",
    }  # fmt: skip
    assert set(first["article"]) == {"id", "external_id", "title", "source", "url", "published_at"}
    body = SEED_ARTICLE.read_text()
    for record in records:
        assert record["content"] in body

    slug = next(
        r["speaker"]["slug"]
        for r in records
        if r["speaker"] and "Lukashenko" in r["speaker"]["name"]
    )
    code, stdout, _ = run("export", "--format", "csv", "--actor", slug)
    rows = list(csv.DictReader(io.StringIO(stdout)))
    assert rows and all(row["speaker_slug"] == slug for row in rows)
    assert any("conspiracy theories" in row["content"] for row in rows)


def test_export_rejects_unknown_format(committed_db: str) -> None:
    code, _, stderr = run("export", "--format", "xml")
    assert code == 2
    assert "jsonl or csv" in stderr


def test_reextract_runs_in_a_fresh_process(committed_db: str) -> None:
    """A new process has only the models the command imports; the statements' link to users
    must still resolve (the test process itself has imported every model)."""
    assert run("ingest", str(SEED_ARTICLE))[0] == 0
    result = subprocess.run(
        [sys.executable, "-c", "from app.cli import main; main()", "reextract", "--all"],
        env={**os.environ, "DATABASE_URL": committed_db},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "1 articles re-extracted" in result.stdout


def test_spacy_model_comes_from_settings_and_a_missing_one_is_named(
    committed_db: str, tmp_path: Path
) -> None:
    article = tmp_path / "article.txt"
    article.write_text("Title\n\nThe minister said the talks would go on.\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", "from app.cli import main; main()", "ingest", str(article)],
        env={
            **os.environ,
            "DATABASE_URL": committed_db,
            "CLAIMTRACKER_SPACY_MODEL": "en_no_such_model_xyz",
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert "en_no_such_model_xyz" in result.stderr
    assert "Traceback" not in result.stderr


def test_ingest_folder_skips_files_that_are_not_articles(committed_db: str, tmp_path: Path) -> None:
    (tmp_path / "article.txt").write_text("Title\n\nThe minister said the talks would go on.")
    (tmp_path / "actors.yaml").write_text("- name: Somebody\n")
    code, stdout, stderr = run("ingest", str(tmp_path))
    assert code == 0, stderr
    assert "skipped 1 files that are not articles" in stdout and "actors.yaml" in stdout
    assert "1 stored" in stdout


def test_ingest_goes_on_after_a_deeply_nested_file(committed_db: str, tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    fresh = tmp_path / "fresh.txt"
    fresh.write_text("Fresh\n\nThe minister said the border was calm.")
    code, stdout, stderr = run("ingest", str(tmp_path / "deep.json"), str(fresh))
    assert code == 1
    assert "deep.json: the JSON is nested too deeply" in stderr
    assert "1 stored" in stdout and "1 failed" in stdout


def test_ingest_a_web_address(committed_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import http.server
    import threading

    from app.settings import get_settings
    from tests.ingest.test_fetch import Handler

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("CLAIMTRACKER_FETCH_ALLOW_HOSTS", site)
    get_settings.cache_clear()
    try:
        code, stdout, stderr = run("ingest", f"http://{site}/article.html", f"http://{site}/gone")
    finally:
        server.shutdown()
    assert code == 1
    assert "1 stored" in stdout and "1 failed" in stdout
    assert "the page answered 404" in stderr
