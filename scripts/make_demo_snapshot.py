"""Re-make the demo's derived results (data/demo/derived-<pipeline hash>.db.gz).

Usage: python scripts/make_demo_snapshot.py
Loads the demo into a temporary store (with the shipped vectors and tone logits), runs the real `fit`
on it, and writes the fit, topics, map, tone, summaries, tags and stories to a gzipped SQLite file
named after a hash of the pipeline's source and settings (analysis.pipeline.demo.pipeline_key). Run it after
changing any file in analysis.pipeline.demo.PIPELINE_SOURCES: a file for another hash is never loaded, and
tests/test_demo_snapshot.py fails until it is re-made. About three minutes on 2 cores.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.config import DEMO_DIR  # noqa: E402
from analysis.pipeline.demo import derived_path, load_demo, write_derived  # noqa: E402
from analysis.pipeline.fit import run_fit  # noqa: E402
from analysis.store import Store  # noqa: E402


def main() -> None:
    target = derived_path()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "demo.db") as store:
        load_demo(store, derived=False)
        report = run_fit(store)
        print(report.summary())
        for old in DEMO_DIR.glob("derived-*.db.gz"):
            old.unlink()
        write_derived(store, target)
    print(
        f"wrote {target.relative_to(ROOT)} ({target.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.0f} s"
    )


if __name__ == "__main__":
    main()
