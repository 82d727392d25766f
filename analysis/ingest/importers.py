"""What an import of an article file knows before and after the store: the fields and the column names each is
recognised by, the mapping of a file's columns to fields, and the report of an import. The import itself, which
reads a file in worker processes and writes to the store, is analysis.pipeline.load."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from analysis.errors import BadInput
from analysis.ingest.prepare import norm_name

FIELDS = ("title", "text", "outlet", "published", "url", "authors", "language", "outlet_domain")
# Column names recognised for each field, in order of preference (compared after normalising).
CANDIDATES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "article_title", "head", "heading", "name"),
    "text": (
        "text",
        "content",
        "body",
        "article",
        "article_text",
        "full_text",
        "fulltext",
        "story",
        "maintext",
        "description",
        "summary",
        "lede",
    ),
    "outlet": (
        "outlet",
        "source",
        "publisher",
        "publication",
        "source_name",
        "site_name",
        "site",
        "media",
        "media_name",
        "newspaper",
        "news_source",
        "outlet_name",
        "domain",
    ),
    "published": (
        "published",
        "date",
        "publish_date",
        "published_at",
        "publishedat",
        "pubdate",
        "pub_date",
        "date_published",
        "publication_date",
        "datetime",
        "timestamp",
        "time",
        "created_at",
        "seendate",
    ),
    "url": ("url", "link", "article_url", "article_source_link", "source_link", "href", "permalink", "uri"),
    "authors": ("authors", "author", "byline", "creator", "writers"),
    "language": ("language", "lang"),
    "outlet_domain": ("source_url", "source_domain", "site_domain", "outlet_domain", "domain"),
}

# A file this big (on disk, compressed or not) is validated in worker processes when `workers` is 0 (auto):
# a few thousand articles, where starting the processes (about half a second) is repaid.
PARALLEL_BYTES = 8 * 2**20


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


def resolve_mapping(columns: Iterable[str], explicit: dict[str, str] | None = None) -> dict[str, str]:
    """Map article fields to the file's columns: explicit choices first, then known names."""
    columns = list(columns)
    by_norm: dict[str, str] = {}
    for c in columns:
        by_norm.setdefault(norm_name(c), c)
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
            found = by_norm.get(cand)
            if found is not None and found not in used:
                mapping[fld] = found
                used.add(found)
                break
    if "title" not in mapping and "text" not in mapping:
        raise ImportFailed(
            "No column for the article title or text was found (looked for "
            + ", ".join(CANDIDATES["title"][:3] + CANDIDATES["text"][:4])
            + f"; the file has {', '.join(columns[:12])}); name one with --map text=COLUMN."
        )
    return mapping
