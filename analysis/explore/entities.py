"""Who is in the news: the most named people, organisations and places of a selection, one entity's
attention over time as a share of all coverage (overall and per outlet), which outlets name it more or
less than the others (the app's one test), the entities named with it, and the entities of any set of
articles (a topic, a story, one article). Pure functions over article frames and entity links
(article_id, entity_id, count) with the entity table (analysis.store.entities)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.explore.rows import positions_in
from analysis.explore.stats import proportion_tests
from analysis.explore.trends import Span, attention
from analysis.store import Store

TOP_COLUMNS = ["entity_id", "name", "kind", "articles", "mentions", "share", "outlets"]
OUTLET_COLUMNS = ["outlet", "articles", "outlet_total", "share", "others_share", "ratio", "z", "p_value", "q_value",
                  "significant"]  # fmt: skip


LINKS_FORMAT = 1  # bump when links_of's columns or types change


def links_of(store: Store) -> pd.DataFrame:
    """(article_id, entity_id, count) of every article, merged entities counted under their target; article_id is
    categorical (5 million links of a million articles hold each id once, and isin against a selection compares
    codes)."""
    links = store.entities.article_entities()
    return links.astype({"article_id": "category"}) if not links.empty else links


def links_for(store: Store, article_ids: Sequence[str]) -> pd.DataFrame:
    """links_of for a few articles, read by id."""
    return store.entities.article_entities(article_ids)


def cached_links(store: Store) -> pd.DataFrame:
    """links_of, kept as a Parquet file beside the store while its data version stands (the pipeline writes it)."""
    from analysis.explore.frames import cached

    return cached(store, "links", links_of, LINKS_FORMAT)


def table_of(store: Store) -> pd.DataFrame:
    """The entities with the user's renames and merges applied, most mentioned first."""
    return store.entities.entity_table()


def raw_ids(store: Store, entities: Sequence[int]) -> tuple[int, ...]:
    """The stored ids behind displayed entities (merged ones included); (-999,) matches nothing."""
    return store.entities.raw_entity_ids(entities) or (-999,)


def mentioning(links: pd.DataFrame, entity_ids: Sequence[int]) -> set[str]:
    """Ids of the articles that name any of these entities."""
    return set(links.loc[links["entity_id"].isin(list(entity_ids)), "article_id"])


def _rows(df: pd.DataFrame, links: pd.DataFrame) -> np.ndarray:
    """The row in df of each link's article, -1 when it is not in df (each distinct id hashed once)."""
    ids = links["article_id"]
    if isinstance(ids.dtype, pd.CategoricalDtype):
        pos = positions_in(ids.cat.categories, df["article_id"])
        codes = ids.cat.codes.to_numpy()
        return np.where(codes >= 0, pos[codes], -1)
    return positions_in(ids, df["article_id"])


def top_entities(
    df: pd.DataFrame, links: pd.DataFrame, table: pd.DataFrame, kind: str | None = None, limit: int = 50,
    counts: pd.DataFrame | None = None,
) -> pd.DataFrame:  # fmt: skip
    """The entities named by the most articles of the selection df: entity_id, name, kind, articles (of the
    selection naming it), mentions, share (of the selection's articles), outlets (how many name it). counts:
    entity_counts of df when already known (the whole store's are kept beside it)."""
    agg = entity_counts_of(df, links) if counts is None else counts
    if df.empty or agg.empty:
        return pd.DataFrame(columns=TOP_COLUMNS)
    agg = agg.merge(table[["entity_id", "name", "kind"]], on="entity_id")
    if kind:
        agg = agg[agg["kind"] == kind]
    if agg.empty:
        return pd.DataFrame(columns=TOP_COLUMNS)
    agg = agg.assign(share=agg["articles"] / len(df))
    agg = agg.sort_values(["articles", "mentions", "entity_id"], ascending=[False, False, True]).head(limit)
    return agg[TOP_COLUMNS].reset_index(drop=True)


COUNT_COLUMNS = ["entity_id", "articles", "mentions", "outlets"]


def entity_counts_of(df: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Per entity named in df's articles: entity_id, articles (naming it), mentions, outlets (naming it)."""
    from scipy import sparse

    rows = _rows(df, links)
    keep = rows >= 0
    if df.empty or not keep.any():
        return pd.DataFrame({c: pd.Series(dtype="int64") for c in COUNT_COLUMNS})
    inverse, ents = pd.factorize(links["entity_id"].to_numpy()[keep])  # hashing: sorting 5M links took seconds
    outlet = pd.factorize(df["outlet"])[0][rows[keep]] + 1  # 0: no outlet
    width = int(outlet.max()) + 1
    named = outlet > 0  # distinct outlets per entity: the row lengths of an entity x outlet matrix, duplicates summed
    grid = sparse.csr_matrix((np.ones(int(named.sum()), dtype=np.int32), (inverse[named], outlet[named])),
                             shape=(len(ents), width))  # fmt: skip
    return pd.DataFrame({
        "entity_id": ents,
        "articles": np.bincount(inverse, minlength=len(ents)),  # one link per (article, entity)
        "mentions": np.bincount(inverse, weights=links["count"].to_numpy()[keep], minlength=len(ents)).astype(int),
        "outlets": np.diff(grid.indptr),
    })  # fmt: skip


COUNTS_FORMAT = 1  # bump when COUNT_COLUMNS change


def entity_counts(store: Store) -> pd.DataFrame:
    """entity_counts_of every article of the store (the Entities page before any filter)."""
    from analysis.explore.frames import cached_article_frame

    return entity_counts_of(cached_article_frame(store), cached_links(store))


def cached_entity_counts(store: Store) -> pd.DataFrame:
    """entity_counts, kept as a Parquet file beside the store while its data version stands (the pipeline writes
    it after the article frame and the links)."""
    from analysis.explore.frames import cached

    return cached(store, "entity-counts", entity_counts, COUNTS_FORMAT)


def over_time(
    base: pd.DataFrame, links: pd.DataFrame, entities: Sequence[tuple[str, Sequence[int]]], *,
    period: str | None = None, span: Span | None = None, by_outlet: bool = False,
) -> pd.DataFrame:  # fmt: skip
    """Articles naming each entity (label, its ids) per period as a share of all base articles that period
    (overall or per outlet), with both counts: analysis.explore.trends.attention's columns."""
    lines = [(label, base["article_id"].isin(mentioning(links, ids))) for label, ids in entities]
    return attention(base, lines, period=period, span=span, by_outlet=by_outlet)


def by_outlet(base: pd.DataFrame, links: pd.DataFrame, entity_ids: Sequence[int]) -> pd.DataFrame:
    """How much of each outlet's coverage names the entity, against the other outlets together:
    articles, outlet_total, share, others_share, ratio (> 1: names it more), z, p_value, q_value (Benjamini-
    Hochberg across outlets), significant."""
    if base.empty:
        return pd.DataFrame(columns=OUTLET_COLUMNS)
    hit = base["article_id"].isin(mentioning(links, entity_ids))
    per = pd.DataFrame({"outlet": base["outlet"], "hit": hit}).groupby("outlet")["hit"].agg(["sum", "size"])
    counts, totals = per["sum"].to_numpy(dtype=float), per["size"].to_numpy(dtype=float)
    rest, rest_totals = counts.sum() - counts, totals.sum() - totals
    with np.errstate(divide="ignore", invalid="ignore"):
        share = counts / totals
        others = rest / np.where(rest_totals == 0, np.nan, rest_totals)
        ratio = share / others
    out = pd.DataFrame({"outlet": per.index, "articles": counts.astype(int), "outlet_total": totals.astype(int),
                        "share": share, "others_share": others, "ratio": ratio})  # fmt: skip
    out = pd.concat([out.reset_index(drop=True), proportion_tests(counts, totals, rest, rest_totals)], axis=1)
    return out[OUTLET_COLUMNS].sort_values(["z", "outlet"], ascending=[False, True]).reset_index(drop=True)


def co_mentioned(
    df: pd.DataFrame, links: pd.DataFrame, table: pd.DataFrame, entity_ids: Sequence[int], limit: int = 15
) -> pd.DataFrame:
    """The entities most often named in the same articles of df: entity_id, name, kind, together (articles
    naming both), share (of the entity's articles), lift (how much likelier than in the selection as a whole)."""
    cols = ["entity_id", "name", "kind", "together", "share", "lift"]
    sel = links[links["article_id"].isin(df["article_id"])]
    own = mentioning(sel, entity_ids)
    if not own:
        return pd.DataFrame(columns=cols)
    others = sel[~sel["entity_id"].isin(list(entity_ids))]
    together = others[others["article_id"].isin(own)].groupby("entity_id")["article_id"].nunique()
    overall = others.groupby("entity_id")["article_id"].nunique()
    out = pd.DataFrame({"entity_id": together.index, "together": together.to_numpy()})
    out["share"] = out["together"] / len(own)
    out["lift"] = out["share"] / (out["entity_id"].map(overall) / max(len(df), 1))
    out = out.merge(table[["entity_id", "name", "kind"]], on="entity_id")
    out = out.sort_values(["together", "lift", "entity_id"], ascending=[False, False, True]).head(limit)
    return out[cols].reset_index(drop=True)


def entities_of(links: pd.DataFrame, table: pd.DataFrame, article_ids: Sequence[str], limit: int = 12) -> pd.DataFrame:
    """The entities of a set of articles (a topic, a story, one article), most articles then mentions first:
    entity_id, name, kind, articles, mentions."""
    sel = links[links["article_id"].isin(list(article_ids))]
    if sel.empty:
        return pd.DataFrame(columns=["entity_id", "name", "kind", "articles", "mentions"])
    agg = sel.groupby("entity_id").agg(articles=("article_id", "nunique"), mentions=("count", "sum")).reset_index()
    agg = agg.merge(table[["entity_id", "name", "kind"]], on="entity_id")
    agg = agg.sort_values(["articles", "mentions", "entity_id"], ascending=[False, False, True]).head(limit)
    return agg[["entity_id", "name", "kind", "articles", "mentions"]].reset_index(drop=True)
