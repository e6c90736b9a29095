"""Extraction spread over worker processes, for bulk ingest on several cores."""

from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

from app.extract import ArticleExtraction, extract, extract_docs, load_nlp


def _warm_up() -> None:
    # Each worker loads the pipeline once, before its first article.
    load_nlp()


def extract_all(bodies: Iterable[str], jobs: int = 1) -> Iterator[ArticleExtraction]:
    """Extractions in the order of the bodies; jobs > 1 parses in that many processes."""
    if jobs <= 1:
        yield from extract_docs(bodies)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_warm_up) as pool:
        # Results stream back in order while the caller stores earlier ones.
        yield from pool.map(extract, bodies, chunksize=4)
