"""The app on a PostgreSQL team store, in a real browser: the demo store migrated to PostgreSQL shows the
same numbers as on SQLite while a user walks across the pages, filters by an outlet, searches and opens an
article with its similar news."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.store import Store
from tests.e2e.conftest import ROOT, assert_no_exception, main_text, metric_value, sidebar_link, start_app, wait_for_app

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def pg_demo(demo_db: Path, pg_server: str):
    from tests.support.pg import fresh_database

    for url in fresh_database(pg_server):
        subprocess.run([sys.executable, "-m", "analysis", "migrate", str(demo_db), url], cwd=ROOT, check=True)
        yield url


@pytest.fixture(scope="module")
def pg_app(pg_demo: str):
    proc, url = start_app(pg_demo)  # type: ignore[arg-type]
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_walk_the_pages_of_a_team_store(page, pg_app, demo_db):
    with Store(demo_db, readonly=True) as s:
        total = s.count()
        cnn = s.execute("SELECT count(*) FROM articles WHERE outlet = 'CNN' AND duplicate_of IS NULL").fetchone()[0]
        aid = s.execute(
            "SELECT m.article_id FROM story_members m JOIN stories t ON t.story_id = m.story_id"
            " ORDER BY t.outlets DESC, m.article_id LIMIT 1"
        ).fetchone()[0]
    page.goto(f"{pg_app}/overview")
    wait_for_app(page, timeout=120_000)
    assert metric_value(page, "Articles") == f"{total:,}"
    page.goto(f"{pg_app}/overview?outlet=CNN")
    wait_for_app(page, timeout=120_000)
    assert metric_value(page, "Articles") == f"{cnn:,}"
    sidebar_link(page, "Trends")
    assert "outlet=CNN" in page.url
    assert_no_exception(page, "pg_trends")
    sidebar_link(page, "Stories")
    assert_no_exception(page, "pg_stories")
    page.goto(f"{pg_app}/search?q=climate")
    wait_for_app(page, timeout=120_000)
    assert_no_exception(page, "pg_search")
    assert "written as for a web search engine" in main_text(page)  # the syntax PostgreSQL reads, not FTS5's
    found = re.search(r"([\d,]+) articles? match", main_text(page))
    assert found and int(found.group(1).replace(",", "")) > 0  # PostgreSQL's own full-text search answered
    page.goto(f"{pg_app}/article?article={aid}")
    wait_for_app(page, timeout=120_000)
    page.get_by_text("Similar news from other outlets").first.wait_for(timeout=60_000)
    assert_no_exception(page, "pg_article")
    assert "No similar article" not in main_text(page)
