"""What every backend's store has on top of its primitives, written once: the table families as
attributes (`store.articles`, `store.fits`, ...), the import log, meta values and the data-version counter.
A backend (analysis.store.sqlite.Store, analysis.store.postgres.PgStore) adds its connection, its
`Dialect`, its migrations and its bulk article write."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cached_property
from typing import Any, Self

from analysis.ingest.schema import Article
from analysis.store.articles import ArticleReads
from analysis.store.base import utcnow
from analysis.store.collection import Collection
from analysis.store.entities import Entities
from analysis.store.exports import Exports
from analysis.store.fits import Fits
from analysis.store.outlets import OUTLET_FIELDS, Outlets
from analysis.store.outputs import Outputs
from analysis.store.search import Search
from analysis.store.snapshot import Snapshot
from analysis.store.stories import Stories
from analysis.store.topics import Topics
from analysis.store.vectors import Vectors

ARTICLE_COLUMNS = (
    "id",
    "url",
    "canonical_url",
    "title",
    "text",
    "outlet",
    "outlet_domain",
    "published",
    "collected",
    "authors",
    "language",
    "content_hash",
    "extra",
    "import_id",
    "published_precision",
)


def article_rows(articles: Iterable[Article], import_id: int | None) -> list[tuple[Any, ...]]:
    """Articles as rows of ARTICLE_COLUMNS, collected now."""
    collected = utcnow()
    return [
        (
            a.id,
            a.url,
            a.canonical,
            a.title,
            a.text,
            a.outlet,
            a.outlet_domain,
            a.published,
            collected,
            a.authors,
            a.language,
            a.chash,
            json.dumps(a.extra, ensure_ascii=False, default=str) if a.extra else "{}",
            import_id,
            a.published_precision,
        )
        for a in articles
    ]


class StoreCore:
    """The families, the import log and meta of a store; the primitives (execute, executemany, frame,
    transaction, dialect) come from the backend class that derives from this one."""

    dialect: Any
    path: str

    def execute(self, sql: str, params: Any = ()) -> Any:  # implemented by the backend
        raise NotImplementedError

    def executemany(self, sql: str, rows: Any) -> Any:  # implemented by the backend
        raise NotImplementedError

    def transaction(self) -> Any:  # implemented by the backend
        raise NotImplementedError

    # -- table families ------------------------------------------------------------------------
    @cached_property
    def articles(self) -> ArticleReads:
        return ArticleReads(self)

    @cached_property
    def collection(self) -> Collection:
        return Collection(self)

    @cached_property
    def entities(self) -> Entities:
        return Entities(self)

    @cached_property
    def exports(self) -> Exports:
        return Exports(self)

    @cached_property
    def fits(self) -> Fits:
        return Fits(self)

    @cached_property
    def outputs(self) -> Outputs:
        return Outputs(self)

    @cached_property
    def search(self) -> Search:
        return Search(self)

    @cached_property
    def outlets(self) -> Outlets:
        return Outlets(self)

    @cached_property
    def snapshot(self) -> Snapshot:
        return Snapshot(self)

    @cached_property
    def stories(self) -> Stories:
        return Stories(self)

    @cached_property
    def topics(self) -> Topics:
        return Topics(self)

    @cached_property
    def vectors(self) -> Vectors:
        return Vectors(self)

    # -- nearest-neighbour index (PostgreSQL with pgvector; none on SQLite) --------------------------
    def nearest_hashes(self, model: str, blob: bytes, n: int) -> list[str] | None:
        """Content hashes of the n vectors of `model` nearest to this one, by the backend's index; None when
        the backend has no index for the model (exact search serves)."""
        return None

    def index_vectors(self, model: str, progress: Any = None) -> int | None:
        """Bring the backend's nearest-neighbour index of `model`'s vectors up to date; None when it has none."""
        return None

    @property
    def vector_search_note(self) -> str | None:
        """One sentence when similar news falls back to exact search for want of an index the user expects."""
        return None

    # -- search indexing that trails the rows (SQLite's big imports; PostgreSQL indexes as it writes) ----
    def search_pending(self) -> int:
        """Articles stored but not yet searchable."""
        return 0

    def index_search(self, progress: Any = None, batch: int = 5000, stop: Any = None) -> int:
        """Index the articles search does not cover yet; returns how many."""
        return 0

    # -- the data version and meta -------------------------------------------------------------
    def bump_version(self) -> None:
        self.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'data_version'")

    @property
    def data_version(self) -> int:
        """A counter that changes on every write; UI caches key on it."""
        row = self.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
        return int(row[0]) if row else 0

    def meta(self, key: str, default: str = "") -> str:
        row = self.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row and row[0] is not None else default

    def set_meta(self, key: str, value: str) -> None:
        """Set a meta value; call inside a transaction."""
        self.execute(self.dialect.insert("meta", ("key", "value"), conflict="replace", keys=("key",)), (key, value))

    def delete_meta(self, key: str) -> None:
        self.execute("DELETE FROM meta WHERE key = ?", (key,))

    @property
    def active_fit(self) -> int | None:
        """The id of the fit the app shows, or None before the first fit."""
        value = self.meta("active_fit")
        return int(value) if value else None

    # -- imports -------------------------------------------------------------------------------
    def begin_import(self, source: str) -> int:
        with self.transaction():
            row = self.execute(
                "INSERT INTO imports(source, started) VALUES (?, ?) RETURNING id", (source, utcnow())
            ).fetchone()
        return int(row[0])

    def finish_import(self, import_id: int, *, status: str, message: str = "", **counts: int) -> None:
        sets = ", ".join(f"{k} = ?" for k in counts)
        with self.transaction():
            self.execute(
                f"UPDATE imports SET status = ?, message = ?, finished = ?{', ' + sets if sets else ''} WHERE id = ?",
                (status, message, utcnow(), *counts.values(), import_id),
            )

    def abort_import(self, import_id: int, message: str) -> int:
        """Remove every article of a failed import; returns how many were removed."""
        self.__dict__.pop("_outlet_meta_filled", None)  # its outlet fills may have been rolled back
        with self.transaction():
            cur = self.execute("DELETE FROM articles WHERE import_id = ?", (import_id,))
            self.execute(
                "UPDATE imports SET status = 'failed', message = ?, finished = ?, stored = 0 WHERE id = ?",
                (message, utcnow(), import_id),
            )
            if cur.rowcount:
                self.bump_version()
        return cur.rowcount

    def imports(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.execute("SELECT * FROM imports ORDER BY id")]

    # -- articles ------------------------------------------------------------------------------
    def count(self) -> int:
        return int(self.execute("SELECT count(*) FROM articles").fetchone()[0])

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        row = self.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        out = {k: v for k, v in dict(row).items() if k != "search"}
        out["extra"] = json.loads(out["extra"] or "{}")
        return out

    def ensure_outlets(self, outlets: dict[str, str | None], meta: dict[str, dict[str, Any]]) -> None:
        """Add outlets not yet known (name, domain) and fill their empty metadata; call inside a transaction."""
        now = utcnow()
        self.executemany(
            self.dialect.insert("outlets", ("name", "domain", "updated_at"), conflict="ignore", keys=("name",)),
            [(name, domain, now) for name, domain in outlets.items()],
        )
        done = self.__dict__.setdefault("_outlet_meta_filled", set())  # this connection's fills so far
        for name, fields in meta.items():
            for key, value in fields.items():
                if key in OUTLET_FIELDS and value not in (None, "") and (name, key, str(value)) not in done:
                    done.add((name, key, str(value)))  # each batch of an import repeats it: fill once
                    # Fill only what is empty: metadata edited by the user is never overwritten.
                    self.execute(
                        f"UPDATE outlets SET {key} = ?, updated_at = ?"
                        f" WHERE name = ? AND ({key} IS NULL OR {key} = '')",
                        (str(value), now, name),
                    )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:  # implemented by the backend
        raise NotImplementedError
