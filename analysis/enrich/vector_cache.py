"""The model-output cache: vectors by (model, content hash) in the store, so no text is embedded twice;
article vectors, short-text vectors under their own namespace, and the demo's shipped vectors."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from analysis.enrich.embeddings import Embedder
from analysis.store import Database


def _to_blob(v: np.ndarray) -> bytes:
    return v.astype(np.float16).tobytes()


def _from_blobs(blobs: Sequence[bytes], dim: int) -> np.ndarray:
    return np.frombuffer(b"".join(blobs), dtype=np.float16).reshape(len(blobs), dim).astype(np.float32)


def cached_vectors(store: Database, model: str, hashes: Sequence[str]) -> dict[str, bytes]:
    """The cached vectors (raw blobs) for these content hashes."""
    return store.vectors.cached(model, hashes)


def put_vectors(store: Database, model: str, hashes: Sequence[str], matrix: np.ndarray) -> None:
    store.vectors.put(model, [(h, _to_blob(v)) for h, v in zip(hashes, matrix, strict=True)])


def cached_outputs(
    store: Database,
    name: str,
    dim: int,
    keys: Sequence[str],
    texts: Sequence[str] | Callable[[list[int]], list[str]],
    compute: Callable[[list[str]], np.ndarray],
) -> tuple[np.ndarray, int]:
    """A model's outputs for texts, cached in the store under (name, key): only cache misses are
    computed, in batches of 2,048, each stored as it is done. texts may be a function giving the texts
    at some positions, so texts are read only for misses. Returns (float32 matrix, n computed)."""
    cache = cached_vectors(store, name, keys)
    missing = [i for i, h in enumerate(keys) if h not in cache]
    for start in range(0, len(missing), 2048):
        idx = missing[start : start + 2048]
        out = compute(texts(idx) if callable(texts) else [texts[i] for i in idx])
        put_vectors(store, name, [keys[i] for i in idx], out)
        cache.update({keys[i]: _to_blob(v) for i, v in zip(idx, out, strict=True)})
    matrix = _from_blobs([cache[h] for h in keys], dim) if len(keys) else np.zeros((0, dim), dtype=np.float32)
    return matrix, len(missing)


def embed_articles(
    store: Database,
    embedder: Embedder,
    hashes: Sequence[str],
    texts: Sequence[str] | Callable[[list[int]], list[str]],
    progress: Callable[[int], None] | None = None,
) -> tuple[np.ndarray, int]:
    """Vectors for articles (by content hash), embedding only cache misses. Returns (matrix, n_embedded).

    Vectors are stored as float16 (half the space; cosine similarities change by < 1e-3).
    """
    matrix, n = cached_outputs(
        store, embedder.name, embedder.dim, hashes, texts, lambda batch: embedder.encode(batch, progress=progress)
    )
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix = matrix / np.where(norms == 0, 1, norms)
    return matrix.astype(np.float32), n


class Namespaced:
    """The same model under its own cache namespace (headlines, topic keywords): `name` is the
    model's name plus ":<namespace>", so these vectors never mix with article vectors."""

    def __init__(self, inner: Embedder, namespace: str) -> None:
        self.inner = inner
        self.name = f"{inner.name}:{namespace}"
        self.dim = inner.dim

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        return self.inner.encode(texts, progress)


def text_vectors(store: Database, embedder: Embedder, namespace: str) -> Callable[[list[str]], np.ndarray]:
    """A function giving cached vectors of short texts (e.g. keywords), embedding only new ones."""
    import hashlib

    spaced = Namespaced(embedder, namespace)

    def vectors(texts: list[str]) -> np.ndarray:
        keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
        return embed_articles(store, spaced, keys, texts)[0]

    return vectors


def export_cache(store: Database, model: str, hashes: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Cached vectors for given hashes as (hashes, float16 matrix), for shipping with a corpus."""
    cache = cached_vectors(store, model, hashes)
    keep = [h for h in hashes if h in cache]
    mat = np.frombuffer(b"".join(cache[h] for h in keep), dtype=np.float16).reshape(len(keep), -1)
    return keep, mat


def import_cache(store: Database, model: str, hashes: Sequence[str], matrix: np.ndarray) -> int:
    """Seed the cache with precomputed vectors (e.g. the demo corpus's); returns how many were added."""
    rows = [(h, np.asarray(v, dtype=np.float16).tobytes()) for h, v in zip(hashes, matrix, strict=True)]
    return store.vectors.put(model, rows, replace=False)
