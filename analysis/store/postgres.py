"""The PostgreSQL backend, for a team sharing one corpus: psycopg 3 connections from a pool per server,
everything PostgreSQL-specific in one place - `?` placeholders turned into psycopg's, INSERT ... ON
CONFLICT, full-text search by a weighted tsvector (title above body) with `ts_rank_cd`, the schema counter in
`meta`, bulk article writes by COPY - and the same table families as SQLite (analysis.store.core).

Search reads the same syntax as on SQLite (analysis.store.query): each word of the query tree is a bound
parameter of plainto_tsquery / phraseto_tsquery / to_tsquery with English stemming, so no text can break the
query; NEAR(a b, n) is searched as all its words.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.ingest.schema import Article
from analysis.store import pgvector, query
from analysis.store.base import Conflict, StoreError
from analysis.store.core import ARTICLE_COLUMNS, StoreCore, article_rows
from analysis.store.migrations import SCHEMA_VERSION
from analysis.store.pg_schema import pg_migration

_POOLS: dict[str, Any] = {}
_POOLS_LOCK = threading.Lock()
_MIGRATION_LOCK = 0x6E657773  # "news": the advisory lock two processes migrating one store share


class PostgresDialect:
    """PostgreSQL's SQL where engines differ: ON CONFLICT, tsvector search."""

    name = "postgresql"
    max_params = 10000
    ordered_join = "JOIN"

    def insert(
        self, table: str, columns: Sequence[str], *, conflict: Conflict = "error", keys: Sequence[str] = ()
    ) -> str:
        sql = f"INSERT INTO {table}({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        if conflict == "ignore":
            return sql + (f" ON CONFLICT ({', '.join(keys)}) DO NOTHING" if keys else " ON CONFLICT DO NOTHING")
        if conflict == "replace":
            rest = [c for c in columns if c not in keys]
            sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in rest)
            return sql + f" ON CONFLICT ({', '.join(keys)}) " + (f"DO UPDATE SET {sets}" if sets else "DO NOTHING")
        return sql

    by_row = False  # the tsvector is a column of articles: matches come back as article ids
    near = False

    def match(self, node: query.Node) -> tuple[str, list[Any]]:
        expr, params = tsquery(node)
        return (
            f"SELECT a.id, -ts_rank_cd(a.search, x.q) AS rank FROM articles a, (SELECT {expr} AS q) x"
            " WHERE a.search @@ x.q",
            params,
        )

    def json_keys(self, column: str) -> str:
        return f"json_object_keys({column}::json) WITH ORDINALITY AS j(key, id)"

    def is_search_syntax_error(self, exc: BaseException) -> bool:
        return False  # every word is a bound parameter read by to_tsquery's own parser


def tsquery(node: query.Node) -> tuple[str, list[str]]:
    """The tree as a PostgreSQL tsquery expression and its parameters (every word a bound parameter, read by
    PostgreSQL's own parser with the English configuration the index uses)."""
    if isinstance(node, query.Word):
        if node.prefix:
            return "to_tsquery('english', ?)", [node.text + ":*"]
        return "plainto_tsquery('english', ?)", [node.text]
    if isinstance(node, query.Phrase):
        return "phraseto_tsquery('english', ?)", [node.raw]
    if isinstance(node, query.Near):
        return tsquery(query.All(tuple(node.parts)))
    glue = " || " if isinstance(node, query.Either) else " && "
    pieces = [tsquery(p) for p in node.parts]
    sql = "(" + glue.join(s for s, _ in pieces) + ")"
    params = [v for _, ps in pieces for v in ps]
    if isinstance(node, query.All):
        for w in node.without:
            s, ps = tsquery(w)
            sql = f"({sql} && !!{s})"
            params += ps
    return sql, params


@lru_cache(maxsize=4096)
def to_psycopg(sql: str) -> str:
    """A query with `?` placeholders in psycopg's form (%s; a literal % doubled), quotes left alone."""
    out: list[str] = []
    quote: str | None = None
    for ch in sql:
        if quote:
            out.append("%%" if ch == "%" else ch)
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    return "".join(out)


class Row(tuple):
    """A result row read by position or by column name, like sqlite3.Row."""

    _names: tuple[str, ...] = ()

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names.index(key))
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor: Any) -> Any:
    names = tuple(d.name for d in cursor.description or ())
    kind = type("Row", (Row,), {"_names": names})
    return lambda values: kind(values)


def _configure(conn: Any) -> None:
    """numpy numbers as numbers; rows readable by name."""
    from psycopg.types.numeric import FloatDumper, IntDumper

    ints: tuple[type, ...] = (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64)
    for t in ints:
        conn.adapters.register_dumper(t, IntDumper)
    floats: tuple[type, ...] = (np.float16, np.float32, np.float64)
    for t in floats:
        conn.adapters.register_dumper(t, FloatDumper)
    conn.row_factory = _row_factory
    conn.autocommit = True


def _pool(url: str) -> Any:
    from psycopg_pool import ConnectionPool

    with _POOLS_LOCK:
        pool = _POOLS.get(url)
        if pool is None:
            pool = ConnectionPool(
                url, min_size=0, max_size=8, configure=_configure, open=False, kwargs={"connect_timeout": 10}
            )
            pool.open(wait=False)
            _POOLS[url] = pool
        return pool


def close_pool(url: str) -> None:
    """Close this process's connections to a store (before it is dropped, or at exit)."""
    with _POOLS_LOCK:
        pool = _POOLS.pop(url, None)
    if pool is not None:
        pool.close()


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "password authentication failed" in text or "authentication failed" in text:
        return "the user name or password was refused"
    if "does not exist" in text and "database" in text:
        return "that database does not exist on the server"
    if "Connection refused" in text or "could not connect" in text or "timeout" in text.lower():
        return "no PostgreSQL server answered there"
    return text


def redact(url: str) -> str:
    """A connection URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


class PgStore(StoreCore):
    """A PostgreSQL article store (NEWS_DB=postgresql://user@host/db). One instance per thread; it holds one
    pooled connection until closed. Its table families are attributes, as on SQLite."""

    dialect = PostgresDialect()

    def __init__(self, url: str, *, readonly: bool = False) -> None:
        import psycopg

        self.path = url
        if url not in _POOLS:  # first use in this process: a direct try says why a server cannot be used
            try:
                psycopg.connect(url, connect_timeout=10).close()
            except psycopg.Error as exc:
                raise StoreError(f"Cannot open the PostgreSQL store {redact(url)}: {_reason(exc)}.") from exc
        self._pool = _pool(url)
        try:
            self.conn = self._pool.getconn(timeout=15)
        except Exception as exc:  # psycopg_pool.PoolTimeout carries the connection error's text
            raise StoreError(f"Cannot open the PostgreSQL store {redact(url)}: {_reason(exc)}.") from exc
        try:
            if not readonly:
                self.migrate()
            elif self.schema_version == 0:
                raise StoreError(f"No store at {redact(url)}; load data first (python -m analysis demo).")
        except psycopg.Error as exc:
            self.close()
            raise StoreError(f"{redact(url)} is not a usable news store ({_reason(exc)}).") from exc

    # -- primitives the families use -------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        if params:
            return self.conn.execute(to_psycopg(sql), list(params))
        return self.conn.execute(sql)

    def executemany(self, sql: str, rows: Any) -> Any:
        cur = self.conn.cursor()
        cur.executemany(to_psycopg(sql), [list(r) for r in rows])
        return cur

    def tuples(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """A query's rows as plain tuples."""
        return [tuple(r) for r in self.execute(sql, params).fetchall()]

    def frame(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        """A query's rows as a DataFrame."""
        cur = self.execute(sql, params)
        names = [d.name for d in cur.description or ()]
        return pd.DataFrame([tuple(r) for r in cur.fetchall()], columns=names)

    def checkpoint(self) -> None:
        """Nothing to do: the server keeps its own files consistent."""

    @property
    def local_dir(self) -> Path:
        """This machine's folder for the store's files (saved topic models, the app's frame cache)."""
        from analysis.config import PROJECT_DIR

        return PROJECT_DIR / "data" / "cache" / f"pg-{hashlib.sha1(redact(self.path).encode()).hexdigest()[:12]}"

    @property
    def local_name(self) -> str:
        return "pg"

    def tables(self) -> list[str]:
        """The store's own tables, by name."""
        rows = self.conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            " AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
        return [r[0] for r in rows]

    def columns(self, table: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
            " AND table_name = %s ORDER BY ordinal_position",
            [table],
        ).fetchall()
        return [r[0] for r in rows]

    def column_types(self, table: str) -> list[tuple[str, str, bool]]:
        """A table's (name, type as SQLite names it, not null) columns, in order."""
        kinds = {"text": "TEXT", "double precision": "REAL", "real": "REAL", "bigint": "INTEGER", "bytea": "BLOB"}
        rows = self.conn.execute(
            "SELECT column_name, data_type, is_nullable FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position",
            [table],
        ).fetchall()
        return [
            (str(n), kinds.get(str(t), "INTEGER" if str(t) == "integer" else "TEXT"), n_ == "NO") for n, t, n_ in rows
        ]

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """One write transaction (a savepoint inside another); rolls back on any exception."""
        with self.conn.transaction():
            yield self.conn

    def close(self) -> None:
        conn, self.conn = getattr(self, "conn", None), None
        if conn is not None:
            self._pool.putconn(conn)

    def after_bulk_copy(self) -> None:
        """After rows were copied in with their ids: identity counters continue after the highest id."""
        for table, col in (
            ("imports", "id"),
            ("articles", "rid"),
            ("fits", "id"),
            ("topic_lineage", "id"),
            ("collect_runs", "id"),
            ("stories", "story_id"),
            ("entities", "entity_id"),
        ):
            self.conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{col}'), coalesce(max({col}), 0) + 1, false)"
                f" FROM {table}"
            )

    # -- nearest neighbours by pgvector --------------------------------------------------------
    def nearest_hashes(self, model: str, blob: bytes, n: int) -> list[str] | None:
        if not pgvector.usable(self) or not pgvector.has_index(self, model):
            return None
        return pgvector.nearest(self, model, blob, n)

    def index_vectors(self, model: str, progress: Any = None) -> int | None:
        if not pgvector.usable(self):
            return None
        return pgvector.build(self, model, progress)

    @property
    def vector_search_note(self) -> str | None:
        return None if pgvector.usable(self) else pgvector.NO_PGVECTOR

    # -- schema ---------------------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        exists = self.conn.execute("SELECT to_regclass('meta') IS NOT NULL").fetchone()[0]
        if not exists:
            return 0
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def migrate(self) -> None:
        """Apply every migration newer than the store's schema version, each in one transaction, under an
        advisory lock so that processes opening a new store at once never run a step twice."""
        if self.schema_version == SCHEMA_VERSION:
            return
        with self.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", [_MIGRATION_LOCK])
            current = self.schema_version
            if current > SCHEMA_VERSION:
                raise StoreError(
                    f"{redact(self.path)} has schema version {current}, newer than this program's "
                    f"{SCHEMA_VERSION}; update the program."
                )
            for version in range(current, SCHEMA_VERSION):
                for statement in pg_migration(version):
                    self.conn.execute(statement)
                self.conn.execute(
                    "INSERT INTO meta(key, value) VALUES ('schema_version', %s)"
                    " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                    [str(version + 1)],
                )

    # -- writing articles ----------------------------------------------------------------------
    def add_articles(
        self,
        articles: Iterable[Article],
        *,
        import_id: int | None = None,
        outlet_meta: dict[str, dict[str, Any]] | None = None,
        defer_search: bool = False,
    ) -> tuple[int, int]:
        """Insert one batch in one transaction (COPY into a scratch table, then one INSERT that skips any
        article already stored by id, URL or content). Returns (stored, duplicates skipped). Search is
        never deferred here: the search vector is a generated column, written with the row."""
        rows = article_rows(articles, import_id)
        if not rows:
            return 0, 0
        cols = ", ".join(ARTICLE_COLUMNS)
        with self.transaction():
            types = {"import_id": "BIGINT"}
            self.conn.execute(
                "CREATE TEMP TABLE IF NOT EXISTS incoming ("
                + ", ".join(f"{c} {types.get(c, 'TEXT')}" for c in ARTICLE_COLUMNS)
                + ") ON COMMIT DELETE ROWS"
            )
            with self.conn.cursor().copy(f"COPY incoming ({cols}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(r)
            stored = len(
                self.conn.execute(
                    f"INSERT INTO articles ({cols}) SELECT DISTINCT ON (id) {cols} FROM incoming"
                    " ON CONFLICT DO NOTHING RETURNING rid"
                ).fetchall()
            )
            outlets: dict[str, str | None] = {}
            for r in rows:
                outlets.setdefault(r[5], r[6])
            self.ensure_outlets(outlets, outlet_meta or {})
            if stored:
                self.bump_version()
        return stored, len(rows) - stored
