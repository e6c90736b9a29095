"""Bulk ingest parses in worker processes while the parent stores: the same extractions in
the same order as parsing in the parent, and no worker outlives its parent."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from app.ingest.extraction import TASK_BODIES, extract_all
from tests.conftest import SEED_ARTICLE

ROOT = Path(__file__).resolve().parents[2]


def _bodies() -> list[str]:
    paragraphs = [p for p in SEED_ARTICLE.read_text().split("\n\n") if p.strip()]
    # More bodies than one task holds, each different, so order is tested across tasks.
    return ["\n\n".join(paragraphs[start:]) for start in range(TASK_BODIES * 2 + 1)]


def test_workers_give_the_extractions_of_the_parent_in_order() -> None:
    bodies = _bodies()
    here = list(extract_all(bodies, jobs=0))
    assert [len(e.attributions) for e in here] != [len(here[0].attributions)] * len(here)
    assert list(extract_all(bodies, jobs=1)) == here
    assert list(extract_all(bodies, jobs=2)) == here


def test_a_caller_that_stops_early_leaves_no_worker() -> None:
    import multiprocessing

    extractions = extract_all(_bodies(), jobs=1)
    next(extractions)
    workers = multiprocessing.active_children()
    assert workers
    extractions.close()
    assert not any(worker.is_alive() for worker in workers)


PARENT = """
import multiprocessing, os, signal, sys
from app.ingest.extraction import extract_all
bodies = [open(sys.argv[1]).read()] * 12
extractions = extract_all(bodies, jobs=1)
next(extractions)
print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead: only its exit status is left.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ")[-1][0] != "Z"


def test_workers_die_with_a_parent_killed_outright() -> None:
    parent = subprocess.run(
        [sys.executable, "-c", PARENT, str(SEED_ARTICLE)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert parent.returncode == -signal.SIGKILL, parent.stderr
    workers = [int(pid) for pid in parent.stdout.split()]
    assert workers
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)
