"""Commands that bring articles in: the demo corpus, files, and collection from the web."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from analysis.cli.base import Command, redact
from analysis.cli.progress import progress_bar, stage_progress
from analysis.config import db_path, settings
from analysis.errors import BadInput


def _parse_map(items: list[str]) -> dict[str, str]:
    mapping = {}
    for item in items:
        if "=" not in item:
            raise BadInput(f"--map takes FIELD=COLUMN, got {item!r}.")
        k, v = item.split("=", 1)
        mapping[k.strip()] = v.strip()
    return mapping


def _import_one(store: Any, file: str, args: argparse.Namespace, mapping: dict[str, str]) -> None:
    from analysis.pipeline.load import Importer

    bar, update = progress_bar(Path(file).name)
    importer = Importer(
        store,
        outlet=args.outlet,
        mapping=mapping,
        fmt=args.format,
        encoding=args.encoding,
        default_tz=args.tz,
        dayfirst=args.dayfirst,
        progress=update,
        defer_search=True,
        workers=settings().import_workers,
    )
    try:
        report = importer.run(file)
    finally:
        bar.close()
    print(report.summary())
    if os.environ.get("NEWS_PROGRESS_LINES"):  # the app's run (ui/runs.py): the report whole, as one line
        problems = {"errors": report.errors[:500], "warnings": report.warnings[:500]}
        print("summary\t" + json.dumps({"summary": report.summary(), **problems}), flush=True)
    print("  columns: " + ", ".join(f"{k} <- {v}" for k, v in report.mapping.items()))
    for row, reason in report.errors[: args.show]:
        print(f"  row {row}: {reason}", file=sys.stderr)
    if report.rejected > args.show:
        print(f"  ... and {report.rejected - args.show:,} more rejected rows", file=sys.stderr)
    for row, reason in report.warnings[: args.show]:
        print(f"  {'row ' + str(row) + ': ' if row else ''}{reason}", file=sys.stderr)


class SearchIndexInterrupted(KeyboardInterrupt):
    """Ctrl-C while the search index caught up: the articles themselves are stored."""

    said = (
        "the articles are stored; the search index keeps the batches it finished, and the next import, collect"
        " or fit indexes the rest (until then the Search page says it is catching up)."
    )


def catch_up_search(store: Any, *, quiet: bool = False) -> int:
    """Index for search what a big import left to index (this command's or an interrupted one's); returns
    how many articles were indexed."""
    import time

    if not store.search_pending():
        return 0
    bars, progress = stage_progress()
    t = time.perf_counter()
    try:
        n = store.index_search(progress)
    except KeyboardInterrupt as exc:
        raise SearchIndexInterrupted from exc
    finally:
        for bar in bars.values():
            bar.close()
    if not quiet:
        print(f"Indexed {n:,} articles for search in {time.perf_counter() - t:.1f} s.")
    return n


def _looks_like_feed(url: str) -> bool:
    """A command-line URL that is a feed, sitemap or home page rather than an article."""
    low = url.lower().rstrip("/")
    path = low.split("://", 1)[-1]
    return "/" not in path or any(k in low for k in ("rss", "feed", "atom", "sitemap", ".xml"))


def demo_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--if-empty", action="store_true", help="only when the store holds no article")


def cmd_demo(args: argparse.Namespace) -> int:
    from analysis.pipeline.demo import load_demo
    from analysis.store import open_store

    with open_store(db_path(args.db)) as store:
        if args.if_empty and store.count():
            print(f"{redact(store.path)} already holds {store.count():,} articles; demo not loaded.")
            return 0
        bar, update = progress_bar("demo")
        reports = load_demo(store, if_empty=args.if_empty, progress=update)
        bar.close()
        for r in reports:
            print(r.summary())
            if r.undated:
                print(f"  {r.undated:,} articles have no usable date; they are kept and shown as undated.")
        print(f"{redact(store.path)}: {store.count():,} articles.")
        if store.active_fit is not None:
            from analysis.explore.warm import warm

            warm(store)  # the app's working set, ready for its first page view
            print("Loaded the demo's topics, tone, summaries, tags and stories, made by this version of the code.")
        elif reports:
            print("No derived results ship for this version of the code: `python -m analysis fit` computes them.")
    return 0


def import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--outlet", help="outlet name for every article of the file")
    p.add_argument(
        "--map",
        action="append",
        metavar="FIELD=COLUMN",
        help="use COLUMN for FIELD (title, text, outlet, published, url, authors, language)",
    )
    p.add_argument("--format", choices=["csv", "tsv", "json", "jsonl", "parquet"], help="override the detected format")
    p.add_argument("--encoding", help="text encoding (default: detected)")
    p.add_argument("--tz", default="UTC", help="time zone of dates without one (default UTC)")
    p.add_argument("--dayfirst", action="store_true", help="read 03/04/2020 as 3 April")
    p.add_argument("--show", type=int, default=10, help="how many row problems to print (default 10)")


def cmd_import(args: argparse.Namespace) -> int:
    from analysis.store import open_store

    mapping = _parse_map(args.map or [])
    with open_store(db_path(args.db)) as store:
        # Rows are committed first (a big file's rows validated in worker processes), then indexed for search;
        # the articles can be browsed meanwhile, and an interrupted catch-up is finished by the next command.
        for file in args.files:
            _import_one(store, file, args, mapping)
        catch_up_search(store)
    return 0


def collect_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("sources", nargs="*", metavar="URL", help="article URLs, or feed / sitemap / home page URLs")
    p.add_argument("--feeds", metavar="FILE", help="feeds, sitemaps or home pages, one per line (or a url column)")
    p.add_argument("--urls", metavar="FILE", help="article URLs, one per line (or a CSV with a url column)")
    p.add_argument("--html", action="append", metavar="PATH", default=[], help="saved page, folder or .zip")
    p.add_argument("--watch", type=float, metavar="MINUTES", help="collect the feeds again every MINUTES")
    p.add_argument("--workers", type=int, default=8, help="requests at once across hosts (default 8)")
    p.add_argument("--per-host", type=int, default=2, help="requests at once to one host (default 2)")
    p.add_argument("--delay", type=float, default=1.0, help="seconds between requests to one host (default 1)")
    p.add_argument("--timeout", type=float, default=15.0, help="read timeout in seconds (default 15)")
    p.add_argument("--max-mb", type=int, default=10, help="largest response in MB (default 10)")
    p.add_argument("--retry-failed", action="store_true", help="try again URLs that failed for any reason")
    p.add_argument(
        "--allow-host",
        action="append",
        metavar="HOST",
        help="fetch from this host even if it is on a private network (off by default)",
    )


def cmd_collect(args: argparse.Namespace) -> int:
    import time

    from analysis.collect.fetch import FetchPolicy
    from analysis.collect.runner import Collector
    from analysis.collect.sources import CollectError, read_sources
    from analysis.store import open_store

    feeds, urls = read_sources(args.feeds, args.urls)
    feeds += [u for u in args.sources if _looks_like_feed(u)]
    urls += [u for u in args.sources if not _looks_like_feed(u)]
    if not (feeds or urls or args.html):
        raise CollectError("Nothing to collect: give --feeds FILE, --urls FILE, --html PATH or URLs.")
    policy = FetchPolicy(
        per_host=args.per_host,
        delay=args.delay,
        read_timeout=args.timeout,
        max_bytes=args.max_mb * 1024 * 1024,
        obey_robots=True,
        allow_hosts=FetchPolicy().allow_hosts | {h.lower() for h in args.allow_host or []},
    )
    bars, progress = stage_progress()
    rounds = 0
    with open_store(db_path(args.db)) as store:
        while True:
            collector = Collector(store, policy, workers=args.workers, progress=progress)
            summary = collector.run(
                feeds=feeds, urls=urls, html=args.html if rounds == 0 else (), retry_failed=args.retry_failed
            )
            for bar in bars.values():
                bar.close()
            bars.clear()
            print(summary.text())
            catch_up_search(store)  # what an interrupted import left to index
            if os.environ.get("NEWS_PROGRESS_LINES"):
                print("summary\t" + json.dumps({"run_id": summary.run_id, **summary.as_dict()}), flush=True)
            rounds += 1
            if summary.interrupted or not args.watch or not feeds:
                return 130 if summary.interrupted else 0
            print(f"Next collection of {len(feeds)} feeds in {args.watch:g} minutes (Ctrl-C stops).", flush=True)
            try:
                time.sleep(args.watch * 60)
            except KeyboardInterrupt:
                return 0
            urls = []


COMMANDS = (
    Command("demo", "load the shipped demo corpus", demo_args, cmd_demo, store=True),
    Command("import", "import CSV/TSV/JSON/JSONL/Parquet files (optionally .gz)", import_args, cmd_import, store=True),
    Command("collect", "collect articles from feeds, URLs or saved pages", collect_args, cmd_collect, store=True),
)
