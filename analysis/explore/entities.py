"""Who is in the news: the most named people, organisations and places of a selection, one entity's
attention over time as a share of all coverage (overall and per outlet), which outlets name it more or
less than the others (the app's one test), the entities named with it, and the entities of any set of
articles (a topic, a story, one article). Pure functions over article frames and entity links
(article_id, entity_id, count) with the entity table (analysis.store.entities)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.explore.resolve import resolve
from analysis.explore.results import OverTime, Share
from analysis.explore.rows import positions_in
from analysis.explore.selection import Selection
from analysis.explore.stats import proportion_tests
from analysis.explore.topic_stats import share_columns
from analysis.store import Database

TOP_COLUMNS = ["entity_id", "name", "kind", "articles", "mentions", "share", "outlets"]
OUTLET_COLUMNS = share_columns("outlet")


def links_for(store: Database, article_ids: Sequence[str]) -> pd.DataFrame:
    """links_of for a few articles, read by id."""
    return store.entities.article_entities(article_ids)


def table_of(store: Database) -> pd.DataFrame:
    """The entities with the user's renames and merges applied, most mentioned first."""
    return store.entities.entity_table()


def raw_ids(store: Database, entities: Sequence[int]) -> tuple[int, ...]:
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
    df: pd.DataFrame,
    links: pd.DataFrame,
    table: pd.DataFrame,
    kind: str | None = None,
    limit: int = 50,
    counts: pd.DataFrame | None = None,
) -> pd.DataFrame:
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
    grid = sparse.csr_matrix(
        (np.ones(int(named.sum()), dtype=np.int32), (inverse[named], outlet[named])), shape=(len(ents), width)
    )
    return pd.DataFrame(
        {
            "entity_id": ents,
            "articles": np.bincount(inverse, minlength=len(ents)),  # one link per (article, entity)
            "mentions": np.bincount(inverse, weights=links["count"].to_numpy()[keep], minlength=len(ents)).astype(int),
            "outlets": np.diff(grid.indptr),
        }
    )


COUNTS_FORMAT = 1  # bump when COUNT_COLUMNS change


def entity_counts(store: Database) -> pd.DataFrame:
    """entity_counts_of every article of the store (the Entities page before any filter)."""
    from analysis.explore.frames import cached_article_frame, cached_links

    return entity_counts_of(cached_article_frame(store), cached_links(store))


def cached_entity_counts(store: Database) -> pd.DataFrame:
    """entity_counts, kept as a Parquet file beside the store while its data version stands (the pipeline writes
    it after the article frame and the links)."""
    from analysis.explore.frames import cached

    return cached(store, "entity-counts", entity_counts, COUNTS_FORMAT)


def by_group(df: pd.DataFrame, named: np.ndarray, group: str = "outlet") -> pd.DataFrame:
    """How many of each outlet's (or bias group's, country's: group) articles of df name the entity, against the
    other groups together (named: whether each row names it): <group>, articles, <group>_total, share,
    others_share, ratio (> 1: names it more), z, p_value, q_value (Benjamini-Hochberg across the groups),
    significant. The test is within df: under a topic filter, each outlet's topic articles."""
    total = f"{group}_total"
    cols = [group, "articles", total, "share", "others_share", "ratio", "z", "p_value", "q_value", "significant"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    key = df[group] if group == "outlet" else df[group].fillna("unknown").replace("", "unknown")
    per = pd.DataFrame({group: key.to_numpy(), "hit": np.asarray(named, dtype=bool)}).groupby(group)["hit"]
    per = per.agg(["sum", "size"])
    counts, totals = per["sum"].to_numpy(dtype=float), per["size"].to_numpy(dtype=float)
    rest, rest_totals = counts.sum() - counts, totals.sum() - totals
    with np.errstate(divide="ignore", invalid="ignore"):
        share = counts / totals
        others = rest / np.where(rest_totals == 0, np.nan, rest_totals)
        ratio = share / others
    out = pd.DataFrame(
        {
            group: per.index,
            "articles": counts.astype(int),
            total: totals.astype(int),
            "share": share,
            "others_share": others,
            "ratio": ratio,
        }
    )
    out = pd.concat([out.reset_index(drop=True), proportion_tests(counts, totals, rest, rest_totals)], axis=1)
    return out[cols].sort_values(["z", group], ascending=[False, True]).reset_index(drop=True)


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


FEW = 2_000  # up to this many articles, their entity links are read by id rather than from the whole table


def named_in(store: Database, article_ids: tuple[str, ...], limit: int = 12) -> pd.DataFrame:
    """Who and what a set of articles names (a story, a topic, one article), most articles first: a few articles'
    links are read from the store, more from the shared table of every link."""
    from analysis.explore import working

    ids = list(article_ids)
    links = links_for(store, ids) if len(ids) <= FEW else working.links(store)
    return entities_of(links, working.entity_table(store), ids, limit)


@dataclass(frozen=True)
class TopEntities:
    """The entities the selection names most: entity_id, name, kind, articles (of the selection naming it),
    mentions, share (of the selection's `of` articles), outlets."""

    table: pd.DataFrame
    of: int


def top(store: Database, selection: Selection, kind: str | None = None, limit: int = 100) -> TopEntities:
    """The most named people, organisations or places (kind) of the selection."""
    from analysis.explore import working

    r = resolve(store, selection)
    table = working.entity_table(store)
    if len(r.rows) == len(working.frame(store)):  # the whole store: from the counts kept beside it
        found = top_entities(r.rows, pd.DataFrame(), table, kind, limit, counts=cached_entity_counts(store))
    else:
        found = top_entities(r.rows, working.links(store), table, kind, limit)
    return TopEntities(found, len(r.rows))


GROUPS = ("outlet", "bias", "country")


@dataclass(frozen=True)
class EntityCoverage:
    """One entity in the selection (its Mentions filter aside: the entity is the subject). `in_selection`:
    articles naming it among the selection's; `of_coverage`: the same articles among all coverage (the chosen
    dates, outlets, bias and country); over time, each period's articles naming it as a share of all coverage
    that period; by_group: which outlets (or bias groups, countries) name it more or less than the others, tested
    within the selection; co: who is named with it; articles: the latest naming it."""

    entity: int
    name: str
    kind: str
    aliases: tuple[str, ...]
    in_selection: Share
    of_coverage: Share
    over_time: OverTime
    by_group: pd.DataFrame
    group: str
    co: pd.DataFrame
    articles: pd.DataFrame


def entity_coverage(
    store: Database,
    selection: Selection,
    entity: int,
    group: str = "outlet",
    period: str | None = None,
    per_group: bool = False,
) -> EntityCoverage | None:
    """One entity in the selection, or None when the store has no such entity. group: compare outlets, bias
    groups or countries; per_group: one line over time per group (the six biggest outlets)."""
    from analysis.explore import working
    from analysis.explore.behind import articles as article_rows
    from analysis.explore.trends import attention

    if group not in GROUPS:
        raise ValueError(f"Unknown group {group!r}; use one of {', '.join(GROUPS)}.")
    table = working.entity_table(store)
    row = table[table["entity_id"] == entity] if len(table) else table
    if row.empty:
        return None
    info = row.iloc[0]
    r = resolve(store, selection.but(mentions=()))
    named_ids = working.mentioning(store, (entity,))
    ids = pd.Series(named_ids, dtype=object)

    def naming(df: pd.DataFrame) -> np.ndarray:
        return positions_in(df["article_id"], ids) >= 0 if len(ids) else np.zeros(len(df), dtype=bool)

    in_rows = naming(r.rows)
    base = r.base
    shown_base = base
    if per_group and group == "outlet":
        shown_base = base[base["outlet"].isin(base["outlet"].value_counts().index[:6])]
    line_mask = np.zeros(len(shown_base), dtype=bool)
    if len(shown_base):
        line_mask = shown_base.index.isin(r.rows.index) & naming(shown_base)
    over = attention(shown_base, [(str(info["name"]), line_mask)], r.span, period, by=group if per_group else None)
    named_rows = r.rows[in_rows]
    latest = named_rows.sort_values("published", ascending=False, na_position="last")["article_id"].head(200).tolist()
    n = int(in_rows.sum())
    return EntityCoverage(
        entity=int(entity),
        name=str(info["name"]),
        kind=str(info["kind"]),
        aliases=tuple(info["aliases"]),
        in_selection=Share(n, len(r.rows), "articles of the selection"),
        of_coverage=Share(n, len(base), "articles from the chosen outlets and dates"),
        over_time=over,
        by_group=by_group(r.rows, in_rows, group),
        group=group,
        co=co_mentioned(r.rows, working.links(store), table, [entity]),
        articles=article_rows(store, latest),
    )
