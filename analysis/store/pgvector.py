"""Nearest-neighbour search of article vectors on PostgreSQL with pgvector: a `halfvec` copy of each cached
vector (column `hv` of the embedding cache) and, per embedding model, a partial HNSW index on it by cosine
distance. "Similar news" uses it where the server has the extension; without it the exact search over the
article's own time window serves, and `NO_PGVECTOR` says so."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

NO_PGVECTOR = (
    "This PostgreSQL server has no pgvector extension, so similar news is found by exact search over each "
    "article's four-week window (slower on very large stores); the server's administrator can add it with "
    "CREATE EXTENSION vector."
)
EF_SEARCH = 200  # candidates the HNSW walk keeps; more than the nearest asked for, for recall
_STATE: dict[str, bool] = {}  # store URL -> pgvector usable, decided once per process
_LOCK = threading.Lock()


def usable(db: Any) -> bool:
    """Whether pgvector serves this store: installed in its database, or installable now by this user (then
    installed). Decided once per process and store; a refusal leaves the connection as it was."""
    with _LOCK:
        if db.path in _STATE:
            return _STATE[db.path]
        ok = False
        conn = db.conn
        if conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'").fetchone():
            ok = True
        elif conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'").fetchone():
            try:
                with conn.transaction():
                    conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
                ok = True
            except Exception:  # not allowed for this user: exact search serves
                ok = False
        has_column = conn.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
            " AND table_name = 'embeddings' AND column_name = 'hv'"
        ).fetchone()
        if ok and not has_column:  # checked first: ALTER TABLE would wait for any writer of the table
            with conn.transaction():
                conn.execute("ALTER TABLE embeddings ADD COLUMN IF NOT EXISTS hv halfvec")
        _STATE[db.path] = ok
        return ok


def _literal(blob: bytes) -> str:
    v = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
    return "[" + ",".join(f"{x:.5g}" for x in v) + "]"


def _index_name(model: str) -> str:
    return "embeddings_hnsw_" + hashlib.sha1(model.encode()).hexdigest()[:12]


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def dimension(db: Any, model: str) -> int | None:
    row = db.conn.execute("SELECT length(vector) FROM embeddings WHERE model = %s LIMIT 1", [model]).fetchone()
    return int(row[0]) // 2 if row else None


def has_index(db: Any, model: str) -> bool:
    return bool(db.conn.execute("SELECT to_regclass(%s) IS NOT NULL", [_index_name(model)]).fetchone()[0])


def build(db: Any, model: str, progress: Callable[[str, int, int], None] | None = None) -> int:
    """Give every cached vector of `model` its halfvec copy (those without one), then make the model's HNSW
    index if it has none. Returns how many vectors were copied. Heavy only the first time (a migrated or
    newly indexed store); afterwards only new vectors are copied and the index takes them as they come."""
    dim = dimension(db, model)
    if dim is None:
        return 0
    conn = db.conn
    missing = conn.execute("SELECT count(*) FROM embeddings WHERE model = %s AND hv IS NULL", [model]).fetchone()[0]
    done = 0
    while True:
        rows = conn.execute(
            "SELECT content_hash, vector FROM embeddings WHERE model = %s AND hv IS NULL LIMIT 5000", [model]
        ).fetchall()
        if not rows:
            break
        with conn.transaction():
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS hv_incoming (h TEXT, v TEXT) ON COMMIT DELETE ROWS")
            with conn.cursor().copy("COPY hv_incoming (h, v) FROM STDIN") as copy:
                for h, blob in rows:
                    copy.write_row((h, _literal(bytes(blob))))
            conn.execute(
                "UPDATE embeddings e SET hv = i.v::halfvec FROM hv_incoming i"
                " WHERE e.model = %s AND e.content_hash = i.h",
                [model],
            )
        done += len(rows)
        if progress:
            progress("similar-news index", done, missing)
    if not has_index(db, model):
        with conn.transaction():
            conn.execute("SET LOCAL maintenance_work_mem = '1GB'")
            conn.execute(
                f"CREATE INDEX IF NOT EXISTS {_index_name(model)} ON embeddings USING hnsw"
                f" ((hv::halfvec({dim})) halfvec_cosine_ops) WHERE model = {_quote(model)}"
            )
        if progress:
            progress("similar-news index", missing, missing)
    if done:
        conn.execute("ANALYZE embeddings")  # the planner's row counts, so that it takes the index
    return done


def nearest(db: Any, model: str, blob: bytes, n: int) -> list[str]:
    """Content hashes of the n cached vectors nearest to this one by cosine distance, nearest first (by the
    HNSW index: approximate, as good as EF_SEARCH candidates allow)."""
    dim = len(blob) // 2
    with db.conn.transaction():
        db.conn.execute(f"SET LOCAL hnsw.ef_search = {max(EF_SEARCH, n)}")
        rows = db.conn.execute(
            f"SELECT content_hash FROM embeddings WHERE model = {_quote(model)}"
            f" ORDER BY hv::halfvec({dim}) <=> %s::halfvec({dim}) LIMIT {int(n)}",
            [_literal(blob)],
        ).fetchall()
    return [r[0] for r in rows]
