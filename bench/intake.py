"""A very large upload: peak memory of ingesting it and the time of its article page.

Usage: python bench/intake.py --database-url postgresql://postgres@127.0.0.1/bench_intake
Writes a 5 MB text of one repeated paragraph, ingests it with `claimtracker ingest` in a child
process (its peak resident memory from getrusage), then times the article page and its JSON
(one warm-up, then the median of five) in this process. Loopback only; the database is used
as it is (create it first).
"""

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = "The minister said the talks would go on and that the border would stay open. "


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--megabytes", type=float, default=5.0)
    args = parser.parse_args()
    size = int(args.megabytes * 1_000_000)
    paragraph = SENTENCE * 20 + "\n\n"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.txt"
        stamp = f"Large upload {time.time_ns()}\n\n"  # a new body each run
        path.write_text(stamp + paragraph * (size // len(paragraph)), encoding="utf-8")
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", "from app.cli import main; main()", "ingest", str(path)],
            cwd=ROOT,
            env={"DATABASE_URL": args.database_url, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        )
        took = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    article_id = int(done.stdout.split("article ", 1)[1].split(",", 1)[0])
    print(
        f"ingest of {path.stat().st_size / 1e6 if path.exists() else size / 1e6:.1f} MB: "
        f"{took:.0f} s, peak {peak_mb:.0f} MB; {done.stdout.strip().splitlines()[-1]}"
    )

    import os

    os.environ["DATABASE_URL"] = args.database_url
    from fastapi.testclient import TestClient

    from app.web.app import create_app

    client = TestClient(create_app())
    for page in (f"/articles/{article_id}", f"/api/articles/{article_id}"):
        client.get(page)
        times = []
        for _ in range(5):
            begin = time.perf_counter()
            response = client.get(page)
            times.append(time.perf_counter() - begin)
        print(
            f"{page}: {response.status_code}, {len(response.content) / 1e6:.1f} MB, "
            f"median {statistics.median(times) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
