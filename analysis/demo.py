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
    store: Store,
    *,
    if_empty: bool = False,
    progress: Callable[[int, int], None] | None = None,
    seed_embeddings: bool = True,
) -> list[ImportReport]:
    """Import every demo file; with if_empty, do nothing when the store already has articles.

    Also seeds the embedding cache from the shipped vectors (made by scripts/make_demo_embeddings.py),
    so the first fit does not have to embed 8,000 articles.
    """
    if if_empty and store.count() > 0:
        return []
    reports = []
    for path in demo_files():
        importer = Importer(store, progress=progress)
        reports.append(importer.run(path, display_name=f"{DEMO_SOURCE}: {path.name}"))
    store.conn.execute("UPDATE outlets SET bias_source = 'AllSides' WHERE bias_source LIKE 'AllSides demo%'")
    if seed_embeddings:
        seed_demo_embeddings(store)
    return reports


def seed_demo_embeddings(store: Store, directory: Path = DEMO_DIR) -> int:
    """Copy the shipped demo vectors into the embedding cache; returns how many were added."""
    import numpy as np

    from analysis.embeddings import import_cache

    added = 0
    for path in sorted(directory.glob("embeddings-*.npz")):
        model = path.stem.removeprefix("embeddings-").replace("--", ":")
        with np.load(path) as data:
            added += import_cache(store, model, [str(h) for h in data["hashes"]], data["vectors"])
    return added
