"""Collection from the web and from saved pages: feeds, sitemaps, home pages, URL lists, HTML files.

A run records each URL's state in the store (queued, fetching, stored, duplicate, failed with a
reason), so an interrupted run is finished by the next one without fetching stored articles again,
and two runs at once never claim the same URL. Pages are fetched by analysis.collect.fetch (safe and
polite, concurrent across hosts), parsed by newspaper (analysis.collect.webpage), deduplicated by canonical
URL, content hash and MinHash near-duplicates (analysis.collect.neardup), and committed in batches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from analysis.collect.feeds import FeedError, Listing, discover_feeds, parse_listing
from analysis.collect.fetch import FEED_TYPES, HTML_TYPES, Fetcher, FetchError, FetchPolicy
from analysis.collect.neardup import NearDuplicates, signatures
from analysis.collect.sources import saved_pages
from analysis.collect.webpage import PageRejected, decode_html, parse_page
from analysis.ingest.schema import Article, canonical_url
from analysis.store import Database, utcnow

Progress = Callable[[str, int, int], None]
TRANSIENT = ("timeout", "connection failed", "HTTP 429", "HTTP 500", "HTTP 502", "HTTP 503", "HTTP 504", "interrupted")
MAX_SITEMAPS = 50  # child sitemaps followed from one sitemap index
STALE_AFTER = timedelta(minutes=10)  # a run without a heartbeat for this long has died


@dataclass
class CollectSummary:
    run_id: int = 0
    sources: int = 0
    not_modified: int = 0  # feeds that answered 304
    queued: int = 0
    fetched: int = 0
    stored: int = 0
    already: int = 0  # URLs stored before this run (not fetched again)
    duplicates: int = 0  # same canonical URL or same text as a stored article
    near_duplicates: int = 0  # stored, linked to the earlier copy
    failures: list[dict[str, str]] = field(default_factory=list)
    interrupted: bool = False

    def failure_groups(self) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for f in self.failures:
            groups[f["reason"]].append(f["url"])
        return dict(sorted(groups.items(), key=lambda kv: -len(kv[1])))

    def text(self) -> str:
        lines = [
            f"Fetched {self.fetched:,} pages; stored {self.stored:,} new articles"
            f" ({self.near_duplicates:,} of them near-duplicates linked to an earlier copy);"
            f" {self.duplicates:,} duplicates skipped; {self.already:,} already in the store;"
            f" {len(self.failures):,} failed."
        ]
        if self.not_modified:
            lines.append(f"{self.not_modified:,} feeds had nothing new (not modified since the last run).")
        for reason, urls in self.failure_groups().items():
            examples = ", ".join(urls[:2]) + (" …" if len(urls) > 2 else "")
            lines.append(f"  {reason}: {len(urls):,} (e.g. {examples})")
        if self.interrupted:
            lines.append("Interrupted: run the same command again to collect the rest.")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


@dataclass
class _Result:
    url: str  # the queue's key (canonical URL) or a saved page's name
    requested: str = ""  # as the user or the feed gave it (shown in failures)
    article: Article | None = None
    reason: str | None = None
    message: str | None = None
    fetched: bool = False


class Collector:
    """One collection run against a store."""

    def __init__(
        self,
        store: Database,
        policy: FetchPolicy | None = None,
        *,
        workers: int = 8,
        batch: int = 25,
        progress: Progress | None = None,
        fetcher: Fetcher | None = None,
    ) -> None:
        self.store = store
        self.fetcher = fetcher or Fetcher(policy)
        self.workers = max(1, workers)
        self.batch = max(1, batch)
        self.progress = progress
        self.summary = CollectSummary()
        self._near: NearDuplicates | None = None
        self._outlets = store.collection.outlet_domains()

    # -- entry point -------------------------------------------------------------------------
    def run(
        self,
        *,
        feeds: Sequence[str] = (),
        urls: Sequence[str] = (),
        html: Sequence[str | Path] = (),
        retry_failed: bool = False,
    ) -> CollectSummary:
        """Collect from feeds/home pages/sitemaps, article URLs and saved HTML (files, folders, .zip)."""
        s = self.summary
        s.sources = len(feeds) + len(urls) + len(html)
        s.run_id = self.store.collection.start_run(
            {"feeds": list(feeds), "urls": len(urls), "html": [str(h) for h in html]}
        )
        status = "finished"
        try:
            self._requeue_abandoned(retry_failed)
            if html:
                self._collect_saved(html)
            for source, listed in self._expand_feeds(feeds):
                self._enqueue(listed, source)
            self._enqueue(urls, "url list")
            self._fetch_queued()
        except KeyboardInterrupt:
            s.interrupted = True
            status = "interrupted"
        finally:
            self.store.collection.finish_run(s.run_id, status, s.as_dict())
        return s

    # -- queue -------------------------------------------------------------------------------
    def _requeue_abandoned(self, retry_failed: bool) -> None:
        """URLs left 'fetching' by a run that died, and transient failures, are queued again."""
        stale = (datetime.now(UTC) - STALE_AFTER).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.store.collection.requeue(stale, None if retry_failed else TRANSIENT)

    def _enqueue(self, urls: Iterable[str], source: str) -> None:
        now = utcnow()
        rows, bad = [], []
        for raw in urls:
            raw = (raw or "").strip()
            if not raw:
                continue
            canon = canonical_url(raw) if _an_address(raw) else None
            if canon is None:
                bad.append(_not_collected(raw))
                continue
            rows.append((canon, raw if "://" in raw else "https://" + raw, source, now))
        self.summary.failures.extend(bad)
        if not rows:
            return
        if source == "url list":  # asked for by name: one that failed before is tried again, and says why
            self.store.collection.retry([r[0] for r in rows])
        # Articles stored by an import or an earlier run are not fetched again.
        queued, known = self.store.collection.enqueue(rows)
        self.summary.queued += queued
        self.summary.already += len({r[0] for r in rows} & known)

    def _claim(self) -> list[tuple[str, str]]:
        """Every queued URL, claimed for this run (another run cannot take the same ones)."""
        return _interleave_hosts(self.store.collection.claim(self.summary.run_id))

    # -- feeds -------------------------------------------------------------------------------
    def _expand_feeds(self, feeds: Sequence[str]) -> Iterator[tuple[str, list[str]]]:
        """(source, article URLs) for each feed, sitemap or home page (whose feeds are discovered)."""
        todo = [(f.strip(), 0) for f in feeds if f and f.strip()]
        seen: set[str] = set()
        while todo:
            url, depth = todo.pop(0)
            if url in seen:
                continue
            seen.add(url)
            if canonical_url(url) is None:
                self._fail(url, "unsupported scheme", f"Only http and https feeds are collected: {url}")
                continue
            headers = self.store.collection.feed_validators(url)
            try:
                resp = self.fetcher.get(url, accept=FEED_TYPES + HTML_TYPES, headers=headers)
            except FetchError as exc:
                self._fail(url, f"feed: {exc.reason}", str(exc))
                continue
            if resp.status == 304:
                self.summary.not_modified += 1
                self._remember_feed(url, None, resp.headers)
                continue
            try:
                listing = parse_listing(resp.body, resp.url, resp.content_type)
            except FeedError as exc:
                if resp.content_type.startswith(HTML_TYPES) or b"<html" in resp.body[:2048].lower():
                    found = discover_feeds(decode_html(resp.body, resp.charset), resp.url) if depth == 0 else []
                    if found:
                        todo.extend((f, depth + 1) for f in found)
                        continue
                    self._fail(url, "no feed found", f"{url} is a web page that announces no RSS or Atom feed.")
                else:
                    self._fail(url, "malformed feed", str(exc))
                continue
            self._remember_feed(url, listing, resp.headers)
            if listing.sitemaps and depth < 2:
                todo.extend((m, depth + 1) for m in listing.sitemaps[:MAX_SITEMAPS])
            yield url, [e.url for e in listing.entries]

    def _remember_feed(self, url: str, listing: Listing | None, headers: dict[str, str]) -> None:
        kind, title = (listing.kind, listing.title) if listing else (None, None)
        self.store.collection.remember_feed(url, kind, title, len(listing.entries) if listing else 0, headers)

    # -- pages -------------------------------------------------------------------------------
    def _fetch_queued(self) -> None:
        work = self._claim()
        total, done = len(work), 0
        if self.progress:
            self.progress("collect", 0, total)
        pending: list[_Result] = []
        it = iter(work)
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="collect") as pool:
            running: set[Future[_Result]] = set()
            try:
                for key, requested in it:
                    running.add(pool.submit(self._fetch_one, key, requested))
                    if len(running) >= self.workers * 2:
                        break
                while running:
                    finished, running = wait(running, return_when=FIRST_COMPLETED)
                    for fut in finished:
                        pending.append(fut.result())
                        done += 1
                        nxt = next(it, None)
                        if nxt is not None:
                            running.add(pool.submit(self._fetch_one, *nxt))
                    if len(pending) >= self.batch:
                        self._commit(pending)
                        pending = []
                    if self.progress:
                        self.progress("collect", done, total)
            except KeyboardInterrupt:
                for fut in running:
                    fut.cancel()
                # Pages already fetched are kept; those still in flight go back to the queue.
                pending += [f.result() for f in running if f.done() and not f.cancelled() and f.exception() is None]
                self._commit(pending)
                raise
        self._commit(pending)

    def _fetch_one(self, key: str, requested: str) -> _Result:
        try:
            resp = self.fetcher.get(requested, accept=HTML_TYPES)
        except FetchError as exc:
            return _Result(key, requested, reason=exc.reason, message=str(exc))
        try:
            article = parse_page(decode_html(resp.body, resp.charset), resp.url, self._outlets)
        except PageRejected as exc:
            return _Result(key, requested, reason=exc.reason, message=f"{requested}: {exc}", fetched=True)
        article.extra["collect_run"] = self.summary.run_id
        return _Result(key, requested, article=article, fetched=True)

    def _fail(self, url: str, reason: str, message: str) -> None:
        self.summary.failures.append({"url": url, "reason": reason, "message": message})

    # -- saved pages -------------------------------------------------------------------------
    def _collect_saved(self, paths: Sequence[str | Path]) -> None:
        pending: list[_Result] = []
        for name, body in saved_pages(paths, self._fail):
            try:
                article = parse_page(decode_html(body), None, self._outlets)
            except PageRejected as exc:
                self._fail(name, exc.reason, f"{name}: {exc}")
                continue
            article.extra["saved_page"] = Path(name).name
            pending.append(_Result(name, article=article))
            if len(pending) >= self.batch:
                self._commit(pending, saved=True)
                pending = []
        self._commit(pending, saved=True)

    # -- writing -----------------------------------------------------------------------------
    def near(self) -> NearDuplicates:
        if self._near is None:
            self._near = NearDuplicates(self.store)
        return self._near

    def _commit(self, results: list[_Result], *, saved: bool = False) -> None:
        """Store one batch: dedupe against the store and within the batch, flag near-duplicates."""
        if not results:
            return
        s = self.summary
        s.fetched += sum(r.fetched for r in results)
        states: list[tuple[str, str | None, str | None, str | None, str]] = []  # state, reason, message, article, url
        articles = [r for r in results if r.article is not None]
        for r in results:
            if r.article is None:
                s.failures.append(
                    {"url": r.requested or r.url, "reason": r.reason or "failed", "message": r.message or ""}
                )
                states.append(("failed", r.reason, r.message, None, r.url))
        fresh: list[_Result] = []
        seen_canon: set[str] = set()
        seen_hash: set[str] = set()
        for r in articles:
            a = r.article
            assert a is not None
            hit = self.store.collection.stored_copy(a.canonical, a.chash)
            if hit or a.canonical in seen_canon or a.chash in seen_hash:
                s.duplicates += 1
                states.append(("duplicate", "same URL or text as a stored article", None, hit, r.url))
                continue
            seen_canon.add(a.canonical)
            seen_hash.add(a.chash)
            fresh.append(r)
        if fresh:
            near = self.near()
            sigs = signatures([r.article.text for r in fresh if r.article])
            links: dict[str, tuple[str, float]] = {}
            for r, sig in zip(fresh, sigs, strict=True):
                a = r.article
                assert a is not None
                match = near.check(sig)
                if match:
                    links[a.id] = (self.store.collection.duplicate_root(match[0]) or match[0], match[1])
                    a.extra["near_duplicate_similarity"] = round(match[1], 3)
                near.add(a.id, sig)
            stored, _ = self.store.add_articles([r.article for r in fresh if r.article])
            s.stored += stored
            self.store.collection.mark_near_duplicates({k: v[0] for k, v in links.items()})
            near.save([(r.article.id, sig) for r, sig in zip(fresh, sigs, strict=True) if r.article])
            s.near_duplicates += len(links)
            for r in fresh:
                states.append(("stored", None, None, r.article.id if r.article else None, r.url))
        if not saved:
            self.store.collection.record_states(s.run_id, states)


def _interleave_hosts(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Round-robin over hosts, so the workers spread across hosts instead of queueing on one."""
    by_host: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in rows:
        by_host[urlsplit(row[1]).netloc.lower()].append(row)
    out: list[tuple[str, str]] = []
    queues = list(by_host.values())
    while queues:
        queues = [q for q in queues if q]
        for q in queues:
            out.append(q.pop(0))
    return out


def failure_table(store: Database, run_id: int) -> list[dict[str, Any]]:
    """The failed URLs of a run, for the page's table and CSV."""
    return store.collection.failed_urls(run_id)


def env_workers() -> int:
    from analysis.config import settings

    return settings().collect_workers


def _an_address(raw: str) -> bool:
    """Whether a typed line can be a web address: with a scheme, or a host with a dot ("not" is a word)."""
    if "://" in raw:
        return True
    try:
        host = urlsplit("https://" + raw).hostname or ""
    except ValueError:
        return False
    return "." in host


def _not_collected(raw: str) -> dict[str, str]:
    """The failure row of a line that is not an http(s) address, saying which it is."""
    scheme = urlsplit(raw).scheme if "://" in raw or raw.lower().startswith(("javascript:", "data:", "mailto:")) else ""
    if scheme and scheme.lower() not in ("http", "https"):
        return {
            "url": raw,
            "reason": "unsupported scheme",
            "message": f"Only http and https addresses are collected, not {scheme}:.",
        }
    return {
        "url": raw,
        "reason": "not a web address",
        "message": "This is not a web address; write it as https://site.example/page.",
    }
