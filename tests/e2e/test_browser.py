"""Every page in a real headless Chromium: no exception box, the content a user sees, a screenshot."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import assert_no_exception, wait_for_app
from tests.fixtures import fixture_rows

# url path of each page ("" is the default page, Overview).
PAGES = {"overview": ""}

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_without_exception(page, app_url, name):
    page.goto(f"{app_url}/{PAGES[name]}")
    wait_for_app(page)
    assert_no_exception(page, name)


def test_overview_shows_counts_and_chart(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert f"{len(fixture_rows()):,}" in metrics
    page.wait_for_selector(".js-plotly-plot", timeout=20_000)
    assert page.get_by_text("Articles per week by outlet").count() >= 1
    assert_no_exception(page, "overview-full")


def test_filter_goes_into_the_url_and_a_shared_link_restores_it(page, app_url):
    page.goto(f"{app_url}/?outlet=Gotham+Gazette")
    wait_for_app(page)
    gotham = sum(1 for r in fixture_rows() if r["outlet"] == "Gotham Gazette")
    page.wait_for_function(
        f"() => [...document.querySelectorAll('[data-testid=\"stMetricValue\"]')].some(e => e.innerText === '{gotham}')",
        timeout=20_000,
    )
    # Typing a search updates the address bar, so the view can be shared.
    box = page.locator('input[aria-label="Search text"]')
    box.fill("storm")
    box.press("Enter")
    page.wait_for_function("() => window.location.search.includes('q=storm')", timeout=20_000)
    assert "outlet=Gotham+Gazette" in page.url or "outlet=Gotham%20Gazette" in page.url
    assert_no_exception(page, "overview-filtered")
