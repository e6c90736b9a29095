"""Articles fetched from a web address: checked before each connection (never the machine
itself, a private network, link-local or cloud metadata addresses, unless allowed by name),
read within a size limit and a time limit, a few redirects at most, then read like a file.

The address a connection is opened to is the one that was checked: the host name is resolved
once, at connect time, and the socket goes to that address, so a name that answers with a
public address for the check and a private one a moment later (DNS rebinding) gets nowhere.
"""

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from app.ingest.readers import ArticleInput, InputError, read_html, read_plain

# getaddrinfo's shape, so tests can map a test host name to any address without a lookup.
Resolver = Callable[[str, int], Iterable[str]]
MAX_REDIRECTS = 5
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain", "text/markdown")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
)
# Cloud instance metadata, reachable from inside a cloud network at these addresses.
METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)


class FetchError(InputError):
    """A page that could not be fetched or is not an article; the reason is in words."""


def system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchError(host, f"the address is unreachable: {host} is not a known host") from (
            error
        )
    return [str(info[4][0]) for info in infos]


def refused_address(address: str) -> str | None:
    """Why an address may not be fetched (None: it may): the machine, private networks,
    link-local and metadata addresses, and addresses that are not for hosts."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if ip.is_unspecified:
        return "not a public address"
    if ip.is_loopback:
        return "this machine (loopback)"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_private:
        return "a private network address"
    if ip.is_multicast or ip.is_reserved or ip.is_unspecified or not ip.is_global:
        return "not a public address"
    return None


@dataclass(frozen=True)
class Fetcher:
    """Fetches pages; `allowed_hosts` ("host" or "host:port") may be private, as in tests or
    an intranet the operator trusts (CLAIMTRACKER_FETCH_ALLOW_HOSTS)."""

    max_bytes: int
    allowed_hosts: frozenset[str] = frozenset()
    resolver: Resolver = system_resolver
    transport: httpx.BaseTransport | None = None

    def check(self, url: str) -> None:
        """Refuse an address before any connection to it is opened."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(url, "only http:// and https:// addresses can be fetched")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        self.addresses(url, parts.hostname.lower(), port)

    def allowed(self, host: str, port: int) -> bool:
        return host in self.allowed_hosts or f"{host}:{port}" in self.allowed_hosts

    def addresses(self, url: str, host: str, port: int) -> list[str]:
        """The addresses of a host that may be connected to ([] for an allowed host, which
        is connected to by name); FetchError if any of them is refused."""
        if self.allowed(host, port):
            return []
        addresses = list(self.resolver(host, port))
        if not addresses:
            raise FetchError(url, f"the address is unreachable: {host} has no address")
        for address in addresses:
            reason = refused_address(address)
            if reason:
                raise FetchError(url, f"the address is not allowed: {host} is {reason}")
        return addresses

    def _transport(self) -> httpx.BaseTransport:
        return self.transport or PinnedTransport(self)

    def fetch(
        self, url: str, kinds: tuple[str, ...] = HTML_TYPES + TEXT_TYPES
    ) -> tuple[str, str, bytes]:
        """(final URL, content type, body) after at most MAX_REDIRECTS checked redirects."""
        with httpx.Client(
            timeout=TIMEOUT, follow_redirects=False, transport=self._transport(), trust_env=False
        ) as client:
            for _ in range(MAX_REDIRECTS + 1):
                self.check(url)
                try:
                    with client.stream("GET", url, headers={"Accept": "text/html, */*"}) as reply:
                        if reply.is_redirect and "location" in reply.headers:
                            url = urljoin(url, reply.headers["location"])
                            continue
                        if reply.status_code >= 400:
                            raise FetchError(
                                url, f"the page answered {reply.status_code} {reply.reason_phrase}"
                            )
                        kind = reply.headers.get("content-type", "").split(";")[0].strip().lower()
                        if kind not in kinds:
                            shown = kind or "no content type"
                            raise FetchError(url, f"not an article: the page is {shown}")
                        return url, kind, self._read(reply, url)
                except httpx.TimeoutException:
                    raise FetchError(
                        url, "the address is unreachable: it did not answer in time"
                    ) from None
                except httpx.TransportError as error:
                    raise FetchError(url, f"the address is unreachable ({error})") from None
        raise FetchError(url, f"too many redirects (more than {MAX_REDIRECTS})")

    def feed(self, url: str) -> bytes:
        """A feed's XML (RSS or Atom), fetched with the same checks as a page."""
        return self.fetch(url, FEED_TYPES + HTML_TYPES)[2]

    def _read(self, reply: httpx.Response, url: str) -> bytes:
        declared = reply.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(url, self._too_large())
        chunks, size = [], 0
        for chunk in reply.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(url, self._too_large())
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self) -> str:
        return f"too large: the page is over the limit of {self.max_bytes / 1024 / 1024:g} MB"

    def article(self, url: str) -> ArticleInput:
        """The article at the address, with the address kept."""
        final, kind, body = self.fetch(url)
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = body.decode("latin-1")  # HTML names its charset; trafilatura copes
        name = urlsplit(final).path.rsplit("/", 1)[-1] or urlsplit(final).hostname or "page"
        try:
            found = read_html(text, name) if kind in HTML_TYPES else read_plain(text, name)
        except InputError as error:
            raise FetchError(url, f"not an article: {error.reason}") from None
        return ArticleInput(
            title=found.title,
            body=found.body,
            where=url,
            url=final,
            published_at=found.published_at,
            source=found.source or urlsplit(final).hostname,
            original_filename=None,
        )


class PinnedBackend(httpcore.NetworkBackend):
    """Opens each connection to an address the fetcher checked at that moment, never to
    whatever the host name resolves to later."""

    def __init__(self, fetcher: Fetcher) -> None:
        self._fetcher = fetcher
        self._sockets = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        name = host.strip("[]").lower()
        addresses = self._fetcher.addresses(f"{name}:{port}", name, port) or [host]
        error: Exception | None = None
        for address in addresses:
            try:
                return self._sockets.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as failed:
                error = failed
        assert error is not None
        raise error

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise FetchError(path, "only http:// and https:// addresses can be fetched")

    def sleep(self, seconds: float) -> None:
        self._sockets.sleep(seconds)


class PinnedTransport(httpx.HTTPTransport):
    """httpx's own transport (TLS checked against the host name as usual) over PinnedBackend."""

    def __init__(self, fetcher: Fetcher) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=PinnedBackend(fetcher),
        )


def fetcher_from_settings() -> Fetcher:
    from app.settings import get_settings

    settings = get_settings()
    allowed = frozenset(
        host.strip().lower() for host in settings.fetch_allow_hosts.split(",") if host.strip()
    )
    return Fetcher(max_bytes=settings.max_upload_bytes, allowed_hosts=allowed)
