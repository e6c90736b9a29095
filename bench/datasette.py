"""Compare with Datasette serving the same statements from SQLite, in one run.

Usage:
  python3 -m venv /tmp/dsvenv && /tmp/dsvenv/bin/pip install datasette sqlite-utils
  DATABASE_URL=postgresql://postgres@127.0.0.1/demo claimtracker export --format csv \\
      --output /tmp/demo-statements.csv
  python bench/datasette.py --csv /tmp/demo-statements.csv --database-url \\
      postgresql://postgres@127.0.0.1/demo [--connections 10] [--rounds 3]

The same questions on both sides: one actor's statements and a full-text search, each as a
page and as JSON, with a facet by actor (Datasette) or the five facets (claimtracker). One
process each (uvicorn --workers 1, datasette), wrk from this process, loopback only,
--duration s per URL. Each round runs every case on both servers, alternated (ours, theirs);
the table gives the median of the rounds' requests per second and p95.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from web import ROOT, actors_by_rank, free_port, measure


def wait_for(url: str) -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} never answered")


def build_sqlite(csv_path: Path, db_path: Path, sqlite_utils: str) -> None:
    """The SQLite file Datasette serves, built beside it and renamed when complete, so that a
    build cut short is never taken for a finished one."""
    if db_path.exists():
        return
    building = db_path.with_name(db_path.name + ".building")
    building.unlink(missing_ok=True)
    subprocess.run(
        [sqlite_utils, "insert", str(building), "statements", str(csv_path), "--csv",
         "--pk", "id"],
        check=True,
    )  # fmt: skip
    # The index Datasette needs for this filter and its full-text index, so the comparison
    # is fair.
    subprocess.run(
        [sqlite_utils, "create-index", str(building), "statements", "speaker_slug"], check=True
    )
    subprocess.run(
        [sqlite_utils, "enable-fts", str(building), "statements", "content", "--fts5"],
        check=True,
    )
    building.rename(db_path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1/demo")
    parser.add_argument("--csv", type=Path, default=Path("/tmp/demo-statements.csv"))
    parser.add_argument("--sqlite", type=Path, default=Path("/tmp/demo-statements.db"))
    parser.add_argument("--venv", type=Path, default=Path("/tmp/dsvenv"))
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--search", default="vorovaichi")
    parser.add_argument("--only", help='Only the cases whose name contains this ("actor, JSON").')
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
         # Its default time limit (1 s) fails a few requests on a loaded machine.
         "--setting", "sql_time_limit_ms", "10000",
         "--setting", "suggest_facets", "on" if args.suggest_facets else "off"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    name = args.sqlite.stem
    ours_base, theirs_base = f"http://127.0.0.1:{ours_port}", f"http://127.0.0.1:{theirs_port}"
    table = f"{theirs_base}/{name}/statements"
    facet = "&_facet=speaker_slug&_size=50"
    cases = {
        "actor, JSON": (
            f"{ours_base}/api/statements?actor={actor}",
            f"{table}.json?speaker_slug={actor}{facet}",
        ),
        "actor, page": (f"{ours_base}/?actor={actor}", f"{table}?speaker_slug={actor}{facet}"),
        "search, JSON": (
            f"{ours_base}/api/statements?q={args.search}",
            f"{table}.json?_search={args.search}{facet}",
        ),
        "search, page": (f"{ours_base}/?q={args.search}", f"{table}?_search={args.search}{facet}"),
    }
    if args.only:
        cases = {case: urls for case, urls in cases.items() if args.only in case}
    try:
        wait_for(f"{ours_base}/healthz")
        wait_for(f"{theirs_base}/-/versions.json")
        results: dict[tuple[str, str], list[dict[str, float]]] = {}
        print(f"actor: {actor}, search: {args.search}, connections: {args.connections}\n")
        for urls in cases.values():
            for url in urls:
                urllib.request.urlopen(url, timeout=60).read()  # warm the caches
        for round_number in range(args.rounds):
            for case, urls in cases.items():
                for server, url in zip(("claimtracker", "Datasette"), urls, strict=True):
                    # Our CPU counts the database's processes too; Datasette's SQLite is in its.
                    if server == "claimtracker":
                        result = measure(
                            url, args.duration, args.connections, 1, ours.pid, args.database_url
                        )
                    else:
                        result = measure(url, args.duration, args.connections, 1, theirs.pid, None)
                    assert not result["non2xx"], (url, result)
                    results.setdefault((case, server), []).append(result)
                    print(
                        f"round {round_number + 1}: {case}, {server}: {result['rps']:.0f} req/s,"
                        f" p95 {result['p95']:.1f} ms, {result['cpu_ms']:.1f} CPU ms/request",
                        flush=True,
                    )
        print(
            "\n| case | claimtracker req/s | Datasette req/s | ratio | claimtracker p95 ms "
            "| Datasette p95 ms | claimtracker CPU ms/req | Datasette CPU ms/req | CPU ratio |"
            "\n|---|---|---|---|---|---|---|---|---|"
        )
        for case in cases:
            ours_runs, theirs_runs = results[(case, "claimtracker")], results[(case, "Datasette")]
            ours_rps = statistics.median(run["rps"] for run in ours_runs)
            theirs_rps = statistics.median(run["rps"] for run in theirs_runs)
            print(
                f"| {case} | {ours_rps:.0f} | {theirs_rps:.0f} | **{ours_rps / theirs_rps:.2f}×** "
                f"| {statistics.median(run['p95'] for run in ours_runs):.1f} "
                f"| {statistics.median(run['p95'] for run in theirs_runs):.1f} "
                f"| {(ours_cpu := statistics.median(run['cpu_ms'] for run in ours_runs)):.1f} "
                f"| {(theirs_cpu := statistics.median(run['cpu_ms'] for run in theirs_runs)):.1f} "
                f"| **{theirs_cpu / ours_cpu:.2f}×** |",
                flush=True,
            )
    finally:
        for server in (ours, theirs):
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
