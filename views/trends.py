"""Trends: topics as a share of all coverage over time, attention to searches and topics compared,
rising and falling topics, tone over time with its confidence band, and the articles behind any point."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.explore import stats
from ui import charts, common, data, sidebar, state, topic_data, view_data

filters = sidebar.filters()
st.title("Trends")
version = common.require_articles()
common.require_fit(version)
path = data.store_path()
noun = filters.noun
df = data.assignments(path, version, filters)
if df.empty:
    common.no_match()
colors = data.colors(path, version)
st.caption(
    "Shares are of **all** articles from the chosen outlets in each period (the sidebar's dates, outlets, bias "
    "and country), with the counts beside them: a topic or search filter narrows what is counted, never what "
    "it is counted against."
)

c1, c2, c3, c4 = st.columns(4)
period = state.selectbox(c1, "Period", ["auto", "day", "week", "month", "quarter"], key="period", default="auto",
                         help="auto picks the finest period that gives at most 100 points.")  # fmt: skip
value = state.radio(c2, "Show", ["share", "articles"], key="show", default="share", horizontal=True,
                    help="share: of all articles from the chosen outlets that period; articles: counts.")  # fmt: skip
kind = state.radio(c3, "Chart", ["area", "lines"], key="chart", default="area", horizontal=True)
top_n = state.slider(c4, f"{noun.capitalize()}s", 3, 15, key="top_topics", default=8,
                     help=f"The biggest {noun}s in the selection; the rest are grouped.")  # fmt: skip
by_outlet = state.toggle(st, "One chart per outlet (the biggest 6 in the selection)", key="per_outlet")
chosen_period = None if period == "auto" else period
trend = view_data.trends_view(path, version, filters, chosen_period, top_n, by_outlet)
shares = trend["shares"]
event = common.chart(
    charts.share_chart(shares, value=value, kind=kind, facet="outlet" if by_outlet else None, noun=noun), key="shares",
    table=shares, filename="topic_shares.csv", on_select="rerun", selection_mode="points",
)  # fmt: skip
common.period_notes(shares, by_outlet)
common.coverage_notes(path, version, filters, list(shares["outlet"].unique()) if by_outlet else list(filters.outlets))
point = common.clicked(event)
if point and point["custom"]:
    topic, outlet = int(point["custom"][0]), (point["custom"][3] or None) if by_outlet else None
    start = pd.Timestamp(point["x"])
    shown = tuple(int(t) for t in shares["topic"].unique() if t >= 0)
    behind = view_data.articles_behind(path, version, filters, trend["period"], start, topic, outlet, shown)
    label = shares.loc[shares["topic"] == topic, "topic_label"].iloc[0]
    common.behind(behind, f"{label}{', ' + outlet if outlet else ''}, {trend['period']} of {start:%Y-%m-%d}", "behind")
else:
    st.caption("Click a point on the chart to list the articles behind it.")

st.subheader(f"Attention over time: compare searches and {noun}s")
a1, a2 = st.columns([3, 2])
searches = state.lines_input(
    a1, "Searches (one per line)", key="compare", height=110,
    placeholder='climate\n"supreme court" AND abortion\ntariffs OR "trade war"',
    help="Each line is a full-text search (the sidebar's search syntax), drawn as its own line.",
)  # fmt: skip
choices = topic_data.level_choices(path, version, filters.level)
labels = dict(choices)
compared = state.multiselect(a2, f"{noun.capitalize()}s", list(labels), key="compare_topics", what=f"{noun}s",
                             format_func=lambda t: labels.get(t, f"{noun.capitalize()} {t}"),
                             placeholder=f"Add {noun}s")  # fmt: skip
as_set = state.toggle(a2, f"The chosen {noun}s as one set (one line)", key="topic_set")
topic_sets = [tuple(compared)] if as_set and compared else [(t,) for t in compared]
names = [f"search: {q}" for q in searches] + [
    f"{noun}s: " + " + ".join(labels.get(t, str(t)) for t in ts)
    if len(ts) > 1
    else f"{noun}: {labels.get(ts[0], ts[0])}"
    for ts in topic_sets
]
if len(names) > 5:
    st.warning(f"Compare at most five lines at once; the first five of your {len(names)} are drawn.")
    keep = names[:5]
    searches, topic_sets = searches[: min(len(searches), 5)], topic_sets[: max(0, 5 - len(searches))]
    names = keep
if names:
    att = view_data.attention_view(path, version, filters, tuple(searches), tuple(topic_sets), tuple(names),
                              chosen_period, by_outlet)  # fmt: skip
    ev = common.chart(charts.attention_chart(att, value=value, facet="outlet" if by_outlet else None),
                      key="attention", table=att, filename="attention_over_time.csv", on_select="rerun",
                      selection_mode="points")  # fmt: skip
    st.caption(
        "Every line counts the articles matching it among all articles of the sidebar's dates, outlets, bias and "
        "country (the sidebar's own topics and search do not apply here), so the lines are comparable."
    )
    common.period_notes(att, by_outlet)
    pt = common.clicked(ev)
    if pt and pt["custom"]:
        line = str(pt["custom"][0])
        k = names.index(line) if line in names else -1
        start = pd.Timestamp(pt["x"])
        outlet = (pt["custom"][3] or None) if by_outlet else None
        search = searches[k] if 0 <= k < len(searches) else None
        topics_in = topic_sets[k - len(searches)] if k >= len(searches) else None
        shown_behind = view_data.articles_behind(path, version, filters.sources(), att.attrs["period"], start,
                                            outlet=outlet, search=search, raw_topics_in=topics_in)  # fmt: skip
        common.behind(shown_behind, f"{line}, {att.attrs['period']} of {start:%Y-%m-%d}", "attention_behind")
else:
    st.caption(f"Type searches or pick {noun}s to draw each as its share of all coverage over time.")

st.subheader(f"Rising and falling {noun}s")
changes = trend["changes"]
show_all = state.toggle(st, "Also show changes that are not significant (grey)", key="all_changes")
ev = common.chart(charts.change_bars(changes, significant_only=not show_all, noun=noun), key="changes", table=changes,
                  filename="rising_falling.csv", on_select="rerun", selection_mode="points")  # fmt: skip
st.caption(stats.note(len(changes)) + " Shares are of all articles from the chosen outlets in each period.")
pt = common.clicked(ev)
if pt and pt["custom"] and changes.attrs.get("now") is not None:
    topic = int(pt["custom"][0])
    now = pd.Timestamp(changes.attrs["now"])
    found = view_data.articles_behind(path, version, filters, changes.attrs["period"], now, topic)
    label = changes.loc[changes["topic"] == topic, "topic_label"].iloc[0]
    common.behind(found, f"{label}, {changes.attrs['period']} of {now:%Y-%m-%d}", "changes_behind")

st.subheader("Tone over time")
t1, t2 = st.columns([1, 3])
by = state.selectbox(t1, "By", ["all articles", "topic", "outlet", "bias"], key="tone_by", default="all articles",
                     format_func=lambda b: noun if b == "topic" else b)  # fmt: skip
min_n = state.number_input(t1, "Minimum articles per point", 1, 500, key="tone_min", default=5,
                           help="Periods with fewer scored articles are gaps in the chart (kept in the CSV).")  # fmt: skip
col = {"topic": "topic_label", "outlet": "outlet", "bias": "bias"}.get(by)
choices_by = view_data.group_values(path, version, filters, col) if col else []
picked = state.multiselect(t1, "Show", choices_by, key="tone_values", default=choices_by[:4]) if col else []
if not col:
    state.forget("tone_values")
tone = view_data.tone_view(path, version, filters, chosen_period, col, tuple(picked), int(min_n))
tone_colors = colors["bias"] if col == "bias" else colors["outlet"] if col == "outlet" else None
with t2:
    ev = common.chart(charts.tone_chart(tone, by=col, colors=tone_colors), key="tone", table=tone,
                      filename="tone_over_time.csv", on_select="rerun", selection_mode="points")  # fmt: skip
st.caption(common.TONE_RULE)
pt = common.clicked(ev)
if pt and len(pt["custom"]) >= 4:
    start = pd.Timestamp(pt["x"])
    group = str(pt["custom"][3])
    found = view_data.articles_behind(path, version, filters, tone.attrs["period"], start,
                                 column=col, value=group if col else None)  # fmt: skip
    common.behind(found, f"tone of {group}, {tone.attrs['period']} of {start:%Y-%m-%d}", "tone_behind")
common.methods(version)
