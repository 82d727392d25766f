"""Near-duplicate detection: syndicated wire copy that outlets republish with small edits.

MinHash (datasketch) over word 5-gram shingles of the first 400 words; signatures are stored per
article, so each run only hashes what is new, and an in-memory LSH index finds candidates whose
estimated Jaccard similarity reaches the threshold. A near-duplicate is stored but linked to the
earlier copy through `articles.duplicate_of`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from analysis.store import Database

NUM_PERM = 64
THRESHOLD = 0.5  # estimated Jaccard of shingles; rewrites of one event by two outlets score < 0.1
SHINGLE = 5
MAX_WORDS = 400
SCHEME = "affine32"  # datasketch 2 default; signatures are stored in it
MIN_WORDS = 50  # shorter texts are not compared (too few shingles to tell)
_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[bytes]:
    words = _WORD.findall(text[: MAX_WORDS * 12].lower())[:MAX_WORDS]
    return {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


def signatures(texts: Sequence[str]) -> list[np.ndarray | None]:
    """MinHash signature of each text (None when it is too short to compare)."""
    from datasketch import MinHash

    sets = [shingles(t) for t in texts]
    usable = [i for i, s in enumerate(sets) if len(s) >= MIN_WORDS - SHINGLE + 1]
    out: list[np.ndarray | None] = [None] * len(texts)
    if usable:
        for i, m in zip(usable, MinHash.bulk([sets[i] for i in usable], num_perm=NUM_PERM, scheme=SCHEME), strict=True):
            out[i] = m.hashvalues.astype(np.uint32)
    return out


class NearDuplicates:
    """The store's signatures in an LSH index; `check` finds an earlier copy, `add` indexes one."""

    def __init__(self, store: Database) -> None:
        from datasketch import MinHashLSH

        self.store = store
        self.lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
        self.sigs: dict[str, np.ndarray] = {}
        self._index_missing()
        for article_id, blob in store.collection.signatures():
            self._insert(article_id, np.frombuffer(blob, dtype=np.uint32))

    def _index_missing(self, batch: int = 2000) -> None:
        """Signatures for stored articles that have none yet (imported files, older stores)."""
        while True:
            rows = self.store.collection.unsigned_texts(batch)
            if not rows:
                return
            sigs = signatures([t for _, t in rows])
            self.save([(i, s) for (i, _), s in zip(rows, sigs, strict=True)])
            if len(rows) < batch:
                return

    def save(self, pairs: Sequence[tuple[str, np.ndarray | None]]) -> None:
        """Store signatures (an empty blob marks a text too short to compare, so it is not redone)."""
        self.store.collection.save_signatures([(i, s.tobytes() if s is not None else b"") for i, s in pairs])

    def _insert(self, article_id: str, sig: np.ndarray) -> None:
        from datasketch import MinHash

        if sig.size != NUM_PERM or article_id in self.sigs:
            return
        self.sigs[article_id] = sig
        self.lsh.insert(article_id, MinHash(num_perm=NUM_PERM, hashvalues=sig, scheme=SCHEME))

    def check(self, sig: np.ndarray | None) -> tuple[str, float] | None:
        """The most similar earlier copy and its estimated Jaccard similarity, if one reaches the threshold."""
        from datasketch import MinHash

        if sig is None:
            return None
        best: tuple[str, float] | None = None
        for other in self.lsh.query(MinHash(num_perm=NUM_PERM, hashvalues=sig, scheme=SCHEME)):
            score = float(np.mean(self.sigs[other] == sig))
            if score >= THRESHOLD and (best is None or score > best[1]):
                best = (other, score)
        return best

    def add(self, article_id: str, sig: np.ndarray | None) -> None:
        if sig is not None:
            self._insert(article_id, sig)
