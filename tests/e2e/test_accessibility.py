"""Every page, public and editors', checked in Chromium with axe-core against the WCAG 2 A and
AA rules (axe-playwright-python ships axe-core). /docs and /redoc are Swagger UI and ReDoc,
third-party pages served as they come, and are not checked."""

import importlib
import pkgutil
import re
from collections.abc import Iterator
from urllib.parse import quote_plus

import pytest
from axe_playwright_python.sync_playwright import Axe
from fastapi.routing import APIRoute
from playwright.sync_api import Browser, Page
from sqlalchemy import Engine, delete, select

import app.web
from app.accounts.service import create_user
from app.db import make_sessionmaker
from app.models import Actor, Article, IngestJob, IngestJobFile, Statement

PASSWORD = "an accessible password"
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}, "resultTypes": ["violations"]}
axe = Axe()


def violations(page: Page) -> list[str]:
    """One line per failing rule: its id, impact, and the elements it failed on."""
    results = axe.run(page, options=RULES)
    return [
        f"{rule['id']} ({rule['impact']}): "
        + ", ".join(" ".join(node["target"]) for node in rule["nodes"][:5])
        for rule in results.response["violations"]
    ]


def assert_accessible(page: Page, base: str, path: str) -> None:
    response = page.goto(base + path)
    assert response is not None and response.status < 400, f"{path}: {response and response.status}"
    found = violations(page)
    assert not found, f"{path}: " + "; ".join(found)


@pytest.fixture(scope="module")
def sample(live_server: str, engine: Engine) -> Iterator[dict[str, str]]:
    """Addresses of one of each thing in the seed article, and a job page (a job stored
    without a queue entry: no worker runs it)."""
    with make_sessionmaker(engine).begin() as session:
        statement = session.scalars(
            select(Statement).where(Statement.speaker_id.is_not(None)).order_by(Statement.id)
        ).first()
        assert statement is not None
        actor = session.get(Actor, statement.speaker_id)
        other = session.scalars(
            select(Actor).where(Actor.id != statement.speaker_id).order_by(Actor.id)
        ).first()
        assert other is not None
        article = session.get(Article, statement.article_id)
        assert actor is not None and article is not None
        # Two claims (groups made at ingest): a claim's page, and its split and merge pages.
        claimed, another = session.scalars(
            select(Statement).where(Statement.claim_group_id.is_not(None)).order_by(Statement.id)
        ).all()[:2]
        assert claimed.claim_group_id != another.claim_group_id
        job = IngestJob(status="queued", file_count=1)
        job.files = [IngestJobFile(position=1, filename="a.txt", size=1, content=b"a")]
        session.add(job)
        session.flush()
        ids = {"statement": str(statement.id), "actor": actor.slug, "article": str(article.id),
               "job": str(job.id), "topic": "belarus-military-exercises",
               "other": quote_plus(other.name), "claim": str(claimed.claim_group_id),
               "claimed": str(claimed.id), "other_claim": str(another.claim_group_id)}  # fmt: skip
    yield ids
    with engine.begin() as connection:
        connection.execute(delete(IngestJob).where(IngestJob.id == int(ids["job"])))


@pytest.fixture(scope="module")
def editor_page(live_server: str, browser: Browser, engine: Engine) -> Iterator[Page]:
    """A browser signed in as an admin (who may do everything an editor may, and more)."""
    with make_sessionmaker(engine).begin() as session:
        create_user(session, "a11y-admin@example.org", PASSWORD, "admin")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill("a11y-admin@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server + "/")
    yield page
    context.close()


PUBLIC = [
    "/",
    "/?q=drills&kind=indirect&cue_class=deny&type=all&review=all",
    "/?actor={actor}",
    "/actors",
    "/actors/{actor}",
    "/topics",
    "/topics/{topic}",
    "/articles",
    "/articles?sort=oldest",
    "/articles/{article}",
    "/articles/{article}?s={statement}",
    "/statements/{statement}",
    "/login",
    "/claims/{claim}",
    "/?collapse=1&copies=once",
]

EDITORS = [
    "/articles/new",
    "/statements/{statement}",
    "/articles/{article}",
    "/articles/{article}/edit",
    "/articles/{article}/delete",
    "/actors/{actor}",
    "/feeds",
    "/admin",
    "/account",
    "/jobs/{job}",
    "/actors/duplicates",
    "/actors/{actor}/merge?into={other}",
    "/topics/new",
    "/topics/{topic}/edit",
    "/review",
    "/claims/{claim}",
    "/claims/{claim}/split?statement={claimed}",
    "/claims/{claim}/merge?other={other_claim}",
]
# Swagger UI and ReDoc: third-party pages, served as they come.
NOT_CHECKED = {"/docs", "/redoc"}


def page_routes() -> set[str]:
    """Every HTML page the site serves (GET, outside /api), as its route's path."""
    paths = set()
    for module in pkgutil.iter_modules(app.web.__path__):
        router = getattr(importlib.import_module(f"app.web.{module.name}"), "router", None)
        for route in getattr(router, "routes", []):
            page = isinstance(route, APIRoute) and "GET" in route.methods
            if page and not route.path.startswith("/api"):
                paths.add(re.sub(r":\w+\}", "}", route.path))
    return paths


ROUTE_NAMES = {"{statement}": "{statement_id}", "{actor}": "{slug}", "{article}": "{article_id}",
               "{job}": "{job_id}", "{topic}": "{slug}", "{claim}": "{group_id}"}  # fmt: skip


def test_every_page_of_the_site_is_checked() -> None:
    def route(path: str) -> str:
        path = path.split("?")[0]
        for ours, theirs in ROUTE_NAMES.items():
            path = path.replace(ours, theirs)
        return path

    checked = {route(path) for path in PUBLIC + EDITORS} | NOT_CHECKED
    missing = page_routes() - checked
    assert not missing, f"pages not checked by axe: add them to PUBLIC or EDITORS: {missing}"


@pytest.mark.parametrize("path", PUBLIC)
def test_public_page_passes_axe(
    live_server: str, page: Page, sample: dict[str, str], path: str
) -> None:
    assert_accessible(page, live_server, path.format(**sample))


@pytest.mark.parametrize("path", EDITORS)
def test_editors_page_passes_axe(
    live_server: str, editor_page: Page, sample: dict[str, str], path: str
) -> None:
    assert_accessible(editor_page, live_server, path.format(**sample))


def test_error_pages_and_forms_with_errors_pass_axe(
    live_server: str, editor_page: Page, page: Page
) -> None:
    page.goto(live_server + "/actors/nobody-of-that-name")
    assert not violations(page), violations(page)
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill("someone@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").is_visible()
    assert not violations(page), violations(page)
    editor_page.goto(live_server + "/articles/new")
    editor_page.get_by_label("Title").fill("A title without a text")
    editor_page.get_by_role("button", name="Add").click()
    assert editor_page.locator(".field-error").count() >= 1
    assert not violations(editor_page), violations(editor_page)
