"""The themes level in the browser: switched once in the sidebar, kept in the link and on every page,
followed by each page's charts and tables."""

from __future__ import annotations

import sqlite3

import pytest

from tests.e2e.conftest import (
    assert_no_exception,
    main_text,
    metric_value,
    plot_titled,
    query,
    sidebar_link,
    wait_for_app,
)

pytestmark = pytest.mark.e2e


def _theme_labels(db) -> set[str]:
    with sqlite3.connect(db) as conn:
        fit = conn.execute("SELECT value FROM meta WHERE key = 'active_fit'").fetchone()[0]
        return {r[0] for r in conn.execute("SELECT label FROM themes WHERE fit_id = ?", (int(fit),))}


def test_switching_to_themes_changes_every_page_and_stays_on_the_walk(page, demo_url, demo_db):
    labels = _theme_labels(demo_db)
    assert 5 <= len(labels) <= 25
    page.goto(f"{demo_url}/overview")
    wait_for_app(page, timeout=120_000)
    page.locator('[data-testid="stSidebar"] [data-testid="stRadio"]', has_text="Level").first.locator(
        "label", has_text="Themes"
    ).first.click()
    page.wait_for_function("() => window.location.search.includes('level=themes')", timeout=30_000)
    wait_for_app(page)
    assert metric_value(page, "Themes") == str(len(labels))
    page.get_by_role("tab", name="Themes", exact=True).click()
    wait_for_app(page)
    bars = plot_titled(page, "Articles per theme in the selection")
    assert set(bars["traces"][0]["y"]) <= labels
    sidebar_link(page, "Trends")
    assert query(page).get("level") == ["themes"]
    shares = plot_titled(page, "Themes over time")
    assert {t["name"] for t in shares["traces"]} <= labels | {"Other themes", "Other topics"}
    sidebar_link(page, "Topics")
    assert query(page).get("level") == ["themes"]
    page.get_by_role("tab", name="Themes", exact=True).click()
    wait_for_app(page)
    assert "themes group the" in main_text(page)
    sidebar_link(page, "Outlets")
    assert query(page).get("level") == ["themes"]
    page.get_by_role("tab", name="Themes", exact=True).click()
    wait_for_app(page)
    heat = plot_titled(page, "Theme share of each one's articles against the others'")
    assert set(heat["traces"][0]["x"]) <= labels  # outlets down the side, themes across
    assert_no_exception(page, "themes-walk")
    with sqlite3.connect(demo_db) as conn:
        size = conn.execute("SELECT size FROM themes WHERE theme = 0 ORDER BY fit_id DESC LIMIT 1").fetchone()[0]
    page.goto(f"{demo_url}/overview?level=themes&themes=0")  # a shared link with a theme filter
    wait_for_app(page, timeout=120_000)
    assert metric_value(page, "Articles") == f"{size:,}"
    sidebar_link(page, "Search")
    assert query(page).get("themes") == ["0"] and f"{size:,} articles match" in main_text(page)
    assert_no_exception(page, "themes-link")
