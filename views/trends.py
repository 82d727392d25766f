"""Trends: topic shares over time, tone over time with its confidence band, rising and falling
topics, and the articles behind any point."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import charts
from ui import common, data, sidebar, state

filters = sidebar.filters()
st.title("Trends")
version = common.require_articles()
common.require_fit(version)
path = data.store_path()
df = data.assignments(path, version, filters)
if df.empty:
    common.no_match()

c1, c2, c3, c4 = st.columns(4)
period = state.selectbox(c1, "Period", ["auto", "day", "week", "month", "quarter"], key="period", default="auto",
                         help="auto picks the finest period that gives at most 100 points.")  # fmt: skip
value = state.radio(c2, "Show", ["share", "articles"], key="show", default="share", horizontal=True,
                    help="share: of all articles that period; articles: counts.")  # fmt: skip
kind = state.radio(c3, "Chart", ["area", "lines"], key="chart", default="area", horizontal=True)
top_n = state.slider(c4, "Topics", 3, 15, key="top_topics", default=8,
                     help="The biggest topics in the selection; the rest are grouped.")  # fmt: skip
by_outlet = state.toggle(st, "One chart per outlet (the biggest 6 in the selection)", key="per_outlet")
trend = data.trends_view(path, version, filters, None if period == "auto" else period, top_n, by_outlet)
shares = trend["shares"]
event = common.chart(
    charts.share_chart(shares, value=value, kind=kind, facet="outlet" if by_outlet else None), key="shares",
    table=shares, filename="topic_shares.csv", on_select="rerun", selection_mode="points",
)  # fmt: skip
points = event.selection.points if event is not None and hasattr(event, "selection") else []
if points:
    p = points[0]
    custom = p.get("customdata") or []
    topic = int(custom[0]) if custom else None
    start = pd.Timestamp(p.get("x"))
    outlet = None
    if by_outlet and "outlet" in shares.columns:
        match = shares[(shares["period"] == start) & (shares["topic"] == topic)]
        outlet = match["outlet"].iloc[0] if len(match) == 1 else None
    behind = data.articles_behind(path, version, filters, trend["period"], start, topic, outlet)
    label = shares.loc[shares["topic"] == topic, "topic_label"].iloc[0] if topic is not None else ""
    st.subheader(
        common.plain(f"{len(behind):,} articles behind the point: {label}, {trend['period']} of {start:%Y-%m-%d}")
    )
    common.article_table(behind, key="behind", columns=common.COMMON_COLUMNS, height=300)
else:
    st.caption("Click a point on the chart to list the articles behind it.")

st.subheader("Rising and falling topics")
changes = trend["changes"]
common.chart(charts.change_bars(changes), key="changes", table=changes, filename="rising_falling.csv")

st.subheader("Tone over time")
t1, t2 = st.columns([1, 3])
by = state.selectbox(t1, "By", ["all articles", "topic", "outlet", "bias"], key="tone_by", default="all articles")
min_n = state.number_input(t1, "Minimum articles per point", 1, 500, key="tone_min", default=5,
                           help="Periods with fewer scored articles are left out of the chart (kept in the CSV).")  # fmt: skip
col = {"topic": "topic_label", "outlet": "outlet", "bias": "bias"}.get(by)
choices = data.group_values(path, version, filters, col) if col else []
picked = state.multiselect(t1, "Show", choices, key="tone_values", default=choices[:4]) if col else []
tone = data.tone_view(path, version, filters, None if period == "auto" else period, col, tuple(picked), int(min_n))
with t2:
    common.chart(charts.tone_chart(tone, by=col), key="tone", table=tone, filename="tone_over_time.csv")
common.methods(version)
