"""The store's whole interface: a backend's primitives (analysis.store.base.Backend) and its table
families. `analysis.store.sqlite.Store` implements it; a PostgreSQL backend implements the primitives and
a `Dialect`, and reuses the families (overriding a method only where its SQL must differ).

What is engine-specific is named in the backend's module and its dialect, nowhere else: for SQLite
(analysis/store/sqlite.py) the pragmas and WAL, the FTS5 search syntax and its plain-word fallback,
INSERT OR IGNORE/REPLACE, the bound-parameter limit, the `PRAGMA user_version` schema counter and the
FTS index written with each batch of articles; the migrations (analysis/store/migrations.py) are
SQLite's DDL. The demo snapshot (analysis/store/snapshot.py) is a plain SQLite file whatever the backend.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, runtime_checkable

from analysis.ingest.schema import Article
from analysis.store.articles import ArticleReads
from analysis.store.base import Backend
from analysis.store.collection import Collection
from analysis.store.entities import Entities
from analysis.store.exports import Exports
from analysis.store.fits import Fits
from analysis.store.intel import Intel
from analysis.store.outlets import Outlets
from analysis.store.search import Search
from analysis.store.snapshot import Snapshot
from analysis.store.stories import Stories
from analysis.store.topics import Topics
from analysis.store.vectors import Vectors


@runtime_checkable
class Database(Backend, Protocol):
    """A store: the primitives, article writes and imports, and one attribute per table family."""

    @property
    def schema_version(self) -> int: ...
    def migrate(self) -> None: ...
    def checkpoint(self) -> None: ...
    def after_bulk_copy(self) -> None: ...
    def begin_import(self, source: str) -> int: ...
    def finish_import(self, import_id: int, *, status: str, message: str = "", **counts: int) -> None: ...
    def abort_import(self, import_id: int, message: str) -> int: ...
    def add_articles(
        self,
        articles: Iterable[Article],
        *,
        import_id: int | None = None,
        outlet_meta: dict[str, dict[str, Any]] | None = None,
        defer_search: bool = False,
    ) -> tuple[int, int]: ...
    def search_pending(self) -> int: ...
    def index_search(self, progress: Any = None, batch: int = 5000, stop: Any = None) -> int: ...
    def ensure_outlets(self, outlets: dict[str, str | None], meta: dict[str, dict[str, Any]]) -> None: ...
    def count(self) -> int: ...
    def get_article(self, article_id: str) -> dict[str, Any] | None: ...
    def imports(self) -> list[dict[str, Any]]: ...

    articles: ArticleReads
    collection: Collection
    entities: Entities
    exports: Exports
    fits: Fits
    intel: Intel
    outlets: Outlets
    search: Search
    snapshot: Snapshot
    stories: Stories
    topics: Topics
    vectors: Vectors
