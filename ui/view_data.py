"""Cached loaders for Trends, Outlets, Stories, Search and the Article page, keyed like ui/data.py's."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from analysis.filters import Filters
from analysis.store import open_store
from ui.data import assignments, base, entity_links, entity_table, read, search_hits, search_mask, span
from ui.topic_data import level_choices, raw_topics


@st.cache_data(show_spinner="Comparing outlets…", max_entries=32)
def outlet_profiles(path: str, version: int, filters: Filters) -> pd.DataFrame:
    from analysis.explore import outlets as compare

    return compare.outlet_profiles_of(assignments(path, version, filters))


@st.cache_data(show_spinner="Finding distinctive terms…", max_entries=32)
def distinctive_terms(path: str, version: int, outlet: str, against: str | None, filters: Filters) -> pd.DataFrame:
    from analysis.explore import outlets as compare

    return read(path, compare.distinctive_terms, outlet, against, filters)


@st.cache_data(show_spinner=False, max_entries=64)
def articles_by_id(path: str, version: int, ids: tuple[str, ...]) -> pd.DataFrame:
    from analysis.explore import topics as topic_views

    return read(path, topic_views._articles, list(ids))


@st.cache_data(show_spinner=False, max_entries=128)
def article(path: str, version: int, article_id: str) -> dict[str, Any] | None:
    from analysis.explore import article as articles

    return read(path, articles.article, article_id)


@st.cache_data(show_spinner=False, max_entries=128)
def similar(path: str, version: int, article_id: str, k: int) -> pd.DataFrame:
    from analysis.explore import article as articles

    return read(path, articles.similar, article_id, k=k)


@st.cache_data(show_spinner="Searching…", max_entries=64)
def search(path: str, version: int, filters: Filters, sort: str, limit: int) -> pd.DataFrame:
    from analysis.explore import article as articles

    ranks = search_hits(path, version, filters.search) if filters.search.strip() else None
    return read(path, articles.search, assignments(path, version, filters), ranks, sort, limit)


@st.cache_data(show_spinner=False, max_entries=32)
def stories(
    path: str, version: int, filters: Filters, sort: str, min_outlets: int, find: str = "", since: Any = None
) -> pd.DataFrame:
    from analysis.explore import stories as st_stories

    return read(path, st_stories.story_list, filters, sort, min_outlets, find=find, since=since,
                selection=assignments(path, version, filters))  # fmt: skip


@st.cache_data(show_spinner="Testing coverage against the corpus's mix…", max_entries=16)
def blindspots(path: str, version: int, filters: Filters, what: str, minimum: int) -> pd.DataFrame:
    """Stories, topics or entities (what) covered by fewer of one side than the mix, with the test."""
    from analysis.explore import blindspots as blind
    from analysis.explore import stories as st_stories

    if what == "stories":
        return read(path, st_stories.story_blindspots, filters, minimum)
    df = assignments(path, version, filters)
    if what == "topics":
        return blind.topic_blindspots(df, minimum)
    return blind.entity_blindspots(df, entity_links(path, version), entity_table(path, version), minimum)


@st.cache_data(show_spinner=False, max_entries=64)
def story(path: str, version: int, story_id: int) -> dict[str, Any] | None:
    from analysis.explore import stories as st_stories

    return read(path, st_stories.story_detail, story_id)


@st.cache_data(show_spinner="Computing trends…", max_entries=32)
def trends_view(
    path: str, version: int, filters: Filters, period: str | None, top_n: int, by_outlet: bool
) -> dict[str, Any]:
    """Topic shares of all coverage over time (overall or for the biggest 6 outlets) and rising/falling topics."""
    from analysis.explore import trends

    df = assignments(path, version, filters)
    everything = base(path, version, filters)
    days = span(path, version, filters)
    if by_outlet:
        top = df["outlet"].value_counts().index[:6]
        df, everything = df[df["outlet"].isin(top)], everything[everything["outlet"].isin(top)]
    shares = trends.topic_shares(df, period, top_n=top_n, by_outlet=by_outlet, base=everything, span=days)
    used = shares.attrs["period"]
    changes = trends.rising_falling(assignments(path, version, filters), used, base=base(path, version, filters))
    return {"shares": shares, "changes": changes, "period": used}


@st.cache_data(show_spinner="Measuring attention…", max_entries=32)
def attention_view(
    path: str, version: int, filters: Filters, searches: tuple[str, ...], topic_sets: tuple[tuple[int, ...], ...],
    labels: tuple[str, ...], period: str | None, by_outlet: bool,
) -> pd.DataFrame:  # fmt: skip
    """Attention over time of several searches and topic sets, each a share of all coverage."""
    from analysis.explore import trends

    everything = base(path, version, filters)
    if by_outlet:
        everything = everything[everything["outlet"].isin(everything["outlet"].value_counts().index[:6])]
    lines, k = [], 0
    for q in searches:
        lines.append((labels[k], pd.Series(search_mask(path, version, q, everything), index=everything.index)))
        k += 1
    for topics in topic_sets:
        raw = raw_topics(path, version, topics, filters.level)
        lines.append((labels[k], everything["raw_topic"].isin(raw)))
        k += 1
    return trends.attention(everything, lines, period, span(path, version, filters), by_outlet=by_outlet)


@st.cache_data(show_spinner=False, max_entries=64)
def articles_behind(
    path: str, version: int, filters: Filters, period: str, start: Any, topic: int | None = None,
    outlet: str | None = None, topics_shown: tuple[int, ...] | None = None, search: str | None = None,
    raw_topics_in: tuple[int, ...] | None = None, column: str | None = None, value: str | None = None,
    outlets_shown: tuple[str, ...] = (),
) -> pd.DataFrame:  # fmt: skip
    """The articles counted in one point of a chart over time, with their title, outlet, date and summary
    (at most 500; attrs["total"] counts them all). search / raw_topics_in: only a compared line's articles."""
    from analysis.explore import topics as topic_views
    from analysis.explore import trends

    df = assignments(path, version, filters)
    if search:
        df = df[search_mask(path, version, search, df)]
    if raw_topics_in is not None:
        df = df[df["raw_topic"].isin(raw_topics(path, version, raw_topics_in, filters.level))]
    if outlet == "Other outlets":  # the bar of every outlet a chart did not name
        df, outlet = df[~df["outlet"].isin(outlets_shown)], None
    found = trends.articles_behind(df, period, start, topic, outlet, topics_shown, column, value)
    with open_store(path, readonly=True) as store:
        out = topic_views._articles(store, found[:500])
    out.attrs["total"] = len(found)
    return out


@st.cache_data(show_spinner=False, max_entries=32)
def group_values(path: str, version: int, filters: Filters, column: str) -> list[str]:
    """The values of a column in the selection, most articles first (e.g. topic labels, outlets)."""
    df = assignments(path, version, filters)
    vals = df.loc[df[column].notna() & (df[column] != "Unassigned"), column].value_counts()
    return [str(v) for v in vals.index]


@st.cache_data(show_spinner=False, max_entries=64)
def tone_view(
    path: str, version: int, filters: Filters, period: str | None, by: str | None, values: tuple[str, ...],
    min_articles: int,
) -> pd.DataFrame:  # fmt: skip
    from analysis.explore import trends

    df = assignments(path, version, filters)
    days = span(path, version, filters)
    return trends.tone_over_time(df, by, period, min_articles, list(values) if by else None, days)


@st.cache_data(show_spinner="Comparing outlets…", max_entries=32)
def outlets_view(
    path: str, version: int, filters: Filters, by: str, values: tuple[str, ...], period: str | None,
    common_only: bool = True,
) -> dict[str, Any]:  # fmt: skip
    """Side-by-side figures for outlets or groups: volume over the whole span, and, over the months every
    one of them covers (common_only) or over all their articles, topic share with the one test, tone,
    and coverage gaps of the first two. Also the coverage table of the compared and the months used."""
    from analysis.enrich.sentiment import aggregate
    from analysis.explore import coverage, topic_stats
    from analysis.explore import outlets as compare

    df = compare.grouped(assignments(path, version, filters), by, values)
    labels = dict(level_choices(path, version, filters.level))
    days = span(path, version, filters)
    volume = compare.group_volume(df, period, days)
    cov = coverage.coverage(df.assign(outlet=df["group"]), "outlet", days).rename(columns={"outlet": "group"})
    months = coverage.common_months(cov, "group", list(values)) if len(values) >= 2 else []
    used = coverage.restrict(df, months) if common_only and len(values) >= 2 else df
    share = topic_stats.topic_share_by_outlet(used.assign(outlet=used["group"]))
    tone = aggregate(used, "group") if used["sentiment"].notna().any() else pd.DataFrame()
    gaps = compare.group_gaps(used, values[0], values[1], labels) if len(values) >= 2 else pd.DataFrame()
    return {"volume": volume, "share": share, "tone": tone, "gaps": gaps, "labels": labels, "articles": len(df),
            "compared": len(used), "months": months, "coverage": cov, "common_only": common_only and len(values) >= 2,
            "undated": int(df["published"].isna().sum())}  # fmt: skip


@st.cache_data(show_spinner="Finding the latest headlines…", max_entries=16)
def headlines(path: str, version: int, filters: Filters, per_country: int) -> dict[str, pd.DataFrame]:
    """The latest stories of every outlet country."""
    from analysis.explore import headlines as heads

    return read(path, heads.headlines, filters, per_country)
