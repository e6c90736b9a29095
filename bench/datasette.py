"""Compare with Datasette serving the same statements from SQLite, in one run.

Usage:
  python3 -m venv /tmp/dsvenv && /tmp/dsvenv/bin/pip install datasette sqlite-utils
  DATABASE_URL=postgresql://postgres@127.0.0.1/demo claimtracker export --format csv \\
      --output /tmp/demo-statements.csv
  python bench/datasette.py --csv /tmp/demo-statements.csv --database-url \\
      postgresql://postgres@127.0.0.1/demo

Same filter on both sides: the statements of one actor, with a facet by actor. One process each
(uvicorn --workers 1, datasette), wrk from this process, loopback only, --duration s per URL.
"""

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from web import ROOT, actors_by_rank, free_port, run_wrk


def wait_for(url: str) -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} never answered")


def build_sqlite(csv_path: Path, db_path: Path, sqlite_utils: str) -> None:
    if db_path.exists():
        return
    subprocess.run(
        [sqlite_utils, "insert", str(db_path), "statements", str(csv_path), "--csv",
         "--pk", "id"],
        check=True,
    )  # fmt: skip
    # The index Datasette needs for this filter, so the comparison is fair.
    subprocess.run(
        [sqlite_utils, "create-index", str(db_path), "statements", "speaker_slug"], check=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1/demo")
    parser.add_argument("--csv", type=Path, default=Path("/tmp/demo-statements.csv"))
    parser.add_argument("--sqlite", type=Path, default=Path("/tmp/demo-statements.db"))
    parser.add_argument("--venv", type=Path, default=Path("/tmp/dsvenv"))
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=1)
    parser.add_argument(
        "--suggest-facets",
        action="store_true",
        help="Leave Datasette's facet suggestions on (its default); off gives it its best case.",
    )
    args = parser.parse_args()

    build_sqlite(args.csv, args.sqlite, str(args.venv / "bin" / "sqlite-utils"))
    ranked = actors_by_rank(args.database_url)
    actor = ranked[min(9, len(ranked) - 1)]
    ours_port, theirs_port = free_port(), free_port()
    ours = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "app.web.app:create_app",
         "--host", "127.0.0.1", "--port", str(ours_port), "--workers", "1",
         "--no-access-log", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": args.database_url},
    )  # fmt: skip
    theirs = subprocess.Popen(
        [str(args.venv / "bin" / "datasette"), "serve", str(args.sqlite), "-h", "127.0.0.1",
         "-p", str(theirs_port), "--setting", "facet_time_limit_ms", "1000",
         "--setting", "suggest_facets", "on" if args.suggest_facets else "off"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    name = args.sqlite.stem
    cases = [
        ("claimtracker page", f"http://127.0.0.1:{ours_port}/?actor={actor}"),
        (
            "Datasette page",
            f"http://127.0.0.1:{theirs_port}/{name}/statements?speaker_slug={actor}"
            "&_facet=speaker_slug&_size=50",
        ),
        ("claimtracker JSON", f"http://127.0.0.1:{ours_port}/api/statements?actor={actor}"),
        (
            "Datasette JSON",
            f"http://127.0.0.1:{theirs_port}/{name}/statements.json?speaker_slug={actor}"
            "&_facet=speaker_slug&_size=50",
        ),
    ]
    try:
        wait_for(f"http://127.0.0.1:{ours_port}/healthz")
        wait_for(f"http://127.0.0.1:{theirs_port}/-/versions.json")
        results = {}
        print(f"actor: {actor}\n")
        print("| server | p50 ms | p95 ms | p99 ms | req/s |\n|---|---|---|---|---|")
        for label, url in cases:
            urllib.request.urlopen(url, timeout=60).read()
            result = run_wrk(url, args.duration, args.connections, 1)
            assert not result["non2xx"], (url, result)
            results[label] = result
            print(
                f"| {label} | {result['p50']:.1f} | {result['p95']:.1f} | {result['p99']:.1f} "
                f"| {result['rps']:.0f} |",
                flush=True,
            )
        for kind in ("page", "JSON"):
            ratio = results[f"claimtracker {kind}"]["rps"] / results[f"Datasette {kind}"]["rps"]
            print(f"\n{kind}: claimtracker serves {ratio:.2f}× Datasette's requests per second")
    finally:
        for server in (ours, theirs):
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
