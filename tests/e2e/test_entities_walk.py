"""Entities in the browser: pick the most named person in the table, follow them with the Mentions filter
across pages and a shared link, and open a story's coverage bar."""

from __future__ import annotations

import sqlite3

import pytest

from tests.e2e.conftest import assert_no_exception, main_text, metric_value, query, sidebar_link, wait_for_app

pytestmark = pytest.mark.e2e


def _top_person(db) -> tuple[int, str, int]:
    with sqlite3.connect(db) as conn:
        eid, name = conn.execute(
            "SELECT e.entity_id, e.name FROM entities e JOIN article_entities a ON a.entity_id = e.entity_id"
            " GROUP BY e.entity_id ORDER BY count(DISTINCT a.article_id) DESC, e.entity_id LIMIT 1"
        ).fetchone()
        n = conn.execute("SELECT count(DISTINCT article_id) FROM article_entities WHERE entity_id = ?", (eid,))
        return int(eid), str(name), int(n.fetchone()[0])


def test_pick_an_entity_then_follow_it_across_pages(page, demo_url, demo_db):
    eid, name, articles = _top_person(demo_db)
    page.goto(f"{demo_url}/entities")
    wait_for_app(page, timeout=120_000)
    grid = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').first
    grid.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 17)  # the first row: the most named
    page.wait_for_function(f"() => window.location.search.includes('entity={eid}')", timeout=30_000)
    wait_for_app(page)
    assert page.locator('[data-testid="stMain"] h2').first.inner_text().strip().startswith(name)
    assert metric_value(page, "Articles naming it") == f"{articles:,}"
    assert "Who names it more" in main_text(page)  # a tab: which outlets name it more or less than the others
    assert_no_exception(page, "entity-detail")
    page.goto(f"{demo_url}/overview?mentions={eid}")  # a shared link with the Mentions filter
    wait_for_app(page, timeout=120_000)
    assert metric_value(page, "Articles") == f"{articles:,}"
    sidebar_link(page, "Stories")
    assert query(page).get("mentions") == [str(eid)]
    sidebar_link(page, "Headlines")
    assert query(page).get("mentions") == [str(eid)] and "Covered by outlets in" in main_text(page)
    sidebar_link(page, "Blindspots")
    page.wait_for_selector("text=one-sided binomial test", timeout=120_000)
    assert_no_exception(page, "mentions-walk")
