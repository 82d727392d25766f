"""Dashboard speed at 100,000 articles: time to first render of each page, p50/p95 of a filter
change per page, the same with caching disabled (in the same run), and the app's peak memory.

The store is the full AllSides corpus (37,540 articles, fitted, with tone, summaries and stories)
plus copies with dates shifted by 2.5 years per copy and outlets renamed ("CNN (copy 1)"), up to
100,000 articles; copies reuse the originals' vectors, topics, tone and stories (shifted), so no
model runs. Pages run through Streamlit's AppTest in this process (the same code path as the server).
Set BENCH_PAGES_SOURCE to a fitted full-corpus store to skip building one (which embeds 37,540
articles: about 15 minutes here).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ALLSIDES, ROOT, app_test, peak_rss_mib, report

TARGET = 100_000
CHANGES = 10  # filter changes per page
PAGES = [
    ("overview", "views/overview.py", {}),
    ("topics", "views/topics.py", {}),
    ("topic detail", "views/topics.py", {"topic": "0"}),
    ("trends", "views/trends.py", {}),
    ("outlets", "views/outlets.py", {}),
    ("stories", "views/stories.py", {}),
    ("article", "views/article.py", {"article": None}),
    ("search", "views/search.py", {"q": "election"}),
    ("collect", "views/collect.py", {}),
]


def build_source(tmp: Path) -> Path:
    db = tmp / "full.db"
    env = dict(os.environ, HF_HUB_OFFLINE="1", NUMBA_CACHE_DIR=str(ROOT / ".numba_cache"))
    subprocess.run(
        [sys.executable, "-m", "analysis", "import", str(ALLSIDES), "--db", str(db)], cwd=ROOT, env=env, check=True
    )
    subprocess.run([sys.executable, "-m", "analysis", "fit", "--db", str(db)], cwd=ROOT, env=env, check=True)
    return db


def scale(src: Path, dst: Path, target: int = TARGET, shift_days: int = 913) -> int:
    """Copy a fitted store and add shifted copies of its articles (and their derived rows) up to target."""
    from analysis.store import Store

    with Store(src) as s:
        s.checkpoint()
    shutil.copy(src, dst)
    if (src.parent / "models").exists() and not (dst.parent / "models").exists():
        shutil.copytree(src.parent / "models", dst.parent / "models")
    with Store(dst) as s:
        n = s.count()
        fit = s.active_fit
        model = s.execute("SELECT embedding_model FROM fits WHERE id = ?", (fit,)).fetchone()[0]
        max_story = s.execute("SELECT coalesce(max(story_id), 0) + 1 FROM stories").fetchone()[0]
        k = 0
        while s.count() < target:
            k += 1
            limit = min(n, target - s.count())
            days = f"'+{shift_days * k} days'"
            with s.transaction():
                c = s
                c.execute(
                    "CREATE TEMP TABLE pick AS SELECT id FROM articles WHERE id NOT LIKE '%~%' ORDER BY rid LIMIT "
                    f"{limit}"
                )
                c.execute(
                    "INSERT INTO articles (id, url, canonical_url, title, text, outlet, outlet_domain, published, "
                    "collected,"
                    " authors, language, content_hash, extra, import_id, published_precision) SELECT a.id || '~' || "
                    "?, a.url,"
                    " a.canonical_url || '#copy' || ?, a.title, a.text, a.outlet || ' (copy ' || ? || ')', "
                    "a.outlet_domain,"
                    f" strftime('%Y-%m-%dT%H:%M:%SZ', a.published, {days}), a.collected, a.authors, a.language,"
                    " a.content_hash || '~' || ?, a.extra, a.import_id, a.published_precision FROM articles a JOIN "
                    "pick USING (id)",
                    (k, k, k, k),
                )
                c.execute(
                    "INSERT OR IGNORE INTO outlets (name, domain, country, bias, bias_source, owner, ratings)"
                    " SELECT name || ' (copy ' || ? || ')', domain, country, bias, bias_source, owner, ratings FROM "
                    "outlets"
                    " WHERE name NOT LIKE '%(copy %'",
                    (k,),
                )
                c.execute(
                    "INSERT OR IGNORE INTO embeddings SELECT e.model, e.content_hash || '~' || ?, e.vector FROM "
                    "embeddings e"
                    " JOIN articles a ON a.content_hash = e.content_hash AND e.model = ? JOIN pick USING (id)",
                    (k, model),
                )
                c.execute(
                    "INSERT INTO article_topics SELECT t.fit_id, t.article_id || '~' || ?, t.topic, t.probability,"
                    " t.x + (abs(random()) % 1000) / 5000.0, t.y + (abs(random()) % 1000) / 5000.0, t.assigned_by"
                    " FROM article_topics t JOIN pick p ON p.id = t.article_id WHERE t.fit_id = ?",
                    (k, fit),
                )
                for table, cols in (
                    ("article_tone", "i.headline_tone, i.headline_label, i.tone, i.tone_label"),
                    ("article_summaries", "i.summary"),
                    ("article_tags", "i.tags"),
                ):
                    c.execute(
                        f"INSERT INTO {table} SELECT i.article_id || '~' || ?, {cols} FROM {table} i"
                        " JOIN pick p ON p.id = i.article_id",
                        (k,),
                    )
                c.execute(
                    "INSERT INTO stories (story_id, title, first_published, first_outlet, articles, outlets, "
                    "outlet_list,"
                    " bias, tied, precision) SELECT story_id + ?, title, strftime('%Y-%m-%dT%H:%M:%SZ', "
                    "first_published,"
                    f" {days}), first_outlet || ' (copy ' || ? || ')', articles, outlets, outlet_list, bias, tied, "
                    "precision"
                    " FROM stories WHERE story_id < ?",
                    (k * max_story, k, max_story),
                )
                c.execute(
                    "INSERT INTO story_members (article_id, story_id, lag_hours, first, lag_days) SELECT m.article_id"
                    " || '~' || ?, m.story_id + ?, m.lag_hours, m.first, m.lag_days FROM story_members m"
                    " JOIN pick p ON p.id = m.article_id",
                    (k, k * max_story),
                )
                c.execute("DROP TABLE pick")
                s.bump_version()
        return s.count()


def run_page(path: str, params: dict[str, str], outlets: list[str], cached: bool) -> dict[str, float]:
    import streamlit as st

    cache_dir = Path(os.environ["NEWS_DB"]).parent / "cache"

    def fresh(files: bool) -> None:
        st.cache_data.clear()
        st.cache_resource.clear()
        try:  # the engine's own per-process memo of a store version (frame, links, searches, selections)
            from analysis.explore import working

            working.forget()
        except ImportError:
            pass
        if files:  # caching off: the Parquet copy of the article frame goes too
            shutil.rmtree(cache_dir, ignore_errors=True)

    fresh(not cached)
    if cached:  # as `fit` leaves it (a caching-off run of the previous page may have removed it)
        from analysis.explore.frames import cached_article_frame
        from analysis.store import open_store

        with open_store(os.environ["NEWS_DB"]) as s:
            cached_article_frame(s)
    at = app_test(ROOT / "app.py")
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(path)
    t = time.perf_counter()
    at.run()
    first = time.perf_counter() - t
    if at.exception:
        raise RuntimeError(f"{path}: {at.exception[0].value}")
    times = []
    for outlet in outlets[:CHANGES]:
        if not cached:
            fresh(True)
        t = time.perf_counter()
        at.multiselect(key="outlet").set_value([outlet]).run()
        times.append(time.perf_counter() - t)
        if at.exception:
            raise RuntimeError(f"{path} with outlet {outlet}: {at.exception[0].value}")
    times.sort()
    return {
        "first_render_s": round(first, 2),
        "change_p50_s": round(statistics.median(times), 3),
        "change_p95_s": round(times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], 3),
    }


DEMO_PAGES = [
    ("overview", "overview"),
    ("topics", "topics"),
    ("topic detail", "topics?topic=1"),
    ("trends", "trends"),
    ("outlets", "outlets"),
    ("stories", "stories"),
    ("article", "article?article={article}"),
    ("search", "search?q=election"),
    ("collect", "collect"),
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
RENDERED = """() => !document.querySelector('[data-testid="stStatusWidget"]')
  && document.querySelectorAll('[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]').length > 2
  && [...document.querySelectorAll('.js-plotly-plot')].every(g => g._fullLayout)"""


def _serve(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, NEWS_DB=str(db), HF_HUB_OFFLINE="1")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1):
                return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the app did not start")


def demo_cold_rows() -> list[dict[str, object]]:
    """Each page's first render on the demo in a fresh browser on a freshly started server, as a newcomer
    opens it after `make run` (the store made by `python -m analysis demo`, with its shipped results)."""
    from playwright.sync_api import sync_playwright

    from analysis.store import Store

    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "news.db"
        env = dict(os.environ, HF_HUB_OFFLINE="1", NUMBA_CACHE_DIR=str(ROOT / ".numba_cache"))
        subprocess.run(
            [sys.executable, "-m", "analysis", "demo", "--db", str(db)],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(
            [sys.executable, "-m", "analysis", "fit", "--if-needed", "--db", str(db)],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        with Store(db) as conn:
            article = conn.execute("SELECT article_id FROM story_members ORDER BY article_id LIMIT 1").fetchone()[0]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
            for name, path in DEMO_PAGES:
                proc, url = _serve(db)
                try:
                    ctx = browser.new_context(viewport={"width": 1400, "height": 1600})
                    page = ctx.new_page()
                    t = time.perf_counter()
                    page.goto(f"{url}/{path.format(article=article)}")
                    page.wait_for_selector('[data-testid="stMain"]', timeout=120_000)
                    page.wait_for_function(RENDERED, timeout=120_000, polling=50)
                    rows.append(
                        {
                            "page": f"{name} (demo, cold: new server, new browser)",
                            "caching": "cold",
                            "first_render_s": round(time.perf_counter() - t, 2),
                        }
                    )
                    print(rows[-1], flush=True)
                    ctx.close()
                finally:
                    proc.terminate()
                    proc.wait(timeout=20)
            browser.close()
    return rows


def run() -> None:
    demo = demo_cold_rows()
    source = os.environ.get("BENCH_PAGES_SOURCE")
    if os.environ.get("BENCH_PAGES_DEMO_ONLY") or (not source and not ALLSIDES.exists()):
        note = "100,000-article rows skipped: " + (
            "BENCH_PAGES_DEMO_ONLY" if ALLSIDES.exists() or source else f"data not present ({ALLSIDES})"
        )
        report("pages_demo", demo, [note, "target: every page's first render on the demo under 3 s"])
        return
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        src = Path(source) if source else build_source(tmp)
        db = tmp / "scaled" / "news.db"
        db.parent.mkdir()
        t = time.perf_counter()
        total = scale(src, db)
        print(f"store: {total:,} articles (built in {time.perf_counter() - t:.0f} s)", flush=True)
        os.environ["NEWS_DB"] = str(db)
        from analysis.explore.frames import cached_article_frame
        from analysis.store import Store

        with Store(db) as s:  # what `fit` leaves behind for the app
            cached_article_frame(s)

        with Store(db, readonly=True) as s:
            outlets = [r[0] for r in s.execute("SELECT outlet FROM articles GROUP BY outlet ORDER BY count(*) DESC")]
            some = s.execute("SELECT id FROM articles ORDER BY rid LIMIT 1 OFFSET 500").fetchone()[0]
        picks = outlets[1 : 1 + CHANGES]  # a different outlet each change (each is a cache miss when cached)
        rows = []
        for name, path, params in PAGES:
            params = {k: (v if v is not None else some) for k, v in params.items()}
            for cached in (True, False):
                r = run_page(path, params, picks, cached)
                rows.append({"page": name, "caching": "on" if cached else "off", **r})
                print(rows[-1], flush=True)
        rows.append({"page": "all (this process)", "caching": "", "peak_rss_MiB": round(peak_rss_mib())})
    notes = [
        f"store: {total:,} articles = the AllSides corpus plus copies with dates shifted 2.5 years per copy and "
        "outlets renamed",
        "first render: a fresh AppTest run with empty Streamlit caches (the Parquet article frame that `fit` writes "
        "is present; AppTest's scan of the installed packages for components made once, untimed, as a server makes "
        "it at start); filter change: choosing a different single outlet (a cache miss)",
        f"each page: {CHANGES} changes; with caching off every Streamlit cache and the Parquet file are cleared "
        "before each run",
        "targets: first render < 2 s, filter change p95 < 300 ms, app memory < 2 GiB; demo cold first render < 3 s",
        "demo rows: a new server and a new Chromium context per page; time from opening the address until the run has "
        "finished and every chart is drawn",
    ]
    report("pages", demo + rows, notes)


if __name__ == "__main__":
    run()
