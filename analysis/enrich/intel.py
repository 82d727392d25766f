"""Article intelligence stage of the pipeline: tone, summaries, tags and stories, incremental."""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.enrich.embeddings import Embedder, embedding_text
from analysis.enrich.lexical import cache_counts, cached_lexical_vectors
from analysis.enrich.sentiment import tone
from analysis.enrich.similarity import StoryParams, group_stories, story_table
from analysis.enrich.summarize import summarize
from analysis.enrich.tags import TermStats, tag_corpus
from analysis.enrich.tone import ToneClassifier, body_key, body_lead
from analysis.enrich.vector_cache import embed_articles
from analysis.store import Database, utcnow

Progress = Callable[[str, int, int], None]
_FUNCTION_WORDS = frozenset(
    (
        "the",
        "of",
        "and",
        "to",
        "in",
        "is",
        "that",
        "for",
        "on",
        "was",
        "with",
        "he",
        "it",
        "as",
        "by",
        "at",
        "from",
        "his",
        "her",
        "are",
        "be",
        "this",
        "have",
        "not",
        "but",
        "they",
        "which",
        "were",
        "has",
        "would",
    )
)
_WORD = re.compile(r"[^\W\d_]+")


def looks_english(text: str) -> bool:
    """True unless a text of 30+ words has almost no English function words (tone is English-only)."""
    words = _WORD.findall(text.lower()[:2000])
    if len(words) < 30:
        return True
    return sum(w in _FUNCTION_WORDS for w in words) / len(words) >= 0.08


def headline_key(title: str) -> str:
    return hashlib.sha1(("headline\n" + (title or "").strip().lower()).encode()).hexdigest()


def run_intel(
    store: Database,
    embedder: Embedder,
    *,
    only_new: bool = False,
    progress: Progress | None = None,
    corpus: pd.DataFrame | None = None,
    vectors: np.ndarray | None = None,
    classifier: ToneClassifier | None = None,
) -> dict[str, Any]:
    """Score tone, summarise and tag articles, then regroup stories.

    corpus (fits.corpus_frame rows) and vectors (aligned with it) are what the fit already read and
    embedded; without them the corpus is read here. classifier: the tone model, the shipped one by default
    (anything with cached_proba(store, keys, texts) -> (probabilities, computed)). With only_new, the
    articles that have no results yet are done alone: tags are weighed against the corpus's stored term
    counts (a store without them is tagged against the whole corpus once, and keeps the counts from then on)."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    prior = None
    if only_new:
        known = store.intel.term_stats()
        prior = TermStats(docs=known[0], df=known[1]) if known else None
    if corpus is None:
        corpus = store.fits.corpus_frame(unprocessed=only_new and prior is not None)
    done = store.intel.processed_ids() if only_new else set()
    todo = corpus[~corpus["id"].isin(done)].reset_index(drop=True)
    result: dict[str, Any] = {"articles": len(todo)}
    if not todo.empty:
        t = time.perf_counter()
        scores, computed = _tone(store, todo, classifier or ToneClassifier())
        timings["sentiment"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        summaries = summarise(todo)
        timings["summaries"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        # with the corpus's term counts the new articles are tagged alone; without them, against the corpus
        tagged = todo if prior is not None else (corpus if not only_new else store.fits.corpus_frame())
        tags, stats = tag_documents(tagged["title"], tagged["text"], prior)
        tags_of = dict(zip(tagged["id"], tags, strict=True))
        store.intel.save_term_stats(stats.docs, stats.df)
        timings["tags"] = round(time.perf_counter() - t, 2)
        now = utcnow()
        rows = []
        for i, aid in enumerate(todo["id"]):
            tones = scores.get(i, (None, "not English", None, "not English"))
            rows.append((aid, *tones, summaries[i], json.dumps(tags_of.get(aid, [])), now))
        store.intel.save_intel(rows)
        result["tone_computed"] = computed
        cache_counts(store, todo["content_hash"].tolist(), todo["title"].tolist(), todo["text"].tolist())
    t = time.perf_counter()
    whole = vectors is not None and not only_new
    result["stories"] = regroup_stories(
        store, embedder, corpus=corpus if whole else None, vectors=vectors if whole else None
    )
    timings["stories"] = round(time.perf_counter() - t, 2)
    timings["total"] = round(time.perf_counter() - t0, 2)
    result["timings"] = timings
    return result


def summarise(todo: pd.DataFrame) -> list[str]:
    """The extractive summary of each article (title, text rows)."""
    return [summarize(x, h) for x, h in zip(todo["text"], todo["title"], strict=True)]


def score_and_summarise(
    store: Database, todo: pd.DataFrame, classifier: ToneClassifier
) -> tuple[dict[int, tuple[float, str, float, str]], list[str]]:
    """Tone (by row, English articles only) and summaries of articles, as run_intel makes them."""
    return _tone(store, todo, classifier)[0], summarise(todo)


def _tone(
    store: Database, todo: pd.DataFrame, classifier: ToneClassifier
) -> tuple[dict[int, tuple[float, str, float, str]], int]:
    """(headline score, label, body score, label) by row of todo, English articles only (the rest get none),
    and how many texts the model had to score (the others were cached)."""
    english = [i for i, x in enumerate(todo["text"]) if looks_english(x)]
    titles = [str(todo["title"].iat[i] or "") for i in english]
    head_p, n_heads = classifier.cached_proba(store, [headline_key(x) for x in titles], titles)
    bodies = [body_lead(todo["text"].iat[i]) for i in english]
    body_p, n_bodies = classifier.cached_proba(store, [body_key(todo["content_hash"].iat[i]) for i in english], bodies)
    head_score, head_label = tone(head_p)
    body_score, body_label = tone(body_p)
    out = {
        i: (float(head_score[k]), str(head_label[k]), float(body_score[k]), str(body_label[k]))
        for k, i in enumerate(english)
    }
    return out, n_heads + n_bodies


def tag_documents(
    titles: Sequence[str], texts: Sequence[str], prior: TermStats | None = None
) -> tuple[list[list[str]], TermStats]:
    """Tags for articles from their headline and the first 3,000 characters of their text, cut at a word
    boundary (a cut word became tags like "White Hou"), weighed against their corpus (or prior's), and the
    corpus's term statistics."""
    return tag_corpus([tag_text(a, b) for a, b in zip(titles, texts, strict=True)], prior=prior)


def tag_text(title: str | None, text: str | None) -> str:
    """What an article's tags are read from: its headline and the first 3,000 characters of its text."""
    return f"{title}. {_head(text or '', 3000)}"


def _head(text: str, chars: int) -> str:
    """The start of a text, at most `chars` long, ending at a whole word."""
    if len(text) <= chars:
        return text
    cut = text[:chars]
    return cut[: cut.rfind(" ")] if " " in cut else cut


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
    bias = store.intel.outlet_biases()
    articles = corpus[["id", "outlet", "published", "title"]].assign(
        bias=corpus["outlet"].map(bias).fillna(""), precision=corpus["published_precision"]
    )
    stories, members = story_table(articles, labels)
    stories["title"] = stories["story_id"].map(central_titles(labels, vecs, corpus["title"].to_numpy()))
    previous = store.intel.story_of_articles()
    next_id = int(store.meta("next_story_id", "0") or 0)
    mapping, next_id = stable_story_ids(members, previous, next_id)
    stories["story_id"] = stories["story_id"].map(mapping)
    members["story_id"] = members["story_id"].map(mapping)
    bias_cols = [c for c in stories.columns if c.startswith("bias_")]
    store.intel.replace_stories(
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


def stable_story_ids(members: pd.DataFrame, previous: dict[str, int], next_id: int) -> tuple[dict[int, int], int]:
    """Ids for regrouped stories that keep links working: a story whose articles were mostly (more
    than half) one earlier story keeps that story's id; others get new ids from next_id.
    members: story_id (new label), id (article). Returns ({label: id}, the next free id)."""
    next_id = max(next_id, max(previous.values(), default=-1) + 1)
    claims = []
    for label, group in members.groupby("story_id"):
        old = pd.Series([previous.get(a) for a in group["id"]]).dropna()
        if len(old):
            top = old.value_counts()
            if top.iloc[0] * 2 > len(group):
                claims.append((int(top.iloc[0]), int(label), int(top.index[0])))
    mapping: dict[int, int] = {}
    taken: set[int] = set()
    for _, label, old_id in sorted(claims, reverse=True):  # biggest overlap first
        if old_id not in taken:
            mapping[label] = old_id
            taken.add(old_id)
    for label in sorted(int(x) for x in members["story_id"].unique()):
        if label not in mapping:
            mapping[label] = next_id
            next_id += 1
    return mapping, next_id


def central_titles(labels: np.ndarray, vecs: np.ndarray, titles: np.ndarray) -> dict[int, str]:
    """Each story's most representative headline: the member closest to the story's mean vector
    (the first article's headline is often an opinion piece or a live blog on the wider subject)."""
    out: dict[int, str] = {}
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    starts = np.flatnonzero(np.r_[True, sorted_labels[1:] != sorted_labels[:-1]])
    for lo, hi in zip(starts, np.r_[starts[1:], len(order)], strict=True):
        label = int(sorted_labels[lo])
        if label < 0:
            continue
        idx = order[lo:hi]
        centre = vecs[idx].mean(axis=0)
        out[label] = str(titles[idx[int(np.argmax(vecs[idx] @ centre))]])
    return out
