"""Progress on the command line: tqdm bars on a terminal, or one line per step for the app's jobs."""

from __future__ import annotations

import os
import sys


def progress_bar(desc: str):
    """A tqdm bar of bytes read, or machine-readable lines for the app (NEWS_PROGRESS_LINES)."""
    from tqdm import tqdm

    if os.environ.get("NEWS_PROGRESS_LINES"):

        class Lines:
            def close(self) -> None:
                pass

        def line(done: int, total: int) -> None:
            print(f"progress\t{desc}\t{done}\t{total}", file=sys.stderr, flush=True)

        return Lines(), line

    bar = tqdm(total=0, unit="B", unit_scale=True, desc=desc, leave=False, disable=not sys.stderr.isatty())

    def update(done: int, total: int) -> None:
        if bar.total != total:
            bar.total = total
        bar.n = done
        bar.refresh()

    return bar, update


def stage_progress():
    """tqdm bars per stage, or machine-readable lines for the app (NEWS_PROGRESS_LINES, ui/runs.py)."""
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}
    lines = bool(os.environ.get("NEWS_PROGRESS_LINES"))

    def progress(stage: str, done: int, total: int) -> None:
        if lines:
            print(f"progress\t{stage}\t{done}\t{total}", file=sys.stderr, flush=True)
            return
        if stage not in bars:
            bars[stage] = tqdm(total=total, desc=stage, leave=False, disable=not sys.stderr.isatty())
        bars[stage].total = total
        bars[stage].n = done
        bars[stage].refresh()

    return bars, progress
