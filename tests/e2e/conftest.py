"""Start the real app on a free port against a fixture store, and a headless Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "e2e" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_app(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = dict(os.environ, NEWS_DB=str(db))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("The app did not start within 60 s:\n" + proc.stdout.read().decode(errors="replace"))


@pytest.fixture(scope="session")
def app_url(fixture_db: Path) -> Iterator[str]:
    proc, url = start_app(fixture_db)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus after `fit`, made as a new user's `make run` makes it (a few minutes, once per run).
    NEWS_E2E_DB points at one made earlier, to save the time while developing."""
    prepared = os.environ.get("NEWS_E2E_DB")
    if prepared:
        return Path(prepared)
    db = tmp_path_factory.mktemp("demo") / "news.db"
    env = dict(os.environ, HF_HUB_OFFLINE="1", NUMBA_CACHE_DIR=str(ROOT / ".numba_cache"))
    for cmd in (["demo"], ["fit", "--if-needed"]):  # as `make run` does: the demo ships its fit
        subprocess.run([sys.executable, "-m", "analysis", *cmd, "--db", str(db)], cwd=ROOT, env=env, check=True)
    return db


@pytest.fixture(scope="session")
def demo_url(demo_db: Path) -> Iterator[str]:
    proc, url = start_app(demo_db)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; run: sudo apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 2000})  # tall: Streamlit scrolls inside the page
    pg = ctx.new_page()
    yield pg
    ctx.close()


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Wait until the script run has finished and the page has content."""
    page.wait_for_selector('[data-testid="stMain"]', timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && document.querySelectorAll("
        '\'[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]\').length > 0',
        timeout=timeout,
    )
    # A run can start a moment after the first elements show: settled means no run and no new element for 0.4 s.
    deadline, last = time.monotonic() + timeout / 1000, -1
    while time.monotonic() < deadline:
        page.wait_for_timeout(400)
        now = page.evaluate(
            "() => document.querySelector('[data-testid=\"stStatusWidget\"]') ? -1"
            " : document.querySelectorAll('[data-testid=\"stElementContainer\"]').length"
        )
        if now >= 0 and now == last:
            break
        last = now


def assert_no_exception(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, f"{name}: Streamlit exception: {errors.first.inner_text()[:500]}"
    assert page.get_by_text("Page not found").count() == 0, f"{name}: Streamlit says the page does not exist"


def sidebar_link(page, name: str) -> None:
    """Follow a page link in the sidebar, as a user does, and wait for the page."""
    path = "/" + name.lower()
    # by the link's address: its text also holds the icon's name ("person_search" would match "Search")
    page.locator(f'[data-testid="stSidebarNav"] a[href$="{path}"]').first.click()
    page.wait_for_function("(p) => window.location.pathname.endsWith(p)", arg=path, timeout=30_000)
    wait_for_app(page, timeout=120_000)


def metric_value(page, label: str) -> str:
    """The value shown by the st.metric with this label."""
    box = page.locator('[data-testid="stMetric"]', has=page.locator('[data-testid="stMetricLabel"]', has_text=label))
    return box.first.locator('[data-testid="stMetricValue"]').inner_text().strip()


def query(page) -> dict[str, list[str]]:
    """The page's query parameters as a user would copy them from the address bar."""
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(page.url).query)


def plots(page, min_count: int = 1) -> list[dict]:
    """The plotly charts on the page once drawn: their title, traces (name, x, y, customdata) and index."""
    page.wait_for_function(
        "(n) => [...document.querySelectorAll('.js-plotly-plot')].filter(g => g._fullLayout).length >= n",
        arg=min_count,
        timeout=60_000,
    )
    return page.evaluate(
        """() => [...document.querySelectorAll('.js-plotly-plot')].map((g, i) => ({
            index: i,
            title: String((g.layout && g.layout.title && (g.layout.title.text || g.layout.title)) || '')
                .replace(/<[^>]+>/g, ''),
            traces: (g._fullData || []).map(t => ({name: t.name, type: t.type, x: Array.from(t.x || []),
                                              y: Array.from(t.y || []), mode: t.mode || null,
                                              customdata: t.customdata ? Array.from(t.customdata, r => Array.isArray(r)
                                                ? r : (r && r.length !== undefined ? Array.from(r) : r)) : null,
                                              color: (t.line && t.line.color)
                                                || (t.marker && typeof t.marker.color === 'string'
                                                    ? t.marker.color : null),
                                              fillcolor: t.fillcolor || null, showlegend: t.showlegend})),
        }))"""
    )


def plot_titled(page, prefix: str) -> dict:
    """The chart whose title starts with prefix."""
    for _ in range(20):
        for p in plots(page):
            if str(p["title"]).startswith(prefix):
                return p
        page.wait_for_timeout(500)
    raise AssertionError(f"no chart titled {prefix!r}: {[p['title'] for p in plots(page)]}")


FIND_PLOT_JS = """(pi) => {
  const all = [...document.querySelectorAll('.js-plotly-plot')];
  if (typeof pi === 'number') return all[pi];
  const title = g => String((g.layout && g.layout.title && (g.layout.title.text || g.layout.title)) || '')
    .replace(/<[^>]+>/g, '');
  return all.find(g => title(g) === pi);
}"""

POINT_JS = (
    """(args) => {
  const [pi, ti, k] = args;
  const gd = ("""
    + FIND_PLOT_JS
    + """)(pi);
  const tr = gd._fullData[ti];
  const xa = gd._fullLayout[(tr.xaxis || 'x').replace('x', 'xaxis')];
  const ya = gd._fullLayout[(tr.yaxis || 'y').replace('y', 'yaxis')];
  const cd = gd.calcdata[ti][k];
  const box = gd.getBoundingClientRect();
  let px, py;
  if (tr.type === 'bar' && tr.orientation === 'h') {
    px = xa.c2p(((cd.s0 || 0) + (cd.s1 !== undefined ? cd.s1 : cd.s)) / 2); py = ya.c2p(cd.p);
  } else if (tr.type === 'bar') {
    px = xa.c2p(cd.p); py = ya.c2p(((cd.s0 || 0) + (cd.s1 !== undefined ? cd.s1 : cd.s)) / 2);
  } else {
    px = xa.c2p(cd.x); py = ya.c2p(cd.y);
  }
  gd.scrollIntoView({block: 'center'});
  const b = gd.getBoundingClientRect();
  return {x: b.left + xa._offset + px, y: b.top + ya._offset + py, name: tr.name,
          xv: tr.x ? tr.x[k] : null, yv: tr.y ? tr.y[k] : null};
}"""
)


def click_point(page, plot: dict | int, trace_index: int, point_index: int) -> dict:
    """Click one point (a marker, a bar) of a plotly chart as a user does; returns its name and values.
    plot: a chart from plot_titled (found again by its title, so charts drawn above it meanwhile do not
    shift it) or a chart's position on the page."""
    key = plot["title"] if isinstance(plot, dict) else plot
    # A rerun may redraw the chart between reading it and clicking it: wait until the point is drawn.
    page.wait_for_function(
        """([pi, ti, k]) => { const g = ("""
        + FIND_PLOT_JS
        + """)(pi);
             return !!(g && g._fullLayout && g._fullData && g._fullData[ti] && g.calcdata && g.calcdata[ti]
                       && g.calcdata[ti][k]); }""",
        arg=[key, trace_index, point_index],
        timeout=60_000,
    )
    xy = page.evaluate(POINT_JS, [key, trace_index, point_index])
    page.mouse.click(xy["x"], xy["y"])
    return xy


def plot_index(page, prefix: str) -> int:
    """The position of the chart whose title starts with prefix among the page's charts."""
    return plot_titled(page, prefix)["index"]


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def grid(page, nth: int = 0) -> tuple[list[str], list[list[str]]]:
    """The headers and the rows of a table (st.dataframe) as its accessible grid gives them (the rows
    drawn on screen)."""
    box = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').nth(nth)
    box.wait_for(state="visible", timeout=60_000)
    # The grid draws only the columns in view: read it in a window wide enough for every column, once
    # the headers stop changing (column widths settle after the first paint).
    size = page.viewport_size
    page.set_viewport_size({"width": 3200, "height": size["height"] if size else 2000})
    try:
        headers: list[str] = []
        for _ in range(20):
            page.wait_for_timeout(400)
            now = [h.strip() for h in box.locator('[role="columnheader"]').all_inner_texts()]
            if now and now == headers:
                break
            headers = now
        rows = []
        for r in box.locator('[role="row"]').all():
            cells = [c.strip() for c in r.locator('[role="gridcell"]').all_inner_texts()]
            if cells:
                rows.append(cells)
    finally:
        if size:
            page.set_viewport_size(size)
    return headers, rows


def grid_with(page, column: str) -> tuple[list[str], list[list[str]]]:
    """The first table in view with a column of this name (tables can come and go above it)."""
    tables = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]')
    tables.first.wait_for(state="visible", timeout=60_000)
    for nth in range(tables.count()):
        if tables.nth(nth).is_visible():
            headers, rows = grid(page, nth)
            if column in headers:
                return headers, rows
    raise AssertionError(f"no table in view has a column {column!r}")


def download_csv(page, button_text: str, nth: int = -1):
    """Click a download button and read the CSV it gives (as pandas)."""
    import io

    import pandas as pd
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    buttons = page.locator('[data-testid="stDownloadButton"] button:visible', has_text=button_text)
    target = buttons.nth(nth) if nth >= 0 else buttons.last
    for attempt in range(2):  # a click that lands while the page reruns is lost; a user clicks again
        try:
            with page.expect_download(timeout=45_000) as info:
                target.click()
            break
        except PlaywrightTimeout:
            if attempt:
                raise
            wait_for_app(page)
    return pd.read_csv(io.BytesIO(Path(info.value.path()).read_bytes()))


def select_row(page, row: int, nth: int = 0) -> None:
    """Tick a row of a table (st.dataframe with row selection) by its box in the row-marker column."""
    box = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').nth(nth)
    box.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    where = box.bounding_box()
    assert where is not None
    page.mouse.click(where["x"] + 14, where["y"] + 35 * (row + 1) + 17)
