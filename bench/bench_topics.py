"""Topic engine speed: fit time and peak memory, cached and cold, at 1k / 10k / full AllSides;
plain BERTopic at 1k and 5k in the same run; `fit --update` of 1% new articles.

Each measurement runs in a fresh process (numba compiles in each; NUMBA_CACHE_DIR persists what
it can), timed from outside, with peak RSS from the child's rusage. With BENCH_TOPICS_FULL_STORE
set to a store holding the full corpus and its vectors, only the full-corpus cached fit and update
run (topics_speed_full.json).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ALLSIDES, ROOT, report

ENV = dict(os.environ, HF_HUB_OFFLINE="1", NUMBA_CACHE_DIR=str(ROOT / ".numba_cache"), TOKENIZERS_PARALLELISM="false")


def child(code: str) -> dict:
    """Run python code in a fresh process; return its JSON line plus wall time and peak RSS."""
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    data = json.loads(out.stdout.strip().splitlines()[-1])
    data["wall_s"] = round(wall, 1)
    return data


def make_store(path: Path, n: int | None, seed: int = 0) -> None:
    code = f"""
import json, sys, random, gzip, tempfile
sys.path.insert(0, '.')
from analysis.store import Store
from analysis.pipeline.load import import_file
rows = [json.loads(l) for l in gzip.open({str(ALLSIDES)!r}, 'rt')]
if {n!r} is not None:
    random.Random({seed}).shuffle(rows)
    rows = rows[:{n!r}]
tmp = tempfile.NamedTemporaryFile('w', suffix='.jsonl', delete=False)
for r in rows:
    tmp.write(json.dumps(r) + '\\n')
tmp.close()
s = Store({str(path)!r})
rep = import_file(s, tmp.name)
import os
os.unlink(tmp.name)
print(json.dumps({{'stored': rep.stored}}))
"""
    child(code)


FIT = """
import json, sys, warnings, logging, resource
sys.path.insert(0, '.')
warnings.filterwarnings('ignore'); logging.getLogger('BERTopic').setLevel(logging.ERROR)
from analysis.store import Store
from analysis.pipeline.fit import run_fit
r = run_fit(Store({db!r}), with_intel=False)
print(json.dumps({{'articles': r.articles, 'embedded': r.embedded, 'topics': r.topics,
                  'outliers': round(r.outlier_share, 4),
                  'peak_rss_MiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                  **{{'t_' + k: v for k, v in r.timings.items()}}}}))
"""

UPDATE = """
import json, sys, random, warnings, resource
sys.path.insert(0, '.')
warnings.filterwarnings('ignore')
from analysis.store import Store
from analysis.pipeline.fit import run_update
s = Store({db!r})
fit = s.active_fit
q = 'SELECT article_id FROM article_topics WHERE fit_id = ? ORDER BY article_id'
ids = [r[0] for r in s.execute(q, (fit,))]
random.Random(1).shuffle(ids)
new = ids[: max(1, len(ids) // 100)]
# Make 1% of the articles new: no topic row and no cached embedding.
with s.transaction():
    s.executemany('DELETE FROM article_topics WHERE fit_id = ? AND article_id = ?', [(fit, i) for i in new])
    s.executemany('DELETE FROM embeddings WHERE content_hash = (SELECT content_hash FROM articles WHERE id = ?)',
                       [(i,) for i in new])
import time
t = time.perf_counter()
r = run_update(s, with_intel=False)
print(json.dumps({{'new_articles': r.articles, 'embedded': r.embedded, 'assigned': r.assigned,
                  'update_s': round(time.perf_counter() - t, 2),
                  'peak_rss_MiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                  **{{'t_' + k: v for k, v in r.timings.items()}}}}))
"""

PLAIN = """
import json, sys, time, warnings, random, gzip, resource
sys.path.insert(0, '.')
warnings.filterwarnings('ignore')
from analysis.enrich.embeddings import model_path
from sentence_transformers import SentenceTransformer
from bertopic import BERTopic
rows = [json.loads(l) for l in gzip.open({src!r}, 'rt')]
random.Random(0).shuffle(rows)
docs = [r['title'] + '. ' + r['text'] for r in rows[:{n}]]
t = time.perf_counter()
model = BERTopic(embedding_model=SentenceTransformer(model_path('all-MiniLM-L6-v2'), device='cpu'))
topics, _ = model.fit_transform(docs)
print(json.dumps({{'articles': len(docs), 'topics': len(set(topics)) - (1 if -1 in topics else 0),
                  'outliers': round(sum(t == -1 for t in topics) / len(topics), 4),
                  'fit_s': round(time.perf_counter() - t, 1),
                  'peak_rss_MiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}}))
"""


def run_full_only(source: Path) -> None:
    """The full-corpus rows alone (cached fit, then --update of 1%) on a copy of a store that already
    holds the corpus's vectors: minutes instead of the cold embedding of 37,540 articles."""
    import shutil

    from analysis.store import Store

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "full.db"
        with Store(source) as conn:
            conn.checkpoint()
        shutil.copy(source, db)
        cached = child(FIT.format(db=str(db)))
        rows.append({"corpus": "full", "run": "ours, article vectors cached", **cached})
        print(rows[-1], flush=True)
        # A refit of the same store (a second fresh process).
        again = child(FIT.format(db=str(db)))
        rows.append({"corpus": "full", "run": "ours, refit of the same store", **again})
        print(rows[-1], flush=True)
        upd = child(UPDATE.format(db=str(db)))
        rows.append({"corpus": "full", "run": "fit --update, 1% new", **upd})
        print(rows[-1], flush=True)
    report(
        "topics_speed_full",
        rows,
        [
            f"store: a copy of {source} (the AllSides corpus with its vectors cached); each row a fresh process",
            "targets: full corpus with cached embeddings < 120 s and < 3 GiB; --update of 1% < 10 s",
            "keywords are picked by co-occurrence in the corpus, so no fit embeds any word (the MMR used before did)",
        ],
    )


def run() -> None:
    if os.environ.get("BENCH_TOPICS_FULL_STORE"):
        run_full_only(Path(os.environ["BENCH_TOPICS_FULL_STORE"]))
        return
    if not ALLSIDES.exists():
        report("topics_speed", [], [f"skipped: data not present ({ALLSIDES})"])
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, n in (("1k", 1000), ("10k", 10000), ("full", None)):
            db = Path(tmp) / f"{label}.db"
            make_store(db, n)
            cold = child(FIT.format(db=str(db)))
            rows.append({"corpus": label, "run": "ours, cold (embeds)", **cold})
            print(rows[-1], flush=True)
            cached = child(FIT.format(db=str(db)))
            rows.append({"corpus": label, "run": "ours, embeddings cached", **cached})
            print(rows[-1], flush=True)
            if label == "full":
                upd = child(UPDATE.format(db=str(db)))
                rows.append({"corpus": label, "run": "fit --update, 1% new", **upd})
                print(rows[-1], flush=True)
        for n in (1000, 5000):
            plain = child(PLAIN.format(src=str(ALLSIDES), n=n))
            rows.append(
                {"corpus": f"{n // 1000}k", "run": "plain BERTopic fit_transform (re-embeds full text)", **plain}
            )
            print(rows[-1], flush=True)
    notes = [
        "targets: full corpus with cached embeddings < 120 s and < 3 GiB; --update of 1% < 10 s",
        "keywords are picked by co-occurrence in the corpus, so no fit embeds any word (the MMR used before did)",
        "each row is a fresh process; plain BERTopic embeds whole articles (256 tokens) and uses default settings",
    ]
    report("topics_speed", rows, notes)


if __name__ == "__main__":
    run()
