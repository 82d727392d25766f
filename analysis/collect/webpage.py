"""One news page (HTML we downloaded or a saved file) -> an Article, with newspaper4k.

Title, text, authors, publication date, language, outlet name (og:site_name, else a name already
known for the domain, else the domain) and top image are kept. Pages whose text is too short to be
an article (a section front, a paywall stub) are rejected with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import html as lxml_html

from analysis.errors import BadInput
from analysis.ingest.dates import parse_one
from analysis.ingest.dates import precision as date_precision
from analysis.ingest.schema import Article, canonical_url, domain_of, without_tracking
from analysis.text.clean import clean_text

MIN_WORDS = 80  # fewer words of body text: not an article (section front, paywall stub, video page)
_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datePublished",
    "pubdate",
    "publishdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
)


class PageRejected(BadInput):
    """A page that is not stored; `reason` groups failures ("too short to be an article")."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class PageMeta:
    canonical: str | None
    og_url: str | None
    site_name: str | None
    published: str | None
    published_precision: str | None
    language: str | None


def _offline_tldextract() -> None:
    """newspaper calls tldextract, which would download the public suffix list on first use; use
    the snapshot it ships instead (no request leaves the machine for it)."""
    import tldextract.tldextract as tx

    if getattr(tx.TLD_EXTRACTOR, "suffix_list_urls", None):
        tx.TLD_EXTRACTOR = tx.TLDExtract(suffix_list_urls=(), fallback_to_snapshot=True)


def decode_html(body: bytes, charset: str | None = None) -> str:
    """Bytes of a page as text: the declared charset, a <meta charset>, then UTF-8, then Windows-1252."""
    candidates = [charset] if charset else []
    head = body[:4096].decode("ascii", "replace")
    m = re.search(r"""<meta[^>]+charset=["']?([\w\-]+)""", head, re.IGNORECASE)
    if m:
        candidates.append(m.group(1))
    for enc in [*candidates, "utf-8"]:
        try:
            return body.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("cp1252", "replace")


def page_meta(html: str, base_url: str | None = None) -> PageMeta:
    """Canonical link, og:url, site name, publication date and language from a page's head."""
    try:
        doc = lxml_html.fromstring(html[:500_000] or "<html></html>")
    except (ValueError, lxml_html.etree.ParserError):
        return PageMeta(None, None, None, None, None, None)

    def meta(*names: str) -> str | None:
        for name in names:
            for attr in ("property", "name", "itemprop"):
                found = doc.xpath(f'//meta[@{attr}="{name}"]/@content')
                if found and str(found[0]).strip():
                    return str(found[0]).strip()
        return None

    canon = doc.xpath('//link[@rel="canonical"]/@href')
    published = None
    raw = meta(*_DATE_META)
    if raw is None:
        times = doc.xpath("//time/@datetime")
        raw = str(times[0]) if times else None
    if raw:
        published = parse_one(raw)
    exact = date_precision(raw) if published else None
    lang = (doc.get("lang") or meta("og:locale", "language", "content-language") or "").strip()
    return PageMeta(
        canonical=_absolute(str(canon[0]).strip(), base_url) if canon else None,
        og_url=_absolute(meta("og:url") or "", base_url) or None,
        site_name=meta("og:site_name", "application-name", "publisher"),
        published=published,
        published_precision=exact,
        language=lang.replace("_", "-").split("-")[0].lower() or None,
    )


def _absolute(url: str, base: str | None) -> str | None:
    from urllib.parse import urljoin

    if not url:
        return None
    url = urljoin(base, url) if base else url
    return url if canonical_url(url) else None


def parse_page(html: str, url: str | None, outlet_names: dict[str, str] | None = None) -> Article:
    """An Article from a page's HTML. `url` is where it was fetched (None for a saved page without
    one); the canonical link, then og:url, become the article's URL. Raises PageRejected."""
    _offline_tldextract()
    from newspaper import Article as NewsArticle

    meta = page_meta(html, url)
    page_url = meta.canonical or meta.og_url or url
    article: Any = NewsArticle(page_url or "http://saved.page/", fetch_images=False, follow_meta_refresh=False)
    try:
        article.download(input_html=html)
        article.parse()
    except Exception as exc:  # newspaper raises its own and lxml errors on broken markup
        raise PageRejected("unreadable page", f"The page could not be parsed ({type(exc).__name__}).") from exc
    title = (article.title or "").strip()
    text = clean_text(article.text or "", title)
    words = len(text.split())
    if words < MIN_WORDS:
        raise PageRejected(
            "too short to be an article",
            f"The page has {words} words of text (at least {MIN_WORDS} make an article): "
            "probably a section front, a paywall or a video page.",
        )
    published, exact = meta.published, meta.published_precision
    if published is None and article.publish_date is not None:
        published = parse_one(article.publish_date.isoformat())
        exact = date_precision(article.publish_date)
    domain = domain_of(page_url)
    outlet = meta.site_name or (outlet_names or {}).get(domain or "") or domain
    extra: dict[str, Any] = {}
    if getattr(article, "top_image", None):
        extra["top_image"] = article.top_image
    if url and page_url and canonical_url(url) != canonical_url(page_url):
        extra["fetched_url"] = url
    return Article(
        title=title,
        text=text,
        url=without_tracking(page_url) if page_url else None,
        outlet=outlet,
        outlet_domain=domain,
        published=published,
        published_precision=exact,
        authors="; ".join(a for a in (article.authors or []) if a) or None,
        language=meta.language or (article.meta_lang or None),
        extra=extra,
    ).finalise()
