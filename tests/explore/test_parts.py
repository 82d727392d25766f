"""Direct tests of read-side modules the page tests reach only through a page: periods, the topic map's
sample, one article and its similar news."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.explore import article as article_view
from analysis.explore.topics import sample_points
from analysis.periods import choose_period, grid, period_start
from analysis.store import Store


def test_periods_are_the_finest_that_fit_and_every_one_is_in_the_grid():
    first, last = pd.Timestamp("2020-01-15"), pd.Timestamp("2020-04-02")
    assert choose_period(first, last, max_periods=100) == "day"
    assert choose_period(first, last, max_periods=5) == "month"
    assert choose_period(None, last) == "week"
    g = grid(first, last, "month")
    assert [p.strftime("%Y-%m-%d") for p in g["period"]] == ["2020-01-01", "2020-02-01", "2020-03-01", "2020-04-01"]
    assert g["complete"].tolist() == [False, True, True, False]  # the data starts and stops inside the ends
    weeks = period_start(pd.Series(pd.to_datetime(["2020-01-15", "2020-01-19"], utc=True)), "week")
    assert weeks.dt.strftime("%Y-%m-%d").tolist() == ["2020-01-13", "2020-01-13"]  # weeks start on Monday


def test_period_starts_agree_with_pandas_calendar_across_years_time_zones_and_missing_dates():
    rng = np.random.default_rng(3)
    seconds = rng.integers(-40 * 365 * 86400, 60 * 365 * 86400, 5000)  # 1930 to 2030, around day 0
    ts = pd.Series(pd.to_datetime(seconds, unit="s", utc=True)).dt.tz_convert("America/New_York")
    ts.iloc[::97] = pd.NaT
    utc = ts.dt.tz_convert("UTC").dt.tz_localize(None)
    expected = {
        "day": utc.dt.normalize(),
        "week": utc.dt.normalize() - pd.to_timedelta(utc.dt.day_of_week, unit="D"),
        **{p: utc.dt.to_period(f).dt.start_time for p, f in (("month", "M"), ("quarter", "Q"), ("year", "Y"))},
    }
    for period, want in expected.items():
        got = period_start(ts, period)
        assert got.isna().equals(ts.isna()), period
        assert (got.dropna() == want.dropna().astype(got.dtype)).all(), period
        assert (period_start(ts.dt.tz_convert("UTC").astype(str), period).dropna() == got.dropna()).all(), period


def test_the_map_sample_keeps_every_topic():
    n = 1000
    df = pd.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(n)],
            "x": np.arange(n, dtype=float),
            "y": 0.0,
            "topic": [0] * 990 + [1] * 10,
            "topic_label": "t",
            "title": "h",
            "outlet": "o",
            "published": pd.to_datetime(["2020-01-01"] * n, utc=True),
        }
    )
    df = df.assign(theme=0, theme_label="T")
    found = sample_points(df, max_points=100)
    out = found.points
    assert found.total == n and 100 <= len(out) <= 110
    assert (out["topic"] == 1).sum() >= 5  # a small topic is not sampled away
    assert sample_points(df, max_points=5000).points.shape[0] == n


def test_one_article_and_similar_news_from_the_other_outlets_of_its_story(fitted_db):
    with Store(fitted_db) as store:
        frame = store.fits.corpus_frame(with_text=False)
        seed = frame[frame["title"].str.startswith("Hurricane Zeta") & (frame["outlet"] == "Gotham Gazette")]
        aid = str(seed["id"].iloc[0])
        a = article_view.article(store, aid)
        assert a is not None and a.outlet == "Gotham Gazette" and a.story is not None
        assert a.when.endswith(" UTC") and a.topic is not None
        sim = article_view.similar(store, aid, k=8).table
        assert article_view.article(store, "no-such-id") is None
    assert "Gotham Gazette" not in set(sim["outlet"])  # never the article's own outlet
    assert sim["outlet"].is_unique  # each outlet once
    story = sim[sim["same_story"]]
    assert set(story["outlet"]) == {"Daily Planet", "Star City Star", "Metropolis Mirror"}
    assert sim.index[sim["same_story"]].tolist() == [0, 1, 2]  # the story's articles come first
    assert (sim.loc[~sim["same_story"], "similarity"] >= article_view.RELATED_FLOOR).all()  # then related ones only
