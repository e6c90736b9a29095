"""The application's one door to the extractor: set up from Settings, in this process or in
several worker processes for bulk ingest."""

from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from app.extract import ArticleExtraction, configure, extract, extract_docs, load_nlp
from app.settings import get_settings


def configure_extractor() -> None:
    """Point the extractor at the configured spaCy model and gazetteer (cheap; idempotent)."""
    settings = get_settings()
    configure(model=settings.spacy_model, gazetteer=settings.gazetteer_path)


def _warm_up(model: str, gazetteer: Path) -> None:
    # Each worker process is set up like its parent and loads the pipeline before its first
    # article.
    configure(model=model, gazetteer=gazetteer)
    load_nlp()


def extract_one(body: str) -> ArticleExtraction:
    configure_extractor()
    return extract(body)


def extract_all(bodies: Iterable[str], jobs: int = 1) -> Iterator[ArticleExtraction]:
    """Extractions in the order of the bodies; jobs > 1 parses in that many processes."""
    configure_extractor()
    if jobs <= 1:
        yield from extract_docs(bodies)
        return
    settings = get_settings()
    with ProcessPoolExecutor(
        max_workers=jobs,
        initializer=_warm_up,
        initargs=(settings.spacy_model, settings.gazetteer_path),
    ) as pool:
        # Results stream back in order while the caller stores earlier ones.
        yield from pool.map(extract, bodies, chunksize=4)
