"""Validate a batch of file records into Articles: the CPU side of an import.

A `Preparer` is a small picklable value (the column mapping and the import's options), so that for a big
file the batches can be prepared in worker processes while the importing process reads and writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from analysis.ingest.dates import DateParser
from analysis.ingest.records import LineBlock, Record
from analysis.ingest.schema import Article, ArticleError, domain_of

# Extra columns that also describe the outlet; copied into the outlets table when empty there.
OUTLET_META = {
    "bias": "bias",
    "bias_rating": "bias",
    "political_bias": "bias",
    "leaning": "bias",
    "country": "country",
    "outlet_country": "country",
    "owner": "owner",
}
# Names that exports use for derived columns; an extra column with such a name is prefixed.
RESERVED = {
    "id",
    "url",
    "title",
    "outlet",
    "published",
    "topic",
    "topic_label",
    "sentiment",
    "sentiment_label",
    "headline_sentiment",
    "summary",
    "tags",
    "story_id",
    "text",
}
MAX_REPORTED = 1000


@lru_cache(maxsize=4096)
def norm_name(name: str) -> str:
    """A column name compared loosely: lower case, runs of other characters as one underscore."""
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


@dataclass
class Prepared:
    """One batch after validation: its articles, outlet metadata and what was wrong with its rows."""

    articles: list[Article]
    outlet_meta: dict[str, dict[str, Any]]
    rows: int = 0  # rows read, unreadable ones included
    numbered_from_one: bool = False  # row numbers count from the batch's start (a LineBlock), not the file's
    undated: int = 0
    rejected: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)

    def reject(self, row: int, reason: str) -> None:
        self.rejected += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append((row, reason))


@dataclass(frozen=True)
class Preparer:
    """Turns records into Articles with the file's column mapping (field -> column)."""

    mapping: dict[str, str]
    source: str
    outlet: str | None = None
    default_tz: str = "UTC"
    dayfirst: bool = False

    def __call__(self, batch: list[Record] | LineBlock) -> Prepared:
        if isinstance(batch, LineBlock):
            out = self._prepare(list(batch.records()))
            out.numbered_from_one = True
            return out
        return self._prepare(batch)

    def _prepare(self, records: list[Record]) -> Prepared:
        out = Prepared([], {}, rows=len(records))
        batch = []
        for rec in records:
            if rec.fields is not None:
                batch.append(rec)
                continue
            out.reject(rec.row, rec.error or "it could not be read")
        m = self.mapping
        dates = DateParser(self.default_tz, self.dayfirst)  # per batch: its clock bounds future dates
        date_col = m.get("published")
        parsed, problems = dates.parse_many([r.fields.get(date_col) if date_col else None for r in batch])  # type: ignore[union-attr]
        precisions = dates.precisions
        mapped_cols = set(m.values())
        outlet_meta = out.outlet_meta
        for i, (rec, published) in enumerate(zip(batch, parsed, strict=True)):
            f = rec.fields or {}
            if i in problems:
                out.undated += 1
                if len(out.warnings) < MAX_REPORTED:
                    out.warnings.append((rec.row, problems[i] + "; stored without a date"))
            elif published is None:
                out.undated += 1
            extra = {}
            for k, v in f.items():
                if k in mapped_cols or v is None or v == "":
                    continue
                key = norm_name(k) or "column"
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
                out.reject(rec.row, str(exc))
                continue
            if art.url_problem and len(out.warnings) < MAX_REPORTED:
                out.warnings.append((rec.row, art.url_problem))
            if art.outlet_domain and "/" in art.outlet_domain:
                art.outlet_domain = domain_of(art.outlet_domain)
            for key, target in OUTLET_META.items():
                if key in extra:
                    outlet_meta.setdefault(art.outlet or "", {})[target] = extra[key]
            if outlet_meta.get(art.outlet, {}).get("bias") and "bias_source" not in outlet_meta[art.outlet]:  # type: ignore[arg-type,index]
                outlet_meta[art.outlet]["bias_source"] = self.source  # type: ignore[index]
            out.articles.append(art)
        return out


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
