"""Safe, polite HTTP fetching for the collector.

Safety: only http and https; every host (and every redirect's host) is resolved and refused when
any address is not public (private, loopback, link-local incl. 169.254.169.254, multicast,
reserved, shared, and IPv6 equivalents incl. IPv4-mapped); the connection then goes to the
address that was checked, so a second DNS answer cannot point elsewhere. Timeouts, a redirect cap,
a response-size cap counted while streaming and again after decompression, a content-type check.
Hosts named in `FetchPolicy.allow_hosts` skip the address check (tests use it for 127.0.0.1); it is
empty by default.

Politeness: robots.txt (cached per host), a clear User-Agent, at most `per_host` requests at once
and `delay` seconds between requests to the same host, retries with backoff on timeouts, 429
(honouring Retry-After) and 5xx.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
import urllib.robotparser
import zlib
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import urllib3

from analysis.errors import NewsError

USER_AGENT = "NewsCoverageExplorer/1.0 (+https://github.com/news-coverage-explorer; research collector)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/feed+json",
    "application/json",
    "text/plain",
    "application/rdf+xml",
    "application/x-rss+xml",
)


def _allowed_hosts() -> frozenset[str]:
    from analysis.config import settings

    return settings().collect_allow_hosts


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for one collection run; defaults are safe for a user's machine."""

    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 3
    backoff: float = 1.0  # seconds before the first retry, doubled each time
    max_retry_after: float = 60.0
    per_host: int = 2  # requests at once to one host
    delay: float = 1.0  # seconds between request starts to one host
    max_crawl_delay: float = 30.0  # a robots.txt Crawl-delay above this is capped
    user_agent: str = USER_AGENT
    allow_hosts: frozenset[str] = field(default_factory=_allowed_hosts)  # hosts exempt from the address check
    obey_robots: bool = True


class FetchError(NewsError):
    """A URL that could not be fetched; `reason` is a short category for grouping failures."""

    def __init__(self, reason: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.status = status


@dataclass
class Response:
    url: str  # after redirects
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            k, _, v = part.strip().partition("=")
            if k.lower() == "charset" and v:
                return v.strip("\"' ")
        return None


def _address_problem(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address may not be fetched, or None when it is a public unicast address."""
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if mapped is not None:
            inner = _address_problem(mapped)
            if inner:
                return inner
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address (such as the cloud metadata service)"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_private:
        return "a private network address"
    if ip.is_unspecified or ip.is_reserved or not ip.is_global:
        return "a reserved address"
    return None


def check_host(host: str, port: int, policy: FetchPolicy) -> str:
    """The address to connect to for a host, after checking every address it resolves to."""
    if host.lower() in policy.allow_hosts:
        infos = sorted(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM), key=lambda i: i[0] != socket.AF_INET)
        return str(infos[0][4][0])
    try:
        literal = ipaddress.ip_address(host)
        addresses = [literal]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchError("host not found", f"The host {host} could not be found ({exc}).") from exc
        addresses = [ipaddress.ip_address(str(i[4][0]).split("%")[0]) for i in infos]
    for ip in addresses:
        problem = _address_problem(ip)
        if problem:
            raise FetchError("blocked address", f"Refused to fetch from {host}: it resolves to {ip}, {problem}.")
    return str(addresses[0])


class HostGate:
    """Per-host concurrency and spacing of request starts, shared by a run's threads."""

    def __init__(self, per_host: int, delay: float) -> None:
        self.per_host, self.delay = per_host, delay
        self._lock = threading.Lock()
        self._sems: dict[str, threading.BoundedSemaphore] = {}
        self._next: dict[str, float] = {}
        self._delays: dict[str, float] = {}

    def set_delay(self, host: str, delay: float) -> None:
        with self._lock:
            self._delays[host] = max(self.delay, delay)

    def slot(self, host: str) -> _Slot:
        with self._lock:
            sem = self._sems.setdefault(host, threading.BoundedSemaphore(self.per_host))
        return _Slot(self, host, sem)

    def _wait_turn(self, host: str) -> None:
        while True:
            with self._lock:
                now = time.monotonic()
                start = self._next.get(host, 0.0)
                if now >= start:
                    self._next[host] = now + self._delays.get(host, self.delay)
                    return
            time.sleep(min(start - now, 1.0))

    def push_back(self, host: str, seconds: float) -> None:
        """No request to this host for the next `seconds` (after a 429 or 503)."""
        with self._lock:
            self._next[host] = max(self._next.get(host, 0.0), time.monotonic() + seconds)


class _Slot:
    def __init__(self, gate: HostGate, host: str, sem: threading.BoundedSemaphore) -> None:
        self.gate, self.host, self.sem = gate, host, sem

    def __enter__(self) -> None:
        self.sem.acquire()
        self.gate._wait_turn(self.host)

    def __exit__(self, *exc: object) -> None:
        self.sem.release()


class Fetcher:
    """Fetches URLs safely and politely; thread-safe, one per collection run."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self.gate = HostGate(self.policy.per_host, self.policy.delay)
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._robots_lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}

    # -- robots.txt --------------------------------------------------------------------------
    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets our User-Agent fetch this URL (fetched once per host)."""
        if not self.policy.obey_robots:
            return True
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}".lower()
        with self._robots_lock:
            lock = self._host_locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._robots:
                self._robots[key] = self._load_robots(key)
        parser = self._robots[key]
        return True if parser is None else parser.can_fetch(self.policy.user_agent, url)

    def _load_robots(self, base: str) -> urllib.robotparser.RobotFileParser | None:
        parser = urllib.robotparser.RobotFileParser()
        try:
            resp = self._get(base + "/robots.txt", accept=None, retries=1)
        except FetchError as exc:
            if exc.status is not None and exc.status >= 500:
                parser.parse(["User-agent: *", "Disallow: /"])  # RFC 9309: an unreachable robots.txt means do not crawl
                return parser
            return None  # 4xx or no robots.txt: everything allowed
        parser.parse(resp.body.decode("utf-8", "replace").splitlines())
        delay = parser.crawl_delay(self.policy.user_agent)
        if delay:
            self.gate.set_delay(urlsplit(base).netloc.lower(), min(float(delay), self.policy.max_crawl_delay))
        return parser

    # -- fetching ----------------------------------------------------------------------------
    def get(
        self, url: str, *, accept: tuple[str, ...] | None = HTML_TYPES, headers: dict[str, str] | None = None
    ) -> Response:
        """GET a URL (robots.txt permitting) with retries; raises FetchError with a reason."""
        if not self.allowed(url):
            raise FetchError("disallowed by robots.txt", f"robots.txt of {urlsplit(url).netloc} disallows {url}.")
        return self._get(url, accept=accept, headers=headers, retries=self.policy.retries)

    def _get(
        self, url: str, *, accept: tuple[str, ...] | None, headers: dict[str, str] | None = None, retries: int = 0
    ) -> Response:
        attempt = 0
        while True:
            try:
                return self._follow(url, accept, headers or {})
            except FetchError as exc:
                retryable = exc.reason in ("timeout", "connection failed") or (
                    exc.status is not None and (exc.status == 429 or exc.status >= 500)
                )
                if not retryable or attempt >= retries:
                    raise
                wait = self.policy.backoff * (2**attempt)
                retry_after = getattr(exc, "retry_after", None)
                if retry_after is not None:
                    wait = max(wait, min(retry_after, self.policy.max_retry_after))
                    self.gate.push_back(urlsplit(url).netloc.lower(), wait)
                time.sleep(wait)
                attempt += 1

    def _follow(self, url: str, accept: tuple[str, ...] | None, headers: dict[str, str]) -> Response:
        current = url
        for _ in range(self.policy.max_redirects + 1):
            status, resp_headers, body = self._request(current, headers)
            if status in (301, 302, 303, 307, 308):
                location = resp_headers.get("location")
                if not location:
                    raise FetchError("bad redirect", f"{current} redirects without a Location.", status)
                current = urljoin(current, location.strip())
                continue
            if status == 304:
                return Response(current, status, resp_headers, b"")
            if status >= 400:
                exc = FetchError(f"HTTP {status}", f"{current} answered HTTP {status}.", status)
                exc.retry_after = _retry_after(resp_headers.get("retry-after"))  # type: ignore[attr-defined]
                raise exc
            resp = Response(current, status, resp_headers, body)
            if accept is not None and resp.content_type and not resp.content_type.startswith(accept):
                raise FetchError(
                    "not a web page" if accept == HTML_TYPES else "unexpected content type",
                    f"{current} is {resp.content_type}, not {' or '.join(accept[:2])}.",
                    status,
                )
            return resp
        raise FetchError("too many redirects", f"{url} redirects more than {self.policy.max_redirects} times.")

    def _request(self, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(
                "unsupported scheme", f"Only http and https URLs are fetched, not {parts.scheme or 'this'}: {url}"
            )
        host = parts.hostname
        if not host:
            raise FetchError("bad URL", f"{url} has no host.")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = check_host(host, port, self.policy)
        netloc = parts.netloc.rsplit("@", 1)[-1].lower()
        timeout = urllib3.Timeout(connect=self.policy.connect_timeout, read=self.policy.read_timeout)
        if parts.scheme == "https":
            pool: urllib3.HTTPConnectionPool = urllib3.HTTPSConnectionPool(
                address,
                port,
                timeout=timeout,
                retries=False,
                maxsize=1,
                server_hostname=host,
                assert_hostname=host,
                cert_reqs="CERT_REQUIRED",
            )
        else:
            pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False, maxsize=1)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        send = {
            "Host": netloc,
            "User-Agent": self.policy.user_agent,
            "Accept-Encoding": "gzip, deflate",
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            **headers,
        }
        with self.gate.slot(netloc):
            try:
                resp = pool.urlopen(
                    "GET", path, headers=send, redirect=False, preload_content=False, decode_content=False
                )
            except urllib3.exceptions.TimeoutError as exc:
                raise FetchError("timeout", f"{url} did not answer within the time limit.") from exc
            except (urllib3.exceptions.HTTPError, OSError) as exc:
                raise FetchError("connection failed", f"Could not connect to {netloc} ({type(exc).__name__}).") from exc
            try:
                resp_headers = {k.lower(): v for k, v in resp.headers.items()}
                body = b"" if resp.status in (301, 302, 303, 304, 307, 308) else self._read(resp, url, resp_headers)
            except urllib3.exceptions.TimeoutError as exc:
                raise FetchError("timeout", f"{url} stopped sending within the time limit.") from exc
            except (urllib3.exceptions.HTTPError, OSError) as exc:
                raise FetchError(
                    "connection failed", f"The connection to {netloc} broke ({type(exc).__name__})."
                ) from exc
            finally:
                resp.release_conn()
                pool.close()
        return resp.status, resp_headers, body

    def _read(self, resp: urllib3.BaseHTTPResponse, url: str, headers: dict[str, str]) -> bytes:
        """The body, decompressed incrementally; FetchError once it passes max_bytes either way."""
        limit = self.policy.max_bytes
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError("too large", f"{url} is {int(declared):,} bytes, over the {limit:,}-byte limit.")
        encoding = headers.get("content-encoding", "identity").strip().lower()
        if encoding not in ("identity", "gzip", "x-gzip", "deflate", ""):
            raise FetchError("unsupported encoding", f"{url} is compressed with {encoding}, which is not supported.")
        inflate = None
        if encoding in ("gzip", "x-gzip"):
            inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            inflate = zlib.decompressobj()
        out = bytearray()
        raw_total = 0
        too_large = FetchError("too large", f"{url} is larger than the {limit:,}-byte limit.")
        for chunk in resp.stream(64 * 1024, decode_content=False):
            raw_total += len(chunk)
            if raw_total > limit:
                raise too_large
            if inflate is None:
                out += chunk
            else:
                data = chunk
                while data:
                    try:
                        piece = inflate.decompress(data, limit + 1 - len(out))
                    except zlib.error as exc:
                        raise FetchError("corrupt compression", f"{url} sent corrupt compressed data.") from exc
                    out += piece
                    if len(out) > limit:
                        raise too_large
                    data = inflate.unconsumed_tail
            if len(out) > limit:
                raise too_large
        return bytes(out)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None
