"""Load-test the web server on the demo database: one uvicorn worker, wrk from another process.

Usage: python bench/web.py --database-url postgresql://postgres@127.0.0.1/demo [--duration 10]
       [--rounds 3] [--checkout OTHER_CHECKOUT ...]
Loopback only; each URL runs for --duration seconds, so the whole run is bounded in time.
Prints a Markdown table of p50 / p95 / p99 (ms) and requests per second: the median of the
rounds. With --checkout, a server runs from each of those checkouts too (another commit, in a
`git worktree`), and every case is measured on each server in turn (A B A B), round by round.
"""

import argparse
import json
import os
import socket
import statistics
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


def cpu_seconds(pid: int) -> float:
    """User and system CPU a process has used (0 when it has ended)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def database_backends(database_url: str) -> list[int]:
    """The server processes of every other connection to this database."""
    with psycopg.connect(database_url.replace("+psycopg", "")) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        ).fetchall()
    return [row[0] for row in rows]


def measure(
    url: str, duration: int, connections: int, threads: int, pid: int, database_url: str | None
) -> dict[str, float]:
    """wrk's figures, plus the CPU milliseconds each request cost the server process and (with
    database_url) the database's processes: a figure other work on the machine barely moves."""
    backends = database_backends(database_url) if database_url else []
    before = {p: cpu_seconds(p) for p in [pid, *backends]}
    result = run_wrk(url, duration, connections, threads)
    after_backends = database_backends(database_url) if database_url else []
    used = sum(cpu_seconds(p) - before.get(p, 0.0) for p in {pid, *backends, *after_backends})
    result["cpu_ms"] = 1000 * used / max(result["requests"], 1)
    return result


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
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--checkout", type=Path, action="append", default=[])
    parser.add_argument("--only", help="measure only the cases whose name contains this")
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
    if args.only:
        cases = [(name, path) for name, path in cases if args.only in name]
    roots = [ROOT, *(path.resolve() for path in args.checkout)]
    env = {**os.environ, "DATABASE_URL": args.database_url}
    servers = []
    for root in roots:
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "app.web.app:create_app",
             "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
             "--no-access-log", "--log-level", "warning"],
            cwd=root, env={**env, "PYTHONPATH": str(root)},
        )  # fmt: skip
        servers.append((root, f"http://127.0.0.1:{port}", server))
    try:
        for _, base, process in servers:
            for _ in range(600):
                assert process.poll() is None, f"the server of {base} ended"
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            for _, path in cases:
                urllib.request.urlopen(base + path, timeout=30).read()  # warm the caches
        results: dict[tuple[str, Path], list[dict[str, float]]] = {}
        for _ in range(args.rounds):
            for name, path in cases:
                for root, base, process in servers:
                    result = measure(
                        base + path,
                        args.duration,
                        args.connections,
                        args.threads,
                        process.pid,
                        args.database_url,
                    )
                    assert not result["non2xx"], (path, result)
                    results.setdefault((name, root), []).append(result)
        for root, _, _ in servers:
            print(f"\n{root} (median of {args.rounds} rounds)\n")
            print(
                "| case | URL | p50 ms | p95 ms | p99 ms | req/s | CPU ms/request |\n"
                "|---|---|---|---|---|---|---|"
            )
            for name, path in cases:
                runs = results[(name, root)]
                p50, p95, p99, rps, cpu = (
                    statistics.median(run[key] for run in runs)
                    for key in ("p50", "p95", "p99", "rps", "cpu_ms")
                )
                print(
                    f"| {name} | `{path}` | {p50:.1f} | {p95:.1f} | {p99:.1f} | {rps:.0f} "
                    f"| {cpu:.1f} |",
                    flush=True,
                )
    finally:
        for _, _, server in servers:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
