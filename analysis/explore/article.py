"""One article with its context (outlet rank, topic, tone, summary, tags), "similar news from other
outlets", and full-text search results for the Search page."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.config import settings
from analysis.explore.resolve import resolve
from analysis.explore.selection import Selection, TopicId
from analysis.explore.similar import similar_from_other_outlets
from analysis.explore.stories import Story, story_of
from analysis.store import Database

SEARCH_SORTS = ("relevance", "newest", "oldest", "most positive", "most negative")


def embedding_model(store: Database) -> str:
    if store.active_fit is not None:
        return str(store.fits.active_fit_row()["embedding_model"])
    return settings().embed_model


@dataclass(frozen=True)
class Brief:
    """Another article in a line: id, title, outlet, published (ISO, or None)."""

    id: str
    title: str
    outlet: str
    published: str | None


def _brief(row: dict[str, Any] | None) -> Brief | None:
    if row is None:
        return None
    return Brief(str(row["id"]), str(row.get("title") or ""), str(row.get("outlet") or ""), row.get("published"))


def _story(store: Database, story_id: object) -> Story | None:
    if story_id is None:
        return None
    row = store.stories.story_row(int(story_id))  # type: ignore[call-overload]
    return story_of(row) if row is not None else None


@dataclass(frozen=True)
class ArticleView:
    """Everything the Article page shows about one article: its fields, its outlet's country, bias and rank
    ("3 of 25" by stories covered), tone of body and headline, topic, tags, summary, its story and its place in
    it, the article it copies (if it is a near-duplicate) and its copies."""

    id: str
    url: str | None
    title: str
    text: str
    outlet: str
    published: str | None
    precision: str | None
    authors: str | None
    country: str | None
    bias: str | None
    rank: str | None
    tone: float | None
    tone_label: str | None
    headline_tone: float | None
    headline_label: str | None
    summary: str | None
    tags: list[str]
    topic: TopicId | None
    topic_label: str | None
    story: Story | None
    first: bool
    lag_hours: float | None
    lag_days: float | None
    duplicate_of: Brief | None
    copies: list[Brief]

    @property
    def when(self) -> str:
        """Its date as precisely as it is known: "2019-04-17 14:05 UTC", "2019-04-17" (a day only), "no date"."""
        if not self.published:
            return "no date"
        if self.precision == "day":
            return self.published[:10]
        return self.published[:16].replace("T", " ") + " UTC"


def article(store: Database, article_id: str) -> ArticleView | None:
    """One article, or None if there is no such article."""
    out = store.articles.article_row(article_id)
    if out is None:
        return None
    topic, label = None, None
    raw = store.articles.raw_topic_of(article_id)
    if raw is not None:
        mapped = store.topics.apply_edits(pd.DataFrame({"topic": [raw]})).iloc[0]
        if int(mapped["topic"]) >= 0:
            topic, label = TopicId(int(mapped["topic"])), str(mapped["topic_label"])
    copy_of = out.get("duplicate_of")
    return ArticleView(
        id=str(out["id"]),
        url=out["url"],
        title=str(out["title"] or ""),
        text=str(out["text"] or ""),
        outlet=str(out["outlet"]),
        published=out["published"],
        precision=out.get("precision"),
        authors=out["authors"],
        country=out["country"],
        bias=out["bias"],
        rank=outlet_rank(store, str(out["outlet"])),
        tone=out["tone"],
        tone_label=out["tone_label"],
        headline_tone=out["headline_tone"],
        headline_label=out["headline_label"],
        summary=out["summary"],
        tags=json.loads(out["tags"] or "[]"),
        topic=topic,
        topic_label=label,
        story=_story(store, out["story_id"]),
        first=bool(out["first"]),
        lag_hours=out["lag_hours"],
        lag_days=out["lag_days"],
        duplicate_of=_brief(store.articles.brief(copy_of)) if copy_of else None,
        copies=[b for c in store.articles.copies_of(article_id) if (b := _brief(c)) is not None],
    )


def outlet_rank(store: Database, outlet: str) -> str | None:
    """An outlet's rank within its country by stories covered in the whole store ("3 of 25"), or None."""
    from analysis.explore import working
    from analysis.explore.outlets import outlet_profiles_of

    table = working.memo(store, "profiles", (), lambda: outlet_profiles_of(working.frame(store)))
    row = table[table["outlet"] == outlet] if len(table) else table
    return None if row.empty else str(row.iloc[0]["rank_in_country"])


@dataclass(frozen=True)
class Similar:
    """Similar news from other outlets: id, title, outlet, published, similarity, same_story, wire_copy, summary;
    the article's own story first, then only articles at RELATED_FLOOR or closer (related coverage, not the same
    story); below: how many closer-than-nothing articles the floor left out; note: why an exact search served
    where the store was expected to have an index (else None)."""

    table: pd.DataFrame
    note: str | None
    below: int = 0


# Beyond its own story, an article is listed as related only this close (cosine of headline and lead). Measured on
# the demo (bench similar_floor): among the nearest articles of other outlets that are not the same story, 8-14% share
# the article's AllSides topic at 0.2-0.35 ("Theme Parks Ban Yelling" beside a mask order), 25-30% at 0.4-0.5, and
# 37-50% from 0.5 up; below 0.5 a listed article is more likely off the subject than on it.
RELATED_FLOOR = 0.5


NEAREST = 400  # vectors the nearest-neighbour index is asked for, before the window and outlets are applied


def similar(store: Database, article_id: str, k: int = 8, max_days: float = 14) -> Similar:
    """Nearest articles from other outlets, most similar first. A dated article looks within max_days of its date
    and never at undated articles; an undated one looks at articles sharing words of its headline (their dates
    shown as they are). Where the store has a nearest-neighbour index (PostgreSQL with pgvector) the candidates
    are the article's story and its NEAREST neighbours by meaning, and the exact window search serves only when
    they leave fewer than k. Only those vectors are read, so this stays fast however big the store is. Empty when
    the article has no vector."""
    found = _similar(store, article_id, k, max_days)
    keep = found["same_story"] | (found["similarity"] >= RELATED_FLOOR)
    return Similar(found[keep].reset_index(drop=True), store.vector_search_note, int((~keep).sum()))


def _similar(store: Database, article_id: str, k: int, max_days: float) -> pd.DataFrame:
    cols = ["id", "title", "outlet", "published", "similarity", "same_story", "wire_copy", "summary"]
    seed = store.articles.brief(article_id)
    if seed is None:
        return pd.DataFrame(columns=cols)
    model = embedding_model(store)
    near = store.articles.vectors_near(model, article_id, NEAREST)
    found = _ranked(near, article_id, k, max_days) if near is not None else None
    exhaustive = near is not None and len(near[0]) > 0 and bool(near[0]["exhaustive"].iloc[0])
    if found is None or (len(found[2]) < k and not exhaustive):
        found = _ranked(_exact_candidates(store, model, seed, article_id, max_days), article_id, k, max_days)
    if found is None or not found[2]:
        return pd.DataFrame(columns=cols)
    cand, stories, hits = found
    pos = int(np.flatnonzero(cand["id"].to_numpy() == article_id)[0])
    ids = [str(cand["id"].iloc[h]) for h, _, _ in hits]
    meta = store.articles.short_rows(ids).set_index("id")
    story = stories[pos]
    rows = []
    for (h, sim, wire), aid in zip(hits, ids, strict=True):
        m = meta.loc[aid]
        rows.append(
            {
                "id": aid,
                "title": m["title"],
                "outlet": m["outlet"],
                "published": m["published"],
                "similarity": round(sim, 3),
                "same_story": bool(story >= 0 and stories[h] == story),
                "wire_copy": wire,
                "summary": m["summary"],
            }
        )
    return pd.DataFrame(rows, columns=cols)


def _exact_candidates(
    store: Database, model: str, seed: dict[str, Any], article_id: str, max_days: float
) -> tuple[pd.DataFrame, np.ndarray]:
    """Every vector in the article's window; for an undated article, those sharing its headline's words."""
    if seed["published"]:
        t = pd.Timestamp(seed["published"])
        lo = (t - pd.Timedelta(days=max_days)).strftime("%Y-%m-%dT%H:%M:%SZ")
        hi = (t + pd.Timedelta(days=max_days)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return store.articles.vectors_in_window(model, lo, hi)
    # No date to anchor a window: pre-select by the headline's words (full-text search, best 2,000), then
    # rank by meaning. Reading every vector took seconds at 100,000 articles.
    words = [w for w in re.findall(r"\w{4,}", (seed["title"] or "").lower())][:12]
    return store.articles.vectors_sharing_words(model, article_id, words)


def _ranked(
    found: tuple[pd.DataFrame, np.ndarray], article_id: str, k: int, max_days: float
) -> tuple[pd.DataFrame, np.ndarray, list[tuple[int, float, bool]]] | None:
    """(candidates, their story ids, hits) of similar_from_other_outlets; None when the article has no vector."""
    cand, emb = found
    if article_id not in set(cand["id"]):
        return None
    pos = int(np.flatnonzero(cand["id"].to_numpy() == article_id)[0])
    published = pd.to_datetime(cand["published"], utc=True, format="ISO8601")
    days = ((published - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds() / 86400).to_numpy(dtype=float)
    stories = cand["story_id"].to_numpy()
    hits = similar_from_other_outlets(
        pos, emb, cand["outlet"].to_numpy(), labels=stories, k=k, days=days, max_days=max_days
    )
    return cand, stories, hits


def _best_ranked(data: pd.DataFrame, ranks: pd.Series, limit: int) -> pd.DataFrame:
    """The rows that can be among the `limit` best ranked (ties at the cut kept; unranked rows only when too few
    are ranked), with their rank: sorting every match of a common word by rank and id took most of a second."""
    from analysis.explore.rows import aligned, keep

    rank = aligned(data, ranks)
    ranked = ~np.isnan(rank)
    if int(ranked.sum()) > limit > 0:
        cut = np.partition(rank[ranked], limit - 1)[limit - 1]
        wanted = ranked & (rank <= cut)
    else:
        wanted = np.ones(len(rank), dtype=bool)
    return keep(data, wanted).assign(rank=rank[wanted])


@dataclass(frozen=True)
class SearchResults:
    """The selection's articles, sorted (relevance: the search's rank, newest first without a search): id,
    title, outlet, published, topic_label, tone, tone_label, summary; at most `limit`, and how many
    there are in all, with the sentences on how the search was read."""

    table: pd.DataFrame
    total: int


def search(store: Database, selection: Selection, sort: str = "relevance", limit: int = 200) -> SearchResults:
    """The Search page: the selection's articles, best first."""
    if sort not in SEARCH_SORTS:
        raise ValueError(f"Unknown sort {sort!r}; use one of {', '.join(SEARCH_SORTS)}.")
    r = resolve(store, selection)
    cols = ["id", "title", "outlet", "published", "topic_label", "tone", "tone_label", "summary"]
    data = r.rows[["article_id", "published", "tone", "topic_label"]]
    if sort == "relevance" and r.ranks is not None:
        data = _best_ranked(data, r.ranks, limit).sort_values(["rank", "article_id"])
    elif sort in ("relevance", "newest", "oldest"):
        data = data.sort_values(["published", "article_id"], ascending=sort == "oldest", na_position="last")
    else:
        data = data.sort_values(["tone", "article_id"], ascending=sort == "most negative", na_position="last")
    top = data.head(limit)
    ids = top["article_id"].tolist()
    if not ids:
        return SearchResults(pd.DataFrame(columns=cols), 0)
    out = store.articles.short_rows(ids)
    out["topic_label"] = top["topic_label"].to_numpy()
    out["tone"] = top["tone"].to_numpy()
    return SearchResults(out[cols], len(r.rows))
