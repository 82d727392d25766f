"""The corpus-level steps that follow the per-article stages: stories regrouped across outlets from the stored
vectors and word counts, and entities regrouped from the stored mentions. Each replaces its tables whole."""

from __future__ import annotations

import json
import time
from typing import Any

import numpy as np
import pandas as pd

from analysis.enrich.embeddings import Embedder, embedding_text
from analysis.enrich.entity_aliases import resolve
from analysis.enrich.similarity import StoryParams, central_titles, group_stories, stable_story_ids, story_table
from analysis.pipeline.model_cache import cache_counts, cached_lexical_vectors, embed_articles
from analysis.store import Database


def group_entities(store: Database) -> dict[str, Any]:
    """Regroup every stored mention into entities (cheap: no article is read). Returns counts and timing."""
    t = time.perf_counter()
    links, entities = resolve(store.entities.mentions())
    n = store.entities.replace_entities(links, entities)
    return {"entities": n, "timings": {"entity_aliases": round(time.perf_counter() - t, 2)}}


def regroup_stories(
    store: Database,
    embedder: Embedder,
    params: StoryParams | None = None,
    *,
    corpus: pd.DataFrame | None = None,
    vectors: np.ndarray | None = None,
) -> int:
    """Group every dated article into stories across outlets; replaces the stories tables. Given the
    corpus (with texts) and its vectors, nothing is read again; otherwise headlines are read without texts,
    and vectors and word counts come from the cache (only an article missing from it has its text read)."""
    if corpus is None:
        corpus = store.fits.corpus_frame(with_text=False)
        vectors = None
    dated = corpus["published"].notna().to_numpy()
    if vectors is None:
        vecs = _cached_lead_vectors(store, embedder, corpus[dated])
    else:
        vecs = vectors[dated]
    corpus = corpus[dated].reset_index(drop=True)
    if corpus.empty:
        return 0
    hashes = corpus["content_hash"].tolist()
    if "text" in corpus.columns:
        cache_counts(store, hashes, corpus["title"].tolist(), corpus["text"].tolist())
    lex = cached_lexical_vectors(store, hashes, lambda idx: _texts(store, corpus["id"].tolist(), idx))
    published = pd.to_datetime(corpus["published"], utc=True)
    days = ((published - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds() / 86400).to_numpy()
    labels = group_stories(days, vecs, params, lex=lex)
    bias = store.outlets.biases()
    articles = corpus[["id", "outlet", "published", "title"]].assign(
        bias=corpus["outlet"].map(bias).fillna(""), precision=corpus["published_precision"]
    )
    stories, members = story_table(articles, labels)
    stories["title"] = stories["story_id"].map(central_titles(labels, vecs, corpus["title"].to_numpy()))
    previous = store.stories.story_of_articles()
    next_id = int(store.meta("next_story_id", "0") or 0)
    mapping, next_id = stable_story_ids(members, previous, next_id)
    stories["story_id"] = stories["story_id"].map(mapping)
    members["story_id"] = members["story_id"].map(mapping)
    bias_cols = [c for c in stories.columns if c.startswith("bias_")]
    store.stories.replace_stories(
        [
            (
                int(r.story_id),
                r.title,
                pd.Timestamp(r.first_published).strftime("%Y-%m-%dT%H:%M:%SZ"),
                r.first_outlet,
                int(r.articles),
                int(r.outlets),
                json.dumps(list(r.outlet_list)),
                json.dumps({c[5:]: int(getattr(r, c)) for c in bias_cols if int(getattr(r, c))}),
                int(r.tied),
                r.precision,
            )
            for r in stories.itertuples()
        ],
        [
            (
                m.id,
                int(m.story_id),
                None if pd.isna(m.lag_hours) else float(m.lag_hours),
                int(m.first),
                float(m.lag_days),
            )
            for m in members.itertuples()
        ],
        next_id,
    )
    return len(stories)


def _texts(store: Database, ids: list[str], idx: list[int]) -> list[tuple[str, str]]:
    """(headline, text) of the articles at these positions of ids, read from the store."""
    rows = store.fits.texts_of([ids[i] for i in idx])
    return [rows[ids[i]] for i in idx]


def _cached_lead_vectors(store: Database, embedder: Embedder, corpus: pd.DataFrame) -> np.ndarray:
    """Unit vectors of the articles' headline and lead, from the cache; texts are read only for misses."""
    ids = corpus["id"].tolist()

    def texts(idx: list[int]) -> list[str]:
        return [embedding_text(t, x) for t, x in _texts(store, ids, idx)]

    vecs, _ = embed_articles(store, embedder, corpus["content_hash"].tolist(), texts)
    return vecs
