"""Import throughput: the full AllSides file (when present) and the shipped demo into empty stores.

Three ways in the same run: rows committed first and indexed for search by a thread beside the import
(what `python -m analysis import` does), rows first and indexed after, and each batch indexed as it is
written. articles_per_s counts rows committed; then_index_s is the wait after them until all are
searchable. Also times the parsing side alone (no store): with indexing moved out, parsing (text
normalisation for content hashes, JSON, gzip) is the ceiling on this machine.
"""

from __future__ import annotations

import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

from bench.common import ALLSIDES, ROOT, peak_rss_mib, report


def run() -> None:
    from analysis.ingest.fileformats import ArticleFile
    from analysis.ingest.importers import Importer, ImportReport
    from analysis.store import Store
    from analysis.store.indexer import BackgroundIndexer

    sources = [("demo (shipped)", sorted((ROOT / "data" / "demo").glob("*.jsonl.gz"))[0])]
    notes = []
    if ALLSIDES.exists():
        sources.append(("AllSides full", ALLSIDES))
    else:
        notes.append(f"skipped: data not present ({ALLSIDES})")
    rows = []
    for label, path in sources:
        # As `python -m analysis import` does (rows committed first, indexed for search after), and with
        # each batch indexed as it is written (the library's default), in the same run.
        modes = (("rows first, indexed beside (CLI)", True, True), ("rows first, indexed after", True, False),
                 ("indexed with each batch", False, False))  # fmt: skip
        for mode, defer, beside in modes:
            with tempfile.TemporaryDirectory() as tmp:
                store = Store(Path(tmp) / "bench.db")
                t = time.perf_counter()
                with BackgroundIndexer(store.path) if beside else nullcontext():
                    rep = Importer(store, defer_search=defer).run(path)
                    seconds = time.perf_counter() - t
                store.index_search()
                index_seconds = time.perf_counter() - t - seconds
                size = sum(f.stat().st_size for f in Path(tmp).glob("bench.db*"))
                store.close()
            rows.append({
                "corpus": label, "mode": mode, "rows": rep.rows_read, "stored": rep.stored,
                "seconds": round(seconds, 2), "articles_per_s": round(rep.rows_read / seconds),
                "then_index_s": round(index_seconds, 2),
                "searchable_per_s": round(rep.rows_read / (seconds + index_seconds)),
                "store_MiB": round(size / 2**20, 1), "peak_rss_MiB": round(peak_rss_mib()),
            })  # fmt: skip
        # Parsing and validation alone (the worker thread's share), without writing.
        parse_report = ImportReport(source=path.name)
        imp = Importer(Store(":memory:"))
        t = time.perf_counter()
        for _ in imp._prepared_batches(ArticleFile(path), parse_report):
            pass
        parse_seconds = time.perf_counter() - t
        rows.append({"corpus": label, "mode": "parse and validate only", "rows": parse_report.rows_read,
                     "seconds": round(parse_seconds, 2),
                     "articles_per_s": round(parse_report.rows_read / parse_seconds)})  # fmt: skip
    notes.append("target: >= 5,000 articles/s on the full file (issue 3)")
    report("import", rows, notes)


if __name__ == "__main__":
    run()
