"""Import article files (CSV, TSV, JSON, JSONL, Parquet; optionally gzipped) into the store."""

from __future__ import annotations

import queue
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from analysis.config import settings
from analysis.errors import BadInput
from analysis.ingest.dates import DateParser
from analysis.ingest.fileformats import ArticleFile, FileFormatError, Record
from analysis.ingest.schema import Article, ArticleError, domain_of
from analysis.store import Store

FIELDS = ("title", "text", "outlet", "published", "url", "authors", "language", "outlet_domain")
# Column names recognised for each field, in order of preference (compared after normalising).
CANDIDATES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "article_title", "head", "heading", "name"),
    "text": (
        "text", "content", "body", "article", "article_text", "full_text", "fulltext", "story",
        "maintext", "description", "summary", "lede",
    ),
    "outlet": (
        "outlet", "source", "publisher", "publication", "source_name", "site_name", "site", "media",
        "media_name", "newspaper", "news_source", "outlet_name", "domain",
    ),
    "published": (
        "published", "date", "publish_date", "published_at", "publishedat", "pubdate", "pub_date",
        "date_published", "publication_date", "datetime", "timestamp", "time", "created_at", "seendate",
    ),
    "url": ("url", "link", "article_url", "article_source_link", "source_link", "href", "permalink", "uri"),
    "authors": ("authors", "author", "byline", "creator", "writers"),
    "language": ("language", "lang"),
    "outlet_domain": ("source_url", "source_domain", "site_domain", "outlet_domain", "domain"),
}  # fmt: skip
# Extra columns that also describe the outlet; copied into the outlets table when empty there.
OUTLET_META = {"bias": "bias", "bias_rating": "bias", "political_bias": "bias", "leaning": "bias",
               "country": "country", "outlet_country": "country", "owner": "owner"}  # fmt: skip
# Names that exports use for derived columns; an extra column with such a name is prefixed.
RESERVED = {
    "id", "url", "title", "outlet", "published", "topic", "topic_label", "sentiment", "sentiment_label",
    "headline_sentiment", "summary", "tags", "story_id", "text",
}  # fmt: skip
MAX_REPORTED = 1000


class ImportFailed(BadInput):
    """An import that stopped; nothing of it was kept. The message is one sentence."""


@dataclass
class ImportReport:
    """What an import did: counts, the column mapping, and problems by row."""

    source: str
    format: str = ""
    encoding: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    rows_read: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    undated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    seconds: float = 0.0
    import_id: int | None = None

    @property
    def rate(self) -> float:
        return self.rows_read / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        parts = [
            f"{self.stored:,} stored",
            f"{self.duplicates:,} duplicates skipped",
            f"{self.rejected:,} rows rejected",
        ]
        if self.undated:
            parts.append(f"{self.undated:,} without a usable date")
        return f"{self.source}: {self.rows_read:,} rows read, " + ", ".join(parts) + f" in {self.seconds:.1f} s."


@lru_cache(maxsize=4096)
def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def resolve_mapping(columns: Iterable[str], explicit: dict[str, str] | None = None) -> dict[str, str]:
    """Map article fields to the file's columns: explicit choices first, then known names."""
    columns = list(columns)
    by_norm: dict[str, str] = {}
    for c in columns:
        by_norm.setdefault(_norm(c), c)
    mapping: dict[str, str] = {}
    for fld, col in (explicit or {}).items():
        if fld not in FIELDS:
            raise ImportFailed(f"Unknown field {fld!r} in the column mapping; use one of {', '.join(FIELDS)}.")
        if col not in columns:
            raise ImportFailed(
                f"Column {col!r} (given for {fld}) is not in the file; its columns are: {', '.join(columns)}."
            )
        mapping[fld] = col
    used = set(mapping.values())
    for fld in FIELDS:
        if fld in mapping:
            continue
        for cand in CANDIDATES[fld]:
            col = by_norm.get(cand)
            if col is not None and col not in used:
                mapping[fld] = col
                used.add(col)
                break
    if "title" not in mapping and "text" not in mapping:
        raise ImportFailed(
            "No column for the article title or text was found (looked for "
            + ", ".join(CANDIDATES["title"][:3] + CANDIDATES["text"][:4])
            + f"; the file has {', '.join(columns[:12])}); name one with --map text=COLUMN."
        )
    return mapping


class Importer:
    """Streams one file into the store in batches; a fatal error removes what it had stored."""

    def __init__(
        self,
        store: Store,
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
    ) -> None:
        self.store = store
        self.outlet = outlet.strip() if outlet else None
        self.explicit = mapping or {}
        self.fmt = fmt
        self.encoding = encoding
        self.dates = DateParser(default_tz, dayfirst)
        self.batch_size = batch_size or settings().import_batch
        self.progress = progress
        self.defer_search = defer_search  # rows first, their search index after (store.index_search)

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
        """Parse in a worker thread while this thread writes (SQLite releases the GIL while it works)."""
        batches: queue.Queue[tuple[list[Article], dict[str, dict[str, Any]], int] | BaseException | None] = queue.Queue(
            maxsize=2
        )
        stop = threading.Event()

        def produce() -> None:
            try:
                for prepared in self._prepared_batches(af, report):
                    while not stop.is_set():
                        try:
                            batches.put(prepared, timeout=0.2)
                            break
                        except queue.Full:
                            continue
                    if stop.is_set():
                        return
                batches.put(None)
            except BaseException as exc:  # handed to the writer thread, which re-raises it
                batches.put(exc)

        worker = threading.Thread(target=produce, name="import-parser", daemon=True)
        worker.start()
        try:
            while True:
                item = batches.get()
                if item is None:
                    break
                if isinstance(item, BaseException):
                    raise item
                articles, outlet_meta, bytes_read = item
                stored, dups = self.store.add_articles(
                    articles, import_id=report.import_id, outlet_meta=outlet_meta, defer_search=self.defer_search
                )
                report.stored += stored
                report.duplicates += dups
                if self.progress:
                    self.progress(bytes_read, af.size)
        finally:
            stop.set()
            worker.join(timeout=5)
        if self.progress:
            self.progress(af.size, af.size)

    def _prepared_batches(
        self, af: ArticleFile, report: ImportReport
    ) -> Iterator[tuple[list[Article], dict[str, dict[str, Any]], int]]:
        batch: list[Record] = []
        for rec in af.records():
            report.rows_read += 1
            if rec.fields is None:
                self._error(report, rec.row, rec.error or "it could not be read")
                continue
            if not report.mapping:
                report.mapping = resolve_mapping(rec.fields.keys(), self.explicit)
                if self.outlet is None and "outlet" not in report.mapping and "url" not in report.mapping:
                    report.warnings.append((0, "the file has no outlet or URL column; use --outlet NAME to name it"))
            batch.append(rec)
            if len(batch) >= self.batch_size:
                yield (*self._prepare(batch, report), af.bytes_read)
                batch = []
        if batch:
            yield (*self._prepare(batch, report), af.bytes_read)

    def _error(self, report: ImportReport, row: int, reason: str) -> None:
        report.rejected += 1
        if len(report.errors) < MAX_REPORTED:
            report.errors.append((row, reason))

    def _prepare(self, batch: list[Record], report: ImportReport) -> tuple[list[Article], dict[str, dict[str, Any]]]:
        """Validate a batch of records into Articles plus outlet metadata."""
        m = report.mapping
        date_col = m.get("published")
        parsed, problems = self.dates.parse_many([r.fields.get(date_col) if date_col else None for r in batch])  # type: ignore[union-attr]
        mapped_cols = set(m.values())
        articles: list[Article] = []
        outlet_meta: dict[str, dict[str, Any]] = {}
        precisions = self.dates.precisions
        for rec, published, i in zip(batch, parsed, range(len(batch)), strict=True):
            f = rec.fields or {}
            if i in problems:
                report.undated += 1
                if len(report.warnings) < MAX_REPORTED:
                    report.warnings.append((rec.row, problems[i] + "; stored without a date"))
            elif published is None:
                report.undated += 1
            extra = {}
            for k, v in f.items():
                if k in mapped_cols or v is None or v == "":
                    continue
                key = _norm(k) or "column"
                extra[f"file_{key}" if key in RESERVED else key] = _plain(v)
            try:
                art = Article(
                    title=_text(f.get(m["title"])) if "title" in m else "",
                    text=_text(f.get(m["text"])) if "text" in m else "",
                    url=_text(f.get(m["url"])) or None if "url" in m else None,
                    outlet=self.outlet or (_text(f.get(m["outlet"])) if "outlet" in m else None) or None,
                    outlet_domain=_text(f.get(m["outlet_domain"])) or None if "outlet_domain" in m else None,
                    published=published,
                    published_precision=precisions[i] if published else None,
                    authors=_authors(f.get(m["authors"])) if "authors" in m else None,
                    language=_text(f.get(m["language"])) or None if "language" in m else None,
                    extra=extra,
                ).finalise()
            except ArticleError as exc:
                self._error(report, rec.row, str(exc))
                continue
            if art.url_problem and len(report.warnings) < MAX_REPORTED:
                report.warnings.append((rec.row, art.url_problem))
            if art.outlet_domain and "/" in art.outlet_domain:
                art.outlet_domain = domain_of(art.outlet_domain)
            for key, target in OUTLET_META.items():
                if key in extra:
                    outlet_meta.setdefault(art.outlet, {})[target] = extra[key]
            if outlet_meta.get(art.outlet, {}).get("bias") and "bias_source" not in outlet_meta[art.outlet]:
                outlet_meta[art.outlet]["bias_source"] = report.source
            articles.append(art)
        return articles, outlet_meta


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v != v:
        return ""
    if isinstance(v, list):
        return "\n\n".join(str(x) for x in v if x is not None)
    return str(v).strip()


def _authors(v: Any) -> str | None:
    if isinstance(v, list):
        names = [str(x.get("name", "")) if isinstance(x, dict) else str(x) for x in v]
        return "; ".join(n for n in names if n) or None
    return _text(v) or None


def _plain(v: Any) -> Any:
    """A JSON-storable version of a cell (dates as ISO text, numpy scalars as Python)."""
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if hasattr(v, "item") and not isinstance(v, list | dict | str):
        try:
            return v.item()
        except (ValueError, AttributeError):
            return str(v)
    return v


def import_file(store: Store, path: str | Path, **kwargs: Any) -> ImportReport:
    """Import one file with default settings; see Importer for the options."""
    name = kwargs.pop("display_name", None)
    return Importer(store, **kwargs).run(path, display_name=name)
