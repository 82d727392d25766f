"""Tasks a researcher or journalist does across pages, in headless Chromium on the fitted demo store:
open a shared link and click on, walk the sidebar, change page controls and share the view."""

from __future__ import annotations

import sqlite3

import pytest

from tests.e2e.conftest import assert_no_exception, metric_value, plot_titled, query, sidebar_link, wait_for_app

pytestmark = pytest.mark.e2e

WALK = ["Outlets", "Topics", "Stories", "Overview", "Search", "Article", "Collect", "Trends"]


def _count(db, sql: str, *params) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(sql, params).fetchone()[0])


def _sidebar_chips(page, label: str) -> list[str]:
    """The values a sidebar multiselect shows as chosen."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]', has_text=label).first
    return [t.get_attribute("aria-label") or "" for t in box.locator(".react-aria-ComboBox [data-tag]").all()]


def test_a_shared_link_keeps_its_filters_on_every_page(page, demo_url, demo_db):
    cnn_president = _count(
        demo_db,
        "SELECT count(*) FROM articles a WHERE outlet = 'CNN' AND rid IN"
        " (SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'president')",
    )
    page.goto(f"{demo_url}/trends?outlet=CNN&q=president&topics=0")
    wait_for_app(page, timeout=120_000)
    for name in WALK:
        sidebar_link(page, name)
        q = query(page)
        assert q.get("outlet") == ["CNN"] and q.get("q") == ["president"] and q.get("topics") == ["0"], (name, page.url)
        assert _sidebar_chips(page, "Outlets") == ["CNN"], name
        assert page.locator('[data-testid="stSidebar"] input[aria-label="Search text"]').input_value() == "president"
        assert len(_sidebar_chips(page, "Topics")) == 1, name
        assert_no_exception(page, f"walk-{name.lower()}")
    # Dropping the topic filter on one page widens every page: Overview counts CNN's "president" articles.
    sidebar_link(page, "Overview")
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]', has_text="Topics").first.locator(
        '.react-aria-ComboBox button[aria-label^="Remove"]'
    ).first.click()
    page.wait_for_function("() => !window.location.search.includes('topics=')", timeout=30_000)
    wait_for_app(page)
    assert metric_value(page, "Articles") == f"{cnn_president:,}"
    sidebar_link(page, "Search")
    assert f"{cnn_president:,} articles match" in page.locator('[data-testid="stMain"]').inner_text()
    assert "topics" not in query(page) and query(page)["outlet"] == ["CNN"]


def _choose(page, label: str, option: str) -> None:
    """Pick an option of a selectbox in the main area by its label."""
    box = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]', has_text=label).first
    box.click()
    page.locator('[role="option"]', has_text=option).first.click()
    wait_for_app(page)


def _radio(page, label: str, option: str) -> None:
    group = page.locator('[data-testid="stMain"] [data-testid="stRadio"]', has_text=label).first
    group.locator("label", has_text=option).first.click()
    wait_for_app(page)


def test_page_controls_live_in_the_link_and_survive_a_page_change(page, browser, demo_url):
    page.goto(f"{demo_url}/trends?outlet=NPR")
    wait_for_app(page, timeout=120_000)
    _choose(page, "Period", "month")
    _radio(page, "Show", "articles")
    _radio(page, "Chart", "lines")
    q = query(page)
    assert (q["period"], q["show"], q["chart"], q["outlet"]) == (["month"], ["articles"], ["lines"], ["NPR"])
    link = page.url
    # Away and back through the sidebar: the page comes back as it was left.
    sidebar_link(page, "Overview")
    assert "period" not in query(page) and query(page)["outlet"] == ["NPR"]
    sidebar_link(page, "Trends")
    assert query(page)["period"] == ["month"] and query(page)["chart"] == ["lines"]
    # The link opened by someone else shows the same view.
    other = browser.new_context(viewport={"width": 1400, "height": 2000}).new_page()
    try:
        other.goto(link)
        wait_for_app(other, timeout=120_000)
        assert plot_titled(other, "Topics over time (articles per month)")
        checked = other.locator('[data-testid="stMain"] [data-testid="stRadio"] input:checked')
        labels = [other.evaluate("(e) => e.closest('label').innerText", h) for h in checked.element_handles()]
        assert "articles" in labels and "lines" in labels, labels
        assert _sidebar_chips(other, "Outlets") == ["NPR"]
    finally:
        other.context.close()


@pytest.mark.parametrize(
    ("path", "expect"),
    [
        ("outlets?compare=bias&pick_bias=left&pick_bias=right", ["Coverage gaps: left against right"]),
        ("stories?order=newest&min_outlets=4", ["At least this many outlets"]),
    ],
)
def test_a_link_with_page_controls_opens_that_view(page, demo_url, path, expect):
    page.goto(f"{demo_url}/{path}")
    wait_for_app(page, timeout=120_000)
    for text in expect:
        page.get_by_text(text).first.wait_for(timeout=60_000)
    for key, values in query(page).items():
        assert f"{key}={values[0]}" in path, (key, values, page.url)  # nothing reset to a default
    assert_no_exception(page, "controls-" + path.split("?")[0])


def test_a_one_day_range_stays_one_day(page, demo_url, demo_db):
    day = _count(demo_db, "SELECT count(*) FROM articles WHERE substr(published, 1, 10) = '2020-04-08'")
    assert day > 0
    page.goto(f"{demo_url}/overview?dates=2020-04-08&dates=2020-04-08")
    wait_for_app(page, timeout=120_000)
    assert metric_value(page, "Articles") == f"{day:,}"
    assert query(page)["dates"] == ["2020-04-08", "2020-04-08"]
    sidebar_link(page, "Search")
    assert f"{day:,} articles match" in page.locator('[data-testid="stMain"]').inner_text()


def test_overview_address_and_a_missing_topic_say_what_they_are(page, demo_url):
    page.goto(f"{demo_url}/overview")
    wait_for_app(page, timeout=120_000)
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator('[data-testid="stMain"] h1').first.inner_text().strip() == "Overview"
    page.goto(f"{demo_url}/topics?topic=987654")
    wait_for_app(page, timeout=120_000)
    assert "There is no topic 987654 in the current model" in page.locator('[data-testid="stMain"]').inner_text()
    assert_no_exception(page, "missing-topic")


def test_typing_an_outlet_and_enter_picks_that_outlet_only(page, demo_url):
    page.goto(f"{demo_url}/overview")
    wait_for_app(page, timeout=120_000)
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]', has_text="Outlets").first.click()
    page.keyboard.type("CNN")
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.location.search.includes('outlet=')", timeout=30_000)
    wait_for_app(page)
    assert query(page)["outlet"] == ["CNN"]
