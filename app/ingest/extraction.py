"""The application's one door to the extractor: set up from Settings, in this process or, for
bulk ingest, in worker processes that parse while this one stores."""

import ctypes
import multiprocessing
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from app.extract import ArticleExtraction, configure, extract, extract_docs, load_nlp
from app.settings import get_settings

# What a worker parses per task (one nlp.pipe batch): bodies up to about TASK_CHARS, at most
# TASK_BODIES of them; small, so that the parent's first store (and the last parse it waits
# for) comes soon. Tasks kept in flight per worker: enough that a worker never waits for the
# next, few enough that results do not pile up when storing is the slower side.
TASK_CHARS = 20_000
TASK_BODIES = 8
TASKS_AHEAD = 2

_PR_SET_PDEATHSIG = 1


def configure_extractor() -> None:
    """Point the extractor at the configured spaCy model and gazetteer (cheap; idempotent)."""
    settings = get_settings()
    configure(model=settings.spacy_model, gazetteer=settings.gazetteer_path)


def _warm_up(model: str, gazetteer: Path) -> None:
    # A worker dies with its parent (even one killed outright) and leaves Ctrl-C to it; it is
    # set up like its parent and has the pipeline loaded before its first article (inherited
    # when forked).
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    configure(model=model, gazetteer=gazetteer)
    load_nlp()


def _tasks(texts: list[str]) -> Iterator[list[str]]:
    task: list[str] = []
    size = 0
    for text in texts:
        task.append(text)
        size += len(text)
        if size >= TASK_CHARS or len(task) >= TASK_BODIES:
            yield task
            task, size = [], 0
    if task:
        yield task


def _extract_task(bodies: list[str]) -> list[ArticleExtraction]:
    return list(extract_docs(bodies))


def extract_one(body: str) -> ArticleExtraction:
    configure_extractor()
    return extract(body)


def extract_all(bodies: Iterable[str], jobs: int = 1) -> Iterator[ArticleExtraction]:
    """Extractions in the order of the bodies. With jobs >= 1 and more than one body, the
    parse runs in that many worker processes, a few articles ahead of the caller, so that
    storing one article overlaps with parsing the next; jobs = 0 (or a single body) parses in
    this process."""
    configure_extractor()
    texts = list(bodies)
    if jobs < 1 or len(texts) < 2:
        yield from extract_docs(texts)
        return
    # Loaded here first: a missing model is reported as itself, not as a broken pool, and
    # forked workers inherit the loaded pipeline instead of reading it again.
    load_nlp()
    settings = get_settings()
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_warm_up,
        initargs=(settings.spacy_model, settings.gazetteer_path),
    )
    in_flight: deque[Future[list[ArticleExtraction]]] = deque()
    try:
        for task in _tasks(texts):
            in_flight.append(pool.submit(_extract_task, task))
            if len(in_flight) > jobs * TASKS_AHEAD:
                yield from in_flight.popleft().result()
        while in_flight:
            yield from in_flight.popleft().result()
    finally:
        # A caller that stops early (or an error) leaves no parse running behind it.
        pool.shutdown(wait=True, cancel_futures=True)
