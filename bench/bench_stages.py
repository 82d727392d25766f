"""The per-article stages of today's code and of the code before the stages (commit BASELINE) side by side, in one
run: the same demo articles, fresh stores, no cached model output, this machine. Each side runs in its own
process from its own copy of the code; the models are loaded (and warmed) before the clock starts, except the new
code's worker processes, whose start and model loading are timed. Reports articles per second for each stage and
in all, and checks that both sides give the same vectors and the same tone.

BENCH_STAGES_N sets the number of articles (default 2,000)."""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np

from bench.common import ROOT, report

BASELINE = "c01aa8a"  # main before issue 30: run_intel + run_entities, one process, two model threads

OLD = """
import json, sys, time
sys.path.insert(0, '.')
from analysis.store import Store
from analysis.ingest.importers import Importer
from analysis.enrich.embeddings import get_embedder
from analysis.enrich.entities import load_model
from analysis.enrich.entity_stage import run_entities
from analysis.enrich.intel import run_intel
from analysis.enrich.tone import ToneClassifier
from analysis.pipeline.fit import _embed
store = Store(sys.argv[1])
Importer(store).run(sys.argv[2])
corpus = store.fits.corpus_frame()
emb = get_embedder(); emb.encode(['warm-up']); ToneClassifier().logits(['warm-up']); load_model()
t0 = time.perf_counter()
vectors, _ = _embed(store, emb, corpus, None)
embed = time.perf_counter() - t0
res = run_intel(store, emb, corpus=corpus, vectors=vectors)
ents = run_entities(store, corpus=corpus)
wall = time.perf_counter() - t0
t = res['timings']
stories = t['stories'] + ents['timings']['entity_aliases']
print(json.dumps({'articles': len(corpus), 'embeddings': embed, 'tone': t['sentiment'], 'summaries': t['summaries'],
                  'tags': t['tags'], 'entities': ents['timings']['entities'], 'per_article': wall - stories,
                  'corpus_steps': stories, 'workers': 1}))
"""

NEW = """
import json, sys, time
sys.path.insert(0, '.')
from analysis.store import Store
from analysis.pipeline.load import Importer
from analysis.enrich.embeddings import get_embedder
from analysis.enrich.entity_tagger import load_model
from analysis.enrich.tone import ToneClassifier
from analysis.pipeline.fit import RunReport, article_stages, regroup
store = Store(sys.argv[1])
Importer(store).run(sys.argv[2])
corpus = store.fits.corpus_frame()
emb = get_embedder(); emb.encode(['warm-up']); ToneClassifier().logits(['warm-up']); load_model()
report = RunReport(kind='full')
t0 = time.perf_counter()
article_stages(store, report, emb, corpus['id'].tolist(), mode='full', corpus=corpus, parallel=True)
wall = time.perf_counter() - t0
t = time.perf_counter()
regroup(store, report, emb, corpus=corpus)
t = report.timings | {'per_article': wall, 'corpus_steps': time.perf_counter() - t}
print(json.dumps({'articles': len(corpus), 'workers': report.workers, **t}))
"""

STAGES = ("embeddings", "tone", "summaries", "tags", "entities")


def sample(n: int, out: Path) -> Path:
    """The first n articles of the demo corpus, as a JSONL file both sides import."""
    src = sorted((ROOT / "data" / "demo").glob("allsides-demo-*.jsonl.gz"))[0]
    with gzip.open(src, "rt") as f, out.open("w") as w:
        for i, line in enumerate(f):
            if i == n:
                break
            w.write(line)
    return out


def baseline_code(dest: Path) -> Path:
    """The analysis package at BASELINE, extracted into dest."""
    blob = subprocess.run(["git", "archive", BASELINE, "analysis"], cwd=ROOT, check=True, capture_output=True).stdout
    tar = dest / "base.tar"
    tar.write_bytes(blob)
    with tarfile.open(tar) as t:
        t.extractall(dest, filter="data")
    return dest


def side(code: str, root: Path, db: Path, data: Path) -> dict[str, float]:
    env = dict(os.environ, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    env["NEWS_MODEL_CACHE"] = str(ROOT / "data" / "cache" / "models")  # the same exported models on both sides
    out = subprocess.run(
        [sys.executable, "-c", code, str(db), str(data)], cwd=root, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def outputs(db: Path, old: bool) -> tuple[dict[str, tuple[float | None, str]], dict[str, bytes]]:
    with sqlite3.connect(db) as c:
        sql = (
            "SELECT article_id, sentiment, sentiment_label FROM article_intel"
            if old
            else "SELECT article_id, tone, tone_label FROM article_tone"
        )
        tone = {a: (s, label) for a, s, label in c.execute(sql)}
        vectors = dict(c.execute("SELECT content_hash, vector FROM embeddings WHERE model = 'all-MiniLM-L6-v2'"))
    return tone, vectors


def run() -> None:
    n = int(os.environ.get("BENCH_STAGES_N", "2000"))
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        data = sample(n, d / "sample.jsonl")
        base = baseline_code(d)
        old = side(OLD, base, d / "old.db", data)
        new = side(NEW, ROOT, d / "new.db", data)
        old_tone, old_vec = outputs(d / "old.db", old=True)
        new_tone, new_vec = outputs(d / "new.db", old=False)
    rows = []
    for stage in (*STAGES, "per_article"):
        a, b = old.get(stage), new.get(stage)
        rows.append(
            {
                "stage": "all per-article stages (wall)" if stage == "per_article" else stage,
                "before_s": round(a, 1) if a else None,
                "before_articles_per_s": round(n / a, 1) if a else None,
                "now_s": round(b, 1) if b else None,
                "now_articles_per_s": round(n / b, 1) if b else None,
                "speed-up": round(a / b, 2) if a and b else None,
            }
        )
    rows.append(
        {
            "stage": "stories and entity groups (after)",
            "before_s": round(old["corpus_steps"], 1),
            "now_s": round(new["corpus_steps"], 1),
        }
    )
    same_label = sum(old_tone[a][1] == new_tone.get(a, (None, ""))[1] for a in old_tone)
    diffs = [abs(old_tone[a][0] - new_tone[a][0]) for a in old_tone if old_tone[a][0] is not None and a in new_tone]
    vec_diff = max(
        float(
            np.abs(
                np.frombuffer(old_vec[h], np.float16).astype(np.float32)
                - np.frombuffer(new_vec[h], np.float16).astype(np.float32)
            ).max()
        )
        for h in old_vec
        if h in new_vec
    )
    notes = [
        f"{n:,} demo articles, fresh stores, no cached model output; before = commit {BASELINE} (one process, two "
        f"model threads); now = {new['workers']} worker processes with one model thread each (their start and "
        "model loading are in the wall time); tags run once in the parent after the workers",
        "per-stage seconds: before, wall; now, summed over the workers (a stage's share of the work), so per-stage "
        "speed-ups mix the gain of one thread per process with the stage's own; the wall row is the comparison",
        "now also computes near-duplicate signatures in every fit (before, only the Dask engine did)",
        f"tone: the same label for {same_label:,} of {len(old_tone):,} articles, largest score difference "
        f"{max(diffs, default=0):.4f}; vectors: largest difference {vec_diff:.4f} over {len(old_vec):,} "
        "(cached vectors stay valid)",
    ]
    report("stages", rows, notes)


if __name__ == "__main__":
    run()
