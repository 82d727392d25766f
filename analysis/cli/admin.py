"""Commands that look after stores and the code: migrate between backends, run the benchmarks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.cli.base import Command, redact


def migrate_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("src", help="the store to copy: a file path or a postgresql:// URL")
    p.add_argument("dst", help="the store to copy into (created when missing; must not hold other articles)")


def cmd_migrate(args: argparse.Namespace) -> int:
    from analysis.cli.progress import stage_progress
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


def bench_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("rest", nargs=argparse.REMAINDER)


def cmd_bench(args: argparse.Namespace) -> int:
    import runpy

    script = Path(__file__).resolve().parents[2] / "bench" / "run.py"
    sys.argv = [str(script), *args.rest]
    runpy.run_path(str(script), run_name="__main__")
    return 0


COMMANDS = (
    Command(
        "migrate",
        "copy a whole store to another (SQLite <-> PostgreSQL); run again to resume",
        migrate_args,
        cmd_migrate,
        store=False,
    ),
    Command("bench", "run the benchmarks (see bench/run.py --help)", bench_args, cmd_bench, store=False),
)
