"""Import article files (CSV, TSV, JSON, JSONL, Parquet; optionally gzipped) into the store: read and validated
(in worker processes for a big file), written in batches, indexed for search after."""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from pathlib import Path
from typing import Any

from analysis.config import settings
from analysis.ingest.dates import DateParser
from analysis.ingest.fileformats import ArticleFile
from analysis.ingest.importers import PARALLEL_BYTES, ImportFailed, ImportReport, resolve_mapping
from analysis.ingest.prepare import MAX_REPORTED, Prepared, Preparer
from analysis.ingest.records import FileFormatError, LineBlock, Record
from analysis.lifetime import worker_pool
from analysis.store import Database


class Importer:
    """Streams one file into the store in batches; a fatal error removes what it had stored."""

    def __init__(
        self,
        store: Database,
        *,
        outlet: str | None = None,
        mapping: dict[str, str] | None = None,
        fmt: str | None = None,
        encoding: str | None = None,
        default_tz: str = "UTC",
        dayfirst: bool = False,
        batch_size: int | None = None,
        progress: Callable[[int, int], None] | None = None,
        defer_search: bool = False,
        workers: int = 1,
    ) -> None:
        self.store = store
        self.outlet = outlet.strip() if outlet else None
        self.explicit = mapping or {}
        self.fmt = fmt
        self.encoding = encoding
        DateParser(default_tz, dayfirst)  # an unknown time zone is a BadInput now, before anything is read
        self.default_tz, self.dayfirst = default_tz, dayfirst
        self.batch_size = batch_size or settings().import_batch
        self.progress = progress
        self.defer_search = defer_search  # rows first, their search index after (store.index_search)
        self.workers = workers  # processes validating rows (1: this one; 0: one per core, at most 4, for a big file)

    def run(self, path: str | Path, display_name: str | None = None) -> ImportReport:
        """Import one file. Raises ImportFailed (store unchanged) on a fatal problem."""
        started = time.perf_counter()
        name = display_name or Path(path).name
        report = ImportReport(source=name)
        try:
            af = ArticleFile(path, fmt=self.fmt, encoding=self.encoding, name=name)
        except FileFormatError as exc:
            raise ImportFailed(str(exc)) from exc
        report.format, report.encoding = af.format, af.encoding
        import_id = self.store.begin_import(name)
        report.import_id = import_id
        try:
            self._stream(af, report)
            if report.rows_read == 0:
                raise ImportFailed(f"{name} contains no articles (no data rows).")
            if report.stored == 0 and report.duplicates == 0:
                reason = report.errors[0][1] if report.errors else "no row was usable"
                raise ImportFailed(
                    f"No article in {name} could be imported: row {report.errors[0][0]}: {reason}."
                    if report.errors
                    else f"No article in {name} could be imported."
                )
        except (FileFormatError, ImportFailed) as exc:
            self.store.abort_import(import_id, str(exc))
            raise ImportFailed(str(exc)) from exc
        except BaseException as exc:
            self.store.abort_import(import_id, f"interrupted: {type(exc).__name__}")
            raise
        report.seconds = time.perf_counter() - started
        report.errors.sort()
        report.warnings.sort()
        self.store.finish_import(
            import_id,
            status="done",
            message=report.summary(),
            rows_read=report.rows_read,
            stored=report.stored,
            duplicates=report.duplicates,
            rejected=report.rejected,
        )
        return report

    def _stream(self, af: ArticleFile, report: ImportReport) -> None:
        """Read in a worker thread while this thread writes (SQLite releases the GIL while it works); the
        batches are validated in that thread, or in worker processes for a big file (see `workers`)."""
        workers = self._workers_for(af)
        pool = _pool(workers) if workers > 1 else None
        items: queue.Queue[tuple[Future[Prepared], int] | BaseException | None] = queue.Queue(maxsize=2 * workers)
        stop = threading.Event()

        def put(item: tuple[Future[Prepared], int] | BaseException | None) -> bool:
            while not stop.is_set():
                try:
                    items.put(item, timeout=0.2)
                    return True
                except queue.Full:
                    continue
            return False

        def produce() -> None:
            try:
                for preparer, batch, bytes_read in self._batches(af, report, whole_lines=pool is not None):
                    if pool is not None:
                        future = pool.submit(preparer, batch)
                    else:
                        future = Future()
                        future.set_result(preparer(batch))
                    if not put((future, bytes_read)):
                        return
                put(None)
            except BaseException as exc:  # handed to the writer thread, which re-raises it
                put(exc)

        worker = threading.Thread(target=produce, name="import-reader", daemon=True)
        worker.start()
        try:
            while True:
                item = items.get()
                if item is None:
                    break
                if isinstance(item, BaseException):
                    raise item
                future, bytes_read = item
                try:
                    prepared = future.result()
                except BrokenProcessPool as exc:
                    raise ImportFailed(
                        f"A worker process validating the rows of {report.source} stopped unexpectedly; nothing "
                        "of this import was kept (set NEWS_IMPORT_WORKERS=1 to validate in this process)."
                    ) from exc
                self._merge(report, prepared)
                stored, dups = self.store.add_articles(
                    prepared.articles,
                    import_id=report.import_id,
                    outlet_meta=prepared.outlet_meta,
                    defer_search=self.defer_search,
                )
                report.stored += stored
                report.duplicates += dups
                if self.progress:
                    self.progress(bytes_read, af.size)
        finally:
            stop.set()
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
            worker.join(timeout=5)
        if self.progress:
            self.progress(af.size, af.size)

    def _workers_for(self, af: ArticleFile) -> int:
        """Processes validating rows: as asked (1: this process's reading thread), else (0) one per core, at
        most 4, for a file of PARALLEL_BYTES or more on a machine with more than one core."""
        if self.workers > 0:
            return self.workers
        cores = os.cpu_count() or 1
        return 1 if af.size < PARALLEL_BYTES or cores < 2 else min(4, cores)

    def _batches(
        self, af: ArticleFile, report: ImportReport, *, whole_lines: bool = False
    ) -> Iterator[tuple[Preparer, list[Record] | LineBlock, int]]:
        """The file in batches of `batch_size` rows, each with the Preparer that validates it and the bytes read
        so far. With whole_lines, a UTF-8 JSONL file comes as undecoded LineBlocks (decoded where validated).
        The column mapping is resolved on the first readable row, here."""
        preparer: Preparer | None = None
        blocks = af.line_blocks(self.batch_size) if whole_lines else None
        batches = blocks if blocks is not None else _chunks(af.records(), self.batch_size)
        for batch in batches:
            if preparer is None:
                first = next((r for r in _records(batch) if r.fields is not None), None)
                if first is not None:
                    preparer = self._preparer(report, first)
            yield preparer or Preparer({}, report.source), batch, af.bytes_read

    def _preparer(self, report: ImportReport, first: Record) -> Preparer:
        report.mapping = resolve_mapping(first.fields.keys(), self.explicit)  # type: ignore[union-attr]
        if self.outlet is None and "outlet" not in report.mapping and "url" not in report.mapping:
            report.warnings.append((0, "the file has no outlet or URL column; use --outlet NAME to name it"))
        if "text" not in report.mapping:
            report.warnings.append(
                (
                    0,
                    "the file has no text column: articles are kept with their headlines only (tone, summaries and "
                    "entities read the headline); name the column with --map text=COLUMN if it has another name",
                )
            )
        return Preparer(report.mapping, report.source, self.outlet, self.default_tz, self.dayfirst)

    def _prepared_batches(self, af: ArticleFile, report: ImportReport) -> Iterator[Prepared]:
        """Read and validate in this process (what a worker does, for measuring it alone)."""
        for preparer, batch, _ in self._batches(af, report):
            prepared = preparer(batch)
            self._merge(report, prepared)
            yield prepared

    @staticmethod
    def _merge(report: ImportReport, prepared: Prepared) -> None:
        """Add a validated batch's counts and problems to the report (its row numbers made the file's)."""
        shift = report.rows_read if prepared.numbered_from_one else 0
        report.rows_read += prepared.rows
        report.undated += prepared.undated
        report.rejected += prepared.rejected
        for problems, mine in ((prepared.errors, report.errors), (prepared.warnings, report.warnings)):
            mine.extend((row + shift, reason) for row, reason in problems[: max(0, MAX_REPORTED - len(mine))])


def _chunks(records: Iterator[Record], size: int) -> Iterator[list[Record]]:
    while batch := list(islice(records, size)):
        yield batch


def _records(batch: list[Record] | LineBlock) -> Iterable[Record]:
    return batch.records() if isinstance(batch, LineBlock) else batch


def _pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes that ignore Ctrl-C (the importing process decides what an interruption removes) and end
    when it ends, even killed."""
    return worker_pool(workers)


def import_file(store: Database, path: str | Path, **kwargs: Any) -> ImportReport:
    """Import one file with default settings; see Importer for the options."""
    name = kwargs.pop("display_name", None)
    return Importer(store, **kwargs).run(path, display_name=name)
