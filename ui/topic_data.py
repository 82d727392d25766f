"""Cached loaders for topics and themes (tables, map, detail, edits), keyed like ui/data.py's."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from analysis.explore import edits
from analysis.filters import Filters
from analysis.store import open_store
from ui.data import assignments, base, read, span, store_path


@st.cache_data(show_spinner=False, max_entries=64)
def topic_overview(path: str, version: int, filters: Filters) -> dict[str, Any] | None:
    """Topic counts for the selection and the fit's methods, or None before the first fit."""
    from analysis.explore import topic_stats

    if not has_fit(path, version):
        return None
    df = assignments(path, version, filters)
    return {
        "counts": topic_stats.topic_counts(df, len(base(path, version, filters))),
        "unassigned": float((df["topic"] < 0).mean()) if len(df) else 0.0,
        "methods": methods(path, version),
    }


@st.cache_data(show_spinner=False, max_entries=16)
def topic_choices(path: str, version: int) -> list[tuple[int, str]]:
    """(topic id, label) of the visible topics, biggest first; empty before the first fit."""
    return read(path, edits.choices, "topics")


@st.cache_data(show_spinner=False, max_entries=64)
def raw_topics(path: str, version: int, topics: tuple[int, ...], level: str = "topics") -> tuple[int, ...]:
    """The fit's topic ids behind displayed topics (level "topics") or themes (level "themes")."""
    return read(path, edits.raw_topic_ids, topics, level)


@st.cache_data(show_spinner=False, max_entries=16)
def theme_choices(path: str, version: int) -> list[tuple[int, str]]:
    """(theme id, label) of the themes, biggest first; empty before the first fit or without themes."""
    return read(path, edits.choices, "themes")


def level_choices(path: str, version: int, level: str) -> list[tuple[int, str]]:
    """The topics or the themes to pick from, at the chosen level."""
    return theme_choices(path, version) if level == "themes" else topic_choices(path, version)


@st.cache_data(show_spinner=False, max_entries=16)
def theme_table(path: str, version: int) -> pd.DataFrame:
    return read(path, edits.theme_table)


@st.cache_data(show_spinner=False, max_entries=16)
def merged_themes(path: str, version: int) -> dict[int, int]:
    return read(path, edits.merged_themes)


def edit_theme(action: str, theme: int, value: str | int | None = None) -> str:
    """Rename, merge or separate a theme; returns a sentence saying what was done (raises NewsError with
    the reason when it cannot be done)."""
    with open_store(store_path()) as store:
        return edits.edit_theme(store, action, theme, value)


@st.cache_data(show_spinner=False, max_entries=8)
def has_fit(path: str, version: int) -> bool:
    with open_store(path, readonly=True) as store:
        return store.active_fit is not None


@st.cache_data(show_spinner=False, max_entries=8)
def topic_table(path: str, version: int, include_hidden: bool = False) -> pd.DataFrame:
    return read(path, edits.topic_table, include_hidden)


@st.cache_data(show_spinner=False, max_entries=8)
def methods(path: str, version: int) -> dict[str, Any]:
    from analysis.explore import topic_stats

    return read(path, topic_stats.methods)


@st.cache_data(show_spinner="Drawing the topic map…", max_entries=16)
def map_points(path: str, version: int, filters: Filters) -> pd.DataFrame:
    from analysis.explore import topics as topic_views

    return topic_views.map_points(assignments(path, version, filters))


@st.cache_data(show_spinner=False, max_entries=8)
def topic_similarity(path: str, version: int, top_n: int) -> pd.DataFrame:
    from analysis.explore import topics as topic_views

    return read(path, topic_views.topic_similarity, top_n)


@st.cache_data(show_spinner=False, max_entries=8)
def hierarchy(path: str, version: int) -> pd.DataFrame:
    from analysis.explore import topic_stats

    return read(path, topic_stats.hierarchy)


@st.cache_data(show_spinner=False, max_entries=64)
def topic_detail(path: str, version: int, topic: int, filters: Filters) -> dict[str, Any] | None:
    from analysis.explore import topics as topic_views

    with open_store(path, readonly=True) as store:
        detail = _topic_detail_static(path, version, topic)
        if detail is None:
            return None
        return {**detail, "stories": topic_views.topic_stories(store, detail["members"], filters)}


@st.cache_data(show_spinner=False, max_entries=64)
def _topic_detail_static(path: str, version: int, topic: int) -> dict[str, Any] | None:
    """The parts of a topic's detail that do not depend on the filters (keywords, summary, representatives)."""
    from analysis.explore import topics as topic_views

    return read(path, topic_views.topic_detail, topic, Filters())


@st.cache_data(show_spinner=False, max_entries=64)
def words_over_time(path: str, version: int, topic: int) -> pd.DataFrame:
    from analysis.explore import topic_stats

    return read(path, topic_stats.words_over_time, topic)


def edit_topic(action: str, topic: int, value: str | int | None = None) -> str:
    """Rename, merge, hide or show a topic; returns a sentence saying what was done."""
    with open_store(store_path()) as store:
        return edits.edit_topic(store, action, topic, value)


@st.cache_data(show_spinner=False, max_entries=32)
def topic_trend(path: str, version: int, topic: int, filters: Filters) -> dict[str, Any]:
    """One topic's share of all coverage over time, share by outlet and tone over time, for the topic
    detail (the sidebar's topics filter does not apply: the topic is the subject)."""
    from analysis.explore import topic_stats, trends

    f = replace(filters, topics=())
    df = assignments(path, version, f)
    days = span(path, version, f)
    shares = trends.topic_shares(df, topics=[topic], base=base(path, version, f), span=days)
    shares = shares[shares["topic"] == topic].reset_index(drop=True)
    all_cells = topic_stats.topic_share_by_outlet(df)
    by_outlet = all_cells[all_cells["topic"] == topic].sort_values("z", ascending=False).reset_index(drop=True)
    tone = trends.tone_over_time(df[df["topic"] == topic], period=shares.attrs["period"], min_articles=3, span=days)
    return {"shares": shares, "by_outlet": by_outlet, "tone": tone, "tests": len(all_cells)}


@st.cache_data(show_spinner=False, max_entries=64)
def articles_in_topic(path: str, version: int, filters: Filters, topic: int) -> pd.DataFrame:
    """The selection's articles on one topic, newest first (at most 500; attrs["total"] counts all)."""
    from analysis.explore import topics as topic_views

    df = assignments(path, version, filters)
    hit = df[df["topic"] == topic].sort_values("published", ascending=False, na_position="last")
    with open_store(path, readonly=True) as store:
        out = topic_views._articles(store, hit["article_id"].tolist()[:500])
    out.attrs["total"] = len(hit)
    return out


@st.cache_data(show_spinner=False, max_entries=32)
def latest_changes(path: str, version: int, filters: Filters) -> dict[str, Any]:
    """The biggest topics of the latest period and the rising/falling topics against the one before."""
    from analysis.explore import trends

    df = assignments(path, version, filters)
    everything = base(path, version, filters)
    period = trends.change_period(everything)
    return {"latest": trends.latest_topics(df, period, base=everything),
            "changes": trends.rising_falling(df, period, base=everything)}  # fmt: skip


@st.cache_resource(show_spinner=False, max_entries=8)
def topic_figures(path: str, version: int, n_sim: int) -> dict[str, Any]:
    """The Topics page's figures that do not depend on the filters (sizes, hierarchy, similarity),
    built once per store version: building plotly figures costs tens of milliseconds each."""
    from ui import topic_charts

    table = topic_table(path, version, include_hidden=True)
    visible = table[~table["hidden"]]
    tree = hierarchy(path, version)
    sims = topic_similarity(path, version, n_sim)
    labels = dict(zip(visible["topic"], visible["label"], strict=True))
    return {
        "sizes": topic_charts.topic_size_bars(visible), "sizes_data": visible[["topic", "label", "size", "share"]],
        "tree": topic_charts.hierarchy_figure(tree, labels), "tree_data": tree,
        "similarity": topic_charts.similarity_heatmap(sims), "similarity_data": sims.reset_index(names="topic"),
    }  # fmt: skip
