"""Command line: python -m analysis {demo,import,collect,fit,topics,themes,entities,outlets,export,stats,migrate,bench}
[--db PATH]; the edit commands are in analysis.cli_edits."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from analysis.cli_args import build_parser
from analysis.cli_edits import cmd_entities, cmd_outlets, cmd_themes, cmd_topics  # noqa: F401 (commands by name)
from analysis.cli_progress import progress_bar, stage_progress
from analysis.config import db_path, settings
from analysis.errors import BadInput


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


def _parse_map(items: list[str]) -> dict[str, str]:
    mapping = {}
    for item in items:
        if "=" not in item:
            raise BadInput(f"--map takes FIELD=COLUMN, got {item!r}.")
        k, v = item.split("=", 1)
        mapping[k.strip()] = v.strip()
    return mapping


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


def _import_one(store: Any, file: str, args: argparse.Namespace, mapping: dict[str, str]) -> None:
    from analysis.ingest.importers import Importer

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


def cmd_export(args: argparse.Namespace) -> int:
    from analysis.explore import export
    from analysis.explore.resolve import resolve
    from analysis.explore.selection import Selection
    from analysis.store import open_store

    params = {
        "dates": [args.start or "0001-01-01", args.end or "9999-12-31"] if args.start or args.end else [],
        "outlet": args.source,
        "bias": args.bias,
        "country": args.country,
        "topics": args.topic,
        "themes": args.theme,
        "mentions": args.mention,
        "q": [args.search] if args.search else [],
    }
    selection = Selection.parse(params)
    chosen = selection != Selection()
    if chosen and args.kind != "articles":
        raise BadInput(
            "--from, --to, --source, --bias, --country, --topic, --theme, --mention and --search choose "
            "articles: use them with `export articles`."
        )
    with open_store(db_path(args.db), readonly=True) as store:
        if chosen:
            r = resolve(store, selection)
            for note in (*selection.notes, *r.notes, *(f"{o}: {why}." for o, why in r.absent)):
                print(f"note: {note}", file=sys.stderr)
            n = export.export_articles(store, args.out, only=set(r.rows["article_id"]))
        else:
            writer = {
                "articles": export.export_articles,
                "outlets": export.export_outlets,
                "topics": export.export_topics,
                "stories": export.export_stories,
                "entities": export.export_entities,
            }[args.kind]
            n = writer(store, args.out)
    print(f"Wrote {n:,} {args.kind} to {args.out}.")
    return 0


def _has_new_articles(store) -> bool:
    """Whether any article lacks a topic row or tone/summary yet (a cheap check, no model loaded)."""
    return store.fits.has_unprocessed()


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


def _looks_like_feed(url: str) -> bool:
    """A command-line URL that is a feed, sitemap or home page rather than an article."""
    low = url.lower().rstrip("/")
    path = low.split("://", 1)[-1]
    return "/" not in path or any(k in low for k in ("rss", "feed", "atom", "sitemap", ".xml"))


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
        if (seconds := warm(store)) is not None:
            report.timings["frame"] = seconds
    for bar in bars.values():
        bar.close()
    print(report.summary())
    return 0


def quiet_libraries() -> None:
    """Silence library chatter that says nothing to a user (UMAP's n_jobs note, BERTopic's save hint)."""
    import logging
    import warnings

    warnings.filterwarnings("ignore", category=UserWarning)
    warnings.filterwarnings("ignore", category=FutureWarning)
    logging.getLogger("BERTopic").setLevel(logging.ERROR)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def cmd_stats(args: argparse.Namespace) -> int:
    from analysis.explore.overview import outlets, overview
    from analysis.explore.selection import Selection
    from analysis.store import open_store

    with open_store(db_path(args.db), readonly=True) as store:
        ov = overview(store, Selection())
        imports = store.imports()
        info = {
            "store": redact(store.path),
            "schema_version": store.schema_version,
            "articles": ov.articles,
            "outlets": ov.outlets,
            "first": ov.first.isoformat() if ov.first is not None else None,
            "last": ov.last.isoformat() if ov.last is not None else None,
            "undated": ov.undated,
            "imports": len(imports),
        }
        if args.json:
            print(json.dumps(info, indent=2))
            return 0
        for k, v in info.items():
            print(f"{k:>15}: {v:,}" if isinstance(v, int) else f"{k:>15}: {v}")
        if store.vector_search_note:
            print(store.vector_search_note)
        table = outlets(store, Selection()).head(args.top)
        if not table.empty:
            print()
            print(table[["outlet", "articles", "share", "coverage", "undated"]].to_string(index=False))
    return 0


def redact(target: str) -> str:
    """A store path or URL without its password, for messages."""
    from analysis.store.postgres import redact as without_password

    return without_password(str(target))


def cmd_migrate(args: argparse.Namespace) -> int:
    from analysis.cli_progress import stage_progress
    from analysis.store import open_store
    from analysis.store.transfer import copy_store

    bars, progress = stage_progress()
    from analysis.pipeline.stages import ensure_tables

    with open_store(args.src, readonly=True) as src, open_store(args.dst) as dst:
        ensure_tables(dst)  # the registry's stage tables, should the target have been made before a stage
        copied = copy_store(src, dst, progress=progress)
        if dst.active_fit is not None:  # similar news by the target's own index, where it has one
            dst.vectors.index_for_search(str(dst.fits.active_fit_row()["embedding_model"]), progress)
        note = dst.vector_search_note
    for bar in bars.values():
        bar.close()
    print(
        f"Copied {redact(args.src)} into {redact(args.dst)}: {copied['articles']:,} articles, "
        f"{copied['fits']:,} fits, {copied['stories']:,} stories, {copied['entities']:,} entities; "
        "every table's rows counted on both sides."
    )
    if note:
        print(note)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    import runpy

    script = Path(__file__).resolve().parent.parent / "bench" / "run.py"
    sys.argv = [str(script), *args.rest]
    runpy.run_path(str(script), run_name="__main__")
    return 0


# What Ctrl-C leaves behind, by command (each one's writes are transactions, so nothing half-written stays).
INTERRUPTED = {
    "import": "the unfinished import was removed; nothing stored before it was touched.",
    "demo": "the unfinished import was removed; nothing stored before it was touched.",
    "fit": "the fit was stopped; each stage is saved whole or not at all, so the store holds what it had or"
    " what finished, and the same command does the rest.",
    "collect": "collection stopped; pages already fetched are stored and the rest stay queued for the next run.",
    "migrate": "the copy stopped; every batch copied is kept, and the same command finishes the rest.",
}


def main(argv: list[str] | None = None) -> int:
    """Run one command. What a user can cause (NewsError) is one `error:` sentence and exit code 1; anything
    else is a bug and keeps its traceback."""
    from analysis.config import Settings, use
    from analysis.errors import NewsError

    args = build_parser().parse_args(argv)
    try:
        use(Settings.from_env())  # the one read of the environment; the library asks settings()
        return int(globals()[f"cmd_{args.command}"](args) or 0)
    except BrokenPipeError:
        return 0
    except NewsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except SearchIndexInterrupted:
        print(f"interrupted: {SearchIndexInterrupted.said}", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        what = INTERRUPTED.get(args.command, "stopped; what was saved before is kept.")
        print(f"interrupted: {what}", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
