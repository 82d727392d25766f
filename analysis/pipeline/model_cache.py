"""The model-output cache: a model's outputs by (model, content hash) in the store, so no text is read by a model
twice: article vectors, tone logits, short-text vectors under their own namespace, word counts for stories, and
the demo's shipped vectors."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from analysis.enrich.embeddings import Embedder
from analysis.enrich.lexical import CACHE_NAME, counts_blob, counts_of_blobs, tfidf, word_counts
from analysis.store import Database

if TYPE_CHECKING:
    from scipy import sparse


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


def cache_counts(
    store: Database, hashes: Sequence[str], titles: Sequence[str | None], texts: Sequence[str | None]
) -> int:
    """Count and cache the words of articles not cached yet (by content hash); returns how many were counted."""
    have = store.vectors.cached(CACHE_NAME, hashes)
    todo = [i for i, h in enumerate(hashes) if h not in have]
    for start in range(0, len(todo), 4096):
        idx = todo[start : start + 4096]
        counts = word_counts([titles[i] for i in idx], [texts[i] for i in idx])
        store.vectors.put(CACHE_NAME, [(hashes[i], counts_blob(counts[k])) for k, i in enumerate(idx)])
    return len(todo)


def cached_lexical_vectors(
    store: Database, hashes: Sequence[str], texts: Callable[[list[int]], list[tuple[str, str]]]
) -> sparse.csr_matrix:
    """Unit TF-IDF vectors of the articles with these content hashes, weighed against each other, from the
    cached counts; `texts(positions)` gives (headline, text) of the few not cached yet, which are cached."""
    have = store.vectors.cached(CACHE_NAME, hashes)
    missing = [i for i, h in enumerate(hashes) if h not in have]
    if missing:
        pairs = texts(missing)
        cache_counts(store, [hashes[i] for i in missing], [p[0] for p in pairs], [p[1] for p in pairs])
        have = store.vectors.cached(CACHE_NAME, hashes)
    return tfidf(counts_of_blobs([have[h] for h in hashes]))
