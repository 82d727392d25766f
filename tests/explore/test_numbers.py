"""The numbers behind the charts, by hand: shares of all coverage over a full grid of periods, outlets'
coverage holes, ties on day-precision dates, and what a story's bias split says without ratings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.enrich.similarity import story_table
from analysis.explore import coverage
from analysis.explore.outlets import outlet_profiles_of
from analysis.explore.stories import bias_text
from analysis.explore.trends import attention, rising_falling, tone_over_time, unit_shares
from analysis.ingest.dates import precision


def frame(rows):
    """Article frame rows: (published, outlet, topic[, tone])."""
    df = pd.DataFrame(rows, columns=["published", "outlet", "topic", "tone"][: len(rows[0])])
    df["published"] = pd.to_datetime(df["published"], utc=True)
    df["article_id"] = [f"a{i}" for i in range(len(df))]
    df["topic_label"] = df["topic"].map(lambda t: f"t{t}" if t >= 0 else "Unassigned")
    if "tone" not in df:
        df["tone"] = 0.0
    return df


def test_a_topic_share_is_of_all_coverage_with_every_period_present():
    # January: 4 articles, 1 on topic 1; February: none on topic 1 (2 others); March: no article at all.
    rows = [
        ("2020-01-06", "A", 1),
        ("2020-01-07", "A", 2),
        ("2020-01-08", "B", 2),
        ("2020-01-09", "B", 2),
        ("2020-02-03", "A", 2),
        ("2020-02-04", "B", 2),
        ("2020-04-06", "A", 1),
    ]
    everything = frame(rows)
    selection = everything[everything["topic"] == 1]  # a topic filter
    span = (pd.Timestamp("2020-01-06"), pd.Timestamp("2020-04-20"))
    shares = unit_shares(selection, everything, span, "month", shown=[1])
    out = shares.table
    assert shares.measure.startswith("each topic's articles as a share of all articles that month")
    assert list(out["period"].dt.strftime("%Y-%m")) == ["2020-01", "2020-02", "2020-03", "2020-04"]
    assert list(out["articles"]) == [1, 0, 0, 1] and list(out["total"]) == [4, 2, 0, 1]
    assert out["share"].iloc[0] == 0.25 and out["share"].iloc[1] == 0  # not 100%: of all coverage; a zero
    assert np.isnan(out["share"].iloc[2])  # no article at all: no share, not a zero
    assert list(out["complete"]) == [False, True, True, False]  # the span starts on the 6th and ends on the 20th
    assert "2020-04-01 (the data ends 2020-04-20)" in shares.notes[0]
    assert "No article at all from the chosen outlets" in shares.notes[1] and "2020-03-01" in shares.notes[1]
    themes = unit_shares(selection.assign(theme=7, theme_label="T"), everything, span, "month", key="theme")
    assert {"theme", "theme_label"} <= set(themes.table.columns) and "topic" not in themes.table.columns


def test_attention_lines_share_one_denominator():
    rows = [("2020-01-06", "A", 1), ("2020-01-07", "A", 2), ("2020-01-08", "B", 3), ("2020-01-13", "B", 1)]
    base = frame(rows)
    lines = [("topic 1", (base["topic"] == 1).to_numpy()), ("topic 2 or 3", base["topic"].isin([2, 3]).to_numpy())]
    span = (pd.Timestamp("2020-01-06"), pd.Timestamp("2020-01-13"))
    out = attention(base, lines, span, "week").table
    jan6 = out[out["period"] == "2020-01-06"].set_index("line")
    assert jan6.loc["topic 1", ["articles", "total"]].tolist() == [1, 3]
    assert jan6.loc["topic 2 or 3", "share"] == pytest.approx(2 / 3)
    per_outlet = attention(base, lines, span, "week", by="outlet").table
    b = per_outlet[(per_outlet["outlet"] == "B") & (per_outlet["line"] == "topic 1")]
    assert b[["articles", "total"]].values.tolist() == [[0, 1], [1, 1]]


def test_rising_and_falling_is_against_all_coverage_and_corrected():
    rows = [("2020-01-15", "A", 1)] * 2 + [("2020-01-15", "A", 2)] * 48
    rows += [("2020-02-15", "A", 1)] * 20 + [("2020-02-15", "A", 2)] * 30
    df = frame(rows)
    changes = rising_falling(df[df["topic"] == 1], df, "month")
    out = changes.table.set_index("topic")
    assert out.loc[1, "share_now"] == 0.4 and out.loc[1, "share_before"] == 0.04
    assert bool(out.loc[1, "significant"]) and out.loc[1, "q_value"] == pytest.approx(out.loc[1, "p_value"])
    assert changes.now_complete is False and changes.tests == 1  # the data stops on 15 February


def test_tone_breaks_where_a_period_has_nothing_scored():
    rows = [("2020-01-06", "A", 1, 0.5), ("2020-01-07", "A", 1, 0.1), ("2020-03-02", "A", 1, -0.2)]
    span = (pd.Timestamp("2020-01-06"), pd.Timestamp("2020-03-02"))
    out = tone_over_time(frame(rows), span, period="month", min_articles=1).table
    assert list(out["n"]) == [2, 0, 1]
    assert np.isnan(out["mean"].iloc[1]) and not out["enough"].iloc[1]


def test_coverage_window_gaps_and_common_months():
    months = pd.date_range("2019-01-01", "2019-12-01", freq="MS")
    rows = []
    for m in months:  # A: 20 a month, but 1 in June; B: 20 a month, January to August only
        rows += [(m + pd.Timedelta(days=3), "A", 1)] * (1 if m.month == 6 else 20)
        if m.month <= 8:
            rows += [(m + pd.Timedelta(days=3), "B", 1)] * 20
    rows += [(None, "B", 1)] * 5
    df = frame(rows)
    table = coverage.coverage(df, span=(pd.Timestamp("2019-01-01"), pd.Timestamp("2019-12-31")))
    a, b = table.set_index("outlet").loc["A"], table.set_index("outlet").loc["B"]
    assert a["gap_months"] == [pd.Timestamp("2019-06-01")] and a["norm"] == 20
    assert (b["first_month"], b["last_month"], b["undated"]) == (
        pd.Timestamp("2019-01-01"),
        pd.Timestamp("2019-08-01"),
        5,
    )
    common = coverage.common_months(table, "outlet", ["A", "B"])
    assert coverage.month_runs(common) == "2019-01 to 2019-05, 2019-07 to 2019-08"
    assert "articles only 2019-01 to 2019-08" in coverage.describe(
        b, (pd.Timestamp("2019-01-01"), pd.Timestamp("2019-12-31"))
    )
    # The Overview's outlet columns: the window, its gaps and the note, per name; an outlet without dates says so.
    rows += [(None, "U", 1)] * 3
    full = coverage.coverage(frame(rows), span=(pd.Timestamp("2019-01-01"), pd.Timestamp("2019-12-31")))
    cols = coverage.coverage_columns(pd.Series(["B", "A", "U", "Nowhere"]), full.assign(note=["n1", "n2", "n3"]))
    assert cols["coverage"].tolist() == [
        "2019-01 to 2019-08",
        "2019-01 to 2019-12",
        "no dated article",
        "no dated article",
    ]
    assert cols["gap_months"].tolist() == [0, 1, 0, 0]
    assert cols["note"].tolist()[3] == "" and set(cols["note"].tolist()[:3]) == {"n1", "n2", "n3"}
    # A small outlet's quiet month is not a gap: 2 a month with one month at 0 is likely by chance.
    small = frame([(m + pd.Timedelta(days=3), "S", 1) for m in months for _ in range(0 if m.month == 4 else 2)])
    assert coverage.coverage(small)["gaps"].iloc[0] == 0


def _story(rows, labels):
    articles = pd.DataFrame(rows, columns=["id", "outlet", "published", "title", "precision"])
    return story_table(articles.assign(bias=""), np.array(labels))


def test_first_to_report_is_a_tie_when_dates_have_no_time():
    rows = [
        ("a", "A", "2020-03-10T00:00:00Z", "t", "day"),
        ("b", "B", "2020-03-10T00:00:00Z", "t", "day"),
        ("c", "C", "2020-03-12T00:00:00Z", "t", "day"),
    ]
    stories, members = _story(rows, [0, 0, 0])
    assert stories.iloc[0][["first_outlet", "tied", "precision"]].tolist() == ["A, B", 2, "day"]
    assert members["first"].tolist() == [True, True, False]
    assert members["lag_days"].tolist() == [0, 0, 2] and members["lag_hours"].isna().all()
    assert bias_text({"left": 0, "center": 0, "unknown": 3}) == "unknown 3"  # never "left 0, center 0"


def test_first_to_report_by_time_when_every_first_day_article_has_one():
    rows = [
        ("a", "A", "2020-03-10T09:00:00Z", "t", "time"),
        ("b", "B", "2020-03-10T06:00:00Z", "t", "time"),
        ("c", "C", "2020-03-11T00:00:00Z", "t", "day"),
    ]
    stories, members = _story(rows, [0, 0, 0])
    assert stories.iloc[0][["first_outlet", "tied", "precision"]].tolist() == ["B", 1, "time"]
    m = members.set_index("id")
    assert m.loc["a", "lag_hours"] == 3 and np.isnan(m.loc["c", "lag_hours"]) and m.loc["c", "lag_days"] == 1
    # A day-only article on the first day could have been earlier: then the first day's outlets tie.
    rows[2] = ("c", "C", "2020-03-10T00:00:00Z", "t", "day")
    stories, _ = _story(rows, [0, 0, 0])
    assert stories.iloc[0][["tied", "precision"]].tolist() == [3, "day"]


def test_outlet_profiles_count_ties_apart_from_firsts():
    df = pd.DataFrame(
        {
            "article_id": ["a", "b", "c", "d"],
            "outlet": ["A", "B", "A", "B"],
            "story_id": [0.0, 0.0, 1.0, 1.0],
            "published": pd.to_datetime(
                ["2020-03-10T00:00Z", "2020-03-10T00:00Z", "2020-03-12T08:00Z", "2020-03-12T11:00Z"], utc=True
            ),
            "precision": ["day", "day", "time", "time"],
            "tone": [0.1] * 4,
            "country": "US",
            "bias": "left",
            "lag_hours": np.nan,
        }
    )
    prof = outlet_profiles_of(df).set_index("outlet")
    assert prof.loc["A", ["first_on", "tied_first", "timed_stories"]].tolist() == [1, 1, 1]
    assert prof.loc["B", ["first_on", "tied_first"]].tolist() == [0, 1]
    assert prof.loc["B", "median_lag_hours"] == 3 and prof.loc["B", "median_lag_days"] == 0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2020-03-10", "day"),
        ("2020-03-10T00:00:00Z", "day"),
        ("2020-03-10T14:05:00Z", "time"),
        ("Mon, 06 Jan 2020 09:00:00 EST", "time"),
        ("1/8/20", "day"),
        (1583848800, "time"),
        ("", None),
        (None, None),
        (pd.Timestamp("2020-03-10 00:00"), "day"),
        ("2017/3/9 7:11", "time"),
    ],
)
def test_date_precision(raw, expected):
    assert precision(raw) == expected


def test_outlet_profiles_with_only_day_precision_dates_claim_no_timed_story():
    # No story has times of day (as in a corpus of dates only): the per-outlet counts of timed stories are empty
    # groups, which once failed to line up with the outlets (seen at a million articles, not on the demo).
    df = pd.DataFrame(
        {
            "article_id": list("abcdef"),
            "outlet": ["A", "B", "C", "A", "B", "C"],
            "story_id": [0.0, 0.0, 0.0, 1.0, 1.0, np.nan],
            "published": pd.to_datetime(
                ["2020-03-10", "2020-03-10", "2020-03-11", "2020-03-12", "2020-03-13", "2020-03-13"], utc=True
            ),
            "precision": ["day"] * 6,
            "tone": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
            "country": "US",
            "bias": "left",
        }
    )
    prof = outlet_profiles_of(df).set_index("outlet")
    assert prof["timed_stories"].tolist() == [0, 0, 0]
    assert prof.loc[["A", "B", "C"], "stories"].tolist() == [2, 2, 1]
    assert prof.loc[["A", "B", "C"], "tied_first"].tolist() == [1, 1, 0]  # same-day firsts are ties, not firsts
    assert prof.loc[["A", "B", "C"], "first_on"].tolist() == [1, 0, 0]  # a day ahead is first
    assert prof.loc["C", "median_lag_days"] == 1 and prof.loc["B", "median_lag_days"] == 1
    assert prof["articles"].sum() == 6


def test_the_latest_period_says_when_the_data_ends_before_it_does():
    from analysis.explore.trends import latest_units

    rows = [("2020-06-10", "A", 1), ("2020-07-02", "A", 1), ("2020-07-21", "B", 2)]
    partial = latest_units(frame(rows), frame(rows), "month")
    assert partial.now == pd.Timestamp("2020-07-01") and partial.ends == pd.Timestamp("2020-07-21")
    assert list(partial.table["articles"]) == [1, 1] and list(partial.table["total"]) == [2, 2]
    full = frame([*rows[:1], ("2020-07-31", "B", 2)])
    whole = latest_units(full, full, "month")
    assert whole.ends is None  # the month's last day is there: not partial
