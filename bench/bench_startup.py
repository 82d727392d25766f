"""Time from `make run` on an empty store to the first Overview render with the demo, in Chromium.

Also the second start (store already loaded). Uses a temporary store and port; the .venv must exist
(the install itself is not timed: it depends on the network).
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, report

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def time_to_first_render(db: Path, browser) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Seconds from `make run` to (server answering, Overview metrics visible)."""
    port = _free_port()
    env = dict(os.environ, NEWS_DB=str(db))
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    page = browser.new_page()
    try:
        served = None
        deadline = t0 + 600
        while time.perf_counter() < deadline:
            try:
                page.goto(f"http://127.0.0.1:{port}/", timeout=5000)
                served = served or time.perf_counter() - t0
                page.wait_for_selector('[data-testid="stMetricValue"]', timeout=120_000)
                return served, time.perf_counter() - t0
            except Exception:
                time.sleep(0.2)
        raise RuntimeError("the app did not render within 10 minutes")
    finally:
        page.close()
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def run() -> None:
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        db = Path(tmp) / "news.db"
        for label in ("first start (empty store, loads demo)", "second start (store loaded)"):
            served, rendered = time_to_first_render(db, browser)
            rows.append({"run": label, "server_up_s": round(served, 1), "overview_rendered_s": round(rendered, 1)})
        browser.close()
    report("startup", rows, ["measured from `make run` with .venv installed; includes `python -m analysis demo`"])


if __name__ == "__main__":
    run()
