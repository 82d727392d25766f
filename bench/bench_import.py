"""Import throughput: the full AllSides file (when present) and the shipped demo into empty stores.

Three ways in the same run: rows committed first, validated in worker processes, then indexed for search
(what `python -m analysis import` does); the same in one process; and each batch indexed as it is written
(the library's default). articles_per_s counts rows committed; then_index_s is the wait after them until
all are searchable. Also times reading and validation alone in one process (no store).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from bench.common import ALLSIDES, ROOT, peak_rss_mib, report


def run() -> None:
    from analysis.ingest.fileformats import ArticleFile
    from analysis.ingest.importers import ImportReport
    from analysis.pipeline.load import Importer
    from analysis.store import Store

    sources = [("demo (shipped)", sorted((ROOT / "data" / "demo").glob("*.jsonl.gz"))[0])]
    notes = []
    work = tempfile.TemporaryDirectory()
    if ALLSIDES.exists():
        sources.append(("AllSides full", ALLSIDES))
        sources.append(("AllSides full, as CSV", _as_csv(ALLSIDES, Path(work.name) / "allsides.csv")))
    else:
        notes.append(f"skipped: data not present ({ALLSIDES})")
    rows = []
    for label, path in sources:
        # As `python -m analysis import` does (rows committed first, validated in worker processes, indexed
        # for search after), the same in one process, and each batch indexed as it is written.
        cli = f"rows first, validated in {min(4, os.cpu_count() or 1)} worker processes, indexed after (CLI)"
        modes = (
            (cli, True, 0),
            ("rows first, one process, indexed after", True, 1),
            ("one process, indexed with each batch", False, 1),
        )
        for mode, defer, workers in modes:
            with tempfile.TemporaryDirectory() as tmp:
                store = Store(Path(tmp) / "bench.db")
                t = time.perf_counter()
                rep = Importer(store, defer_search=defer, workers=workers).run(path)
                seconds = time.perf_counter() - t
                store.index_search()
                index_seconds = time.perf_counter() - t - seconds
                size = sum(f.stat().st_size for f in Path(tmp).glob("bench.db*"))
                store.close()
            rows.append(
                {
                    "corpus": label,
                    "mode": mode,
                    "rows": rep.rows_read,
                    "stored": rep.stored,
                    "seconds": round(seconds, 2),
                    "articles_per_s": round(rep.rows_read / seconds),
                    "then_index_s": round(index_seconds, 2),
                    "searchable_per_s": round(rep.rows_read / (seconds + index_seconds)),
                    "store_MiB": round(size / 2**20, 1),
                    "peak_rss_MiB": round(peak_rss_mib()),
                }
            )
        # Reading and validation alone in one process, without writing.
        parse_report = ImportReport(source=path.name)
        imp = Importer(Store(":memory:"))
        t = time.perf_counter()
        for _ in imp._prepared_batches(ArticleFile(path), parse_report):
            pass
        parse_seconds = time.perf_counter() - t
        rows.append(
            {
                "corpus": label,
                "mode": "read and validate only (one process)",
                "rows": parse_report.rows_read,
                "seconds": round(parse_seconds, 2),
                "articles_per_s": round(parse_report.rows_read / parse_seconds),
            }
        )
    work.cleanup()
    notes.append(f"{os.cpu_count()} cores; target: >= 5,000 articles/s committed on the full file (issues 3 and 18)")
    report("import", rows, notes)


def _as_csv(jsonl: Path, out: Path) -> Path:
    """The same articles as a plain CSV file (what a spreadsheet or a database export gives), written row by
    row so that this process's peak memory stays the imports'."""
    import csv
    import gzip
    import json

    with gzip.open(jsonl, "rt", encoding="utf-8") as src, out.open("w", newline="", encoding="utf-8") as dst:
        writer = None
        for line in src:
            row = json.loads(line)
            if writer is None:
                writer = csv.DictWriter(dst, fieldnames=list(row), extrasaction="ignore")
                writer.writeheader()
            writer.writerow(row)
    return out


if __name__ == "__main__":
    run()
