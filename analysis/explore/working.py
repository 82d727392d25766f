"""A store version's working set, loaded once per process and shared by every question and every session: the
article frame, the entity links, the entity table, and recent searches as frame rows. Keyed by the store and
its data version, so every write is seen at the next question; what these return is shared: never modify it."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from analysis.explore.rows import positions_in
from analysis.store import Database
from analysis.store.query import Query
from analysis.store.search import Matches

T = TypeVar("T")
_LOCK = threading.RLock()
_MEMO: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_SIZES = {"frame": 2, "links": 2, "entities": 4, "coverage": 2, "search": 64, "resolved": 6}


def version_key(store: Database) -> tuple[str, int]:
    """The store (its path or URL) and its data version: what every memo of this module is keyed on."""
    return str(store.path), int(store.data_version)


def memo(store: Database, kind: str, extra: tuple[Any, ...], build: Callable[[], T]) -> T:
    """build(), kept per store version and `extra` (at most _SIZES[kind] of a kind, the least recent dropped)."""
    key = (kind, *version_key(store), *extra)
    with _LOCK:
        if key in _MEMO:
            _MEMO.move_to_end(key)
            return _MEMO[key]
        value = build()
        _MEMO[key] = value
        same = [k for k in _MEMO if k[0] == kind]
        for old in same[: max(len(same) - _SIZES.get(kind, 4), 0)]:
            del _MEMO[old]
        return value


def forget() -> None:
    """Drop everything kept (tests that rewrite a store in place)."""
    with _LOCK:
        _MEMO.clear()


def frame(store: Database) -> pd.DataFrame:
    """Every article of the store, one row each (analysis.explore.frames.article_frame)."""
    from analysis.explore.frames import cached_article_frame

    return memo(store, "frame", (), lambda: cached_article_frame(store))


def links(store: Database) -> pd.DataFrame:
    """(article_id, entity_id, count) of every article, merges applied."""
    from analysis.explore.frames import cached_links

    return memo(store, "links", (), lambda: cached_links(store))


def entity_table(store: Database) -> pd.DataFrame:
    """The people, organisations and places with the user's edits, most mentioned first."""
    return memo(store, "entities", (), lambda: store.entities.entity_table())


@dataclass(frozen=True)
class Hits:
    """A search's matches in the article frame: rank (lower is better) by frame row label, best first; and the
    query as read, whose notes say how it was read."""

    query: Query
    ranks: pd.Series

    @property
    def notes(self) -> tuple[str, ...]:
        return self.query.notes


def search(store: Database, text: str) -> Hits:
    """The articles of the frame matching a search as a user typed it (never raises on what was typed)."""
    return memo(store, "search", (" ".join(text.split()),), lambda: _hits(store, store.search.matches(text)))


def _hits(store: Database, found: Matches) -> Hits:
    """Matches as frame rows. A common word matches 400,000 of a million articles: SQLite's row numbers become
    frame rows by a binary search of the frame's row numbers, with no article id hashed or compared."""
    df = frame(store)
    if found.by_row:
        rid = df["rid"].to_numpy(dtype=np.int64)
        keys = found.keys.astype(np.int64)
        if len(rid) and bool((rid[1:] > rid[:-1]).all()):  # the frame is in row-number order, as it is written
            rows = np.minimum(np.searchsorted(rid, keys), max(len(rid) - 1, 0))
            inside = rid[rows] == keys if len(rid) else np.zeros(len(keys), dtype=bool)
        else:
            rows = pd.Index(rid).get_indexer(keys)
            inside = rows >= 0
    else:
        rows = positions_in(pd.Series(found.keys, dtype=object), df["article_id"])
        inside = rows >= 0
    ranks = pd.Series(found.ranks[inside], index=df.index[rows[inside]], dtype=float, name="rank")
    return Hits(found.query, ranks)


def mentioning(store: Database, entities: tuple[int, ...]) -> pd.Index:
    """Ids of the articles naming any of these entities (as shown: merged ones followed)."""

    def build() -> pd.Index:
        raw = store.entities.raw_entity_ids(entities) if entities else ()
        table = links(store)
        ids = table.loc[table["entity_id"].isin(list(raw)), "article_id"]
        return pd.Index(pd.unique(ids.astype(str)), dtype=str)

    return memo(store, "mentions", (entities,), build)
