"""Load the shipped demo corpus (AllSides, Baly et al. 2020) into a store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from analysis.config import DEMO_DIR
from analysis.importers import Importer, ImportFailed, ImportReport
from analysis.store import Store

DEMO_SOURCE = "AllSides demo corpus (Baly et al., EMNLP 2020)"


def demo_files(directory: Path = DEMO_DIR) -> list[Path]:
    files = sorted(directory.glob("allsides-demo-*.jsonl.gz"))
    if not files:
        raise ImportFailed(f"The demo corpus is missing from {directory}; re-clone the repository.")
    return files


def load_demo(
    store: Store, *, if_empty: bool = False, progress: Callable[[int, int], None] | None = None
) -> list[ImportReport]:
    """Import every demo file; with if_empty, do nothing when the store already has articles."""
    if if_empty and store.count() > 0:
        return []
    reports = []
    for path in demo_files():
        importer = Importer(store, progress=progress)
        reports.append(importer.run(path, display_name=f"{DEMO_SOURCE}: {path.name}"))
    store.conn.execute("UPDATE outlets SET bias_source = 'AllSides' WHERE bias_source LIKE 'AllSides demo%'")
    return reports
