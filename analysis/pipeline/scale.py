"""`fit --engine dask`: the per-article stages of a fit as Dask tasks over partitions of the corpus, for
corpora that outgrow one process (a million articles is ten core-hours of embedding).

Each task reads its partition's texts from the store, computes what is missing - the embedding (one model
per worker process), tone, summary, tags (against the whole corpus's term counts, counted first in the
same way), word counts for stories, near-duplicate signatures and named entities - and writes each result
back in one transaction keyed by article or content hash. A task whose worker dies is run again by Dask,
and since a write is whole or absent and every write replaces by key, nothing is lost or doubled. Topics
are then fitted on a seeded sample (at most 200,000 articles) and every other article is assigned to its
nearest topic, as `fit --update` does; stories and entity aliases are regrouped from what the workers
stored. The workers need the store: a PostgreSQL URL for workers on other machines, or an SQLite file for
workers on this one (a LocalCluster, the default). Dask distributed was chosen over Ray: Ray's actor pool
deadlocked on 2 cores and weighs 250 MB more.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import pandas as pd

from analysis.pipeline.fit import RunReport, run_fit, run_update

Progress = Callable[[str, int, int], None]
PARTITION = 2000  # articles per task
SAMPLE = 200_000  # articles the topics are fitted on at most


@lru_cache(maxsize=2)
def _worker_embedder(factory: Any) -> Any:
    """The embedder of this worker process, made once (factory: a picklable callable, or a model name)."""
    from analysis.enrich.embeddings import get_embedder

    return factory() if callable(factory) else get_embedder(factory)


def part_terms(target: str, ids: Sequence[str]) -> tuple[int, dict[str, int]]:
    """A partition's share of the corpus's tag term counts: (documents, term -> documents holding it)."""
    from analysis.enrich.intel import tag_text
    from analysis.enrich.tags import term_counts
    from analysis.store import open_store

    with open_store(target) as store:
        texts = store.fits.texts_of(list(ids))
    stats = term_counts([tag_text(*texts[i]) for i in ids if i in texts])
    return stats.docs, stats.df


def process_part(
    target: str, ids: Sequence[str], embedder: Any, tagger: Any = None, crash_file: str = ""
) -> dict[str, int]:
    """Every per-article stage for one partition; what is already stored is skipped. Returns counts."""
    from pathlib import Path

    from analysis.collect.neardup import signatures
    from analysis.enrich.embeddings import embedding_text
    from analysis.enrich.entities import EntityTagger, tag_articles
    from analysis.enrich.intel import looks_english, score_and_summarise, tag_text
    from analysis.enrich.lexical import cache_counts
    from analysis.enrich.tags import TermStats, tag_corpus
    from analysis.enrich.tone import ToneClassifier
    from analysis.enrich.vector_cache import embed_articles
    from analysis.store import open_store, utcnow

    tagger = tagger or EntityTagger()
    emb = _worker_embedder(embedder)
    with open_store(target) as store:
        corpus = store.fits.rows_of(list(ids))
        leads = [embedding_text(t, x) for t, x in zip(corpus["title"], corpus["text"], strict=True)]
        _, n = embed_articles(store, emb, corpus["content_hash"].tolist(), leads)
        todo = corpus[~corpus["id"].isin(store.intel.processed_ids_of(list(ids)))].reset_index(drop=True)
        if not todo.empty:
            known = store.intel.term_stats()
            prior = TermStats(docs=known[0], df=known[1]) if known else None
            tags, _ = tag_corpus(
                [tag_text(t, x) for t, x in zip(todo["title"], todo["text"], strict=True)],
                prior=prior,
                counted=prior is not None,
            )
            tones, summaries = score_and_summarise(store, todo, ToneClassifier())
            if crash_file and not Path(crash_file).exists():  # tests: the worker dies mid-partition, once
                Path(crash_file).write_text("crashed")
                import os

                os._exit(1)
            now = utcnow()
            store.intel.save_intel(
                [
                    (
                        a,
                        *tones.get(k, (None, "not English", None, "not English")),
                        summaries[k],
                        json.dumps(tags[k]),
                        now,
                    )
                    for k, a in enumerate(todo["id"])
                ]
            )
        cache_counts(store, corpus["content_hash"].tolist(), corpus["title"].tolist(), corpus["text"].tolist())
        unsigned = store.collection.unsigned_of(list(ids))
        if unsigned:
            texts = dict(zip(corpus["id"], corpus["text"], strict=True))
            sigs = signatures([texts[i] for i in unsigned])
            store.collection.save_signatures(
                [(i, s.tobytes() if s is not None else b"") for i, s in zip(unsigned, sigs, strict=True)]
            )
        unread = corpus[~corpus["id"].isin(store.entities.done_ids_of(tagger.name, list(ids)))]
        if not unread.empty:
            found = tag_articles(tagger, unread["title"], unread["text"], [looks_english(x) for x in unread["text"]])
            store.entities.save_mentions(
                [(a, m.surface, m.kind, m.count) for a, ms in zip(unread["id"], found, strict=True) for m in ms],
                unread["id"].tolist(),
                tagger.name,
            )
    return {"articles": len(corpus), "embedded": n, "scored": len(todo), "tagged_entities": len(unread)}


def save_terms(store: Any, total: Any) -> None:
    """Store the corpus's tag term counts (a TermStats added up from partitions), keeping the terms tags
    may use: in at least 2 documents (of 1,000 or more) and at most 30% of them."""
    min_df, max_share = (2 if total.docs >= 1000 else 1), (0.3 if total.docs >= 20 else 1.0)
    keep = {w: d for w, d in total.df.items() if min_df <= d <= max_share * total.docs}
    store.intel.save_term_stats(total.docs, keep)


def partitions(ids: Sequence[str], size: int = PARTITION) -> list[list[str]]:
    return [list(ids[i : i + size]) for i in range(0, len(ids), size)]


def run_fit_dask(
    store: Any,
    *,
    scheduler: str | None = None,
    workers: int = 2,
    embedder: Any = None,
    tagger: Any = None,
    sample: int = SAMPLE,
    partition: int = PARTITION,
    progress: Progress | None = None,
    crash_file: str = "",
) -> RunReport:
    """A full fit with the per-article stages on Dask (a LocalCluster of `workers` processes, or the
    scheduler at `scheduler`), topics on a sample of at most `sample` articles and the rest assigned by
    nearest topic. embedder: a picklable factory of the embedder, or a model name (the settings')."""
    from distributed import Client, LocalCluster, as_completed

    from analysis.config import settings
    from analysis.enrich.entity_stage import run_entities
    from analysis.enrich.intel import regroup_stories
    from analysis.enrich.tags import TermStats

    t0 = time.perf_counter()
    model = embedder or settings().embed_model
    ids = store.fits.corpus_frame(with_text=False)["id"].tolist()
    parts = partitions(ids, partition)
    cluster = (
        None
        if scheduler
        else LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    )
    timings: dict[str, float] = {}
    with Client(scheduler or cluster) as client:
        try:
            t = time.perf_counter()
            known = store.intel.term_stats()
            if not known or known[0] != len(ids):
                total = TermStats(docs=0)
                for done, fut in enumerate(as_completed(client.map(part_terms, [store.path] * len(parts), parts)), 1):
                    docs, df = fut.result()
                    total.docs += docs
                    for w, d in df.items():
                        total.df[w] = total.df.get(w, 0) + d
                    if progress:
                        progress("term counts", done, len(parts))
                save_terms(store, total)
            timings["term_counts"] = round(time.perf_counter() - t, 2)
            t = time.perf_counter()
            futures = client.map(
                process_part,
                [store.path] * len(parts),
                parts,
                embedder=model,
                tagger=tagger,
                crash_file=crash_file,
                pure=False,
            )
            counts = {"embedded": 0, "scored": 0}
            for done, fut in enumerate(as_completed(futures), 1):
                out = fut.result()
                counts["embedded"] += out["embedded"]
                counts["scored"] += out["scored"]
                if progress:
                    progress("per-article stages", done, len(parts))
            timings["per_article"] = round(time.perf_counter() - t, 2)
            client.cancel(futures)  # results are in the store: release them before the workers go
            del futures
        finally:
            if cluster is not None:
                cluster.close()
    local = _worker_embedder(model)
    if progress:
        progress("topics on a sample", 0, 1)
    report = run_fit(store, local, progress=progress, with_intel=False, sample=sample)
    if progress:
        progress("assign the rest", 0, 1)
    rest = run_update(store, local, progress=progress, with_intel=False)
    t = time.perf_counter()
    if progress:
        progress("stories", 0, 1)
    report.stories = regroup_stories(store, local)
    timings["stories"] = round(time.perf_counter() - t, 2)
    if progress:
        progress("entity grouping", 0, 1)
    found = run_entities(store, tagger, corpus=pd.DataFrame({"id": ids}), progress=progress)
    report.entities = int(found["entities"])
    topics = {f"topics_{k}": v for k, v in report.timings.items()}
    report.timings = {
        **timings,
        **topics,
        "assign_rest": rest.timings.get("total", 0.0),
        "total": round(time.perf_counter() - t0, 2),
    }
    report.embedded = counts["embedded"]
    report.articles = len(ids)
    report.assigned = rest.assigned
    return report
