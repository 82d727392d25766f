"""Cached loaders for the Entities page and the entities shown on the Article, Story and Topic views."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from analysis.explore import entities as ent
from analysis.filters import Filters
from ui.data import assignments, base, entity_links, entity_table, frame, raw_entities, read, span, store_path

FEW = 2_000  # up to this many articles, their entity links are read by id rather than from the whole table


@st.cache_data(show_spinner="Counting who is named…", max_entries=32)
def top(path: str, version: int, filters: Filters, kind: str | None, limit: int) -> pd.DataFrame:
    """The most named entities of the selection (of the whole store: from the counts kept beside it)."""
    df = assignments(path, version, filters)
    if len(df) == len(frame(path, version)):
        counts = read(path, ent.cached_entity_counts)
        return ent.top_entities(df, pd.DataFrame(), entity_table(path, version), kind, limit, counts=counts)
    return ent.top_entities(df, entity_links(path, version), entity_table(path, version), kind, limit)


@st.cache_data(show_spinner="Reading one entity's coverage…", max_entries=32)
def detail(
    path: str, version: int, entity: int, filters: Filters, period: str | None, per_outlet: bool
) -> dict[str, Any]:
    """One entity in the selection: its row, attention over time, outlets, co-mentions and articles."""
    table = entity_table(path, version)
    row = table[table["entity_id"] == entity]
    if row.empty:
        return {}
    links = entity_links(path, version)
    f = replace(filters, entities=())  # the entity is the subject: the Mentions filter does not apply
    df, everything = assignments(path, version, f), base(path, version, f)
    ids = raw_entities(path, version, (entity,))
    shown = everything
    if per_outlet:  # the six outlets with most articles, as the Trends page draws them
        shown = everything[everything["outlet"].isin(everything["outlet"].value_counts().index[:6])]
    named = df[df["article_id"].isin(ent.mentioning(links, [entity]))]
    latest = named.sort_values("published", ascending=False, na_position="last")["article_id"].head(200).tolist()
    from analysis.explore import topics as topic_views

    return {
        "row": row.iloc[0].to_dict(),
        "ids": ids,
        "in_selection": len(named),
        "selection": len(df),
        "in_all": int(everything["article_id"].isin(ent.mentioning(links, [entity])).sum()),
        "all": len(everything),
        "over_time": ent.over_time(
            shown,
            links,
            [(str(row.iloc[0]["name"]), [entity])],
            period=period,
            span=span(path, version, f),
            by_outlet=per_outlet,
        ),
        "by_outlet": ent.by_outlet(everything, links, [entity]),
        "co": ent.co_mentioned(df, links, table, [entity]),
        "articles": read(path, topic_views._articles, latest),
    }


def entities_of(path: str, version: int, article_ids: tuple[str, ...], limit: int = 12) -> pd.DataFrame:
    """The entities of a set of articles (a story, a topic, one article): a few articles' links are read from the
    store (milliseconds), a topic's from the shared table of every link."""
    ids = list(article_ids)
    links = read(path, ent.links_for, ids) if len(ids) <= FEW else entity_links(path, version)
    return ent.entities_of(links, entity_table(path, version), ids, limit)


def topic_entities(path: str, version: int, raw_topic_ids: tuple[int, ...], filters: Filters) -> pd.DataFrame:
    """The entities of a topic's articles in the selection."""
    df = assignments(path, version, replace(filters, topics=raw_topic_ids))
    return entities_of(path, version, tuple(df["article_id"]))


def edit(action: str, entity: int, value: str | int | None = None) -> str:
    """Rename, merge or separate an entity; returns the sentence saying what was done."""
    from analysis.explore import edits
    from analysis.store import open_store

    with open_store(store_path()) as store:
        return edits.edit_entity(store, action, entity, value)
