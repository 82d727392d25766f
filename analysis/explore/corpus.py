"""What is in the store as a whole: its span and outlets, outlet groups and metadata, imports, collection
runs and how far the pipeline has got (the sidebar, the Overview's counts and the Collect page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from analysis.estimate import Estimate, estimate
from analysis.store import Database

IMPORT_COLUMNS = [
    "id",
    "source",
    "started",
    "finished",
    "status",
    "rows_read",
    "stored",
    "duplicates",
    "rejected",
    "message",
]


def bounds(store: Database) -> tuple[date | None, date | None, list[str], int]:
    """Earliest and latest dates, outlets by size, article count."""
    first, last = store.articles.date_bounds()
    return first, last, store.articles.outlet_names(), store.count()


def outlet_groups(store: Database) -> dict[str, list[str]]:
    """The bias ratings and countries present in the outlets table."""
    return {col: store.outlets.outlet_values(col) for col in ("bias", "country")}


def outlet_meta(store: Database) -> pd.DataFrame:
    """The outlets table as stored, by name."""
    return store.outlets.outlet_rows()


def imports(store: Database) -> pd.DataFrame:
    """The import history, newest first."""
    return pd.DataFrame(store.imports()[::-1]).reindex(columns=IMPORT_COLUMNS)


def collect_runs(store: Database) -> pd.DataFrame:
    """Collection runs, newest first, with their counts."""
    out: list[dict[str, Any]] = []
    for r in store.collection.runs():
        s = r["summary"]
        out.append(
            {
                "run": r["id"],
                "started": r["started"],
                "finished": r["finished"],
                "status": r["status"],
                "fetched": s.get("fetched", 0),
                "stored": s.get("stored", 0),
                "near-duplicates": s.get("near_duplicates", 0),
                "duplicates": s.get("duplicates", 0),
                "failed": len(s.get("failures", [])),
            }
        )
    return pd.DataFrame(out)


@dataclass(frozen=True)
class PipelineState:
    """How far the pipeline has got: articles, how many have a topic in the active fit, how many have tone and a
    summary, and whether there is a topic model at all."""

    articles: int
    with_topic: int  # placed by the model, in a topic or in none
    with_intel: int
    fitted: bool
    in_no_topic: int = 0  # placed, but too unlike every topic


def outlet_listing(store: Database) -> pd.DataFrame:
    """Every outlet with its metadata, its ratings as text and its article count, most articles first."""
    return store.outlets.listing()


def run_estimate(store: Database, refit: bool) -> Estimate:
    """How long an update (the articles without a topic or an output) or a refit (every article) would take."""
    state = pipeline_state(store)
    to_do = max(state.articles - state.with_topic, state.articles - state.with_intel, 0)
    return estimate(store.outputs.rates(), to_do, state.articles, refit)


def pipeline_state(store: Database) -> PipelineState:
    """How far the pipeline has got in this store."""
    return PipelineState(
        store.count(),
        store.fits.assigned_count(),
        store.outputs.done_count("article_summaries"),
        store.active_fit is not None,
        _in_no_topic(store),
    )


def _in_no_topic(store: Database) -> int:
    """Articles the active fit placed in no topic: placed ones less those of every topic (hidden ones included)."""
    if store.active_fit is None:
        return 0
    return store.fits.assigned_count() - int(store.topics.topic_table(include_hidden=True)["size"].sum())


MENTION_OPTIONS = 2000  # entities offered in the Mentions filter (each one travels to the browser on every rerun)


@dataclass(frozen=True)
class Options:
    """What the sidebar offers: the store's span, outlets (most articles first), bias ratings and countries,
    topics and themes (id, label; biggest first), the most named entities (id, name, kind), and the store's
    size."""

    first: date | None
    last: date | None
    outlets: tuple[str, ...]
    articles: int
    biases: tuple[str, ...]
    countries: tuple[str, ...]
    topics: tuple[tuple[int, str], ...]
    themes: tuple[tuple[int, str], ...]
    entities: tuple[tuple[int, str, str], ...]
    fitted: bool

    def names(self) -> dict[str, dict[int, str]]:
        """Labels by id, for describing a selection in words."""
        return {"topic": dict(self.topics), "theme": dict(self.themes), "entity": {e: n for e, n, _ in self.entities}}


def options(store: Database) -> Options:
    """The sidebar's choices for this store version."""
    from analysis.explore import edits, working

    first, last, outlets, count = bounds(store)
    groups = outlet_groups(store)
    table = working.entity_table(store)
    entities = (
        tuple(
            (int(e), str(n), str(k)) for e, n, k in zip(table["entity_id"], table["name"], table["kind"], strict=True)
        )[:MENTION_OPTIONS]
        if len(table)
        else ()
    )
    return Options(
        first=first,
        last=last,
        outlets=tuple(outlets),
        articles=count,
        biases=tuple(groups["bias"]),
        countries=tuple(groups["country"]),
        topics=tuple(edits.choices(store, "topics")),
        themes=tuple(edits.choices(store, "themes")),
        entities=entities,
        fitted=store.active_fit is not None,
    )


def entity_names(store: Database, ids: tuple[int, ...]) -> dict[int, tuple[str, str]]:
    """(name, kind) of these entities (those the store has), for a link's Mentions beyond the offered ones."""
    from analysis.explore import working

    table = working.entity_table(store)
    if table.empty:
        return {}
    part = table[table["entity_id"].isin(list(ids))]
    return {int(e): (str(n), str(k)) for e, n, k in zip(part["entity_id"], part["name"], part["kind"], strict=True)}
