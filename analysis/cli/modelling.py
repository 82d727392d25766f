"""The command that runs the pipeline: fit (a full fit, --update, --if-needed, --engine dask)."""

from __future__ import annotations

import argparse
import os
import sys

from analysis.cli.articles_in import catch_up_search
from analysis.cli.base import Command, quiet_libraries
from analysis.cli.progress import stage_progress
from analysis.config import db_path


def _has_new_articles(store) -> bool:
    """Whether any article lacks a topic row or tone/summary yet (a cheap check, no model loaded)."""
    return store.fits.has_unprocessed()


def fit_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--update", action="store_true", help="assign topics to new articles without refitting")
    p.add_argument(
        "--if-needed",
        action="store_true",
        help="fit when there is no model yet, else assign topics to new articles (used by make run)",
    )
    p.add_argument("--seed", type=int, default=42, help="random seed (same data and seed give the same topics)")
    p.add_argument("--min-topic-size", type=int, default=None, help="smallest topic (default adapts to size)")
    p.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help="dask: the per-article stages as Dask tasks over partitions (README: scale-out)",
    )
    p.add_argument(
        "--scheduler",
        help="with --engine dask: a running scheduler (tcp://HOST:8786); default: a LocalCluster on this machine",
    )
    p.add_argument("--workers", type=int, default=2, help="with --engine dask and no scheduler: worker processes")
    p.add_argument(
        "--sample",
        type=int,
        default=200_000,
        help="with --engine dask: fit topics on at most this "
        "many articles (seeded); the rest are assigned to their nearest topic",
    )


def cmd_fit(args: argparse.Namespace) -> int:
    from analysis.store import open_store

    if args.if_needed:
        with open_store(db_path(args.db)) as store:
            catch_up_search(store)  # what an interrupted import left to index
            if store.active_fit is not None and not _has_new_articles(store):
                from analysis.pipeline.fit import catch_up

                for line in catch_up(store, progress=stage_progress()[1]):
                    print(line)
                print("Topics are up to date.")
                return 0

    from analysis.explore.corpus import run_estimate
    from analysis.explore.warm import warm
    from analysis.pipeline.fit import TooFewArticles, TopicParams, run_fit, run_update
    from analysis.store import open_store

    bars, progress = stage_progress()
    quiet_libraries()
    with open_store(db_path(args.db)) as store:
        if not args.if_needed:
            catch_up_search(store)  # what an interrupted import left to index
        refit = not args.update and not (args.if_needed and store.active_fit is not None)
        if not os.environ.get("NEWS_PROGRESS_LINES"):  # the app's page says it before the run
            print(f"This run: {run_estimate(store, refit).text()}.", flush=True)
        if args.if_needed and store.active_fit is not None:
            report = run_update(store, progress=progress)
            if report.articles == 0:
                print("Topics are up to date.")
                return 0
        elif args.update:
            report = run_update(store, progress=progress)
        elif args.engine == "dask":
            from analysis.pipeline.scale import run_fit_dask

            report = run_fit_dask(
                store, scheduler=args.scheduler, workers=args.workers, sample=args.sample, progress=progress
            )
        else:
            params = TopicParams(seed=args.seed, min_cluster_size=args.min_topic_size)
            try:
                report = run_fit(store, params=params, progress=progress)
            except TooFewArticles as exc:
                for bar in bars.values():
                    bar.close()

                n = store.outputs.done_count("article_summaries")
                done = f" Tone, summaries, tags and stories were computed for {n:,} articles." if n else ""
                print(f"{'note' if args.if_needed else 'error'}: {exc}{done}", file=sys.stderr)
                return 0 if args.if_needed else 1
        progress("preparing the pages", 0, 1)
        if (seconds := warm(store)) is not None:
            report.timings["frame"] = seconds
        progress("preparing the pages", 1, 1)
    for bar in bars.values():
        bar.close()
    print(report.summary())
    return 0


COMMANDS = (Command("fit", "embed new articles and fit topics (or --update)", fit_args, cmd_fit, store=True),)
