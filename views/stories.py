"""Stories: events covered by several outlets, newest or biggest first, with who published first,
how far behind the others were, and the coverage split by bias."""

from __future__ import annotations

import streamlit as st

from ui import charts, common, data, entity_data, sidebar, state, view_data

filters = sidebar.filters()
st.title("Stories")
version = common.require_articles()
path = data.store_path()
c1, c2 = st.columns(2)
sort = state.radio(c1, "Order", ["biggest", "newest"], key="order", default="biggest", horizontal=True,
                   help="biggest: most outlets, then most articles.")  # fmt: skip
min_outlets = state.slider(c2, "At least this many outlets", 2, 10, key="min_outlets", default=2)
first_day, last_day, _, _ = data.corpus_bounds(path, version)
f1, f2 = st.columns([2, 1])
find = state.text_input(f1, "Find a story", key="find", help="Words the story's headline must contain.")
since = state.day_input(f2, "First published on or after", first_day, last_day, key="since") if first_day else None
table = view_data.stories(path, version, filters, sort, min_outlets, find.strip(), since)
if table.empty:
    st.info(
        "No story matches: stories are articles from two or more outlets on the same event within three days, "
        "grouped by the pipeline (Collect page or `python -m analysis fit`). Widen the filters or lower the minimum."
    )
    st.stop()
st.caption(f"{table.attrs.get('total', len(table)):,} stories in the selection; showing {len(table):,}. "
           "Select a row to see its coverage. Use the Topics filter in the sidebar to see one topic's stories. "
           "Where a story's dates have no time of day, every outlet publishing on its first day is listed as first "
           "(a tie).")  # fmt: skip
shown = table.assign(
    first_outlet=[f"{o} (tie, same day)" if int(t) > 1 else o for o, t in zip(table["first_outlet"], table["tied"], strict=True)],
    precision=table["precision"].map({"time": "date and time", "day": "date only"}),
)  # fmt: skip
event = st.dataframe(
    shown.drop(columns=["story_id", "tied"]), hide_index=True, width="stretch", on_select="rerun",
    selection_mode="single-row", key="story_table", height=360,
    column_order=["title", "first_published", "precision", "first_outlet", "outlets", "articles", "outlet_list",
                  "coverage", "matching"],
    column_config={
        "title": st.column_config.TextColumn("Story (its most central headline)", width="large"),
        "first_published": st.column_config.DatetimeColumn("First published", format="YYYY-MM-DD HH:mm"),
        "precision": st.column_config.TextColumn("Dates known to", help="date only: no time of day, so same-day articles tie"),
        "first_outlet": "First outlet",
        "articles": "Articles", "outlets": "Outlets", "outlet_list": "Covered by",
        "coverage": st.column_config.TextColumn("Coverage by side", help="Its outlets rated left, center and "
                                                "right (share of the rated ones), and how many are unrated"),
        "matching": st.column_config.NumberColumn("In selection", help="Articles of the story that match the filters"),
    },
)  # fmt: skip
common.csv_download(table, "stories.csv", key="dl_stories")
common.methods(version)
rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
if rows:
    state.set_control("story", int(table.iloc[rows[0]]["story_id"]))
story_id = next(iter(state.url_values("story")), None)
if not story_id:
    st.stop()
try:
    detail = view_data.story(path, version, int(story_id))
except ValueError:
    detail = None
if detail is None:
    st.warning(f"There is no story {story_id!r}; stories are regrouped when the pipeline runs.")
    st.stop()
s = detail["story"]
timed = s.get("precision", "time") == "time"
st.header(common.plain(s["title"]))
m1, m2, m3, m4 = st.columns(4)
m1.metric("Outlets", s["outlets"])
m2.metric("Articles", s["articles"])
tied = int(s.get("tied") or 1)
m3.metric("First" if tied == 1 else f"First (a tie of {tied})", s["first_outlet"] or "–",
          help=None if tied == 1 else "These outlets published on the same first day and the dates have no time of day, "
          "so none of them can be called first.")  # fmt: skip
m4.metric("First published", (s["first_published"] or "")[: 16 if timed else 10].replace("T", " "))
st.caption(common.plain("Outlets by bias rating: " + s["bias_split"]))
common.chart(charts.coverage_bar(s["coverage"]), key="coverage_bar", table=s["coverage"],
             filename=f"story_{story_id}_coverage.csv")  # fmt: skip
if not s["by_country"].empty:
    st.caption("Its outlets by country and side (outlets of each country):")
    st.dataframe(s["by_country"], hide_index=True, key="story_countries",
                 column_config={c: c.capitalize() for c in s["by_country"].columns})  # fmt: skip
if not timed:
    st.caption("Some dates on this story's first day have no time of day, so the outlets of that day tie and lags "
               "are in whole days.")  # fmt: skip
members = detail["members"]
common.entity_pills(entity_data.entities_of(path, version, tuple(members["id"])), "Who and what the story names",
                    key="story_entities")  # fmt: skip
common.chart(charts.story_timeline(members, timed), key="timeline", table=members.drop(columns=["id"]),
             filename=f"story_{story_id}.csv")  # fmt: skip
lags = ["lag_hours", "lag_days"] if timed else ["lag_days"]
common.article_table(
    members[["id", "outlet", "title", "published", *lags, "bias", "sentiment"]], key="members",
    columns={**common.COMMON_COLUMNS, "bias": "Bias rating",
             "lag_hours": st.column_config.NumberColumn("Hours after first", format="%.1f"),
             "lag_days": st.column_config.NumberColumn("Days after the first day", format="%d"),
             "published": st.column_config.DatetimeColumn("Published", format="YYYY-MM-DD HH:mm" if timed else "YYYY-MM-DD")},
)  # fmt: skip
