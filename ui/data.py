"""Cached loaders. Each is keyed on the store path and its data version, so new data shows up
without a restart and nothing is recomputed on an unrelated widget change."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from analysis.config import db_path
from analysis.explore.periods import choose_period
from analysis.filters import Filters
from analysis.store import Store, StoreError
from analysis.store import articles as article_rows
from analysis.store import outlets as outlet_rows


def store_path() -> str:
    return str(db_path())


def open_store() -> Store | None:
    """A fresh read connection, or None when there is no store yet."""
    try:
        return Store(store_path(), readonly=True)
    except StoreError:
        return None


def data_version() -> int:
    """The store's write counter (-1 when there is no store); cheap, read on every rerun."""
    store = open_store()
    if store is None:
        return -1
    try:
        return store.data_version
    except Exception:  # an empty file or a store mid-creation
        return -1
    finally:
        store.close()


@st.cache_data(show_spinner=False, max_entries=16)
def corpus_bounds(path: str, version: int) -> tuple[date | None, date | None, list[str], int]:
    """Earliest and latest dates, outlets by size, article count."""
    with Store(path, readonly=True) as store:
        first, last = article_rows.date_bounds(store)
        return first, last, article_rows.outlet_names(store), store.count()


@st.cache_resource(show_spinner="Loading the articles…", max_entries=2)
def frame(path: str, version: int) -> pd.DataFrame:
    """One row per article (date, outlet, bias, country, tone, topic), shared by all sessions and
    filtered in memory. Never modify it; filtering returns a new frame."""
    from analysis.explore import frames

    with Store(path, readonly=True) as store:
        return frames.cached_article_frame(store)


@st.cache_data(show_spinner=False, max_entries=64)
def search_ranks(path: str, version: int, search: str) -> pd.Series:
    from analysis.explore import frames

    with Store(path, readonly=True) as store:
        return frames.search_ranks(store, search)


def assignments(path: str, version: int, filters: Filters) -> pd.DataFrame:
    """The filtered article frame (milliseconds: no SQL except a cached full-text search)."""
    from analysis.explore import frames

    ids = search_ranks(path, version, filters.search) if filters.search.strip() else None
    return frames.apply_filters(frame(path, version), filters, ids)


def base(path: str, version: int, filters: Filters) -> pd.DataFrame:
    """All coverage the selection is a share of: the same dates, outlets, bias and country, with no
    topic or search narrowing it."""
    return assignments(path, version, filters.sources())


def span(path: str, version: int, filters: Filters) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The days charts over time cover: the store's first to last dated article, narrowed by the dates filter."""
    first, last, _, _ = corpus_bounds(path, version)
    if first is None or last is None:
        return None
    start = pd.Timestamp(filters.start) if filters.start else pd.Timestamp(first)
    end = pd.Timestamp(filters.end) if filters.end else pd.Timestamp(last)
    return start, end


@st.cache_data(show_spinner="Counting articles…", max_entries=64)
def overview(path: str, version: int, filters: Filters, period: str, top_n: int) -> dict[str, Any]:
    """Metrics, volume over time and the outlet table for the Overview page."""
    from analysis.explore import frames

    df = assignments(path, version, filters)
    stats = frames.stats(df)
    if period == "auto":
        period = choose_period(stats["first"], stats["last"], max_periods=160)
    volume = frames.volume(df, period, top_n, span(path, version, filters))
    return {"stats": stats, "period": period, "volume": volume,
            "outlets": frames.outlet_table(df, base(path, version, filters))}  # fmt: skip


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
def colors(path: str, version: int) -> dict[str, dict[str, str]]:
    """The app's colours: each outlet by its rank in the store, each bias rating by convention."""
    from analysis.explore import palette

    outlets = corpus_bounds(path, version)[2]
    ratings = outlet_groups(path, version)["bias"]
    return {
        "outlet": palette.outlet_colors(outlets),
        "bias": {**palette.bias_colors(ratings), "unknown": palette.UNKNOWN},
    }


@st.cache_data(show_spinner=False, max_entries=16)
def outlet_groups(path: str, version: int) -> dict[str, list[str]]:
    """The bias ratings and countries present in the outlets table."""
    with Store(path, readonly=True) as store:
        out = {}
        for col in ("bias", "country"):
            out[col] = outlet_rows.outlet_values(store, col)
        return out


@st.cache_data(show_spinner=False, max_entries=16)
def topic_choices(path: str, version: int) -> list[tuple[int, str]]:
    """(topic id, label) of the visible topics, biggest first; empty before the first fit."""
    from analysis.store import topics as topic_store

    with Store(path, readonly=True) as store:
        if store.active_fit is None:
            return []
        table = topic_store.topic_table(store)
        return [(int(t), str(lab)) for t, lab in zip(table["topic"], table["label"], strict=True)]


@st.cache_data(show_spinner=False, max_entries=64)
def raw_topics(path: str, version: int, topics: tuple[int, ...], level: str = "topics") -> tuple[int, ...]:
    """The fit's topic ids behind displayed topics (level "topics") or themes (level "themes")."""
    from analysis.store import topics as topic_store

    with Store(path, readonly=True) as store:
        if level == "themes":
            return topic_store.raw_theme_topic_ids(store, topics)
        return topic_store.raw_topic_ids(store, topics)


@st.cache_data(show_spinner=False, max_entries=16)
def theme_choices(path: str, version: int) -> list[tuple[int, str]]:
    """(theme id, label) of the themes, biggest first; empty before the first fit or without themes."""
    from analysis.store import topics as topic_store

    with Store(path, readonly=True) as store:
        if store.active_fit is None:
            return []
        table = topic_store.theme_table(store)
        return [(int(t), str(lab)) for t, lab in zip(table["theme"], table["label"], strict=True)]


def level_choices(path: str, version: int, level: str) -> list[tuple[int, str]]:
    """The topics or the themes to pick from, at the chosen level."""
    return theme_choices(path, version) if level == "themes" else topic_choices(path, version)


@st.cache_data(show_spinner=False, max_entries=16)
def theme_table(path: str, version: int) -> pd.DataFrame:
    from analysis.store import topics as topic_store

    with Store(path, readonly=True) as store:
        return topic_store.theme_table(store)


@st.cache_data(show_spinner=False, max_entries=16)
def merged_themes(path: str, version: int) -> dict[int, int]:
    from analysis.store import topics as topic_store

    with Store(path, readonly=True) as store:
        return topic_store.merged_themes(store)


def edit_theme(action: str, theme: int, value: str | int | None = None) -> str:
    """Rename, merge or separate a theme in the store; returns a sentence saying what was done (raises
    ValueError with the reason when it cannot be done)."""
    from analysis.store import topics as topic_store

    with Store(store_path()) as store:
        if action == "rename":
            topic_store.rename_theme(store, theme, str(value or ""))
            return f"Theme {theme} is now called “{' '.join(str(value).split())}”."
        if action == "merge" and value is not None:
            topic_store.merge_themes(store, theme, int(value))
            return f"Theme {theme} was merged into theme {int(value)}; its topics are shown under it."
        if action == "unmerge":
            topic_store.unmerge_theme(store, theme)
            return f"Theme {theme} is separate again."
    raise ValueError(f"Unknown theme edit {action!r}.")


@st.cache_data(show_spinner=False, max_entries=8)
def has_fit(path: str, version: int) -> bool:
    with Store(path, readonly=True) as store:
        return store.active_fit is not None


@st.cache_data(show_spinner=False, max_entries=8)
def topic_table(path: str, version: int, include_hidden: bool = False) -> pd.DataFrame:
    from analysis.store import topics as topic_store

    with Store(path, readonly=True) as store:
        return topic_store.topic_table(store, include_hidden=include_hidden)


@st.cache_data(show_spinner=False, max_entries=8)
def methods(path: str, version: int) -> dict[str, Any]:
    from analysis.explore import topic_stats

    with Store(path, readonly=True) as store:
        return topic_stats.methods(store)


@st.cache_data(show_spinner="Drawing the topic map…", max_entries=16)
def map_points(path: str, version: int, filters: Filters) -> pd.DataFrame:
    from analysis.explore import topics as topic_views

    return topic_views.map_points(assignments(path, version, filters))


@st.cache_data(show_spinner=False, max_entries=8)
def topic_similarity(path: str, version: int, top_n: int) -> pd.DataFrame:
    from analysis.explore import topics as topic_views

    with Store(path, readonly=True) as store:
        return topic_views.topic_similarity(store, top_n)


@st.cache_data(show_spinner=False, max_entries=8)
def hierarchy(path: str, version: int) -> pd.DataFrame:
    from analysis.explore import topic_stats

    with Store(path, readonly=True) as store:
        return topic_stats.hierarchy(store)


@st.cache_data(show_spinner=False, max_entries=64)
def topic_detail(path: str, version: int, topic: int, filters: Filters) -> dict[str, Any] | None:
    from analysis.explore import topics as topic_views

    with Store(path, readonly=True) as store:
        detail = _topic_detail_static(path, version, topic)
        if detail is None:
            return None
        return {**detail, "stories": topic_views.topic_stories(store, detail["members"], filters)}


@st.cache_data(show_spinner=False, max_entries=64)
def _topic_detail_static(path: str, version: int, topic: int) -> dict[str, Any] | None:
    """The parts of a topic's detail that do not depend on the filters (keywords, summary, representatives)."""
    from analysis.explore import topics as topic_views

    with Store(path, readonly=True) as store:
        return topic_views.topic_detail(store, topic, Filters())


@st.cache_data(show_spinner=False, max_entries=64)
def words_over_time(path: str, version: int, topic: int) -> pd.DataFrame:
    from analysis.explore import topic_stats

    with Store(path, readonly=True) as store:
        return topic_stats.words_over_time(store, topic)


@st.cache_data(show_spinner="Comparing outlets…", max_entries=32)
def outlet_profiles(path: str, version: int, filters: Filters) -> pd.DataFrame:
    from analysis.explore import outlets as compare

    return compare.outlet_profiles_of(assignments(path, version, filters))


@st.cache_data(show_spinner="Finding distinctive terms…", max_entries=32)
def distinctive_terms(path: str, version: int, outlet: str, against: str | None, filters: Filters) -> pd.DataFrame:
    from analysis.explore import outlets as compare

    with Store(path, readonly=True) as store:
        return compare.distinctive_terms(store, outlet, against, filters)


@st.cache_data(show_spinner=False, max_entries=64)
def articles_by_id(path: str, version: int, ids: tuple[str, ...]) -> pd.DataFrame:
    from analysis.explore import topics as topic_views

    with Store(path, readonly=True) as store:
        return topic_views._articles(store, list(ids))


@st.cache_data(show_spinner=False, max_entries=128)
def article(path: str, version: int, article_id: str) -> dict[str, Any] | None:
    from analysis.explore import article as articles

    with Store(path, readonly=True) as store:
        return articles.article(store, article_id)


@st.cache_data(show_spinner=False, max_entries=128)
def similar(path: str, version: int, article_id: str, k: int) -> pd.DataFrame:
    from analysis.explore import article as articles

    with Store(path, readonly=True) as store:
        return articles.similar(store, article_id, k=k)


@st.cache_data(show_spinner="Searching…", max_entries=64)
def search(path: str, version: int, filters: Filters, sort: str, limit: int) -> pd.DataFrame:
    from analysis.explore import article as articles

    ranks = search_ranks(path, version, filters.search) if filters.search.strip() else None
    with Store(path, readonly=True) as store:
        return articles.search(store, assignments(path, version, filters), ranks, sort, limit)


@st.cache_data(show_spinner=False, max_entries=32)
def stories(path: str, version: int, filters: Filters, sort: str, min_outlets: int) -> pd.DataFrame:
    from analysis.explore import stories as st_stories

    with Store(path, readonly=True) as store:
        return st_stories.story_list(store, filters, sort, min_outlets)


@st.cache_data(show_spinner=False, max_entries=64)
def story(path: str, version: int, story_id: int) -> dict[str, Any] | None:
    from analysis.explore import stories as st_stories

    with Store(path, readonly=True) as store:
        return st_stories.story_detail(store, story_id)


@st.cache_data(show_spinner=False, max_entries=8)
def outlet_meta(path: str, version: int) -> pd.DataFrame:
    with Store(path, readonly=True) as store:
        return outlet_rows.outlet_rows(store)


def edit_topic(action: str, topic: int, value: str | int | None = None) -> str:
    """Rename, merge, hide or show a topic in the store; returns a sentence saying what was done."""
    from analysis.store import topics as topic_store

    with Store(store_path()) as store:
        if action == "rename":
            topic_store.rename_topic(store, topic, str(value))
            return f"Topic {topic} is now called “{value}”."
        if action == "merge":
            topic_store.merge_topics(store, topic, int(value))  # type: ignore[arg-type]
            return f"Topic {topic} was merged into topic {value}."
        if action == "hide":
            topic_store.hide_topic(store, topic, True)
            return f"Topic {topic} is hidden; its articles count as unassigned."
        if action == "show":
            topic_store.hide_topic(store, topic, False)
            return f"Topic {topic} is shown again."
        if action == "unmerge":
            topic_store.unmerge_topic(store, topic)
            return f"Topic {topic} is separate again."
    raise ValueError(f"Unknown topic edit {action!r}.")


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
        ids = search_ranks(path, version, q).index
        lines.append((labels[k], everything["article_id"].isin(ids)))
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
        df = df[df["article_id"].isin(search_ranks(path, version, search).index)]
    if raw_topics_in is not None:
        df = df[df["raw_topic"].isin(raw_topics(path, version, raw_topics_in, filters.level))]
    if outlet == "Other outlets":  # the bar of every outlet a chart did not name
        df, outlet = df[~df["outlet"].isin(outlets_shown)], None
    found = trends.articles_behind(df, period, start, topic, outlet, topics_shown, column, value)
    with Store(path, readonly=True) as store:
        out = topic_views._articles(store, found[:500])
    out.attrs["total"] = len(found)
    return out


@st.cache_data(show_spinner=False, max_entries=64)
def articles_in_topic(path: str, version: int, filters: Filters, topic: int) -> pd.DataFrame:
    """The selection's articles on one topic, newest first (at most 500; attrs["total"] counts all)."""
    from analysis.explore import topics as topic_views

    df = assignments(path, version, filters)
    hit = df[df["topic"] == topic].sort_values("published", ascending=False, na_position="last")
    with Store(path, readonly=True) as store:
        out = topic_views._articles(store, hit["article_id"].tolist()[:500])
    out.attrs["total"] = len(hit)
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


@st.cache_resource(show_spinner=False, max_entries=4)
def coverage_table(path: str, version: int) -> pd.DataFrame:
    """Each outlet's coverage window, gaps and undated articles over the whole store, with a sentence on
    each (shared by all sessions, never modified: st.cache_data's copy took 0.1 s at 1,000+ outlets)."""
    from analysis.explore import coverage

    df = frame(path, version)
    first, last, _, _ = corpus_bounds(path, version)
    days = (pd.Timestamp(first), pd.Timestamp(last)) if first and last else None
    table = coverage.coverage(df, "outlet", days)
    return table.assign(note=[coverage.describe(r, days) for r in table.to_dict("records")])


@st.cache_data(show_spinner=False, max_entries=8)
def imports(path: str, version: int) -> pd.DataFrame:
    """The import history, newest first."""
    with Store(path, readonly=True) as store:
        cols = ["id", "source", "started", "finished", "status", "rows_read", "stored", "duplicates", "rejected",
                "message"]  # fmt: skip
        return pd.DataFrame(store.imports()[::-1]).reindex(columns=cols)


@st.cache_data(show_spinner=False, max_entries=8)
def collect_runs(path: str, version: int) -> pd.DataFrame:
    """Collection runs, newest first, with their counts."""
    from analysis.store import collection

    with Store(path, readonly=True) as store:
        out = []
        for r in collection.runs(store):
            s = r["summary"]
            out.append({"run": r["id"], "started": r["started"], "finished": r["finished"], "status": r["status"],
                        "fetched": s.get("fetched", 0), "stored": s.get("stored", 0),
                        "near-duplicates": s.get("near_duplicates", 0), "duplicates": s.get("duplicates", 0),
                        "failed": len(s.get("failures", []))})  # fmt: skip
    return pd.DataFrame(out)


@st.cache_data(show_spinner=False, max_entries=8)
def pipeline_state(path: str, version: int) -> dict[str, int]:
    """Articles, how many have a topic in the active fit, and how many have tone/summary."""
    with Store(path, readonly=True) as store:
        n = store.count()
        fit = store.active_fit
        from analysis.store import fits
        from analysis.store import intel as intel_rows

        topics = fits.assigned_count(store)
        intel = intel_rows.processed_count(store)
        return {"articles": n, "with_topic": topics, "with_intel": intel, "fitted": int(fit is not None)}


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
    from ui import charts

    table = topic_table(path, version, include_hidden=True)
    visible = table[~table["hidden"]]
    tree = hierarchy(path, version)
    sims = topic_similarity(path, version, n_sim)
    labels = dict(zip(visible["topic"], visible["label"], strict=True))
    return {
        "sizes": charts.topic_size_bars(visible), "sizes_data": visible[["topic", "label", "size", "share"]],
        "tree": charts.hierarchy_figure(tree, labels), "tree_data": tree,
        "similarity": charts.similarity_heatmap(sims), "similarity_data": sims.reset_index(names="topic"),
    }  # fmt: skip
