"""The SQLite backend: the connection and everything SQLite-specific in one place - pragmas and WAL, the
FTS5 search syntax and its fallback, INSERT OR IGNORE/REPLACE, the bound-parameter limit - plus the
article writes and imports every backend needs. The table families (analysis.store.articles, fits,
topics, ...) reach SQL only through this class's primitives and its `dialect`."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.ingest.schema import Article
from analysis.store import query
from analysis.store.base import Conflict, StoreError, utcnow
from analysis.store.core import StoreCore, article_rows
from analysis.store.migrations import MIGRATIONS, SCHEMA_VERSION, split_sql
from analysis.store.outlets import OUTLET_FIELDS

__all__ = ["OUTLET_FIELDS", "SQLiteDialect", "Store", "StoreError", "utcnow"]


class SQLiteDialect:
    """SQLite's SQL where engines differ: FTS5 MATCH search, INSERT OR."""

    name = "sqlite"
    max_params = 900  # under SQLite's bound-parameter limit
    ordered_join = "CROSS JOIN"  # SQLite's planner keeps the written order for CROSS JOIN

    def insert(
        self, table: str, columns: Sequence[str], *, conflict: Conflict = "error", keys: Sequence[str] = ()
    ) -> str:
        verb = {"error": "INSERT", "ignore": "INSERT OR IGNORE", "replace": "INSERT OR REPLACE"}[conflict]
        return f"{verb} INTO {table}({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"

    by_row = True  # FTS5 answers with row numbers, without reading the articles
    near = True

    def match(self, node: query.Node) -> tuple[str, list[Any]]:
        return (
            "SELECT rowid, bm25(articles_fts) AS rank FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid",
            [fts5_query(node)],
        )

    def json_keys(self, column: str) -> str:
        return f"json_each({column}) j"

    def is_search_syntax_error(self, exc: BaseException) -> bool:
        text = str(exc)
        return isinstance(exc, (sqlite3.OperationalError, pd.errors.DatabaseError)) and (
            "fts5" in text or "MATCH" in text.upper() or "syntax error" in text or "unterminated" in text
        )


def fts5_query(node: query.Node) -> str:
    """The tree in SQLite FTS5's query syntax: every word a quoted string, so no text is read as an operator
    or a column name."""
    if isinstance(node, query.Word):
        return f'"{node.text}"' + ("*" if node.prefix else "")
    if isinstance(node, query.Phrase):
        return '"' + " ".join(node.words) + '"'
    if isinstance(node, query.Near):
        return "NEAR(" + " ".join(fts5_query(p) for p in node.parts) + f", {node.distance})"
    if isinstance(node, query.Either):
        return "(" + " OR ".join(fts5_query(p) for p in node.parts) + ")"
    text = "(" + " AND ".join(fts5_query(p) for p in node.parts) + ")"
    for w in node.without:
        text += f" NOT {fts5_query(w)}"
    return f"({text})" if node.without else text


class Store(StoreCore):
    """An SQLite article store. One instance per thread; cheap to open. Its table families are attributes:
    `store.articles`, `store.fits`, `store.topics`, ... (see analysis.store.base.Database)."""

    dialect = SQLiteDialect()

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False) -> None:
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

    # -- primitives the families use -------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Any) -> sqlite3.Cursor:
        return self.conn.executemany(sql, rows)

    def tuples(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """A query's rows as plain tuples (sqlite3.Row objects took 0.4 s more for 430,000 search matches)."""
        cur = self.conn.cursor()
        cur.row_factory = None
        return cur.execute(sql, params).fetchall()

    def frame(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        """A query's rows as a DataFrame."""
        return pd.read_sql_query(sql, self.conn, params=list(params))

    def checkpoint(self) -> None:
        """Move the write-ahead log into the main file, so that the file alone can be copied."""
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def after_bulk_copy(self) -> None:
        """Nothing to do: the FTS triggers indexed the copied articles as they came in."""

    @property
    def local_dir(self) -> Path | None:
        """The folder of the store's own files (saved topic models, the app's frame cache): the store's folder."""
        return None if self.path == ":memory:" else Path(self.path).resolve().parent

    @property
    def local_name(self) -> str:
        return Path(self.path).stem

    def columns(self, table: str) -> list[str]:
        """A table's column names, in order (none when there is no such table)."""
        return [r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")]

    def column_types(self, table: str) -> list[tuple[str, str, bool]]:
        """A table's (name, declared type, not null) columns, in order."""
        return [(str(r[1]), str(r[2]).upper(), bool(r[3])) for r in self.conn.execute(f"PRAGMA table_info({table})")]

    def tables(self) -> list[str]:
        """The store's own tables, by name (not the search index's)."""
        rows = self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name NOT LIKE 'articles_fts%' ORDER BY name"
        )
        return [r[0] for r in rows]

    # -- lifecycle -----------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

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
                for statement in split_sql(MIGRATIONS[version]):
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

    # -- writing articles ----------------------------------------------------------------------
    def add_articles(
        self,
        articles: Iterable[Article],
        *,
        import_id: int | None = None,
        outlet_meta: dict[str, dict[str, Any]] | None = None,
        defer_search: bool = False,
    ) -> tuple[int, int]:
        """Insert one batch in one transaction. Returns (stored, duplicates skipped). The batch is indexed
        for search in the same transaction, unless defer_search (a big import: its rows first, their index
        after, by index_search) or an earlier deferred batch still waits for its index."""
        rows = article_rows(articles, import_id)
        if not rows:
            return 0, 0
        with self.transaction():
            before = self._max_rid()
            trailing = self.meta("fts_upto") != ""
            if defer_search and not trailing:
                self.set_meta("fts_upto", str(before))
                trailing = True
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
            if not trailing:
                self.conn.execute(
                    "INSERT INTO articles_fts(rowid, title, text) SELECT rid, title, text FROM articles WHERE rid > ?",
                    (before,),
                )
            self.conn.execute("DELETE FROM meta WHERE key = 'bulk_fts'")
            outlets: dict[str, str | None] = {}
            for r in rows:
                outlets.setdefault(r[5], r[6])
            self.ensure_outlets(outlets, outlet_meta or {})
            if stored:
                self.bump_version()
        return stored, len(rows) - stored

    def search_pending(self) -> int:
        """Articles stored but not yet indexed for search (rows of a big import whose index trails them)."""
        upto = self.meta("fts_upto")
        if not upto:
            return 0
        return int(self.conn.execute("SELECT count(*) FROM articles WHERE rid > ?", (int(upto),)).fetchone()[0])

    def index_search(self, progress: Any = None, batch: int = 5000, stop: Any = None) -> int:
        """Index for search the articles whose index trails them, `batch` rows per transaction (so an
        interrupted catch-up keeps what it did and the next one goes on), until none is left or the `stop`
        event is set. Returns the articles indexed."""
        total, done = self.search_pending(), 0
        while stop is None or not stop.is_set():
            with self.transaction():
                upto = self.meta("fts_upto")
                if not upto:
                    break
                hi = self.conn.execute(
                    "SELECT max(rid) FROM (SELECT rid FROM articles WHERE rid > ? ORDER BY rid LIMIT ?)",
                    (int(upto), batch),
                ).fetchone()[0]
                if hi is None:
                    self.delete_meta("fts_upto")
                    self.bump_version()
                    break
                n = self.conn.execute(
                    "INSERT INTO articles_fts(rowid, title, text) SELECT rid, title, text FROM articles"
                    " WHERE rid > ? AND rid <= ?",
                    (int(upto), hi),
                ).rowcount
                self.set_meta("fts_upto", str(hi))
            done += max(n, 0)
            if progress:
                progress("search index", done, max(total, done))
        return done

    def _max_rid(self) -> int:
        return int(self.conn.execute("SELECT coalesce(max(rid), 0) FROM articles").fetchone()[0])
