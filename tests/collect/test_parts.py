"""Direct tests of the collector's parts that the runner tests reach only through a collection: feeds and
sitemaps, page metadata and near-duplicate signatures."""

from __future__ import annotations

import pytest

from analysis.collect.feeds import FeedError, discover_feeds, parse_listing, read_url_list, sniff
from analysis.collect.neardup import NearDuplicates, signatures
from analysis.collect.webpage import decode_html, page_meta
from analysis.store import Store

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Example News</title>
<item><title>Flood in Dresden</title><link>https://news.example/a?utm_source=rss</link>
<pubDate>Mon, 02 Mar 2020 10:00:00 GMT</pubDate></item>
<item><title>Same, again</title><link>https://news.example/a</link></item>
<item><title>Vote in Berlin</title><link>https://news.example/b</link></item></channel></rss>"""

SITEMAP_INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://news.example/sitemap-1.xml</loc></sitemap></sitemapindex>"""


def test_a_feed_is_read_with_its_entries_once_each():
    listing = parse_listing(RSS, "https://news.example/feed", "text/html")  # a mislabelled feed
    assert listing.kind == "rss" and listing.title == "Example News"
    assert [e.title for e in listing.entries] == ["Flood in Dresden", "Vote in Berlin"]  # tracking copy dropped
    assert listing.entries[0].published is not None


def test_a_sitemap_index_lists_its_sitemaps_and_junk_is_refused():
    listing = parse_listing(SITEMAP_INDEX, "https://news.example/sitemap.xml")
    assert listing.kind == "sitemap index" and listing.sitemaps == ["https://news.example/sitemap-1.xml"]
    assert sniff(b"<!doctype html><html>") == "html" and sniff(b'{"version": 1}') == "json"
    with pytest.raises(FeedError):
        parse_listing(b"<html><body>not a feed</body></html>", "https://news.example/")


def test_feeds_a_home_page_announces_and_url_lists():
    html = (
        '<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml">'
        '<link rel="stylesheet" href="/s.css"></head></html>'
    )
    assert discover_feeds(html, "https://news.example/") == ["https://news.example/rss.xml"]
    assert read_url_list("# mine\nhttps://a.example/1\n\nhttps://a.example/2\n") == [
        "https://a.example/1",
        "https://a.example/2",
    ]
    assert read_url_list("title,url\nOne,https://a.example/1\n") == ["https://a.example/1"]
    assert read_url_list("https://a.example/1  Its headline\nnot a url\n") == ["https://a.example/1", "not a url"]


def test_page_metadata_and_declared_charsets():
    html = (
        '<html lang="de"><head><link rel="canonical" href="/story-1">'
        '<meta property="og:site_name" content="Example Zeitung">'
        '<meta property="article:published_time" content="2020-03-02T10:15:00+01:00"></head></html>'
    )
    meta = page_meta(html, "https://news.example/story-1?ref=x")
    assert meta.canonical == "https://news.example/story-1" and meta.site_name == "Example Zeitung"
    assert meta.published is not None and meta.published.startswith("2020-03-02") and meta.language == "de"
    latin = '<meta charset="iso-8859-1"><p>Gr\xfc\xdfe</p>'.encode("latin-1")
    assert "Grüße" in decode_html(latin)


def test_near_duplicate_signatures_find_an_edited_copy(tmp_path):
    words = " ".join(f"word{i}" for i in range(120))
    edited = words.replace("word60", "changed")
    other = " ".join(f"other{i}" for i in range(120))
    sig_a, sig_b, sig_c, short = signatures([words, edited, other, "too short to compare"])
    assert short is None
    with Store(tmp_path / "news.db") as store:
        index = NearDuplicates(store)
        index.add("a", sig_a)
        found = index.check(sig_b)
        assert found is not None and found[0] == "a" and found[1] > 0.8
        assert index.check(sig_c) is None
