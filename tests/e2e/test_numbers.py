"""Numbers a researcher can cite, checked in headless Chromium on the fitted demo store against the
store itself: shares of all coverage, zeros in quiet periods, outlets' holes, ties on day-precision
dates, one test everywhere, one palette, similar news in order, clean summaries, plain words."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from analysis.enrich.tone_scores import THRESHOLD
from analysis.explore.palette import BIAS
from tests.e2e.conftest import (
    assert_no_exception,
    download_csv,
    grid,
    grid_with,
    main_text,
    plot_titled,
    query,
    wait_for_app,
)

pytestmark = pytest.mark.e2e


def _one(db, sql: str, *params):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchone()


def _topic(db, word: str) -> tuple[int, str]:
    fit = _one(db, "SELECT value FROM meta WHERE key = 'active_fit'")[0]
    return _one(
        db, "SELECT topic, label FROM topics WHERE fit_id = ? AND label LIKE ? ORDER BY size DESC", fit, f"%{word}%"
    )


def _month_count(db, month: str, extra: str = "", *params) -> int:
    return _one(db, f"SELECT count(*) FROM articles a WHERE substr(a.published, 1, 7) = ? {extra}", month, *params)[0]


def test_a_topic_filter_shows_a_share_of_all_coverage_not_of_itself(page, demo_url, demo_db):
    topic, label = _topic(demo_db, "COVID")
    page.goto(f"{demo_url}/trends?topics={topic}&period=month&chart=lines")
    wait_for_app(page, timeout=120_000)
    trace = next(
        t
        for t in plot_titled(page, "Topics over time (share of all articles per month)")["traces"]
        if t["name"] == label
    )
    k = max(range(len(trace["y"])), key=lambda i: trace["y"][i] or 0)
    month = trace["x"][k][:7]
    fit = _one(demo_db, "SELECT value FROM meta WHERE key = 'active_fit'")[0]
    on_topic = _month_count(
        demo_db, month, "AND a.id IN (SELECT article_id FROM article_topics WHERE fit_id = ? AND topic = ?)", fit, topic
    )
    everything = _month_count(demo_db, month)
    assert trace["y"][k] < 1  # not 100%: the share is of all coverage that month
    assert trace["y"][k] == pytest.approx(on_topic / everything)
    assert [int(trace["customdata"][k][1]), int(trace["customdata"][k][2])] == [on_topic, everything]
    assert "counted against" in main_text(page)  # the page says what the share is of


def test_two_searches_compared_as_shares_of_all_coverage(page, demo_url, demo_db):
    page.goto(f"{demo_url}/trends?period=month&compare=immigration&compare=climate&view=Compare+searches+and+people")
    wait_for_app(page, timeout=120_000)
    chart = plot_titled(page, "Attention over time")
    names = [t["name"] for t in chart["traces"]]
    assert names == ["search: immigration", "search: climate"]
    line = chart["traces"][0]
    k = max(range(len(line["y"])), key=lambda i: line["y"][i] or 0)
    month = line["x"][k][:7]
    matching = _month_count(
        demo_db, month, "AND a.rid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)", "immigration"
    )
    assert [int(line["customdata"][k][1]), int(line["customdata"][k][2])] == [matching, _month_count(demo_db, month)]
    assert query(page)["compare"] == ["immigration", "climate"]  # the comparison is in the link


def test_a_quiet_month_is_a_zero_and_the_last_month_is_marked_partial(page, demo_url, demo_db):
    topic, _label = _topic(demo_db, "Kavanaugh")
    page.goto(f"{demo_url}/topics?topic={topic}&part=Over+time")
    wait_for_app(page, timeout=120_000)
    chart = plot_titled(page, "Share of all coverage per")
    trace = chart["traces"][0]
    months = [x[:7] for x in trace["x"]]
    assert months[0] == "2018-01" and months[-1] == "2020-07" and len(months) == 31  # every month of the span
    counts = [int(c[1]) for c in trace["customdata"]]
    assert 0 in counts and trace["y"][counts.index(0)] == 0  # a month without articles on it is a zero
    assert "2020-07-01 (the data ends 2020-07-21)" in main_text(page)
    assert_no_exception(page, "topic-zeros")


def test_an_outlet_with_holes_is_compared_only_over_months_both_cover(page, demo_url):
    page.goto(f"{demo_url}/overview?view=Outlets")
    wait_for_app(page, timeout=120_000)
    headers, rows = grid(page)
    fox = next(r for r in rows if r[0] == "Fox News")
    assert fox[headers.index("Coverage window")] == "2018-01 to 2018-12"
    assert "144 of 311 articles undated" in fox[headers.index("Coverage note")]
    page.goto(f"{demo_url}/outlets?pick_outlet=Fox+News&pick_outlet=CNN")
    wait_for_app(page, timeout=120_000)
    page.get_by_text("Compared over the").first.wait_for(timeout=60_000)
    text = main_text(page)
    assert re.search(r"Compared over the \d+ months every one of them covers \(2018-01 to 2018-\d\d\)", text)
    assert "Fox News: articles only 2018-01 to 2018-12" in text
    page.goto(f"{demo_url}/trends?outlet=Fox+News&period=month")
    wait_for_app(page, timeout=120_000)
    page.get_by_text("No article at all from the chosen outlets").first.wait_for(timeout=60_000)  # under the chart
    assert "No article at all from the chosen outlets, so no share" in main_text(page)


def test_same_day_stories_are_ties_not_firsts(page, demo_url, demo_db):
    story, tied, _outlets = _one(
        demo_db,
        "SELECT story_id, tied, first_outlet FROM stories WHERE tied > 1"
        " AND precision = 'day' ORDER BY outlets DESC LIMIT 1",
    )
    page.goto(f"{demo_url}/stories?story={story}")
    wait_for_app(page, timeout=120_000)
    page.get_by_text(f"First (a tie of {tied})").first.wait_for(timeout=60_000)
    assert "lags are in whole days" in main_text(page)
    headers, _ = grid_with(page, "Outlet")  # the story's articles
    assert "Days after the first day" in headers and "Hours after first" not in headers
    page.goto(f"{demo_url}/outlets?view=Who+was+first")
    wait_for_app(page, timeout=120_000)
    headers, _ = grid(page)
    assert {"First alone", "Tied first", "Median lag (days)"} <= set(headers)
    assert "Median lag (hours)" not in headers  # no demo story has times of day: no hours are claimed


def test_coverage_gaps_and_heatmap_use_one_test(page, demo_url):
    link = f"{demo_url}/outlets?compare=bias&pick_bias=left&pick_bias=right&scope=all+their+articles"
    page.goto(link + "&view=Topics")
    wait_for_app(page, timeout=120_000)
    heat = plot_titled(page, "Topic share of each one's articles against the others'")
    z = page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot')].map(g => g._fullData)"
        ".find(d => d.some(t => t.name === 'significant')).find(t => t.name === 'significant').z"
        ".map(r => Array.from(r))"
    )
    page.goto(link + "&view=Coverage+gaps")
    wait_for_app(page, timeout=120_000)
    page.get_by_text("Coverage gaps: left against right").first.wait_for(timeout=60_000)
    gaps = download_csv(page, "Download (CSV)")
    assert {"z", "p_value", "q_value", "significant"} <= set(gaps.columns)
    flagged = set(gaps.loc[gaps["significant"], "topic_label"])
    caption = re.search(r"(\d+) of (\d+) topics differ significantly", main_text(page))
    assert int(caption.group(1)) == len(flagged) and int(caption.group(2)) == len(gaps)
    # Each heatmap column is a topic; its coloured cells are exactly the topics the gap test calls significant.
    names = heat["traces"][0]["x"]
    coloured = {names[j] for row in z for j, v in enumerate(row) if v is not None and v == v}
    assert coloured == {n for n in names if n in flagged}
    assert_no_exception(page, "one-test")


def test_rising_and_falling_hide_what_is_not_significant(page, demo_url):
    page.goto(f"{demo_url}/trends?period=month&view=Rising+and+falling+topics")
    wait_for_app(page, timeout=120_000)
    chart = plot_titled(page, "Rising and falling topics")
    assert chart["title"].endswith("significant changes")
    bars = chart["traces"][0]
    assert all(c[5] == "significant" for c in bars["customdata"])


def test_left_is_blue_and_right_red_on_every_page(page, demo_url):
    page.goto(f"{demo_url}/trends?tone_by=bias&tone_min=1&view=Tone")
    wait_for_app(page, timeout=120_000)
    tone = plot_titled(page, "Tone over time")
    lines = {t["name"]: t["color"] for t in tone["traces"] if t["mode"] == "lines+markers"}
    bands = [t for t in tone["traces"] if t["mode"] == "lines" and t["fillcolor"]]
    assert lines["left"] == BIAS["left"] and lines["right"] == BIAS["right"]
    assert bands and all(t["mode"] == "lines" for t in bands)  # bands have no markers on their edges
    page.goto(f"{demo_url}/outlets?compare=bias&pick_bias=left&pick_bias=right")
    wait_for_app(page, timeout=120_000)
    volume = plot_titled(page, "Articles per month by bias")
    assert {t["name"]: t["color"] for t in volume["traces"]} == {"left": BIAS["left"], "right": BIAS["right"]}


def test_a_tone_label_never_contradicts_its_score(page, demo_url):
    page.goto(f"{demo_url}/search?q=president&limit=1000")
    wait_for_app(page, timeout=120_000)
    rows = download_csv(page, "Download the 1,000 shown", nth=0)
    scored = rows.dropna(subset=["tone"])
    assert len(scored) > 500
    neutral = scored[scored["tone_label"] == "neutral"]
    assert neutral["tone"].abs().max() <= THRESHOLD
    assert scored.loc[scored["tone_label"] == "negative", "tone"].max() < -THRESHOLD
    assert scored.loc[scored["tone_label"] == "positive", "tone"].min() > THRESHOLD


def test_similar_news_is_ordered_and_keeps_undated_articles_out(page, demo_url, demo_db):
    article = _one(
        demo_db,
        "SELECT a.id FROM articles a JOIN story_members m ON m.article_id = a.id"
        " WHERE a.published IS NOT NULL ORDER BY a.id LIMIT 1",
    )[0]
    page.goto(f"{demo_url}/article?article={article}&how_many=20")
    wait_for_app(page, timeout=120_000)
    page.get_by_text("Similar news from other outlets").first.wait_for(timeout=60_000)
    similar = download_csv(page, "Download (CSV)")
    assert len(similar) >= 1 and similar["same_story"].iloc[0]  # its own story first
    for _, part in similar.groupby("same_story"):
        assert part["similarity"].is_monotonic_decreasing
    assert ((similar["similarity"] >= 0.5) | similar["same_story"]).all()  # beyond the story, only related coverage
    assert similar["published"].notna().all()
    outlet = _one(demo_db, "SELECT outlet FROM articles WHERE id = ?", article)[0]
    assert outlet not in set(similar["outlet"])


def test_a_wire_dateline_is_not_in_the_summary(page, demo_url, demo_db):
    article, _title = _one(
        demo_db, "SELECT id, title FROM articles WHERE text LIKE 'WASHINGTON (Reuters) - %' ORDER BY id LIMIT 1"
    )
    page.goto(f"{demo_url}/article?article={article}")
    wait_for_app(page, timeout=120_000)
    page.get_by_text("Summarized so you can read it quickly").first.wait_for(timeout=60_000)
    summary = page.locator('[data-testid="stMain"] [data-testid="stText"]').first.inner_text()
    assert summary and "(Reuters)" not in summary and not summary.startswith("WASHINGTON")
    tags = json.loads(_one(demo_db, "SELECT tags FROM article_tags WHERE article_id = ?", article)[0])
    text = _one(demo_db, "SELECT lower(title || ' ' || text) FROM articles WHERE id = ?", article)[0]
    assert all(re.search(r"\b" + re.escape(w.lower()) + r"\b", text) for t in tags for w in t.split())


def test_tables_and_charts_speak_plain_words(page, demo_url):
    page.goto(f"{demo_url}/outlets?pick_outlet=CNN&pick_outlet=NPR&view=Who+was+first")
    wait_for_app(page, timeout=120_000)
    headers, _ = grid(page)
    for raw in ("rank_in_bias_group", "first_on", "median_lag_days", "articles_a", "story_id"):
        assert raw not in headers
    assert "Shared stories" in headers and "First alone" in headers
    assert "Rank" not in headers and "Rank in its bias group" not in headers  # among two outlets a rank says nothing
    page.goto(f"{demo_url}/trends?split=outlet+(the+biggest+6)")
    wait_for_app(page, timeout=120_000)
    plot_titled(page, "Topics over time")
    facets = page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot')]"
        ".flatMap(g => (g._fullLayout.annotations || []).map(a => a.text))"
    )
    assert facets and not any("outlet=" in str(f) for f in facets)
    page.goto(f"{demo_url}/topics?topic=0")
    wait_for_app(page, timeout=120_000)
    assert "c-TF-IDF" not in plot_titled(page, "Keywords of")["title"]
