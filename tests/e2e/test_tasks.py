"""Tasks a researcher or journalist does across pages, in headless Chromium on the fitted demo store:
open a shared link and click on, walk the sidebar, change page controls and share the view."""

from __future__ import annotations

import sqlite3
from urllib.parse import unquote_plus

import pytest

from tests.e2e.conftest import (
    assert_no_exception,
    click_point,
    main_text,
    metric_value,
    plot_titled,
    query,
    sidebar_link,
    wait_for_app,
)

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
        (
            "outlets?compare=bias&pick_bias=left&pick_bias=right&view=Coverage+gaps",
            ["Coverage gaps: left against right"],
        ),
        ("stories?order=newest&min_outlets=4", ["At least this many outlets"]),
    ],
)
def test_a_link_with_page_controls_opens_that_view(page, demo_url, path, expect):
    page.goto(f"{demo_url}/{path}")
    wait_for_app(page, timeout=120_000)
    for text in expect:
        page.get_by_text(text).first.wait_for(timeout=60_000)
    for key, values in query(page).items():
        assert f"{key}={values[0]}" in unquote_plus(path), (key, values, page.url)  # nothing reset to a default
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


def _behind_count(page, key_text: str = "behind the point") -> int:
    """The count a "N articles behind the point: ..." heading states."""
    import re

    heading = page.locator('[data-testid="stMain"] h3', has_text=key_text).first
    heading.wait_for(timeout=60_000)
    return int(re.match(r"([\d,]+) articles?", heading.inner_text()).group(1).replace(",", ""))


def _largest_point(trace: dict, count_at: int = 1) -> int:
    counts = [int(c[count_at]) for c in trace["customdata"]]
    return counts.index(max(counts))


@pytest.mark.parametrize("kind", ["lines", "area"])
def test_clicking_a_topic_share_point_lists_its_articles(page, demo_url, kind):
    page.goto(f"{demo_url}/trends?period=month&chart={kind}")
    wait_for_app(page, timeout=120_000)
    chart = plot_titled(page, "Topics over time (share of all articles per month)")
    trace = chart["traces"][0]
    k = _largest_point(trace)
    if kind == "area":  # stacked: the point whose slice above is thickest, so the click cannot land on that slice
        above = chart["traces"][1]["y"]
        k = max(range(len(above)), key=lambda i: (above[i] or 0) if trace["customdata"][i][1] else -1)
    expected = int(trace["customdata"][k][1])
    click_point(page, chart, 0, k)
    assert _behind_count(page) == expected  # the count in the chart's hover is the count listed
    assert f"{trace['name']}, month of" in main_text(page)
    page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').first.wait_for(state="visible")
    assert_no_exception(page, f"trends-click-{kind}")


def test_clicking_bars_and_tone_points_lists_their_articles(page, demo_url):
    page.goto(f"{demo_url}/trends?period=month&all_changes=1&view=Rising+and+falling+topics")
    wait_for_app(page, timeout=120_000)
    changes = plot_titled(page, "Rising and falling topics")
    bars = changes["traces"][0]
    top = max(range(len(bars["x"])), key=lambda i: bars["x"][i])  # the biggest rise
    click_point(page, changes, 0, top)
    assert _behind_count(page) == int(bars["customdata"][top][2])  # its articles in the latest month
    assert "month of 2020-07-01" in main_text(page)
    page.goto(f"{demo_url}/trends?period=month&view=Tone")
    wait_for_app(page, timeout=120_000)
    tone = plot_titled(page, "Tone over time")
    line = next(i for i, t in enumerate(tone["traces"]) if t["mode"] == "lines+markers")
    k = max(range(len(tone["traces"][line]["customdata"])), key=lambda i: int(tone["traces"][line]["customdata"][i][0]))
    scored = int(tone["traces"][line]["customdata"][k][0])
    click_point(page, tone, line, k)
    assert _behind_count(page) >= scored  # every scored article of the month, and any not scored
    assert_no_exception(page, "trends-click-tone")


def test_clicking_a_volume_bar_and_a_topic_size_bar(page, demo_url):
    page.goto(f"{demo_url}/overview?group=month")
    wait_for_app(page, timeout=120_000)
    volume = plot_titled(page, "Articles per month by outlet")
    trace = volume["traces"][0]  # the biggest outlet
    k = max(range(len(trace["y"])), key=lambda i: trace["y"][i])
    click_point(page, volume, 0, k)
    assert _behind_count(page) == int(trace["y"][k])
    assert f"{trace['name']}, month of" in main_text(page)
    page.goto(f"{demo_url}/topics")  # the topic sizes are the first tab
    wait_for_app(page, timeout=120_000)
    sizes = plot_titled(page, "Articles per topic")
    bars = sizes["traces"][0]
    biggest = len(bars["y"]) - 1  # drawn bottom to top: the last bar is the biggest topic
    click_point(page, sizes, 0, biggest)
    page.wait_for_function("() => window.location.search.includes('topic=')", timeout=30_000)
    wait_for_app(page, timeout=60_000)
    page.get_by_text("Keywords and summary").first.wait_for(timeout=60_000)
    assert bars["y"][biggest] in [h.strip() for h in page.locator('[data-testid="stMain"] h2').all_inner_texts()]
    assert_no_exception(page, "topics-size-click")


def test_import_with_bad_urls_then_update_and_every_count_follows(page, demo_db, tmp_path):
    """A file whose rows carry a javascript: URL and a broken host imports whole, links only the good
    URL, and the pipeline panel shows the new counts as soon as the update ends (no reload)."""
    import shutil

    from tests.e2e.conftest import start_app

    db = tmp_path / "news.db"
    with sqlite3.connect(demo_db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(demo_db, db)
    before = _count(db, "SELECT count(*) FROM articles")
    import csv as csv_module

    csv = tmp_path / "links.csv"
    body = "The harbour reopened on Monday after the storm passed, and ferries ran again along the coast."
    with csv.open("w", newline="") as fh:
        w = csv_module.writer(fh)
        w.writerow(["title", "text", "outlet", "url", "date"])
        w.writerow(
            ["Harbour reopens after storm", body, "Harbour Herald", "https://harbour.example/reopens", "2020-07-20"]
        )
        w.writerow(
            [
                "Ferries resume after storm",
                body + " Crews worked overnight.",
                "Harbour Herald",
                "javascript:alert(document.cookie)",
                "2020-07-20",
            ]
        )
        w.writerow(
            ["Storm damage counted", body + " Damage was counted.", "Harbour Herald", "http://[::1", "2020-07-21"]
        )
    proc, url = start_app(db)
    try:
        page.goto(f"{url}/collect")
        wait_for_app(page, timeout=120_000)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
            str(csv)
        )  # the articles' file
        page.get_by_role("button", name="Import", exact=True).click()
        page.get_by_text("links.csv: 3 rows read, 3 stored").first.wait_for(timeout=60_000)
        text = main_text(page)
        assert "2 rows had problems" in text
        assert metric_value(page, "Articles") == f"{before + 3:,}"  # the panel reads the store after the import
        topics_before = int(metric_value(page, "Placed by the topic model").replace(",", ""))
        page.get_by_role("button", name="Update new articles").click()
        page.get_by_text("the counts above are up to date").first.wait_for(timeout=300_000)
        assert metric_value(page, "Placed by the topic model") == f"{topics_before + 3:,}"
        assert_no_exception(page, "collect-update")
        bad = _count(db, "SELECT count(*) FROM articles WHERE outlet = 'Harbour Herald' AND url IS NULL")
        assert bad == 2
        article = (
            sqlite3.connect(db).execute("SELECT id FROM articles WHERE title LIKE 'Ferries resume%'").fetchone()[0]
        )
        page.goto(f"{url}/article?article={article}")
        wait_for_app(page, timeout=120_000)
        page.get_by_text("Similar news from other outlets").first.wait_for(timeout=60_000)
        assert page.get_by_text("Read more at the source").count() == 0  # never a link for a javascript: URL
        assert page.locator('a[href^="javascript"]').count() == 0
    finally:
        proc.terminate()
        proc.wait(timeout=10)
