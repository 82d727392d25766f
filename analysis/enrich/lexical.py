"""What an article's wording says about its event: TF-IDF vectors of the headline and the first 200
words of the body, for telling one event from another of the same kind (stories across outlets).

Each article's word counts are kept in the store's model-output cache under their own name, keyed by
the article's content hash like its embedding, so a regrouping of stories (every `fit --update`) reads
no text: the counts are hashed (2**20 columns, the collisions that brings are negligible at these
lengths) and weighed against the articles being grouped when they are grouped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # scipy and scikit-learn are imported where they are used: the pages import this module
    from scipy import sparse

LEAD_WORDS = 200  # words of the body after the headline
CACHE_NAME = "lexical:hashed-2^20-lead200-v1"
FEATURES = 2**20
MAX_SHARE = 0.5  # words in more than this share of the articles carry no event (from 20 articles on)


def lead_words(text: str | None, words: int = LEAD_WORDS) -> str:
    """The first `words` words of a text."""
    return " ".join(str(text or "").split()[:words])


def word_counts(titles: Sequence[str | None], texts: Sequence[str | None]) -> sparse.csr_matrix:
    """Hashed counts of the words (English stop words left out) of each headline and body lead."""
    from sklearn.feature_extraction.text import HashingVectorizer

    vec = HashingVectorizer(n_features=FEATURES, alternate_sign=False, norm=None, stop_words="english")
    docs = [f"{t or ''}. {lead_words(x)}" for t, x in zip(titles, texts, strict=True)]
    return vec.transform(docs).tocsr()


def tfidf(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """Unit TF-IDF rows from counts: sublinear term frequency, smoothed IDF over these rows, words in more
    than half of them dropped (when there are 20 or more); columns are the words in use, renumbered."""
    from scipy import sparse
    from sklearn.preprocessing import normalize

    n = counts.shape[0]
    x = counts.astype(np.float32).tocsr(copy=True)
    x.data = 1 + np.log(x.data)
    df = np.bincount(x.indices, minlength=x.shape[1])
    idf = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)
    if n >= 20:
        idf[df > MAX_SHARE * n] = 0
    x = x @ sparse.diags(idf)
    x.eliminate_zeros()
    x = x[:, np.unique(x.indices)]  # only the words in use: a narrow matrix multiplies (and transposes) fast
    return normalize(x, norm="l2", axis=1).tocsr()


def lexical_vectors(titles: Sequence[str | None], texts: Sequence[str | None]) -> sparse.csr_matrix:
    """Unit TF-IDF vectors of articles given as texts, weighed against each other."""
    return tfidf(word_counts(titles, texts))


def counts_blob(row: sparse.csr_matrix) -> bytes:
    return row.indices.astype(np.uint32).tobytes() + np.minimum(row.data, 65535).astype(np.uint16).tobytes()


def counts_of_blobs(blobs: Sequence[bytes]) -> sparse.csr_matrix:
    from scipy import sparse

    lengths = np.array([len(b) // 6 for b in blobs], dtype=np.int64)
    indptr = np.r_[0, np.cumsum(lengths)]
    indices = np.empty(indptr[-1], dtype=np.int32)
    data = np.empty(indptr[-1], dtype=np.float32)
    for k, b in enumerate(blobs):
        m = lengths[k]
        indices[indptr[k] : indptr[k + 1]] = np.frombuffer(b, dtype=np.uint32, count=m)
        data[indptr[k] : indptr[k + 1]] = np.frombuffer(b, dtype=np.uint16, count=m, offset=4 * m)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(blobs), FEATURES))
