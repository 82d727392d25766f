"""Embedding speed of the default model in texts/s and tokens/s, beside the CPU's float32 ceiling.

MiniLM-L6 costs about 21 MFLOP per token; these 2 cores reach about 150 GFLOP/s in a float32 matmul,
so about 7,000 tokens/s is the ceiling; plain sentence-transformers reaches about 4,000.
"""

from __future__ import annotations

import gzip
import json
import time

from bench.common import ROOT, report


def run() -> None:
    import torch

    from analysis.enrich.embeddings import SentenceTransformerEmbedder, embedding_text

    path = sorted((ROOT / "data" / "demo").glob("allsides-demo-*.jsonl.gz"))[0]
    with gzip.open(path, "rt") as fh:
        rows = [json.loads(line) for _, line in zip(range(1000), fh, strict=False)]
    out = []
    for name, lead, max_tokens in (
        ("headline + 60-word lead (default)", 60, 128),
        ("headline only", 0, 128),
        ("whole article (first 256 tokens)", 400, 256),
    ):
        emb = SentenceTransformerEmbedder(max_tokens=max_tokens)
        texts = [embedding_text(r["title"], r["text"], lead) for r in rows[:600]]
        emb.encode(texts[:64])  # warm-up
        t = time.perf_counter()
        emb.encode(texts)
        secs = time.perf_counter() - t
        tokens = emb.count_tokens(texts)
        out.append(
            {
                "input": name,
                "texts": len(texts),
                "mean_tokens": round(tokens / len(texts)),
                "texts_per_s": round(len(texts) / secs, 1),
                "tokens_per_s": round(tokens / secs),
                "share_of_7000_ceiling": round(tokens / secs / 7000, 2),
            }
        )
        print(out[-1], flush=True)
    report("embed", out, [f"torch threads: {torch.get_num_threads()}"])


if __name__ == "__main__":
    run()
