"""The `claimtracker` command: the operator's interface to every job."""

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from sqlalchemy import func, select

from app.settings import get_settings

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime
    from multiprocessing.process import BaseProcess

    import uvicorn
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from app.ingest.service import Outcome
    from app.models.accounts import User

cli = typer.Typer(
    help="Track who claimed what in geopolitical news.",
    no_args_is_help=True,
    add_completion=False,
)
db_cli = typer.Typer(help="Manage the database schema.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
users_cli = typer.Typer(help="Manage the people who may sign in.", no_args_is_help=True)
cli.add_typer(users_cli, name="users")
tokens_cli = typer.Typer(help="Manage API tokens.", no_args_is_help=True)
cli.add_typer(tokens_cli, name="tokens")
feeds_cli = typer.Typer(
    help="Follow outlets' RSS and Atom feeds: the worker polls them for new articles.",
    no_args_is_help=True,
)
cli.add_typer(feeds_cli, name="feeds")

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)


def _engine() -> "Engine":
    from app.db import get_engine

    return get_engine()


def _sessionmaker() -> "sessionmaker[Session]":
    from app.db import make_sessionmaker

    return make_sessionmaker(_engine())


def _print_outcome(outcome: "Outcome") -> None:
    if outcome.status == "failed":
        err.print(f"[red]error[/red] {outcome.where}: {outcome.message}", soft_wrap=True)
    elif outcome.status == "existing":
        out.print(
            f"[dim]exists[/dim]  {outcome.where}: already stored as article {outcome.article_id}"
        )
    else:
        out.print(
            f"[green]stored[/green]  {outcome.where}: article {outcome.article_id}, "
            f"{outcome.statements} statements"
        )


def run_ingest(
    paths: list[Path], quiet: bool = False, jobs: int = 1, urls: list[str] | None = None
) -> bool:
    """Ingest files, folders and web addresses, printing each outcome and a summary; True if
    all went in."""
    from app.extract.pipeline import ModelNotFoundError
    from app.ingest.readers import ArticleInput, expand_paths
    from app.ingest.service import Outcome, ingest_articles, read_inputs

    skipped: list[Path] = []
    items: list[ArticleInput | Outcome] = list(read_inputs(expand_paths(paths, skipped)))
    if urls:
        from app.ingest.fetch import FetchError, fetcher_from_settings

        fetcher = fetcher_from_settings()
        for url in urls:
            try:
                items.append(fetcher.article(url))
            except FetchError as error:
                items.append(Outcome(url, "failed", message=error.reason))
    if skipped and not quiet:
        names = ", ".join(str(path) for path in skipped[:5]) + (" …" if len(skipped) > 5 else "")
        out.print(f"[dim]skipped[/dim] {len(skipped)} files that are not articles: {names}")
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
        disable=quiet or len(items) < 2,
    ) as progress:
        task = progress.add_task("ingesting", total=len(items))

        def on_outcome(outcome: Outcome) -> None:
            progress.advance(task)
            if not quiet or outcome.status == "failed":
                _print_outcome(outcome)

        try:
            summary = ingest_articles(_sessionmaker(), items, on_outcome, jobs)
        except ModelNotFoundError as error:
            err.print(f"[red]error[/red] {error}; set CLAIMTRACKER_SPACY_MODEL to an installed one")
            raise typer.Exit(1) from None
    statements = sum(outcome.statements for outcome in summary.outcomes)
    out.print(
        f"{summary.count('created')} stored ({statements} statements), "
        f"{summary.count('existing')} already there, {summary.count('failed')} failed"
    )
    return not summary.failed


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Upgrade the schema, load the seed articles into an empty database, and serve the site.

    A background ingest worker runs beside the server unless CLAIMTRACKER_RUN_WORKER=false.
    """
    import uvicorn

    from app import migrate
    from app.models.articles import Article
    from app.web.app import create_app
    from app.web.request_log import configure_logging

    engine = _engine()
    migrate.upgrade(engine)
    with _sessionmaker()() as session:
        empty = session.scalar(select(func.count()).select_from(Article)) == 0
    seeds_dir = get_settings().seeds_dir
    if empty and seeds_dir.is_dir():
        from app.ingest.readers import SUPPORTED_SUFFIXES

        # seeds/ also holds the gazetteer and topics (YAML): only articles are ingested.
        seeds = sorted(p for p in seeds_dir.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES)
        if seeds:
            out.print(f"The database holds no article: loading {len(seeds)} from {seeds_dir}")
            run_ingest(seeds, quiet=True)
    from app.groups.rules import rebuild_advice
    from app.topics.service import load_seed_topics

    # The topics file is the initial set: an editor's version of a topic is kept.
    with _sessionmaker().begin() as session:
        load_seed_topics(session)
        advice = rebuild_advice(session)
    if advice:
        err.print(f"[yellow]Note: {advice}.[/yellow]")
    worker = None
    if get_settings().run_worker:
        from app.jobs.worker import start_worker_process

        worker = start_worker_process(engine.url.render_as_string(hide_password=False))
    # proxy_headers off: uvicorn would otherwise believe X-Forwarded-For from 127.0.0.1;
    # the app reads it only from CLAIMTRACKER_TRUSTED_PROXIES (app.web.accounts).
    config = uvicorn.Config(
        create_app(engine),
        host=host,
        port=port,
        log_level="info",
        proxy_headers=False,
        log_config=configure_logging(get_settings().log_format == "json"),
        # Requests still running this long after a stop are cut (a database that does not
        # answer must not hold the stop).
        timeout_graceful_shutdown=SERVE_DRAIN_SECONDS,
    )
    if not _run_server(config, worker):
        raise typer.Exit(3)


# serve's stop, from the signal: requests have this long to finish, the worker (stopping at
# the same time) this long before it is killed; so nothing of serve is left after 10 s.
SERVE_DRAIN_SECONDS = 5
SERVE_WORKER_STOP_SECONDS = 8.0


def _run_server(config: "uvicorn.Config", worker: "BaseProcess | None") -> bool:
    """Serve until SIGINT/SIGTERM, stopping the worker at the same moment and waiting for it
    (at most SERVE_WORKER_STOP_SECONDS from the signal); False if the server did not start."""
    import signal
    import time

    import uvicorn

    from app.jobs.worker import ask_worker_to_stop, stop_worker_process

    asked_at: list[float] = []

    def ask_worker() -> None:
        if worker is not None and not asked_at:
            asked_at.append(time.monotonic())
            ask_worker_to_stop(worker)

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: object) -> None:
            ask_worker()
            super().handle_exit(sig, frame)  # type: ignore[arg-type]

    server = Server(config)
    # uvicorn raises the signal again once it has stopped; with the default SIGTERM handler
    # that would end this process before its worker is stopped.
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: None)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        if worker is not None:
            ask_worker()
            # Whatever the worker is doing: its job is taken up again by the next worker.
            left = SERVE_WORKER_STOP_SECONDS - (time.monotonic() - asked_at[0])
            stop_worker_process(worker, timeout=max(left, 0.5), asked=True)
    return server.started


@cli.command()
def worker(
    concurrency: Annotated[int, typer.Option(min=1, help="Jobs processed at once.")] = 1,
) -> None:
    """Process background ingest jobs (uploads of several files); run on as many machines as
    you like against the same database."""
    from app import migrate
    from app.jobs.worker import run_worker

    migrate.upgrade(_engine())
    run_worker(concurrency)


@db_cli.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Upgrade the schema to the latest (or the given) revision."""
    from app import migrate

    migrate.upgrade(_engine(), revision)
    out.print(f"schema at {revision}")


@db_cli.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, e.g. -1 or base.")],
) -> None:
    """Downgrade the schema to the given revision."""
    from app import migrate

    migrate.downgrade(_engine(), revision)
    out.print(f"schema at {revision}")


@cli.command()
def ingest(
    sources: Annotated[
        list[str],
        typer.Argument(
            help="Files or folders (.txt .md .html .json .jsonl), or web addresses (https://…)."
        ),
    ],
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=0,
            help="Processes that parse articles while this one stores them (0: parse here).",
        ),
    ] = 1,
) -> None:
    """Add articles: extract their statements and store them, each article in one transaction."""
    from app import migrate

    urls = [source for source in sources if source.startswith(("http://", "https://"))]
    paths = [Path(source) for source in sources if source not in urls]
    missing = [path for path in paths if not path.exists()]
    for path in missing:
        err.print(f"[red]error[/red] {path}: no such file or folder")
    migrate.upgrade(_engine())
    ok = run_ingest([path for path in paths if path.exists()], jobs=jobs, urls=urls)
    if missing or not ok:
        raise typer.Exit(1)


@cli.command()
def export(
    format: Annotated[str, typer.Option("--format", help="jsonl or csv.")] = "jsonl",
    actor: Annotated[str | None, typer.Option(help="Only this actor's statements (slug).")] = None,
    output: Annotated[Path | None, typer.Option(help="Write here instead of stdout.")] = None,
) -> None:
    """Write every statement, one per line, with its article and speaker."""
    from app.csv_rows import csv_chunks
    from app.statements.export import WEB_CSV_COLUMNS, export_records, flatten_record

    if format not in ("jsonl", "csv"):
        err.print(f"[red]error[/red] --format must be jsonl or csv, not {format!r}")
        raise typer.Exit(2)
    stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        with _sessionmaker()() as session:
            records = export_records(session, actor)
            if format == "jsonl":
                for record in records:
                    stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                flat = (flatten_record(record) for record in records)
                for chunk in csv_chunks(flat, WEB_CSV_COLUMNS):
                    stream.write(chunk)
    finally:
        if output:
            stream.close()


@cli.command()
def stats(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Count sources, articles, actors and statements."""
    from app.models.actors import Actor
    from app.models.articles import Article, Source
    from app.models.statements import Statement

    with _sessionmaker()() as session:
        counts = {
            name: session.scalar(select(func.count()).select_from(model)) or 0
            for name, model in (
                ("sources", Source),
                ("articles", Article),
                ("actors", Actor),
                ("statements", Statement),
            )
        }
    if as_json:
        out.print_json(json.dumps(counts))
    else:
        for name, count in counts.items():
            out.print(f"{name:<11} {count}")


@cli.command()
def reextract(
    all_articles: Annotated[bool, typer.Option("--all", help="Every stored article.")] = False,
    article: Annotated[int | None, typer.Option(help="One article's id.")] = None,
) -> None:
    """Run the current extractor again on stored articles, replacing their machine statements."""
    from app.extract import EXTRACTOR_VERSION
    from app.ingest.extraction import extract_all
    from app.ingest.service import store_extraction
    from app.models.articles import Article

    if all_articles == (article is not None):
        err.print("[red]error[/red] give either --all or --article ID")
        raise typer.Exit(2)
    factory = _sessionmaker()
    with factory() as session:
        query = select(Article.id, Article.body).order_by(Article.id)
        if article is not None:
            query = query.where(Article.id == article)
        rows = list(session.execute(query))
    if article is not None and not rows:
        err.print(f"[red]error[/red] no article with id {article}")
        raise typer.Exit(1)
    total = 0
    for (article_id, _), extraction in zip(rows, extract_all(r.body for r in rows), strict=True):
        with factory.begin() as session:
            stored = session.get(Article, article_id)
            if stored is not None:
                total += store_extraction(session, stored, extraction)
    out.print(f"{len(rows)} articles re-extracted with {EXTRACTOR_VERSION}: {total} statements")


@cli.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL file (e.g. polnear-dev.jsonl).")],
    split: Annotated[str | None, typer.Option(help="Only documents of this split.")] = None,
    predictions: Annotated[
        Path | None, typer.Option(help="Also write the predictions (JSON lines) here.")
    ] = None,
    scorer: Annotated[
        Path | None,
        typer.Option(
            help="An external scorer module (default: the project's, app/extract/scoring.py)."
        ),
    ] = None,
    speaker: Annotated[
        str,
        typer.Option(
            help="written: speakers as the article names them (pronouns resolved), as gold "
            "files record them; canonical: the resolved actor's name."
        ),
    ] = "written",
    by_rule: Annotated[
        bool, typer.Option("--by-rule", help="Also print precision and recall per rule.")
    ] = False,
    claims: Annotated[
        bool,
        typer.Option(
            "--claims",
            help="Score claims only (what is stored as type statement), as the Belarus "
            "annotation counts; PolNeAR counts every type.",
        ),
    ] = False,
) -> None:
    """Score the extractor against annotated articles (no database needed)."""
    from app.extract.evaluate import run_evaluation
    from app.ingest.extraction import configure_extractor

    configure_extractor()

    if not gold.exists():
        err.print(f"[red]error[/red] {gold}: no such file")
        raise typer.Exit(1)
    if speaker not in ("written", "canonical"):
        err.print("[red]error[/red] --speaker must be written or canonical")
        raise typer.Exit(2)
    run_evaluation(
        gold,
        split=split,
        scorer_path=scorer,
        predictions_out=predictions,
        speaker_form="written" if speaker == "written" else "canonical",
        by_rule=by_rule,
        claims_only=claims,
    )


@cli.command("demo-data")
def demo_data(
    statements: Annotated[int, typer.Option(min=1, help="How many statements to generate.")] = (
        100_000
    ),
    seed: Annotated[int, typer.Option(help="Random seed, for repeatable data.")] = 0,
    repeats: Annotated[
        float,
        typer.Option(min=0.0, max=0.9, help="Share of statements repeating an earlier claim."),
    ] = 0.0,
) -> None:
    """Fill the database with SYNTHETIC articles, actors and statements, for benchmarks.

    Use a database of its own (DATABASE_URL=…/demo): the data is invented and marked so.
    """
    from app import migrate
    from app.demo import generate

    migrate.upgrade(_engine())
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("generating", total=statements)
        counts = generate(
            _sessionmaker(),
            statements,
            seed=seed,
            progress=lambda n: progress.update(task, completed=n),
            repeats=repeats,
        )
    out.print(", ".join(f"{count} {name}" for name, count in counts.items()) + " (synthetic)")


@users_cli.command("create")
def users_create(
    email: Annotated[str, typer.Argument(help="The person's email, used to sign in.")],
    role: Annotated[str, typer.Option(help="viewer, editor or admin.")] = "viewer",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a user; the password is asked for (or read from stdin), never given as an option."""
    from app import migrate
    from app.accounts.service import AccountError, add_user

    password = _read_password(password_stdin)
    migrate.upgrade(_engine())
    try:
        with _sessionmaker().begin() as session:
            user = add_user(session, email, password, role, None)
            out.print(f"created {user.role} {user.email}")
    except AccountError as error:
        err.print(f"[red]error[/red] {error}")
        raise typer.Exit(1) from None


@tokens_cli.command("create")
def tokens_create(
    email: Annotated[str, typer.Argument(help="Whose token: the user's email.")],
) -> None:
    """Print a new API token for a user (shown once; only its hash is stored)."""
    from app.accounts.service import AccountError, issue_token, user_by_email

    try:
        with _sessionmaker().begin() as session:
            token = issue_token(session, user_by_email(session, email), None)
    except AccountError as error:
        err.print(f"[red]error[/red] {error}")
        raise typer.Exit(1) from None
    print(token)


def _when(moment: "datetime | None") -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "never"


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


def _change_user(email: str, change: "Callable[[Session, User], str]") -> None:
    """Find the user by email and apply one change in one transaction; an unknown email or a
    refused change is said in a sentence, with exit status 1."""
    from app.accounts.service import AccountError, user_by_email

    try:
        with _sessionmaker().begin() as session:
            out.print(change(session, user_by_email(session, email)))
    except AccountError as error:
        err.print(f"[red]error[/red] {error}")
        raise typer.Exit(1) from None


@users_cli.command("list")
def users_list() -> None:
    """Every user: id, email, role, whether disabled, display name, created, last sign-in."""
    from app.accounts.service import list_users

    with _sessionmaker()() as session:
        users = list_users(session)
        for user in users:
            state = "disabled" if user.disabled else "active"
            out.print(
                f"{user.id:>4}  {user.email}  {user.role}  {state}  "
                f"name: {user.display_name or '-'}  created {_when(user.created_at)}  "
                f"last sign-in {_when(user.last_login_at)}",
                soft_wrap=True,
            )
    if not users:
        out.print("no users yet: claimtracker users create EMAIL --role admin")


@users_cli.command("disable")
def users_disable(email: Annotated[str, typer.Argument(help="The user's email.")]) -> None:
    """Disable a user: their sessions and API tokens stop working at once."""
    from app.accounts.service import set_disabled

    def change(session: "Session", user: "User") -> str:
        done = set_disabled(session, user, True, None)
        return f"disabled {user.email}" if done else f"{user.email} was already disabled"

    _change_user(email, change)


@users_cli.command("enable")
def users_enable(email: Annotated[str, typer.Argument(help="The user's email.")]) -> None:
    """Enable a disabled user again (they sign in anew; their tokens work again)."""
    from app.accounts.service import set_disabled

    def change(session: "Session", user: "User") -> str:
        done = set_disabled(session, user, False, None)
        return f"enabled {user.email}" if done else f"{user.email} was not disabled"

    _change_user(email, change)


@users_cli.command("set-password")
def users_set_password(
    email: Annotated[str, typer.Argument(help="The user's email.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Give a user a new password (asked for, hidden, or read from stdin); their sessions end."""
    from app.accounts.service import set_password

    password = _read_password(password_stdin)

    def change(session: "Session", user: "User") -> str:
        set_password(session, user, password, None)
        return f"new password set for {user.email}; their sessions have ended"

    _change_user(email, change)


@users_cli.command("set-role")
def users_set_role(
    email: Annotated[str, typer.Argument(help="The user's email.")],
    role: Annotated[str, typer.Argument(help="viewer, editor or admin.")],
) -> None:
    """Change what a user may do: viewer (read), editor (add and correct), admin (manage users)."""
    from app.accounts.service import set_role

    def change(session: "Session", user: "User") -> str:
        done = set_role(session, user, role, None)
        return f"{user.email} is now {role}" if done else f"{user.email} was already {role}"

    _change_user(email, change)


@tokens_cli.command("list")
def tokens_list(
    email: Annotated[str | None, typer.Option(help="Only this user's tokens.")] = None,
) -> None:
    """API tokens by id, prefix, owner and last use (the secret itself is never stored)."""
    from app.accounts.service import list_tokens, normalise_email

    with _sessionmaker()() as session:
        tokens = [
            token
            for token in list_tokens(session)
            if email is None or token.user.email == normalise_email(email)
        ]
        for token in tokens:
            out.print(
                f"{token.id:>4}  {token.prefix}…  {token.user.email}  "
                f"created {_when(token.created_at)}  last used {_when(token.last_used_at)}",
                soft_wrap=True,
            )
    if not tokens:
        out.print("no API tokens" + (f" for {email}" if email else ""))


@tokens_cli.command("revoke")
def tokens_revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (claimtracker tokens list).")],
) -> None:
    """Revoke an API token: requests that send it get 401 from now on."""
    from app.accounts.service import AccountError, revoke_token

    try:
        with _sessionmaker().begin() as session:
            token = revoke_token(session, token_id, None)
            out.print(f"revoked token {token.id} ({token.prefix}…)")
    except AccountError as error:
        err.print(f"[red]error[/red] {error}")
        raise typer.Exit(1) from None


def main() -> None:
    from app.extract.pipeline import ModelNotFoundError

    try:
        cli()
    except ModelNotFoundError as error:
        # The one configuration mistake that surfaces only once parsing starts.
        err.print(f"[red]error[/red] {error}; set CLAIMTRACKER_SPACY_MODEL to an installed one")
        sys.exit(1)


@feeds_cli.command("add")
def feeds_add(
    url: Annotated[str, typer.Argument(help="The feed's address (https://…).")],
    interval: Annotated[int, typer.Option(help="Minutes between polls (5 to 10080).")] = 60,
) -> None:
    """Follow a feed (idempotent: the same address is followed once)."""
    from app import migrate
    from app.feeds.service import FeedFailure, add_feed

    migrate.upgrade(_engine())
    try:
        with _sessionmaker().begin() as session:
            feed = add_feed(session, url, interval)
            out.print(f"following feed {feed.id}: {feed.url} (every {feed.interval_minutes} min)")
    except FeedFailure as error:
        err.print(f"[red]error[/red] {url}: {error}")
        raise typer.Exit(1) from None


@feeds_cli.command("list")
def feeds_list() -> None:
    """The feeds followed, with their last poll."""
    from app.feeds.service import list_feeds

    with _sessionmaker()() as session:
        for feed in list_feeds(session):
            polled = (
                feed.last_polled_at.strftime("%Y-%m-%d %H:%M") if feed.last_polled_at else "never"
            )
            state = feed.last_error or f"{feed.last_new} new"
            out.print(
                f"{feed.id:>4}  {feed.title or feed.url}  every {feed.interval_minutes} min, "
                f"polled {polled}: {state}; {feed.articles_added} articles in all",
                soft_wrap=True,
            )


@feeds_cli.command("remove")
def feeds_remove(feed_id: Annotated[int, typer.Argument(help="The feed's number.")]) -> None:
    """Stop following a feed (its articles stay)."""
    from app.feeds.service import remove_feed

    with _sessionmaker().begin() as session:
        if not remove_feed(session, feed_id):
            err.print(f"[red]error[/red] there is no feed {feed_id}")
            raise typer.Exit(1)
    out.print(f"feed {feed_id} removed")


@feeds_cli.command("poll")
def feeds_poll(
    feed_id: Annotated[int | None, typer.Argument(help="One feed; default: every feed.")] = None,
) -> None:
    """Poll feeds now, whatever their schedule; exit status 1 if a feed could not be read."""
    from app import migrate
    from app.feeds.service import list_feeds, poll_feed
    from app.ingest.extraction import configure_extractor
    from app.ingest.fetch import fetcher_from_settings

    migrate.upgrade(_engine())
    configure_extractor()
    factory = _sessionmaker()
    with factory() as session:
        ids = [feed.id for feed in list_feeds(session) if feed_id in (None, feed.id)]
    if feed_id is not None and not ids:
        err.print(f"[red]error[/red] there is no feed {feed_id}")
        raise typer.Exit(1)
    failed = False
    fetcher = fetcher_from_settings()
    for number in ids:
        result = poll_feed(factory, number, fetcher)
        if result.error:
            failed = True
            err.print(f"[red]error[/red] feed {number}: {result.error}")
        else:
            out.print(f"feed {number}: {result.new} new articles ({result.seen} seen before)")
    if failed:
        raise typer.Exit(1)


groups_cli = typer.Typer(
    help="Claim groups: statements that make the same claim (see README).", no_args_is_help=True
)
cli.add_typer(groups_cli, name="groups")


@groups_cli.command("rebuild")
def groups_rebuild(
    batch: Annotated[int, typer.Option(min=100, help="Statements per transaction.")] = 2000,
) -> None:
    """Regroup every statement, keeping the groups and memberships editors fixed."""
    from app import migrate
    from app.groups.rules import note_regrouped
    from app.groups.service import rebuild

    migrate.upgrade(_engine())
    columns = (TextColumn("regrouping"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("regrouping", total=None)
        summary = rebuild(
            _sessionmaker(),
            batch_size=batch,
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    with _sessionmaker().begin() as session:
        note_regrouped(session)
    out.print(
        f"{summary.statements} statements regrouped into {summary.groups} groups "
        f"({summary.kept_fixed} statements kept where editors fixed them)"
    )


@groups_cli.command("stats")
def groups_stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Count groups, repeated claims and statements not grouped yet."""
    from app.groups.queries import stats as group_stats
    from app.groups.rules import rebuild_advice

    with _sessionmaker()() as session:
        counts = group_stats(session).as_dict()
        advice = rebuild_advice(session)
    if as_json:
        out.print_json(json.dumps({**counts, "needs_rebuild": advice is not None}))
    else:
        for name, count in counts.items():
            out.print(f"{name:<19} {count}")
    if advice:
        err.print(f"[yellow]{advice}[/yellow]")


copies_cli = typer.Typer(
    help="Wire copies: articles whose text repeats an earlier article's.", no_args_is_help=True
)
cli.add_typer(copies_cli, name="copies")


@copies_cli.command("rebuild")
def copies_rebuild() -> None:
    """Look for copies among every stored article again (ingest marks new ones itself)."""
    from app import migrate
    from app.groups.copies import rebuild_copies

    migrate.upgrade(_engine())
    columns = (TextColumn("comparing"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("comparing", total=None)
        copies = rebuild_copies(
            _sessionmaker(),
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    out.print(f"{copies} articles are copies of an earlier one")


if __name__ == "__main__":
    main()
