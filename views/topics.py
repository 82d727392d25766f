"""Topics: the map of all articles, topic sizes, hierarchy and similarity; one topic's detail;
rename, merge and hide topics (stored, every page follows)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from analysis.errors import NewsError
from analysis.explore import stats
from ui import charts, common, data, entity_data, sidebar, state, topic_charts, topic_data, view_data

filters = sidebar.filters()
st.title("Topics")
version = common.require_articles()
common.require_fit(version)
path = data.store_path()
table = topic_data.topic_table(path, version, include_hidden=True)
visible = table[~table["hidden"]]
labels = dict(zip(table["topic"], table["label"], strict=True))


def _themes_section() -> None:
    """The level above topics: each theme with its topics, renamed or merged here."""
    themes = topic_data.theme_table(path, version)
    if themes.empty:
        st.info("This model has no themes yet; `python -m analysis fit --if-needed` groups its topics into themes.")
        return
    st.subheader("Themes")
    st.caption(
        f"{len(themes)} themes group the {len(visible)} topics: topics whose articles are alike share a theme. "
        "Shares are of all articles the model placed."
    )
    shown = themes.assign(
        keywords=themes["keywords"].map(lambda ws: ", ".join(ws[:8])),
        topics=themes["topics"].map(lambda ts: "; ".join(labels.get(t, str(t)) for t in ts)),
    )
    st.dataframe(
        shown[["theme", "label", "size", "share", "keywords", "topics"]], hide_index=True, width="stretch",
        column_config={
            "theme": st.column_config.NumberColumn("Theme", format="%d"),
            "label": "Label",
            "size": st.column_config.NumberColumn("Articles", format="%d"),
            "share": st.column_config.NumberColumn("Share of placed articles", format="percent"),
            "keywords": "Keywords",
            "topics": st.column_config.TextColumn("Its topics", width="large"),
        },
    )  # fmt: skip
    common.csv_download(themes.assign(keywords=themes["keywords"].map("; ".join),
                                      topics=themes["topics"].map(lambda ts: "; ".join(map(str, ts)))),
                        "themes.csv", key="dl_themes", label="Download themes (CSV)")  # fmt: skip
    names = dict(zip(themes["theme"], themes["label"], strict=True))
    with st.expander("Rename or merge a theme"):
        e1, e2 = st.columns(2)
        which = e1.selectbox("Theme", list(names), format_func=lambda t: f"{names[t]} ({t})", key="edit_theme")
        new_label = e1.text_input("New label", value=names.get(which, ""), max_chars=80, key="theme_label")
        if e1.button("Rename theme", key="rename_theme"):
            try:
                st.session_state["_edit_msg"] = topic_data.edit_theme("rename", int(which), new_label.strip())
                st.rerun()
            except NewsError as exc:
                st.error(str(exc))
        into = e2.selectbox("Merge it into", [t for t in names if t != which], index=None,
                            format_func=lambda t: f"{names[t]} ({t})", key="theme_into")  # fmt: skip
        if e2.button("Merge theme", key="merge_theme", disabled=into is None):
            try:
                st.session_state["_edit_msg"] = topic_data.edit_theme("merge", int(which), int(into))
                st.rerun()
            except NewsError as exc:
                st.error(str(exc))
        merged = [t for t, target in topic_data.merged_themes(path, version).items() if target == which]
        if merged and e2.button(f"Separate the {len(merged)} theme(s) merged into it", key="unmerge_theme"):
            for t in merged:
                topic_data.edit_theme("unmerge", int(t))
            st.session_state["_edit_msg"] = f"{len(merged)} theme(s) separated from theme {which}."
            st.rerun()


if filters.level == "themes":
    _themes_section()
    st.subheader("Topics within the themes")


def _picked(event_key: str) -> int | None:
    """The topic of a point clicked on a chart (its first customdata value), once per click."""
    point = common.clicked(st.session_state.get(event_key))
    if point is None or not point["custom"]:
        return None
    sig = (event_key, str(point["index"]), str(point["curve"]))
    if st.session_state.get("_last_pick") == sig:
        return None
    st.session_state["_last_pick"] = sig
    try:
        return int(point["custom"][0])
    except (TypeError, ValueError):
        return None


for key in ("sizes",) if filters.level == "themes" else ("map", "sizes"):  # the themes map's points are themes
    clicked = _picked(key)
    if clicked is not None and clicked in labels:
        st.session_state["topic"] = clicked

options = visible["topic"].tolist() + table.loc[table["hidden"], "topic"].tolist()
HIDDEN = ", hidden"
hidden_ids = set(table.loc[table["hidden"], "topic"])
if "_goto_topic" in st.session_state:  # after a merge: show the merged topic
    st.session_state["topic"] = st.session_state.pop("_goto_topic")
if st.session_state.get("topic") is not None and st.session_state["topic"] not in labels:
    st.session_state["topic"] = None
topic = state.selectbox(
    st, "Topic", options, key="topic", placeholder="Pick a topic, or click one on the map or the bars",
    missing="There is no topic {value} in the current model (a refit may have replaced it); pick one below.",
    format_func=lambda t: f"{labels.get(t, t)} ({t}{HIDDEN if t in hidden_ids else ''})",
)  # fmt: skip

tab_map, tab_sizes, tab_tree, tab_sim = st.tabs(["Map", "Sizes", "Hierarchy", "Similarity"])
with tab_map:
    points = topic_data.map_points(path, version, filters)
    if points.empty:
        st.warning("No article in the selection is on the topic map. Widen the filters.")
    else:
        common.chart(
            topic_charts.topic_map(points, selected=topic), key="map", on_select="rerun", selection_mode="points",
            table=points[["article_id", "topic", "topic_label", "outlet", "published", "x", "y"]],
            filename="topic_map_points.csv",
        )  # fmt: skip
        st.caption(
            "Colours show themes (the sidebar's level); click a bar under Sizes to open a topic. Scroll to zoom, "
            "drag to pan; double-click resets."
            if filters.level == "themes"
            else "Click a point to open its topic. Scroll to zoom, drag to pan; double-click resets."
        )
with tab_sim:
    n_sim = state.slider(st, "Topics in the heatmap", 5, 60, key="n_sim", default=25)
figs = topic_data.topic_figures(path, version, n_sim)
with tab_sizes:
    common.chart(figs["sizes"], key="sizes", on_select="rerun", selection_mode="points", table=figs["sizes_data"],
                 filename="topic_sizes.csv")  # fmt: skip
with tab_tree:
    common.chart(figs["tree"], key="tree", table=figs["tree_data"], filename="topic_hierarchy.csv")
with tab_sim:
    common.chart(figs["similarity"], key="similarity", table=figs["similarity_data"], filename="topic_similarity.csv")

if topic is None:
    st.subheader("All topics")
    shown = visible.assign(keywords=visible["keywords"].map(lambda k: ", ".join(k[:8])))
    st.dataframe(
        shown[["topic", "label", "size", "share", "keywords"]], hide_index=True, width="stretch",
        column_config={"topic": "Topic id", "label": "Topic", "size": "Articles",
                       "share": st.column_config.ProgressColumn("Share of all articles", format="percent", min_value=0.0,
                                                                max_value=float(max(shown["share"].max(), 1e-9))),
                       "keywords": st.column_config.TextColumn("Keywords", width="large")},
    )  # fmt: skip
    common.csv_download(shown.drop(columns=["representative"]), "topics.csv", key="dl_topics")
    common.methods(version)
    st.stop()

detail = topic_data.topic_detail(path, version, int(topic), filters)
if detail is None:
    st.warning(f"Topic {topic} is not in the current model; a refit may have replaced it.")
    st.stop()
st.header(common.plain(detail["label"]))
if detail["hidden"]:
    st.caption("This topic is hidden: its articles count as unassigned on every page.")
m1, m2, m3 = st.columns(3)
m1.metric("Articles", f"{detail['size']:,}", help="In the whole corpus (all filters off).")
m2.metric("Share of all articles", f"{detail['share']:.1%}")
m3.metric("Automatic label", detail["auto_label"])
common.entity_pills(entity_data.topic_entities(path, version, tuple(detail["members"]), filters),
                    "Most named in this topic (selection)", key="topic_entities")  # fmt: skip
k1, k2 = st.columns([1, 2])
with k1:
    common.chart(topic_charts.keyword_bars(detail["keywords"], detail["label"]), key="keywords", table=detail["keywords"],
                 filename=f"topic_{topic}_keywords.csv")  # fmt: skip
with k2:
    st.subheader("Topic summary")
    if detail["summary"]:
        for outlet, sentence in detail["summary"]:
            st.text(f"{sentence}  ({outlet})")
    else:
        st.caption("No summary yet: the article summaries are written by the pipeline.")

trend = topic_data.topic_trend(path, version, int(topic), filters)
shares = trend["shares"]
t1, t2 = st.columns(2)
with t1:
    ev_share = common.chart(charts.share_chart(shares, kind="lines"), key="topic_share", table=shares,
                            filename=f"topic_{topic}_over_time.csv", on_select="rerun", selection_mode="points")  # fmt: skip
with t2:
    ev_tone = common.chart(charts.tone_chart(trend["tone"]), key="topic_tone", table=trend["tone"],
                           filename=f"topic_{topic}_tone.csv", on_select="rerun", selection_mode="points")  # fmt: skip
common.period_notes(shares)
st.caption("Share: the topic's articles among all articles from the sidebar's outlets and dates that period.")
ev_out = common.chart(topic_charts.topic_outlet_bars(trend["by_outlet"], detail["label"]), key="topic_outlets",
                      table=trend["by_outlet"], filename=f"topic_{topic}_by_outlet.csv", on_select="rerun",
                      selection_mode="points")  # fmt: skip
st.caption(stats.note(int(trend["tests"])) + " Each outlet's share is compared with all other outlets together.")
no_topic = replace(filters, topics=())
for ev, name in ((ev_share, "share"), (ev_tone, "tone")):
    pt = common.clicked(ev)
    if pt and pt["x"] is not None:
        start = pd.Timestamp(pt["x"])
        per = shares.attrs.get("period", "week")
        found = view_data.articles_behind(path, version, no_topic, per, start, topic=int(topic))
        common.behind(found, f"{detail['label']}, {per} of {start:%Y-%m-%d}", f"topic_{name}_behind")
pt = common.clicked(ev_out)
if pt and len(pt["custom"]) >= 5:
    outlet = str(pt["custom"][4])
    found = topic_data.articles_in_topic(path, version, replace(no_topic, outlets=(outlet,)), int(topic))
    common.behind(found, f"{detail['label']} in {outlet}", "topic_outlet_behind")

st.subheader("Representative articles")
common.article_table(detail["representative"], key="representative", columns=common.COMMON_COLUMNS)
st.subheader("Stories in this topic")
if detail["stories"].empty:
    st.caption("No story covered by two or more outlets in this topic and selection.")
else:
    st.dataframe(detail["stories"], hide_index=True, width="stretch", column_order=[
        "title", "first_published", "first_outlet", "outlets", "articles", "in_topic"], column_config={
        "title": st.column_config.TextColumn("Story (its most central headline)", width="large"),
        "first_published": st.column_config.DatetimeColumn("First published", format="YYYY-MM-DD"),
        "first_outlet": "First outlet", "outlets": "Outlets", "articles": "Articles",
        "in_topic": st.column_config.NumberColumn("Of them in this topic")})  # fmt: skip
    common.csv_download(detail["stories"], f"topic_{topic}_stories.csv", key="dl_topic_stories")
wot = topic_data.words_over_time(path, version, int(topic))
if not wot.empty:
    with st.expander("Keywords over time"):
        st.dataframe(wot[["period", "words", "frequency"]], hide_index=True, width="stretch", column_config={
            "period": "Period starting", "words": st.column_config.TextColumn("Keywords that period", width="large"),
            "frequency": "Articles"})  # fmt: skip

with st.expander("Edit this topic (stored; every page and export follows)"):
    e1, e2, e3 = st.columns(3)
    with e1:
        new_label = st.text_input("New label", value=detail["label"], max_chars=80, key="new_label")
        if st.button("Rename", key="rename"):
            try:
                st.session_state["_edit_msg"] = topic_data.edit_topic("rename", int(topic), new_label.strip())
                st.rerun()
            except NewsError as exc:
                st.error(str(exc))
    with e2:
        targets = [t for t in visible["topic"] if t != topic]
        target = st.selectbox("Merge into", targets, format_func=lambda t: labels.get(t, t), index=None, key="merge_to")
        if st.button("Merge", key="merge", disabled=target is None):
            try:
                st.session_state["_edit_msg"] = topic_data.edit_topic("merge", int(topic), int(target))
                st.session_state["_goto_topic"] = int(target)
                st.rerun()
            except NewsError as exc:
                st.error(str(exc))
    with e3:
        action = "show" if detail["hidden"] else "hide"
        if st.button("Show again" if detail["hidden"] else "Hide topic", key="hide"):
            st.session_state["_edit_msg"] = topic_data.edit_topic(action, int(topic))
            st.rerun()
        merged = [t for t in detail["members"] if t != topic]
        if merged and st.button(f"Separate {len(merged)} merged topic(s)", key="unmerge"):
            for t in merged:
                topic_data.edit_topic("unmerge", int(t))
            st.session_state["_edit_msg"] = f"{len(merged)} topic(s) separated from topic {topic}."
            st.rerun()
if st.session_state.get("_edit_msg"):
    st.success(st.session_state.pop("_edit_msg"))
common.methods(version)
