"""Re-make the demo corpus's precomputed model outputs (data/demo/embeddings-<name>.npz).

Usage: python scripts/make_demo_embeddings.py [--model all-MiniLM-L6-v2] [--fresh]
Loads the demo into a temporary store, embeds every article and reads the tone of every headline
and body lead exactly as `fit` would, and writes the vectors (article embeddings) and logits (tone)
keyed as the cache keys them. `python -m analysis demo` seeds the store's cache from these files, so
the first `make run` fits in about two minutes instead of running the models for several more.
Run it again after retraining the tone classifier (its file name carries the weights' hash).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.config import DEMO_DIR, settings  # noqa: E402
from analysis.enrich.embeddings import embedding_text, get_embedder  # noqa: E402
from analysis.enrich.tone import ToneClassifier, body_key, body_lead, headline_key  # noqa: E402
from analysis.pipeline.demo import load_demo  # noqa: E402
from analysis.pipeline.model_cache import cached_outputs, embed_articles  # noqa: E402
from analysis.store import Store  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=settings().embed_model)
    ap.add_argument("--fresh", action="store_true", help="re-embed everything instead of reusing the shipped vectors")
    args = ap.parse_args()
    stem = f"embeddings-{args.model.replace('/', '_')}"
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "demo.db")
        load_demo(store, seed_embeddings=not args.fresh)
        rows = store.execute("SELECT content_hash, title, text FROM articles ORDER BY rid").fetchall()
        embedder = get_embedder(args.model)
        t = time.perf_counter()
        keys = [r[0] for r in rows]
        matrix, n = embed_articles(store, embedder, keys, [embedding_text(r[1], r[2]) for r in rows])
        write(stem, keys, matrix, n, time.perf_counter() - t)
        tone = ToneClassifier()
        t = time.perf_counter()
        keys = [headline_key(r[1]) for r in rows] + [body_key(r[0]) for r in rows]
        texts = [r[1] or "" for r in rows] + [body_lead(r[2], r[1]) for r in rows]
        logits, n = cached_outputs(store, tone.name, 3, keys, texts, tone.logits)
        write(f"embeddings-{tone.name}", keys, logits, n, time.perf_counter() - t)
        for old in DEMO_DIR.glob("embeddings-tone-*.npz"):
            if old.stem != f"embeddings-{tone.name}":
                old.unlink()
                print(f"removed {old.name} (an earlier tone classifier's)")


def write(name: str, keys: list[str], matrix: np.ndarray, n: int, seconds: float) -> None:
    out = DEMO_DIR / f"{name}.npz"
    np.savez_compressed(out, hashes=np.array(keys), vectors=matrix.astype(np.float16))
    rate = f" ({n / seconds:.1f}/s)" if n else ""
    print(
        f"{name}: computed {n} of {len(keys)} in {seconds:.0f} s{rate}; "
        f"wrote {out.name} ({out.stat().st_size / 2**20:.1f} MiB)"
    )


if __name__ == "__main__":
    main()
