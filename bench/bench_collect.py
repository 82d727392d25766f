"""Collection speed: 200 article pages on 10 local hosts, each answering after 50 ms, collected by
our collector (8 workers across hosts, at most one request at a time per host, robots.txt read
first, pages parsed with newspaper, deduplicated and stored) against a serial loop of
`newspaper.Article(url).download(); parse()` over the same pages, in the same run. Also
newspaper's parse time per page on those pages.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.common import report

HOSTS, PER_HOST, LATENCY = 10, 20, 0.05


def run() -> None:
    from analysis.collect.fetch import FetchPolicy
    from analysis.collect.runner import Collector
    from analysis.collect.webpage import _offline_tldextract
    from analysis.store import Store
    from tests.support.newssite import NewsServer, Site

    _offline_tldextract()
    import newspaper

    sites = [Site(f"Outlet {i}", n_articles=PER_HOST, latency=LATENCY, topic_offset=i) for i in range(HOSTS)]
    servers = [NewsServer(site, host_name="localhost") for site in sites]
    urls = [s.url(f"/news/{j}") for j in range(PER_HOST) for s in servers]
    rows = []
    try:
        # Serial newspaper: one request at a time, no robots.txt, nothing stored.
        t = time.perf_counter()
        for u in urls:
            a = newspaper.Article(u, fetch_images=False)
            a.download()
            a.parse()
        serial = time.perf_counter() - t
        rows.append(
            {
                "run": "serial newspaper download() + parse()",
                "pages": len(urls),
                "seconds": round(serial, 2),
                "pages_per_s": round(len(urls) / serial, 1),
            }
        )
        # Ours: same pages, never more than one request at a time to a host (as polite as the serial loop).
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(Path(tmp) / "news.db")
            policy = FetchPolicy(per_host=1, delay=0.0, allow_hosts=frozenset({"localhost"}))
            t = time.perf_counter()
            summary = Collector(store, policy, workers=8).run(urls=urls)
            ours = time.perf_counter() - t
            store.close()
        rows.append(
            {
                "run": "ours: 8 workers, 1 request at a time per host, robots.txt, stored",
                "pages": summary.stored,
                "seconds": round(ours, 2),
                "pages_per_s": round(summary.stored / ours, 1),
                "speedup": round(serial / ours, 2),
            }
        )
        # Parse time alone.
        pages = [s.site.page(j) for s in servers[:2] for j in range(PER_HOST)]
        t = time.perf_counter()
        for html, u in zip(pages, urls, strict=False):
            a = newspaper.Article(u, fetch_images=False)
            a.download(input_html=html)
            a.parse()
        per_page = (time.perf_counter() - t) / len(pages)
        rows.append(
            {
                "run": "newspaper parse alone",
                "pages": len(pages),
                "seconds": round(per_page * len(pages), 2),
                "pages_per_s": round(1 / per_page, 1),
                "ms_per_page": round(per_page * 1000, 1),
            }
        )
    finally:
        for s in servers:
            s.close()
    report(
        "collect",
        rows,
        [
            f"{HOSTS} hosts x {PER_HOST} pages on 127.0.0.1, each response delayed {LATENCY * 1000:.0f} ms",
            "target: ours >= 5x the serial loop at equal politeness (at most one request at a time per host)",
        ],
    )
