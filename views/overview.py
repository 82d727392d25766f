"""Overview: how many articles, from whom, over what span, and how volume moves over time."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.charts import change_bars, topic_bars, volume_chart
from ui import common, data, sidebar, state

filters = sidebar.filters()
st.title("Overview")
version = common.require_articles()

metrics_row = st.container()
c1, c2 = st.columns([4, 1])
with c2:
    period = state.selectbox(
        st, "Group by", ["week", "auto", "day", "month", "quarter"], key="group", default="week",
        help="auto picks the finest period that gives at most 160 bars.",
    )  # fmt: skip
    top_n = state.slider(st, "Outlets shown", 3, 20, key="top_outlets", default=8,
                         help="The rest are grouped as 'Other outlets'.")  # fmt: skip
ov = data.overview(data.store_path(), version, filters, period, top_n)
stats = ov["stats"]
if stats["articles"] == 0:
    metrics_row.warning(
        "No article matches the filters. Widen the date range, choose other outlets or clear the search."
    )
    st.stop()

topics = data.topic_overview(data.store_path(), version, filters)
with metrics_row:
    m1, m2, m3, m4, m5, m6, m7 = st.columns(7)
    m1.metric("Articles", f"{stats['articles']:,}")
    m2.metric("Outlets", f"{stats['outlets']:,}")
    first, last = stats["first"], stats["last"]
    m3.metric("First article", f"{first:%Y-%m}" if first is not None else "–")
    m4.metric("Last article", f"{last:%Y-%m}" if last is not None else "–")
    m5.metric("Without a date", f"{stats['undated']:,}", help="Kept and counted; left out of charts over time.")
    if topics is not None:
        m6.metric("Topics", f"{len(topics['counts']):,}", help="Topics with at least one article in the selection.")
        m7.metric("Unassigned", f"{topics['unassigned']:.1%}", help="Articles in no topic (outliers).")
    else:
        m6.metric("Topics", "–", help="Run `python -m analysis fit` to find topics.")

with c1:
    common.chart(volume_chart(ov["volume"], ov["period"]), key="volume_chart", table=ov["volume"],
                 filename="articles_per_period.csv")  # fmt: skip

st.subheader("Outlets")
table = ov["outlets"]
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        "outlet": "Outlet",
        "articles": st.column_config.NumberColumn("Articles", format="%d"),
        "share": st.column_config.ProgressColumn("Share", format="percent", min_value=0.0, max_value=1.0),
        "first_article": st.column_config.DatetimeColumn("First article", format="YYYY-MM-DD"),
        "last_article": st.column_config.DatetimeColumn("Last article", format="YYYY-MM-DD"),
        "undated": st.column_config.NumberColumn("Undated"),
        "country": "Country",
        "bias": "Bias (rating)",
    },
)
common.csv_download(table, "outlets.csv", key="dl_outlets", label="Download outlet table (CSV)")

if topics is not None:
    st.subheader("Topics")
    t1, t2 = st.columns(2)
    with t1:
        common.chart(topic_bars(topics["counts"], "Articles per topic in the selection (top 12)"), key="topic_bars",
                     table=topics["counts"], filename="topic_counts.csv")  # fmt: skip
    latest = data.latest_changes(data.store_path(), version, filters)
    with t2:
        lt = latest["latest"]
        if not lt.empty:
            when = f"{lt.attrs['period']} of {pd.Timestamp(lt.attrs['now']):%Y-%m-%d}"
            common.chart(topic_bars(lt, f"Biggest topics in the latest {when}", top_n=10), key="latest_bars",
                         table=lt, filename="latest_topics.csv")  # fmt: skip
    common.chart(change_bars(latest["changes"], k=6), key="changes", table=latest["changes"],
                 filename="rising_falling.csv")  # fmt: skip
    common.methods(version)
