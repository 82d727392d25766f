"""Cached loaders. Each is keyed on the store path and its data version, so new data shows up
without a restart and nothing is recomputed on an unrelated widget change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import streamlit as st

from analysis.config import db_path
from analysis.explore import corpus
from analysis.explore.periods import choose_period
from analysis.filters import Filters
from analysis.store import StoreError, open_store

T = TypeVar("T")


def store_path() -> str:
    return str(db_path())


def read(path: str, question: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Ask the read side one question of the store at path, on a read connection closed afterwards."""
    with open_store(path, readonly=True) as store:
        return question(store, *args, **kwargs)


def read_store() -> Any:
    """A fresh read connection, or None when there is no store yet."""
    try:
        return open_store(store_path(), readonly=True)
    except StoreError:
        return None


def store_problem() -> str | None:
    """Why the store cannot be opened (an unreachable server, a damaged file), or None when it can or when
    there is simply no store yet."""
    try:
        open_store(store_path(), readonly=True).close()
    except StoreError as exc:
        return None if str(exc).startswith("No store at") else str(exc)
    return None


def shown_path() -> str:
    """The store's path or URL as the pages may show it: without a password."""
    from analysis.store.postgres import redact

    return redact(store_path())


def data_version() -> int:
    """The store's write counter (-1 when there is no store); cheap, read on every rerun."""
    store = read_store()
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
    return read(path, corpus.bounds)


@st.cache_resource(show_spinner="Loading the articles…", max_entries=2)
def frame(path: str, version: int) -> pd.DataFrame:
    """One row per article (date, outlet, bias, country, tone, topic), shared by all sessions and
    filtered in memory. Never modify it; filtering returns a new frame."""
    from analysis.explore import frames

    return read(path, frames.cached_article_frame)


@st.cache_data(show_spinner=False, ttl=5)
def search_pending(path: str) -> int:
    """Articles stored but not yet searchable (a big import's index trails its rows); re-read every 5 s,
    since indexing does not change the data version."""
    return read(path, lambda store: store.search_pending())


@st.cache_data(show_spinner=False, max_entries=64)
def search_hits(path: str, version: int, search: str) -> pd.Series:
    """BM25 rank of each article matching a search, by row of the article frame (frames.search_hits)."""
    from analysis.explore import frames

    return read(path, frames.search_hits, search, frame(path, version))


def search_mask(path: str, version: int, search: str, df: pd.DataFrame) -> np.ndarray:
    """Whether each row of df (taken from the article frame) matches a search."""
    from analysis.explore.rows import aligned

    return ~np.isnan(aligned(df, search_hits(path, version, search)))


def assignments(path: str, version: int, filters: Filters) -> pd.DataFrame:
    """The filtered article frame (milliseconds: no SQL except a cached full-text search)."""
    from analysis.explore import frames

    hits = search_hits(path, version, filters.search) if filters.search.strip() else None
    named = entity_articles(path, version, filters.entities) if filters.entities else None
    return frames.apply_filters(frame(path, version), filters, hits, named)


@st.cache_resource(show_spinner=False, max_entries=4)
def entity_links(path: str, version: int) -> pd.DataFrame:
    """(article_id, entity_id, count) of every article, merges applied; shared by all sessions, never modified."""
    from analysis.explore import entities

    return read(path, entities.cached_links)


@st.cache_data(show_spinner=False, max_entries=8)
def entity_table(path: str, version: int) -> pd.DataFrame:
    """The entities (people, organisations, places) with the user's edits, most mentioned first."""
    from analysis.explore import entities

    return read(path, entities.table_of)


@st.cache_data(show_spinner=False, max_entries=64)
def raw_entities(path: str, version: int, entities: tuple[int, ...]) -> tuple[int, ...]:
    """The stored entity ids behind displayed ones (merged entities included)."""
    from analysis.explore import entities as ent

    return read(path, ent.raw_ids, entities)


@st.cache_data(show_spinner=False, max_entries=64)
def entity_articles(path: str, version: int, entities: tuple[int, ...]) -> pd.Index:
    """Ids of the articles naming any of these entities."""
    links = entity_links(path, version)
    return pd.Index(links.loc[links["entity_id"].isin(entities), "article_id"].unique(), dtype=str)


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
    return read(path, corpus.outlet_groups)


@st.cache_data(show_spinner=False, max_entries=8)
def outlet_meta(path: str, version: int) -> pd.DataFrame:
    return read(path, corpus.outlet_meta)


@st.cache_resource(show_spinner=False, max_entries=4)
def coverage_table(path: str, version: int) -> pd.DataFrame:
    """Each outlet's coverage window, gaps and undated articles over the whole store, with a sentence on
    each (shared by all sessions, never modified: st.cache_data's copy took 0.1 s at 1,000+ outlets); kept
    beside the store by the pipeline."""
    from analysis.explore import coverage

    return read(path, coverage.cached_table)


@st.cache_data(show_spinner=False, max_entries=8)
def imports(path: str, version: int) -> pd.DataFrame:
    """The import history, newest first."""
    return read(path, corpus.imports)


@st.cache_data(show_spinner=False, max_entries=8)
def collect_runs(path: str, version: int) -> pd.DataFrame:
    """Collection runs, newest first, with their counts."""
    return read(path, corpus.collect_runs)


@st.cache_data(show_spinner=False, max_entries=8)
def pipeline_state(path: str, version: int) -> dict[str, int]:
    """Articles, how many have a topic in the active fit, and how many have tone/summary."""
    return read(path, corpus.pipeline_state)
