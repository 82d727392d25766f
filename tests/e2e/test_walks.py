"""A researcher's and a journalist's tasks across the pages in headless Chromium on the demo store, as they were
done when the pages each rebuilt the selection and disagreed: a hyphenated search on every page, a topic opened on
the themes level, topic sizes under narrowed dates, two outlets compared where one has no article, bias groups
side by side, one person's coverage under a topic, the headlines front page, and a chart's data with its
selection."""

from __future__ import annotations

import re
import sqlite3

import pytest

from tests.e2e.conftest import (
    assert_no_exception,
    download_csv,
    main_text,
    metric_value,
    plot_titled,
    query,
    select_row,
    sidebar_link,
    wait_for_app,
)

pytestmark = pytest.mark.e2e


def _one(db, sql: str, *params):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchone()


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def test_a_researcher_follows_covid_19_across_pages_and_levels(page, demo_url, demo_db):
    # A hyphenated search from a shared link: every page counts the same articles, none breaks.
    page.goto(f"{demo_url}/overview?q=COVID-19")
    wait_for_app(page, timeout=120_000)
    articles = _number(metric_value(page, "Articles"))
    assert articles > 100
    for name in ("Search", "Topics", "Trends", "Outlets", "Stories", "Entities", "Blindspots", "Headlines"):
        sidebar_link(page, name)
        assert query(page).get("q") == ["COVID-19"], name
        assert_no_exception(page, f"walk-covid-{name.lower()}")
        if name == "Search":
            assert f"{articles:,} articles match" in main_text(page)
            every = download_csv(page, f"Download all {articles:,}", nth=0)  # not only the 200 shown
            assert len(every) == articles and every["url"].str.startswith("http").all()
    # The comparison box takes the same words; each line is a share of all coverage.
    page.goto(f"{demo_url}/trends?period=month&view=Compare+searches+and+people&compare=COVID-19&compare=coronavirus")
    wait_for_app(page, timeout=120_000)
    chart = plot_titled(page, "Attention over time")
    assert [t["name"] for t in chart["traces"]] == ["search: COVID-19", "search: coronavirus"]
    line = chart["traces"][0]
    assert sum(int(c[1]) for c in line["customdata"]) <= articles
    # The themes level: a topic opened there shows the topic's own articles, not theme 0's.
    topic, label, size = _one(
        demo_db,
        "SELECT t.topic, t.label, (SELECT count(*) FROM article_topics a WHERE"
        " a.fit_id = t.fit_id AND a.topic = t.topic) FROM topics t WHERE t.fit_id = (SELECT"
        " CAST(value AS INTEGER) FROM meta WHERE key = 'active_fit') ORDER BY t.topic LIMIT 1",
    )
    page.goto(f"{demo_url}/topics?level=themes&topic={topic}&part=Over+time")
    wait_for_app(page, timeout=120_000)
    assert label in [h.strip() for h in page.locator('[data-testid="stMain"] h2').all_inner_texts()]
    assert metric_value(page, "Articles in the selection") == f"{size:,}"
    shares = plot_titled(page, "Share of all coverage per")
    assert sum(int(c[1]) for c in shares["traces"][0]["customdata"]) <= size
    assert_no_exception(page, "walk-themes-topic")
    # ... and a theme opens there with the theme's own articles (its topics together).
    active = "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'active_fit')"
    theme, theme_label = _one(
        demo_db,
        f"SELECT theme, label FROM themes WHERE fit_id = {active} AND theme ="
        f" (SELECT theme FROM topics WHERE fit_id = {active} AND topic = ?)",
        topic,
    )
    theme_size = _one(
        demo_db,
        f"SELECT count(*) FROM article_topics a JOIN topics t ON t.fit_id = a.fit_id AND"
        f" t.topic = a.topic WHERE a.fit_id = {active} AND t.theme = ?",
        theme,
    )[0]
    page.goto(f"{demo_url}/topics?level=themes&theme={theme}&part=Over+time")
    wait_for_app(page, timeout=120_000)
    assert theme_label in [h.strip() for h in page.locator('[data-testid="stMain"] h2').all_inner_texts()]
    assert metric_value(page, "Articles in the selection") == f"{theme_size:,}"
    assert_no_exception(page, "walk-themes-theme")


def test_topic_sizes_follow_the_dates_the_overview_follows(page, demo_url, demo_db):
    link = "dates=2020-03-01&dates=2020-04-30"
    page.goto(f"{demo_url}/overview?{link}")
    wait_for_app(page, timeout=120_000)
    articles = _number(metric_value(page, "Articles"))
    page.goto(f"{demo_url}/topics?{link}")
    wait_for_app(page, timeout=120_000)
    said = re.search(r"Articles of the selection \(([\d,]+); ([\d,]+) in no topic\)", main_text(page))
    assert said and _number(said.group(1)) == articles
    bars = plot_titled(page, "Articles per topic in the selection")
    assert sum(bars["traces"][0]["x"]) <= articles - _number(said.group(2))
    # a 2018 story's topic counts only its articles of these dates (a few 2020 pieces recall it), not its size
    topic, label, size = _one(
        demo_db,
        "SELECT topic, label, size FROM topics WHERE label LIKE 'Kavanaugh%' AND fit_id = (SELECT MAX(id) FROM fits)",
    )
    (in_dates,) = _one(
        demo_db,
        "SELECT COUNT(*) FROM article_topics t JOIN articles a ON a.id = t.article_id WHERE t.topic = ? AND t.fit_id = "
        "(SELECT MAX(id) FROM fits) AND a.published >= '2020-03-01' AND a.published < '2020-05-01'",
        topic,
    )
    shown = dict(zip(map(str, bars["traces"][0]["y"]), bars["traces"][0]["x"], strict=True))
    assert shown.get(label, 0) == in_dates < size


def test_a_journalist_compares_outlets_groups_and_one_persons_coverage(page, demo_url, demo_db):
    # CNN against Fox News in March-April 2020: Fox News is named, with the reason, not silently dropped.
    page.goto(f"{demo_url}/outlets?pick_outlet=CNN&pick_outlet=Fox+News&dates=2020-03-01&dates=2020-04-30")
    wait_for_app(page, timeout=120_000)
    text = main_text(page)
    assert "The chosen outlet Fox News has no article in the selection" in text and "outside these dates" in text
    assert "not in this store" not in text
    # Bias groups: left against right by default, and who was first by group.
    page.goto(f"{demo_url}/outlets?compare=bias&view=Who+was+first")
    wait_for_app(page, timeout=120_000)
    box = page.locator('[data-testid="stMain"] [data-testid="stMultiSelect"]', has_text="Side by side").first
    chosen = box.inner_text()
    assert "left" in chosen and "right" in chosen and "center" not in chosen  # left and right, as expected
    first_table = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').first
    first_table.wait_for(timeout=60_000)
    # One person under a topic: what each share is of, and the test within the topic's articles.
    eid, _name = _one(demo_db, "SELECT entity_id, name FROM entities WHERE name LIKE 'Christine Blasey Ford'")
    topic = _one(demo_db, "SELECT topic FROM topics WHERE label LIKE 'Kavanaugh%' ORDER BY fit_id DESC LIMIT 1")[0]
    page.goto(f"{demo_url}/entities?entity={eid}&topics={topic}&entity_by=bias+groups&part=Who+names+it+more")
    wait_for_app(page, timeout=120_000)
    assert metric_value(page, "Of the selection").endswith("%") and metric_value(page, "Of all coverage").endswith("%")
    text = main_text(page)
    assert "share is of its own articles in the selection (under a topic filter: its articles on the topic)" in text
    assert_no_exception(page, "walk-entity")
    # The headlines front page: each card names its outlets and draws who covered it by side.
    page.goto(f"{demo_url}/headlines")
    wait_for_app(page, timeout=120_000)
    text = main_text(page)
    assert "Covered by outlets in the United States" in text and "latest news" not in text
    assert re.search(r"\d+ outlets: [A-Z]", text) and re.search(r"Left \d+ \(\d+%\)", text)
    sidebar_link(page, "Stories")
    page.locator('[data-testid="stMain"] input[aria-label="Find a story"]').fill("COVID-19")
    page.keyboard.press("Enter")
    wait_for_app(page)
    assert_no_exception(page, "walk-find-story")


def test_a_charts_data_says_what_was_selected(page, demo_url):
    page.goto(f"{demo_url}/trends?outlet=CNN&level=themes&period=month")
    wait_for_app(page, timeout=120_000)
    chart = plot_titled(page, "Themes over time")
    assert all(t["name"] != "Other topics" for t in chart["traces"])
    data = download_csv(page, "Chart data (CSV)")
    assert {"theme", "theme_label", "articles", "total", "share", "selection"} <= set(data.columns)
    said = data["selection"].iloc[0]
    assert "outlets: CNN" in said and "level: themes" in said and "share of all articles that month" in said
    subtitle = page.evaluate("() => document.querySelector('.js-plotly-plot').layout.title.subtitle.text")
    assert "outlets: CNN" in subtitle


def test_opening_a_similar_article_stays_on_that_article(page, demo_url, demo_db):
    # A story's article with similar news from other outlets; ticking one opens it, and the new page's own
    # table must not carry the tick over (it did: the page switched between two articles every second).
    sql = "SELECT article_id FROM story_members JOIN stories USING (story_id) WHERE outlets >= 5 ORDER BY 1 LIMIT 1"
    (aid,) = _one(demo_db, sql)
    page.goto(f"{demo_url}/article?article={aid}")
    wait_for_app(page, timeout=120_000)
    first = page.locator("h1").first.inner_text()
    page.get_by_text("Similar news from other outlets").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    tables = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').count()
    select_row(page, 0, nth=tables - 1)  # the similar-news table is the page's last (who is quoted comes before it)
    changed = "(t) => document.querySelector('h1') && document.querySelector('h1').innerText !== t"
    page.wait_for_function(changed, arg=first, timeout=30_000)
    wait_for_app(page)
    opened = page.locator("h1").first.inner_text()
    seen = set()
    for _ in range(6):
        page.wait_for_timeout(500)
        seen.add(page.locator("h1").first.inner_text())
    assert seen == {opened}, f"the page kept changing: {seen}"
    assert_no_exception(page, "walk-similar-open")
