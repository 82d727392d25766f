"""The Article record, its validation, canonical URLs and content hashes."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from analysis.errors import BadInput
from analysis.text.clean import without_hover_boxes

TRACKING_PARAMS = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|yclid|_ga|ref|ref_src|"
    r"cmpid|ncid|ocid|smid|sr_share|mbid|spm|at_medium|at_campaign|cid)$",
    re.IGNORECASE,
)
_WS = re.compile(r"\s+")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_BAD_HOST = re.compile(r"[\s<>\"'`{}|\\^%]")
_CONTROL = re.compile(r"[\x00-\x1f]")


OUTLET_FIELDS = ("domain", "country", "bias", "bias_source", "owner")  # an outlet's metadata, beside its ratings


class ArticleError(BadInput):
    """An article record that cannot be stored; the message says why."""


def web_parts(url: str | None):
    """The urlsplit parts of an http(s) address (a bare "example.com/page" counts as https), or None for
    anything else: another scheme (javascript:, data:, mailto:, ftp:), no host, a malformed host or port."""
    if not url:
        return None
    url = str(url).strip()
    if not url or _CONTROL.search(url):
        return None
    scheme = _SCHEME.match(url)
    if "://" not in url and scheme and not url[scheme.end() : scheme.end() + 1].isdigit():
        return None  # "javascript:alert(1)", "mailto:x@y" (but "example.com:8080/x" is a host and port)
    try:
        parts = urlsplit(url if "://" in url else "https://" + url)
        host, _ = parts.hostname, parts.port  # .port raises on a port that is not a number
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host or _BAD_HOST.search(host):
        return None
    return parts


def is_web_url(url: str | None) -> bool:
    """True for an http(s) address with a well-formed host: the only URLs stored and linked."""
    return web_parts(url) is not None


def canonical_url(url: str | None) -> str | None:
    """Lower-case scheme and host, drop fragments, default ports and tracking parameters; None for
    anything that is not an http(s) address."""
    parts = web_parts(url)
    if parts is None:
        return None
    host = parts.hostname.lower()
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    query = parts.query and urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k)]
    )
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    return urlunsplit(("https", netloc, path, query, ""))


def without_tracking(url: str) -> str:
    """The URL as given, minus tracking parameters (utm_*, fbclid, ...) and the fragment."""
    parts = urlsplit(url)
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k)]
    )
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def domain_of(url: str | None) -> str | None:
    """The host of a URL without a leading www., or None."""
    parts = web_parts(url)
    host = parts.hostname if parts is not None else None
    if not host:
        return None
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


def normalise_text(text: str) -> str:
    """Unicode NFC with whitespace runs collapsed, for hashing and comparison."""
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):  # isascii is O(1): the flag
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.lower().split())


def content_hash(title: str, text: str) -> str:
    """SHA-1 of the normalised title and body; equal for copies that differ only in spacing."""
    norm = normalise_text(title) + "\n" + normalise_text(text)
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()


def article_id(canonical: str) -> str:
    """A short stable id derived from the canonical URL (or the content-hash URN)."""
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


@dataclass(slots=True)
class Article:
    """One news article as stored."""

    title: str
    text: str
    url: str | None = None
    outlet: str | None = None
    outlet_domain: str | None = None
    published: str | None = None  # ISO 8601 UTC, "YYYY-MM-DDTHH:MM:SSZ"
    published_precision: str | None = None  # "day" (a date only) or "time" (a time of day was given)
    authors: str | None = None
    language: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    canonical: str = ""
    chash: str = ""
    id: str = ""
    url_problem: str = ""

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled as its field values in order (a third of the default's cost, for import workers)."""
        return Article, tuple(getattr(self, name) for name in self.__slots__)

    def finalise(self) -> Article:
        """Validate and fill the derived fields (canonical URL, hash, id, domain)."""
        self.title = (self.title or "").strip()
        self.text = without_hover_boxes((self.text or "").strip())  # The Hill's pasted name boxes are page, not story
        if not self.title and not self.text:
            raise ArticleError("it has neither a title nor a text")
        if not self.title:
            first = self.text.split("\n", 1)[0]
            self.title = first[:200].rstrip() + ("…" if len(first) > 200 else "")
        self.chash = content_hash(self.title, self.text)
        if not self.published:
            self.published_precision = None
        elif self.published_precision not in ("day", "time"):
            self.published_precision = "day" if self.published[11:19] == "00:00:00" else "time"
        canon = canonical_url(self.url)
        if self.url and canon is None:
            # Not an http(s) address (javascript:, a malformed host): kept as data, never as a link.
            self.extra.setdefault("original_url", self.url)
            self.url_problem = f"its URL {self.url[:60]!r} is not an http(s) address; stored without a link"
            self.url = None
        elif self.url and "://" not in self.url:
            self.url = "https://" + self.url.strip()
        self.canonical = canon or f"urn:sha1:{self.chash}"
        self.id = article_id(self.canonical)
        if not self.outlet_domain:
            self.outlet_domain = domain_of(self.url)
        if not self.outlet:
            self.outlet = self.outlet_domain or "Unknown outlet"
        self.outlet = _WS.sub(" ", self.outlet).strip()
        return self
