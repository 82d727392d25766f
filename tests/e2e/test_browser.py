"""Every page in a real headless Chromium: no exception box, the content a user sees, a screenshot.

Most tests run on the demo corpus after `fit` (as `make run` leaves it); the URL-state tests run on
the small fixture store whose numbers are known."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import assert_no_exception, wait_for_app
from tests.support.fixtures import fixture_rows

# url path of each page ("" is the default page, Overview).
PAGES = {
    "overview": "",
    "topics": "topics",
    "trends": "trends",
    "outlets": "outlets",
    "stories": "stories",
    "article": "article",
    "search": "search?q=climate",
    "collect": "collect",
}

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_without_exception(page, demo_url, name):
    page.goto(f"{demo_url}/{PAGES[name]}")
    wait_for_app(page, timeout=120_000)
    if name not in ("article", "collect"):
        page.wait_for_selector(".js-plotly-plot, [data-testid='stDataFrame']", timeout=60_000)
        page.wait_for_timeout(1500)
    assert_no_exception(page, name)


def test_click_a_topic_on_the_map_opens_its_detail(page, demo_url):
    page.goto(f"{demo_url}/topics?view=Map")
    wait_for_app(page, timeout=120_000)
    page.wait_for_selector(".js-plotly-plot .scatterlayer, .js-plotly-plot canvas", timeout=60_000)
    page.wait_for_timeout(1500)
    # Pixel position of a point of the last trace (the biggest topic) from plotly's own axes.
    xy = page.evaluate(
        """() => {
        const gd = document.querySelector('.js-plotly-plot');
        const tr = gd._fullData[gd._fullData.length - 1];
        const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
        const box = gd.getBoundingClientRect();
        const i = Math.floor(tr.x.length / 2);
        return {x: box.left + xa._offset + xa.l2p(tr.x[i]), y: box.top + ya._offset + ya.l2p(tr.y[i]),
                name: tr.name};
    }"""
    )
    page.mouse.click(xy["x"], xy["y"])
    page.wait_for_function("() => window.location.search.includes('topic=')", timeout=30_000)
    wait_for_app(page, timeout=60_000)
    page.wait_for_selector("text=Keywords and summary", timeout=60_000)
    headers = page.locator('[data-testid="stMain"] h2').all_inner_texts()
    assert xy["name"] in [h.strip() for h in headers], (xy["name"], headers)
    assert_no_exception(page, "topics-detail")


def test_click_an_article_in_a_table_opens_the_article_page(page, demo_url):
    page.goto(f"{demo_url}/search?q=wildfire")
    wait_for_app(page, timeout=120_000)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    first_title = None
    box = grid.bounding_box()
    # The row-selection marker of the first data row (left edge, below the header row).
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 17)
    page.wait_for_function("() => window.location.pathname.endsWith('/article')", timeout=30_000)
    wait_for_app(page, timeout=60_000)
    assert re.search(r"article=[0-9a-f]{16}", page.url), page.url
    page.wait_for_selector("text=Similar news from other outlets", timeout=60_000)
    first_title = page.locator('[data-testid="stMain"] h1').first.inner_text()
    assert first_title and "wildfire" in (first_title + page.locator("body").inner_text()).lower()
    assert page.get_by_text("Read more at the source").count() == 1
    assert_no_exception(page, "article-opened")


def test_overview_shows_counts_and_chart(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    n = f"{len(fixture_rows()):,}"
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stMetricValue]')].some(e => e.innerText === '" + n + "')",
        timeout=30_000,
    )
    page.wait_for_selector(".js-plotly-plot", timeout=20_000)
    assert page.get_by_text("Articles per day by outlet").count() >= 1  # six weeks: auto gives a bar a day
    assert_no_exception(page, "overview-fixture")


def test_filter_goes_into_the_url_and_a_shared_link_restores_it(page, app_url):
    page.goto(f"{app_url}/?outlet=Gotham+Gazette")
    wait_for_app(page)
    gotham = sum(1 for r in fixture_rows() if r["outlet"] == "Gotham Gazette")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stMetricValue\"]')]"
        f".some(e => e.innerText === '{gotham}')",
        timeout=20_000,
    )
    # Typing a search updates the address bar, so the view can be shared.
    box = page.locator('input[aria-label="Search text"]')
    box.fill("storm")
    box.press("Enter")
    page.wait_for_function("() => window.location.search.includes('q=storm')", timeout=20_000)
    assert "outlet=Gotham+Gazette" in page.url or "outlet=Gotham%20Gazette" in page.url
    assert_no_exception(page, "overview-filtered")


def test_upload_a_file_on_the_collect_page(page, fixture_db_copy, tmp_path, monkeypatch):
    from tests.e2e.conftest import start_app

    # Rows validated in worker processes spawned by the app's server, as a big upload's are (the page running
    # the import is the server's main "script", which a worker must not run).
    monkeypatch.setenv("NEWS_IMPORT_WORKERS", "2")
    csv = tmp_path / "new_articles.csv"
    csv.write_text(
        "title,text,outlet,date\n"
        "Harbour reopens after storm,The harbour reopened on Monday after the storm passed.,Coast Courier,2020-02-03\n"
        ",,Coast Courier,2020-02-04\n"
        "Ferries resume,Ferry services resumed along the coast.,Coast Courier,31/31/2020\n"
    )
    proc, url = start_app(fixture_db_copy)
    try:
        page.goto(f"{url}/collect")  # a deep link as the fresh server's first visit still goes through app.py
        wait_for_app(page)
        assert "Overview" in page.locator('[data-testid="stSidebarNav"]').inner_text()
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
            str(csv)
        )  # the articles' file
        page.get_by_role("button", name="Import", exact=True).wait_for(timeout=30_000)
        page.get_by_role("button", name="Import", exact=True).click()
        try:
            page.wait_for_selector("text=new_articles.csv: 3 rows read, 2 stored", timeout=60_000)
        finally:
            assert_no_exception(page, "data-upload")
        body = page.locator('[data-testid="stMain"]').inner_text()
        assert "1 rows rejected" in body
        assert "it has neither a title nor a text" in body or page.locator('[data-testid="stDataFrame"]').count() >= 1
    finally:
        proc.terminate()
        proc.wait(timeout=10)
