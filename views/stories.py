"""Stories: events covered by several outlets, newest or biggest first, with who published first,
how far behind the others were, and the coverage split by bias."""

from __future__ import annotations

import streamlit as st

from analysis.explore import quotes, stories
from ui import common, sidebar, state, story_charts
from ui.ask import ask, fresh

sel = common.begin("Stories")
opts = sidebar.options()
c1, c2 = st.columns(2)
sort = state.radio(
    c1,
    "Order",
    ["biggest", "newest"],
    key="order",
    default="biggest",
    horizontal=True,
    help="biggest: most outlets, then most articles.",
)
min_outlets = state.slider(c2, "At least this many outlets", 2, 10, key="min_outlets", default=2)
f1, f2 = st.columns([2, 1])
find = state.text_input(
    f1,
    "Find a story",
    key="find",
    help="Words its headline must contain, written as in the sidebar's search (phrases, OR, "
    "-word, prefix*); matched word for word.",
)
since = None
if opts and opts.first and opts.last:
    since = state.day_input(f2, "First published on or after", opts.first, opts.last, key="since")
found = ask(stories.story_list, sel, sort, min_outlets, 200, find.strip(), since)
common.notes(found.notes)
table = found.table
if not found.searched:
    st.warning("Nothing was searched (the note above says why): type a word the story's headline holds.")
    st.stop()
if table.empty:
    st.info(
        "No story matches: stories are articles from two or more outlets on the same event (each within two days of "
        "others in it), "
        "grouped by the pipeline (Collect page or `python -m analysis fit`). Widen the filters or lower the minimum."
    )
    st.stop()
st.caption(
    f"{found.total:,} stor{'y' if found.total == 1 else 'ies'} in the selection; showing {len(table):,}. "
    "Select a row to see its coverage. Use the Topics filter in the sidebar to see one topic's stories. "
    "Where a story's dates have no time of day, every outlet publishing on its first day is listed as first "
    "(a tie)."
)
shown = table.assign(
    first_outlet=[
        f"{o} (tie, same day)" if int(t) > 1 else o for o, t in zip(table["first_outlet"], table["tied"], strict=True)
    ],
    first_published=[stories.when(p, pr) for p, pr in zip(table["first_published"], table["precision"], strict=True)],
    precision=table["precision"].map({"time": "date and time", "day": "date only"}),
)
event = st.dataframe(
    shown.drop(columns=["story_id", "tied"]),
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    key="story_table",
    height=360,
    column_order=[
        "title",
        "first_published",
        "precision",
        "first_outlet",
        "outlets",
        "articles",
        "outlet_list",
        "coverage",
        "matching",
    ],
    column_config={
        "title": st.column_config.TextColumn("Story (its most central headline)", width="large"),
        "first_published": st.column_config.TextColumn(
            "First published", help="UTC; the day alone when the story's dates have no time of day"
        ),
        "precision": st.column_config.TextColumn(
            "Dates known to", help="date only: no time of day, so same-day articles tie"
        ),
        "first_outlet": "First outlet",
        "articles": "Articles",
        "outlets": "Outlets",
        "outlet_list": "Covered by",
        "coverage": st.column_config.TextColumn(
            "Coverage by side",
            help="Its outlets rated left, center and right (share of the rated ones), and how many are unrated",
        ),
        "matching": st.column_config.NumberColumn("In selection", help="Articles of the story that match the filters"),
    },
)
common.csv_download(
    lambda: fresh(stories.story_list, sel, sort, min_outlets, max(found.total, 1), find.strip(), since).table,
    "stories.csv",
    key="dl_stories",
    label=f"Download all {found.total:,} (CSV)",
    about=common.about(sel, f"stories of {min_outlets} or more outlets"),
)
common.methods()
rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
if rows:
    state.set_control("story", int(table.iloc[rows[0]]["story_id"]))
story_id = next(iter(state.url_values("story")), None)
if not story_id:
    st.stop()
opened = ask(stories.story_detail, int(story_id)) if story_id.isdigit() else None
if opened is None:
    st.warning(f"There is no story {story_id!r}; stories are regrouped when the pipeline runs.")
    st.stop()
detail: stories.StoryDetail = opened
s = detail.story
timed = s.timed
st.header(common.plain(s.title))
m1, m2, m3, m4 = st.columns(4)
m1.metric("Outlets", s.outlets)
m2.metric("Articles", s.articles)
tied = s.tied
m3.metric(
    "First" if tied == 1 else f"First (a tie of {tied})",
    s.first_outlet or "–",
    help=None
    if tied == 1
    else "These outlets published on the same first day and the dates have no time of day, "
    "so none of them can be called first.",
)
m4.metric("First published", s.when)
st.markdown("**Coverage by side:** " + common.side_bar(detail.coverage))
st.caption(common.plain("Outlets by bias rating: " + s.bias_split))
if not timed:
    st.caption(
        "Some dates on this story's first day have no time of day, so the outlets of that day tie and lags "
        "are in whole days."
    )
members = detail.members
common.entity_pills(detail.entities, "Who and what the story names", key="story_entities")


def _articles() -> None:
    lags = ["lag_hours", "lag_days"] if timed else ["lag_days"]
    common.article_table(
        members[["id", "outlet", "title", "when", *lags, "bias", "tone"]],
        key="members",
        columns={
            **common.COMMON_COLUMNS,
            "bias": "Bias rating",
            "lag_hours": st.column_config.NumberColumn("Hours after first", format="%.1f"),
            "lag_days": st.column_config.NumberColumn("Days after the first day", format="%d"),
            "when": st.column_config.TextColumn("Published", help="UTC; the day alone when the date has no time"),
        },
    )
    common.csv_download(members, common.filename("story", story_id), key="dl_story_members")


def _timeline() -> None:
    common.chart(
        story_charts.story_timeline(members, timed),
        key="timeline",
        table=members.drop(columns=["id"]),
        name=common.filename("story", story_id, "timeline"),
        about="The story's articles (no filter applies).",
    )


def _countries() -> None:
    common.chart(
        story_charts.coverage_bar(detail.coverage),
        key="coverage_bar",
        table=detail.coverage,
        name=common.filename("story", story_id, "coverage"),
        about="Outlets of the story by bias rating.",
    )
    if detail.by_country.empty:
        st.caption("None of its outlets has a country.")
        return
    st.caption("Its outlets by country and side (outlets of each country):")
    st.dataframe(
        detail.by_country,
        hide_index=True,
        key="story_countries",
        column_config={c: c.capitalize() for c in detail.by_country.columns},
    )


def _quoted() -> None:
    said = ask(quotes.quoted_by_outlet, tuple(members["id"].astype(str)))
    if said.empty:
        st.info("None of the story's articles quotes a named speaker directly.")
        return
    st.caption(
        "Whom each outlet quotes in its articles of this story (quotations of four words or more; speakers the"
        " articles do not name are left out). " + quotes.NOTE
    )
    st.dataframe(
        said,
        hide_index=True,
        width="stretch",
        key="story_quoted",
        column_config={
            "outlet": "Outlet",
            "speaker": "Quoted",
            "quotations": st.column_config.NumberColumn("Quotations"),
            "articles": st.column_config.NumberColumn(
                "Articles", help="The outlet's articles of the story quoting them"
            ),
        },
    )
    common.csv_download(said, common.filename("story", story_id, "quoted"), key="dl_story_quoted")


PARTS = [
    ("Its articles", _articles),
    ("Who published when", _timeline),
    ("Who each outlet quotes", _quoted),
    ("By side and country", _countries),
]
state.tabbed(st, PARTS, key="part")
