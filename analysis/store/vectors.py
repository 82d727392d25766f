"""The embedding cache: float16 vector blobs keyed by (model, content hash), so no text is embedded twice."""

from __future__ import annotations

from collections.abc import Sequence

from analysis.store.sqlite import Store


def cached(store: Store, model: str, hashes: Sequence[str]) -> dict[str, bytes]:
    """The cached vector blobs for these content hashes (those cached)."""
    found: dict[str, bytes] = {}
    hashes = list(dict.fromkeys(hashes))
    for i in range(0, len(hashes), 900):  # SQLite's bound-parameter limit
        part = hashes[i : i + 900]
        rows = store.conn.execute(
            "SELECT content_hash, vector FROM embeddings WHERE model = ?"
            f" AND content_hash IN ({','.join('?' * len(part))})",
            (model, *part),
        )
        found.update({h: v for h, v in rows})
    return found


def put(store: Store, model: str, rows: Sequence[tuple[str, bytes]], *, replace: bool = True) -> int:
    """Cache (content hash, blob) rows; with replace False, keep vectors already cached. Returns how many
    vectors the cache gained."""
    verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
    with store.transaction():
        before = store.conn.execute("SELECT count(*) FROM embeddings WHERE model = ?", (model,)).fetchone()[0]
        store.conn.executemany(
            f"{verb} INTO embeddings(model, content_hash, vector) VALUES (?, ?, ?)", [(model, h, b) for h, b in rows]
        )
        after = store.conn.execute("SELECT count(*) FROM embeddings WHERE model = ?", (model,)).fetchone()[0]
    return int(after - before)
