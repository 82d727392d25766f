"""Pages in a real browser: each page's first render on the demo store in a fresh headless Chromium context (no
browser cache: the app's scripts are fetched and parsed again), timed from navigation until the page has stopped
changing for half a second (the time of its last change is reported). Two passes over the pages: right after the
server starts (its caches cold: the first visitor's wait), then again in new contexts with the server warm (every
later visitor's wait). Median of RUNS runs of the warm pass. Needs Debian's chromium (`make test` installs it).

BENCH_BROWSER_DB: a store to serve (default: a fresh demo store made as `make run` makes it).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.common import ROOT, report

RUNS = 3
PAGES = [
    ("Overview", "/overview"),
    ("Overview at /", "/"),
    ("Topics", "/topics"),
    ("One topic", "/topics?topic=1"),
    ("Topics, themes level", "/topics?level=themes&topic=0"),
    ("Trends", "/trends"),
    ("Outlets", "/outlets"),
    ("Stories", "/stories"),
    ("Entities", "/entities"),
    ("Blindspots", "/blindspots"),
    ("Headlines", "/headlines"),
    ("Search COVID-19", "/search?q=COVID-19"),
    ("Article", "/article?article={article}"),
    ("Collect", "/collect"),
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
WATCH = """(() => {
  window.__lastChange = performance.now();
  new MutationObserver(() => { window.__lastChange = performance.now(); })
    .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
})();"""
QUIET_MS = 500


def demo_store(tmp: Path) -> Path:
    db = tmp / "news.db"
    env = dict(os.environ, HF_HUB_OFFLINE="1", NUMBA_CACHE_DIR=str(ROOT / ".numba_cache"))
    for cmd in (["demo"], ["fit", "--if-needed"]):
        subprocess.run([sys.executable, "-m", "analysis", *cmd, "--db", str(db)], cwd=ROOT, env=env, check=True)
    return db


def serve(db: Path, port: int) -> subprocess.Popen[bytes]:
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
            "--server.address",
            "127.0.0.1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the app did not start")


def settle(browser, url: str) -> float:
    """Seconds from navigation to the page's last change, once it has not changed for QUIET_MS."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx.add_init_script(WATCH)
    page = ctx.new_page()
    try:
        page.goto(url, wait_until="commit")
        page.wait_for_selector('[data-testid="stMain"]', timeout=120_000)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
            ' && document.querySelectorAll(\'[data-testid="stMainBlockContainer"] '
            '[data-testid="stElementContainer"]\').length > 2'
            f" && performance.now() - window.__lastChange >= {QUIET_MS}",
            timeout=120_000,
            polling=50,
        )
        errors = page.locator('[data-testid="stException"]').count()
        if errors:
            raise AssertionError(f"{url}: the page shows an exception")
        return float(page.evaluate("() => window.__lastChange")) / 1000
    finally:
        ctx.close()


def run() -> None:
    from playwright.sync_api import sync_playwright

    from analysis.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(os.environ["BENCH_BROWSER_DB"]) if os.environ.get("BENCH_BROWSER_DB") else demo_store(Path(tmp))
        with Store(db, readonly=True) as s:
            article = s.execute("SELECT id FROM articles ORDER BY rid LIMIT 1 OFFSET 100").fetchone()[0]
        port = 8765
        proc = serve(db, port)
        rows = []
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
                base = f"http://127.0.0.1:{port}"
                cold = {name: settle(browser, base + path.format(article=article)) for name, path in PAGES}
                warm: dict[str, list[float]] = {name: [] for name, _ in PAGES}
                for _ in range(RUNS):
                    for name, path in PAGES:
                        warm[name].append(settle(browser, base + path.format(article=article)))
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        for name, path in PAGES:
            rows.append(
                {
                    "page": name,
                    "address": path.split("?")[0] + ("?…" if "?" in path else ""),
                    "first visit after start (s)": round(cold[name], 2),
                    "fresh context, warm server, median (s)": round(statistics.median(warm[name]), 2),
                    "max (s)": round(max(warm[name]), 2),
                    "under 3 s": max(warm[name]) < 3,
                }
            )
    notes = [
        f"demo store; headless Chromium, a new context per visit; the time of the page's last change once it has "
        f"not changed for {QUIET_MS} ms; warm: median of {RUNS} runs",
        "2 cores; the server and the browser share them",
    ]
    report("browser_pages", rows, notes)


if __name__ == "__main__":
    run()
