"""Import throughput: the full AllSides file (when present) and the shipped demo into empty stores.

Also times the parsing side alone (no store), to show where the time goes: SQLite's FTS5 indexing
of full texts is the ceiling on this machine.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.common import ALLSIDES, ROOT, peak_rss_mib, report


def run() -> None:
    from analysis.ingest.fileformats import ArticleFile
    from analysis.ingest.importers import Importer, ImportReport
    from analysis.store import Store

    sources = [("demo (shipped)", sorted((ROOT / "data" / "demo").glob("*.jsonl.gz"))[0])]
    notes = []
    if ALLSIDES.exists():
        sources.append(("AllSides full", ALLSIDES))
    else:
        notes.append(f"skipped: data not present ({ALLSIDES})")
    rows = []
    for label, path in sources:
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(Path(tmp) / "bench.db")
            t = time.perf_counter()
            rep = Importer(store).run(path)
            seconds = time.perf_counter() - t
            size = sum(f.stat().st_size for f in Path(tmp).glob("bench.db*"))
            store.close()
        # Parsing and validation alone (the worker thread's share), without writing.
        parse_report = ImportReport(source=path.name)
        imp = Importer(Store(":memory:"))
        t = time.perf_counter()
        for _ in imp._prepared_batches(ArticleFile(path), parse_report):
            pass
        parse_seconds = time.perf_counter() - t
        rows.append(
            {
                "corpus": label,
                "rows": rep.rows_read,
                "stored": rep.stored,
                "seconds": round(seconds, 2),
                "articles_per_s": round(rep.rows_read / seconds),
                "parse_only_per_s": round(rep.rows_read / parse_seconds),
                "store_MiB": round(size / 2**20, 1),
                "peak_rss_MiB": round(peak_rss_mib()),
            }
        )
    notes.append("target: >= 5,000 articles/s on the full file (issue 3)")
    report("import", rows, notes)


if __name__ == "__main__":
    run()
