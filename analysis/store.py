"""SQLite article store: schema with forward migrations, FTS5 search, outlets, imports."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis.schema import Article

# Each entry migrates the schema from version i to i + 1. Never edit a released entry; append.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE outlets (
        name TEXT PRIMARY KEY,
        domain TEXT,
        country TEXT,
        bias TEXT,
        bias_source TEXT,
        owner TEXT,
        ratings TEXT NOT NULL DEFAULT '{}',
        updated_at TEXT
    );
    CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        started TEXT NOT NULL,
        finished TEXT,
        status TEXT NOT NULL DEFAULT 'running',
        rows_read INTEGER DEFAULT 0,
        stored INTEGER DEFAULT 0,
        duplicates INTEGER DEFAULT 0,
        rejected INTEGER DEFAULT 0,
        message TEXT
    );
    CREATE TABLE articles (
        rid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        url TEXT,
        canonical_url TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        outlet TEXT NOT NULL,
        outlet_domain TEXT,
        published TEXT,
        collected TEXT NOT NULL,
        authors TEXT,
        language TEXT,
        content_hash TEXT NOT NULL UNIQUE,
        extra TEXT NOT NULL DEFAULT '{}',
        import_id INTEGER REFERENCES imports(id)
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_outlet_published ON articles(outlet, published);
    CREATE INDEX articles_import ON articles(import_id);
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='rid', tokenize='porter unicode61'
    );
    CREATE TRIGGER articles_ai AFTER INSERT ON articles
    WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'bulk_fts') BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rid, new.title, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.rid, old.title, old.text);
    END;
    CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.rid, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rid, new.title, new.text);
    END;
    INSERT INTO meta(key, value) VALUES ('data_version', '0');
    """,
    # 2: embedding cache, topic fits and everything derived from them.
    """
    CREATE TABLE embeddings (
        model TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (model, content_hash)
    ) WITHOUT ROWID;
    CREATE TABLE fits (
        id INTEGER PRIMARY KEY,
        created TEXT NOT NULL,
        kind TEXT NOT NULL,
        embedding_model TEXT NOT NULL,
        params TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        n_articles INTEGER NOT NULL,
        n_topics INTEGER NOT NULL,
        outlier_share REAL NOT NULL,
        model_path TEXT,
        timings TEXT NOT NULL DEFAULT '{}',
        extra TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE topics (
        fit_id INTEGER NOT NULL REFERENCES fits(id) ON DELETE CASCADE,
        topic INTEGER NOT NULL,
        label TEXT NOT NULL,
        keywords TEXT NOT NULL,
        size INTEGER NOT NULL,
        representative TEXT NOT NULL,
        centroid BLOB,
        x REAL,
        y REAL,
        PRIMARY KEY (fit_id, topic)
    );
    CREATE TABLE article_topics (
        fit_id INTEGER NOT NULL REFERENCES fits(id) ON DELETE CASCADE,
        article_id TEXT NOT NULL,
        topic INTEGER NOT NULL,
        probability REAL,
        x REAL,
        y REAL,
        assigned_by TEXT NOT NULL DEFAULT 'fit',
        PRIMARY KEY (fit_id, article_id)
    );
    CREATE INDEX article_topics_topic ON article_topics(fit_id, topic);
    CREATE TABLE topic_edits (
        topic INTEGER PRIMARY KEY,
        label TEXT,
        hidden INTEGER NOT NULL DEFAULT 0,
        merged_into INTEGER,
        updated TEXT NOT NULL
    );
    CREATE TABLE topic_lineage (
        id INTEGER PRIMARY KEY,
        fit_id INTEGER NOT NULL,
        created TEXT NOT NULL,
        event TEXT NOT NULL,
        topic INTEGER,
        previous TEXT NOT NULL DEFAULT '[]',
        similarity REAL,
        note TEXT
    );
    CREATE TABLE topic_words_over_time (
        fit_id INTEGER NOT NULL REFERENCES fits(id) ON DELETE CASCADE,
        topic INTEGER NOT NULL,
        period TEXT NOT NULL,
        words TEXT NOT NULL,
        frequency INTEGER NOT NULL,
        PRIMARY KEY (fit_id, topic, period)
    );
    INSERT INTO meta(key, value) VALUES ('active_fit', '');
    INSERT INTO meta(key, value) VALUES ('next_topic_id', '0');
    """,
    # 3: per-article tone, summary and tags; stories across outlets.
    """
    CREATE TABLE article_intel (
        article_id TEXT PRIMARY KEY,
        headline_sentiment REAL,
        headline_label TEXT,
        sentiment REAL,
        sentiment_label TEXT,
        summary TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        updated TEXT NOT NULL
    );
    CREATE TABLE stories (
        story_id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        first_published TEXT,
        first_outlet TEXT,
        articles INTEGER NOT NULL,
        outlets INTEGER NOT NULL,
        outlet_list TEXT NOT NULL,
        bias TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE story_members (
        article_id TEXT PRIMARY KEY,
        story_id INTEGER NOT NULL,
        lag_hours REAL,
        first INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX story_members_story ON story_members(story_id);
    """,
    # 4: covering indexes for the app's article frame (a full scan no longer reads article texts).
    """
    CREATE INDEX articles_frame ON articles(outlet, published, id, title);
    CREATE INDEX articles_id_hash ON articles(id, content_hash);
    CREATE INDEX articles_window ON articles(published, id, outlet, content_hash);
    CREATE INDEX article_intel_tone ON article_intel(article_id, sentiment);
    """,
    # 5: web collection: near-duplicate links, MinHash signatures, per-URL state, feeds' validators.
    """
    ALTER TABLE articles ADD COLUMN duplicate_of TEXT;
    CREATE INDEX articles_duplicate ON articles(duplicate_of) WHERE duplicate_of IS NOT NULL;
    CREATE TABLE article_minhash (article_id TEXT PRIMARY KEY, signature BLOB NOT NULL) WITHOUT ROWID;
    CREATE TABLE collect_runs (
        id INTEGER PRIMARY KEY,
        started TEXT NOT NULL,
        finished TEXT,
        status TEXT NOT NULL DEFAULT 'running',
        heartbeat TEXT,
        sources TEXT NOT NULL DEFAULT '[]',
        summary TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE collect_urls (
        url TEXT PRIMARY KEY,
        requested TEXT NOT NULL,
        source TEXT,
        state TEXT NOT NULL,
        reason TEXT,
        message TEXT,
        article_id TEXT,
        run_id INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        updated TEXT NOT NULL
    );
    CREATE INDEX collect_urls_state ON collect_urls(state, run_id);
    CREATE TABLE feeds (
        url TEXT PRIMARY KEY,
        kind TEXT,
        title TEXT,
        etag TEXT,
        last_modified TEXT,
        checked TEXT,
        entries INTEGER NOT NULL DEFAULT 0
    );
    """,
    # 6: tone labels read off the score (|score| > 0.33), so a label never contradicts its score;
    # dates keep their precision (day, or time of day) so "who was first" is claimed only when it can be.
    """
    UPDATE article_intel SET
        sentiment_label = CASE WHEN sentiment IS NULL THEN sentiment_label WHEN sentiment < -0.33 THEN 'negative'
                               WHEN sentiment > 0.33 THEN 'positive' ELSE 'neutral' END,
        headline_label = CASE WHEN headline_sentiment IS NULL THEN headline_label
                              WHEN headline_sentiment < -0.33 THEN 'negative'
                              WHEN headline_sentiment > 0.33 THEN 'positive' ELSE 'neutral' END;
    ALTER TABLE articles ADD COLUMN published_precision TEXT;
    UPDATE articles SET published_precision = CASE WHEN published IS NULL THEN NULL
        WHEN substr(published, 12, 8) = '00:00:00' THEN 'day' ELSE 'time' END;
    ALTER TABLE stories ADD COLUMN tied INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE stories ADD COLUMN precision TEXT NOT NULL DEFAULT 'time';
    ALTER TABLE story_members ADD COLUMN lag_days REAL;
    INSERT INTO meta(key, value) SELECT 'stories_stale', '1' WHERE EXISTS (SELECT 1 FROM stories);
    """,
    # 7: themes, the level above topics, with stable ids across refits and the user's edits.
    """
    CREATE TABLE themes (
        fit_id INTEGER NOT NULL REFERENCES fits(id) ON DELETE CASCADE,
        theme INTEGER NOT NULL,
        label TEXT NOT NULL,
        keywords TEXT NOT NULL,
        size INTEGER NOT NULL,
        centroid BLOB,
        PRIMARY KEY (fit_id, theme)
    );
    ALTER TABLE topics ADD COLUMN theme INTEGER;
    CREATE TABLE theme_edits (
        theme INTEGER PRIMARY KEY,
        label TEXT,
        merged_into INTEGER,
        updated TEXT NOT NULL
    );
    INSERT OR IGNORE INTO meta(key, value) VALUES ('next_theme_id', '0');
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)

OUTLET_FIELDS = ("domain", "country", "bias", "bias_source", "owner")


class StoreError(RuntimeError):
    """A store that cannot be opened or used; the message says why."""


def utcnow() -> str:
    """The current time as ISO 8601 UTC with a Z suffix."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Store:
    """An SQLite article store. One instance per thread; cheap to open."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            p = Path(self.path)
            if readonly and not p.exists():
                raise StoreError(f"No store at {p}; load data first (python -m analysis demo).")
            p.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA busy_timeout=30000")  # first: another process may be creating the store
            if not readonly and self.schema_version == 0:
                # Big pages keep a whole article on one page; only possible before the first table.
                self.conn.execute("PRAGMA page_size=16384")
            if self.path != ":memory:":
                self._use_wal()
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA busy_timeout=30000")
            self.conn.execute("PRAGMA cache_size=-131072")  # 128 MiB: FTS segment merges stay in memory
            self.conn.execute("PRAGMA temp_store=MEMORY")
            if not readonly:
                self.migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not a usable news store ({exc}).") from exc

    def _use_wal(self, wait: float = 30.0) -> None:
        """Switch to write-ahead logging. SQLite answers "database is locked" at once, without waiting,
        when another process holds the file while creating it, so the switch is retried for a while."""
        deadline = time.monotonic() + wait
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    # -- lifecycle -----------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> None:
        """Apply every migration newer than the store's schema version, each in one transaction. Safe when
        several processes open a new or old store at once: each step re-reads the version under the
        write lock, so a step another process has applied is skipped, never run twice."""
        current = self.schema_version
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {current}, newer than this program's {SCHEMA_VERSION}; "
                "update the program."
            )
        for version in range(current, SCHEMA_VERSION):
            with self.transaction():
                if self.schema_version > version:  # applied by another process meanwhile
                    continue
                for statement in _split_sql(MIGRATIONS[version]):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {version + 1}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; rolls back on any exception."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def _bump_version(self) -> None:
        self.conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'")

    @property
    def data_version(self) -> int:
        """A counter that changes on every write; UI caches key on it."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
        return int(row[0]) if row else 0

    # -- imports -------------------------------------------------------------------------------
    def begin_import(self, source: str) -> int:
        with self.transaction():
            cur = self.conn.execute("INSERT INTO imports(source, started) VALUES (?, ?)", (source, utcnow()))
        return int(cur.lastrowid or 0)

    def finish_import(self, import_id: int, *, status: str, message: str = "", **counts: int) -> None:
        sets = ", ".join(f"{k} = ?" for k in counts)
        with self.transaction():
            self.conn.execute(
                f"UPDATE imports SET status = ?, message = ?, finished = ?{', ' + sets if sets else ''} WHERE id = ?",
                (status, message, utcnow(), *counts.values(), import_id),
            )

    def abort_import(self, import_id: int, message: str) -> int:
        """Remove every article of a failed import; returns how many were removed."""
        with self.transaction():
            cur = self.conn.execute("DELETE FROM articles WHERE import_id = ?", (import_id,))
            self.conn.execute(
                "UPDATE imports SET status = 'failed', message = ?, finished = ?, stored = 0 WHERE id = ?",
                (message, utcnow(), import_id),
            )
            if cur.rowcount:
                self._bump_version()
        return cur.rowcount

    # -- writing articles ----------------------------------------------------------------------
    def add_articles(
        self,
        articles: Iterable[Article],
        *,
        import_id: int | None = None,
        outlet_meta: dict[str, dict[str, Any]] | None = None,
    ) -> tuple[int, int]:
        """Insert one batch in one transaction. Returns (stored, duplicates skipped)."""
        collected = utcnow()
        rows = [
            (
                a.id,
                a.url,
                a.canonical,
                a.title,
                a.text,
                a.outlet,
                a.outlet_domain,
                a.published,
                collected,
                a.authors,
                a.language,
                a.chash,
                json.dumps(a.extra, ensure_ascii=False, default=str) if a.extra else "{}",
                import_id,
                a.published_precision,
            )
            for a in articles
        ]
        if not rows:
            return 0, 0
        with self.transaction():
            before = self._max_rid()
            # Batch writes index FTS in one statement below (twice as fast as the per-row trigger,
            # which stays in place for any other writer).
            self.conn.execute("INSERT INTO meta(key, value) VALUES ('bulk_fts', '1')")
            self.conn.executemany(
                "INSERT OR IGNORE INTO articles(id, url, canonical_url, title, text, outlet, outlet_domain,"
                " published, collected, authors, language, content_hash, extra, import_id, published_precision)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                rows,
            )
            stored = self._max_rid() - before
            self.conn.execute(
                "INSERT INTO articles_fts(rowid, title, text) SELECT rid, title, text FROM articles WHERE rid > ?",
                (before,),
            )
            self.conn.execute("DELETE FROM meta WHERE key = 'bulk_fts'")
            outlets: dict[str, str | None] = {}
            for r in rows:
                outlets.setdefault(r[5], r[6])
            self._ensure_outlets(outlets, outlet_meta or {})
            if stored:
                self._bump_version()
        return stored, len(rows) - stored

    def _max_rid(self) -> int:
        return int(self.conn.execute("SELECT coalesce(max(rid), 0) FROM articles").fetchone()[0])

    def _ensure_outlets(self, outlets: dict[str, str | None], meta: dict[str, dict[str, Any]]) -> None:
        now = utcnow()
        self.conn.executemany(
            "INSERT OR IGNORE INTO outlets(name, domain, updated_at) VALUES (?, ?, ?)",
            [(name, domain, now) for name, domain in outlets.items()],
        )
        for name, fields in meta.items():
            for key, value in fields.items():
                if key in OUTLET_FIELDS and value not in (None, ""):
                    # Fill only what is empty: metadata edited by the user is never overwritten.
                    self.conn.execute(
                        f"UPDATE outlets SET {key} = ?, updated_at = ?"
                        f" WHERE name = ? AND ({key} IS NULL OR {key} = '')",
                        (str(value), now, name),
                    )

    def update_outlet(self, name: str, **fields: Any) -> None:
        """Edit an outlet's metadata (domain, country, bias, bias_source, owner, ratings)."""
        unknown = set(fields) - set(OUTLET_FIELDS) - {"ratings"}
        if unknown:
            raise ValueError(f"Unknown outlet field(s): {', '.join(sorted(unknown))}")
        if "ratings" in fields and not isinstance(fields["ratings"], str):
            fields["ratings"] = json.dumps(fields["ratings"])
        with self.transaction():
            cur = self.conn.execute(
                f"UPDATE outlets SET {', '.join(f'{k} = ?' for k in fields)}, updated_at = ? WHERE name = ?",
                (*fields.values(), utcnow(), name),
            )
            if not cur.rowcount:
                raise ValueError(f"No outlet named {name!r} in the store.")
            self._bump_version()

    # -- reading -------------------------------------------------------------------------------
    def meta(self, key: str, default: str = "") -> str:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row and row[0] is not None else default

    def set_meta(self, key: str, value: str) -> None:
        """Set a meta value; call inside a transaction."""
        self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    @property
    def active_fit(self) -> int | None:
        """The id of the fit the app shows, or None before the first fit."""
        value = self.meta("active_fit")
        return int(value) if value else None

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        out = dict(row)
        out["extra"] = json.loads(out["extra"] or "{}")
        return out

    def outlets(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM outlets ORDER BY name")]

    def imports(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM imports ORDER BY id")]


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buf: list[str] = []
    for line in script.splitlines():
        if not line.strip():
            continue
        buf.append(line)
        candidate = "\n".join(buf)
        if sqlite3.complete_statement(candidate):
            statements.append(candidate.strip())
            buf = []
    if buf and "".join(buf).strip():
        statements.append("\n".join(buf).strip())
    return statements
