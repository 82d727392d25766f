"""Collection state: runs, the URL queue with each URL's state, feed validators, MinHash signatures."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from analysis.store.base import Family, utcnow

# (state, reason, message, article id, url) of one URL after a batch
UrlState = tuple[str, str | None, str | None, str | None, str]


class Collection(Family):
    """Collection state: runs, the URL queue with each URL's state, feed validators, MinHash signatures."""

    def outlet_domains(self) -> dict[str, str]:
        """Outlet name by web domain, for naming the outlet of a collected page."""
        return {
            r["domain"]: r["name"] for r in self.db.execute("SELECT name, domain FROM outlets WHERE domain IS NOT NULL")
        }

    def start_run(self, sources: dict[str, Any]) -> int:
        with self.db.transaction():
            row = self.db.execute(
                "INSERT INTO collect_runs(started, heartbeat, sources) VALUES (?, ?, ?) RETURNING id",
                (utcnow(), utcnow(), json.dumps(sources)),
            ).fetchone()
        return int(row[0])

    def finish_run(self, run_id: int, status: str, summary: dict[str, Any]) -> None:
        """Close a run; URLs it claimed but did not finish go back to the queue for the next run."""
        with self.db.transaction():
            self.db.execute(
                "UPDATE collect_urls SET state = 'queued', updated = ? WHERE run_id = ? AND state = 'fetching'",
                (utcnow(), run_id),
            )
            self.db.execute(
                "UPDATE collect_runs SET finished = ?, status = ?, summary = ? WHERE id = ?",
                (utcnow(), status, json.dumps(summary, default=str), run_id),
            )

    def requeue(self, stale_before: str, reasons: Sequence[str] | None) -> None:
        """Queue again the URLs left 'fetching' by a run that died (no heartbeat since stale_before) and the
        failures with one of these reasons (every failure when reasons is None)."""
        with self.db.transaction():
            self.db.execute(
                "UPDATE collect_urls SET state = 'queued' WHERE state = 'fetching' AND run_id IN"
                " (SELECT id FROM collect_runs WHERE status != 'running' OR heartbeat < ?)",
                (stale_before,),
            )
            only = "" if reasons is None else f" AND reason IN ({','.join('?' * len(reasons))})"
            self.db.execute(
                f"UPDATE collect_urls SET state = 'queued' WHERE state = 'failed'{only}", tuple(reasons or ())
            )

    def retry(self, urls: Sequence[str]) -> None:
        """Queue again these URLs where an earlier run failed on them (a user asked for them again)."""
        if not urls:
            return
        with self.db.transaction():
            for start in range(0, len(urls), 500):
                part = list(urls[start : start + 500])
                marks = ",".join("?" * len(part))
                sql = f"UPDATE collect_urls SET state = 'queued' WHERE state = 'failed' AND url IN ({marks})"
                self.db.execute(sql, tuple(part))

    def enqueue(self, rows: Sequence[tuple[str, str, str, str]]) -> tuple[int, set[str]]:
        """Queue (url, requested, source, time) rows; URLs already stored by an import or an earlier run are
        marked stored. Returns how many were new to the queue and the queue's stored or duplicate URLs."""
        with self.db.transaction():
            sql = self.db.dialect.insert(
                "collect_urls", ("url", "requested", "source", "state", "updated"), conflict="ignore", keys=("url",)
            )
            queued = self.db.executemany(sql, [(u, r, s, "queued", t) for u, r, s, t in rows]).rowcount
            self.db.execute(
                "UPDATE collect_urls SET state = 'stored', reason = 'already in the store',"
                " article_id = (SELECT id FROM articles WHERE canonical_url = collect_urls.url)"
                " WHERE state = 'queued' AND url IN (SELECT canonical_url FROM articles)"
            )
        known = {r[0] for r in self.db.execute("SELECT url FROM collect_urls WHERE state IN ('stored', 'duplicate')")}
        return queued, known

    def claim(self, run_id: int) -> list[tuple[str, str]]:
        """Every queued URL, claimed for this run (another run cannot take the same ones): (url, requested)."""
        with self.db.transaction():
            self.db.execute(
                "UPDATE collect_urls SET state = 'fetching', run_id = ?, attempts = attempts + 1, updated = ?"
                " WHERE state = 'queued'",
                (run_id, utcnow()),
            )
        rows = self.db.execute(
            "SELECT url, requested FROM collect_urls WHERE state = 'fetching' AND run_id = ?", (run_id,)
        ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def feed_validators(self, url: str) -> dict[str, str]:
        """The conditional-request headers for a feed fetched before (ETag, Last-Modified)."""
        row = self.db.execute("SELECT etag, last_modified FROM feeds WHERE url = ?", (url,)).fetchone()
        headers = {}
        if row and row["etag"]:
            headers["If-None-Match"] = row["etag"]
        if row and row["last_modified"]:
            headers["If-Modified-Since"] = row["last_modified"]
        return headers

    def remember_feed(
        self, url: str, kind: str | None, title: str | None, entries: int, headers: dict[str, str]
    ) -> None:
        """Record a feed check; kind None (not modified) keeps what is known of the feed."""
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO feeds(url, kind, title, etag, last_modified, checked, entries) VALUES (?,?,?,?,?,?,?)"
                " ON CONFLICT(url) DO UPDATE SET kind = coalesce(excluded.kind, feeds.kind), title ="
                " coalesce(excluded.title, feeds.title), etag = excluded.etag, last_modified = excluded.last_modified,"
                " checked = excluded.checked,"
                " entries = CASE WHEN excluded.kind IS NULL THEN feeds.entries ELSE excluded.entries END",
                (url, kind, title, headers.get("etag"), headers.get("last-modified"), utcnow(), entries),
            )

    def stored_copy(self, canonical: str, content_hash: str) -> str | None:
        """The id of a stored article with this canonical URL or text, if any."""
        hit = self.db.execute(
            "SELECT id FROM articles WHERE canonical_url = ? OR content_hash = ? LIMIT 1", (canonical, content_hash)
        ).fetchone()
        return hit[0] if hit else None

    def duplicate_root(self, article_id: str) -> str | None:
        """The original an article is a near-duplicate of (itself when it is one)."""
        row = self.db.execute("SELECT coalesce(duplicate_of, id) FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def mark_near_duplicates(self, links: dict[str, str]) -> None:
        """article id -> the original it nearly repeats."""
        with self.db.transaction():
            self.db.executemany("UPDATE articles SET duplicate_of = ? WHERE id = ?", [(v, k) for k, v in links.items()])

    def record_states(self, run_id: int, states: Iterable[UrlState]) -> None:
        """The outcome of each URL of a batch, and the run's heartbeat."""
        with self.db.transaction():
            self.db.executemany(
                "UPDATE collect_urls SET state = ?, reason = ?, message = ?, article_id = ?, updated = ? WHERE url = ?",
                [(st, rs, msg, aid, utcnow(), url) for st, rs, msg, aid, url in states],
            )
            self.db.execute("UPDATE collect_runs SET heartbeat = ? WHERE id = ?", (utcnow(), run_id))

    def failed_urls(self, run_id: int) -> list[dict[str, Any]]:
        """The failed URLs of a run: url, reason, message."""
        rows = self.db.execute(
            "SELECT requested AS url, reason, message FROM collect_urls WHERE run_id = ? AND state = 'failed'"
            " ORDER BY reason",
            (run_id,),
        ).fetchall()
        return [dict(r) for r in rows]

    def signatures(self) -> Iterator[tuple[str, bytes]]:
        """(article id, MinHash signature bytes) of every signed article; empty bytes = too short to compare."""
        yield from self.db.execute("SELECT article_id, signature FROM article_minhash")

    def unsigned_texts(self, limit: int) -> list[tuple[str, str]]:
        """(id, text) of up to `limit` articles that have no signature yet."""
        rows = self.db.execute(
            "SELECT a.id, a.text FROM articles a LEFT JOIN article_minhash m ON m.article_id = a.id"
            " WHERE m.article_id IS NULL LIMIT ?",
            (limit,),
        ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def unsigned_of(self, ids: Sequence[str]) -> list[str]:
        """Which of these articles have no near-duplicate signature yet, in the order given."""
        return self.db.outputs.missing("article_minhash", ids)

    def save_signatures(self, pairs: Sequence[tuple[str, bytes]]) -> None:
        with self.db.transaction():
            sql = self.db.dialect.insert(
                "article_minhash", ("article_id", "signature"), conflict="replace", keys=("article_id",)
            )
            self.db.executemany(sql, pairs)

    def runs(self) -> list[dict[str, Any]]:
        """Collection runs, newest first: id, started, finished, status, summary (decoded); none in a store
        from before collection existed."""
        if not self.db.columns("collect_runs"):
            return []
        rows = self.db.execute("SELECT id, started, finished, status, summary FROM collect_runs ORDER BY id DESC")
        return [{**dict(r), "summary": json.loads(r["summary"] or "{}")} for r in rows.fetchall()]
