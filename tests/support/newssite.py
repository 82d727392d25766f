"""Local news sites for collection tests and the collection benchmark: realistic article pages,
RSS/Atom/JSON feeds, sitemaps, robots.txt, and misbehaving URLs (404, flaky 500, slow, huge, gzip
bomb, PDF, malformed feed, redirects to private addresses and file://), served on 127.0.0.1."""

from __future__ import annotations

import gzip
import html
import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOPICS = [
    ("Storm floods coastal towns as river bursts its banks", "storm", "flood"),
    ("Parliament passes budget after all-night session", "budget", "vote"),
    ("Central bank raises interest rates to curb inflation", "rates", "inflation"),
    ("Wildfire forces thousands to evacuate mountain villages", "wildfire", "evacuation"),
    ("Election commission certifies results after recount", "election", "recount"),
    ("Striking rail workers reach deal with operators", "strike", "rail"),
    ("Scientists report record ocean temperatures", "ocean", "climate"),
    ("City council approves new housing plan", "housing", "council"),
]


_WORDS = tuple(
    [
        "morning",
        "officials",
        "residents",
        "district",
        "agency",
        "council",
        "minister",
        "spokesman",
        "figures",
        "report",
        "survey",
        "week",
        "region",
        "province",
        "families",
        "schools",
        "hospital",
        "roads",
        "bridge",
        "market",
        "prices",
        "workers",
        "union",
        "budget",
        "deficit",
        "crews",
        "volunteers",
        "shelter",
        "forecast",
        "police",
        "court",
        "judge",
        "lawyers",
        "statement",
        "review",
        "analysts",
        "investors",
        "shares",
        "harbour",
        "village",
        "farmers",
        "tourists",
        "season",
        "record",
        "warning",
        "emergency",
        "inquiry",
        "committee",
        "opposition",
        "campaign",
        "voters",
        "ballot",
        "count",
    ]
)
_TEMPLATES = (
    "{o} has learned new details about the {a}, which {w1} and {w2} are still assessing.",
    "Local {w1} said the {b} had changed plans for {w2} across the {w3}.",
    "According to {w1}, the {a} left {w2} facing questions about the {w3} and the {w4}.",
    "The {b} drew comment from {w1}, who pointed to the {w2} and the {w3}.",
    "By the evening, {w1} and {w2} were counting the cost of the {a} near the {w3}.",
    "Critics in the {w1} argued that the {b} showed the {w2} had been ignored.",
)


def paragraphs(topic: int, outlet: str, n: int = 8, variant: int = 0) -> list[str]:
    """Varied text about one topic (seeded by topic, outlet and variant), so different pages share few phrases."""
    import random

    _, a, b = TOPICS[topic % len(TOPICS)]
    rng = random.Random(f"{topic}-{outlet}-{variant}")
    out = []
    for _ in range(n):
        sentences = [
            rng.choice(_TEMPLATES).format(o=outlet, a=a, b=b, **{f"w{k}": rng.choice(_WORDS) for k in range(1, 5)})
            for _ in range(3)
        ]
        out.append(" ".join(sentences))
    return out


def article_page(
    outlet: str,
    title: str,
    paras: list[str],
    published: datetime,
    canonical: str | None = None,
    author: str = "Maria Lopez",
) -> str:
    """A news article page with the furniture real sites have: nav, share bar, byline, related links."""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
    canon = f'<link rel="canonical" href="{html.escape(canonical)}">' if canonical else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | {html.escape(outlet)}</title>
<meta property="og:site_name" content="{html.escape(outlet)}">
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:image" content="/img/lead.jpg">
<meta property="article:published_time" content="{published.strftime("%Y-%m-%dT%H:%M:%SZ")}">
<meta name="author" content="{html.escape(author)}">{canon}
<script>window.dataLayer = [];</script></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/politics">Politics</a>
<a href="/business">Business</a> <a href="/sport">Sport</a></nav></header>
<main><article><h1>{html.escape(title)}</h1><div class="byline">By {html.escape(author)}</div>
<div class="share">Share this story on Facebook Twitter Email</div>
{body}
</article><aside><h3>Most read</h3><ul><li><a href="/news/x1">Another story</a></li>
<li><a href="/news/x2">Yet another story</a></li></ul></aside></main>
<footer>Copyright {published.year} {html.escape(outlet)}. All rights reserved.</footer></body></html>"""


@dataclass
class Site:
    """One outlet: articles at /news/<n>, feeds, sitemap, robots.txt, plus the test traps."""

    name: str
    n_articles: int = 6
    latency: float = 0.0
    start: datetime = field(default_factory=lambda: datetime(2026, 11, 20, 8, 0, tzinfo=UTC))
    topic_offset: int = 0
    extra: dict[str, Callable[[BaseHTTPRequestHandler], None]] = field(default_factory=dict)
    hits: Counter = field(default_factory=Counter)
    base: str = ""  # set when served

    def article(self, i: int) -> tuple[str, str, datetime]:
        t = (i + self.topic_offset) % len(TOPICS)
        title = TOPICS[t][0] + (f": day {i // len(TOPICS) + 1}" if i >= len(TOPICS) else "")
        return title, f"/news/{i}", self.start + timedelta(hours=3 * i)

    def page(self, i: int) -> str:
        title, path, when = self.article(i)
        t = (i + self.topic_offset) % len(TOPICS)
        text = paragraphs(t, self.name, variant=i // len(TOPICS))
        return article_page(self.name, title, text, when, canonical=self.base + path)

    def rss(self) -> str:
        items = "".join(
            f"<item><title>{html.escape(t)}</title><link>{self.base}{p}?utm_source=rss&amp;utm_medium=feed</link>"
            f"<pubDate>{format_datetime(w)}</pubDate></item>"
            for t, p, w in (self.article(i) for i in range(self.n_articles))
        )
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{self.name}</title>{items}</channel></rss>'

    def atom(self) -> str:
        entries = "".join(
            f'<entry><title>{html.escape(t)}</title><link href="{self.base}{p}"/><id>{self.base}{p}</id>'
            f"<updated>{w.strftime('%Y-%m-%dT%H:%M:%SZ')}</updated></entry>"
            for t, p, w in (self.article(i) for i in range(self.n_articles))
        )
        return f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{self.name}</title>{entries}</feed>'

    def json_feed(self) -> str:
        items = [
            {"id": p, "url": self.base + p, "title": t, "date_published": w.isoformat()}
            for t, p, w in (self.article(i) for i in range(self.n_articles))
        ]
        return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": self.name, "items": items})

    def sitemap(self) -> str:
        urls = "".join(
            f"<url><loc>{self.base}{p}</loc><news:news><news:publication_date>{w.isoformat()}"
            f"</news:publication_date><news:title>{html.escape(t)}</news:title></news:news></url>"
            for t, p, w in (self.article(i) for i in range(self.n_articles))
        )
        return (
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
        )

    def home(self) -> str:
        links = "".join(f'<li><a href="{p}">{html.escape(t)}</a></li>' for t, p, _ in map(self.article, range(4)))
        return (
            f'<html><head><title>{self.name}</title><link rel="alternate" type="application/rss+xml" '
            f'title="{self.name} RSS" href="/feed.xml"></head><body><h1>{self.name}</h1><ul>{links}</ul></body></html>'
        )


class _Handler(BaseHTTPRequestHandler):
    server_version = "NewsFixture/1.0"
    site: Site

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def send(self, status: int, body: bytes | str, ctype: str = "text/html; charset=utf-8", **headers: str) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        site = self.site
        path = self.path.split("?")[0]
        site.hits[path] += 1
        if site.latency:
            time.sleep(site.latency)
        if path in site.extra:
            site.extra[path](self)
            return
        if path == "/robots.txt":
            self.send(200, "User-agent: *\nDisallow: /private/\n", "text/plain")
        elif path == "/":
            self.send(200, site.home())
        elif path == "/feed.xml":
            etag = '"feed-v1"'
            if self.headers.get("If-None-Match") == etag:
                self.send(304, b"", ETag=etag)
            else:
                self.send(200, site.rss(), "application/rss+xml", ETag=etag)
        elif path == "/atom.xml":
            self.send(200, site.atom(), "application/atom+xml")
        elif path == "/feed.json":
            self.send(200, site.json_feed(), "application/feed+json")
        elif path == "/sitemap.xml":
            self.send(200, site.sitemap(), "application/xml")
        elif path.startswith("/news/") and path[6:].isdigit() and int(path[6:]) < site.n_articles:
            self.send(200, site.page(int(path[6:])))
        elif path.startswith("/private/"):
            self.send(200, site.page(0))
        else:
            self.send(404, "<html><body>Not found</body></html>")


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up on purpose (size cap, timeout) is not an error here


class NewsServer:
    """One Site served on 127.0.0.1 in a background thread; `url(path)` gives its address."""

    def __init__(self, site: Site, host_name: str = "127.0.0.1") -> None:
        handler = type("Handler", (_Handler,), {"site": site})
        self.httpd = _QuietServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.site = site
        site.base = f"http://{host_name}:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return self.site.base + path

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def gzip_bomb(size: int = 50 * 1024 * 1024) -> bytes:
    """A small gzip body that inflates to `size` bytes of zeros."""
    return gzip.compress(b"\0" * size, compresslevel=9)
