"""The embedding cache: float16 vector blobs keyed by (model, content hash), so no text is embedded twice."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from analysis.store.base import Family


class Vectors(Family):
    """The embedding cache: float16 vector blobs keyed by (model, content hash), so no text is embedded twice."""

    def cached(self, model: str, hashes: Sequence[str]) -> dict[str, bytes]:
        """The cached vector blobs for these content hashes (those cached)."""
        found: dict[str, bytes] = {}
        hashes = list(dict.fromkeys(hashes))
        step = self.db.dialect.max_params
        for i in range(0, len(hashes), step):
            part = hashes[i : i + step]
            rows = self.db.execute(
                "SELECT content_hash, vector FROM embeddings WHERE model = ?"
                f" AND content_hash IN ({','.join('?' * len(part))})",
                (model, *part),
            )
            found.update({h: v for h, v in rows})
        return found

    def count(self, model: str) -> int:
        """How many outputs of the model are cached."""
        return int(self.db.execute("SELECT count(*) FROM embeddings WHERE model = ?", (model,)).fetchone()[0])

    def put(self, model: str, rows: Sequence[tuple[str, bytes]], *, replace: bool = True) -> int:
        """Cache (content hash, blob) rows; with replace False, keep vectors already cached. Returns how many
        vectors the cache gained."""
        conflict = "replace" if replace else "ignore"
        sql = self.db.dialect.insert(
            "embeddings", ("model", "content_hash", "vector"), conflict=conflict, keys=("model", "content_hash")
        )
        with self.db.transaction():
            before = self.db.execute("SELECT count(*) FROM embeddings WHERE model = ?", (model,)).fetchone()[0]
            self.db.executemany(sql, [(model, h, b) for h, b in rows])
            after = self.db.execute("SELECT count(*) FROM embeddings WHERE model = ?", (model,)).fetchone()[0]
        return int(after - before)

    def index_for_search(self, model: str, progress: Any = None) -> int | None:
        """Bring the store's nearest-neighbour index of `model`'s vectors up to date (PostgreSQL with
        pgvector: an HNSW index); returns the vectors newly indexed, None when the store has no such index."""
        return self.db.index_vectors(model, progress)
