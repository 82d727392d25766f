"""Overview: how many articles, from whom, over what span, where each outlet's coverage has holes,
and how volume and topics move over time."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.explore import stats
from analysis.explore.coverage import coverage_columns
from ui import common, data, sidebar, state, topic_data, view_data
from ui.charts import change_bars, volume_chart
from ui.topic_charts import topic_bars

filters = sidebar.filters()
st.title("Overview")
version = common.require_articles()
path = data.store_path()

metrics_row = st.container()
c1, c2 = st.columns([4, 1])
with c2:
    period = state.selectbox(
        st, "Group by", ["week", "auto", "day", "month", "quarter"], key="group", default="week",
        help="auto picks the finest period that gives at most 160 bars.",
    )  # fmt: skip
    top_n = state.slider(st, "Outlets shown", 3, 20, key="top_outlets", default=8,
                         help="The rest are grouped as 'Other outlets'.")  # fmt: skip
ov = data.overview(path, version, filters, period, top_n)
stats_ = ov["stats"]
if stats_["articles"] == 0:
    metrics_row.warning(
        "No article matches the filters. Widen the date range, choose other outlets or clear the search."
    )
    st.stop()

topics = topic_data.topic_overview(path, version, filters)
noun = filters.noun
with metrics_row:
    m1, m2, m3, m4, m5, m6, m7 = st.columns(7)
    m1.metric("Articles", f"{stats_['articles']:,}")
    m2.metric("Outlets", f"{stats_['outlets']:,}")
    first, last = stats_["first"], stats_["last"]
    m3.metric("First article", f"{first:%Y-%m}" if first is not None else "–")
    m4.metric("Last article", f"{last:%Y-%m}" if last is not None else "–")
    m5.metric("Without a date", f"{stats_['undated']:,}", help="Kept and counted; left out of charts over time.")
    if topics is not None:
        m6.metric(f"{noun.capitalize()}s", f"{len(topics['counts']):,}",
                  help=f"{noun.capitalize()}s with at least one article in the selection.")  # fmt: skip
        m7.metric("Unassigned", f"{topics['unassigned']:.1%}", help="Articles in no topic (outliers).")
    else:
        m6.metric("Topics", "–", help="Run `python -m analysis fit` to find topics.")

volume = ov["volume"]
with c1:
    ev = common.chart(volume_chart(volume, ov["period"], data.colors(path, version)["outlet"]), key="volume_chart",
                      table=volume, filename="articles_per_period.csv", on_select="rerun",
                      selection_mode="points")  # fmt: skip
    common.period_notes(volume)
pt = common.clicked(ev)
if pt and pt["custom"]:
    start, outlet = pd.Timestamp(pt["x"]), str(pt["custom"][0])
    shown = tuple(o for o in volume["outlet"].unique() if o != "Other outlets")
    found = view_data.articles_behind(path, version, filters, ov["period"], start, outlet=outlet, outlets_shown=shown)
    common.behind(found, f"{outlet}, {ov['period']} of {start:%Y-%m-%d}", "volume_behind")

st.subheader("Outlets")
table = ov["outlets"]
table = table.assign(**coverage_columns(table["outlet"], data.coverage_table(path, version)))
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_order=[
        "outlet",
        "articles",
        "share",
        *(["of_its_coverage"] if filters.narrows_content else []),
        "coverage",
        "gap_months",
        "undated",
        "country",
        "bias",
        "note",
    ],
    column_config={
        "outlet": "Outlet",
        "articles": st.column_config.NumberColumn("Articles", format="%d"),
        "share": st.column_config.ProgressColumn(
            "Share of the selection",
            format="percent",
            min_value=0.0,
            max_value=1.0,
            help="Of the articles the filters select",
        ),
        "of_its_coverage": st.column_config.NumberColumn(
            "Of its coverage",
            format="percent",
            help="Its selected articles among all its articles in these dates (without the topic and search filters)",
        ),
        "coverage": st.column_config.TextColumn("Coverage window", help="Months of its first and last dated article"),
        "gap_months": st.column_config.NumberColumn(
            "Gap months",
            help="Months in its window with far fewer articles "
            "than its norm (below half its median month, Poisson p ≤ 0.01)",
        ),
        "undated": st.column_config.NumberColumn("Undated"),
        "country": "Country",
        "bias": "Bias rating",
        "note": st.column_config.TextColumn("Coverage note", width="large"),
    },
)
holes = table[table["note"] != ""]
if len(holes):
    st.caption(common.plain(
        f"{len(holes)} outlets have holes in their coverage (a narrower window, gap months or undated articles); "
        "comparisons on the Outlets page are made over the months every compared outlet covers."
    ))  # fmt: skip
common.csv_download(table, "outlets.csv", key="dl_outlets", label="Download outlet table (CSV)")

if topics is not None:
    st.subheader(f"{noun.capitalize()}s")
    t1, t2 = st.columns(2)
    counts = topics["counts"]
    with t1:
        ev = common.chart(topic_bars(counts, f"Articles per {noun} in the selection (top 12)"), key="topic_bars",
                          table=counts, filename="topic_counts.csv", on_select="rerun", selection_mode="points")  # fmt: skip
    latest = topic_data.latest_changes(path, version, filters)
    with t2:
        lt = latest["latest"]
        ev_latest = None
        if not lt.empty:
            when = f"{lt.attrs['period']} of {pd.Timestamp(lt.attrs['now']):%Y-%m-%d}"
            ev_latest = common.chart(topic_bars(lt, f"Biggest {noun}s in the latest {when}", top_n=10),
                                     key="latest_bars", table=lt, filename="latest_topics.csv", on_select="rerun",
                                     selection_mode="points")  # fmt: skip
    pt = common.clicked(ev)
    if pt and pt["y"] is not None:
        label = str(pt["y"])
        row = counts[counts["topic_label"] == label]
        if len(row):
            topic = int(row["topic"].iloc[0])
            found = topic_data.articles_in_topic(path, version, filters, topic)
            common.behind(found, label, "topic_behind")
            if filters.level != "themes" and st.button("Open this topic", key="open_topic"):
                state.goto("views/topics.py", topic=topic)
    pt = common.clicked(ev_latest)
    if pt and pt["y"] is not None and not lt.empty:
        row = lt[lt["topic_label"] == str(pt["y"])]
        if len(row):
            now = pd.Timestamp(lt.attrs["now"])
            found = view_data.articles_behind(
                path, version, filters, lt.attrs["period"], now, int(row["topic"].iloc[0])
            )
            common.behind(found, f"{pt['y']}, {lt.attrs['period']} of {now:%Y-%m-%d}", "latest_behind")
    changes = latest["changes"]
    show_all = state.toggle(st, "Also show changes that are not significant (grey)", key="all_changes")
    ev_changes = common.chart(change_bars(changes, k=6, significant_only=not show_all, noun=noun), key="changes", table=changes,
                              filename="rising_falling.csv", on_select="rerun", selection_mode="points")  # fmt: skip
    pt = common.clicked(ev_changes)
    if pt and pt["custom"] and changes.attrs.get("now") is not None:
        now = pd.Timestamp(changes.attrs["now"])
        topic = int(pt["custom"][0])
        label = changes.loc[changes["topic"] == topic, "topic_label"].iloc[0]
        found = view_data.articles_behind(path, version, filters, changes.attrs["period"], now, topic)
        common.behind(found, f"{label}, {changes.attrs['period']} of {now:%Y-%m-%d}", "changes_behind")
    st.caption(stats.note(len(changes)) + " Shares are of all articles from the chosen outlets in each period.")
    common.methods(version)
