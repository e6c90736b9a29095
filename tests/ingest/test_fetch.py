"""Articles by web address: the address check (tested without ever connecting to a refused
address), and a fetch from a local test server for the form, the API and the CLI."""

import http.server
import threading
from collections.abc import Callable, Iterator
from typing import ClassVar

import httpx
import pytest
from fastapi.testclient import TestClient

from app.ingest.fetch import Fetcher, FetchError, refused_address
from app.models import User
from app.settings import get_settings
from tests.accounts.conftest import bearer, client, form_token, make_user, sign_in

__all__ = ["bearer", "client", "make_user", "sign_in"]

PAGE = b"""<html><head><title>Drills end | Example Wire</title>
<meta property="og:site_name" content="Example Wire"></head>
<body><article><h1>Drills end</h1><p>December 21, 2022</p>
<p>The defence ministry said on Wednesday that the exercises had ended and that every unit
would return to its base before the end of the month.</p>
<p>Officials in Kyiv said they would keep watching the border for as long as troops stayed.</p>
</article></body></html>"""


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
        ("127.0.0.1", "this machine (loopback)"),
        ("::1", "this machine (loopback)"),
        ("::ffff:127.0.0.1", "this machine (loopback)"),
        ("10.1.2.3", "a private network address"),
        ("192.168.0.10", "a private network address"),
        ("172.16.5.4", "a private network address"),
        ("fd12::1", "a private network address"),
        ("169.254.169.254", "a cloud metadata address"),
        ("fd00:ec2::254", "a cloud metadata address"),
        ("169.254.10.1", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("0.0.0.0", "not a public address"),
        ("100.64.0.1", "not a public address"),
        ("224.0.0.1", "not a public address"),
    ],
)
def test_which_addresses_are_refused(address: str, refused: str | None) -> None:
    assert refused_address(address) == refused


class NoConnection(httpx.BaseTransport):
    """Fails the test if a connection is ever asked for."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"a connection to {request.url} was opened")


STUB_DNS = {
    "intranet.test": ["10.1.2.3"],
    "metadata.test": ["169.254.169.254"],
    "sneaky.test": ["93.184.216.34", "127.0.0.1"],  # one bad address is enough to refuse
    "v6-loopback.test": ["::1"],
}


def stub_resolver(host: str, port: int) -> list[str]:
    return STUB_DNS.get(host, [host])


@pytest.mark.parametrize("host", sorted(STUB_DNS))
def test_refused_hosts_are_never_connected_to(host: str) -> None:
    fetcher = Fetcher(max_bytes=10_000, resolver=stub_resolver, transport=NoConnection())
    with pytest.raises(FetchError, match="the address is not allowed"):
        fetcher.article(f"http://{host}/article")


def test_only_web_addresses() -> None:
    fetcher = Fetcher(max_bytes=10_000, resolver=stub_resolver, transport=NoConnection())
    for url in ("file:///etc/passwd", "ftp://example.org/a", "http:///nohost"):
        with pytest.raises(FetchError, match="only http"):
            fetcher.article(url)


class Handler(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Handler.requests.append(self.path)
        routes: dict[str, tuple[int, dict[str, str], bytes]] = {
            "/article.html": (200, {"Content-Type": "text/html; charset=utf-8"}, PAGE),
            "/moved": (302, {"Location": "/article.html"}, b""),
            "/to-metadata": (302, {"Location": "http://metadata.test/latest/"}, b""),
            "/image.png": (200, {"Content-Type": "image/png"}, b"\x89PNG"),
            "/big.html": (200, {"Content-Type": "text/html"}, b"<p>" + b"x" * 50_000),
            "/gone": (404, {"Content-Type": "text/html"}, b"no"),
        }
        code, headers, body = routes.get(self.path, (404, {}, b""))
        self.send_response(code)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def local_site() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _fetcher(site: str) -> Fetcher:
    return Fetcher(max_bytes=20_000, allowed_hosts=frozenset({site}), resolver=stub_resolver)


def test_an_article_from_an_allowed_local_site(local_site: str) -> None:
    article = _fetcher(local_site).article(f"http://{local_site}/moved")
    assert article.title == "Drills end"
    assert "exercises had ended" in article.body
    assert article.url == f"http://{local_site}/article.html"
    assert article.published_at is not None and article.published_at.day == 21


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/to-metadata", "the address is not allowed: metadata.test is a cloud metadata address"),
        ("/image.png", "not an article: the page is image/png"),
        ("/big.html", "too large"),
        ("/gone", "the page answered 404"),
    ],
)
def test_what_cannot_be_fetched_is_said_in_words(local_site: str, path: str, reason: str) -> None:
    with pytest.raises(FetchError) as raised:
        _fetcher(local_site).article(f"http://{local_site}{path}")
    assert reason in raised.value.reason


def test_a_name_that_rebinds_to_this_machine_is_not_connected_to(local_site: str) -> None:
    """DNS rebinding: the name answers with a public address for the check, then with the
    loopback; the connection goes only where the answer at connect time is allowed."""
    port = int(local_site.rsplit(":", 1)[1])
    answers = iter([["93.184.216.34"], ["127.0.0.1"], ["127.0.0.1"]])

    def rebinding(host: str, port: int) -> list[str]:
        assert host == "rebind.test"
        return next(answers)

    Handler.requests.clear()
    with pytest.raises(FetchError, match=r"rebind\.test is this machine"):
        Fetcher(max_bytes=20_000, resolver=rebinding).article(f"http://rebind.test:{port}/")
    assert Handler.requests == []


def test_the_connection_goes_to_the_checked_address(local_site: str) -> None:
    """A name allowed for its address (not by name) is connected to at that address."""
    port = int(local_site.rsplit(":", 1)[1])
    fetcher = Fetcher(
        max_bytes=20_000,
        resolver=lambda host, port: ["127.0.0.1"],
        allowed_hosts=frozenset(),
    )
    pinned = fetcher._transport()
    with httpx.Client(transport=pinned) as client, pytest.raises(FetchError, match="this machine"):
        client.get(f"http://pinned.test:{port}/article.html")


def test_without_the_allow_list_even_the_local_site_is_refused(local_site: str) -> None:
    with pytest.raises(FetchError, match="this machine"):
        Fetcher(max_bytes=20_000, transport=NoConnection()).article(f"http://{local_site}/")


@pytest.fixture
def allow_local(local_site: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("CLAIMTRACKER_FETCH_ALLOW_HOSTS", local_site)
    get_settings.cache_clear()
    yield local_site
    monkeypatch.delenv("CLAIMTRACKER_FETCH_ALLOW_HOSTS")
    get_settings.cache_clear()


def test_api_and_form_take_a_web_address(
    client: TestClient,
    allow_local: str,
    bearer: Callable[[str], dict[str, str]],
    sign_in: Callable[[str], User],
) -> None:
    url = f"http://{allow_local}/article.html"
    editor = bearer("editor")
    created = client.post("/api/articles", json={"url": url}, headers=editor)
    assert created.status_code == 201, created.text
    article = client.get(f"/api/articles/{created.json()['id']}").json()
    assert article["url"] == url and article["title"] == "Drills end"
    again = client.post("/api/articles", json={"url": url}, headers=editor)
    assert again.status_code == 200 and again.json()["created"] is False
    refused = client.post("/api/articles", json={"url": "http://10.0.0.1/"}, headers=editor)
    assert refused.status_code == 422 and "not allowed" in refused.text

    sign_in("editor")
    token = form_token(client, "/articles/new")
    form = client.post(
        "/articles/new",
        data={"csrf_token": token, "fetch_url": f"http://{allow_local}/image.png"},
    )
    assert form.status_code == 422 and "Not an article: the page is image/png." in form.text
