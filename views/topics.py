"""Topics: the map of the selection's articles, topic (or theme) sizes in the selection, the model's hierarchy and
similarity; one topic's detail; rename, merge and hide topics and themes (stored, every page follows)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from analysis.errors import NewsError
from analysis.explore import stats, topics
from analysis.explore.behind import behind, in_unit
from analysis.explore.results import plural
from analysis.explore.selection import ThemeId, TopicId
from analysis.explore.topics import ThemeModel, TopicModel
from ui import charts, common, state, topic_charts
from ui.ask import ask
from ui.edits import edit, edit_all

sel = common.begin("Topics", fit=True)
key = sel.unit
listing = ask(topics.topic_list)
labels = dict(zip(listing["topic"].astype(int), listing["label"], strict=True))
hidden_ids = set(listing.loc[listing["hidden"], "topic"].astype(int))
theme_names = ask(topics.unit_labels, "theme") if key == "theme" else {}


def _edit(kind: str, action: str, ident: int, value: str | int | None = None) -> None:
    """Apply an edit (a sentence says what was done, or why it could not be)."""
    try:
        done = edit(kind, action, ident, value)
    except NewsError as exc:
        st.error(str(exc))
        return
    st.session_state["_edit_msg"] = done
    st.rerun()


def _themes_section() -> None:
    """The level above topics: each theme with its articles in the selection and its topics; rename, merge."""
    table = ask(topics.unit_table, sel)
    if table.table.empty:
        st.info("This model has no themes yet; `python -m analysis fit --if-needed` groups its topics into themes.")
        return
    st.caption(
        f"{len(table.table)} themes group the model's topics: topics whose articles are alike share a theme. Articles "
        f"and shares are of the selection's {table.articles:,} articles ({table.unassigned:,} in no theme)."
    )
    themes = table.table
    shown = themes.assign(
        keywords=themes["keywords"].map(lambda ws: ", ".join(ws[:8])),
        topics=themes["topics"].map(lambda ts: "; ".join(labels.get(t, str(t)) for t in ts)),
    )
    st.dataframe(
        shown[["theme", "label", "articles", "share", "size", "keywords", "topics"]],
        hide_index=True,
        width="stretch",
        column_config={
            "theme": st.column_config.NumberColumn("Theme", format="%d"),
            "label": "Label",
            "articles": st.column_config.NumberColumn("Articles", format="%d", help="In the selection"),
            "share": st.column_config.NumberColumn("Share of the selection", format="percent"),
            "size": st.column_config.NumberColumn("In the whole store", format="%d"),
            "keywords": "Keywords",
            "topics": st.column_config.TextColumn("Its topics", width="large"),
        },
    )
    common.csv_download(
        themes.assign(
            keywords=themes["keywords"].map("; ".join), topics=themes["topics"].map(lambda ts: "; ".join(map(str, ts)))
        ),
        "themes.csv",
        key="dl_themes",
        label="Download themes (CSV)",
        about=common.about(sel, table.measure),
    )
    names = dict(zip(themes["theme"].astype(int), themes["label"], strict=True))
    with st.expander("Rename or merge a theme"):
        e1, e2 = st.columns(2)
        which = e1.selectbox("Theme", list(names), format_func=lambda t: f"{names[t]} ({t})", key="edit_theme")
        new_label = e1.text_input("New label", value=names.get(which, ""), max_chars=80, key="theme_label")
        if e1.button("Rename theme", key="rename_theme"):
            _edit("theme", "rename", int(which), new_label.strip())
        into = e2.selectbox(
            "Merge it into",
            [t for t in names if t != which],
            index=None,
            format_func=lambda t: f"{names[t]} ({t})",
            key="theme_into",
        )
        if e2.button("Merge theme", key="merge_theme", disabled=into is None) and into is not None:
            _edit("theme", "merge", int(which), int(into))
        merged = [t for t, target in ask(topics.merged_themes).items() if target == which]
        if merged and e2.button(f"Separate the {plural(len(merged), 'theme')} merged into it", key="unmerge_theme"):
            edit_all("theme", "unmerge", [int(t) for t in merged])
            st.session_state["_edit_msg"] = f"{plural(len(merged), 'theme')} separated from theme {which}."
            st.rerun()


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


for chart_key in ("map", "sizes") if key == "topic" else ("map",):  # the themes level's bars are themes
    clicked = _picked(chart_key)
    if clicked is not None and clicked in labels:
        st.session_state["topic"] = clicked
if key == "theme":
    clicked = _picked("sizes")
    if clicked is not None and clicked in theme_names:
        st.session_state["theme"], st.session_state["topic"] = clicked, None

if "_goto_topic" in st.session_state:  # after a merge: show the merged topic
    st.session_state["topic"] = st.session_state.pop("_goto_topic")
if st.session_state.get("topic") is not None and st.session_state["topic"] not in labels:
    st.session_state["topic"] = None
theme = None
picker: Any = st
if key == "theme" and st.session_state.get("topic") is not None:  # a topic open: the Theme box shows its theme
    theme_of = dict(zip(listing["topic"].astype(int), listing["theme"].astype(int), strict=True))
    if theme_of.get(int(st.session_state["topic"])) in theme_names:
        st.session_state["theme"] = theme_of[int(st.session_state["topic"])]
if key == "theme":  # the themes level opens a theme; a topic (picked, or clicked on the map) goes before it
    picker, topic_picker = st.columns(2)
    theme = state.selectbox(
        picker,
        "Theme",
        list(theme_names),
        key="theme",
        placeholder="Pick a theme, or click one on the bars",
        missing="There is no theme {value} in the current model (a refit or a merge may have replaced it); pick one.",
        format_func=lambda t: f"{theme_names.get(t, t)} ({t})",
    )
    picker = topic_picker
topic = state.selectbox(
    picker,
    "Topic",
    list(labels),
    key="topic",
    placeholder="Pick a topic, or click one on the map or the bars",
    missing="There is no topic {value} in the current model (a refit may have replaced it); pick one below.",
    format_func=lambda t: f"{labels.get(t, t)} ({t}{', hidden' if t in hidden_ids else ''})",
)
if st.session_state.get("_edit_msg"):
    st.success(st.session_state.pop("_edit_msg"))


def _map() -> None:
    mp = ask(topics.map_points, sel)
    if mp.points.empty:
        st.warning("No article in the selection is on the topic map. Widen the filters.")
        return
    common.chart(
        topic_charts.topic_map(mp.points, mp.total, key, selected=topic),
        key="map",
        on_select="rerun",
        selection_mode="points",
        name=common.filename("topic_map_points"),
        table=mp.points[
            ["article_id", "topic", "topic_label", "theme", "theme_label", "outlet", "published", "x", "y"]
        ],
        about=common.about(sel, f"articles of the selection on the topic map, coloured by {key}"),
    )
    st.caption(
        f"Colours show {key}s (the sidebar's level). Click a point to open its topic. Scroll to zoom, drag to pan; "
        "double-click resets."
    )


def _sizes() -> None:
    sizes = ask(topics.unit_table, sel)
    present = sizes.table[sizes.table["articles"] > 0].rename(columns={"label": f"{key}_label"})
    present = present.assign(total=sizes.articles)
    common.chart(
        topic_charts.size_bars(present, key),
        key="sizes",
        on_select="rerun",
        selection_mode="points",
        table=present[[key, f"{key}_label", "articles", "share", "total"]],
        name=common.filename(key, "sizes"),
        about=common.about(sel, sizes.measure),
    )
    st.caption(
        f"Articles of the selection ({sizes.articles:,}; {sizes.unassigned:,} in no {key}) per {key}. Click a bar to "
        f"open its {key}."
    )


def _all_topics() -> None:
    table = ask(topics.unit_table, sel.but(level="topics"), include_hidden=False)
    shown = table.table.assign(keywords=table.table["keywords"].map(lambda k: ", ".join(k[:8])))
    st.dataframe(
        shown[["topic", "label", "articles", "share", "size", "keywords"]],
        hide_index=True,
        width="stretch",
        column_config={
            "topic": "Topic id",
            "label": "Topic",
            "articles": st.column_config.NumberColumn("Articles", help="In the selection"),
            "share": st.column_config.ProgressColumn(
                "Share of the selection",
                format="percent",
                min_value=0.0,
                max_value=float(max(shown["share"].max(), 1e-9)),
            ),
            "size": st.column_config.NumberColumn("In the whole store"),
            "keywords": st.column_config.TextColumn("Keywords", width="large"),
        },
    )
    st.caption(
        f"Articles and shares are of the selection's {table.articles:,} articles; “In the whole store” counts "
        "every article the model placed in the topic."
    )
    common.csv_download(shown, "topics.csv", key="dl_topics", about=common.about(sel, table.measure))


def _hierarchy() -> None:
    tree = ask(topics.hierarchy)
    visible = {t: lab for t, lab in labels.items() if t not in hidden_ids}
    common.chart(
        topic_charts.hierarchy_figure(tree, visible),
        key="tree",
        table=tree,
        name=common.filename("topic_hierarchy"),
        about="The model's topics (all articles; no filter applies).",
    )


def _similarity() -> None:
    n_sim = state.slider(st, "Topics in the heatmap", 5, 60, key="n_sim", default=25)
    sims = ask(topics.topic_similarity, n_sim)
    common.chart(
        topic_charts.similarity_heatmap(sims),
        key="similarity",
        table=sims.reset_index(names="topic"),
        name=common.filename("topic_similarity"),
        about="The model's topics (all articles; no filter applies).",
    )


def _theme_topics(theme_model: ThemeModel) -> None:
    table = ask(topics.unit_table, sel.but(level="topics"), include_hidden=False).table
    shown = theme_model.topics.merge(table[["topic", "articles"]], on="topic", how="left")
    st.dataframe(
        shown[["topic", "label", "articles", "size"]],
        hide_index=True,
        width="stretch",
        column_config={
            "topic": st.column_config.NumberColumn("Topic id", format="%d"),
            "label": st.column_config.TextColumn("Topic", width="large"),
            "articles": st.column_config.NumberColumn("Articles in the selection", format="%d"),
            "size": st.column_config.NumberColumn("In the whole store", format="%d"),
        },
    )
    st.caption(
        f"The theme's {plural(len(shown), 'topic')}; pick one in “Topic” above to open it. Keywords of the theme: "
        + common.plain(", ".join(theme_model.keywords[:12]) or "none stored")
        + "."
    )
    common.csv_download(
        shown,
        common.filename("theme", theme, "topics"),
        key="dl_theme_topics",
        about=common.about(sel, "the theme's topics, articles of each in the selection"),
    )


if topic is None and theme is None:
    parts = [(f"{key.capitalize()} sizes", _sizes), ("Map", _map), ("All topics", _all_topics)]
    if key == "theme":
        parts.insert(1, ("Themes", _themes_section))
    parts += [("Hierarchy", _hierarchy), ("Similarity", _similarity)]
    state.tabbed(st, parts, key="view")
    common.methods()
    st.stop()

model: TopicModel | None = None
theme_model: ThemeModel | None = None
if topic is None and theme is not None:  # a theme, on the themes level
    theme_model = ask(topics.theme_model, ThemeId(int(theme)))
    if theme_model is None:
        st.warning(f"Theme {theme} is not in the current model; a refit or a merge may have replaced it.")
        st.stop()
    unit: TopicId | ThemeId = theme_model.theme
    unit_name, noun, members = theme_model.label, "theme", theme_model.members
    size, size_share, auto_label = theme_model.size, theme_model.share, theme_model.auto_label
else:
    model = ask(topics.topic_model, TopicId(int(topic)))
    if model is None:
        st.warning(f"Topic {topic} is not in the current model; a refit may have replaced it.")
        st.stop()
    unit, unit_name, noun, members = model.topic, model.label, "topic", model.members
    size, size_share, auto_label = model.size, model.share, model.auto_label
cov = ask(topics.topic_coverage, sel, unit, members)
st.header(common.plain(unit_name))
if theme_model is not None:
    st.caption(f"A theme: {plural(len(theme_model.topics), 'topic')} whose articles are alike.")
if model is not None and model.hidden:
    st.caption("This topic is hidden: its articles count as unassigned on every page.")
if model is not None and model.theme is not None:
    st.caption(common.plain(f"Theme: {model.theme_label}"))
m1, m2, m3, m4 = st.columns(4)
m1.metric(
    "Articles in the selection",
    f"{cov.articles.count:,}",
    help="Its articles in the sidebar's dates, outlets, bias, country, mentions and search.",
)
m2.metric(
    "Share of all coverage",
    f"{cov.articles.value:.1%}" if cov.articles.total else "–",
    help=f"{cov.articles.count:,} of the {cov.articles.total:,} {cov.articles.of}.",
)
m3.metric("In the whole store", f"{size:,}", help=f"{size_share:.1%} of the articles the model placed.")
m4.metric("Automatic label", auto_label)
common.entity_pills(cov.entities, f"Most named in this {noun} (selection)", key="topic_entities")
subject = sel.but(topics=(unit,), themes=()) if noun == "topic" else sel.but(topics=(), themes=(unit,))


def _summary(model: TopicModel) -> None:
    k1, k2 = st.columns([1, 2])
    with k1:
        common.chart(
            topic_charts.keyword_bars(model.keywords, model.label),
            key="keywords",
            table=model.keywords,
            name=common.filename("topic", topic, "keywords"),
            about="The model's keywords (c-TF-IDF weights).",
        )
    with k2:
        st.subheader("Topic summary")
        if model.summary:
            for outlet, sentence in model.summary:
                st.text(f"{sentence}  ({outlet})")
        else:
            st.caption("No summary yet: the article summaries are written by the pipeline.")
    if not model.words_over_time.empty:
        with st.expander("Keywords over time"):
            st.dataframe(
                model.words_over_time[["period", "words", "frequency"]],
                hide_index=True,
                width="stretch",
                column_config={
                    "period": "Period starting",
                    "words": st.column_config.TextColumn("Keywords that period", width="large"),
                    "frequency": "Articles",
                },
            )


def _over_time() -> None:
    shares = cov.shares
    ev_share = common.chart(
        charts.share_chart(shares, kind="lines", title=f"Share of all coverage per {shares.period}"),
        key="topic_share",
        table=shares.table,
        name=common.filename(noun, unit, "share_per", shares.period),
        about=common.about(sel, shares.measure),
        on_select="rerun",
        selection_mode="points",
    )
    ev_tone = common.chart(
        charts.tone_chart(cov.tone, name=f"The {noun}'s articles"),
        key="topic_tone",
        table=cov.tone.table,
        name=common.filename(noun, unit, "tone_per", cov.tone.period),
        about=common.about(sel, cov.tone.measure),
        on_select="rerun",
        selection_mode="points",
    )
    common.notes(shares.notes)
    st.caption(f"Share: the {noun}'s articles among all articles from the sidebar's outlets and dates that period.")
    for ev, name in ((ev_share, "share"), (ev_tone, "tone")):
        pt = common.clicked(ev)
        if pt and pt["x"] is not None:
            start = pd.Timestamp(pt["x"])
            found = ask(behind, subject, shares.period, start.date())
            common.behind(found, f"{unit_name}, {shares.period} of {start:%Y-%m-%d}", f"topic_{name}_behind")


def _outlets() -> None:
    ev_out = common.chart(
        topic_charts.topic_outlet_bars(cov.by_outlet, unit_name, noun),
        key="topic_outlets",
        table=cov.by_outlet,
        name=common.filename(noun, unit, "by_outlet"),
        about=common.about(
            sel, f"each outlet's articles on the {noun} as a share of its dated articles in the months it published"
        ),
        on_select="rerun",
        selection_mode="points",
    )
    st.caption(
        stats.note(cov.tests) + " Each outlet's share of its dated articles is compared with all other outlets"
        f" together in the months that outlet published in, so an outlet that stopped before the {noun} arose is not"
        f" read as ignoring it (when none of its months has an article on the {noun}, it is shown but not tested)."
    )
    pt = common.clicked(ev_out)
    if pt and len(pt["custom"]) >= 5:
        outlet = str(pt["custom"][4])
        found = ask(in_unit, sel.but(topics=(), themes=()), noun, unit.value, outlet)
        common.behind(found, f"{unit_name} in {outlet}", "topic_outlet_behind")


def _stories() -> None:
    if cov.stories.empty:
        st.caption(f"No story covered by two or more outlets in this {noun} and selection.")
        return
    st.dataframe(
        cov.stories,
        hide_index=True,
        width="stretch",
        column_order=["title", "first_published", "first_outlet", "outlets", "articles", "in_topic"],
        column_config={
            "title": st.column_config.TextColumn("Story (its most central headline)", width="large"),
            "first_published": st.column_config.DatetimeColumn("First published", format="YYYY-MM-DD"),
            "first_outlet": "First outlet",
            "outlets": "Outlets",
            "articles": "Articles",
            "in_topic": st.column_config.NumberColumn(f"Of them in this {noun}"),
        },
    )
    common.csv_download(
        cov.stories,
        common.filename(noun, unit, "stories"),
        key="dl_topic_stories",
        about=common.about(subject, f"stories with articles on the {noun}"),
    )


def _articles(model: TopicModel) -> None:
    st.caption("The articles most typical of the topic (the model's representatives).")
    common.article_table(model.representative, key="representative")


def _edit_topic(model: TopicModel) -> None:
    topic = model.topic.value
    e1, e2, e3 = st.columns(3)
    with e1:
        new_label = st.text_input("New label", value=model.label, max_chars=80, key="new_label")
        if st.button("Rename", key="rename"):
            _edit("topic", "rename", int(topic), new_label.strip())
    with e2:
        targets = [t for t in labels if t != topic and t not in hidden_ids]
        target = st.selectbox("Merge into", targets, format_func=lambda t: labels.get(t, t), index=None, key="merge_to")
        if st.button("Merge", key="merge", disabled=target is None) and target is not None:
            st.session_state["_goto_topic"] = int(target)
            _edit("topic", "merge", int(topic), int(target))
    with e3:
        if st.button("Show again" if model.hidden else "Hide topic", key="hide"):
            _edit("topic", "show" if model.hidden else "hide", int(topic))
        merged = [t for t in model.members if t != topic]
        if merged and st.button(f"Separate {plural(len(merged), 'merged topic')}", key="unmerge"):
            edit_all("topic", "unmerge", [int(t) for t in merged])
            st.session_state["_edit_msg"] = f"{plural(len(merged), 'topic')} separated from topic {topic}."
            st.rerun()
    st.caption("Edits are stored; every page and export follows.")


DETAIL: list[tuple[str, Callable[[], None]]] = []
if theme_model is not None:
    DETAIL = [
        ("Topics", partial(_theme_topics, theme_model)),
        ("Over time", _over_time),
        ("By outlet", _outlets),
        ("Stories", _stories),
    ]
elif model is not None:
    DETAIL = [
        ("Keywords and summary", partial(_summary, model)),
        ("Over time", _over_time),
        ("By outlet", _outlets),
        ("Stories", _stories),
        ("Representative articles", partial(_articles, model)),
        ("Edit", partial(_edit_topic, model)),
    ]
state.tabbed(st, DETAIL, key="part")
common.methods()
