"""The app's working set, written after a run changes the store: the per-article frame, entity links, whole-store
entity counts and outlet coverage, so the first page view after a fit, an update or the demo's load reads them
instead of building them (the command line calls this after the pipeline; the pipeline does not know of it)."""

from __future__ import annotations

import time

from analysis.explore.coverage import cached_table
from analysis.explore.entities import cached_entity_counts
from analysis.explore.frames import cached_article_frame, cached_links
from analysis.store import Database


def warm(store: Database) -> float | None:
    """Write the working set for the store as it now is; the seconds it took (None for a store with no folder of
    its own on this machine, where nothing is written)."""
    if store.local_dir is None:
        return None
    t = time.perf_counter()
    cached_article_frame(store)
    cached_links(store)
    cached_entity_counts(store)
    cached_table(store)
    return round(time.perf_counter() - t, 2)
