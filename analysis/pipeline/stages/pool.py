"""The per-article stages on this machine's cores: worker processes, each with one thread per model, run the
stages on partitions of the articles and write what they make into the store (an SQLite file or a PostgreSQL
URL). One process with two model threads used about 1.2 of the 2 cores (spaCy and the summaries run on one
thread); two processes with one thread each keep both busy. A stage that runs once on all its articles (tags)
is left to the caller."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from contextlib import contextmanager
from typing import Any

from analysis.lifetime import worker_pool
from analysis.pipeline.stages.base import Context, Models, Progress, Stage, prepare, run_stages

PARTITION = 128  # articles a worker takes at a time: small enough for the bars to move every few seconds
MIN_ARTICLES = 400  # below this, starting the workers and their models costs more than it saves


def workers_for(n: int) -> int:
    """How many worker processes to use for n articles still to do (1: run in this process)."""
    from analysis.config import settings

    cores = settings().stage_workers or os.cpu_count() or 1
    return 1 if n < MIN_ARTICLES else max(1, min(cores, n // PARTITION))


@contextmanager
def one_thread_each() -> Iterator[None]:
    """While workers start, the numeric libraries' thread count set to one (OpenBLAS, MKL and OpenMP read it when
    they load, in the worker): two workers each running two BLAS threads on two cores made the summaries and
    spaCy twice as slow."""
    names = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
    before = {n: os.environ.get(n) for n in names}
    os.environ.update(dict.fromkeys(names, "1"))
    try:
        yield
    finally:
        for n, v in before.items():
            if v is None:
                os.environ.pop(n, None)
            else:
                os.environ[n] = v


def _start_worker() -> None:
    os.environ["NEWS_MODEL_THREADS"] = "1"  # one thread per model: the processes share the cores
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _work(target: str, names: Sequence[str], ids: Sequence[str], embedder: Any) -> dict[str, Any]:
    """Run the named stages on a partition in this worker; what each computed and the seconds it took.
    embedder: a model name, or a picklable factory of an embedder (the tests')."""
    from analysis.pipeline.stages import STAGES
    from analysis.store import open_store

    global _models
    if _models is None:
        from analysis.enrich.embeddings import get_embedder

        _models = Models(embedder() if callable(embedder) else get_embedder(embedder))
    with open_store(target) as store:
        ctx = Context(store, _models, mode="update")
        timings = run_stages(ctx, [s for s in STAGES if s.name in names], list(ids))
    return {"counts": ctx.counts, "timings": timings}


_models: Models | None = None


def run_in_workers(
    ctx: Context,
    stages: Sequence[Stage],
    ids: Sequence[str],
    workers: int,
    progress: Progress | None = None,
    *,
    embedder: Any = None,
    partition: int = PARTITION,
) -> dict[str, float]:
    """Bring these stages up to date for these articles with `workers` processes; the seconds each stage took
    (summed over the workers) and its count in ctx.counts, as run_stages gives them."""
    prepare(ctx, stages)
    todo = {s.name: s.todo(ctx, ids) for s in stages}
    pending = set().union(*map(set, todo.values())) if todo else set()
    needed = [a for a in ids if a in pending]
    parts = [needed[i : i + partition] for i in range(0, len(needed), partition)]
    done = dict.fromkeys(todo, 0)
    timings = dict.fromkeys(todo, 0.0)
    for name, items in todo.items():
        ctx.counts[name] = len(items)
        if progress and items:
            progress(name, 0, len(items))
    names = [s.name for s in stages]
    embedder = embedder or str(ctx.models.embedder.name)
    with one_thread_each(), worker_pool(workers, _start_worker) as pool:
        running: set[Future[dict[str, Any]]] = set()
        queue = list(reversed(parts))
        while queue or running:
            while queue and len(running) < workers * 2:  # a partition queued behind each one running
                running.add(pool.submit(_work, ctx.store.path, names, queue.pop(), embedder))
            finished, running = wait(running, return_when=FIRST_COMPLETED)
            for fut in finished:
                out = fut.result()
                for name, n in out["counts"].items():
                    done[name] += n
                    timings[name] += out["timings"].get(name, 0.0)
                    if progress and n:
                        progress(name, done[name], len(todo[name]))
    return {k: round(v, 2) for k, v in timings.items()}
