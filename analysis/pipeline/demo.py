"""Load the shipped demo corpus (AllSides, Baly et al. 2020) into a store, with its model outputs
(vectors, tone logits) and, when they were made by the code that is running, its derived results
(the fit: topics, keywords, map; tone, summaries, tags; stories), so a newcomer sees the demo in
seconds instead of waiting for a first fit. `scripts/make_demo_snapshot.py` makes the derived file by
running the real pipeline on the demo; its name carries a hash of the pipeline's source files and
settings, and a file whose hash does not match the running code is never used (`fit` runs instead).
"""

from __future__ import annotations

import ast
import gzip
import hashlib
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from analysis.config import DEMO_DIR, PROJECT_DIR, settings
from analysis.ingest.importers import ImportFailed, ImportReport
from analysis.pipeline.load import Importer
from analysis.pipeline.stages import STAGES, derived_tables, ensure_tables
from analysis.store import Database

DEMO_SOURCE = "AllSides demo corpus (Baly et al., EMNLP 2020)"


def demo_files(directory: Path = DEMO_DIR) -> list[Path]:
    files = sorted(directory.glob("allsides-demo-*.jsonl.gz"))
    if not files:
        raise ImportFailed(f"The demo corpus is missing from {directory}; re-clone the repository.")
    return files


# Every source file whose change changes the derived results of a fit (settings are hashed beside them).
PIPELINE_SOURCES = (
    "ingest/*.py",
    "enrich/*.py",
    "pipeline/*.py",
    "pipeline/stages/*.py",
    "collect/neardup.py",
    "store/topics.py",
    "store/fits.py",
    "store/outputs.py",
    "store/stories.py",
    "store/entities.py",
    "store/migrations.py",
    "terms.py",
    "text/*.py",
    "periods.py",
)
DERIVED_META = ("active_fit", "next_topic_id", "next_story_id", "next_theme_id", "tag_docs")


def pipeline_files() -> list[Path]:
    """The files of PIPELINE_SOURCES, in one order."""
    root = PROJECT_DIR / "analysis"
    return [p for pattern in PIPELINE_SOURCES for p in sorted(root.glob(pattern))]


def code_fingerprint(source: str) -> bytes:
    """The syntax tree of a module without its docstrings: comments, docstrings and layout do not change it."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree, annotate_fields=False).encode()


def pipeline_key() -> str:
    """A hash of the pipeline's code, its weights, the demo files and the settings that shape a fit."""
    h = hashlib.sha1()
    for path in pipeline_files():
        h.update(path.relative_to(PROJECT_DIR).as_posix().encode())
        h.update(code_fingerprint(path.read_text()))
    for path in sorted((PROJECT_DIR / "analysis" / "resources").glob("*")) + demo_files():
        h.update(path.name.encode())
        h.update(str(path.stat().st_size).encode())
    s = settings()
    h.update(f"{s.embed_model}|{s.embed_max_tokens}|{s.embed_lead_words}|{s.seed}".encode())
    return h.hexdigest()[:12]


def derived_path(directory: Path = DEMO_DIR) -> Path:
    """Where the demo's derived results for the running code are (or would be) shipped."""
    return directory / f"derived-{pipeline_key()}.db.gz"


def stage_versions(store: Database) -> tuple[str, ...]:
    """The meta keys that record which version of each stage made its rows."""
    return tuple(f"stage:{s.name}" for s in STAGES if store.outputs.version(s.name))


def write_derived(store: Database, out: Path) -> Path:
    """Copy a fitted store's derived tables (and the meta that points at its fit) into a gzipped SQLite file."""
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "derived.db"
        store.snapshot.export_tables(plain, derived_tables(), DERIVED_META + stage_versions(store))
        with plain.open("rb") as src, gzip.open(out, "wb", compresslevel=9) as dst:
            shutil.copyfileobj(src, dst)
    return out


def load_derived(store: Database, directory: Path = DEMO_DIR) -> bool:
    """Load the shipped derived results into a freshly loaded demo store, in one transaction. False (and
    nothing written) when there is no file for the running code, or the store is not the plain demo."""
    path = derived_path(directory)
    if not path.exists() or store.active_fit is not None:
        return False
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "derived.db"
        with gzip.open(path, "rb") as src, plain.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        ensure_tables(store)
        return store.snapshot.import_tables(plain, derived_tables())


def load_demo(
    store: Database,
    *,
    if_empty: bool = False,
    progress: Callable[[int, int], None] | None = None,
    seed_embeddings: bool = True,
    derived: bool = True,
) -> list[ImportReport]:
    """Import every demo file; with if_empty, do nothing when the store already has articles.

    Also seeds the embedding cache from the shipped vectors (made by scripts/make_demo_embeddings.py),
    so a fit does not have to embed 8,000 articles, and (derived) loads the shipped fit, tone,
    summaries, tags and stories when they were made by the running code (load_derived).
    """
    if if_empty and store.count() > 0:
        return []
    reports = []
    for path in demo_files():
        importer = Importer(store, progress=progress)
        reports.append(importer.run(path, display_name=f"{DEMO_SOURCE}: {path.name}"))
    store.outlets.rename_bias_source("AllSides demo", "AllSides")
    if seed_embeddings:
        seed_demo_embeddings(store)
    if derived:
        load_derived(store)
    return reports


def seed_demo_embeddings(store: Database, directory: Path = DEMO_DIR) -> int:
    """Copy the shipped demo vectors into the embedding cache; returns how many were added."""
    import numpy as np

    from analysis.pipeline.model_cache import import_cache

    added = 0
    for path in sorted(directory.glob("embeddings-*.npz")):
        model = path.stem.removeprefix("embeddings-").replace("--", ":")
        with np.load(path) as data:
            added += import_cache(store, model, [str(h) for h in data["hashes"]], data["vectors"])
    return added
