"""What is in the store as a whole: its span and outlets, outlet groups and metadata, imports, collection
runs and how far the pipeline has got (the sidebar, the Overview's counts and the Collect page)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from analysis.store import Store, collection, fits
from analysis.store import articles as article_rows
from analysis.store import intel as intel_rows
from analysis.store import outlets as outlet_rows

IMPORT_COLUMNS = ["id", "source", "started", "finished", "status", "rows_read", "stored", "duplicates", "rejected",
                  "message"]  # fmt: skip


def bounds(store: Store) -> tuple[date | None, date | None, list[str], int]:
    """Earliest and latest dates, outlets by size, article count."""
    first, last = article_rows.date_bounds(store)
    return first, last, article_rows.outlet_names(store), store.count()


def outlet_groups(store: Store) -> dict[str, list[str]]:
    """The bias ratings and countries present in the outlets table."""
    return {col: outlet_rows.outlet_values(store, col) for col in ("bias", "country")}


def outlet_meta(store: Store) -> pd.DataFrame:
    """The outlets table as stored, by name."""
    return outlet_rows.outlet_rows(store)


def imports(store: Store) -> pd.DataFrame:
    """The import history, newest first."""
    return pd.DataFrame(store.imports()[::-1]).reindex(columns=IMPORT_COLUMNS)


def collect_runs(store: Store) -> pd.DataFrame:
    """Collection runs, newest first, with their counts."""
    out: list[dict[str, Any]] = []
    for r in collection.runs(store):
        s = r["summary"]
        out.append({"run": r["id"], "started": r["started"], "finished": r["finished"], "status": r["status"],
                    "fetched": s.get("fetched", 0), "stored": s.get("stored", 0),
                    "near-duplicates": s.get("near_duplicates", 0), "duplicates": s.get("duplicates", 0),
                    "failed": len(s.get("failures", []))})  # fmt: skip
    return pd.DataFrame(out)


def pipeline_state(store: Store) -> dict[str, int]:
    """Articles, how many have a topic in the active fit, and how many have tone and a summary."""
    return {"articles": store.count(), "with_topic": fits.assigned_count(store),
            "with_intel": intel_rows.processed_count(store), "fitted": int(store.active_fit is not None)}  # fmt: skip
