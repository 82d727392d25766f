"""Re-make the demo corpus's precomputed embeddings (data/demo/embeddings-<model>.npz).

Usage: python scripts/make_demo_embeddings.py [--model all-MiniLM-L6-v2]
Loads the demo into a temporary store, embeds every article exactly as `fit` would, and writes the
vectors keyed by content hash. `python -m analysis demo` seeds the embedding cache from this file,
so the first `make run` fits topics in about a minute instead of embedding for several.
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

from analysis.config import DEMO_DIR, EMBED_MODEL  # noqa: E402
from analysis.demo import load_demo  # noqa: E402
from analysis.embeddings import Namespaced, embed_articles, embedding_text, get_embedder  # noqa: E402
from analysis.intel import headline_key  # noqa: E402
from analysis.store import Store  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=EMBED_MODEL)
    ap.add_argument("--fresh", action="store_true", help="re-embed everything instead of reusing the shipped vectors")
    args = ap.parse_args()
    stem = f"embeddings-{args.model.replace('/', '_')}"
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "demo.db")
        load_demo(store, seed_embeddings=not args.fresh)
        rows = store.conn.execute("SELECT content_hash, title, text FROM articles ORDER BY rid").fetchall()
        embedder = get_embedder(args.model)
        jobs = [
            (embedder, [r[0] for r in rows], [embedding_text(r[1], r[2]) for r in rows], stem),
            (Namespaced(embedder, "headline"), [headline_key(r[1]) for r in rows], [r[1] or "" for r in rows],
             stem + "--headline"),
        ]  # fmt: skip
        for emb, keys, texts, name in jobs:
            t = time.perf_counter()
            matrix, n = embed_articles(store, emb, keys, texts)
            seconds = time.perf_counter() - t
            out = DEMO_DIR / f"{name}.npz"
            np.savez_compressed(out, hashes=np.array(keys), vectors=matrix.astype(np.float16))
            rate = f" ({n / seconds:.1f}/s)" if n else ""
            print(f"{name}: embedded {n} of {len(keys)} in {seconds:.0f} s{rate}; "
                  f"wrote {out.name} ({out.stat().st_size / 2**20:.1f} MiB)")  # fmt: skip


if __name__ == "__main__":
    main()
