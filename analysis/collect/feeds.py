"""Where article URLs come from: RSS/Atom (feedparser), JSON Feed, sitemaps (incl. news sitemaps),
feed links discovered on a home page, and URL lists (one per line, or a CSV column)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

from analysis.errors import BadInput
from analysis.ingest.dates import parse_one
from analysis.ingest.schema import canonical_url

_FEED_LINK_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/json")


class FeedError(BadInput):
    """A feed or sitemap that cannot be read; the message says why."""


@dataclass
class Entry:
    url: str
    title: str | None = None
    published: str | None = None


@dataclass
class Listing:
    """What a feed or sitemap lists: article entries and (for sitemap indexes) further sitemaps."""

    kind: str  # "rss", "atom", "json feed", "sitemap", "sitemap index"
    title: str | None
    entries: list[Entry]
    sitemaps: list[str]


def sniff(body: bytes, content_type: str = "") -> str:
    """'json', 'sitemap', 'feed' or 'html', from the first bytes (servers often mislabel feeds)."""
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{") or "json" in content_type:
        return "json"
    if b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return "feed"
    if head.startswith(b"<?xml") and b"<html" not in head:
        return "feed"
    return "html"


def parse_listing(body: bytes, url: str, content_type: str = "") -> Listing:
    """Entries of an RSS/Atom/JSON feed or a sitemap; FeedError when it is none of them."""
    kind = sniff(body, content_type)
    if kind == "json":
        return _json_feed(body, url)
    if kind == "sitemap":
        return _sitemap(body, url)
    if kind == "html":
        raise FeedError(f"{url} is a web page, not a feed or sitemap.")
    return _xml_feed(body, url)


def _xml_feed(body: bytes, url: str) -> Listing:
    import feedparser

    parsed = feedparser.parse(body)
    entries = []
    for e in parsed.entries:
        link = e.get("link") or next((x.get("href") for x in e.get("links", []) if x.get("href")), None)
        if not link:
            continue
        link = urljoin(url, link.strip())
        date = e.get("published") or e.get("updated") or e.get("dc_date")
        entries.append(Entry(link, (e.get("title") or "").strip() or None, parse_one(date) if date else None))
    version = parsed.get("version") or ""
    if not entries and (parsed.get("bozo") or not version):
        problem = parsed.get("bozo_exception")
        raise FeedError(f"{url} is not a readable RSS or Atom feed ({problem or 'no entries found'}).")
    kind = "atom" if version.startswith("atom") else "rss"
    return Listing(kind, (parsed.feed.get("title") or "").strip() or None, _unique(entries), [])


def _json_feed(body: bytes, url: str) -> Listing:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedError(f"{url} is not valid JSON ({exc}).") from exc
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise FeedError(f"{url} is JSON but not a JSON Feed (no 'items' list).")
    entries = []
    for item in data["items"]:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url")
        if isinstance(link, str) and link.strip():
            date = item.get("date_published") or item.get("date_modified")
            entries.append(Entry(urljoin(url, link.strip()), item.get("title"), parse_one(date) if date else None))
    return Listing("json feed", data.get("title"), _unique(entries), [])


def _sitemap(body: bytes, url: str) -> Listing:
    try:
        root = etree.fromstring(body, parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"{url} is not a readable sitemap ({exc}).") from exc
    tag = etree.QName(root).localname
    locs = []
    for node in root:
        if not isinstance(node.tag, str):
            continue
        loc = date = title = None
        for child in node.iter():
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            text = (child.text or "").strip()
            if name == "loc" and loc is None:
                loc = text
            elif name in ("publication_date", "lastmod") and text and date is None:
                date = text
            elif name == "title" and text:
                title = text
        if loc:
            locs.append(Entry(urljoin(url, loc), title, parse_one(date) if date else None))
    if tag == "sitemapindex":
        return Listing("sitemap index", None, [], [e.url for e in locs])
    return Listing("sitemap", None, _unique(locs), [])


def discover_feeds(html: str, base_url: str) -> list[str]:
    """Feed URLs a home page announces with <link rel="alternate" type="application/rss+xml" ...>."""
    try:
        doc = lxml_html.fromstring(html[:500_000] or "<html></html>")
    except (ValueError, etree.ParserError):
        return []
    found = []
    for link in doc.xpath('//link[@href and contains(concat(" ", normalize-space(@rel), " "), " alternate ")]'):
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        if kind in _FEED_LINK_TYPES:
            found.append(urljoin(base_url, link.get("href").strip()))
    return list(dict.fromkeys(found))


def _unique(entries: list[Entry]) -> list[Entry]:
    seen: set[str] = set()
    out = []
    for e in entries:
        key = canonical_url(e.url) or e.url
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def read_url_list(text: str) -> list[str]:
    """URLs from a text: one per line (comments with #), or a CSV with a url/link column."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    if not lines:
        return []
    first = lines[0]
    if "," in first or "\t" in first or ";" in first:
        dialect = csv.Sniffer().sniff(first, delimiters=",\t;") if not first.startswith("http") else None
        if dialect is not None:
            rows = list(csv.DictReader(io.StringIO("\n".join(lines)), dialect=dialect))
            columns = [c for c in (rows[0].keys() if rows else []) if c]
            col = next(
                (c for c in columns if c.strip().lower() in ("url", "link", "href", "article_url", "feed")), None
            )
            if col is None:
                raise FeedError(f"The list has columns {', '.join(columns)} but none named url or link.")
            return [r[col].strip() for r in rows if (r.get(col) or "").strip()]
    firsts = [ln.split()[0] for ln in lines]  # "https://x.example/a  Its headline": the address
    return [f if "://" in f or "." in f else ln for f, ln in zip(firsts, lines, strict=True)]  # else the line as typed
