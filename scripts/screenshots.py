"""Regenerate docs/screenshots/*.png: the main pages over the seed article, in headless Chromium.

Usage: python scripts/screenshots.py [--server-url postgresql://postgres@127.0.0.1/postgres]
                                    [--demo-url postgresql://postgres@127.0.0.1/demo]
A scratch database is created on that server, the seed article ingested, and dropped after.
With --demo-url (a database filled by `claimtracker demo-data`), the actor and search pages are
also shot over the synthetic data, where the timeline has something to show.
"""

import argparse
import sys
import threading
import time
import uuid
from pathlib import Path

import psycopg
import uvicorn
from playwright.sync_api import sync_playwright
from sqlalchemy import create_engine, select
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import migrate  # noqa: E402
from app.accounts.service import create_user  # noqa: E402
from app.db import make_sessionmaker, normalise_url  # noqa: E402
from app.ingest.service import ingest_paths  # noqa: E402
from app.models.statements import Statement  # noqa: E402
from app.web.app import create_app  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402

SEED = ROOT / "seeds" / "000_a88642a8d23d9c85.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--server-url", default="postgresql://postgres@127.0.0.1/postgres")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--demo-url", help="A database filled by `claimtracker demo-data`.")
    args = parser.parse_args()
    server = make_url(normalise_url(args.server_url))
    name = f"claimtracker_screens_{uuid.uuid4().hex[:8]}"
    admin = dict(host=server.host, port=server.port, user=server.username, dbname=server.database)
    with psycopg.connect(**admin, password=server.password, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    engine = create_engine(server.set(database=name))
    try:
        migrate.upgrade(engine)
        factory = make_sessionmaker(engine)
        ingest_paths(factory, [SEED])
        with factory() as session:
            target = session.scalar(
                select(Statement.id).where(Statement.content.contains("S-400"))
            ) or session.scalar(select(Statement.id))
            article = session.scalar(select(Statement.article_id).where(Statement.id == target))
            group = session.scalar(select(Statement.claim_group_id).where(Statement.id == target))
        with factory.begin() as session:
            create_user(session, EDITOR, PASSWORD, "editor")
        shoot(engine, args.out, pages(f"/articles/{article}?s={target}"))
        editors = {"review": "/review", "statement-edit": f"/statements/{target}"}
        if group is not None:
            editors["claim"] = f"/claims/{group}"
        shoot(engine, args.out, editors, phone=False, signed_in=True)
        if args.demo_url:
            demo = create_engine(normalise_url(args.demo_url))
            shoot(demo, args.out, DEMO_PAGES, phone=False)
            demo.dispose()
    finally:
        engine.dispose()
        with psycopg.connect(**admin, password=server.password, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


EDITOR, PASSWORD = "screenshots@example.org", "a screenshot password"
DEMO_PAGES = {
    "actor-synthetic": "/actors/synthetic-group-10",
    "claims-search-synthetic": "/?q=vorovaichi",
}


def pages(article_path: str) -> dict[str, str]:
    return {
        "claims": "/",
        "claims-search": "/?q=S-400",
        "actor": "/actors/aleksandr-g-lukashenko",
        "article": article_path,
        "topic": "/topics/belarus-military-exercises",
    }


def shoot(
    engine: object,
    out: Path,
    pages: dict[str, str],
    phone: bool = True,
    signed_in: bool = False,
) -> None:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(engine), host="127.0.0.1", port=port, log_level="warning")  # type: ignore[arg-type]
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    out.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            desktop = browser.new_page(viewport={"width": 1280, "height": 1000})
            if signed_in:
                desktop.goto(base + "/login")
                desktop.get_by_label("Email").fill(EDITOR)
                desktop.get_by_label("Password").fill(PASSWORD)
                desktop.get_by_role("button", name="Sign in").click()
                desktop.wait_for_url(base + "/")
            for name, path in pages.items():
                desktop.goto(base + path)
                desktop.screenshot(path=str(out / f"{name}.png"))
                print(out / f"{name}.png")
            if phone:
                small = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
                small.goto(base + "/?actor=aleksandr-g-lukashenko")
                small.screenshot(path=str(out / "claims-phone.png"))
                print(out / "claims-phone.png")
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)


if __name__ == "__main__":
    main()
