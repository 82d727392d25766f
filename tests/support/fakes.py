"""A fast deterministic stand-in for the embedding model, for tests where the model is not the subject."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence

import numpy as np

_WORD = re.compile(r"[a-z]{3,}")


class HashingEmbedder:
    """Bag of hashed words (plus a little noise-free structure): texts sharing words get similar vectors."""

    def __init__(self, dim: int = 384, name: str = "fake-hashing-384") -> None:
        self.dim = dim
        self.name = name
        self.calls = 0
        self.texts_embedded = 0

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        self.calls += 1
        self.texts_embedded += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in _WORD.findall(t.lower()):
                h = int(hashlib.md5(w.encode()).hexdigest()[:8], 16)
                out[i, h % self.dim] += 1.0 if (h >> 8) % 2 else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        out = out / np.where(norms == 0, 1, norms)
        if progress:
            progress(len(texts))
        return out


class StuckEmbedder(HashingEmbedder):
    """An embedder that never finishes: it touches a file named after its process in $STUCK_EMBEDDER_DIR (so a
    test knows the work is under way there), then waits for ever. For tests that kill a run in the middle."""

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        import os
        import threading
        from pathlib import Path

        (Path(os.environ["STUCK_EMBEDDER_DIR"]) / str(os.getpid())).touch()
        threading.Event().wait()
        raise AssertionError("unreachable")
