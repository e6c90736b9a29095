"""Load-test the web server on the demo database: one uvicorn worker, wrk from another process.

Usage: python bench/web.py --database-url postgresql://postgres@127.0.0.1/demo [--duration 10]
Loopback only; each URL runs for --duration seconds, so the whole run is bounded in time.
Prints a Markdown table of p50 / p95 / p99 (ms) and requests per second.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
LUA = ROOT / "bench" / "percentiles.lua"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def actors_by_rank(database_url: str) -> list[str]:
    """Speaker slugs, most quoted first."""
    with psycopg.connect(database_url.replace("+psycopg", "")) as connection:
        rows = connection.execute(
            "SELECT a.slug FROM actors a JOIN (SELECT speaker_id, count(*) n FROM statements "
            "GROUP BY speaker_id) c ON c.speaker_id = a.id ORDER BY c.n DESC LIMIT 100"
        ).fetchall()
    return [row[0] for row in rows]


def run_wrk(url: str, duration: int, connections: int, threads: int) -> dict[str, float]:
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "-s", str(LUA), url],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 30,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1/demo")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--search", default="vorovaichi")
    parser.add_argument("--common-search", default="miretsanovo")
    args = parser.parse_args()

    ranked = actors_by_rank(args.database_url)
    top, tenth = ranked[0], ranked[min(9, len(ranked) - 1)]
    cases = [
        ("claims page, top actor", f"/?actor={top}"),
        ("claims page, 10th actor", f"/?actor={tenth}"),
        ("search page", f"/?q={args.search}"),
        ("search page, common word", f"/?q={args.common_search}"),
        ("actor page, top actor", f"/actors/{top}"),
        ("actor page, 10th actor", f"/actors/{tenth}"),
        ("JSON, top actor", f"/api/statements?actor={top}"),
        ("JSON, search", f"/api/statements?q={args.search}"),
        ("JSON, actor", f"/api/actors/{tenth}"),
        ("actors directory", "/actors"),
        ("JSON, articles", "/api/articles"),
    ]
    port = free_port()
    env = {**os.environ, "DATABASE_URL": args.database_url}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "app.web.app:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
         "--no-access-log", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        print("| case | URL | p50 ms | p95 ms | p99 ms | req/s |\n|---|---|---|---|---|---|")
        for name, path in cases:
            urllib.request.urlopen(base + path, timeout=30).read()  # warm the caches
            result = run_wrk(base + path, args.duration, args.connections, args.threads)
            assert not result["non2xx"], (path, result)
            print(
                f"| {name} | `{path}` | {result['p50']:.1f} | {result['p95']:.1f} | "
                f"{result['p99']:.1f} | {result['rps']:.0f} |",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
