"""Where the store is and how it stands: its path, its data version (read on every run: every cached answer is
keyed on it, so new data shows at once), why it cannot be opened, and how far its search index has got."""

from __future__ import annotations

import streamlit as st

from analysis.config import db_path
from analysis.store import StoreError, open_store


def store_path() -> str:
    return str(db_path())


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
    try:
        store = open_store(store_path(), readonly=True)
    except StoreError:
        return -1
    try:
        return int(store.data_version)
    except Exception:  # an empty file or a store mid-creation
        return -1
    finally:
        store.close()


@st.cache_data(show_spinner=False, ttl=5)
def search_pending(path: str) -> int:
    """Articles stored but not yet searchable (a big import's index trails its rows); re-read every 5 s,
    since indexing does not change the data version."""
    with open_store(path, readonly=True) as store:
        return int(store.search_pending())
