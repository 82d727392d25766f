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

import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

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
    from analysis.enrich.tags import tag_text, term_counts
    from analysis.store import open_store

    with open_store(target) as store:
        texts = store.fits.texts_of(list(ids))
    stats = term_counts([tag_text(*texts[i]) for i in ids if i in texts])
    return stats.docs, stats.df


def process_part(
    target: str, ids: Sequence[str], embedder: Any, tagger: Any = None, crash_file: str = ""
) -> dict[str, int]:
    """Every per-article stage (analysis.pipeline.stages.STAGES) for one partition, tags weighed against the
    corpus's counts made before; what is already stored is skipped. Returns what each stage computed."""
    from pathlib import Path

    from analysis.pipeline.stages import STAGES, Context, Models, run_stages
    from analysis.store import open_store

    with open_store(target) as store:
        ctx = Context(store, Models(_worker_embedder(embedder), None, tagger), mode="part")
        if crash_file and not Path(crash_file).exists():  # tests: the worker dies mid-partition, once
            run_stages(ctx, STAGES, list(ids[: len(ids) // 2]))
            Path(crash_file).write_text("crashed")
            import os

            os._exit(1)
        run_stages(ctx, STAGES, list(ids))
    return {"articles": len(ids), **ctx.counts}


def save_terms(store: Any, total: Any) -> None:
    """Store the corpus's tag term counts (a TermStats added up from partitions), keeping the terms tags
    may use: in at least 2 documents (of 1,000 or more) and at most 30% of them."""
    min_df, max_share = (2 if total.docs >= 1000 else 1), (0.3 if total.docs >= 20 else 1.0)
    keep = {w: d for w, d in total.df.items() if min_df <= d <= max_share * total.docs}
    store.outputs.save_term_stats(total.docs, keep)


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
    from analysis.enrich.tags import TermStats
    from analysis.pipeline.regroup import group_entities, regroup_stories

    t0 = time.perf_counter()
    model = embedder or settings().embed_model
    ids = store.fits.corpus_ids()
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
            known = store.outputs.term_stats()
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
            counts: dict[str, int] = {}
            for done, fut in enumerate(as_completed(futures), 1):
                for k, v in fut.result().items():
                    counts[k] = counts.get(k, 0) + v
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
    report.stories_across = store.stories.count(min_outlets=2)
    timings["stories"] = round(time.perf_counter() - t, 2)
    if progress:
        progress("entity grouping", 0, 1)
    report.entities = int(group_entities(store)["entities"])
    topics = {f"topics_{k}": v for k, v in report.timings.items()}
    report.timings = {
        **timings,
        **topics,
        "assign_rest": rest.timings.get("total", 0.0),
        "total": round(time.perf_counter() - t0, 2),
    }
    report.embedded = counts.get("embeddings", 0)
    report.done = {k: v for k, v in counts.items() if k != "articles"}
    report.articles = len(ids)
    report.assigned = rest.assigned
    return report
