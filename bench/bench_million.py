"""A simulated million: the whole pipeline on 1,000,000 articles, with time and peak memory per stage.

The AllSides corpus (fitted once, in bench/.cache/million/base.db, or BENCH_MILLION_BASE) is repeated
with shifted dates (copy k is 45 x k days later, so copies never fall in one story's or one similar-news
window) and renamed outlets ("Fox News (copy 3)") up to BENCH_MILLION_ARTICLES (default 1,000,000). Each
copy takes its original's per-article outputs - embedding, tone logits, summary and tags, entity mentions,
word counts, near-duplicate signature, tag term counts - so no model runs twice on one text (the embedding
moved by a little seeded noise, cosine about 0.98 to its original: 27 copies of one point are not a corpus,
and exact duplicates break UMAP's spectral start). Then `fit --engine dask` runs as a user would (2 local
workers): the per-article pass over every partition (reading each article, skipping what is stored), topics
fitted on a seeded 200,000 sample, every other article assigned to its nearest topic and placed on the
map, stories regrouped over all articles, entities grouped, and the app's article frame written. Memory is
sampled every 0.2 s for this process and its children (the Dask workers). Last, each page's first render
at 1M and the app process's peak memory, in a separate process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.common import ALLSIDES, ROOT, report

CACHE = ROOT / "bench" / ".cache" / "million"
SHIFT_DAYS = 45
GIB = 1024**3
JITTER = 0.01  # per dimension of a 384-dimension unit vector: noise of norm about 0.2


def base_store() -> Path:
    """A fitted AllSides store (every model output made once); built when absent (about 40 min here)."""
    base = Path(os.environ.get("BENCH_MILLION_BASE", CACHE / "base.db"))
    if base.exists():
        return base
    base.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, HF_HUB_OFFLINE="1", NUMBA_CACHE_DIR=str(ROOT / ".numba_cache"))
    for args in (["demo"], ["import", str(ALLSIDES)], ["fit"]):  # the demo's shipped results save a fifth
        subprocess.run([sys.executable, "-m", "analysis", *args, "--db", str(base)], cwd=ROOT, env=env, check=True)
    return base


COPY_SQL = [
    # articles: new id, URL, content hash; outlet renamed; dates shifted
    """INSERT INTO articles (id, url, canonical_url, title, text, outlet, outlet_domain, published, collected, authors,
       language, content_hash, extra, import_id, published_precision)
       SELECT a.id || '~' || :k, a.url, a.canonical_url || '#copy' || :k, a.title, a.text,
       a.outlet || ' (copy ' || :k || ')', a.outlet_domain,
       strftime('%Y-%m-%dT%H:%M:%SZ', a.published, '+' || (:k * :shift) || ' days'), a.collected, a.authors,
       a.language, a.content_hash || '~' || :k, a.extra, a.import_id, a.published_precision
       FROM articles a JOIN pick USING (id)""",
    """INSERT OR IGNORE INTO outlets (name, domain, country, bias, bias_source, owner, ratings)
       SELECT name || ' (copy ' || :k || ')', domain, country, bias, bias_source, owner, ratings FROM outlets
       WHERE name NOT LIKE '%(copy %'""",
    # model outputs keyed by content hash: embeddings, word counts
    """INSERT OR IGNORE INTO embeddings SELECT e.model, e.content_hash || '~' || :k,
       CASE WHEN e.model = :embedder THEN jitter(e.vector, :k) ELSE e.vector END FROM pick p
       JOIN embeddings e ON e.model = :model AND e.content_hash = p.content_hash""",
    # tone logits of the body, keyed by a hash of the content hash (headlines are keyed by their text)
    """INSERT OR IGNORE INTO embeddings SELECT e.model, body_key(p.content_hash || '~' || :k), e.vector FROM pick p
       JOIN embeddings e ON e.model = :model AND e.content_hash = p.body""",
    """INSERT INTO article_tone SELECT i.article_id || '~' || :k, i.headline_tone, i.headline_label, i.tone,
       i.tone_label FROM article_tone i JOIN pick p ON p.id = i.article_id""",
    """INSERT INTO article_summaries SELECT i.article_id || '~' || :k, i.summary FROM article_summaries i
       JOIN pick p ON p.id = i.article_id""",
    """INSERT INTO article_tags SELECT i.article_id || '~' || :k, i.tags FROM article_tags i
       JOIN pick p ON p.id = i.article_id""",
    """INSERT INTO article_mentions SELECT m.article_id || '~' || :k, m.surface, m.kind, m.count
       FROM article_mentions m JOIN pick p ON p.id = m.article_id""",
    """INSERT INTO entity_done SELECT d.article_id || '~' || :k, d.tagger FROM entity_done d
       JOIN pick p ON p.id = d.article_id""",
    """INSERT INTO article_minhash SELECT s.article_id || '~' || :k, s.signature FROM article_minhash s
       JOIN pick p ON p.id = s.article_id""",
]


def build(base: Path, dst: Path, target: int) -> dict[str, float]:
    """Copy the fitted base store and add shifted copies (with their model outputs) up to target articles."""
    from analysis.enrich.tone import body_key
    from analysis.store import Store

    with Store(base) as s:  # near-duplicate signatures are made by the collector; imported originals get them here
        unsigned = s.collection.unsigned_of(s.fits.corpus_frame(with_text=False)["id"].tolist())
        for start in range(0, len(unsigned), 2000):
            _sign(s, unsigned[start : start + 2000])
        s.checkpoint()
    for f in dst.parent.glob(dst.name + "*"):
        f.unlink()
    shutil.copy(base, dst)
    t = time.perf_counter()
    with Store(dst) as s:
        s.conn.create_function("body_key", 1, body_key, deterministic=True)
        n = s.count()
        models = [r[0] for r in s.execute("SELECT DISTINCT model FROM embeddings")]
        embedder = str(s.fits.active_fit_row()["embedding_model"])
        s.conn.create_function("jitter", 2, _jitter, deterministic=True)
        k = 0
        while (have := s.count()) < target:
            k += 1
            with s.transaction():
                limit = min(n, target - have)
                s.execute(
                    "CREATE TEMP TABLE pick AS SELECT id, content_hash, body_key(content_hash) AS body"
                    f" FROM articles WHERE id NOT LIKE '%~%' ORDER BY rid LIMIT {limit}"
                )
                for sql in COPY_SQL:
                    for model in models if ":model" in sql else [""]:  # the cache's key starts with the model
                        s.execute(sql, {"k": k, "shift": SHIFT_DAYS, "model": model, "embedder": embedder})
                s.execute("DROP TABLE pick")
                s.bump_version()
            print(f"copy {k}: {s.count():,} articles, {time.perf_counter() - t:.0f} s", flush=True)
        s.checkpoint()
        total = s.count()
    t_terms = _term_counts(dst, k)
    return {
        "terms_seconds": t_terms,
        "articles": total,
        "originals": n,
        "seconds": time.perf_counter() - t,
        "gib": sum(f.stat().st_size for f in dst.parent.glob(dst.name + "*")) / GIB,
    }


def _term_counts(db: Path, copies: int) -> float:
    """The corpus's tag term counts from its originals' (each original's counts times how many times it is in
    the store), as `fit --engine dask` would count them over every text; returns the seconds taken."""
    from analysis.enrich.tags import TermStats
    from analysis.pipeline.scale import part_terms, save_terms
    from analysis.store import Store

    t = time.perf_counter()
    with Store(db) as s:
        times = s.frame(
            "SELECT a.id, 1 + (SELECT count(*) FROM articles c WHERE c.id >= a.id || '~' AND"
            " c.id < a.id || '~' || char(127)) AS n FROM articles a WHERE a.id NOT LIKE '%~%'"
        )
        total = TermStats(docs=0)
        for n, group in times.groupby("n"):
            docs, df = part_terms(str(db), group["id"].tolist())
            total.docs += int(n) * docs
            for w, d in df.items():
                total.df[w] = total.df.get(w, 0) + int(n) * d
        save_terms(s, total)
        assert s.outputs.term_stats()[0] == s.count(), "term counts must cover every article"
    return time.perf_counter() - t


def _jitter(blob: bytes, k: int) -> bytes:
    """A copy's article vector: its original's, moved by a little seeded noise (cosine about 0.98), so that the
    copies are near their original but not the same point (exact duplicates break UMAP's spectral start)."""
    import numpy as np

    v = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
    rng = np.random.default_rng(int.from_bytes(blob[:8], "little") ^ k)
    v = v + rng.normal(0.0, JITTER, v.shape).astype(np.float32)
    return (v / np.linalg.norm(v)).astype(np.float16).tobytes()


def _sign(store: object, ids: list[str]) -> None:
    from analysis.collect.neardup import signatures

    texts = store.fits.texts_of(ids)  # type: ignore[attr-defined]
    sigs = signatures([texts[i][1] for i in ids])
    store.collection.save_signatures(
        [
            (i, s.tobytes() if s is not None else b"")
            for i, s in zip(ids, sigs, strict=True)  # type: ignore[attr-defined]
        ]
    )


# fit_topics reports a step when it ends: what runs after it
AFTER = {
    "topics on a sample": "topics: read the sample, UMAP",
    "umap": "topics: HDBSCAN",
    "hdbscan": "topics: outliers",
    "outliers": "topics: words (c-TF-IDF)",
    "representation": "topics: themes",
    "themes": "topics: words over time, save",
    "embed": "assign the rest",
}


class Sampler:
    """Resident memory of this process and of its children, sampled, attributed to the current stage."""

    def __init__(self) -> None:
        import psutil

        self.me = psutil.Process()
        self.stage = "start"
        self.peak: dict[str, tuple[float, float]] = {}  # stage -> (this process, with children) in bytes
        self.started: dict[str, float] = {}
        self.seconds: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
        self._stop.set()
        self._thread.join()

    def progress(self, stage: str, done: int, total: int) -> None:
        stage = AFTER.get(stage, stage)
        if stage != self.stage and stage not in self.started:
            now = time.perf_counter()
            if self.stage in self.started:
                self.seconds[self.stage] = now - self.started[self.stage]
            self.stage = stage
            self.started[stage] = now
            print(f"  stage: {stage}", flush=True)

    def close(self) -> None:
        if self.stage in self.started:
            self.seconds[self.stage] = time.perf_counter() - self.started[self.stage]

    def _run(self) -> None:
        import psutil

        while not self._stop.wait(0.2):
            try:
                own = self.me.memory_info().rss
                kids = sum(c.memory_info().rss for c in self.me.children(recursive=True))
            except psutil.Error:
                continue
            old = self.peak.get(self.stage, (0.0, 0.0))
            self.peak[self.stage] = (max(old[0], own), max(old[1], own + kids))


def run_fit(db: Path) -> tuple[list[dict[str, object]], dict[str, object]]:
    from analysis.pipeline.scale import run_fit_dask
    from analysis.store import Store

    with Sampler() as sampler, Store(db) as store:
        t = time.perf_counter()
        rep = run_fit_dask(store, workers=2, progress=sampler.progress)
        wall = time.perf_counter() - t
    rows: list[dict[str, object]] = [
        {
            "stage": st,
            "seconds": round(sampler.seconds.get(st, 0.0), 1),
            "fit_GiB": round(p[0] / GIB, 2),
            "with_workers_GiB": round(p[1] / GIB, 2),
        }
        for st, p in sampler.peak.items()
        if st != "start"
    ]
    whole = {
        "seconds": round(wall, 1),
        "fit_GiB": round(max(p[0] for p in sampler.peak.values()) / GIB, 2),
        "with_workers_GiB": round(max(p[1] for p in sampler.peak.values()) / GIB, 2),
        "note": f"{rep.topics} topics, {rep.outlier_share:.1%} unassigned; {rep.assigned:,} assigned by"
        f" nearest topic; {rep.stories:,} stories; {rep.entities:,} entities;"
        f" {rep.embedded:,} embedded",
    }
    print("pipeline timings:", json.dumps(rep.timings), flush=True)
    return rows, whole


PAGES = [
    "views/overview.py",
    "views/topics.py",
    "views/trends.py",
    "views/outlets.py",
    "views/stories.py",
    "views/search.py",
    "views/article.py",
    "views/entities.py",
]

PAGE_SCRIPT = """
import json, os, sys, threading, time
import psutil
sys.path.insert(0, {root!r})
peak = [0]
def watch():  # ru_maxrss would start at the parent's size at fork: sample this process instead
    me = psutil.Process()
    while True:
        peak[0] = max(peak[0], me.memory_info().rss)
        time.sleep(0.05)
threading.Thread(target=watch, daemon=True).start()
from bench.common import app_test
from analysis.store import open_store
with open_store(os.environ["NEWS_DB"]) as s:
    some = s.execute("SELECT id FROM articles ORDER BY rid LIMIT 1 OFFSET 500").fetchone()[0]
out = []
for path in {pages!r}:
    at = app_test({app!r}, timeout=600)
    if path.endswith("search.py"):
        at.query_params["q"] = "election"
    if path.endswith("article.py"):
        at.query_params["article"] = some
    at.switch_page(path)
    t = time.perf_counter()
    at.run()
    first = time.perf_counter() - t
    t = time.perf_counter()
    at.run()
    again = time.perf_counter() - t
    err = str(at.exception[0].value) if at.exception else ""
    out.append({{"page": path, "first_render_s": round(first, 2), "rerun_s": round(again, 2), "error": err,
                 "rss_GiB": round(peak[0] / 1024**3, 2)}})
    print(json.dumps(out[-1]), flush=True)
print("RESULT " + json.dumps(out))
"""


def pages(db: Path) -> list[dict[str, object]]:
    """Each page's first render at this size in one app process (caching on, the article frame as `fit` left
    it), the time of a rerun, and the process's peak memory after each page."""
    env = dict(os.environ, NEWS_DB=str(db), HF_HUB_OFFLINE="1")
    script = PAGE_SCRIPT.format(root=str(ROOT), pages=PAGES, app=str(ROOT / "app.py"))
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(proc.stderr[-3000:])


def run() -> None:
    target = int(os.environ.get("BENCH_MILLION_ARTICLES", "1000000"))
    # "fit": fit and pages of the store the last run built; "pages": the pages of the store the last run fitted
    only = os.environ.get("BENCH_MILLION_ONLY", "")
    db = CACHE / f"million-{target}" / "news.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, object]] = []
    notes: list[str] = []
    if only == "pages":
        rows += json.loads((db.parent / "fit.json").read_text())
    elif only == "fit":
        rows += json.loads((db.parent / "build.json").read_text())
    else:
        built = build(base_store(), db, target)
        rows.append(
            {
                "stage": "copy the corpus and its model outputs",
                "seconds": round(built["seconds"], 1),
                "note": f"{built['articles']:,} articles from {built['originals']:,} originals; store "
                f"{built['gib']:.1f} GiB",
            }
        )
        rows.append(
            {
                "stage": "tag term counts (the originals', times their copies)",
                "seconds": round(built["terms_seconds"], 1),
                "note": "over every text this is 3.5 ms an article: 30 min of 2 workers at 1M",
            }
        )
        (db.parent / "build.json").write_text(json.dumps(rows, default=str))
        print(rows[-1], flush=True)
    if only != "pages":
        fit_rows, whole = run_fit(db)
        rows += fit_rows
        rows.append({"stage": "fit --engine dask, whole", **whole})
        print(rows[-1], flush=True)
        (db.parent / "fit.json").write_text(json.dumps(rows, default=str))
    for r in pages(db):
        rows.append(
            {
                "stage": f"page {Path(str(r['page'])).stem}: first render",
                "seconds": r["first_render_s"],
                "app_GiB": r["rss_GiB"],
                "note": r["error"] or f"rerun {r['rerun_s']} s",
            }
        )
        print(rows[-1], flush=True)
    notes += [
        "recomputed: reading every article per partition, topics (UMAP, HDBSCAN,"
        " c-TF-IDF) on a seeded 200,000 sample, nearest-topic assignment and map placement of the rest, stories"
        " over all articles, entity grouping, the app's article frame",
        "taken from each copy's original (no model runs twice on one text): embeddings (with seeded noise, cosine"
        " about 0.98 to the original), tone logits, summaries and tags, entity mentions, word counts, near-duplicate"
        " signatures, tag term counts (the originals' counted once, times their copies)",
        "memory: resident set of the fit process, and of it with its Dask workers, sampled every 0.2 s",
        "pages: AppTest in one process, caching on, first render then a rerun; app peak is that process's; AppTest's"
        " scan of the installed packages for components is made once, untimed, as a server makes it at start",
    ]
    report("million", rows, notes)


if __name__ == "__main__":
    run()
