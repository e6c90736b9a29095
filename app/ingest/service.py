"""The one ingest path: prepare (read a file into articles), extract, store (one transaction
per article). The CLI, the upload form, the JSON API and the worker all go through it."""

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, sessionmaker

from app.actors.service import load_gazetteer_actors, resolve_actors
from app.extract import EXTRACTOR_VERSION, ActorRef, ArticleExtraction, load_gazetteer
from app.extract.claims import stored_type
from app.groups.copies import mark_copy
from app.groups.service import before_reextraction, group_article
from app.ingest.extraction import extract_all, extract_one
from app.ingest.readers import ArticleInput, InputError, expand_paths, parse_file, with_sidecar
from app.models import Article, AuditEntry, Mention, Source, Statement
from app.search.suggest import remember_words
from app.settings import get_settings

Status = Literal["created", "existing", "failed"]


@dataclass
class Outcome:
    where: str
    status: Status
    article_id: int | None = None
    title: str | None = None
    statements: int = 0
    message: str | None = None


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    # Files in the folders given that are not articles (the YAML beside the seeds).
    skipped: list[Path] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def failed(self) -> bool:
        return self.count("failed") > 0


def content_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def find_existing(session: Session, article: ArticleInput) -> Article | None:
    """The stored article with the same body, or the same external id."""
    found = session.scalar(
        select(Article).where(Article.content_hash == content_hash(article.body))
    )
    if found is None and article.external_id:
        found = session.scalar(select(Article).where(Article.external_id == article.external_id))
    return found


def get_or_create_source(session: Session, name: str, url: str | None) -> Source:
    domain = urlsplit(url).hostname if url else None
    session.execute(
        insert(Source)
        .values(name=name, domain=domain)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    source = session.scalar(select(Source).where(Source.name == name))
    assert source is not None
    if source.domain is None and domain:
        source.domain = domain
    return source


def same_words(start: int, end: int, other_start: int, other_end: int) -> bool:
    """Two spans are the same statement when they share most of the longer one.

    A statement nested in another (a quote inside a report of it) is not the same one.
    """
    shared = min(end, other_end) - max(start, other_start)
    return shared > 0 and shared * 2 >= max(end - start, other_end - other_start)


# The first key of the two-key advisory locks that serialise writers of the same article body
# (the second is the body's hash); two-key locks never collide with the one-key actor lock.
ARTICLE_LOCK_SPACE = 7_204_312

# More statements than any real article holds: a pasted log or a repeated sentence. The first
# ones are kept and the article says the rest were not.
MAX_STATEMENTS = 5_000

# Longer than any name: a list of places or a sentence the extractor took for a name. Such an
# actor is left out (its statements keep the speaker as written), never refused by a column.
MAX_ACTOR_NAME = 200


def _storable(ref: ActorRef) -> bool:
    name = ref.gazetteer_name or ref.name
    return 0 < len(name) <= MAX_ACTOR_NAME


def _bounded(ref: ActorRef) -> ActorRef:
    aliases = tuple(alias for alias in ref.aliases if 0 < len(alias) <= MAX_ACTOR_NAME)
    role = ref.role[:500] if ref.role else ref.role
    country = ref.country[:100] if ref.country else ref.country
    return replace(ref, aliases=aliases, role=role, country=country)


def _decided_spans(session: Session, article_id: int) -> list[tuple[int, int]]:
    """The words of the statements a person decided on, as they are now and as they were
    before an editor trimmed or extended them (the audit log keeps those): the machine's
    statement over the old words is the same decision, not a new statement."""
    spans = [
        (row.start, row.end)
        for row in session.execute(
            select(Statement.start, Statement.end).where(Statement.article_id == article_id)
        )
    ]
    earlier = (
        select(AuditEntry.before["start"].as_integer(), AuditEntry.before["end"].as_integer())
        .join(Statement, Statement.id == AuditEntry.entity_id)
        .where(
            AuditEntry.entity == "statement",
            Statement.article_id == article_id,
            AuditEntry.before.has_key("start"),
        )
    )
    spans += [(start, end) for start, end in session.execute(earlier) if start is not None]
    return spans


def store_extraction(session: Session, article: Article, extraction: ArticleExtraction) -> int:
    """Replace the article's machine statements and mentions with this extraction's.

    Statements a person confirmed, rejected or corrected stay, and the machine's new
    statements over the same words are dropped: a human decision outlives re-extraction.
    """
    previous_groups, pins = before_reextraction(session, article.id)
    session.execute(
        delete(Statement).where(
            Statement.article_id == article.id, Statement.review_status == "unreviewed"
        )
    )
    session.execute(delete(Mention).where(Mention.article_id == article.id))
    # Only web addresses: the pages turn endnotes into links.
    article.endnotes = [
        {"n": reference.number, "url": reference.url[:2000]}
        for reference in extraction.references
        if reference.url.startswith(("https://", "http://"))
    ]
    reviewed = _decided_spans(session, article.id)
    actors = resolve_actors(session, [_bounded(ref) for ref in extraction.actors if _storable(ref)])
    for mention in extraction.mentions:
        actor = actors.get(mention.actor_key)
        if actor is not None:
            session.add(
                Mention(
                    article_id=article.id,
                    actor_id=actor.id,
                    text=mention.text,
                    start=mention.start,
                    end=mention.end,
                )
            )
    stored = 0
    added: list[Statement] = []
    for attribution in extraction.attributions:
        if any(same_words(attribution.start, attribution.end, s, e) for s, e in reviewed):
            continue
        if stored == MAX_STATEMENTS:
            break  # the article page says so (see statements_capped)
        stored += 1
        speaker = actors.get(attribution.speaker_key) if attribution.speaker_key else None
        added.append(
            Statement(
                article_id=article.id,
                speaker_id=speaker.id if speaker else None,
                speaker_mention=attribution.speaker_mention,
                cue=attribution.cue[:100],
                cue_class=attribution.cue_class,
                kind=attribution.kind,
                type=stored_type(attribution),
                rule=attribution.rule[:60],
                citations=list(attribution.citations),
                content=attribution.content,
                start=attribution.start,
                end=attribution.end,
                sentence_start=attribution.sentence_start,
                sentence_end=attribution.sentence_end,
                confidence=attribution.confidence,
                extractor_version=EXTRACTOR_VERSION,
            )
        )
    session.add_all(added)
    # Grouped before they are inserted, so that each row is written once; flushes them.
    group_article(session, added, previous_groups, pins)
    # The words searches may be corrected to: the claims' words and their speakers' names.
    remember_words(
        session,
        [a.content for a in extraction.attributions]
        + [actor.gazetteer_name or actor.name for actor in extraction.actors],
    )
    return stored


def store_article(
    session: Session, article_input: ArticleInput, extraction: ArticleExtraction
) -> Outcome:
    """Store one article and its extraction in the caller's transaction (or find it stored).

    Writers of the same body take turns (a lock on its hash until their transaction ends), so
    concurrent posts of one article store it once and the others find it, as if in sequence.
    """
    session.execute(
        select(func.pg_advisory_xact_lock(ARTICLE_LOCK_SPACE, func.hashtext(bindparam("hash")))),
        {"hash": content_hash(article_input.body)},
    )
    existing = find_existing(session, article_input)
    if existing is not None:
        return Outcome(
            article_input.where, "existing", existing.id, existing.title, message="already stored"
        )
    source = (
        get_or_create_source(session, article_input.source, article_input.url)
        if article_input.source
        else None
    )
    article = Article(
        title=article_input.title,
        body=article_input.body,
        url=article_input.url,
        published_at=article_input.published_at,
        source=source,
        language=article_input.language,
        content_hash=content_hash(article_input.body),
        external_id=article_input.external_id,
        original_filename=article_input.original_filename,
    )
    session.add(article)
    session.flush()
    count = store_extraction(session, article, extraction)
    mark_copy(session, article)
    note = (
        f"only the first {MAX_STATEMENTS:,} statements were kept"
        if count == MAX_STATEMENTS
        else None
    )
    return Outcome(article_input.where, "created", article.id, article.title, count, note)


def store_curated_actors(session: Session) -> int:
    """Make sure the gazetteer's actors exist (idempotent, serialised across writers)."""
    return load_gazetteer_actors(session, load_gazetteer(get_settings().gazetteer_path))


def prepare_file(filename: str, data: bytes) -> list[ArticleInput]:
    """The articles of one file (a .json or .jsonl file may hold several); InputError says
    what is wrong and where."""
    return parse_file(filename, data)


def extract_articles(articles: Iterable[ArticleInput]) -> list[ArticleExtraction]:
    """Each article's extraction, in order (the slow part: run it outside any transaction)."""
    return [extract_one(article.body) for article in articles]


def ingest_article(factory: sessionmaker[Session], article: ArticleInput) -> Outcome:
    """Extract and store one article in its own transaction, or find it already stored (the
    upload form and the JSON API)."""
    with factory() as session:
        existing = find_existing(session, article)
        if existing is not None:
            count = session.scalar(select(func.count()).where(Statement.article_id == existing.id))
            return Outcome(article.where, "existing", existing.id, existing.title, count or 0)
    extraction = extract_one(article.body)  # outside the transaction: parsing takes a while
    with factory.begin() as session:
        return store_article(session, article, extraction)


def read_inputs(paths: Iterable[Path]) -> Iterator[ArticleInput | Outcome]:
    """Articles from files, or a failed outcome for a file that cannot be read."""
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as error:
            yield Outcome(str(path), "failed", message=error.strerror or str(error))
            continue
        try:
            yield from with_sidecar(parse_file(path.name, data), path)
        except InputError as error:
            where = error.where.replace(path.name, str(path), 1)
            yield Outcome(where, "failed", message=error.reason)


def ingest_articles(
    factory: sessionmaker[Session],
    items: Iterable[ArticleInput | Outcome],
    on_outcome: Callable[[Outcome], None] = lambda outcome: None,
    jobs: int = 1,
) -> Summary:
    """Extract and store each article in its own transaction; a failure stops nothing else."""
    summary = Summary()
    with factory.begin() as session:
        store_curated_actors(session)

    def report(outcome: Outcome) -> None:
        summary.outcomes.append(outcome)
        on_outcome(outcome)

    pending: list[ArticleInput] = []
    for item in items:
        if isinstance(item, Outcome):
            report(item)
            continue
        # Skip articles already stored before paying for their parse.
        with factory() as session:
            existing = find_existing(session, item)
        if existing is not None:
            report(
                Outcome(item.where, "existing", existing.id, existing.title, 0, "already stored")
            )
        else:
            pending.append(item)

    extractions = extract_all((article.body for article in pending), jobs)
    for article_input, extraction in zip(pending, extractions, strict=True):
        try:
            with factory.begin() as session:
                report(store_article(session, article_input, extraction))
        except Exception as error:  # one article's failure must not stop the batch
            reason = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
            report(Outcome(article_input.where, "failed", message=f"not stored: {reason}"))
    return summary


def ingest_paths(
    factory: sessionmaker[Session],
    paths: list[Path],
    on_outcome: Callable[[Outcome], None] = lambda outcome: None,
    jobs: int = 1,
) -> Summary:
    skipped: list[Path] = []
    inputs = list(read_inputs(expand_paths(paths, skipped)))
    summary = ingest_articles(factory, inputs, on_outcome, jobs)
    summary.skipped = skipped
    return summary
