"""Cached loaders. Each is keyed on the store path and its data version, so new data shows up
without a restart and nothing is recomputed on an unrelated widget change."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from analysis import queries
from analysis.config import db_path
from analysis.queries import Filters
from analysis.store import Store, StoreError


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
        first, last = queries.date_bounds(store)
        return first, last, queries.all_outlets(store), store.count()


@st.cache_data(show_spinner="Counting articles…", max_entries=64)
def overview(path: str, version: int, filters: Filters, period: str, top_n: int) -> dict[str, Any]:
    """Metrics, volume over time and the outlet table for the Overview page."""
    with Store(path, readonly=True) as store:
        stats = queries.corpus_stats(store, filters)
        if period == "auto":
            period = queries.choose_period(stats["first"], stats["last"], max_periods=160)
        return {
            "stats": stats,
            "period": period,
            "volume": queries.volume(store, filters, period, top_n),
            "outlets": queries.outlet_table(store, filters),
        }


@st.cache_data(show_spinner=False, max_entries=64)
def topic_overview(path: str, version: int, filters: Filters) -> dict[str, Any] | None:
    """Topic counts for the selection and the fit's methods, or None before the first fit."""
    from analysis import topic_stats

    with Store(path, readonly=True) as store:
        if store.active_fit is None:
            return None
        df = topic_stats.assignments(store, filters)
        counts = topic_stats.topic_counts(df)
        return {
            "counts": counts,
            "unassigned": float((df["topic"] < 0).mean()) if len(df) else 0.0,
            "methods": topic_stats.methods(store),
        }
